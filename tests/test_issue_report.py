"""Issues that help: problems before notes, repeated notes folded with their row ranges, the nothing-graded message,
the unfilled template, and a template's empty rows left unreported."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import EN_HEADERS, WORKED_EXAMPLE, ZH_HEADERS, run, write_workbook

from kactier.errors import ExitCode
from kactier.problems import (
    Action,
    IssueCode,
    RowIssue,
    fold_issues,
    in_report_order,
    is_problem,
    row_ranges,
)


def note(row: int, column: str = "客户名称") -> RowIssue:
    return RowIssue(row, column, None, IssueCode.MISSING_NAME, Action.VALUE_KEPT)


def problem(row: int, column: str = "购买力评分") -> RowIssue:
    return RowIssue(row, column, 150, IssueCode.OUT_OF_RANGE, Action.ROW_EXCLUDED, "0–100")


# -- ordering and folding ---------------------------------------------------------------------------------------------


def test_a_dropped_value_is_a_problem_and_a_blank_is_a_note() -> None:
    dropped = RowIssue(3, "购买力评分", "很多", IssueCode.NOT_A_NUMBER, Action.VALUE_MISSING)
    blank = RowIssue(3, "购买力评分", None, IssueCode.MISSING_VALUE, Action.VALUE_MISSING, "zero")
    assert is_problem(dropped)
    assert is_problem(problem(3))
    assert not is_problem(blank)
    assert not is_problem(note(3))


def test_problems_come_before_notes_and_nothing_is_lost() -> None:
    issues = [note(2), problem(3), note(4), problem(5)]
    ordered = in_report_order(issues)
    assert ordered == [problem(3), problem(5), note(2), note(4)]
    assert sorted(ordered, key=lambda i: i.row or 0) == issues


def test_notes_with_the_same_code_and_column_fold_into_one_group() -> None:
    issues = [note(r) for r in (3, 4, 5, 6, 7, 8, 9, 12)] + [note(10, "负责人"), problem(11)]
    groups = fold_issues(issues)
    assert [(g.code, g.column, len(g.issues)) for g in groups] == [
        (IssueCode.OUT_OF_RANGE, "购买力评分", 1),
        (IssueCode.MISSING_NAME, "客户名称", 8),
        (IssueCode.MISSING_NAME, "负责人", 1),
    ]
    assert groups[1].line("zh") == "缺少客户名称（保留原值）· 8 处：第 3–9、12 行"
    assert groups[1].line("en") == "customer name is missing (value kept) · 8 rows: rows 3–9, 12"
    assert groups[0].line("zh") == "数值超出允许范围 0–100（该行不参与评级）· 第 11 行"


def test_row_ranges() -> None:
    assert row_ranges([3, 4, 5, 6, 7, 8, 9, 12], "zh") == "3–9、12"
    assert row_ranges([3, 4, 5, 6, 7, 8, 9, 12], "en") == "3–9, 12"
    assert row_ranges([2, 4, 6, 8], "zh", limit=2) == "2、4 等"
    assert row_ranges([2, 4, 6, 8], "en", limit=2) == "2, 4, …"
    assert row_ranges([7], "en") == "7"


# -- the terminal ------------------------------------------------------------------------------------------------------


def many_notes(folder: Path) -> Path:
    rows = [[f"C{n:03d}", "", 80, 80, 80, 80, 80] for n in range(1, 8)]  # rows 2-8 without a name
    rows += [["C010", "好公司", 150, 80, 80, 80, 80], ["C011", "", 70, 70, 70, 70, 70]]
    return write_workbook(folder / "notes.xlsx", [ZH_HEADERS, *rows])


def test_the_summary_lists_problems_first_and_folds_repeated_notes(tmp_path: Path) -> None:
    result = run("score", many_notes(tmp_path), "--as-of", "2026-06-30")
    assert result.exit_code == ExitCode.OK, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    problems, notes = lines.index("需要处理的问题（1 条）："), lines.index("说明（8 条）：")
    assert problems < notes
    assert lines[problems + 1 : problems + 4] == [
        "  购买力评分",
        "    数值超出允许范围 0–100（该行不参与评级）· 第 9 行",
        "      处理：改到允许的范围内后重新运行",
    ]
    assert lines[notes + 1] == "  客户名称：缺少客户名称（保留原值）· 8 处：第 2–8、10 行"


def test_json_keeps_every_issue_and_writes_chinese_as_chinese(tmp_path: Path) -> None:
    result = run("validate", many_notes(tmp_path), "--json")
    payload = json.loads(result.stdout)
    assert len(payload["issue_list"]) == payload["issues"] == 9
    assert "缺少客户名称" in result.stdout
    assert "\\u" not in result.stdout


def hopeless(folder: Path) -> Path:
    return write_workbook(
        folder / "hopeless.xlsx",
        [
            ZH_HEADERS,
            ["C001", "超范围公司", 150, 80, 80, 80, 80],
            [None, "无编号公司", 80, 80, 80, 80, 80],
            ["C003", "坏数字公司", "很多", 80, 80, 80, 80],
            ["C004", "坏数字公司二", "不少", 80, 80, 80, 80],
        ],
    )


def test_nothing_graded_lists_the_top_problems_by_column_with_what_to_do(tmp_path: Path) -> None:
    source = hopeless(tmp_path)
    result = run("score", source)
    assert result.exit_code == ExitCode.DATA
    lines = [line.rstrip() for line in result.stderr.strip().splitlines()]
    assert lines[0] == f"kactier：错误： {source}：工作表“客户信息”：没有一行能评级"
    assert lines[1:] == [
        "  购买力评分",
        "    数值超出允许范围 0–100（该行不参与评级）· 第 2 行",
        "      处理：改到允许的范围内后重新运行",
        "    无法识别为数字（该行不参与评级）· 2 处：第 4–5 行",
        "      处理：改为数字（如 85）后重新运行",
        "  客户编号",
        "    缺少客户编号；请填写后重新评级（该行不参与评级）· 第 3 行",
    ]
    assert "validate" not in result.output
    assert not source.with_name("hopeless.tiered.xlsx").exists()


def test_validate_prints_every_problem_grouped_when_nothing_is_graded(tmp_path: Path) -> None:
    result = run("validate", hopeless(tmp_path))
    assert result.exit_code == ExitCode.DATA
    out = result.stdout
    assert "没有一行能评级：先处理下面的问题，再重新运行" in out
    assert "需要处理的问题（4 条）：" in out
    assert "无法识别为数字（该行不参与评级）· 2 处：第 4–5 行" in out
    assert "kactier validate" not in result.output


def test_nothing_graded_in_english(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "bad.xlsx", [EN_HEADERS, ["C1", "Acme", "lots", 80, 80, 80, 80]])
    result = run("score", source)
    assert result.exit_code == ExitCode.DATA
    assert result.stderr.splitlines()[1:] == [
        "  Purchasing Power",
        "    not a number (row excluded from grading) · row 2",
        "      to fix: enter a number (such as 85) and re-run",
    ]


# -- templates -----------------------------------------------------------------------------------------------------------


def template(folder: Path, lang: str = "zh") -> Path:
    path = folder / f"t-{lang}.xlsx"
    result = run("template", "-o", path, "--lang", lang, "--rows", "30")
    assert result.exit_code == 0, result.output
    return path


def test_an_unfilled_template_says_no_customers_entered_yet(tmp_path: Path) -> None:
    zh, en = template(tmp_path), template(tmp_path, "en")
    for command in ("score", "validate"):
        result = run(command, zh)
        assert result.exit_code == ExitCode.DATA
        assert (
            result.stderr.strip()
            == f"kactier：错误： {zh}：工作表“客户信息”：还没有填写客户；在表中填写客户后再运行"
        )
    result = run("score", en)
    assert result.exit_code == ExitCode.DATA
    assert "no customers entered yet" in result.stderr


def test_a_templates_empty_rows_are_not_reported(tmp_path: Path) -> None:
    path = template(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    score_column = [c.value for c in sheet[1]].index("购买力评分") + 1
    for row, (customer_id, name, *scores) in zip((2, 6), WORKED_EXAMPLE, strict=True):
        sheet.cell(row, 1, customer_id)
        sheet.cell(row, 2, name)
        for offset, value in enumerate(scores):
            sheet.cell(row, score_column + offset, value)
    book.save(path)
    result = run("validate", path, "--json")
    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["rows"]["scored"] == 2
    assert [i for i in payload["issue_list"] if i["code"] == "blank_row_skipped"] == []


def test_a_plain_sheets_blank_rows_are_still_reported(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "gap.xlsx", [ZH_HEADERS, WORKED_EXAMPLE[0], None, WORKED_EXAMPLE[1]])
    payload = json.loads(run("validate", source, "--json").stdout)
    assert [i["row"] for i in payload["issue_list"] if i["code"] == "blank_row_skipped"] == [3]
