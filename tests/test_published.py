"""Entropy weights, pareto tiers and quantile tiers checked against published worked examples.

Each example's inputs and outputs are transcribed beside their source. Where a source uses a different
variant of the method than kactier, the test says how the example is fed in, or asserts the difference
itself, so the documented difference (docs/methods.md) cannot drift from the code. AHP, CRITIC and
computed ABC have their published examples in tests/test_weights.py and tests/test_tiering.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from kactier.scoring.rank import competition_rank
from kactier.scoring.weights import _entropy_step, _min_max, entropy_weights
from kactier.tiering.methods import pareto_tiers, quantile_tiers

# ----------------------------------------------------------------------------------------------------
# Entropy weights
#
# Variant: kactier min–max normalises each criterion first (direction-aware), then p_ij = x'_ij / sum_i x'_ij,
# e_j = -(1/ln m) sum_i p_ij ln p_ij (0·ln0 = 0), d_j = 1 - e_j, w_j = d_j / sum d. The published examples
# below skip min–max: they take p_ij as shares of the raw positive values. Min–max cannot be made the
# identity for them (it always puts a 0 in every varying column, and these matrices have no zeros), so the
# raw matrices are fed to the steps after min–max, kactier.weights._entropy_step, which entropy_weights
# runs on the min–max output. The min–max step itself is checked by the hand-derived example in
# tests/test_weights.py.
# ----------------------------------------------------------------------------------------------------

# Xu, X. (2004). A note on the subjective and objective integrated approach to determine attribute weights.
# European Journal of Operational Research 156(2), 530-532: 4 alternatives x 4 attributes, entropy weights
# to 4 decimals, as transcribed in the test suite of energyinpython/distance-metrics-for-mcda
# (tests/test_weights.py, Test_Entropy.test_Entropy). The 4th attribute is nearly constant (29, 29, 28.9,
# 29), so its weight is 0.0000 at the published precision.
_XU_2004 = [
    [30.0, 30.0, 38.0, 29.0],
    [19.0, 54.0, 86.0, 29.0],
    [19.0, 15.0, 85.0, 28.9],
    [68.0, 70.0, 60.0, 29.0],
]
_XU_2004_WEIGHTS = [0.4630, 0.3992, 0.1378, 0.0000]

# Zavadskas, E. K., Podvezko, V. (2016). Integrated determination of objective criteria weights in MCDM.
# International Journal of Information Technology & Decision Making 15(2), 267-283: 4 alternatives x 4
# criteria, entropy weights to 4 decimals, as transcribed in the same energyinpython test suite
# (Test_Entropy.test_Entropy2). The entropy there is computed on the raw values of all four criteria,
# whatever their direction.
_ZAVADSKAS_PODVEZKO_2016 = [
    [3.0, 100.0, 10.0, 7.0],
    [2.5, 80.0, 8.0, 5.0],
    [1.8, 50.0, 20.0, 11.0],
    [2.2, 70.0, 12.0, 9.0],
]
_ZAVADSKAS_PODVEZKO_2016_WEIGHTS = [0.1146, 0.1981, 0.4185, 0.2689]

# Elsayed, E. A., Dawood, A. S., Karthikeyan, R. (2017). Evaluating alternatives through the application
# of TOPSIS method with entropy weight. International Journal of Engineering Trends and Technology 46(2),
# 60-66: 12 alternatives x 5 criteria, entropy weights to 6 decimals, as transcribed in the test suite of
# pymcdm (kotbaton/pymcdm, TestEntropyWeights, which cites this paper). Values spread over seven orders
# of magnitude (0.1048 to 941804) in one column.
_ELSAYED_2017 = [
    [7.0, 312.0, 1891.0, 6613.0, 163.0],
    [72.0, 88.0, 728.0, 941804.0, 1078.0],
    [10.0, 252.0, 2594.0, 3466.0, 117471.0],
    [10.0, 145.0, 980.0, 2371.0, 86329.0],
    [65.0, 54.0, 350.0, 501.0, 29897.0],
    [29.0, 48.0, 380.0, 912.0, 34051.0],
    [7.0, 476.0, 3300.0, 78470.0, 2212.0],
    [70.0, 87.0, 650.0, 733.0, 819000.0],
    [4.0, 86.0, 591.0, 3015.0, 103.0],
    [12.0, 79.0, 579.0, 3240.0, 96098.0],
    [21.0, 45.0, 261.0, 1253.0, 453.0],
    [1.0, 72.0, 530.0, 4333.0, 0.104800],
]
_ELSAYED_2017_WEIGHTS = [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]


@pytest.mark.parametrize(
    ("matrix", "published", "decimals"),
    [
        (_XU_2004, _XU_2004_WEIGHTS, 4),
        (_ZAVADSKAS_PODVEZKO_2016, _ZAVADSKAS_PODVEZKO_2016_WEIGHTS, 4),
        (_ELSAYED_2017, _ELSAYED_2017_WEIGHTS, 6),
    ],
    ids=["xu-2004", "zavadskas-podvezko-2016", "elsayed-2017"],
)
def test_entropy_step_matches_published_weights(
    matrix: list[list[float]], published: list[float], decimals: int
) -> None:
    raw = np.array(matrix)
    weights = _entropy_step(raw, np.zeros(raw.shape[1], dtype=np.bool_))
    np.testing.assert_array_equal(np.round(weights, decimals), published)


def test_entropy_weights_run_the_published_step_on_min_max_values() -> None:
    # The public function is exactly min–max followed by the step checked above, so the published check
    # carries over; on these raw matrices the min–max variant gives other weights, as documented.
    raw = np.array(_XU_2004)
    higher = [True] * 4
    normalised, constant = _min_max(raw, np.ones(4, dtype=np.bool_))
    assert entropy_weights(raw, higher) == pytest.approx(_entropy_step(normalised, constant), rel=1e-15)
    assert not np.allclose(np.round(entropy_weights(raw, higher), 4), _XU_2004_WEIGHTS)


# ----------------------------------------------------------------------------------------------------
# Pareto (classic ABC) tiers
#
# Variant: tier A is the smallest set of top customers whose cumulative value reaches the cut, so the
# customer that crosses the cut is in A. That is the rule of the MDX functions TopPercent/TopSum ("returns
# the smallest subset of a set whose cumulative total is at least the specified percentage", Microsoft
# SQL Server Analysis Services MDX reference, TopPercent; Oracle Essbase MDX reference, TopPercent), checked
# here against the Mondrian OLAP engine's test suite. Many spreadsheet-style ABC tools instead put an item
# in A only while its cumulative share *including itself* is <= the cut, which sends the crossing item to
# B; the second example shows that difference on a published table.
# ----------------------------------------------------------------------------------------------------

# Mondrian OLAP engine (pentaho/mondrian), FoodMart sample database, Sales cube, 1997, Unit Sales by
# Promotion Media (FunctionTest, query "Order([Promotion Media].Children, [Measures].[Unit Sales], DESC)
# WHERE [Time].[1997]"; total 266,773 as the [All] member in InlineTableTest):
_FOODMART_MEDIA = {
    "No Media": 195448,
    "Daily Paper, Radio, TV": 9513,
    "Daily Paper": 7738,
    "Product Attachment": 7544,
    "Daily Paper, Radio": 6891,
    "Cash Register Handout": 6697,
    "Sunday Paper, Radio": 5945,
    "Street Handout": 5753,
    "Sunday Paper": 4339,
    "Bulk Mail": 4320,
    "In-Store Coupon": 3798,
    "TV": 3607,
    "Sunday Paper, Radio, TV": 2726,
    "Radio": 2454,
}
_FOODMART_TOTAL = 266773
# Same suite, FunctionTest.testTopPercent and testTopSum:
#   TopPercent({[Promotion Media].[Media Type].members}, 70, [Measures].[Unit Sales]) -> [No Media]
#   TopSum({[Promotion Media].[Media Type].members}, 200000, [Measures].[Unit Sales])
#       -> [No Media], [Daily Paper, Radio, TV]
_TOP_PERCENT_70 = {"No Media"}
_TOP_SUM_200000 = {"No Media", "Daily Paper, Radio, TV"}


def _tier_a(values: dict[str, int], cut: float) -> set[str]:
    ids = list(values)
    tiers = pareto_tiers(np.array([float(v) for v in values.values()]), ids, (cut,))
    return {i for i, t in zip(ids, tiers, strict=True) if t == 0}


def test_pareto_tier_a_matches_mondrian_top_percent() -> None:
    assert sum(_FOODMART_MEDIA.values()) == _FOODMART_TOTAL
    # No Media alone is 73.3 % of the total: it crosses 70 % and is the whole of A (a "<= 70 %" rule would
    # leave A empty).
    assert _tier_a(_FOODMART_MEDIA, 0.70) == _TOP_PERCENT_70


def test_pareto_tier_a_matches_mondrian_top_sum() -> None:
    # TopSum is TopPercent with the cut given as an amount: 200,000 of 266,773 = 74.97 %. No Media
    # (195,448) falls short; adding Daily Paper, Radio, TV (204,961) reaches it.
    assert _tier_a(_FOODMART_MEDIA, 200000 / _FOODMART_TOTAL) == _TOP_SUM_200000


# abc-classification (PyPI package, README example, versions 0.0.7 and 0.8): products by total sold,
# A up to 70 %, B the next 20 %, C the rest, with the published classes. Its rule is "cumulative share
# including the item <= cut". Cumulative shares: 27, 51, 69, 85, 91, 96, 100 %.
_ABC_CLASSIFICATION_README = {
    "fade cream": (27000, "A"),
    "powders": (24000, "A"),
    "shadows": (18000, "A"),
    "mascara": (16000, "B"),
    "lipstick": (6000, "B"),
    "concealer": (5000, "C"),
    "sculptors": (4000, "C"),
}


def test_pareto_differs_from_inclusive_cumulative_rule_only_at_the_crossing_item() -> None:
    ids = list(_ABC_CLASSIFICATION_README)
    values = np.array([float(v) for v, _ in _ABC_CLASSIFICATION_README.values()])
    ours = dict(zip(ids, ("ABC"[t] for t in pareto_tiers(values, ids, (0.70, 0.90))), strict=True))
    published = {name: cls for name, (_, cls) in _ABC_CLASSIFICATION_README.items()}
    # mascara takes the cumulative share from 69 % to 85 %: it crosses 70 %, so kactier's A (smallest set
    # reaching 70 %) includes it; the inclusive "<= 70 %" rule puts it in B. lipstick crosses 90 % (85 ->
    # 91 %) and is B under both rules. Every other product agrees.
    assert {n for n in ids if ours[n] != published[n]} == {"mascara"}
    assert ours["mascara"] == "A"


# ----------------------------------------------------------------------------------------------------
# Quantile tiers
#
# Variant: tiers 0..j hold the top round_half_up(n * cumulative share) customers by score, and a customer
# tied with the boundary customer joins the better tier. Equivalently, with rank = SQL RANK() by score
# descending (1 + number of strictly better scores), a customer is in the first tier j whose cumulative
# count reaches its rank. pandas.qcut cuts at interpolated quantiles of the values instead; the two agree
# on some published examples and differ on others, as the tests below pin down.
# ----------------------------------------------------------------------------------------------------


def test_quantile_matches_published_pandas_qcut_thirds() -> None:
    # pandas API reference, pandas.qcut, Examples:
    #   pd.qcut(range(5), 3, labels=["good", "medium", "bad"]) -> [good, good, medium, bad, bad]
    # i.e. lowest third {0, 1}, middle {2}, top third {3, 4}. kactier with 3 tiers of 1/3: n = 5,
    # top 1/3 -> round(1.67) = 2 customers, top 2/3 -> round(3.33) = 3.
    published = ["good", "good", "medium", "bad", "bad"]
    tiers = quantile_tiers(np.arange(5.0), [f"c{i}" for i in range(5)], (1 / 3, 1 / 3))
    assert [("bad", "medium", "good")[t] for t in tiers] == published


def test_quantile_differs_from_pandas_qcut_where_the_share_is_a_half_customer() -> None:
    # pandas API reference, pandas.qcut, Examples: pd.qcut(range(5), 4, labels=False) -> [0, 0, 1, 2, 3]
    # (label 3 = top quarter). qcut cuts at the interpolated median 2.0 with right-closed bins, so value 2
    # falls below the middle; kactier rounds 5 * 50 % = 2.5 customers half up to 3 and puts value 2 in
    # the upper half, and 5 * 75 % = 3.75 -> 4 customers in the top three quarters.
    qcut_labels = [0, 0, 1, 2, 3]
    tiers = quantile_tiers(np.arange(5.0), [f"c{i}" for i in range(5)], (0.25, 0.25, 0.25))
    ours_as_labels = [3 - int(t) for t in tiers]
    assert ours_as_labels == [0, 1, 2, 2, 3]
    assert [i for i in range(5) if ours_as_labels[i] != qcut_labels[i]] == [1, 2]


# PostgreSQL documentation, Tutorial section 3.5 "Window Functions":
#   SELECT depname, empno, salary, rank() OVER (PARTITION BY depname ORDER BY salary DESC) FROM empsalary;
_EMPSALARY_RANK = [
    ("develop", 8, 6000, 1),
    ("develop", 10, 5200, 2),
    ("develop", 11, 5200, 2),
    ("develop", 9, 4500, 4),
    ("develop", 7, 4200, 5),
    ("personnel", 2, 3900, 1),
    ("personnel", 5, 3500, 2),
    ("sales", 1, 5000, 1),
    ("sales", 4, 4800, 2),
    ("sales", 3, 4800, 2),
]


@pytest.mark.parametrize("depname", ["develop", "personnel", "sales"])
def test_quantile_ties_follow_published_sql_rank(depname: str) -> None:
    rows = [r for r in _EMPSALARY_RANK if r[0] == depname]
    salaries = np.array([float(r[2]) for r in rows])
    published_rank = [r[3] for r in rows]
    ids = [str(r[1]) for r in rows]
    assert competition_rank(salaries).tolist() == published_rank
    shares = (0.2, 0.3)
    n = len(rows)
    # cumulative counts round_half_up(n * c): develop (n = 5) -> 1, 3; personnel (2) -> 0, 1; sales (3) -> 1, 2
    counts = [int(np.floor(n * c + 0.5)) for c in np.cumsum(shares)]
    expected = [next((j for j, k in enumerate(counts) if rank <= k), len(counts)) for rank in published_rank]
    assert quantile_tiers(salaries, ids, shares).tolist() == expected
    if depname == "develop":
        # both 5200s share rank 2 and land in B together even though B's share is 1.5 customers
        assert expected == [0, 1, 1, 2, 2]
    if depname == "sales":
        # 3 * 20 % = 0.6 -> 1 customer in A; the tied 4800s (rank 2) fill B's count of 2 together
        assert expected == [0, 1, 1]
