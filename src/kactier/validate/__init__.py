"""Validation: every row checked against the config, values read as people type them, problems collected as data."""
