"""Tiers within groups (``[tiers] group_by``) and capacity caps (``[tiers.capacity]``), SPEC §13.

Per-group tiers are checked against oracles written plainly here (a loop over the groups, each group's tiers from a
sort and a running sum), not against the grouping code; capacity against hand-worked cases: a simple cap, a cascade
A → B → C, ties at the cap boundary and overrides that are never moved but count.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import python_calamine as calamine
import xlsxwriter
from conftest import ZH_HEADERS, run, sheet_values, write_workbook

from kactier.config.files import config_toml, parse_config
from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.config.sheet_parser import config_from_rows
from kactier.config.sheet_writer import write_config_sheet
from kactier.errors import ConfigError
from kactier.problems import Action, IssueCode
from kactier.read.cells import RawSheet
from kactier.report.added import tier_marks
from kactier.scoring.engine import score_customers
from kactier.tiering.capacity import capacity_tiers, rank_order
from kactier.tiering.computed_abc import computed_abc_tiers
from kactier.tiering.grade import Grades, grade_customers
from kactier.validate.rows import validate_rows

HEADERS = [*ZH_HEADERS, "所在地区", "负责人", "年销售额", "调整级别"]
LEVELS = [{"label": "A"}, {"label": "B"}, {"label": "C"}]
REGIONS = ["华东", "华北", "华南", "西部", None]  # None: a blank group


def config_of(method: str, **tiers: Any) -> Config:
    """The key-account criteria with ``method`` and the given [tiers] keys."""
    base = load_preset("key-account").model_dump()
    levels = [dict(level) for level in base["tiers"]["levels"]]
    if method != "thresholds":
        for level in levels:
            level.pop("min_score", None)
    base["tiers"] = {**tiers, "method": method, "levels": levels}
    return Config.model_validate(base)


def graded(rows: list[list[Any]], config: Config) -> tuple[Grades, np.ndarray]:
    table = validate_rows(RawSheet(Path("in.xlsx"), "客户信息", 1, HEADERS, rows), config)
    scores = score_customers(table, config)
    return grade_customers(table, scores, config), np.asarray(scores.score, dtype=float)


def customer(
    cid: str, score: float, region: str | None, owner: str = "张三", sales: float = 0.0
) -> list[Any]:
    return [cid, f"客户{cid}", score, score, score, score, score, region, owner, sales, None]


def random_rows(seed: int, n: int) -> list[list[Any]]:
    rng = random.Random(seed)
    rows = []
    for i in rng.sample(range(1000), n):
        score = rng.choice([rng.randint(40, 100), 70, 85])  # ties on purpose
        sales = rng.choice([0, rng.randint(1, 50) * 1000, 20000])
        rows.append(customer(f"K{i:03d}", score, rng.choice(REGIONS), sales=sales))
    return rows


# -- oracles: one group at a time, from a plain sort -------------------------------------------------------------


def pareto_oracle(values: list[float], ids: list[str], cuts: list[float]) -> list[int]:
    """ABC by cumulative share: tier j until the running sum reaches cuts[j] of the total; zeros last."""
    order = sorted(range(len(values)), key=lambda i: (-values[i], ids[i]))
    total = sum(values)
    tiers = [len(cuts)] * len(values)
    running = 0.0
    for i in order:
        if values[i] == 0:
            break
        reached_before = running
        running += values[i]
        tiers[i] = next(
            (j for j, c in enumerate(cuts) if reached_before < c * total * (1 - 1e-12)), len(cuts)
        )
    return tiers


def quantile_oracle(scores: list[float], shares: list[float]) -> list[int]:
    """Top round-half-up(n × cumulative share) customers per tier; a tie with the boundary customer joins it."""
    n = len(scores)
    ordered = sorted(scores, reverse=True)
    sizes = []
    cumulative = 0.0
    for share in shares:
        cumulative += share
        count = min(int(np.floor(n * cumulative * (1 + 1e-12) + 0.5)), n)
        while 0 < count < n and ordered[count] == ordered[count - 1]:
            count += 1
        sizes.append(count)
    return [next((j for j, size in enumerate(sizes) if ordered.index(s) < size), len(shares)) for s in scores]


def per_group(rows: list[list[Any]], tiers_of: Any) -> list[int]:
    """``tiers_of(members)`` on each region's rows alone, put back in row order."""
    result = [-1] * len(rows)
    for region in REGIONS:
        members = [i for i, row in enumerate(rows) if row[7] == region]
        if members:
            for i, tier in zip(members, tiers_of(members), strict=True):
                result[i] = tier
    return result


@pytest.mark.parametrize("seed", range(6))
def test_pareto_runs_within_each_group(seed: int) -> None:
    rows = random_rows(seed, 40)
    grades, _ = graded(rows, config_of("pareto", group_by="所在地区"))
    expected = per_group(
        rows, lambda m: pareto_oracle([rows[i][9] for i in m], [rows[i][0] for i in m], [0.8, 0.95])
    )
    assert grades.tier.tolist() == expected
    assert grades.limits == ()


@pytest.mark.parametrize("seed", range(6))
def test_quantile_runs_within_each_group(seed: int) -> None:
    rows = random_rows(seed, 40)
    grades, score = graded(rows, config_of("quantile", group_by="region"))
    expected = per_group(rows, lambda m: quantile_oracle([float(score[i]) for i in m], [0.2, 0.3]))
    assert grades.tier.tolist() == expected


@pytest.mark.parametrize("seed", range(4))
def test_computed_abc_runs_within_each_group(seed: int) -> None:
    # The single-set method is checked against R's ABCanalysis in test_tiering.py; here only the grouping is under
    # test: each region's customers alone through it.
    rows = random_rows(seed, 60)
    grades, _ = graded(rows, config_of("computed-abc", group_by="所在地区"))
    expected = per_group(
        rows,
        lambda m: computed_abc_tiers([float(rows[i][9]) for i in m], [rows[i][0] for i in m]).tiers.tolist(),
    )
    assert grades.tier.tolist() == expected


def test_thresholds_are_the_same_with_or_without_groups() -> None:
    rows = random_rows(7, 40)
    plain, score = graded(rows, config_of("thresholds"))
    grouped, _ = graded(rows, config_of("thresholds", group_by="所在地区"))
    assert grouped.tier.tolist() == plain.tier.tolist()
    assert plain.tier.tolist() == [0 if s >= 85 else 1 if s >= 70 else 2 for s in score]


def test_a_group_of_one_and_a_blank_group_are_groups_and_blanks_are_reported() -> None:
    rows = [
        customer("K1", 90, "华东", sales=100),  # 100 of 110: 91% ≥ 80% → A; K2 starts below 95% → B
        customer("K2", 80, "华东", sales=10),
        customer("K3", 70, "华北", sales=10),  # alone in its group: the whole group's value, so A
        customer("K4", 60, None, sales=40),  # the blanks are one group: 40 of 50 is 80% → A, then B
        customer("K5", 50, None, sales=10),
    ]
    grades, _ = graded(rows, config_of("pareto", group_by="所在地区"))
    assert grades.tier.tolist() == [0, 1, 0, 0, 1]
    blanks = [i for i in grades.issues if i.code is IssueCode.BLANK_GROUP]
    assert [(i.row, i.column, i.action) for i in blanks] == [
        (5, "所在地区", Action.VALUE_KEPT),
        (6, "所在地区", Action.VALUE_KEPT),
    ]
    assert blanks[0].message("zh") == "分组列为空：该客户在“（空）”组内参与分级"
    assert blanks[0].message("en") == "blank group value: the customer is in the group of blanks for tiering"


def test_an_ungraded_customer_is_in_no_group() -> None:
    rows = [customer("K1", 90, "华东", sales=100), customer("K2", 80, "华东", sales=10)]
    rows.append(
        customer("K1", 70, None, sales=100)
    )  # duplicate id: not graded, so no blank-group note either
    grades, _ = graded(rows, config_of("pareto", group_by="所在地区"))
    assert grades.tier.tolist() == [0, 1, -1]
    assert not [i for i in grades.issues if i.code is IssueCode.BLANK_GROUP]


def test_a_group_column_the_sheet_does_not_have_is_a_config_error_naming_it() -> None:
    with pytest.raises(
        ConfigError, match=r"group_by in the config's \[tiers\] names the column '大区'"
    ) as caught:
        graded([customer("K1", 90, "华东")], config_of("quantile", group_by="大区"))
    assert caught.value.exit_code == 78
    assert "所在地区" in str(caught.value)  # the headers it does have


# -- capacity: the pure rule -----------------------------------------------------------------------------------


def capped(
    tiers: list[int], scores: Sequence[float], owners: list[str], caps: dict[int, int], **kw: Any
) -> list[int]:
    ids = kw.get("ids") or [f"K{i}" for i in range(len(tiers))]
    fixed = kw.get("fixed") or [False] * len(tiers)
    position = rank_order(scores, ids)
    moved: list[int] = capacity_tiers(tiers, position, owners, fixed, caps, 3).tolist()
    return moved


def test_a_simple_cap_moves_the_lowest_ranked_down_one_tier_per_owner() -> None:
    tiers = [0, 0, 0, 0, 0, 1]
    scores = [95, 92, 94, 93, 91, 80]
    owners = ["张三", "张三", "张三", "张三", "李四", "张三"]
    assert capped(tiers, scores, owners, {0: 2}) == [0, 1, 0, 1, 0, 1]  # 李四 has one A: under the cap


def test_a_move_that_overfills_the_next_tier_cascades() -> None:
    # A cap 1, B cap 1: 94 leaves A for B; B then holds 94 and 80, so 80 (the lowest-ranked of B) goes to C.
    assert capped([0, 0, 1, 2], [95, 94, 80, 50], ["x"] * 4, {0: 1, 1: 1}) == [0, 1, 2, 2]
    # Two over the A cap and B already full: both leave A, and the two lowest of B (80 and 79) go on to C.
    assert capped([0, 0, 0, 1, 1], [95, 94, 93, 80, 79], ["x"] * 5, {0: 1, 1: 2}) == [0, 1, 1, 2, 2]
    # B empty and capped at 0: what A lets go passes through B to C.
    assert capped([0, 0, 2], [95, 94, 10], ["x"] * 3, {0: 1, 1: 0}) == [0, 2, 2]


def test_ties_at_the_cap_are_settled_by_customer_id_whatever_the_row_order() -> None:
    ids = ["C2", "C10", "C1"]  # string order: C1 < C10 < C2, so C2 is the lowest-ranked of the three ties
    assert capped([0, 0, 0], [90, 90, 90], ["x"] * 3, {0: 2}, ids=ids) == [1, 0, 0]
    reordered = ["C1", "C2", "C10"]
    assert capped([0, 0, 0], [90, 90, 90], ["x"] * 3, {0: 2}, ids=reordered) == [0, 1, 0]


def test_overrides_count_toward_the_cap_but_are_never_moved() -> None:
    fixed = [True, False, False]
    # the override (lowest score) keeps A and takes the one place: both computed A move
    assert capped([0, 0, 0], [10, 95, 94], ["x"] * 3, {0: 1}, fixed=fixed) == [0, 1, 1]
    # overrides alone over the cap: they stay, the tier stays over its cap
    assert capped([0, 0, 0], [10, 20, 94], ["x"] * 3, {0: 1}, fixed=[True, True, False]) == [0, 0, 1]


# -- capacity through grading: marks and issues ----------------------------------------------------------------


def test_capacity_after_overrides_marks_the_moved_and_names_the_original_tier() -> None:
    rows = [
        customer("K1", 95, "华东", "张三"),
        customer("K2", 90, "华东", "张三"),
        customer("K3", 88, "华东", "张三"),
        customer("K4", 60, "华东", "张三"),
        customer("K5", 92, "华北", "李四"),
    ]
    rows[3][10] = "A"  # an override: counts toward 张三's A cap, never moved
    config = config_of("thresholds", capacity={"per": "负责人", "max": {"A": 2}})
    grades, _ = graded(rows, config)
    assert grades.computed.tolist() == [0, 0, 0, 2, 0]
    assert grades.tier.tolist() == [0, 1, 1, 0, 0]
    assert grades.moved is not None
    assert grades.moved.tolist() == [False, True, True, False, False]
    assert tier_marks(grades, "zh") == ["", "容量调整", "容量调整", "人工调整", ""]
    assert tier_marks(grades, "en")[1] == "Capacity"
    moves = [i for i in grades.issues if i.code is IssueCode.CAPACITY_MOVED]
    assert [(i.row, i.column, i.value, i.action) for i in moves] == [
        (3, "负责人", "张三", Action.TIER_MOVED),
        (4, "负责人", "张三", Action.TIER_MOVED),
    ]
    assert moves[0].message("zh") == "容量调整：原级别 A；负责人“张三”的 A 级客户已达上限 2 个，调为 B"
    assert moves[0].message("en") == (
        "capacity cap: original tier A; 负责人 '张三' already has its 2 A customers, moved to B"
    )
    assert grades.follow_up[1] == grades.follow_up[2] != grades.follow_up[0]  # B's follow-up, not A's


def test_group_by_and_capacity_together() -> None:
    rows = [customer(f"K{i}", 100 - i, "华东" if i % 2 else "华北", "张三") for i in range(10)]
    config = config_of("quantile", group_by="region", capacity={"per": "owner", "max": {"A": 1}})
    grades, score = graded(rows, config)
    uncapped = per_group(rows, lambda m: quantile_oracle([float(score[i]) for i in m], [0.2, 0.3]))
    assert uncapped.count(0) == 2  # one A per region of five
    assert grades.computed.tolist() == uncapped
    # one owner across both regions: the cap counts per owner, so the lower-scored of the two A customers moves
    assert grades.tier.tolist() == [
        0 if i == 0 else 1 if uncapped[i] == 0 else uncapped[i] for i in range(10)
    ]


def test_capacity_config_rules() -> None:
    with pytest.raises(ValueError, match=r"the last tier \(C\) takes everyone moved down; it has no cap"):
        config_of("thresholds", capacity={"per": "owner", "max": {"C": 1}})
    with pytest.raises(ValueError, match=r"capacity\.max names the tier 'D'"):
        config_of("thresholds", capacity={"per": "owner", "max": {"D": 1}})
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        config_of("thresholds", capacity={"per": "owner", "max": {"A": -1}})
    assert config_of("thresholds", capacity={"per": "负责人", "max": {"a": 3, "B": 0}}).tiers.caps() == {
        0: 3,
        1: 0,
    }


# -- the command line ------------------------------------------------------------------------------------------

TOML = """
name = "regional"
[[criteria]]
field = "annual_sales"
normalize = "log-minmax"
[tiers]
method = "pareto"
group_by = "所在地区"
[tiers.capacity]
per = "负责人"
max = { A = 1 }
[[tiers.levels]]
label = "A"
[[tiers.levels]]
label = "B"
[[tiers.levels]]
label = "C"
"""


def test_cli_grades_within_regions_with_a_cap_per_owner(tmp_path: Path) -> None:
    headers = ["客户编号", "客户名称", "所在地区", "负责人", "年销售额"]
    rows: list[list[Any]] = [
        ["K1", "甲", "华东", "张三", 9000],
        ["K2", "乙", "华东", "张三", 8000],  # A in 华东 by value, but 张三 already has K1: moved to B
        ["K3", "丙", "华东", "李四", 100],
        ["K4", "丁", "华北", "李四", 5000],
        ["K5", "戊", "华北", "李四", 10],
        ["K6", "己", None, "王五", 700],
    ]
    source = write_workbook(tmp_path / "in.xlsx", [headers, *rows])
    (tmp_path / "c.toml").write_text(TOML, encoding="utf-8")
    result = run("score", source, "--config", tmp_path / "c.toml", "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.stderr
    data = sheet_values(tmp_path / "in.tiered.xlsx", 0)
    header = data[0]
    tier, mark = header.index("客户级别"), header.index("级别标记")
    # 华东 9000/8000/100: 9000 is 53% of 17100, 17000 reaches 80% → K1, K2 A; 华北 5000/10: K4 A; K6 alone: A
    assert [(r[0], r[tier], r[mark]) for r in data[1:]] == [
        ("K1", "A", None),
        ("K2", "B", "容量调整"),
        ("K3", "C", None),
        ("K4", "A", None),
        ("K5", "C", None),  # 5000 of 5010 is past 95% already: B is empty in 华北
        ("K6", "A", None),
    ]
    summary = [[c for c in row if c is not None] for row in sheet_values(tmp_path / "in.tiered.xlsx", "汇总")]
    at = summary.index(["分组级别分布（客户数）"])
    assert summary[at + 1 : at + 6] == [
        ["所在地区", "A", "B", "C", "合计"],
        ["华东", 1, 1, 1, 3],
        ["华北", 1, 0, 1, 2],
        ["（空）", 1, 0, 0, 1],
        ["合计", 3, 1, 2, 6],
    ]
    at = summary.index(["容量分组级别分布（客户数）"])
    assert summary[at + 2 : at + 5] == [["李四", 1, 0, 2, 3], ["张三", 1, 1, 0, 2], ["王五", 1, 0, 0, 1]]
    issues = sheet_values(tmp_path / "in.tiered.xlsx", "问题")
    assert issues[1][:4] == [3, "负责人", "张三", "capacity_moved"]
    assert issues[1][4] == "容量调整：原级别 A；负责人“张三”的 A 级客户已达上限 1 个，调为 B"
    assert [r[:4] for r in issues[2:]] == [[7, "所在地区", None, "blank_group"]]


def test_cli_names_a_missing_group_column_with_exit_78(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "in.xlsx", [["客户编号", "客户名称", "年销售额"], ["K1", "甲", 1]])
    (tmp_path / "c.toml").write_text(TOML, encoding="utf-8")
    result = run("score", source, "--config", tmp_path / "c.toml")
    assert result.exit_code == 78
    assert "所在地区" in result.stderr
    assert "group_by" in result.stderr
    assert not (tmp_path / "in.tiered.xlsx").exists()


# -- the Config sheet and config show --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_group_by_and_capacity_round_trip_through_the_config_sheet(tmp_path: Path, lang: str) -> None:
    config = parse_config(TOML.replace('"所在地区"', '"region"').replace('"负责人"', '"owner"'), "c.toml")
    config = config.model_copy(update={"tiers": config.tiers.model_copy(update={"cuts": [0.8, 0.95]})})
    path = tmp_path / "cfg.xlsx"
    book = xlsxwriter.Workbook(str(path))
    write_config_sheet(book, book.add_worksheet("配置"), config, lang)  # type: ignore[arg-type]
    book.close()
    rows = (
        calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("配置")
        .to_python(skip_empty_area=False)
    )
    flat = [c for row in rows for c in row]
    assert ("分组分级依据" if lang == "zh" else "Tier within groups of") in flat
    assert ("容量上限" if lang == "zh" else "Capacity cap") in flat
    back = config_from_rows(rows, path=path, sheet="配置")
    assert back == config
    assert back.tiers.capacity is not None
    assert back.tiers.caps() == {0: 1}


def test_a_config_sheet_without_group_settings_has_no_group_rows(tmp_path: Path) -> None:
    path = tmp_path / "cfg.xlsx"
    book = xlsxwriter.Workbook(str(path))
    write_config_sheet(book, book.add_worksheet("配置"), load_preset("key-account"), "zh")
    book.close()
    rows = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("配置").to_python()
    flat = [c for row in rows for c in row]
    assert "分组分级依据" not in flat
    assert "容量上限" not in flat


def test_config_show_prints_group_by_and_capacity(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(TOML, encoding="utf-8")
    result = run("config", "show", "--config", tmp_path / "c.toml")
    assert result.exit_code == 0, result.stderr
    assert 'group_by = "所在地区"' in result.stdout
    assert "[tiers.capacity]" in result.stdout
    shown = parse_config(result.stdout.split("\n", 1)[1], "shown")
    given = parse_config(TOML, "c.toml")
    assert (shown.tiers.group_by, shown.tiers.capacity) == (given.tiers.group_by, given.tiers.capacity)
    assert shown == parse_config(config_toml(shown, "again").split("\n", 1)[1], "again")
