"""Invariants of scoring and tiering, checked by hypothesis (SPEC §10)."""

from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.read.cells import RawSheet
from kactier.scoring.engine import score_customers
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows

HEADERS = ["客户编号", "客户名称", "年销售额", "交易次数", "回款天数", "购买力评分", "客户忠诚度评分"]
NORMALIZATIONS = ["score", "minmax", "log-minmax", "rank", "zscore"]


def config_for(normalize: str, method: str, weights: tuple[float, float, float] = (1, 2, 3)) -> Config:
    """Three criteria (sales, orders, payment days lower-is-better) or the two 0–100 scores."""
    score_fields = [("purchasing_power", "higher"), ("loyalty_score", "higher")]
    money_fields = [("annual_sales", "higher"), ("orders", "higher"), ("payment_days", "lower")]
    fields = score_fields if normalize == "score" else money_fields
    criteria = [
        {"field": f, "direction": d, "normalize": normalize, "weight": w}
        for (f, d), w in zip(fields, weights, strict=False)
    ]
    levels: list[dict[str, Any]] = [{"label": "A"}, {"label": "B"}, {"label": "C"}]
    tiers: dict[str, Any] = {"method": method, "levels": levels}
    if method == "thresholds":
        levels[0]["min_score"], levels[1]["min_score"] = 70, 40
    return Config.model_validate({"criteria": criteria, "tiers": tiers})


customers = st.lists(
    st.tuples(
        st.floats(0, 1e7, allow_nan=False),
        st.integers(0, 200),
        st.integers(0, 180),
        st.integers(0, 100),
        st.integers(0, 100),
    ),
    min_size=2,
    max_size=25,
)


def grade(
    rows: list[tuple[Any, ...]], config: Config, ids: list[str] | None = None
) -> dict[str, tuple[float, int]]:
    ids = ids or [f"K{i:03d}" for i in range(len(rows))]
    cells = [[cid, f"客户{cid}", *row] for cid, row in zip(ids, rows, strict=True)]
    table = validate_rows(RawSheet(Path("p.xlsx"), "S", 1, HEADERS, cells), config)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config)
    return {cid: (float(s), int(t)) for cid, s, t in zip(ids, scores.score, grades.tier, strict=True)}


@settings(max_examples=60, deadline=None)
@given(customers, st.sampled_from(NORMALIZATIONS), st.sampled_from(["thresholds", "quantile"]))
def test_scores_stay_within_0_and_100(rows: list[tuple[Any, ...]], normalize: str, method: str) -> None:
    result = grade(rows, config_for(normalize, method))
    assert all(0.0 <= score <= 100.0 for score, _ in result.values())
    assert all(tier >= 0 for _, tier in result.values())


@settings(max_examples=60, deadline=None)
@given(customers, st.sampled_from(NORMALIZATIONS), st.sampled_from(["thresholds", "quantile"]), st.randoms())
def test_shuffling_rows_changes_nothing(
    rows: list[tuple[Any, ...]], normalize: str, method: str, rnd: Any
) -> None:
    config = config_for(normalize, method)
    ids = [f"K{i:03d}" for i in range(len(rows))]
    order = list(range(len(rows)))
    rnd.shuffle(order)
    first = grade(rows, config, ids)
    second = grade([rows[i] for i in order], config, [ids[i] for i in order])
    assert first == second


@settings(max_examples=60, deadline=None)
@given(
    customers,
    st.sampled_from(NORMALIZATIONS),
    st.sampled_from(["thresholds", "quantile"]),
    st.data(),
)
def test_raising_a_higher_is_better_value_never_lowers_score_or_tier(
    rows: list[tuple[Any, ...]], normalize: str, method: str, data: st.DataObject
) -> None:
    config = config_for(normalize, method)
    who = data.draw(st.integers(0, len(rows) - 1))
    # Columns 0 and 1 (sales, orders) or 3 and 4 (the two 0–100 scores) are higher-is-better.
    column = data.draw(st.sampled_from([3, 4] if normalize == "score" else [0, 1]))
    bump = data.draw(st.integers(1, 50))
    raised = [list(r) for r in rows]
    raised[who][column] = (
        min(raised[who][column] + bump, 100) if normalize == "score" else raised[who][column] + bump
    )
    cid = f"K{who:03d}"
    before, after = grade(rows, config)[cid], grade([tuple(r) for r in raised], config)[cid]
    assert after[0] >= before[0]
    assert after[1] <= before[1]  # tier 0 is the best


@settings(max_examples=40, deadline=None)
@given(
    customers,
    st.sampled_from(NORMALIZATIONS),
    st.tuples(st.floats(0.01, 10), st.floats(0.01, 10), st.floats(0.01, 10)),
    st.floats(0.001, 1000),
)
def test_scaling_all_manual_weights_changes_nothing(
    rows: list[tuple[Any, ...]], normalize: str, weights: tuple[float, float, float], factor: float
) -> None:
    scaled = (weights[0] * factor, weights[1] * factor, weights[2] * factor)
    first = grade(rows, config_for(normalize, "thresholds", weights))
    second = grade(rows, config_for(normalize, "thresholds", scaled))
    assert first == second


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_pareto_tiers_meet_the_cuts_exactly(sales: list[float]) -> None:
    config = load_preset("sales-abc")
    rows = [(s, 1, 30, 50, 50) for s in sales]
    result = grade(rows, config)
    total = sum(sales)
    ordered = sorted(((s, cid) for cid, s in zip(result, sales, strict=True)), key=lambda x: (-x[0], x[1]))
    tiers = [result[cid][1] for _, cid in ordered]
    assert tiers == sorted(tiers)  # tiers follow the value order (ties by id)
    if total == 0:
        assert set(tiers) == {2}
        return
    shares = np.cumsum([s for s, _ in ordered]) / total
    for tier, cut in ((0, 0.80), (1, 0.95)):
        members = [i for i, t in enumerate(tiers) if t <= tier]
        positive = [i for i in members if ordered[i][0] > 0]
        if positive:
            last = positive[-1]
            assert shares[last] >= cut - 1e-9  # the set reaches the cut
            assert last == 0 or shares[last - 1] < cut + 1e-9  # and is the smallest that does
