"""How the criteria's points make one score (``aggregation``): weighted sum, TOPSIS or weighted product.

Each function takes the matrix of the graded customers' 0–100 points (one column per criterion, direction applied),
the mask of the cells that count (a criterion blank under ``missing = "exclude"`` does not) and the weights
(summing to 1), and returns the score before rounding. Formulas and sources: docs/methods.md §5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

NDArray = np.ndarray[Any, Any]
# Points below this count as this in the weighted product, so one 0 does not make the product 0.
PRODUCT_FLOOR = 1.0
# The TOPSIS closeness of a customer at the ideal and the anti-ideal at once: nothing tells it apart.
TIED_CLOSENESS = 0.5


def weighted_sum(points: NDArray, counts: NDArray, weights: NDArray) -> NDArray:
    """``S_i = Σ_j w_j·s_ij / Σ_j w_j`` over the criteria *j* that count for row *i* (NaN where none does)."""
    weight_sum = (counts * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(counts, points * weights, 0.0).sum(axis=1) / weight_sum)


def weighted_product(points: NDArray, counts: NDArray, weights: NDArray) -> NDArray:
    """The weighted product ``S_i = Π_j max(s_ij, 1)^(w_j / Σ_k w_k)`` over the criteria that count for row *i*.

    Bridgman (1922), Miller & Starr (1969), Triantaphyllou (2000): with the weights summing to 1 it is the weighted
    geometric mean of the points, so it stays within 1–100 and the ratio of two customers' scores is the WPM ratio
    ``R(A_K/A_L) = Π_j (a_Kj / a_Lj)^w_j``. A point below :data:`PRODUCT_FLOOR` counts as the floor: a single 0
    would make the product 0 whatever the other criteria say (the floor UNDP sets for the geometric mean of its
    Gender Inequality Index, where a zero share counts as 0.1%, is the same remedy). Computed as ``exp(Σ w·ln s)``,
    which no number of criteria can overflow.
    """
    weight_sum = (counts * weights).sum(axis=1)
    logs = np.log(np.maximum(np.where(counts, points, PRODUCT_FLOOR), PRODUCT_FLOOR))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.exp((logs * weights).sum(axis=1) / weight_sum))


@dataclass(frozen=True, slots=True)
class TopsisInput:
    """What :func:`topsis` was given, kept with the scores so the closeness can be recomputed for other weights."""

    values: NDArray  # rows × criteria, before the direction
    higher: NDArray  # bool per criterion
    counts: NDArray  # bool rows × criteria


@dataclass(slots=True)
class Topsis:
    """TOPSIS of the graded customers: closeness × 100, each customer's place on each criterion, and the ties."""

    score: NDArray  # 100·D⁻/(D⁺ + D⁻); NaN for a row not graded
    places: NDArray  # 100 at a criterion's ideal, 0 at its anti-ideal; NaN where it does not count
    tied: NDArray  # bool: D⁺ + D⁻ = 0, the customer is at the ideal and the anti-ideal on every criterion


def topsis(values: NDArray, higher: NDArray, counts: NDArray, weights: NDArray) -> Topsis:
    """TOPSIS (Hwang & Yoon 1981) on ``values``, the criteria's normalised values *before* the direction is applied.

    ``v_ij = w_j·r_ij``; the ideal ``v⁺_j`` is the largest ``v_ij`` of criterion *j* when ``higher[j]``, else the
    smallest, and the anti-ideal ``v⁻_j`` the other end (over the rows where it counts); ``D⁺_i = √Σ_j (v_ij −
    v⁺_j)²`` and ``D⁻_i = √Σ_j (v_ij − v⁻_j)²`` over the criteria that count for row *i*; the closeness is
    ``C_i = D⁻_i/(D⁺_i + D⁻_i)``. A row with ``D⁺ + D⁻ = 0`` (every criterion it has is constant, or it is the only
    customer) gets :data:`TIED_CLOSENESS` and is marked ``tied``. ``counts`` is False for a row not graded.
    """
    graded = counts.any(axis=1)
    largest = np.max(values, axis=0, initial=-np.inf, where=counts)
    smallest = np.min(values, axis=0, initial=np.inf, where=counts)
    empty = ~counts.any(axis=0)  # a criterion no graded row has: it counts nowhere
    largest, smallest = np.where(empty, 0.0, largest), np.where(empty, 0.0, smallest)
    best, worst = np.where(higher, largest, smallest), np.where(higher, smallest, largest)
    weighted = np.where(counts, values, 0.0) * weights
    to_ideal = np.sqrt(np.where(counts, np.square(weighted - best * weights), 0.0).sum(axis=1))
    to_anti = np.sqrt(np.where(counts, np.square(weighted - worst * weights), 0.0).sum(axis=1))
    total = to_ideal + to_anti
    tied = graded & (total == 0.0)
    spread = largest - smallest
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(tied, TIED_CLOSENESS, to_anti / total)
        places = np.where(spread > 0.0, np.abs(values - worst) / spread * 100.0, 50.0)
    return Topsis(
        score=np.where(graded, closeness * 100.0, np.nan),
        places=np.where(counts, places, np.nan),
        tied=tied,
    )
