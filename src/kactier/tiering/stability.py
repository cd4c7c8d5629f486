"""Tier stability (级别稳定度): the share of perturbed weight vectors under which a customer keeps its tier.

- Draws: ``N`` weight vectors (default :data:`DEFAULT_DRAWS`), each weight of the run (as used: manual, AHP or
  computed) times its own factor drawn uniformly from [0.8, 1.2], then renormalised to sum 1. The generator is
  seeded (:data:`SEED`), so the same input and config give the same cells, run after run and in any row order.
- Under each draw the composite is recomputed as the engine does (``Σ_j w_j·s_ij / Σ_j w_j`` over the criteria
  counted for the row, rounded half up to ``score_decimals``) from the same 0–100 points, and the tier method is
  applied again: ``thresholds`` on the minimums, ``quantile`` on each draw's ranking (within each group with
  ``group_by``, with the same tie rule: equal scores join the better tier).
- "Keeps its tier" means the tier method's own tier (``Grades.computed``, before overrides and capacity caps) is
  the same as under the run's weights. Overrides are shown the stability of the tier their score gives; capacity
  caps are not re-applied per draw (a cap moves customers by rank, not by weight, and would need a pass per group
  per draw).
- Tiers by value (``pareto``, ``computed-abc``) do not depend on the weights: no share is computed and the column
  says so. Under ``aggregation = "topsis"`` each draw's closeness is recomputed from the engine's TOPSIS input
  (``Scores.topsis``: two matrix products, :mod:`.stability_topsis`), and each customer's closeness is bounded
  over every draw (:func:`~.stability_topsis.topsis_bounds`); the weighted product is recomputed as the engine
  computes it.
- Customers with a share below :data:`BORDERLINE` are borderline (临界).

The work is vectorised over customers × draws and chunked so that one chunk holds at most :data:`CHUNK_CELLS`
composites (thresholds: chunks of rows, every draw at once; quantile: chunks of draws). Both skip the customers no
draw can move: under thresholds those far from a minimum (:func:`sure_to_keep`; TOPSIS: those whose bounded
closeness stays between their tier's cuts, :func:`within_cuts`), under quantile those whose interval over every
draw stays clear of every draw's boundary (:mod:`.stability_quantile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config.models import Config
from ..scoring.aggregate import PRODUCT_FLOOR
from ..scoring.engine import Scores, round_half_up
from .grade import Grades
from .methods import threshold_tiers
from .stability_quantile import RawComposites, composite_bounds, kept_quantile, raw_sums
from .stability_topsis import raw_topsis, topsis_bounds

NDArray = np.ndarray[Any, Any]
DEFAULT_DRAWS = 1000
MAX_DRAWS = 100_000
SEED = 17
SPREAD = 0.2  # each weight × U(1 − SPREAD, 1 + SPREAD)
BORDERLINE = 0.8
CHUNK_CELLS = 2_000_000  # composites per chunk: 16 MB of float64
_NOISE = (
    1e-7  # relative distance to a rounding cut within which a composite is rounded as the engine rounds it
)


@dataclass(frozen=True, slots=True)
class Stability:
    """The share of draws that keep each row's tier (NaN: not graded, or tiers by value)."""

    draws: int
    share: NDArray
    by_value: bool
    not_computed: bool = False  # tiers by score but no share (every aggregation is computed now)

    @property
    def borderline(self) -> NDArray:
        """True where the share is below :data:`BORDERLINE`."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.share < BORDERLINE)


def weight_factors(criteria: int, draws: int, seed: int = SEED) -> NDArray:
    """``draws`` × ``criteria`` factors, each uniform in [0.8, 1.2] (seeded)."""
    rng = np.random.default_rng(seed)
    return np.asarray(rng.uniform(1.0 - SPREAD, 1.0 + SPREAD, size=(draws, criteria)))


def weight_draws(weights: NDArray, draws: int, seed: int = SEED) -> NDArray:
    """``draws`` × criteria weight vectors: each weight × U(0.8, 1.2), each row renormalised to sum 1."""
    drawn = weight_factors(len(weights), draws, seed) * np.asarray(weights, dtype=float)[None, :]
    return np.asarray(drawn / drawn.sum(axis=1, keepdims=True))


def tier_stability(scores: Scores, grades: Grades, config: Config, draws: int = DEFAULT_DRAWS) -> Stability:
    """The share of ``draws`` perturbed weight vectors under which each customer keeps its computed tier."""
    n = len(grades.tier)
    share = np.full(n, np.nan)
    if config.tiers.uses_value:
        return Stability(draws, share, True)
    rows = np.flatnonzero(np.asarray(grades.computed) >= 0)
    if rows.size == 0:
        return Stability(draws, share, False)
    keys = [c.key for c in config.criteria]
    points = scores.points[keys].to_numpy(dtype=float)[rows]
    weights = np.asarray([scores.weights[k] for k in keys], dtype=float)
    drawn = weight_draws(weights, draws)
    computed = np.asarray(grades.computed, dtype=np.int64)[rows]
    how = _Aggregate.of(config)
    given = scores.topsis if config.aggregation == "topsis" else None
    factors = weight_factors(len(keys), draws)
    if config.tiers.method == "thresholds":
        minimums = [float(lv.min_score) for lv in config.tiers.levels[:-1] if lv.min_score is not None]
        if given is None:
            sure = sure_to_keep(points, weights, computed, minimums, how, moved_by(drawn, weights))
        else:
            sure = within_cuts(topsis_bounds(given, rows, weights, factors), computed, minimums, how.decimals)
        kept = np.full(rows.size, draws, dtype=np.int64)
        near = np.flatnonzero(~sure)
        raw = None if given is None else raw_topsis(given, rows[near])
        kept[near] = _kept_thresholds(points[near], drawn, computed[near], minimums, how, raw)
    else:
        codes = np.zeros(rows.size, dtype=np.int64)
        if grades.groups is not None:
            codes = np.unique(np.asarray(grades.groups.values, dtype=object)[rows], return_inverse=True)[1]
        if given is None:
            raw, bounds = (
                raw_sums(points, how.product),
                composite_bounds(points, weights, factors, how.product),
            )
        else:
            raw, bounds = raw_topsis(given, rows), topsis_bounds(given, rows, weights, factors)
        grouping = (codes, config.tiers.effective_shares())
        kept = kept_quantile(raw, bounds, drawn, computed, grouping, how.decimals)
    share[rows] = kept / draws
    return Stability(draws, share, False)


@dataclass(frozen=True, slots=True)
class _Aggregate:
    """How a draw's composites are made: the config's aggregation and rounding."""

    product: bool
    decimals: int

    @classmethod
    def of(cls, config: Config) -> _Aggregate:
        return cls(config.aggregation == "weighted-product", config.score_decimals)


def composites(points: NDArray, drawn: NDArray, decimals: int | None, *, product: bool = False) -> NDArray:
    """Rows × draws composite scores, rounded as the engine rounds them (``decimals`` None: not rounded).

    ``points`` are the 0–100 points (NaN where a criterion is not counted for the row: ``exclude``). The weighted
    sum ``Σ w·s / Σ w``, or with ``product`` the weighted product ``exp(Σ w·ln max(s, 1) / Σ w)`` (the floor of
    :data:`~kactier.scoring.aggregate.PRODUCT_FLOOR`).
    """
    present = ~np.isnan(points)
    if product:
        filled = np.where(present, np.log(np.maximum(np.where(present, points, 1.0), PRODUCT_FLOOR)), 0.0)
    else:
        filled = np.where(present, points, 0.0)
    total = filled @ drawn.T
    if not present.all():
        total /= present.astype(float) @ drawn.T
    total = np.exp(total) if product else total
    return total if decimals is None else round_half_up(total, decimals)


def moved_by(drawn: NDArray, weights: NDArray) -> NDArray:
    """The largest relative change of each weight over the ``drawn`` vectors: ``max_k |w_kj / w_j − 1|`` (0.5 at
    most; 0 for a weight of 0, which stays 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(drawn / weights[None, :] - 1.0)
    return np.asarray(np.where(weights > 0, ratio.max(axis=0, initial=0.0), 0.0))


def sure_to_keep(
    points: NDArray,
    weights: NDArray,
    computed: NDArray,
    minimums: list[float],
    how: _Aggregate,
    moved: NDArray | None = None,
) -> NDArray:
    """Rows whose tier no draw can change, found without drawing: under fixed minimums only customers near a
    minimum need the draws.

    A factor in [0.8, 1.2] and the renormalisation move each effective weight ``ŵ_j`` (over the criteria counted
    for the row) by at most half of it (``ŵ'_j/ŵ_j`` lies in [0.8/1.2, 1.2/0.8]), so a draw moves the unrounded
    composite ``c = Σ ŵ_j·s_j`` by at most ``Σ |ŵ'_j − ŵ_j|·|s_j − c| ≤ 0.5·Σ ŵ_j·|s_j − c|`` (the weighted
    product: the same on ``ln max(s, 1)``). With ``moved`` (:func:`moved_by` of the draws) a row that counts every
    criterion uses ``Σ moved_j·ŵ_j·|s_j − c|``: its weights are the drawn ones. A row whose composite stays, by
    that bound and a margin of 1e-6, on the same side of each minimum's rounding cut (``minimum − ½`` of the last
    decimal) keeps its tier in every draw.
    """
    present = ~np.isnan(points)
    values = np.log(np.maximum(np.where(present, points, 1.0), PRODUCT_FLOOR)) if how.product else points
    filled = np.where(present, values, 0.0)
    effective = np.where(present, weights[None, :], 0.0)
    effective /= effective.sum(axis=1, keepdims=True)
    centre = (filled * effective).sum(axis=1)
    complete = np.asarray(present.all(axis=1))[:, None]
    spread = np.where(complete, moved if moved is not None else 0.5, 0.5)
    reach = (spread * effective * np.abs(filled - centre[:, None])).sum(axis=1)
    cuts = np.asarray(minimums, dtype=float) - 0.5 * 10.0**-how.decimals
    if how.product:
        with np.errstate(divide="ignore", invalid="ignore"):
            cuts = np.where(cuts > 0, np.log(np.maximum(cuts, 1e-300)), -np.inf)
    bounds = np.concatenate([[np.inf], cuts, [-np.inf]])  # tier t lies between bounds[t + 1] and bounds[t]
    margin = 1e-6 * np.maximum(1.0, np.abs(centre))
    return np.asarray(
        (centre - reach > bounds[computed + 1] + margin) & (centre + reach < bounds[computed] - margin)
    )


def within_cuts(
    bounds: tuple[NDArray, NDArray], computed: NDArray, minimums: list[float], decimals: int
) -> NDArray:
    """Rows whose composite interval over every draw (``bounds``, not rounded) lies inside their tier's rounding
    cuts, clear of each by the slack :func:`_kept_thresholds` leaves to the engine's rounding: every draw keeps
    their tier, exactly as :func:`_kept_thresholds` would count it."""
    cuts = np.asarray(minimums, dtype=float) - 0.5 * 10.0**-decimals
    edges = np.concatenate([[np.inf], cuts, [-np.inf]])  # tier t lies between edges[t + 1] and edges[t]
    low, high = edges[computed + 1], edges[computed]
    return np.asarray((bounds[0] > low + _slack(low)) & (bounds[1] < high - _slack(high)))


def _slack(bounds: NDArray) -> NDArray:
    """:data:`_NOISE` relative to each bound (0 for the infinite bounds of the first and last tier)."""
    finite = np.isfinite(bounds)
    return np.where(finite, _NOISE * np.maximum(1.0, np.abs(np.where(finite, bounds, 0.0))), 0.0)


def _kept_thresholds(
    points: NDArray,
    drawn: NDArray,
    computed: NDArray,
    minimums: list[float],
    how: _Aggregate,
    raw: RawComposites | None = None,
) -> NDArray:
    """Draws that keep each row's tier under fixed minimums, chunked by rows (composites from ``points``, or
    from ``raw`` given the rows' positions).

    A rounded score reaches a minimum exactly when the unrounded one reaches the minimum less half of the last
    decimal, so the unrounded composites are compared with those cuts; the few within 1e-7 of a cut, where float
    noise could decide, are rounded as the engine rounds and tiered by :func:`~.methods.threshold_tiers`.
    """
    cuts = np.asarray(minimums, dtype=float) - 0.5 * 10.0**-how.decimals
    bounds = np.concatenate([[np.inf], cuts, [-np.inf]])  # tier t lies between bounds[t + 1] and bounds[t]
    kept = np.zeros(len(points), dtype=np.int64)
    step = max(1, CHUNK_CELLS // max(len(drawn), 1))
    for start in range(0, len(points), step):
        rows = slice(start, start + step)
        if raw is None:
            scores = composites(points[rows], drawn, None, product=how.product)
        else:
            scores = raw(np.arange(len(points))[rows], drawn).T
        low, high = bounds[computed[rows] + 1][:, None], bounds[computed[rows]][:, None]
        slack_low = _slack(low)
        slack_high = _slack(high)
        inside = (scores > low + slack_low) & (scores < high - slack_high)
        near = ~inside & (scores > low - slack_low) & (scores < high + slack_high)
        count = inside.sum(axis=1)
        if near.any():
            at_row, at_draw = np.nonzero(near)
            exact = round_half_up(scores[at_row, at_draw], how.decimals)
            same = threshold_tiers(exact, minimums) == computed[rows][at_row]
            np.add.at(count, at_row, same.astype(np.int64))
        kept[rows] = count
    return kept
