"""Tier stability under ``aggregation = "topsis"``: every draw's closeness from two matrix products, and each
customer's closeness bounded over every draw (:func:`topsis_bounds`) so that only those a draw can move are drawn.

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
from .stability_quantile import RawComposites, ratio_bounds

NDArray = np.ndarray[Any, Any]
_MARGIN = 1e-9  # relative widening of a score's bound, far above the float error of the distances
_SHARE_MARGIN = (
    1e-12  # widening of T's bound (T ≤ 1), far above its float error: √(1 − T) is steep near T = 1
)


def raw_topsis(given: TopsisInput, rows: NDArray) -> RawComposites:
    """Draws × rows TOPSIS scores (not rounded) of the rows ``rows`` of ``given`` (positions as the callable's)."""
    to_ideal, to_anti = _squares(given, rows)

    def raw(at: NDArray, drawn: NDArray) -> NDArray:
        squared = np.square(drawn)
        ideal, anti = np.sqrt(squared @ to_ideal[at].T), np.sqrt(squared @ to_anti[at].T)
        total = ideal + anti
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(total == 0.0, TIED_CLOSENESS, anti / total) * 100.0)

    return raw


def topsis_bounds(
    given: TopsisInput, rows: NDArray, weights: NDArray, factors: NDArray
) -> tuple[NDArray, NDArray]:
    """Per row of ``rows``, the least and the greatest TOPSIS score (not rounded) any weights ``w_j·f_j`` can give,
    each factor ``f_j`` within the range of column *j* of ``factors``: widened by 1e-9 relative.

    The closeness does not change when every weight is scaled (so the draws' renormalisation does not matter),
    and with ``u_j = w_j²·f_j²`` it is ``√T/(√T + √(1 − T))``, increasing in ``T = D⁻²/(D⁺² + D⁻²) = Σ u_j·b_j /
    Σ u_j·(a_j + b_j)`` (``a``, ``b``: the squared distances to the ideal and the anti-ideal): a weighted mean of
    ``b_j/(a_j + b_j)`` with weights ``w_j²·(a_j + b_j)·f_j²``, whose extremes over the box of ``f_j²`` are those of
    :func:`~.stability_quantile.ratio_bounds`. A row with ``D⁺ + D⁻ = 0`` under every weight scores
    :data:`~kactier.scoring.aggregate.TIED_CLOSENESS` × 100 in every draw.
    """
    to_ideal, to_anti = _squares(given, rows)
    spread = to_ideal + to_anti
    weight = np.square(np.asarray(weights, dtype=float))[None, :] * spread
    tied = ~(weight > 0.0).any(axis=1)
    weight[tied, 0] = 1.0  # a placeholder, replaced below
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(spread > 0.0, to_anti / spread, 0.0)
    square = np.square(factors)
    low, high = ratio_bounds(share, weight, square.min(axis=0), square.max(axis=0), _SHARE_MARGIN)
    scores = []
    for value in (low, high):
        t = np.clip(value, 0.0, 1.0)
        root = np.sqrt(t)
        score = np.where(tied, TIED_CLOSENESS, root / (root + np.sqrt(1.0 - t))) * 100.0
        scores.append(score)
    least, greatest = scores
    least = least - _MARGIN * np.maximum(1.0, np.abs(least))
    greatest = greatest + _MARGIN * np.maximum(1.0, np.abs(greatest))
    return least, greatest


def _squares(given: TopsisInput, rows: NDArray) -> tuple[NDArray, NDArray]:
    """The rows' squared distances to the ideal and to the anti-ideal, per criterion (0 where one does not count)."""
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
    return to_ideal, to_anti
