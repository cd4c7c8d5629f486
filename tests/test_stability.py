"""Tier stability shortcuts (issue 17 item 4): the quantile shortcut and TOPSIS give exactly what a plain loop over the
same draws gives, through the engine's own composite, rounding and tier functions."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from kactier.config.presets import load_preset
from kactier.scoring.aggregate import PRODUCT_FLOOR, topsis
from kactier.scoring.engine import round_half_up
from kactier.tiering.methods import quantile_tiers, threshold_tiers
from kactier.tiering.stability import tier_stability, weight_draws, weight_factors
from kactier.tiering.stability_quantile import composite_bounds, kept_quantile, raw_sums

NDArray = np.ndarray[Any, Any]
SHARES = [0.2, 0.3]


def plain_composites(points: NDArray, weights: NDArray, product: bool, decimals: int) -> NDArray:
    """The engine's formula for one weight vector, row by row over the criteria present."""
    present = ~np.isnan(points)
    used = np.where(present, weights[None, :], 0.0)
    if product:
        logs = np.log(np.maximum(np.where(present, points, PRODUCT_FLOOR), PRODUCT_FLOOR))
        value = np.exp((logs * used).sum(axis=1) / used.sum(axis=1))
    else:
        value = np.where(present, points * used, 0.0).sum(axis=1) / used.sum(axis=1)
    return np.asarray(round_half_up(value, decimals))


def plain_kept(points: NDArray, drawn: NDArray, codes: NDArray, product: bool, decimals: int) -> NDArray:
    """Per row: the draws whose quantile tier, within its group, is the tier under the first draw."""
    ids = [f"R{i:05d}" for i in range(len(points))]

    def tiers(weights: NDArray) -> NDArray:
        scores = plain_composites(points, weights, product, decimals)
        out = np.zeros(len(points), dtype=np.int64)
        for code in np.unique(codes):
            group = np.flatnonzero(codes == code)
            out[group] = quantile_tiers(scores[group], [ids[i] for i in group], SHARES)
        return out

    computed = tiers(drawn[0])
    kept = np.zeros(len(points), dtype=np.int64)
    for weights in drawn:
        kept += tiers(weights) == computed
    return kept


def tied_points(seed: int, rows: int) -> NDArray:
    """Points with many ties (a few values repeat, whole rows repeat) and criteria not counted (NaN)."""
    rng = np.random.default_rng(seed)
    points = rng.choice([0.0, 35.0, 50.0, 62.5, 70.0, 85.0, 85.0, 100.0], size=(rows, 4))
    points[: rows // 5] = points[rows // 5 : 2 * (rows // 5)]  # repeated customers: equal in every draw
    points[:, 1] += rng.integers(0, 40, size=rows) / 4  # values on the rounding grid and between
    points[rng.random(points.shape) < 0.08] = np.nan
    points[np.isnan(points).all(axis=1), 0] = 60.0  # every row counts at least one criterion
    return points


@pytest.mark.parametrize("product", [False, True])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_quantile_shortcut_never_changes_a_result(product: bool, decimals: int) -> None:
    points = tied_points(11 + decimals, 700)
    weights = np.asarray([0.4, 0.3, 0.2, 0.1])
    draws = 120
    drawn = weight_draws(weights, draws)
    drawn[0] = weights  # the run's own weights: the computed tiers
    factors = weight_factors(4, draws)
    factors[0] = 1.0
    codes = np.random.default_rng(2).integers(0, 3, size=len(points))
    codes[:5] = 3  # a group of five: its B tier is empty (5 × 0.3 rounds to 2, 5 × 0.2 to 1)
    expected = plain_kept(points, drawn, codes, product, decimals)
    scores = plain_composites(points, weights, product, decimals)
    computed = np.zeros(len(points), dtype=np.int64)
    for code in np.unique(codes):
        group = np.flatnonzero(codes == code)
        computed[group] = quantile_tiers(scores[group], [f"{i}" for i in group], SHARES)

    asked: list[int] = []
    raw = raw_sums(points, product)

    def counted(rows: NDArray, chunk: NDArray) -> NDArray:
        asked.append(rows.size)
        return raw(rows, chunk)

    bounds = composite_bounds(points, weights, factors, product)
    shortcut = kept_quantile(counted, bounds, drawn, computed, (codes, SHARES), decimals)
    unknown = (np.full(len(points), -np.inf), np.full(len(points), np.inf))
    every = kept_quantile(raw, unknown, drawn, computed, (codes, SHARES), decimals)
    assert shortcut.tolist() == expected.tolist()
    assert every.tolist() == expected.tolist()
    assert 0 < (expected < draws).sum() < len(points) / 2  # some customers move, most do not
    assert max(asked) < len(points) / 2  # most customers skip the draws


@pytest.mark.parametrize("product", [False, True])
def test_composite_bounds_hold_every_draw(product: bool) -> None:
    points = tied_points(4, 2000)
    weights = np.asarray([0.1, 0.2, 0.3, 0.4])
    factors = weight_factors(4, 500, seed=9)
    drawn = factors * weights / (factors * weights).sum(axis=1, keepdims=True)
    raw = raw_sums(points, product)(np.arange(len(points)), drawn)
    low, high = composite_bounds(points, weights, factors, product)
    assert (raw.min(axis=0) >= low).all()
    assert (raw.max(axis=0) <= high).all()
    # the bound is the box's own extreme: no more than a few points wider than the draws reach
    assert np.median((high - low) / np.maximum(raw.max(axis=0) - raw.min(axis=0), 1e-9)) < 1.6


def test_quantile_ties_after_rounding_join_the_better_tier() -> None:
    # constant rows score the same in every draw: 70.4 → 70 is the top customer (5 × 20% = 1), and 69.6 also
    # rounds to 70, so it joins A although its unrounded score is below every draw's boundary; 5 × 50% = 2.5 → 3
    # (to one decimal 69.6 is B: the tier given is then kept by no draw)
    points = np.repeat(np.asarray([[70.4], [69.6], [50.0], [40.0], [30.0]]), 4, axis=1)
    weights = np.asarray([0.4, 0.3, 0.2, 0.1])
    drawn, factors = weight_draws(weights, 50), weight_factors(4, 50)
    computed = np.asarray([0, 0, 1, 2, 2])
    bounds = composite_bounds(points, weights, factors, False)
    groups = (np.zeros(5, dtype=np.int64), SHARES)
    raw = raw_sums(points, False)
    assert kept_quantile(raw, bounds, drawn, computed, groups, 0).tolist() == [50] * 5
    assert kept_quantile(raw, bounds, drawn, computed, groups, 1).tolist() == [50, 0, 50, 50, 50]


def topsis_config(method: str) -> Any:
    from test_explain import config_of

    config = (
        load_preset("key-account") if method == "thresholds" else config_of("quantile", group_by="region")
    )
    return config.model_copy(update={"aggregation": "topsis"})


@pytest.mark.parametrize("method", ["thresholds", "quantile"])
def test_topsis_stability_matches_the_engine_per_draw(method: str) -> None:
    from test_explain import graded

    rng = random.Random(8)
    rows = [
        [f"T{i:02d}", f"客户{i}", *(rng.choice([rng.randint(40, 100), 85, 70, None]) for _ in range(5)),
         rng.choice(["东", "西"]), 1]
        for i in range(80)
    ]  # fmt: skip
    config = topsis_config(method)
    _, scores, grades = graded(rows, config)
    given = scores.topsis
    assert given is not None
    ids = [str(r[0]) for r in rows]
    keys = [c.key for c in config.criteria]
    regions = np.asarray([r[7] for r in rows])
    kept = np.zeros(len(rows))
    for weights in weight_draws(np.asarray([scores.weights[k] for k in keys]), 200):
        closeness = topsis(given.values, given.higher, given.counts, weights).score
        composite = round_half_up(closeness, config.score_decimals)
        if method == "thresholds":
            tiers = threshold_tiers(composite, [85, 70])
        else:
            tiers = np.zeros(len(rows), dtype=np.int64)
            for region in ("东", "西"):
                at = np.flatnonzero(regions == region)
                tiers[at] = quantile_tiers(
                    composite[at], [ids[i] for i in at], config.tiers.effective_shares()
                )
        kept += np.where(np.asarray(grades.computed) >= 0, tiers == grades.computed, False)
    found = tier_stability(scores, grades, config, 200)
    graded_rows = np.asarray(grades.computed) >= 0
    assert found.share[graded_rows].tolist() == pytest.approx((kept / 200)[graded_rows].tolist(), abs=1e-12)
    assert 0 < (found.share[graded_rows] < 1).sum() < graded_rows.sum()
    assert not found.not_computed


def topsis_input(seed: int, rows: int) -> Any:
    """TOPSIS input with ties (few values, repeated customers), a customer at the ideal and one at the
    anti-ideal, a column every customer has equal, criteria not counted and a customer tied in every draw (it
    counts only the equal column)."""
    from kactier.scoring.aggregate import TopsisInput

    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, 12.5, 40.0, 55.0, 55.0, 80.0, 100.0], size=(rows, 4))
    values[:, 1] += rng.integers(0, 8, size=rows) * 2.5
    values[: rows // 6] = values[rows // 6 : 2 * (rows // 6)]  # repeated customers
    values[:, 3] = 30.0  # all equal: no distance to either end
    higher = np.asarray([True, False, True, True])
    counts = rng.random(values.shape) > 0.07
    counts[:, 0] |= ~counts.any(axis=1)
    values[0] = [100.0, 0.0, 100.0, 30.0]  # the ideal on every criterion
    values[1] = [0.0, 117.5, 0.0, 30.0]  # the anti-ideal on every criterion
    counts[:2] = True
    counts[2] = [False, False, False, True]  # only the equal column: D⁺ = D⁻ = 0
    return TopsisInput(values, higher, counts)


def topsis_draws(draws: int) -> tuple[NDArray, NDArray, NDArray]:
    """The run's weights and ``draws`` drawn vectors with their factors, the first draw being the run's own."""
    weights = np.asarray([0.35, 0.3, 0.2, 0.15])
    factors = weight_factors(4, draws, seed=5)
    factors[0] = 1.0
    drawn = factors * weights / (factors * weights).sum(axis=1, keepdims=True)
    return weights, factors, drawn


def engine_topsis(given: Any, weights: NDArray, decimals: int) -> NDArray:
    """The engine's own TOPSIS score for one weight vector, rounded as the engine rounds it."""
    return np.asarray(
        round_half_up(topsis(given.values, given.higher, given.counts, weights).score, decimals)
    )


def test_topsis_bounds_hold_every_draw() -> None:
    from kactier.tiering.stability_topsis import raw_topsis, topsis_bounds

    given = topsis_input(3, 1500)
    weights, factors, drawn = topsis_draws(400)
    rows = np.arange(1500)
    raw = raw_topsis(given, rows)(rows, drawn)
    low, high = topsis_bounds(given, rows, weights, factors)
    assert (raw.min(axis=0) >= low).all()
    assert (raw.max(axis=0) <= high).all()
    assert raw[:, 0].tolist() == [100.0] * 400  # the ideal
    assert raw[:, 1].tolist() == [0.0] * 400  # the anti-ideal
    assert raw[:, 2].tolist() == [50.0] * 400  # tied
    assert low[2] <= 50.0 <= high[2]
    assert high[2] - low[2] < 1e-6
    assert (high[:2] - low[:2] < 1e-3).all()  # the two ends do not move
    # the bound is the box's own extreme, not the product of separate bounds on D⁺ and D⁻
    assert np.median((high - low) / np.maximum(raw.max(axis=0) - raw.min(axis=0), 1e-9)) < 1.6


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_topsis_thresholds_shortcut_never_changes_a_result(decimals: int) -> None:
    from kactier.tiering import stability
    from kactier.tiering.stability_topsis import raw_topsis, topsis_bounds

    given = topsis_input(7 + decimals, 900)
    weights, factors, drawn = topsis_draws(150)
    minimums = [62.0, 45.0]
    computed = threshold_tiers(engine_topsis(given, weights, decimals), minimums)
    expected = np.zeros(900, dtype=np.int64)
    for vector in drawn:
        expected += threshold_tiers(engine_topsis(given, vector, decimals), minimums) == computed
    rows = np.arange(900)
    how = stability._Aggregate(False, decimals)
    sure = stability.within_cuts(topsis_bounds(given, rows, weights, factors), computed, minimums, decimals)
    near = np.flatnonzero(~sure)
    shortcut = np.full(900, 150, dtype=np.int64)
    shortcut[near] = stability._kept_thresholds(
        given.values[near], drawn, computed[near], minimums, how, raw_topsis(given, near)
    )
    every = stability._kept_thresholds(given.values, drawn, computed, minimums, how, raw_topsis(given, rows))
    assert shortcut.tolist() == expected.tolist()
    assert every.tolist() == expected.tolist()
    assert 0 < (expected < 150).sum() < 900 / 2  # some customers move, most do not
    assert sure.sum() > 900 / 2  # most customers skip the draws
    assert sure[[0, 1, 2]].all()  # the ideal, the anti-ideal and the tied customer never move


@pytest.mark.parametrize("decimals", [0, 1])
def test_topsis_quantile_shortcut_never_changes_a_result(decimals: int) -> None:
    from kactier.tiering.stability_topsis import raw_topsis, topsis_bounds

    given = topsis_input(21 + decimals, 800)
    weights, factors, drawn = topsis_draws(120)
    codes = np.random.default_rng(4).integers(0, 3, size=800)
    codes[3:8] = 3  # a group of five: its B tier is empty
    ids = [f"{i}" for i in range(800)]

    def tiers(vector: NDArray) -> NDArray:
        scores = engine_topsis(given, vector, decimals)
        out = np.zeros(800, dtype=np.int64)
        for code in np.unique(codes):
            group = np.flatnonzero(codes == code)
            out[group] = quantile_tiers(scores[group], [ids[i] for i in group], SHARES)
        return out

    computed = tiers(weights)
    expected = np.zeros(800, dtype=np.int64)
    for vector in drawn:
        expected += tiers(vector) == computed
    rows = np.arange(800)
    asked: list[int] = []
    raw = raw_topsis(given, rows)

    def counted(at: NDArray, chunk: NDArray) -> NDArray:
        asked.append(at.size)
        return raw(at, chunk)

    bounds = topsis_bounds(given, rows, weights, factors)
    shortcut = kept_quantile(counted, bounds, drawn, computed, (codes, SHARES), decimals)
    unknown = (np.full(800, -np.inf), np.full(800, np.inf))
    every = kept_quantile(raw, unknown, drawn, computed, (codes, SHARES), decimals)
    assert shortcut.tolist() == expected.tolist()
    assert every.tolist() == expected.tolist()
    assert 0 < (expected < 120).sum() < 800 / 2
    # TOPSIS moves these customers by about ten points, so only the ends of the ranking skip the draws
    assert sum(asked) < 800 * 0.8
