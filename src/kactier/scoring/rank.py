"""Ranks and percentiles of composite scores (SPEC §4: rank 1 is best, equal scores share a rank).

NaN scores are ungraded: they take no rank (0) and no percentile (NaN) and are not counted for the others. The
results do not depend on the row order.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import TieringError

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def as_vector(data: ArrayLike, name: str) -> FloatArray:
    """``data`` as a 1-D float64 array; :class:`~kactier.errors.TieringError` naming ``name`` if it is not one."""
    try:
        arr = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TieringError(f"{name} must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise TieringError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def competition_rank(scores: ArrayLike) -> IntArray:
    """Standard competition rank ("1224"): 1 + number of graded customers with a strictly higher score.

    Equal scores share the smallest rank and the next rank skips accordingly (10, 9, 9, 8 -> 1, 2, 2, 4).
    NaN -> 0, meaning unranked; NaN scores are not counted.

    Source: standard competition ranking, as in sports tables and spreadsheet ``RANK``/``RANK.EQ``
    with descending order.
    """
    s = as_vector(scores, "scores")
    ranks = np.zeros(s.size, dtype=np.int64)
    graded = ~np.isnan(s)
    ascending = np.sort(s[graded])
    at_most = np.searchsorted(ascending, s[graded], side="right")
    ranks[graded] = ascending.size - at_most + 1
    return ranks


def percentile(scores: ArrayLike) -> FloatArray:
    """Percentile of each score among graded customers: ``100 * (count of scores <= s) / n``.

    n is the number of graded (non-NaN) scores; ties count in full, so equal scores share one
    percentile, the best customer has 100 and no graded customer has 0 (the lowest of n distinct scores
    has 100/n). NaN -> NaN.

    Source: the "at or below" definition of percentile rank (the weak empirical CDF, ``F(s) = P(S <= s)``),
    as in ``scipy.stats.percentileofscore(kind="weak")``.
    """
    s = as_vector(scores, "scores")
    out = np.full(s.size, np.nan, dtype=np.float64)
    graded = ~np.isnan(s)
    ascending = np.sort(s[graded])
    if ascending.size:
        at_most = np.searchsorted(ascending, s[graded], side="right")
        out[graded] = 100.0 * at_most / ascending.size
    return out
