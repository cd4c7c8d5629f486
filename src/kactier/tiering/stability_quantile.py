"""Tier stability under shares of customers (``quantile``): only the customers a draw can carry across a boundary
are ranked draw by draw.

A draw's boundary for a tier is the score at the tier's cumulative count ``K`` in that draw's ranking (the
``K``-th largest; customers equal to it join the better tier, as :func:`~.methods.quantile_tiers` has it). Each
row's composite over every draw lies in an interval ``[lo, hi]`` (:func:`composite_bounds`), so the ``K``-th
largest composite of every draw lies between the ``K``-th largest ``lo`` and the ``K``-th largest ``hi``. A row
whose rounded interval stays on one side of the boundary's rounded interval has the same answer in every draw.
The others are computed draw by draw, and a draw's boundary is found among the rows whose interval meets the
boundary's (the ``A`` rows surely above it are left out, so it is their ``(K − A)``-th largest). Rounding is
monotone, so the rounded boundary is the unrounded one rounded, and a rounded score is below it exactly when the
unrounded one is below the boundary less half of the last decimal (the few within 1e-7 of that cut are rounded
as the engine rounds them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..scoring.aggregate import PRODUCT_FLOOR
from ..scoring.engine import round_half_up
from .methods import quantile_counts

NDArray = np.ndarray[Any, Any]
RawComposites = Callable[[NDArray, NDArray], NDArray]  # (rows, drawn weights) -> draws × rows, not rounded
CHUNK_CELLS = 2_000_000  # composites per chunk: 16 MB of float64
NOISE = 1e-7  # relative distance to a cut within which a composite is rounded as the engine rounds it
_MARGIN = 1e-9  # relative widening of a bound, far above the float error of the sums


def raw_sums(points: NDArray, product: bool) -> RawComposites:
    """Draws × rows composites (not rounded) of the weighted sum, or with ``product`` the weighted product, as
    :func:`~.stability.composites` computes them."""
    present = ~np.isnan(points)
    filled = _values(points, present, product)
    complete = bool(present.all())

    def raw(rows: NDArray, drawn: NDArray) -> NDArray:
        total = drawn @ filled[rows].T
        if not complete:
            total /= drawn @ present[rows].T.astype(float)
        return np.exp(total) if product else total

    return raw


def _values(points: NDArray, present: NDArray, product: bool) -> NDArray:
    """What the composite averages: the points, or ``ln max(s, 1)`` for the weighted product; 0 where absent."""
    values = np.log(np.maximum(np.where(present, points, 1.0), PRODUCT_FLOOR)) if product else points
    return np.asarray(np.where(present, values, 0.0))


def composite_bounds(
    points: NDArray, weights: NDArray, factors: NDArray, product: bool
) -> tuple[NDArray, NDArray]:
    """Per row, the least and the greatest composite any weights ``w_j·f_j`` can give, each factor ``f_j`` within
    the range of column *j* of ``factors`` (the draws' factors): widened by 1e-9 relative.

    The composite ``Σ f_j·w_j·s_j / Σ f_j·w_j`` (over the criteria counted for the row; ``ln max(s, 1)`` for the
    weighted product) does not change when every factor is scaled, so the draws' renormalisation does not matter.
    It is greatest when the factors are highest on the criteria above it and lowest on those below, so it is the
    largest of the ``J + 1`` choices "highest on the ``t`` best criteria, lowest on the rest" (the least: the
    other way round).
    """
    present = ~np.isnan(points)
    filled = _values(points, present, product)
    bottom, top = ratio_bounds(
        filled, np.where(present, weights[None, :], 0.0), factors.min(axis=0), factors.max(axis=0)
    )
    if product:
        return np.exp(bottom), np.exp(top)
    return bottom, top


def ratio_bounds(
    values: NDArray, weights: NDArray, low_factor: NDArray, high_factor: NDArray, margin: float = _MARGIN
) -> tuple[NDArray, NDArray]:
    """Per row, the least and the greatest ``Σ f_j·w_ij·s_ij / Σ f_j·w_ij`` over factors ``f_j`` within
    ``[low_factor_j, high_factor_j]`` (``values`` s and ``weights`` w: rows × criteria, w ≥ 0, 0 where a criterion
    does not count), widened by ``margin`` relative: the extremes of the ``J + 1`` choices "highest on the ``t`` best
    criteria, lowest on the rest". A row with no weight gives NaN."""
    order = np.argsort(-values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    weight = np.take_along_axis(weights, order, axis=1)
    low, high = low_factor[order] * weight, high_factor[order] * weight

    def prefix(x: NDArray) -> NDArray:
        return np.concatenate([np.zeros((len(x), 1)), np.cumsum(x, axis=1)], axis=1)

    high_s, low_s, high_w, low_w = prefix(high * ordered), prefix(low * ordered), prefix(high), prefix(low)
    with np.errstate(invalid="ignore", divide="ignore"):
        greatest = (high_s + low_s[:, -1:] - low_s) / (high_w + low_w[:, -1:] - low_w)
        least = (low_s + high_s[:, -1:] - high_s) / (low_w + high_w[:, -1:] - high_w)
    top, bottom = np.fmax.reduce(greatest, axis=1), np.fmin.reduce(least, axis=1)
    top = top + margin * np.maximum(1.0, np.abs(top))
    bottom = bottom - margin * np.maximum(1.0, np.abs(bottom))
    return bottom, top


def kept_quantile(
    raw: RawComposites,
    bounds: tuple[NDArray, NDArray],
    drawn: NDArray,
    computed: NDArray,
    grouping: tuple[NDArray, list[float]],
    decimals: int,
) -> NDArray:
    """Draws (rows of ``drawn``) that keep each row's tier under shares of customers, within each group.

    ``raw`` gives the unrounded composites of some rows under some draws, ``bounds`` each row's interval over
    every draw (``−inf``/``inf``: unknown), ``computed`` the tier under the run's weights, ``grouping`` the group
    codes and the tier shares; composites are rounded to ``decimals`` as the engine rounds them.
    """
    codes, shares = grouping
    kept = np.zeros(len(computed), dtype=np.int64)
    for code in np.unique(codes):
        group = np.flatnonzero(codes == code)
        boxes = (bounds[0][group], bounds[1][group])
        kept[group] = _kept_in_group(raw, group, boxes, drawn, (computed[group], shares, decimals))
    return kept


def _kept_in_group(
    raw: RawComposites,
    group: NDArray,
    bounds: tuple[NDArray, NDArray],
    drawn: NDArray,
    task: tuple[NDArray, list[float], int],
) -> NDArray:
    """:func:`kept_quantile` for the rows ``group`` of one group."""
    computed, shares, decimals = task
    low, high = bounds
    m = len(group)
    counts = quantile_counts(m, shares)
    empty = int((counts == 0).sum())  # a tier nobody fits in: everyone is below its boundary
    fixed = np.full(m, empty, dtype=np.int64)
    need = np.zeros(m, dtype=bool)
    pools: list[tuple[int, NDArray]] = []
    rounded_low, rounded_high = round_half_up(low, decimals), round_half_up(high, decimals)
    for count in counts[counts > 0].tolist():
        least, greatest = np.partition(low, m - count)[m - count], np.partition(high, m - count)[m - count]
        meets = (low <= greatest) & (high >= least)  # may be the boundary of some draw
        above = int((low > greatest).sum())  # above the boundary in every draw, never equal to it
        below = rounded_high < round_half_up(least, decimals)  # below it in every draw, rounded
        open_ = ~below & (rounded_low < round_half_up(greatest, decimals))
        fixed += below
        need |= meets | open_
        pools.append((count - above, meets))
    kept = np.where(fixed == computed, len(drawn), 0).astype(np.int64)
    rows = np.flatnonzero(need)
    if rows.size == 0:
        return kept
    kept[rows] = 0
    pools = [(rank, np.flatnonzero(meets[rows])) for rank, meets in pools]
    step = max(1, CHUNK_CELLS // rows.size)
    for start in range(0, len(drawn), step):
        scores = raw(group[rows], drawn[start : start + step])
        tiers = np.full(scores.shape, empty, dtype=np.int64)
        for rank, pool in pools:  # the rows decided for this boundary come out the same when compared
            among = np.take(scores, pool, axis=1)
            boundary = round_half_up(np.partition(among, pool.size - rank, axis=1)[:, -rank], decimals)
            tiers += _below(scores, boundary, decimals)
        kept[rows] += (tiers == computed[rows][None, :]).sum(axis=0)
    return kept


def _below(scores: NDArray, boundary: NDArray, decimals: int) -> NDArray:
    """Draws × rows: the rounded score is below the draw's (rounded) boundary."""
    cut = (boundary - 0.5 * 10.0**-decimals)[:, None]
    slack = NOISE * np.maximum(1.0, np.abs(cut))
    below = scores < cut - slack
    near = ~below & (scores < cut + slack)
    if near.any():
        at_draw, at_row = np.nonzero(near)
        below[at_draw, at_row] = round_half_up(scores[at_draw, at_row], decimals) < boundary[at_draw]
    return below
