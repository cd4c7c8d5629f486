"""The review meeting's round trip: a graded workbook, its overrides edited, scored again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from conftest import EN_HEADERS, ZH_HEADERS, run, sheet_values, write_workbook

from kactier.errors import ExitCode

OWN_ZH = ["综合得分", "排名", "百分位", "客户级别", "级别标记", "建议措施", "下次跟进日期"]
EXPLAIN_ZH = ["评级说明", "距上一级差距", "提升建议"]  # after every other added column
ROWS = [
    ["C001", "ABC公司", 90, 80, 75, 85, 95, "张三", None, None],  # 85 → A
    ["C002", "XYZ公司", 80, 75, 80, 90, 80, "李四", None, None],  # 81 → B
    ["C003", "Q公司", 60, 60, 60, 60, 60, "张三", None, None],  # 60 → C
]


def graded(tmp_path: Path, headers: list[str], extra: list[str]) -> Path:
    source = write_workbook(tmp_path / "customers.xlsx", [[*headers, *extra], *ROWS])
    output = tmp_path / "customers.tiered.xlsx"
    result = run("score", source, "-o", output, "--as-of", "2026-11-30")
    assert result.exit_code == ExitCode.OK, result.output
    return output


def edit(path: Path, cells: dict[tuple[str, str], Any]) -> None:
    """Set cells by (header, customer id), as the review does in Excel."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for (column, cid), value in cells.items():
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == cid)
        sheet.cell(row, header.index(column) + 1).value = value
    book.save(path)


def by_id(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] is not None}


def test_the_reviewed_workbook_scored_again_replaces_its_own_columns(tmp_path: Path) -> None:
    first = graded(tmp_path, ZH_HEADERS, ["负责人", "调整级别", "调整原因"])
    edit(
        first,
        {("调整级别", "C001"): "C", ("调整原因", "C001"): "评审会：回款风险", ("调整级别", "C003"): "B"},
    )
    second = tmp_path / "reviewed.xlsx"

    result = run("score", first, "-o", second, "--as-of", "2026-11-30")

    assert result.exit_code == ExitCode.OK, result.output
    assert "customers.tiered.xlsx 评审前的级别相比：升级 1 · 降级 1 · 不变 1" in result.output
    rows = sheet_values(second, 0)
    header = rows[0]
    assert not [h for h in header if h.endswith(")")]  # no 综合得分 (2)
    for own in [*OWN_ZH, "上次级别", "级别变化"]:
        assert header.count(own) == 1, own
    assert header[:10] == [*ZH_HEADERS, "负责人", "调整级别", "调整原因"]
    customers = by_id(rows)
    assert [customers[c]["客户级别"] for c in ("C001", "C002", "C003")] == ["C", "B", "B"]
    assert [customers[c]["级别标记"] for c in ("C001", "C002", "C003")] == ["人工调整", None, "人工调整"]
    assert [customers[c]["上次级别"] for c in ("C001", "C002", "C003")] == ["A", "B", "C"]
    assert [customers[c]["级别变化"] for c in ("C001", "C002", "C003")] == ["降级", "不变", "升级"]
    assert customers["C001"]["调整原因"] == "评审会：回款风险"  # the input's override columns stay
    changes = sheet_values(second, "变动")
    assert changes[0] == [
        "客户编号",
        "客户名称",
        "级别变化",
        "上次级别",
        "客户级别",
        "上次得分",
        "综合得分",
        "得分变化",
        "调整原因",
    ]
    listed = {row[0]: row for row in changes[1:]}
    assert set(listed) == {"C001", "C003"}  # the unchanged customer is not listed
    assert listed["C001"][2:5] == ["降级", "A", "C"]
    assert listed["C001"][5:8] == [85, 85, 0]
    assert listed["C001"][8] == "评审会：回款风险"
    assert listed["C003"][2:5] == ["升级", "C", "B"]
    assert listed["C003"][8] is None
    summary = [row[:2] for row in sheet_values(second, "汇总")]
    assert ["上次评级", "customers.tiered.xlsx 评审前的级别"] in summary


def test_a_third_round_still_has_one_column_of_each(tmp_path: Path) -> None:
    first = graded(tmp_path, ZH_HEADERS, ["负责人", "调整级别", "调整原因"])
    edit(first, {("调整级别", "C002"): "A"})
    second, third = tmp_path / "second.xlsx", tmp_path / "third.xlsx"
    assert run("score", first, "-o", second).exit_code == ExitCode.OK
    edit(second, {("调整级别", "C002"): None})  # the next review takes the override back

    result = run("score", second, "-o", third, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    header = sheet_values(third, 0)[0]
    assert len(header) == len(set(header)) == 10 + len(OWN_ZH) + 2 + len(EXPLAIN_ZH)
    customers = by_id(sheet_values(third, 0))
    assert (customers["C002"]["上次级别"], customers["C002"]["客户级别"]) == ("A", "B")
    assert customers["C002"]["级别标记"] is None
    assert '"previous_run": 0' in result.output
    assert '"down": 1' in result.output


def test_an_older_output_with_piled_up_columns_is_read_from_its_last_ones(tmp_path: Path) -> None:
    # what scoring a graded workbook again gave before: the first run's columns kept, this run's with " (2)"
    old = [*OWN_ZH, *(f"{h} (2)" for h in OWN_ZH)]
    rows = [
        [
            "C001",
            "ABC公司",
            90,
            80,
            75,
            85,
            95,
            85,
            1,
            1.0,
            "B",
            "",
            "x",
            None,
            85,
            1,
            1.0,
            "A",
            "",
            "x",
            None,
        ],
        [
            "C002",
            "XYZ公司",
            80,
            75,
            80,
            90,
            80,
            81,
            2,
            0.5,
            "A",
            "",
            "x",
            None,
            81,
            2,
            0.5,
            "B",
            "",
            "x",
            None,
        ],
    ]
    source = write_workbook(tmp_path / "old.tiered.xlsx", [[*ZH_HEADERS, *old], *rows])
    output = tmp_path / "again.xlsx"

    result = run("score", source, "-o", output)

    assert result.exit_code == ExitCode.OK, result.output
    values = sheet_values(output, 0)
    assert values[0] == [*ZH_HEADERS, *OWN_ZH, "上次级别", "级别变化", *EXPLAIN_ZH]
    assert [row[-5:-3] for row in values[1:]] == [
        ["A", "不变"],
        ["B", "不变"],
    ]  # the " (2)" tiers were the last


def test_english_headers_round_trip_too(tmp_path: Path) -> None:
    first = graded(tmp_path, EN_HEADERS, ["Sales Owner", "Tier Override", "Override Reason"])
    edit(first, {("Tier Override", "C002"): "A", ("Override Reason", "C002"): "strategic"})
    second = tmp_path / "second.xlsx"

    result = run("score", first, "-o", second)

    assert result.exit_code == ExitCode.OK, result.output
    rows = sheet_values(second, 0)
    assert not [h for h in rows[0] if h.endswith(")")]
    assert by_id(rows)["C002"]["Tier"] == "A"
    assert by_id(rows)["C002"]["Tier mark"] == "Override"
    changes = sheet_values(second, "Changes")
    assert changes[1][:5] == ["C002", "XYZ公司", "Up", "B", "A"]
    assert changes[1][8] == "strategic"


def test_a_sheet_with_only_some_of_the_headers_keeps_them_as_its_own(tmp_path: Path) -> None:
    # a CRM export with its own 客户级别 and 综合得分 is not a graded workbook: nothing is dropped
    rows = [[*r[:7], "VIP", 3] for r in ROWS]
    source = write_workbook(tmp_path / "crm.xlsx", [[*ZH_HEADERS, "客户级别", "综合得分"], *rows])
    output = tmp_path / "crm.tiered.xlsx"

    result = run("score", source, "-o", output)

    assert result.exit_code == ExitCode.OK, result.output
    header = sheet_values(output, 0)[0]
    assert header[:9] == [*ZH_HEADERS, "客户级别", "综合得分"]
    assert "客户级别 (2)" in header
    assert "上次级别" not in header
    assert "变动" not in openpyxl.load_workbook(output, read_only=True).sheetnames
