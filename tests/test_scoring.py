"""Composite scores, ranks and tiers (SPEC §4–§5)."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ZH_HEADERS

from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.problems import Action, IssueCode
from kactier.read.cells import RawSheet
from kactier.scoring.engine import Scores, round_half_up, score_customers
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows

HEADERS = ZH_HEADERS


def grade_rows(rows: list[list[Any]], config: Config | None = None) -> tuple[Scores, list[str]]:
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
    scores, tiers = grade_rows([["K1", "ABC公司", 90, 80, 75, 85, 95], ["K2", "XYZ公司", 80, 75, 80, 90, 80]])
    assert list(scores.score) == [85.0, 81.0]
    assert tiers == ["A", "B"]
    assert list(scores.rank) == [1, 2]
    assert scores.weights == {k: pytest.approx(0.2) for k in scores.weights}


def test_thresholds_boundaries_and_the_last_tier() -> None:
    _, tiers = grade_rows(
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
    scores, tiers = grade_rows([["K1", "a", 84.996, 84.996, 84.996, 84.996, 84.996]])
    assert scores.score[0] == 85.0
    assert tiers == ["A"]


def test_equal_scores_share_the_smallest_rank() -> None:
    scores, _ = grade_rows(
        [
            ["K1", "a", 90, 90, 90, 90, 90],
            ["K2", "b", 80, 80, 80, 80, 80],
            ["K3", "c", 90, 90, 90, 90, 90],
            ["K4", "d", 70, 70, 70, 70, 70],
        ]
    )
    assert list(scores.rank) == [1, 3, 1, 4]


def test_missing_scores_are_reweighted_over_the_criteria_present() -> None:
    scores, _ = grade_rows([["K1", "a", 90, "", 80, 70, 60]])
    assert scores.score[0] == pytest.approx((90 + 80 + 70 + 60) / 4)
    (issue,) = scores.issues
    assert (issue.row, issue.column, issue.code, issue.action) == (
        2,
        "交易频次评分",
        IssueCode.MISSING_VALUE,
        Action.VALUE_MISSING,
    )


def test_a_row_with_no_criterion_is_not_graded() -> None:
    scores, tiers = grade_rows([["K1", "a", 90, 90, 90, 90, 90], ["K2", "b", "", "", "", "", ""]])
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
    scores, _ = grade_rows(
        [["K1", "a", 80, 80, 80, 80, 80], ["K2", "b", 60, 60, 60, 60, 60], ["K3", "c", 75, "", 75, 75, 75]],
        config,
    )
    assert scores.score[2] == pytest.approx(expected)


def test_reject_policy_excludes_the_row() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"] = [dict(c, missing="reject") for c in base["criteria"]]
    scores, tiers = grade_rows(
        [["K1", "a", 80, "", 80, 80, 80], ["K2", "b", 60, 60, 60, 60, 60]], Config.model_validate(base)
    )
    assert tiers == ["", "C"]
    assert [i.action for i in scores.issues] == [Action.ROW_EXCLUDED]


def test_minmax_constant_column_is_neutral_and_reported() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"][0]["normalize"] = "minmax"
    scores, _ = grade_rows(
        [["K1", "a", 50, 80, 80, 80, 80], ["K2", "b", 50, 60, 60, 60, 60]], Config.model_validate(base)
    )
    assert list(scores.points["purchasing_power"]) == [50.0, 50.0]
    assert any("purchasing_power" in note for note in scores.notes)


def test_scaling_manual_weights_changes_nothing() -> None:
    rows = [["K1", "a", 90, 10, 50, 60, 70], ["K2", "b", 20, 95, 40, 30, 88]]
    base = load_preset("key-account").model_dump()
    for i, c in enumerate(base["criteria"]):
        c["weight"] = i + 1
    first, _ = grade_rows(rows, Config.model_validate(base))
    for c in base["criteria"]:
        c["weight"] *= 7.5
    second, _ = grade_rows(rows, Config.model_validate(base))
    assert list(first.score) == list(second.score)


def test_rounding_is_half_up_as_in_excel() -> None:
    assert list(round_half_up(np.array([84.5, 84.125, 84.49, 0.0, np.nan]), 0)[:4]) == [85.0, 84.0, 84.0, 0.0]
    assert round_half_up(np.array([84.125]), 2)[0] == 84.13
    assert round_half_up(np.array([1.005]), 2)[0] == 1.01  # 1.005 is 1.00499999… in binary: noise removed


def test_float_noise_is_a_constant_column_not_a_spread() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"][0]["normalize"] = "log-minmax"
    noisy = 0.1 + 0.2  # 0.30000000000000004
    scores, _ = grade_rows(
        [["K1", "a", noisy, 80, 80, 80, 80], ["K2", "b", 0.3, 60, 60, 60, 60]], Config.model_validate(base)
    )
    assert list(scores.points["purchasing_power"]) == [50.0, 50.0]
    assert not np.isnan(scores.score).any()


def test_an_override_wins_and_is_marked_but_not_on_an_ungraded_row() -> None:
    config = load_preset("key-account")
    headers = [*HEADERS, "调整级别", "调整原因"]
    rows = [
        ["K1", "a", 60, 60, 60, 60, 60, "a", "战略客户"],
        ["K2", "b", 90, 90, 90, 90, 90, "Z", ""],
        ["K3", "c", 190, 90, 90, 90, 90, "A", "战略客户"],
    ]
    table = validate_rows(RawSheet(Path("in.xlsx"), "S", 1, headers, rows), config)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config)
    assert list(grades.computed) == [2, 0, -1]
    assert list(grades.tier) == [0, 0, -1]
    assert list(grades.overridden) == [True, False, False]
    assert [(i.row, i.code) for i in grades.issues] == [
        (3, IssueCode.UNKNOWN_TIER),
        (4, IssueCode.OVERRIDE_NOT_APPLIED),
    ]


def test_provisional_marks_follow_whole_months_before_the_as_of_date() -> None:
    import datetime as dt

    config = load_preset("key-account")
    headers = [*HEADERS, "首次合作日期"]
    rows = [
        ["K1", "a", 90, 90, 90, 90, 90, dt.date(2026, 5, 30)],  # 5 whole months → provisional
        ["K2", "b", 90, 90, 90, 90, 90, dt.date(2026, 5, 22)],  # exactly 6 months → not provisional
        ["K3", "c", 90, 90, 90, 90, 90, ""],  # no date, no tenure → not provisional
    ]
    table = validate_rows(RawSheet(Path("in.xlsx"), "S", 1, headers, rows), config)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config, as_of=dt.date(2026, 11, 22))
    assert list(grades.provisional) == [True, False, False]
    assert grades.follow_up == [dt.date(2026, 12, 22)] * 3  # A: follow up in 30 days


def test_bins_give_the_points_of_the_bin_and_a_cut_point_belongs_to_the_bin_above() -> None:
    base = load_preset("key-account").model_dump()
    base["criteria"] = [
        {"field": "purchasing_power", "normalize": "bins", "bins": [50, 80], "points": [0, 60, 100]}
    ]
    scores, _ = grade_rows(
        [["K1", "a", 49, 1, 1, 1, 1], ["K2", "b", 50, 1, 1, 1, 1], ["K3", "c", 80, 1, 1, 1, 1]],
        Config.model_validate(base),
    )
    assert list(scores.score) == [0.0, 60.0, 100.0]
