"""Tier stability under ``aggregation = "topsis"``: every draw's closeness from two matrix products.

With ``v_ij`` the criteria's normalised values, ``v⁺_j`` / ``v⁻_j`` the ideal and anti-ideal (which do not depend
on the weights: the largest or smallest ``w_j·v_ij`` is ``w_j`` times the largest or smallest ``v_ij``),
``D±_i = √Σ_j w_j²·(v_ij − v±_j)² = √(sq± @ w²)``, over the criteria counted for the row, as
:func:`~kactier.scoring.aggregate.topsis` computes them; the score is ``100·D⁻/(D⁺ + D⁻)``, or
:data:`~kactier.scoring.aggregate.TIED_CLOSENESS` × 100 where ``D⁺ + D⁻ = 0``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..scoring.aggregate import TIED_CLOSENESS, TopsisInput
from .stability_quantile import RawComposites

NDArray = np.ndarray[Any, Any]


def raw_topsis(given: TopsisInput, rows: NDArray) -> RawComposites:
    """Draws × rows TOPSIS scores (not rounded) of the rows ``rows`` of ``given`` (positions as the callable's)."""
    values, counts = given.values, given.counts
    largest = np.max(values, axis=0, initial=-np.inf, where=counts)
    smallest = np.min(values, axis=0, initial=np.inf, where=counts)
    empty = ~counts.any(axis=0)
    largest, smallest = np.where(empty, 0.0, largest), np.where(empty, 0.0, smallest)
    best = np.where(given.higher, largest, smallest)
    worst = np.where(given.higher, smallest, largest)
    taken, used = values[rows], counts[rows]
    to_ideal = np.where(used, np.square(np.where(used, taken, 0.0) - best), 0.0)
    to_anti = np.where(used, np.square(np.where(used, taken, 0.0) - worst), 0.0)

    def raw(at: NDArray, drawn: NDArray) -> NDArray:
        squared = np.square(drawn)
        ideal, anti = np.sqrt(squared @ to_ideal[at].T), np.sqrt(squared @ to_anti[at].T)
        total = ideal + anti
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(total == 0.0, TIED_CLOSENESS, anti / total) * 100.0)

    return raw
