"""Tiering: the tier methods (thresholds, Pareto, quantile, computed ABC) and the marks (provisional, override)."""
