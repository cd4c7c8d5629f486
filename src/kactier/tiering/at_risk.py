"""Early warning (流失预警): the customers of the top tiers who may be slipping away.

A customer graded in one of the top :data:`WATCHED_TIERS` tiers (A and B) is *at risk* (预警) when

- its P(alive) (活跃概率, the BG/NBD probability that it is still buying, field ``p_alive``) is below the threshold
  (default :data:`P_ALIVE_BELOW` = 0.5; a blank P(alive) never triggers it), or
- its score fell in each of the last two runs: score two runs ago > score in the previous run > score now, all three
  graded (the runs of :mod:`kactier.history.trends`).

*Value at risk* orders the list: predicted CLV (``predicted_clv``) when the table has one for an at-risk customer,
else annual sales (``annual_sales``), else the score; one column for every customer, never a mix of units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

NDArray = np.ndarray[Any, Any]
P_ALIVE_BELOW = 0.5
WATCHED_TIERS = 2
VALUE_KEYS = ("predicted_clv", "annual_sales")  # in order of preference; else the score


@dataclass(frozen=True, slots=True)
class AtRisk:
    """Which rows are at risk and why, per data row."""

    low_p_alive: NDArray  # bool
    falling: NDArray  # bool
    p_alive: NDArray | None  # the P(alive) per row (NaN: blank), when the table has it
    recent: NDArray | None  # scores two runs ago, in the previous run and now (NaN: none), with history
    threshold: float

    @property
    def flagged(self) -> NDArray:
        """True on every row at risk."""
        return self.low_p_alive | self.falling


def at_risk(
    tier: NDArray,
    p_alive: NDArray | None,
    recent: NDArray | None,
    threshold: float = P_ALIVE_BELOW,
) -> AtRisk:
    """The early warning of each row (see the module docstring).

    ``tier`` is the tier index per row (0 = the best, −1 = not graded); ``p_alive`` the P(alive) per row (NaN:
    blank); ``recent`` an (rows × 3) array of the scores two runs ago, in the previous run and now (NaN: not graded
    or absent).
    """
    tier = np.asarray(tier)
    watched = (tier >= 0) & (tier < WATCHED_TIERS)
    low = np.zeros(tier.shape, dtype=bool)
    if p_alive is not None:
        p_alive = np.asarray(p_alive, dtype=float)
        with np.errstate(invalid="ignore"):
            low = watched & (p_alive < threshold)  # NaN compares False: a blank P(alive) is no warning
    falling = np.zeros(tier.shape, dtype=bool)
    if recent is not None:
        before, previous, now = (np.asarray(recent, dtype=float)[:, i] for i in range(3))
        with np.errstate(invalid="ignore"):
            falling = watched & (before > previous) & (previous > now)
    return AtRisk(low, falling, p_alive, recent, threshold)


def value_at_risk(frame: Any, flagged: NDArray, score: NDArray) -> tuple[str, NDArray]:
    """The value that orders the at-risk list: (field key or ``"score"``, the value per row; NaN: none)."""
    for key in VALUE_KEYS:
        if key in frame:
            values = np.asarray(frame[key].to_numpy(dtype=float, na_value=np.nan), dtype=float)
            if np.isfinite(values[flagged]).any():
                return key, values
    return "score", np.asarray(score, dtype=float)
