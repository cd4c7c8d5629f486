"""Tests for kactier.tiering: worked examples, boundaries, properties and errors."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar
from scipy.stats import percentileofscore

from kactier.errors import TieringError
from kactier.scoring.rank import competition_rank, percentile
from kactier.tiering import methods as tiering
from kactier.tiering.computed_abc import (
    ComputedAbc,
    _abc_points,
    _fmm_spline,
    _spline_eval,
    computed_abc_tiers,
)
from kactier.tiering.methods import MAX_TIERS, UNGRADED, pareto_tiers, quantile_tiers, threshold_tiers

NAN = math.nan

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Customers = tuple[list[str], Floats, Ints]


def ids_for(n: int) -> list[str]:
    return [f"C{i:03d}" for i in range(1, n + 1)]


def as_list(a: NDArray[np.integer]) -> list[int]:
    return [int(x) for x in a]


# ----------------------------------------------------------------------------------------------------
# hypothesis strategies

_ID = st.text(alphabet="abcXYZ09-_ä中\x00", min_size=1, max_size=4)


@st.composite
def customers(draw: st.DrawFn, values: st.SearchStrategy[float], max_size: int = 40) -> Customers:
    """Unique ids, matching values, and a permutation of the rows."""
    ids = draw(st.lists(_ID, min_size=0, max_size=max_size, unique=True))
    vals = draw(st.lists(values, min_size=len(ids), max_size=len(ids)))
    perm = draw(st.permutations(range(len(ids))))
    return ids, np.array(vals, dtype=np.float64), np.array(perm, dtype=np.int64)


# small integers make many ties; NaN and zeros appear too
_VALUE = st.one_of(
    st.integers(0, 6).map(float),
    st.floats(0, 1e6, allow_nan=False),
    st.just(NAN),
)
_SCORE = st.one_of(st.integers(-3, 3).map(float), st.floats(-1e6, 1e6, allow_nan=False), st.just(NAN))


def assert_order_independent(
    func: Callable[[Floats, list[str]], NDArray[np.generic]], ids: list[str], values: Floats, perm: Ints
) -> None:
    """Shuffling the rows gives the same tier to every (id, value) pair."""
    base = func(values, ids)
    shuffled = func(values[perm], [ids[i] for i in perm])
    assert np.array_equal(shuffled, base[perm], equal_nan=True)


# ----------------------------------------------------------------------------------------------------
# threshold_tiers


def test_threshold_worked_example() -> None:
    scores = np.array([90, 85, 84.9, 70, 69.99, NAN, 100, 0])
    assert as_list(threshold_tiers(scores, [85, 70])) == [0, 0, 1, 1, 2, UNGRADED, 0, 2]


def test_threshold_equal_score_belongs_to_higher_tier() -> None:
    assert as_list(threshold_tiers(np.array([85.0, 70.0]), [85, 70])) == [0, 1]


def test_threshold_weighted_score_that_rounds_just_below_minimum() -> None:
    # A customer with 85 on both criteria, weights 0.7/0.3: the weighted score is mathematically 85 but
    # numpy's dot product gives 84.99999999999999. The 1e-12 relative slack keeps it in A ...
    score = float(np.dot([0.7, 0.3], [85.0, 85.0]))
    assert score < 85.0
    assert as_list(threshold_tiers(np.array([score]), [85, 70])) == [0]
    # ... while a real shortfall stays below.
    assert as_list(threshold_tiers(np.array([85 - 1e-6, np.nextafter(70, 0)]), [85, 70])) == [1, 1]
    assert as_list(threshold_tiers(np.array([70 - 1e-9]), [85, 70])) == [2]


def test_threshold_two_and_seven_tiers_and_infinities() -> None:
    assert as_list(threshold_tiers(np.array([50.0, 49.0]), [50])) == [0, 1]
    mins = [90, 80, 70, 60, 50, 40]
    scores = np.array([95, 80, 75, 60, 45, 40, 10, np.inf, -np.inf])
    assert as_list(threshold_tiers(scores, mins)) == [0, 1, 2, 3, 5, 5, 6, 0, 6]


def test_threshold_empty_and_all_nan() -> None:
    assert threshold_tiers(np.array([]), [1]).shape == (0,)
    assert as_list(threshold_tiers(np.array([NAN, NAN]), [1])) == [-1, -1]
    assert threshold_tiers(np.array([1.0]), [1]).dtype == np.int64


@pytest.mark.parametrize(
    "minimums",
    [[70, 85], [85, 85], [85, NAN], [85, math.inf], [], [9, 8, 7, 6, 5, 4, 3]],
)
def test_threshold_bad_minimums(minimums: list[float]) -> None:
    with pytest.raises(TieringError):
        threshold_tiers(np.array([1.0]), minimums)


def test_threshold_rejects_two_dimensional_scores() -> None:
    with pytest.raises(TieringError, match="one-dimensional"):
        threshold_tiers(np.ones((2, 2)), [1])


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=30),
    raise_by=st.floats(0, 1e9),
    minimums=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=6, unique=True),
)
def test_threshold_raising_a_score_never_lowers_the_tier(
    scores: list[float], raise_by: float, minimums: list[float]
) -> None:
    mins = sorted(minimums, reverse=True)
    s = np.array(scores)
    before = threshold_tiers(s, mins)
    after = threshold_tiers(s + raise_by, mins)
    assert (after <= before).all()
    assert ((before >= 0) & (before < len(mins) + 1)).all()


# ----------------------------------------------------------------------------------------------------
# pareto_tiers


def test_pareto_worked_example_with_exact_cuts() -> None:
    # Constructed inventory-style example, total 10 000, already sorted:
    #   id    value  cum value  cum share
    #   C001  4000   4000       40.0 %
    #   C002  2500   6500       65.0 %
    #   C003  1500   8000       80.0 %   <- reaches 80 % exactly: last A
    #   C004   700   8700       87.0 %
    #   C005   500   9200       92.0 %
    #   C006   300   9500       95.0 %   <- reaches 95 % exactly: last B
    #   C007   200   9700       97.0 %
    #   C008   150   9850       98.5 %
    #   C009   100   9950       99.5 %
    #   C010    50  10000      100.0 %
    values = np.array([4000, 2500, 1500, 700, 500, 300, 200, 150, 100, 50], dtype=float)
    ids = ids_for(10)
    expected = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    assert as_list(pareto_tiers(values, ids)) == expected
    # row order does not matter
    rev = pareto_tiers(values[::-1], ids[::-1])
    assert as_list(rev[::-1]) == expected


def test_pareto_customer_crossing_the_cut_is_in_a() -> None:
    # cum shares: 60 %, 85 % (crosses 80 % -> A), 97 % (crosses 95 % -> B), 100 % -> C
    values = np.array([60.0, 25.0, 12.0, 3.0])
    assert as_list(pareto_tiers(values, ids_for(4))) == [0, 0, 1, 2]


def test_pareto_ties_across_the_cut_are_ordered_by_id() -> None:
    # 70 + 10 reaches 80 %: of the three customers with 10, the smallest id ("i") completes A.
    # j brings 90 %, k brings 100 % (>= 95 %) -> both B, although all three have the same value.
    values = np.array([10.0, 10.0, 70.0, 10.0])
    ids = ["k", "i", "top", "j"]
    assert as_list(pareto_tiers(values, ids)) == [1, 0, 0, 1]
    # string order, not numeric: "10" < "9"
    assert as_list(pareto_tiers(np.array([10.0, 70.0, 10.0, 10.0]), ["9", "0", "10", "8"])) == [1, 0, 0, 1]


def test_pareto_float_tolerance_keeps_exact_80_percent(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3.05 + 1.23 = 4.28 is exactly 80 % of 5.35, but in floating point the running sum falls a rounding
    # step short (plain sums: 3.05 + 1.23 == 4.279999999999999 and 0.8 * 5.35 == 4.28). The 1e-12 slack
    # keeps 1.07 out of A ...
    assert 3.05 + 1.23 < 0.8 * (3.05 + 1.23 + 1.07)
    values = np.array([3.05, 1.23, 1.07])
    assert as_list(pareto_tiers(values, ids_for(3))) == [0, 0, 1]
    # ... and it is the slack that does it
    monkeypatch.setattr(tiering, "_REL_TOL", 0.0)
    assert as_list(pareto_tiers(values, ids_for(3))) == [0, 0, 0]
    # another exact 80 %: 8.16 + 2.36 = 10.52 of 13.15
    monkeypatch.undo()
    assert as_list(pareto_tiers(np.array([8.16, 2.36, 1.74, 0.89]), ids_for(4))) == [0, 0, 1, 1]


def test_pareto_zero_values_go_to_last_tier() -> None:
    # the top customer already reaches 100 %; zeros would be "inside" nothing but still go last
    assert as_list(pareto_tiers(np.array([100.0, 0.0, 0.0]), ids_for(3))) == [0, 2, 2]
    # with a single cut of 100 %, A would otherwise run until the total is reached; zeros stay last
    assert as_list(pareto_tiers(np.array([0.0, 5.0, 5.0]), ["a", "b", "c"], cuts=[1.0])) == [1, 0, 0]
    assert as_list(pareto_tiers(np.array([0.0, 0.0]), ids_for(2))) == [2, 2]


def test_pareto_nan_is_ungraded_and_left_out_of_the_total() -> None:
    # 80 of 100 graded -> A; 20 brings 100 % -> B
    assert as_list(pareto_tiers(np.array([80.0, NAN, 20.0]), ids_for(3))) == [0, UNGRADED, 1]
    assert as_list(pareto_tiers(np.array([NAN, NAN]), ids_for(2))) == [UNGRADED, UNGRADED]
    assert pareto_tiers(np.array([]), []).shape == (0,)


def test_pareto_single_customer_and_all_equal() -> None:
    assert as_list(pareto_tiers(np.array([42.0]), ["x"])) == [0]
    # ten equal values: the 8th (by id) reaches 80 %, the 9th 90 %, the 10th 100 % (>= 95 %)
    assert as_list(pareto_tiers(np.full(10, 7.0), ids_for(10))) == [0] * 8 + [1, 1]


def test_pareto_extreme_magnitudes() -> None:
    # subnormal values: 0.8 * total would round to 2 of 3 equal customers (66.7 %) without scaling
    assert as_list(pareto_tiers(np.full(3, 5e-324), ids_for(3))) == [0, 0, 0]
    # values whose plain sum overflows to inf
    # (shares 45.5 %, 90.9 %, 100 %)
    assert as_list(pareto_tiers(np.array([1.5e308, 1.5e308, 3e307]), ids_for(3))) == [0, 0, 1]
    # 1e-320 is positive but negligible: the first customer alone reaches both cuts, the other is C
    assert as_list(pareto_tiers(np.array([1e6, 1e-320]), ids_for(2))) == [0, 2]
    # the 1e-12 slack at work: 1e6 alone is 100 % - 1e-324 %, which counts as reaching a 100 % cut
    assert as_list(pareto_tiers(np.array([1e-320, 1e6]), ids_for(2), cuts=[1.0])) == [1, 0]


def test_pareto_seven_tiers() -> None:
    # cum shares 50, 60, 70, 80, 90, 95, 100 % hit each cut exactly
    values = np.array([50, 10, 10, 10, 10, 5, 5], dtype=float)
    cuts = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    assert as_list(pareto_tiers(values, ids_for(7), cuts)) == [0, 1, 2, 3, 4, 5, 6]


def test_pareto_one_customer_can_cover_several_cuts() -> None:
    # 90 % at once: A; the next 5 % reaches 95 % -> B; the last one C.
    # 96 % at once covers both cuts: A, B stays empty, the rest C.
    values = np.array([90.0, 5.0, 5.0])
    assert as_list(pareto_tiers(values, ids_for(3))) == [0, 1, 2]
    assert as_list(pareto_tiers(np.array([96.0, 4.0]), ids_for(2))) == [0, 2]


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([1.0, -0.01], "negative"),
        ([1.0, math.inf], "finite"),
    ],
)
def test_pareto_rejects_bad_values(values: list[float], match: str) -> None:
    with pytest.raises(TieringError, match=match):
        pareto_tiers(np.array(values), ids_for(len(values)))


@pytest.mark.parametrize(
    "cuts",
    [[0.95, 0.8], [0.8, 0.8], [0.0, 0.5], [0.8, 1.2], [NAN], [], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]],
)
def test_pareto_rejects_bad_cuts(cuts: list[float]) -> None:
    with pytest.raises(TieringError):
        pareto_tiers(np.array([1.0]), ["a"], cuts)


def test_pareto_rejects_bad_ids() -> None:
    with pytest.raises(TieringError, match="unique"):
        pareto_tiers(np.array([1.0, 2.0, 3.0]), ["a", "b", "a"])
    with pytest.raises(TieringError, match="2 customer ids for 3 values"):
        pareto_tiers(np.array([1.0, 2.0, 3.0]), ["a", "b"])
    with pytest.raises(TieringError, match="strings"):
        pareto_tiers(np.array([1.0, 2.0]), ["a", 1])  # type: ignore[list-item]


def test_tiering_error_is_a_value_error() -> None:
    assert issubclass(TieringError, ValueError)


@settings(max_examples=300, deadline=None)
@given(data=customers(_VALUE))
def test_pareto_order_independent(data: Customers) -> None:
    ids, values, perm = data
    assert_order_independent(pareto_tiers, ids, values, perm)


def _share_minimal(values: Floats, tiers: Ints, upto: int, cut_num: int, cut_den: int) -> None:
    """Tiers 0..upto hold >= cut of the total, and dropping their last (smallest) member falls below.

    Exact integer arithmetic: values are integers, so float sums are exact and cut = num/den exactly.
    """
    total = int(values.sum())
    members = np.sort(values[(tiers >= 0) & (tiers <= upto)])[::-1].astype(np.int64)
    assert (members > 0).all()
    share = int(members.sum())
    assert share * cut_den >= cut_num * total
    assert (share - int(members[-1])) * cut_den < cut_num * total


@settings(max_examples=300, deadline=None)
@given(
    vals=st.lists(st.integers(0, 10**6), min_size=1, max_size=50).filter(lambda v: sum(v) > 0),
    names=st.randoms(use_true_random=False),
)
def test_pareto_a_and_b_are_the_smallest_sets_reaching_their_cuts(
    vals: list[int], names: random.Random
) -> None:
    values = np.array(vals, dtype=np.float64)
    ids = [f"id{i}" for i in range(len(vals))]
    names.shuffle(ids)
    tiers = pareto_tiers(values, ids)
    _share_minimal(values, tiers, 0, 80, 100)
    _share_minimal(values, tiers, 1, 95, 100)
    # zeros are last, every positive value is graded, order follows value
    assert (tiers[values == 0] == 2).all()
    pos = values > 0
    if pos.sum() > 1:
        hi, lo = np.meshgrid(values[pos], values[pos], indexing="ij")
        th, tl = np.meshgrid(tiers[pos], tiers[pos], indexing="ij")
        assert not ((hi > lo) & (th > tl)).any()  # a larger value never gets a worse tier


# ----------------------------------------------------------------------------------------------------
# quantile_tiers


def test_quantile_worked_example() -> None:
    scores = np.array([55, 91, 78, 62, 99, 40, 83, 70, 35, 66], dtype=float)
    # sorted: 99 91 | 83 78 70 | 66 62 55 40 35 ; 20 % of 10 = 2 -> A, 20+30 % = 5 -> A+B
    expected = {99: 0, 91: 0, 83: 1, 78: 1, 70: 1, 66: 2, 62: 2, 55: 2, 40: 2, 35: 2}
    tiers = quantile_tiers(scores, ids_for(10))
    assert as_list(tiers) == [expected[int(s)] for s in scores]


def test_quantile_ties_at_the_boundary_go_to_the_better_tier() -> None:
    scores = np.array([95, 90, 90, 80, 70, 60, 50, 40, 30, 20], dtype=float)
    # A should hold 2; the boundary customer has 90 and so has the 3rd -> A = 3.
    # A+B should hold 5; the boundary customer (5th) has 70, no tie -> B = 80, 70.
    assert as_list(quantile_tiers(scores, ids_for(10))) == [0, 0, 0, 1, 1, 2, 2, 2, 2, 2]
    # a tie can swallow the next tier entirely
    scores = np.array([95, 90, 90, 90, 90, 90, 50, 40, 30, 20], dtype=float)
    assert as_list(quantile_tiers(scores, ids_for(10))) == [0, 0, 0, 0, 0, 0, 2, 2, 2, 2]


def test_quantile_all_equal_is_all_best_tier() -> None:
    assert as_list(quantile_tiers(np.full(6, 3.0), ids_for(6))) == [0] * 6


def test_quantile_rounding_is_half_up_on_cumulative_shares() -> None:
    # n = 5: 10 % -> 0.5 -> 1 customer; 10 + 20 % -> 1.5 -> 2 customers in A+B
    scores = np.array([5, 4, 3, 2, 1], dtype=float)
    assert as_list(quantile_tiers(scores, ids_for(5), [0.1, 0.2])) == [0, 1, 2, 2, 2]
    # 10 * 0.35 is 3.4999999999999996 in floating point; it still rounds (half up) to 4
    scores = np.arange(10, 0, -1, dtype=float)
    assert as_list(quantile_tiers(scores, ids_for(10), [0.35])) == [0] * 4 + [1] * 6
    # n = 2: 20 % -> 0.4 -> 0 (A empty), 50 % -> 1
    assert as_list(quantile_tiers(np.array([10.0, 5.0]), ["a", "b"])) == [1, 2]
    # a single customer: 0.2 -> 0, 0.5 -> 1 (half up): B
    assert as_list(quantile_tiers(np.array([10.0]), ["a"])) == [1]


def test_quantile_nan_is_not_counted() -> None:
    scores = np.array([NAN, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, NAN])
    assert as_list(quantile_tiers(scores, ids_for(12))) == [-1, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, -1]


@pytest.mark.parametrize("shares", [[0.6, 0.5], [0.0, 0.3], [-0.1], [], [0.1] * 7, [NAN]])
def test_quantile_rejects_bad_shares(shares: list[float]) -> None:
    with pytest.raises(TieringError):
        quantile_tiers(np.array([1.0]), ["a"], shares)


def test_quantile_rejects_duplicate_ids() -> None:
    with pytest.raises(TieringError, match="unique"):
        quantile_tiers(np.array([1.0, 2.0]), ["a", "a"])


@settings(max_examples=300, deadline=None)
@given(data=customers(_SCORE), shares=st.sampled_from([(0.2, 0.3), (0.1,), (0.25, 0.25, 0.25), (0.5, 0.5)]))
def test_quantile_properties(data: Customers, shares: Sequence[float]) -> None:
    ids, scores, perm = data
    assert_order_independent(lambda s, i: quantile_tiers(s, i, shares), ids, scores, perm)
    tiers = quantile_tiers(scores, ids, shares)
    graded = ~np.isnan(scores)
    assert (tiers[~graded] == UNGRADED).all()
    g, t = scores[graded], tiers[graded]
    hi, lo = np.meshgrid(g, g, indexing="ij")
    th, tl = np.meshgrid(t, t, indexing="ij")
    assert not ((hi == lo) & (th != tl)).any()  # equal scores never split
    assert not ((hi > lo) & (th > tl)).any()  # a higher score never gets a worse tier
    # each better group is at least its rounded cumulative share
    n = g.size
    for j, cum in enumerate(np.cumsum(shares)):
        assert (t <= j).sum() >= min(n, math.floor(n * cum * (1 + 1e-12) + 0.5))


# ----------------------------------------------------------------------------------------------------
# competition_rank and percentile


def test_competition_rank_and_percentile_example() -> None:
    scores = np.array([10, 9, 9, 8, NAN])
    assert as_list(competition_rank(scores)) == [1, 2, 2, 4, 0]
    got = percentile(scores)
    assert np.array_equal(got, [100.0, 75.0, 75.0, 25.0, NAN], equal_nan=True)


def test_rank_and_percentile_edge_cases() -> None:
    assert as_list(competition_rank(np.full(3, 1.5))) == [1, 1, 1]
    assert percentile(np.full(3, 1.5)).tolist() == [100.0, 100.0, 100.0]
    assert competition_rank(np.array([])).shape == (0,)
    assert percentile(np.array([])).shape == (0,)
    assert np.isnan(percentile(np.array([NAN]))).all()
    assert as_list(competition_rank(np.array([NAN]))) == [0]
    assert as_list(competition_rank(np.array([-np.inf, np.inf, 0.0, -0.0]))) == [4, 1, 2, 2]


@settings(max_examples=300, deadline=None)
@given(data=customers(_SCORE))
def test_rank_and_percentile_properties(data: Customers) -> None:
    ids, scores, perm = data
    assert_order_independent(lambda s, _i: competition_rank(s), ids, scores, perm)
    assert_order_independent(lambda s, _i: percentile(s), ids, scores, perm)
    graded = scores[~np.isnan(scores)]
    ranks = competition_rank(scores)[~np.isnan(scores)]
    pct = percentile(scores)[~np.isnan(scores)]
    for s, r, p in zip(graded, ranks, pct, strict=True):
        assert r == 1 + (graded > s).sum()
        assert p == pytest.approx(percentileofscore(graded, s, kind="weak"))


# ----------------------------------------------------------------------------------------------------
# computed ABC: the spline


def test_fmm_spline_reproduces_a_cubic_exactly() -> None:
    # FMM end conditions match the third derivative of the cubics through the four end points, so data
    # from any cubic is reproduced exactly (a natural spline, with zero end curvature, would not).
    x = np.array([0.0, 0.1, 0.35, 0.5, 0.8, 0.9, 1.0])

    def f(u: Floats) -> Floats:
        return 2 * u**3 - 3 * u**2 + 0.5 * u + 1

    def df(u: Floats) -> Floats:
        return 6 * u**2 - 6 * u + 0.5

    coef = _fmm_spline(x, f(x))
    u = np.linspace(-0.1, 1.1, 97)
    assert np.allclose(_spline_eval(x, f(x), coef, u, 0), f(u), atol=1e-12)
    assert np.allclose(_spline_eval(x, f(x), coef, u, 1), df(u), atol=1e-11)


def test_fmm_spline_small_cases_and_knots() -> None:
    x2, y2 = np.array([0.0, 1.0]), np.array([0.0, 3.0])
    assert np.allclose(_spline_eval(x2, y2, _fmm_spline(x2, y2), np.array([0.25, 2.0]), 0), [0.75, 6.0])
    # three points: the parabola through them
    x3 = np.array([0.0, 0.5, 1.0])
    y3 = 2 * x3 - x3**2
    u = np.linspace(0, 1, 11)
    assert np.allclose(_spline_eval(x3, y3, _fmm_spline(x3, y3), u, 0), 2 * u - u**2)
    # on a knot the spline returns the data value exactly
    x = np.array([0.0, 0.2, 0.7, 1.0, 1.3])
    y = np.array([0.0, 0.9, 0.3, 0.8, 0.1])
    assert np.array_equal(_spline_eval(x, y, _fmm_spline(x, y), x, 0), y)


# ----------------------------------------------------------------------------------------------------
# computed ABC: against the reference R implementation
#
# Expected values below were produced by running the functions ABCcurve and ABCanalysis of the R package
# ABCanalysis (development version with ABLimit/BCLimit, github.com/Mthrun/ABCanalysis) under R 4.2.2 on
# the very same inputs. R's class lists were turned into tier indexes (A=0, B=1, C=2).


def test_computed_abc_matches_r_small_example() -> None:
    values = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0.5, 0.2])
    res = computed_abc_tiers(values, ids_for(12))
    assert isinstance(res, ComputedAbc)
    assert res.limits == (6.0, 4.0)  # R: A point x = 0.39, C point x = 0.58
    assert as_list(res.tiers) == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
    assert _abc_points(np.sort(values)[::-1]) == (0.39, 0.58)


def test_computed_abc_matches_r_lognormal_300() -> None:
    # 300 "sales" values; R: break-even (x=0.261) before the Pareto point (x=0.273), so A/B is at the
    # break-even point; submarginal point x=0.396; ABLimit 40.3, BCLimit 26.09; 77 A, 42 B, 181 C.
    values = np.round(np.random.default_rng(2015).lognormal(3, 1.2, 300), 2)
    res = computed_abc_tiers(values, ids_for(300))
    assert _abc_points(np.sort(values)[::-1]) == pytest.approx((0.261, 0.396), abs=1e-12)
    assert res.limits == (40.3, 26.09)
    assert np.bincount(res.tiers).tolist() == [77, 42, 181]
    assert (res.tiers == np.where(values > 40.3, 0, np.where(values >= 26.09, 1, 2))).all()


def test_computed_abc_matches_r_pareto_60() -> None:
    values = np.round(np.random.default_rng(42).pareto(1.5, 60) * 1000, 0)
    res = computed_abc_tiers(values, ids_for(60))
    assert _abc_points(np.sort(values)[::-1]) == pytest.approx((0.28, 0.39), abs=1e-12)
    assert res.limits == (1266.0, 824.0)
    assert np.bincount(res.tiers).tolist() == [16, 7, 37]


@pytest.mark.parametrize(
    ("values", "limits", "tiers"),
    [
        # R: A = values > ABLimit, so the customer at the A/B position itself is B
        ([3.0, 1.0], (3.0, 3.0), [1, 2]),
        ([100.0, 0.0, 0.0], (100.0, 100.0), [1, 2, 2]),
        # one customer / all equal: R's A point is at effort 0 -> no ABLimit (empty A); here inf
        ([5.0], (math.inf, 5.0), [1]),
        ([1.0] * 10, (math.inf, 1.0), [1] * 10),
    ],
)
def test_computed_abc_matches_r_degenerate(
    values: list[float], limits: tuple[float, float], tiers: list[int]
) -> None:
    res = computed_abc_tiers(np.array(values), ids_for(len(values)))
    assert res.limits == limits
    assert as_list(res.tiers) == tiers


# ----------------------------------------------------------------------------------------------------
# computed ABC: analytic curves
#
# Uniform values on [0, 1]: the share x of largest values are those >= 1 - x, with sum (1 - (1-x)^2)/2
# of the total 1/2, so the ABC curve is y = 2x - x^2.
#   Pareto point: minimise x^2 + (1-y)^2 = x^2 + (1-x)^4  ->  2x - 4(1-x)^3 = 0  ->  x = 2(1-x)^3,
#     x_P = 0.41025 (root of 2u^3 + u - 1 = 0 with u = 1 - x, u = 0.58975).
#   Break-even: dy/dx = 2 - 2x = 1  ->  x_BE = 0.5 > x_P, so A/B is the Pareto point and B_x = 0.5.
#   Submarginal: minimise (x - 0.5)^2 + (1-x)^4  ->  x - 0.5 = 2(1-x)^3,  x_C = 0.61454.
# A is the values above the (0.41 n)-th largest, i.e. values > 1 - 0.41 = 0.59; C below 1 - 0.6145.


def _uniform_limits() -> tuple[float, float]:
    x_p = brentq(lambda x: x - 2 * (1 - x) ** 3, 0, 1)
    x_c = brentq(lambda x: (x - 0.5) - 2 * (1 - x) ** 3, 0.5, 1)
    assert x_p == pytest.approx(0.41025, abs=1e-5)
    assert x_c == pytest.approx(0.61454, abs=1e-5)
    return x_p, x_c


@pytest.mark.parametrize(
    "values",
    [
        (np.arange(10_000) + 0.5) / 10_000,  # evenly spread
        np.random.default_rng(7).uniform(0, 1, 20_000),  # random sample
    ],
    ids=["even", "random"],
)
def test_computed_abc_uniform_matches_analytic_limits(values: Floats) -> None:
    x_p, x_c = _uniform_limits()
    res = computed_abc_tiers(values, [str(i) for i in range(values.size)])
    share_a = float(np.mean(res.tiers == 0))
    share_ab = float(np.mean(res.tiers <= 1))
    assert abs(share_a - x_p) < 0.005  # agree to 2 decimals
    assert abs(share_ab - x_c) < 0.005
    assert abs(res.limits[0] - (1 - x_p)) < 0.01
    assert abs(res.limits[1] - (1 - x_c)) < 0.01


def test_computed_abc_exponential_matches_analytic_limits() -> None:
    # Exp(1) values: the share x of largest values are those >= -ln x, with sum x(1 - ln x) of total 1,
    # so y = x - x ln x. Break-even: dy/dx = -ln x = 1 -> x_BE = 1/e = 0.3679. The Pareto point is found
    # numerically on the exact curve (x_P = 0.3323 < x_BE, so it is the A/B limit), then the point nearest
    # to (x_BE, 1) (x_C = 0.4859). Values: evenly spread quantiles -ln((i + 0.5)/n).
    def curve(x: float) -> float:
        return x - x * math.log(x)

    opts = {"xatol": 1e-10}
    x_p = minimize_scalar(
        lambda x: x * x + (1 - curve(x)) ** 2, bounds=(1e-9, 1), method="bounded", options=opts
    ).x
    x_be = 1 / math.e
    assert x_p < x_be
    x_c = minimize_scalar(
        lambda x: (x - x_be) ** 2 + (1 - curve(x)) ** 2, bounds=(1e-9, 1), method="bounded", options=opts
    ).x
    n = 10_000
    values = -np.log((np.arange(n) + 0.5) / n)
    res = computed_abc_tiers(values, [str(i) for i in range(n)])
    assert abs(float(np.mean(res.tiers == 0)) - x_p) < 0.005
    assert abs(float(np.mean(res.tiers <= 1)) - x_c) < 0.005
    assert abs(res.limits[0] + math.log(x_p)) < 0.01
    assert abs(res.limits[1] + math.log(x_c)) < 0.01


# ----------------------------------------------------------------------------------------------------
# computed ABC: our own rules


def test_computed_abc_nan_zero_and_empty() -> None:
    values = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0.5, 0.2, NAN])
    res = computed_abc_tiers(values, ids_for(13))
    assert res.limits == (6.0, 4.0)  # NaN left out entirely: same as the 12-value example
    assert as_list(res.tiers) == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, UNGRADED]
    # one positive value among 38 zeros: the B/C position (round(0.04 * 39) = 2) is a zero, so
    # bc_limit is 0. R (same points 0.03/0.04, limits 5/0) puts all zeros in B; here they go to C.
    res = computed_abc_tiers(np.array([5.0] + [0.0] * 38), ids_for(39))
    assert res.limits == (5.0, 0.0)
    assert as_list(res.tiers) == [1] + [2] * 38
    all_zero = computed_abc_tiers(np.array([0.0, 0.0, NAN]), ids_for(3))
    assert all(math.isnan(x) for x in all_zero.limits)
    assert as_list(all_zero.tiers) == [2, 2, UNGRADED]
    empty = computed_abc_tiers(np.array([]), [])
    assert empty.tiers.shape == (0,)
    assert all(math.isnan(x) for x in empty.limits)


def test_computed_abc_extreme_magnitudes() -> None:
    # scaled by the largest value, the curve is the same as for the ordinary numbers
    values = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0.5, 0.2])
    expected = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
    huge = computed_abc_tiers(values * 1e307, ids_for(12))
    assert as_list(huge.tiers) == expected
    assert huge.limits == (6e307, 4e307)
    # three equal subnormal values behave like three equal ones: (inf, v), all B
    tiny = computed_abc_tiers(np.full(3, 5e-324), ids_for(3))
    assert tiny.limits == (math.inf, 5e-324)
    assert computed_abc_tiers(np.full(3, 1.0), ids_for(3)).limits == (math.inf, 1.0)
    assert as_list(tiny.tiers) == [1, 1, 1]


def test_computed_abc_rejects_bad_input() -> None:
    with pytest.raises(TieringError, match="negative"):
        computed_abc_tiers(np.array([1.0, -1.0]), ids_for(2))
    with pytest.raises(TieringError, match="finite"):
        computed_abc_tiers(np.array([1.0, math.inf]), ids_for(2))
    with pytest.raises(TieringError, match="unique"):
        computed_abc_tiers(np.array([1.0, 2.0]), ["a", "a"])


@settings(max_examples=150, deadline=None)
@given(data=customers(_VALUE, max_size=60))
def test_computed_abc_properties(data: Customers) -> None:
    ids, values, perm = data
    res = computed_abc_tiers(values, ids)
    shuffled = computed_abc_tiers(values[perm], [ids[i] for i in perm])
    assert np.array_equal(shuffled.tiers, res.tiers[perm])
    assert np.array_equal(np.array(shuffled.limits), np.array(res.limits), equal_nan=True)
    graded = ~np.isnan(values)
    g, t = values[graded], res.tiers[graded]
    assert set(t.tolist()) <= {0, 1, 2}
    assert (res.tiers[~graded] == UNGRADED).all()
    assert (t[g == 0] == 2).all()
    hi, lo = np.meshgrid(g, g, indexing="ij")
    th, tl = np.meshgrid(t, t, indexing="ij")
    assert not ((hi == lo) & (th != tl)).any()  # equal values never split
    assert not ((hi > lo) & (th > tl)).any()  # a larger value never gets a worse tier


# ----------------------------------------------------------------------------------------------------
# shared


def test_max_tiers_is_seven() -> None:
    assert MAX_TIERS == 7
    with pytest.raises(TieringError, match="1 to 6"):
        pareto_tiers(np.array([1.0]), ["a"], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])


def test_results_are_int64_arrays_of_input_length() -> None:
    values = np.array([3.0, NAN, 1.0])
    ids = ids_for(3)
    for out in (
        threshold_tiers(values, [2]),
        pareto_tiers(values, ids),
        quantile_tiers(values, ids),
        computed_abc_tiers(values, ids).tiers,
        competition_rank(values),
    ):
        assert out.dtype == np.int64
        assert out.shape == (3,)
    assert percentile(values).dtype == np.float64
    # plain lists are accepted too
    assert as_list(pareto_tiers([1.0, 9.0], ["a", "b"])) == [1, 0]
