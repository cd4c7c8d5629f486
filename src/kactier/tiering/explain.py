"""Every grade explained: why a customer has its tier, how far the tier above is, and the one criterion to raise.

All three are computed on whole columns (no loop over customers); :mod:`.explain_text` words them.

- **Why (评级说明)**: the two criteria that lift or hold the customer most, relative to its tier: for criterion *j*,
  ``d_ij = (s_ij − m_tj)·w_j`` with ``s_ij`` the customer's 0–100 points, ``m_tj`` the mean points of the customers
  of its (final) tier *t* and ``w_j`` the weight used; the two largest ``|d_ij|``, each signed (above or below the
  tier mean). Equal ``|d|`` keep the config's criterion order; a criterion missing for the customer (``exclude``)
  and a deviation of 0 are left out. Tiers by value (``pareto``, ``computed-abc``) do not follow the criteria:
  there the value and its share of the total (of the group's total with ``group_by``) explain the tier.
- **Points to next tier (距上一级差距)**: from the tier method's own tier (before overrides and capacity caps):
  ``thresholds``: the tier above's minimum minus the score. ``quantile``: the score of the boundary customer (the
  lowest score of the nearest tier above that has customers, within the customer's group) minus the score; equal
  scores are never split, so reaching that score is enough. ``pareto`` / ``computed-abc``: the boundary customer's
  value minus the customer's value (equal values are ordered by id, so a customer level with the boundary may
  need a little more). Blank for the top tier, for ungraded customers, for overrides (the tier was set by hand)
  and for customers moved down by a capacity cap (their score reaches the tier; the cap holds them).
- **Best lever (提升建议)**: for the weighted sum ``S_i = Σ_j w_j·s_ij / W_i`` (``W_i`` the weights of the criteria
  counted for *i*), raising criterion *j* by ``Δ`` raises the score by ``w_j·Δ/W_i``, so the gap ``g`` needs
  ``Δ_j = g·W_i/w_j`` points; the criterion with the smallest ``Δ_j`` that fits under 100 is the lever (criteria
  already at 100, with weight 0 or missing are skipped), ``Δ`` rounded up to 0.1 and capped at 100. When none fits,
  no single criterion reaches the tier above. Because the shown score is rounded half up, a gain of ``g`` on the
  unrounded score always reaches it. The lever is *approximate* when the points of others move with the
  customer's value (``rank``, ``zscore``, ``minmax`` / ``log-minmax`` for the customer holding the minimum), when
  points come in steps (``bins``), when the weights are computed from the data (``entropy``, ``critic``) or the
  aggregation is not the weighted sum (the weighted product needs the factor ``((S + g)/S)^(W/w_j)`` on the
  criterion's points, from the rounded score; TOPSIS is given the weighted-sum estimate on its places, a rough
  guide since its ideal points move); and always for tiers by value, whose lever is the value itself (raising it
  raises the total the shares are taken of).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..config.models import Config
from ..scoring.aggregate import PRODUCT_FLOOR
from ..scoring.engine import Scores, round_half_up
from ..validate.rows import CustomerTable
from .grade import Grades, order_keys

NDArray = np.ndarray[Any, Any]
NO_CRITERION = -1
LEVER_VALUE = -2  # the lever of tiers by value: the value column itself
REASONS = 2  # criteria named in Why
_TINY = 1e-9
_APPROXIMATE_NORMALIZE = frozenset({"rank", "zscore", "bins"})


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why each row has its tier, the gap to the tier above and the best lever, per data row."""

    by_value: bool  # tiers follow a value column (pareto, computed-abc), not the score
    grouped: bool  # with group_by: boundaries and value shares are the group's
    tier: NDArray  # int: the final tier (−1 = not graded), whose mean points Why compares with
    reasons: NDArray  # int (n, 2): criterion index of the strongest reasons, NO_CRITERION for none
    reason_points: NDArray  # float (n, 2): the customer's points on each
    reason_above: NDArray  # bool (n, 2): above the tier mean (else below)
    value: NDArray | None  # by value: the value, and its share of the (group's) total
    value_share: NDArray | None
    gap: NDArray  # float: points (by value: value) to the tier above; NaN = blank
    target: NDArray  # int: the tier the gap leads to; −1 = none
    lever: NDArray  # int: criterion index, LEVER_VALUE, or NO_CRITERION
    lever_gain: NDArray  # float: points (by value: value) to add
    lever_to: NDArray  # float: the criterion's points after the gain
    approximate: NDArray  # bool
    unreachable: NDArray  # bool: no single criterion reaches the tier above

    def at(self, positions: Sequence[int]) -> Explanation:
        """The explanation of the rows at ``positions`` only (an owner's workbook of ``kactier split``)."""
        at = list(positions)
        picked: dict[str, Any] = {
            f.name: value[at] if isinstance(value := getattr(self, f.name), np.ndarray) else value
            for f in fields(self)
        }
        return Explanation(**picked)


def explain_grades(table: CustomerTable, scores: Scores, grades: Grades, config: Config) -> Explanation:
    """Why, points to next tier and best lever of every graded row; see the module docstring for the rules."""
    keys = [c.key for c in config.criteria]
    points = scores.points[keys].to_numpy(dtype=float)
    weights = np.asarray([scores.weights[k] for k in keys], dtype=float)
    tier = np.asarray(grades.tier, dtype=np.int64)
    reasons, reason_points, reason_above = _reasons(points, weights, tier, len(config.tiers.levels))
    by_value = config.tiers.uses_value
    codes = _group_codes(grades)
    gap, target = _gaps(order_keys(table, scores, config), scores, grades, config, codes)
    value = share = None
    if by_value:
        value = order_keys(table, scores, config)
        share = _value_share(value, tier >= 0, codes)
        lever = np.where(np.isnan(gap), NO_CRITERION, LEVER_VALUE)
        lever_gain, lever_to = gap.copy(), np.full(len(gap), np.nan)
        approximate, unreachable = ~np.isnan(gap), np.zeros(len(gap), dtype=bool)
    else:
        product = np.asarray(scores.score) if config.aggregation == "weighted-product" else None
        lever, lever_gain, lever_to, unreachable = _levers(points, weights, gap, product)
        approximate = _approximate(points, lever, config)
    return Explanation(
        by_value,
        grades.groups is not None,
        tier,
        reasons,
        reason_points,
        reason_above,
        value,
        share,
        gap,
        target,
        lever,
        lever_gain,
        lever_to,
        approximate,
        unreachable,
    )


def tier_means(points: NDArray, tier: NDArray, levels: int) -> NDArray:
    """Mean points of each criterion (columns) per tier (rows) over the customers with a value; NaN when none."""
    present = ~np.isnan(points)
    filled = np.where(present, points, 0.0)
    means = np.full((levels, points.shape[1]), np.nan)
    for t in range(levels):
        members = tier == t
        counts = present[members].sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            means[t] = np.where(counts > 0, filled[members].sum(axis=0) / counts, np.nan)
    return means


def _reasons(
    points: NDArray, weights: NDArray, tier: NDArray, levels: int
) -> tuple[NDArray, NDArray, NDArray]:
    """The two criteria with the largest ``|points − tier mean|·weight`` per row, their points and their sign."""
    n, m = points.shape
    means = tier_means(points, tier, levels)
    graded = tier >= 0
    deviation = points - means[np.where(graded, tier, 0)]
    strength = np.abs(deviation) * weights
    strength = np.where(np.isnan(strength) | ~graded[:, None], -1.0, strength)
    if m < REASONS:  # one criterion: pad with a column that is never chosen
        strength = np.column_stack([strength, np.full((n, REASONS - m), -1.0)])
        deviation = np.column_stack([deviation, np.zeros((n, REASONS - m))])
        points = np.column_stack([points, np.full((n, REASONS - m), np.nan)])
    order = np.argsort(-strength, axis=1, kind="stable")[:, :REASONS]
    chosen = np.take_along_axis(strength, order, axis=1)
    reasons = np.where(chosen > _TINY, order, NO_CRITERION)
    return (
        reasons,
        np.take_along_axis(points, order, axis=1),
        np.take_along_axis(deviation, order, axis=1) > 0,
    )


def _group_codes(grades: Grades) -> NDArray:
    """A group number per row (0 for everyone without ``group_by``)."""
    if grades.groups is None:
        return np.zeros(len(grades.tier), dtype=np.int64)
    return np.unique(np.asarray(grades.groups.values, dtype=object), return_inverse=True)[1].astype(np.int64)


def _gaps(
    keys: NDArray, scores: Scores, grades: Grades, config: Config, codes: NDArray
) -> tuple[NDArray, NDArray]:
    """Points (or value) to the tier above and that tier, per row: NaN / −1 where blank (module docstring)."""
    computed = np.asarray(grades.computed, dtype=np.int64)
    moved = grades.moved if grades.moved is not None else np.zeros(len(computed), dtype=bool)
    eligible = (computed > 0) & (grades.tier >= 0) & ~grades.overridden & ~moved
    target = np.full(len(computed), -1, dtype=np.int64)
    boundary = np.full(len(computed), np.nan)
    if config.tiers.method == "thresholds":
        minimums = np.asarray([lv.min_score for lv in config.tiers.levels[:-1]], dtype=float)
        target = np.where(eligible, computed - 1, -1)
        boundary = np.where(eligible, minimums[np.maximum(target, 0)], np.nan)
    else:
        lowest = _lowest_per_tier(keys, computed, codes, len(config.tiers.levels))
        for step in range(1, len(config.tiers.levels)):
            above = computed - step
            found = lowest[codes, np.maximum(above, 0)]
            take = eligible & (target < 0) & (above >= 0) & ~np.isnan(found)
            target = np.where(take, above, target)
            boundary = np.where(take, found, boundary)
    gap = boundary - keys
    decimals = 2 if config.tiers.uses_value else config.score_decimals
    return np.where(target >= 0, round_half_up(gap, decimals), np.nan), target


def _lowest_per_tier(keys: NDArray, computed: NDArray, codes: NDArray, levels: int) -> NDArray:
    """The lowest key of each (group, tier): the boundary customer's score or value; NaN for an empty tier."""
    graded = computed >= 0
    lowest = np.full((int(codes.max(initial=0)) + 1, levels), np.inf)
    np.minimum.at(lowest, (codes[graded], computed[graded]), keys[graded])
    return np.where(np.isinf(lowest), np.nan, lowest)


def _value_share(value: NDArray, graded: NDArray, codes: NDArray) -> NDArray:
    """Each graded customer's value as a share of its group's total (NaN when the total is 0 or not graded)."""
    present = np.where(graded & ~np.isnan(value), value, 0.0)
    totals = np.bincount(codes, weights=present)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = present / totals[codes]
    return np.where(graded & (totals[codes] > 0), share, np.nan)


def _levers(
    points: NDArray, weights: NDArray, gap: NDArray, product: NDArray | None
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """The criterion needing the fewest points to close ``gap``, those points, the points after, and the rows no
    single criterion can close it for. With ``product`` (the scores of a weighted product ``S = Π s_j^(w_j/W)``),
    criterion *j* must grow by the factor ``((S + g)/S)^(W/w_j)`` instead."""
    counted = ~np.isnan(points)
    total = np.where(counted, weights, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        exponent = total[:, None] / weights[None, :]
        if product is None:
            needed = gap[:, None] * exponent
        else:
            factor = ((product + gap) / product)[:, None] ** exponent
            needed = np.maximum(points, PRODUCT_FLOOR) * factor - points
    room = 100.0 - points
    fits = counted & (weights[None, :] > 0) & (room > _TINY) & (needed <= room + _TINY)
    fits &= ~np.isnan(gap)[:, None]
    cost = np.where(fits, needed, np.inf)
    best = np.argmin(cost, axis=1)  # a config has at least one criterion
    rows = np.arange(len(gap))
    found = np.isfinite(cost[rows, best])
    raw = np.where(found, cost[rows, best], np.nan)
    gain = np.minimum(np.ceil(np.round(raw * 10.0, 6)) / 10.0, np.where(found, room[rows, best], np.nan))
    lever = np.where(found, best, NO_CRITERION)
    after = np.where(found, points[rows, best] + gain, np.nan)
    return lever, np.where(found, gain, np.nan), after, ~np.isnan(gap) & ~found


def _approximate(points: NDArray, lever: NDArray, config: Config) -> NDArray:
    """True where the lever's points are approximate (module docstring)."""
    has = lever >= 0
    if not has.any():
        return np.zeros(len(lever), dtype=bool)
    if config.weights in ("entropy", "critic") or config.aggregation != "weighted-sum":
        return has
    steps = np.asarray([c.normalize in _APPROXIMATE_NORMALIZE for c in config.criteria])
    ranged = np.asarray([c.normalize in ("minmax", "log-minmax") for c in config.criteria])
    index = np.maximum(lever, 0)
    at_minimum = points[np.arange(len(lever)), index] <= _TINY
    return has & (steps[index] | (ranged[index] & at_minimum))
