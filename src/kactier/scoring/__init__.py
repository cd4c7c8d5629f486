"""Scoring: normalisations to 0–100, weights (manual, entropy, CRITIC, AHP) and the composite score and rank."""
