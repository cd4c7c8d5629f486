"""Tests for kactier.weights.

Each method is checked three ways: against a published or hand-derived worked example (source in the comment
beside the numbers), against a deliberately naive loop implementation written here from the formulas, and
with hypothesis properties. The loop implementations share only the conventions (min–max, constant columns,
0·ln0 = 0) with the module, not its numpy code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from kactier.scoring.weights import (
    SAATY_RANDOM_INDEX,
    AhpResult,
    WeightError,
    ahp_weights,
    critic_weights,
    entropy_weights,
    manual_weights,
)

# ----------------------------------------------------------------------------------------------------
# Independent reference implementations: plain Python loops straight from the formulas.
# ----------------------------------------------------------------------------------------------------


def _ref_min_max(
    matrix: Sequence[Sequence[float]], higher: Sequence[bool]
) -> tuple[list[list[float]], list[bool]]:
    """Columns of x' (direction-aware min–max) and which columns are constant (module convention)."""
    rows, cols = len(matrix), len(matrix[0])
    columns: list[list[float]] = []
    constant: list[bool] = []
    for j in range(cols):
        col = [float(matrix[i][j]) for i in range(rows)]
        magnitude = max(abs(v) for v in col)
        if magnitude > 0:
            col = [v / magnitude for v in col]
        lo, hi = min(col), max(col)
        span = hi - lo
        if span <= 1e-12:
            columns.append([0.0] * rows)
            constant.append(True)
        elif higher[j]:
            columns.append([(v - lo) / span for v in col])
            constant.append(False)
        else:
            columns.append([(hi - v) / span for v in col])
            constant.append(False)
    return columns, constant


def _ref_entropy(matrix: Sequence[Sequence[float]], higher: Sequence[bool]) -> list[float] | None:
    columns, constant = _ref_min_max(matrix, higher)
    m = len(matrix)
    divergence = []
    for col, is_constant in zip(columns, constant, strict=True):
        if is_constant:
            divergence.append(0.0)
            continue
        total = sum(col)
        e = 0.0
        for v in col:
            p = v / total
            if p > 0:
                e -= p * math.log(p)
        divergence.append(max(0.0, 1.0 - e / math.log(m)))
    s = sum(divergence)
    return None if s == 0 else [d / s for d in divergence]


def _ref_critic(matrix: Sequence[Sequence[float]], higher: Sequence[bool]) -> list[float] | None:
    columns, constant = _ref_min_max(matrix, higher)
    if all(constant):
        return None
    n, m = len(columns), len(matrix)
    if n == 1:
        return [1.0]
    means = [sum(c) / m for c in columns]
    sigma = [math.sqrt(sum((v - mu) ** 2 for v in c) / (m - 1)) for c, mu in zip(columns, means, strict=True)]

    def r(j: int, k: int) -> float:
        if j == k:
            return 1.0
        if constant[j] or constant[k]:
            return 0.0
        num = sum((a - means[j]) * (b - means[k]) for a, b in zip(columns[j], columns[k], strict=True))
        den = math.sqrt(
            sum((a - means[j]) ** 2 for a in columns[j]) * sum((b - means[k]) ** 2 for b in columns[k])
        )
        return max(-1.0, min(1.0, num / den))

    information = [sigma[j] * sum(1.0 - r(j, k) for k in range(n)) for j in range(n)]
    total = sum(information)
    if total <= 1e-12 * sum(sigma):
        return None
    return [c / total for c in information]


def _power_iteration(a: Sequence[Sequence[float]]) -> tuple[list[float], float]:
    """Principal eigenvector (sum 1) and eigenvalue of a positive matrix by power iteration."""
    n = len(a)
    w = [1.0 / n] * n
    for _ in range(10_000):
        nxt = [sum(a[i][j] * w[j] for j in range(n)) for i in range(n)]
        s = sum(nxt)
        nxt = [x / s for x in nxt]
        done = max(abs(x - y) for x, y in zip(nxt, w, strict=True)) < 1e-15
        w = nxt
        if done:
            break
    aw = [sum(a[i][j] * w[j] for j in range(n)) for i in range(n)]
    return w, sum(aw[i] / w[i] for i in range(n)) / n


def _geometric_mean_priorities(a: Sequence[Sequence[float]]) -> list[float]:
    """Row geometric means (Crawford & Williams): exact for consistent matrices, close for near-consistent."""
    n = len(a)
    g = [math.prod(row) ** (1.0 / n) for row in a]
    s = sum(g)
    return [x / s for x in g]


# ----------------------------------------------------------------------------------------------------
# Manual weights
# ----------------------------------------------------------------------------------------------------


def test_manual_weights_normalise_to_sum_one() -> None:
    # 30 : 50 : 20 points out of 100 -> 0.3, 0.5, 0.2; a zero weight stays zero.
    assert manual_weights([30, 50, 20, 0]) == pytest.approx([0.3, 0.5, 0.2, 0.0], abs=1e-15)


def test_manual_weights_survive_values_near_float_max() -> None:
    assert manual_weights([1.5e308, 1.5e308]) == pytest.approx([0.5, 0.5])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([0.5, -0.1, 0.6], r"manual weight 2 is negative \(-0\.1\)"),
        ([0, 0, 0], r"all manual weights are zero"),
        ([1.0, float("nan")], r"manual weight 2 is not a number \(NaN\)"),
        ([1.0, float("inf")], r"manual weight 2 is infinite"),
        ([], r"no manual weights were given"),
        ([[1.0, 2.0]], r"flat list"),
    ],
)
def test_manual_weights_reject_bad_input(raw: list[float], message: str) -> None:
    with pytest.raises(WeightError, match=message):
        manual_weights(raw)


def test_manual_weight_error_carries_index() -> None:
    with pytest.raises(WeightError) as caught:
        manual_weights([1.0, 2.0, -3.0])
    assert caught.value.index == (2,)


# The largest weight stays a normal float even after scaling by 1e-3: no underflow to all zeros.
_manual_raw = st.lists(
    st.floats(min_value=0.0, max_value=1e6, allow_subnormal=False), min_size=1, max_size=12
).filter(lambda xs: max(xs) >= 1e-300)


@given(raw=_manual_raw, factor=st.floats(min_value=1e-3, max_value=1e3))
def test_manual_weights_properties(raw: list[float], factor: float) -> None:
    w = manual_weights(raw)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert manual_weights([x * factor for x in raw]) == pytest.approx(w, rel=1e-12, abs=1e-15)


# ----------------------------------------------------------------------------------------------------
# Entropy weights
# ----------------------------------------------------------------------------------------------------

# Hand-derived example (no published source: built here so every step can be checked on paper).
# 3 customers (m = 3, so k = 1/ln 3); criteria A higher-is-better, B lower-is-better, C higher, D constant.
_HAND = [
    [0.0, 10.0, 1.0, 3.0],
    [1.0, 10.0, 2.0, 3.0],
    [2.0, 30.0, 4.0, 3.0],
]
_HAND_HIGHER = [True, False, True, True]


def test_entropy_hand_derived_example() -> None:
    # Let L = ln2 / ln3 = 0.630930.
    # A: x' = (x - 0)/2 = [0, 1/2, 1];  p = [0, 1/3, 2/3]
    #    e_A = -(1/ln3)(1/3 ln(1/3) + 2/3 ln(2/3)) = 1 - (2/3)L = 0.579380;  d_A = (2/3)L = 0.420620
    # B (lower is better): x' = (30 - x)/20 = [1, 1, 0];  p = [1/2, 1/2, 0]   (0·ln0 := 0)
    #    e_B = ln2/ln3 = L = 0.630930;  d_B = 1 - L = 0.369070
    # C: x' = (x - 1)/3 = [0, 1/3, 1];  p = [0, 1/4, 3/4]
    #    e_C = -(1/ln3)(1/4 ln(1/4) + 3/4 ln(3/4)) = 2L - 3/4 = 0.511860;  d_C = 7/4 - 2L = 0.488140
    # D: constant -> e_D := 1, d_D = 0
    # sum d = 11/4 - (7/3)L = 1.277830
    # w = [0.420620, 0.369070, 0.488140, 0] / 1.277830 = [0.329167, 0.288826, 0.382007, 0]
    big_l = math.log(2) / math.log(3)
    d = [2 / 3 * big_l, 1 - big_l, 7 / 4 - 2 * big_l, 0.0]
    exact = [x / sum(d) for x in d]
    w = entropy_weights(np.array(_HAND), _HAND_HIGHER)
    assert w == pytest.approx(exact, rel=1e-12, abs=1e-15)
    assert w == pytest.approx([0.329167, 0.288826, 0.382007, 0.0], abs=5e-7)
    assert w == pytest.approx(_ref_entropy(_HAND, _HAND_HIGHER), rel=1e-12, abs=1e-15)


def test_entropy_two_rows_gives_each_varying_column_full_divergence() -> None:
    # m = 2: every varying column normalises to [0, 1] or [1, 0], so p = [0, 1], e = 0, d = 1 for each.
    w = entropy_weights(np.array([[1.0, 5.0, 7.0], [2.0, 3.0, 7.0]]), [True, True, False])
    assert w == pytest.approx([0.5, 0.5, 0.0], abs=1e-15)


def test_entropy_treats_rounding_noise_as_constant() -> None:
    # 0.1 + 0.2 = 0.30000000000000004: min–max would otherwise stretch that 5.6e-17 gap to a full [0, 1].
    matrix = np.array([[0.1 + 0.2, 1.0], [0.3, 2.0], [0.3, 4.0]])
    assert entropy_weights(matrix, [True, True]) == pytest.approx([0.0, 1.0])


def test_entropy_handles_values_near_float_max() -> None:
    big = np.array(_HAND)[:, :3] * 1e306  # max - min would overflow without per-column scaling
    expected = entropy_weights(np.array(_HAND)[:, :3], _HAND_HIGHER[:3])
    assert entropy_weights(big, _HAND_HIGHER[:3]) == pytest.approx(expected, rel=1e-12)


# ----------------------------------------------------------------------------------------------------
# CRITIC weights
# ----------------------------------------------------------------------------------------------------

# Decision matrix of the CRITIC paper's illustrative example, Diakoulaki, Mavrotas & Papayannakis (1995),
# Computers & Operations Research 22(7), 763-770: 8 alternatives, 3 criteria, all higher-is-better.
# Transcribed here from scikit-criteria's test suite (quatrope/scikit-criteria,
# tests/preprocessing/test_weighters.py, test_CRITIC_diakoulaki1995determining), which cites that paper.
# We have not seen the paper's own table of weights, so the expected weights below are scikit-criteria's
# published test values (8 decimals; scikit-criteria uses the population standard deviation, which does
# not change CRITIC weights, see critic_weights' docstring).
_DIAKOULAKI_1995 = [
    [61.0, 1.08, 4.33],
    [20.7, 0.26, 4.34],
    [16.3, 1.98, 2.53],
    [9.0, 3.29, 1.65],
    [5.4, 2.77, 2.33],
    [4.0, 4.12, 1.21],
    [-6.1, 3.52, 2.10],
    [-34.6, 3.31, 0.98],
]
_DIAKOULAKI_1995_SKCRITERIA_WEIGHTS = [0.20222554, 0.48090173, 0.31687273]


def test_critic_diakoulaki_1995_example() -> None:
    w = critic_weights(np.array(_DIAKOULAKI_1995), [True, True, True])
    assert w == pytest.approx(_DIAKOULAKI_1995_SKCRITERIA_WEIGHTS, abs=5e-9)
    assert w == pytest.approx(_ref_critic(_DIAKOULAKI_1995, [True] * 3), rel=1e-12)


def test_critic_hand_derived_example() -> None:
    # Hand-derived (no published source), columns A, B, C of the entropy example above:
    #   x'_A = [0, 1/2, 1], x'_B = [1, 1, 0] (lower is better), x'_C = [0, 1/3, 1]
    # Sample standard deviations (ddof = 1):
    #   sigma_A = sqrt((1/4 + 0 + 1/4)/2) = 1/2 = 0.500000
    #   sigma_B = sqrt((1/9 + 1/9 + 4/9)/2) = sqrt(1/3) = 0.577350
    #   sigma_C = sqrt((16/81 + 1/81 + 25/81)/2) = sqrt(7/27) = 0.509175
    # Pearson correlations (sum of products of deviations / sqrt(product of sums of squares)):
    #   r_AB = (-1/6 + 0 - 1/3) / sqrt(1/2 * 2/3) = -sqrt(3)/2 = -0.866025
    #   r_AC = (2/9 + 0 + 5/18) / sqrt(1/2 * 14/27) = 3 sqrt(21)/14 = 0.981981
    #   r_BC = (-4/27 - 1/27 - 10/27) / sqrt(2/3 * 14/27) = -5/sqrt(28) = -0.944911
    # C_A = 0.5      * ((1 + 0.866025) + (1 - 0.981981)) = 0.942022
    # C_B = 0.577350 * ((1 + 0.866025) + (1 + 0.944911)) = 2.200245
    # C_C = 0.509175 * ((1 - 0.981981) + (1 + 0.944911)) = 0.999475
    # sum C = 4.141743;  w = [0.227446, 0.531237, 0.241318]
    s_a, s_b, s_c = 0.5, math.sqrt(1 / 3), math.sqrt(7 / 27)
    r_ab, r_ac, r_bc = -math.sqrt(3) / 2, 3 * math.sqrt(21) / 14, -5 / math.sqrt(28)
    c = [
        s_a * ((1 - r_ab) + (1 - r_ac)),
        s_b * ((1 - r_ab) + (1 - r_bc)),
        s_c * ((1 - r_ac) + (1 - r_bc)),
    ]
    exact = [x / sum(c) for x in c]
    matrix = [row[:3] for row in _HAND]
    w = critic_weights(np.array(matrix), _HAND_HIGHER[:3])
    assert w == pytest.approx(exact, rel=1e-12)
    assert w == pytest.approx([0.227446, 0.531237, 0.241318], abs=5e-7)
    assert w == pytest.approx(_ref_critic(matrix, _HAND_HIGHER[:3]), rel=1e-12)


def test_critic_constant_column_gets_zero_weight_and_no_nan() -> None:
    w = critic_weights(np.array(_HAND), _HAND_HIGHER)
    assert np.all(np.isfinite(w))
    assert w[3] == 0.0
    # Its correlation with the others is taken as 0, so each other column gains sigma_k * (1 - 0).
    assert w == pytest.approx(_ref_critic(_HAND, _HAND_HIGHER), rel=1e-12)


def test_critic_single_criterion_gets_all_the_weight() -> None:
    assert critic_weights(np.array([[1.0], [3.0], [2.0]]), [False]) == pytest.approx([1.0])


def test_critic_rejects_criteria_in_lockstep() -> None:
    # The second column is the first scaled by 10: identical after min–max, correlation 1, no conflict.
    matrix = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]])
    with pytest.raises(WeightError, match="lockstep"):
        critic_weights(matrix, [True, True])


# ----------------------------------------------------------------------------------------------------
# Shared validation and properties of the objective methods
# ----------------------------------------------------------------------------------------------------

Method = Callable[[NDArray[np.float64], Sequence[bool]], NDArray[np.float64]]
_OBJECTIVE: list[Method] = [entropy_weights, critic_weights]


@pytest.mark.parametrize("method", _OBJECTIVE)
def test_objective_methods_reject_all_constant_matrix(method: Method) -> None:
    matrix = np.array([[5.0, 1.0], [5.0, 1.0], [5.0, 1.0]])
    with pytest.raises(WeightError, match="every criterion column is constant"):
        method(matrix, [True, False])


@pytest.mark.parametrize("method", _OBJECTIVE)
@pytest.mark.parametrize(
    ("matrix", "higher", "message"),
    [
        ([[1.0, 2.0]], [True, True], r"at least 2 rows \(customers\)"),
        ([1.0, 2.0, 3.0], [True], r"2-D matrix"),
        ([[1.0, 2.0], [3.0, 4.0]], [True], r"got 1 higher-is-better flags for 2 criteria"),
        ([[1.0, 2.0], [3.0, float("nan")]], [True, True], r"row 2, column 2 is nan"),
        ([[1.0, 2.0], [3.0, float("inf")]], [True, True], r"row 2, column 2 is inf"),
        (np.empty((3, 0)), [], r"at least one criterion column"),
    ],
)
def test_objective_methods_reject_bad_input(
    method: Method, matrix: list[list[float]], higher: list[bool], message: str
) -> None:
    with pytest.raises(WeightError, match=message):
        method(np.asarray(matrix, dtype=np.float64), higher)


@pytest.mark.parametrize("method", _OBJECTIVE)
def test_objective_methods_refuse_numeric_directions(method: Method) -> None:
    # +1/-1 directions would silently turn into True/True.
    with pytest.raises(TypeError, match=r"higher_is_better\[0\] must be a bool, got 1"):
        method(np.array([[1.0, 2.0], [3.0, 1.0]]), [1, -1])  # type: ignore[list-item]


# Customer data is mostly counts, amounts and scores: integers keep the loop reference and the numpy code
# within rounding of each other (no near-but-not-exact correlation of 1 amplifying summation-order noise).
_shapes = st.tuples(st.integers(min_value=2, max_value=9), st.integers(min_value=1, max_value=5))


@st.composite
def _problems(draw: st.DrawFn) -> tuple[np.ndarray, list[bool]]:
    rows, cols = draw(_shapes)
    matrix = draw(hnp.arrays(np.float64, (rows, cols), elements=st.integers(min_value=-20, max_value=20)))
    higher = draw(st.lists(st.booleans(), min_size=cols, max_size=cols))
    return matrix, higher


def _weights_or_none(method: Method, matrix: np.ndarray, higher: list[bool]) -> np.ndarray | None:
    try:
        return method(matrix, higher)
    except WeightError:
        return None


@settings(deadline=None)
@given(problem=_problems())
def test_entropy_matches_loop_reference_and_is_a_distribution(problem: tuple[np.ndarray, list[bool]]) -> None:
    matrix, higher = problem
    expected = _ref_entropy(matrix.tolist(), higher)
    w = _weights_or_none(entropy_weights, matrix, higher)
    if expected is None:
        assert w is None
        return
    assert w is not None
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert w == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(problem=_problems())
def test_critic_matches_loop_reference_and_is_a_distribution(problem: tuple[np.ndarray, list[bool]]) -> None:
    matrix, higher = problem
    expected = _ref_critic(matrix.tolist(), higher)
    w = _weights_or_none(critic_weights, matrix, higher)
    if expected is None:
        assert w is None
        return
    assert w is not None
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert w == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(problem=_problems(), data=st.data())
@pytest.mark.parametrize("method", _OBJECTIVE)
def test_objective_weights_ignore_row_order(
    method: Method, problem: tuple[np.ndarray, list[bool]], data: st.DataObject
) -> None:
    matrix, higher = problem
    order = data.draw(st.permutations(range(matrix.shape[0])))
    w = _weights_or_none(method, matrix, higher)
    shuffled = _weights_or_none(method, matrix[list(order)], higher)
    if w is None:
        assert shuffled is None
    else:
        assert shuffled == pytest.approx(w, rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(problem=_problems(), data=st.data())
def test_entropy_unchanged_by_flipping_direction_and_negating(
    problem: tuple[np.ndarray, list[bool]], data: st.DataObject
) -> None:
    matrix, higher = problem
    j = data.draw(st.integers(min_value=0, max_value=matrix.shape[1] - 1))
    flipped = matrix.copy()
    flipped[:, j] = -flipped[:, j]
    flipped_higher = list(higher)
    flipped_higher[j] = not flipped_higher[j]
    w = _weights_or_none(entropy_weights, matrix, higher)
    w_flipped = _weights_or_none(entropy_weights, flipped, flipped_higher)
    if w is None:
        assert w_flipped is None
    else:
        # Negation and IEEE subtraction are exact here, so x' and hence the weights are bit-for-bit equal.
        assert w_flipped is not None
        np.testing.assert_array_equal(w_flipped, w)


_any_finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(
    matrix=hnp.arrays(np.float64, _shapes, elements=_any_finite),
    data=st.data(),
)
@pytest.mark.parametrize("method", _OBJECTIVE)
def test_objective_weights_are_a_distribution_for_any_finite_input(
    method: Method, matrix: np.ndarray, data: st.DataObject
) -> None:
    # No reference here: arbitrary floats (1e-300 next to 1e300) only check that the result is always a
    # probability vector or a WeightError, never NaN, inf or a negative weight.
    higher = data.draw(st.lists(st.booleans(), min_size=matrix.shape[1], max_size=matrix.shape[1]))
    w = _weights_or_none(method, matrix, higher)
    if w is not None:
        assert np.all(np.isfinite(w))
        assert np.all(w >= 0)
        assert w.sum() == pytest.approx(1.0, abs=1e-12)


# ----------------------------------------------------------------------------------------------------
# AHP
# ----------------------------------------------------------------------------------------------------

# Saaty (2008), "Decision making with the analytic hierarchy process", International Journal of Services
# Sciences 1(1), 83-98: relative consumption of drinks in the U.S. (order: coffee, wine, tea, beer, sodas,
# milk, water). Matrix, published priorities (3 decimals) and consistency ratio as reproduced in the AHPy
# library's README and tests (PhilipGriffith/AHPy, tests/test_ahp.py, which cite this paper); we have not
# seen the paper itself.
_DRINKS: list[list[float]] = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
_DRINKS_SAATY_2008 = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
_DRINKS_SAATY_2008_CR = 0.022


def test_ahp_saaty_2008_drinks_example() -> None:
    result = ahp_weights(np.array(_DRINKS))
    np.testing.assert_array_equal(np.round(result.weights, 3), _DRINKS_SAATY_2008)
    # CI = (lambda_max - 7)/6 = 0.0294; / RI(7) = 1.32 -> 0.0223. (AHPy's Saaty-2005 RI(7) = 1.35 gives
    # 0.0218: the same 0.022 at the published precision.)
    assert round(result.cr, 3) == _DRINKS_SAATY_2008_CR
    assert result.random_index == 1.32
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6, rel=1e-15)

    # Second, independent check: power iteration converges to the same Perron vector and eigenvalue.
    w, lam = _power_iteration(_DRINKS)
    assert result.weights == pytest.approx(w, abs=1e-12)
    assert result.lambda_max == pytest.approx(lam, rel=1e-12)
    # Row geometric means only approximate the eigenvector of an inconsistent matrix.
    assert result.weights == pytest.approx(_geometric_mean_priorities(_DRINKS), abs=5e-3)


def test_ahp_two_criteria_are_always_consistent() -> None:
    result = ahp_weights(np.array([[1.0, 3.0], [1 / 3, 1.0]]))
    assert result.weights == pytest.approx([0.75, 0.25], abs=1e-15)
    assert result.lambda_max == pytest.approx(2.0, abs=1e-12)
    assert (result.ci, result.cr, result.random_index) == (0.0, 0.0, 0.0)


def test_ahp_single_criterion() -> None:
    result = ahp_weights(np.array([[1.0]]))
    assert result.weights.tolist() == [1.0]
    assert (result.lambda_max, result.ci, result.cr) == (1.0, 0.0, 0.0)


def test_ahp_result_weights_are_read_only() -> None:
    result = ahp_weights(np.array(_DRINKS))
    assert isinstance(result, AhpResult)
    with pytest.raises(ValueError, match="read-only"):
        result.weights[0] = 1.0


def test_saaty_random_index_table() -> None:
    # Saaty (1980) values quoted in the module; n = 11..15 are the later (2005) estimates.
    saaty_1980 = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert [SAATY_RANDOM_INDEX[n] for n in range(1, 11)] == saaty_1980
    assert sorted(SAATY_RANDOM_INDEX) == list(range(1, 16))


@settings(deadline=None)
@given(w=st.lists(st.floats(min_value=1e-2, max_value=1e2), min_size=1, max_size=15))
def test_ahp_consistent_matrix_returns_its_weights(w: list[float]) -> None:
    a = np.array([[wi / wj for wj in w] for wi in w])
    result = ahp_weights(a)
    assert result.weights == pytest.approx([x / sum(w) for x in w], rel=1e-9, abs=1e-12)
    assert result.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(result.weights > 0)
    assert result.lambda_max == pytest.approx(len(w), rel=1e-9)
    assert abs(result.cr) < 1e-9
    # For a consistent matrix the geometric-mean method is exact too.
    assert result.weights == pytest.approx(_geometric_mean_priorities(a.tolist()), rel=1e-9, abs=1e-12)


def test_ahp_rejects_non_reciprocal_matrix_naming_the_cell() -> None:
    a = np.array([[1.0, 3.0, 5.0], [1 / 3, 1.0, 2.0], [1 / 5, 1 / 4, 1.0]])  # a_32 should be 1/2
    message = r"not reciprocal at row 2, column 3: it is 2 but row 3, column 2 is 0\.25"
    with pytest.raises(WeightError, match=message) as caught:
        ahp_weights(a)
    assert caught.value.index == (1, 2)


def test_ahp_accepts_reciprocals_within_tolerance() -> None:
    # 1/3 typed with 7 significant digits is within the 1e-6 relative tolerance.
    ahp_weights(np.array([[1.0, 3.0], [0.3333333, 1.0]]))
    with pytest.raises(WeightError, match="not reciprocal"):
        ahp_weights(np.array([[1.0, 3.0], [0.333, 1.0]]))


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1.0, 2.0], [0.5, 2.0]], r"row 2, column 2 is 2; a criterion compared with itself must be 1"),
        ([[1.0, -2.0], [-0.5, 1.0]], r"row 1, column 2 is -2; comparisons must be positive"),
        ([[1.0, 0.0], [0.0, 1.0]], r"row 1, column 2 is 0; comparisons must be positive"),
        ([[1.0, float("nan")], [1.0, 1.0]], r"row 1, column 2 is nan"),
        (
            [[1.0, 2.0, 3.0], [0.5, 1.0, 1.0]],
            r"square pairwise comparison matrix \(n × n\); got shape \(2, 3\)",
        ),
        ([1.0, 2.0], r"square pairwise comparison matrix"),
        (np.ones((16, 16)), r"between 1 and 15 criteria; the pairwise matrix has 16"),
        (np.ones((0, 0)), r"between 1 and 15 criteria; the pairwise matrix has 0"),
    ],
)
def test_ahp_rejects_invalid_matrices(matrix: list[list[float]], message: str) -> None:
    with pytest.raises(WeightError, match=message):
        ahp_weights(np.asarray(matrix, dtype=np.float64))


def test_ahp_accepts_fifteen_criteria() -> None:
    result = ahp_weights(np.ones((15, 15)))
    assert result.weights == pytest.approx([1 / 15] * 15)
    assert result.random_index == SAATY_RANDOM_INDEX[15]
    assert abs(result.cr) < 1e-12
