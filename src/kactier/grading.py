"""Tiers from scores: the config's tier method applied to the graded customers.

Tier indexes run from 0 (the first, best tier in the config) to k−1; −1 means not graded (the row is excluded and
its reason is in the Issues sheet). The methods themselves are pure functions in :mod:`kactier.tiering`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import Config
from .scoring import Scores
from .tiering import threshold_tiers

NDArray = np.ndarray[Any, Any]


@dataclass(slots=True)
class Grades:
    """The tier of every data row."""

    tier: NDArray  # int, −1 = not graded
    method: str

    def counts(self, levels: int) -> list[int]:
        """Customers per tier, in tier order."""
        graded = self.tier[self.tier >= 0]
        return [int(n) for n in np.bincount(graded, minlength=levels)[:levels]]


def grade_customers(scores: Scores, config: Config) -> Grades:
    """Assign a tier to every graded customer under ``config.tiers``."""
    minimums = [float(level.min_score) for level in config.tiers.levels[:-1] if level.min_score is not None]
    tiers = threshold_tiers(np.where(scores.graded, scores.score, np.nan), minimums)
    return Grades(tier=tiers.astype(np.int64), method=config.tiers.method)
