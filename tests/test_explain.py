"""Every grade explained (Why, Points to next tier, Best lever) and tier stability (--stability), issue 17 items 3–4.

Hand-built customers whose numbers are worked out in the comments, on thresholds, quantile and Pareto; stability
against a plain loop over the same draws through the engine's own tier functions.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import ZH_HEADERS, run, sheet_values, write_workbook

import kactier
from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.read.cells import RawSheet
from kactier.scoring.engine import round_half_up, score_customers
from kactier.tiering.explain import explain_grades
from kactier.tiering.grade import grade_customers
from kactier.tiering.methods import quantile_tiers, threshold_tiers
from kactier.tiering.stability import tier_stability, weight_draws
from kactier.validate.rows import validate_rows

HEADERS = [*ZH_HEADERS, "所在地区", "年销售额"]


def config_of(method: str, levels_kept: int = 3, **tiers: Any) -> Config:
    base = load_preset("key-account").model_dump()
    levels = [dict(level) for level in base["tiers"]["levels"]][:levels_kept]
    if method != "thresholds":
        for level in levels:
            level.pop("min_score", None)
    base["tiers"] = {**tiers, "method": method, "levels": levels}
    return Config.model_validate(base)


def graded(rows: list[list[Any]], config: Config) -> tuple[Any, Any, Any]:
    table = validate_rows(RawSheet(Path("in.xlsx"), "客户信息", 1, HEADERS, rows), config)
    scores = score_customers(table, config)
    return table, scores, grade_customers(table, scores, config)


def frame(rows: list[list[Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HEADERS)


# Key-account: five 0–100 scores, equal weights (0.2 each), A ≥ 85, B ≥ 70, else C.
ROWS = [
    ["C1", "甲", 100, 100, 100, 100, 60, "华东", 900],  # 92 → A (top: no gap)
    [
        "C2",
        "乙",
        60,
        90,
        90,
        90,
        80,
        "华东",
        500,
    ],  # 82 → B: gap 3 = 15 points; equal costs: the first criterion
    ["C3", "丙", 100, 100, 100, 50, 50, "华北", 300],  # 80 → B: gap 5 = 25 points; the 100s are skipped
    ["C4", "丁", 60, 60, 60, 60, 60, "华北", 100],  # 60 → C: gap 10 = 50 points; 60 + 50 > 100 everywhere
    ["C5", "戊", 72, 68, 70, 70, 70, "华南", 50],  # 70 → B: gap 15 = 75 points, more than any room
]


def test_thresholds_gap_lever_and_why() -> None:
    out, _ = kactier.grade(frame(ROWS))
    gap, lever, why = out["距上一级差距"].tolist(), out["提升建议"].tolist(), out["评级说明"].tolist()
    assert out["客户级别"].tolist() == ["A", "B", "B", "C", "B"]
    assert pd.isna(gap[0])
    assert gap[1:] == [3.0, 5.0, 10.0, 15.0]
    assert pd.isna(lever[0])
    assert lever[1] == "购买力评分 +15 分（至 75）"  # 3 score points at weight 0.2 of 1
    assert lever[2] == "市场影响力评分 +25 分（至 75）"  # the three criteria at 100 are skipped
    assert lever[3] == lever[4] == "单项无法达到"
    # Why: B's mean points are 77.33 / 86 / 86.67 / 70 / 66.67; 丙 is 22.67 above on 购买力, 20 below on 市场影响力
    assert why[2] == "购买力评分 100 分高于 B 级均值；市场影响力评分 50 分偏低"
    assert why[0] == "各项均与 A 级均值持平"  # the only A customer is its tier's mean
    # 戊: 72 68 70 70 70 against the B mean: 交易频次 −18, 合作历史 −16.67 (购买力 −5.33, the others 0 and +3.33)
    assert why[4] == "交易频次评分 68 分低于 B 级均值；合作历史评分 70 分偏低"


@pytest.mark.parametrize("method", ["thresholds", "quantile"])
def test_lever_reaches_the_tier_above_when_applied(method: str) -> None:
    """Applying each lever and grading again lifts the customer exactly to the tier it names."""
    rng = random.Random(7)
    rows = [
        [f"K{i:02d}", f"客户{i}", *(rng.randint(40, 100) for _ in range(5)), "华东", rng.randint(1, 9) * 100]
        for i in range(40)
    ]
    config = load_preset("key-account") if method == "thresholds" else config_of("quantile")
    table, scores, grades = graded(rows, config)
    explanation = explain_grades(table, scores, grades, config)
    assert not explanation.approximate.any()  # 0–100 scores, manual weights, weighted sum: exact
    lifted = 0
    for i in np.flatnonzero(explanation.lever >= 0).tolist():
        changed = [list(r) for r in rows]
        changed[i][2 + int(explanation.lever[i])] = float(explanation.lever_to[i])
        _, _, again = graded(changed, config)
        assert again.tier[i] == explanation.target[i]
        changed[i][2 + int(explanation.lever[i])] = float(explanation.lever_to[i]) - 0.2
        _, _, short = graded(changed, config)
        assert short.tier[i] == grades.tier[i]  # 0.2 points fewer is not enough (0.1 steps, rounded up)
        lifted += 1
    assert lifted >= 5


def test_quantile_gap_is_the_boundary_customers_score() -> None:
    # 10 customers, top 20% (2) are A, next 30% (3) are B: scores 95 90 | 85 80 80 | 70 ...
    scores = [95, 90, 85, 80, 80, 70, 65, 60, 55, 50]
    rows = [[f"Q{i}", f"客户{i}", s, s, s, s, s, "华东", 1] for i, s in enumerate(scores)]
    config = config_of("quantile")
    table, result, grades = graded(rows, config)
    explanation = explain_grades(table, result, grades, config)
    assert grades.tier.tolist() == [0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
    gap = explanation.gap.tolist()
    assert np.isnan(gap[0])
    assert np.isnan(gap[1])
    assert gap[2:5] == [5.0, 10.0, 10.0]  # A's boundary customer has 90
    assert gap[5:] == [10.0, 15.0, 20.0, 25.0, 30.0]  # B's boundary customer has 80 (the tie joined B)
    # every criterion equals the score, so a gap g needs 5·g points: 85 + 25 already passes 100
    assert explanation.unreachable.tolist() == [False, False, *[True] * 8]


def test_quantile_boundary_within_group() -> None:
    rows = [
        ["G1", "甲", 90, 90, 90, 90, 90, "东", 1],
        ["G2", "乙", 60, 60, 60, 60, 60, "东", 1],
        ["G3", "丙", 70, 70, 70, 70, 70, "西", 1],
        ["G4", "丁", 50, 50, 50, 50, 50, "西", 1],
    ]
    config = config_of("quantile", 2, shares=[0.5], group_by="所在地区")
    table, result, grades = graded(rows, config)
    explanation = explain_grades(table, result, grades, config)
    assert grades.tier.tolist() == [0, 1, 0, 1]
    assert explanation.gap[1] == 30.0
    assert explanation.gap[3] == 20.0


def test_pareto_explained_by_value_and_independent_of_weights() -> None:
    # sales 900 500 300 100 50 of 1850: A reaches 80% = 1480 with 900 + 500 + 300 (1700); 100 → B (95%), 50 → C
    out, _ = kactier.grade(frame(ROWS), preset="sales-abc", stability=100)
    assert out["客户级别"].tolist() == ["A", "A", "A", "B", "C"]
    gap = out["距上一级差距"].tolist()
    assert pd.isna(gap[:3]).all()
    assert gap[3:] == [200.0, 50.0]
    assert out["提升建议"].tolist()[3] == "年销售额 +200（约）"
    assert out["评级说明"].tolist()[0] == "按年销售额分级：900，占总额 48.6%"
    assert set(out["级别稳定度"].tolist()) == {"不受权重影响"}


def oracle_stability(rows: list[list[Any]], config: Config, draws: int) -> list[float]:
    """The same draws through the engine's composite formula and tier functions, one draw at a time."""
    _table, scores, grades = graded(rows, config)
    keys = [c.key for c in config.criteria]
    points = scores.points[keys].to_numpy(dtype=float)
    kept = np.zeros(len(rows))
    ids = [r[0] for r in rows]
    for weights in weight_draws(np.asarray([scores.weights[k] for k in keys]), draws):
        composite = round_half_up((points * weights).sum(axis=1) / weights.sum(), config.score_decimals)
        if config.tiers.method == "thresholds":
            tiers = threshold_tiers(composite, [85, 70])
        else:
            tiers = quantile_tiers(composite, ids, config.tiers.effective_shares())
        kept += tiers == grades.computed
    shares: list[float] = (kept / draws).tolist()
    return shares


@pytest.mark.parametrize("method", ["thresholds", "quantile"])
def test_stability_matches_a_plain_loop(method: str) -> None:
    rng = random.Random(3)
    rows = [
        [f"S{i:02d}", f"客户{i}", *(rng.choice([rng.randint(50, 100), 85, 70]) for _ in range(5)), "东", 1]
        for i in range(60)
    ]
    config = load_preset("key-account") if method == "thresholds" else config_of("quantile")
    _, scores, grades = graded(rows, config)
    found = tier_stability(scores, grades, config, 300)
    assert found.share.tolist() == pytest.approx(oracle_stability(rows, config, 300), abs=1e-12)
    assert 0 < (found.share < 1).sum() < len(rows)  # some customers move, others do not


def test_stability_is_seeded_and_follows_the_customer() -> None:
    rows = [list(r) for r in ROWS]
    once, _ = kactier.grade(frame(rows), stability=200)
    again, _ = kactier.grade(frame(rows[::-1]), stability=200)
    assert once["级别稳定度"].tolist() == again["级别稳定度"].tolist()[::-1]
    shares = once["级别稳定度"].tolist()
    marks = once["级别标记"].tolist()
    assert [m == "临界" for m in marks] == [s < 0.8 for s in shares]


def test_cli_stability_json_rows_summary_and_round_trip(tmp_path: Path) -> None:
    # 己: 100 100 70 70 85 is 85 (A) under equal weights, and about as often below 85 as not under ±20%
    source = write_workbook(
        tmp_path / "in.xlsx", [HEADERS, *ROWS, ["C6", "己", 100, 100, 70, 70, 85, "华南", 10]]
    )
    out = tmp_path / "out.xlsx"
    result = run("score", source, "-o", out, "--stability", "--json", "--json-rows")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["stability"]["draws"] == 1000
    customers = {c["customer_id"]: c for c in payload["customers"]}
    assert customers["C2"]["points_to_next_tier"] == 3.0
    assert customers["C2"]["next_tier"] == "A"
    assert customers["C2"]["lever"] == {
        "criterion": "purchasing_power",
        "gain": 15.0,
        "to": 75.0,
        "approximate": False,
    }
    assert customers["C4"]["no_single_criterion"] is True
    assert customers["C1"]["lever"] is None
    assert customers["C6"]["borderline"] is True
    assert 0.3 < customers["C6"]["stability"] < 0.7
    assert customers["C4"]["stability"] == 1.0
    assert customers["C4"]["borderline"] is False
    assert payload["stability"]["borderline"]["A"] >= 1
    header = sheet_values(out)[0]
    assert header[-4:] == ["评级说明", "距上一级差距", "提升建议", "级别稳定度"]
    summary = [row[0] for row in sheet_values(out, "汇总")]
    assert any(isinstance(v, str) and v.startswith("临界客户") for v in summary)
    # the graded workbook scored again: its explanation columns are kactier's own, written afresh
    again = tmp_path / "again.xlsx"
    assert run("score", out, "-o", again, "--quiet").exit_code == 0
    assert sheet_values(again)[0][-3:] == ["评级说明", "距上一级差距", "提升建议"]
    plain = run("score", source, "-o", tmp_path / "plain.xlsx", "--json")
    assert json.loads(plain.stdout)["stability"] is None
    assert "customers" not in json.loads(plain.stdout)


def test_english_wording() -> None:
    rows = [list(r) for r in ROWS]
    english = pd.DataFrame(rows, columns=HEADERS)
    out, _ = kactier.grade(english, lang="en")
    assert out["Why"].tolist()[2] == "Purchasing Power 100, above the B mean; Market Influence 50, low"
    assert out["Best lever"].tolist()[2] == "Market Influence +25 points (to 75)"
    assert out["Best lever"].tolist()[3] == "no single criterion reaches it"


@pytest.mark.parametrize("aggregation", ["weighted-sum", "weighted-product"])
def test_rows_sure_to_keep_their_tier_do_keep_it_in_every_draw(aggregation: str) -> None:
    """The shortcut that skips customers far from a minimum never skips one that a draw would move."""
    from kactier.tiering import stability

    rng = np.random.default_rng(5)
    points = rng.integers(0, 101, size=(3000, 5)).astype(float)
    points[rng.random(points.shape) < 0.05] = np.nan  # criteria not counted (exclude)
    weights = np.asarray([0.3, 0.25, 0.2, 0.15, 0.1])
    how = stability._Aggregate(aggregation == "weighted-product", 1)
    drawn = weight_draws(weights, 400)
    base = stability.composites(points, weights[None, :], 1, product=how.product)[:, 0]
    computed = threshold_tiers(base, [85, 70])
    kept = stability._kept_thresholds(points, drawn, computed, [85, 70], how)
    for moved in (None, stability.moved_by(drawn, weights)):
        sure = stability.sure_to_keep(points, weights, computed, [85, 70], how, moved)
        assert 0.3 < sure.mean() < 1  # the shortcut matters, and some customers still need the draws
        assert (kept[sure] == 400).all()


def test_wordings_made_a_few_rows_at_a_time_are_the_wordings_of_all_rows_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # explain_text turns its arrays into Python values a chunk of rows at a time; chunks of two rows (a partial
    # last chunk included) give the same Why and Best lever as one chunk.
    from kactier.tiering import explain_text

    rows = [*ROWS, ["C6", "己", 90, 95, 85, 80, 75, "华南", 20], ["C7", "庚", 50, 50, 50, 50, 50, "华东", 10]]
    whole, _ = kactier.grade(frame(rows))
    monkeypatch.setattr(explain_text, "_CHUNK", 2)
    chunked, _ = kactier.grade(frame(rows))
    for column in ("评级说明", "提升建议"):
        assert chunked[column].tolist() == whole[column].tolist()
    assert whole["评级说明"].tolist()[2] == "购买力评分 100 分高于 B 级均值；市场影响力评分 50 分偏低"
