"""Composite scores, ranks and tiers (SPEC §4–§5)."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kactier.config import Config, load_preset
from kactier.grading import grade_customers
from kactier.problems import Action, IssueCode
from kactier.read import RawSheet
from kactier.scoring import Scores, score_customers
from kactier.validate import validate_rows

HEADERS = [
    "客户编号",
    "客户名称",
    "购买力评分",
    "交易频次评分",
    "合作历史评分",
    "市场影响力评分",
    "客户忠诚度评分",
]


def run(rows: list[list[Any]], config: Config | None = None) -> tuple[Scores, list[str]]:
    config = config or load_preset("key-account")
    raw = RawSheet(Path("in.xlsx"), "客户信息", 1, HEADERS, rows)
    table = validate_rows(raw, config)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config)
    labels = [config.tiers.levels[t].label if t >= 0 else "" for t in grades.tier]
    return scores, labels


def test_the_worked_example_of_the_practice() -> None:
    # 大客户分级管理 worked example: five indicator scores, equal weights, A >= 85, B >= 70.
    # ABC公司 90/80/75/85/95 -> (90+80+75+85+95)/5 = 85 -> A (85 is A's minimum: the boundary belongs to A).
    # XYZ公司 80/75/80/90/80 -> 405/5 = 81 -> B.
    scores, tiers = run([["K1", "ABC公司", 90, 80, 75, 85, 95], ["K2", "XYZ公司", 80, 75, 80, 90, 80]])
    assert list(scores.score) == [85.0, 81.0]
    assert tiers == ["A", "B"]
    assert list(scores.rank) == [1, 2]
    assert scores.weights == {k: pytest.approx(0.2) for k in scores.weights}


def test_thresholds_boundaries_and_the_last_tier() -> None:
    _, tiers = run(
        [
            ["K1", "a", 85, 85, 85, 85, 85],
            ["K2", "b", 84.99, 84.99, 84.99, 84.99, 84.99],
            ["K3", "c", 70, 70, 70, 70, 70],
            ["K4", "d", 69.99, 69.99, 69.99, 69.99, 69.99],
            ["K5", "e", 0, 0, 0, 0, 0],
        ]
    )
    assert tiers == ["A", "B", "B", "C", "C"]


def test_the_score_is_rounded_before_it_is_compared() -> None:
    # 84.996 shows as 85.00 with two decimals, so it is graded as the 85 a user sees.
    scores, tiers = run([["K1", "a", 84.996, 84.996, 84.996, 84.996, 84.996]])
    assert scores.score[0] == 85.0
    assert tiers == ["A"]


def test_equal_scores_share_the_smallest_rank() -> None:
    scores, _ = run(
        [
            ["K1", "a", 90, 90, 90, 90, 90],
            ["K2", "b", 80, 80, 80, 80, 80],
            ["K3", "c", 90, 90, 90, 90, 90],
            ["K4", "d", 70, 70, 70, 70, 70],
        ]
    )
    assert list(scores.rank) == [1, 3, 1, 4]


def test_missing_scores_are_reweighted_over_the_criteria_present() -> None:
    scores, _ = run([["K1", "a", 90, "", 80, 70, 60]])
    assert scores.score[0] == pytest.approx((90 + 80 + 70 + 60) / 4)
    (issue,) = scores.issues
    assert (issue.row, issue.column, issue.code, issue.action) == (
        2,
        "交易频次评分",
        IssueCode.MISSING_VALUE,
        Action.VALUE_MISSING,
    )


def test_a_row_with_no_criterion_is_not_graded() -> None:
    scores, tiers = run([["K1", "a", 90, 90, 90, 90, 90], ["K2", "b", "", "", "", "", ""]])
    assert tiers == ["A", ""]
    assert np.isnan(scores.score[1])
    assert scores.rank[1] == 0
    assert IssueCode.NO_CRITERIA in {i.code for i in scores.issues}


# K3's blank criterion: zero -> 0 points, (4·75 + 0)/5 = 60; median of (80, 60) = 70 -> (4·75 + 70)/5 = 74.
@pytest.mark.parametrize(("policy", "expected"), [("zero", 60.0), ("median", 74.0)])
def test_missing_policies(policy: str, expected: float) -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"] = [dict(c, missing=policy) for c in base["criteria"]]
    config = Config.model_validate(base)
    scores, _ = run(
        [["K1", "a", 80, 80, 80, 80, 80], ["K2", "b", 60, 60, 60, 60, 60], ["K3", "c", 75, "", 75, 75, 75]],
        config,
    )
    assert scores.score[2] == pytest.approx(expected)


def test_reject_policy_excludes_the_row() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"] = [dict(c, missing="reject") for c in base["criteria"]]
    scores, tiers = run(
        [["K1", "a", 80, "", 80, 80, 80], ["K2", "b", 60, 60, 60, 60, 60]], Config.model_validate(base)
    )
    assert tiers == ["", "C"]
    assert [i.action for i in scores.issues] == [Action.ROW_EXCLUDED]


def test_minmax_constant_column_is_neutral_and_reported() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"][0]["normalize"] = "minmax"
    scores, _ = run(
        [["K1", "a", 50, 80, 80, 80, 80], ["K2", "b", 50, 60, 60, 60, 60]], Config.model_validate(base)
    )
    assert list(scores.points["purchasing_power"]) == [50.0, 50.0]
    assert any("purchasing_power" in note for note in scores.notes)


def test_scaling_manual_weights_changes_nothing() -> None:
    rows = [["K1", "a", 90, 10, 50, 60, 70], ["K2", "b", 20, 95, 40, 30, 88]]
    base = load_preset("key-account").model_dump()
    for i, c in enumerate(base["criteria"]):
        c["weight"] = i + 1
    first, _ = run(rows, Config.model_validate(base))
    for c in base["criteria"]:
        c["weight"] *= 7.5
    second, _ = run(rows, Config.model_validate(base))
    assert list(first.score) == list(second.score)
