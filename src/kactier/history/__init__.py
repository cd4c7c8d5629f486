"""Tier history: an embedded SQLite database of runs and grades, and what changed since the previous run."""
