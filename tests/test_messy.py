"""Messy but honest workbooks (SPEC §2, §3): understood, and every assumption reported in the Issues sheet.

Each case is built in code (XlsxWriter, openpyxl, or an .xlsx part edited by :mod:`crafted`), graded through the
command line, and checked three ways: the facts the case is about (a value read, a row graded or skipped), the
issue that reports the assumption, and the nothing-lost accounting of :mod:`test_nothing_lost` (every input row in
the output unchanged or in the Issues sheet). Since kactier shows an input cell as Excel shows it (a formula's
saved value, a merged range filled down), the accounting compares against that view of the input
(:func:`as_excel_shows`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from conftest import EN_HEADERS, ZH_HEADERS, libreoffice_convert, run, write_workbook
from crafted import SHEET, rewrite_member, valid_workbook
from openpyxl.styles.numbers import FORMAT_PERCENTAGE
from test_nothing_lost import assert_nothing_lost

from kactier.errors import ExitCode
from kactier.values import excel_serial_to_date

SCORES = ZH_HEADERS[2:]
FORMULA_LIKE = [
    '=HYPERLINK("http://example.com","点我")',
    "+86 138 0000 0000",
    "-5% 折扣",
    "@销售部",
    "\t缩进",
]


def graded(source: Path, output: Path, *args: str) -> dict[str, Any]:
    """Run ``kactier score --json`` and return its summary (exit 0 required)."""
    result = run("score", source, "-o", output, "--json", *args)
    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


def issues(payload: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in payload["issue_list"] if i["code"] == code]


def data_rows(output: Path, sheet: str = "客户信息") -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(output)[sheet].iter_rows(values_only=True))


def as_excel_shows(source: Path, sheet: str, header_row: int, target: Path, renamed: dict[int, str]) -> Path:
    """A plain copy of ``source``'s sheet as Excel shows it: saved formula values (the formula's text where none
    was saved), and merged ranges below the header filled down their first column."""
    shown = openpyxl.load_workbook(source, data_only=True)[sheet]
    typed = openpyxl.load_workbook(source)[sheet]
    rows: list[list[Any]] = []
    for r in range(1, shown.max_row + 1):
        row = []
        for c in range(1, shown.max_column + 1):
            value = shown.cell(r, c).value
            formula = typed.cell(r, c).value
            if value is None and isinstance(formula, str) and formula.startswith("="):
                value = formula
            row.append(value)
        rows.append(row)
    for merged in typed.merged_cells.ranges:
        if merged.min_row > header_row:
            anchor = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row + 1, merged.max_row + 1):
                rows[r - 1][merged.min_col - 1] = anchor
    for column, name in renamed.items():
        rows[header_row - 1][column] = name
    return write_workbook(target, rows, sheet=sheet)


def lose_nothing(
    source: Path, output: Path, sheet: str, header_row: int, tmp: Path, renamed: dict[int, str] | None = None
) -> None:
    """The accounting of :func:`assert_nothing_lost` against the input as Excel shows it; ``renamed`` gives the
    headers (by 0-based column) written under another name, as the Issues sheet reports."""
    copy = as_excel_shows(source, sheet, header_row, tmp / "as_shown.xlsx", renamed or {})
    outcome = assert_nothing_lost(copy, output, sheet=sheet, header_row=header_row)
    assert outcome.kept >= 1


# -- header, banners, merged cells --------------------------------------------------------------------------------


def test_header_under_a_merged_banner_and_blank_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户信息"
    sheet["A1"] = "2026年度大客户分级评估表"
    sheet.merge_cells("A1:G1")
    sheet["A3"] = "（内部资料，请勿外传）"
    for row in [ZH_HEADERS, ["C001", "ABC公司", 90, 80, 75, 85, 95], ["C002", "XYZ公司", 80, 75, 80, 90, 80]]:
        sheet.append(row)
    source = tmp_path / "banner.xlsx"
    book.save(source)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    assert payload["header_row"] == 4
    assert [i["row"] for i in issues(payload, "title_row_skipped")] == [1, 3]
    assert not issues(payload, "merged_filled")  # a banner above the header is a title, not data
    lose_nothing(source, output, "客户信息", 4, tmp_path)


def test_a_merged_category_cell_fills_down(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户信息"
    sheet.append([*ZH_HEADERS, "所在地区"])
    for i, region in enumerate(["华东", None, None, "华南", None]):
        sheet.append([f"C00{i + 1}", f"公司{i + 1}", 80, 80, 80, 80, 80, region])
    sheet.merge_cells("H2:H4")
    sheet.merge_cells("H5:H6")
    source = tmp_path / "merged.xlsx"
    book.save(source)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    rows = data_rows(output)
    assert [r[7] for r in rows[1:]] == ["华东", "华东", "华东", "华南", "华南"]
    filled = issues(payload, "merged_filled")
    assert [(i["row"], i["column"], i["value"]) for i in filled] == [
        (2, "所在地区", "华东"),
        (5, "所在地区", "华南"),
    ]
    assert "H2:H4" in filled[0]["message"]
    lose_nothing(source, output, "客户信息", 1, tmp_path)


# -- numbers, percents, dates, ids --------------------------------------------------------------------------------


def test_numbers_typed_as_text_are_read_and_each_reported(tmp_path: Path) -> None:
    typed = ["¥1,234.50", "1 234", "12.5万", "3亿", "１，２３４．５", "+2,000", "USD 1,000"]
    expected = ["1234.5", "1234", "125000", "300000000", "1234.5", "2000", "1000"]
    rows: list[list[Any] | None] = [[*ZH_HEADERS, "年销售额", "毛利"]]
    for i, text in enumerate(typed):
        rows.append([f"C{i:03d}", f"公司{i}", 80, 80, 80, 80, 80, text, "(1,234.00)"])
    source = write_workbook(tmp_path / "numbers.xlsx", rows)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    read = {(i["row"], i["column"]): i["message"] for i in issues(payload, "value_coerced")}
    for offset, value in enumerate(expected):
        assert read[(offset + 2, "年销售额")] == f"按 {value} 读取"
        assert read[(offset + 2, "毛利")] == "按 -1234 读取"  # accounting negative
    assert payload["rows"]["scored"] == len(typed)
    lose_nothing(source, output, "客户信息", 1, tmp_path)


def test_text_that_is_no_number_is_reported_and_kept(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [[*ZH_HEADERS, "年销售额"], ["C001", "NA", 80, 80, 80, 80, 80, "NA"]]
    rows += [["C002", "None", 80, "None", 80, 80, 80, "12,34"], ["C003", "正常公司", 90, 90, 90, 90, 90, "-"]]
    source = write_workbook(tmp_path / "words.xlsx", rows)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    bad = {(i["row"], i["column"]): i["action"] for i in issues(payload, "not_a_number")}
    assert bad == {
        (2, "年销售额"): "value_missing",
        (3, "交易频次评分"): "row_excluded",
        (3, "年销售额"): "value_missing",
        (4, "年销售额"): "value_missing",
    }
    written = data_rows(output)
    assert written[1][1] == "NA"
    assert written[2][1] == "None"
    assert written[2][3] == "None"
    assert written[1][7] == "NA"
    lose_nothing(source, output, "客户信息", 1, tmp_path)


def test_percents_in_a_score_column_read_as_points(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户信息"
    sheet.append([*ZH_HEADERS, "增长率"])
    sheet.append(["C001", "百分比单元格公司", 0.85, 85, 85, 85, 85, 0.12])
    sheet.append(["C002", "百分比文本公司", "85%", 85, 85, 85, 85, "12%"])
    sheet.append(["C003", "普通公司", 60, 60, 60, 60, 60, 0.05])
    sheet["C2"].number_format = FORMAT_PERCENTAGE
    sheet["H2"].number_format = FORMAT_PERCENTAGE
    source = tmp_path / "percent.xlsx"
    book.save(source)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    rows = data_rows(output)
    header = rows[0]
    assert {r[0]: (r[header.index("综合得分")], r[header.index("客户级别")]) for r in rows[1:]} == {
        "C001": (85, "A"),
        "C002": (85, "A"),
        "C003": (60, "C"),
    }
    read = {(i["row"], i["column"]): i["message"] for i in issues(payload, "value_coerced")}
    assert read == {(2, "购买力评分"): "按 85 (85%) 读取", (3, "购买力评分"): "按 85 读取"}
    # Written as understood: 85 points (the 0.85 and the "85%" as given are in Issues).
    assert rows[1][2] == 85
    assert rows[2][2] == 85
    lose_nothing(source, output, "客户信息", 1, tmp_path)


@pytest.mark.parametrize("date1904", [False, True], ids=["1900 system", "1904 system"])
def test_dates_as_cells_serials_and_text_in_the_workbooks_date_system(tmp_path: Path, date1904: bool) -> None:
    epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    serial = (dt.date(2024, 1, 31) - epoch).days
    source = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(str(source), {"date_1904": date1904, "strings_to_numbers": False})
    sheet = book.add_worksheet("客户信息")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, [*ZH_HEADERS, "首次合作日期"])
    firsts: list[Any] = [
        dt.date(2024, 1, 31),
        serial,
        "2024-01-31",
        "2024/1/31",
        "2024年1月31日",
        dt.date(2015, 6, 1),
    ]
    for i, first in enumerate(firsts, start=1):
        sheet.write_row(i, 0, [f"C{i:03d}", f"公司{i}", 90, 90, 90, 90, 90])
        if isinstance(first, dt.date):
            sheet.write_datetime(i, 7, first, date_format)
        elif isinstance(first, int):
            sheet.write_number(i, 7, first)  # a serial without a date format
        else:
            sheet.write_string(i, 7, first)
    book.close()
    output = tmp_path / "out.xlsx"

    payload = graded(source, output, "--as-of", "2024-03-01")

    rows = data_rows(output)
    marks = {r[0]: r[rows[0].index("级别标记")] for r in rows[1:]}
    # less than six months of history on 2024-03-01: provisional; only the 2015 customer is not
    assert marks == {f"C{i:03d}": "暂定" for i in range(1, 6)} | {"C006": None}
    read = {i["row"]: i["message"] for i in issues(payload, "value_coerced")}
    assert read == {
        3: "按 2024-01-31 读取",
        4: "按 2024-01-31 读取",
        5: "按 2024-01-31 读取",
        6: "按 2024-01-31 读取",
    }
    assert excel_serial_to_date(serial, date1904) == dt.date(2024, 1, 31)
    lose_nothing(source, output, "客户信息", 1, tmp_path)


def test_identifiers_stay_text_and_long_numeric_ids_are_flagged(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [
        ZH_HEADERS,
        ["00123", "零开头公司", 90, 90, 90, 90, 90],
        [4567, "数字编号公司", 80, 80, 80, 80, 80],
        [1234567890123456, "超长编号公司", 70, 70, 70, 70, 70],  # 16 digits: Excel keeps 15
        ["12345678901234567890", "文本长编号公司", 70, 70, 70, 70, 70],
    ]
    source = write_workbook(tmp_path / "ids.xlsx", rows)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    written = data_rows(output)
    assert [r[0] for r in written[1:]] == ["00123", 4567, 1234567890123456, "12345678901234567890"]
    assert [i["row"] for i in issues(payload, "long_numeric_id")] == [4]
    assert payload["rows"]["scored"] == 4
    lose_nothing(source, output, "客户信息", 1, tmp_path)


# -- rows and columns that are not data, duplicates ---------------------------------------------------------------


def test_total_blank_and_repeated_header_rows_and_duplicates(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [
        [*ZH_HEADERS, "备注", "备注"],
        ["C001", "ABC公司", 90, 80, 75, 85, 95, "甲", "乙"],
        None,
        [*ZH_HEADERS, "备注", "备注"],
        ["C002", "XYZ公司", 80, 75, 80, 90, 80, None, None],
        ["C001", "重复公司", 70, 70, 70, 70, 70, None, None],
        [None, "合计", 240, 225, 225, 245, 245, None, None],
    ]
    source = write_workbook(tmp_path / "rows.xlsx", rows)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    assert [i["row"] for i in issues(payload, "blank_row_skipped")] == [3]
    assert [i["row"] for i in issues(payload, "repeated_header_skipped")] == [4]
    assert [i["row"] for i in issues(payload, "total_row_skipped")] == [7]
    assert [(i["row"], i["message"]) for i in issues(payload, "duplicate_id")] == [
        (6, "客户编号与第 2 行重复；仅第一行参与评级")
    ]
    assert [i["message"] for i in issues(payload, "header_renamed")] == [
        "表头为空或重复，输出中改名为 备注 (2)"
    ]
    lose_nothing(source, output, "客户信息", 1, tmp_path, renamed={8: "备注 (2)"})


# -- cells calamine reads as blank --------------------------------------------------------------------------------


def test_error_cells_are_reported_as_errors_not_blanks(tmp_path: Path) -> None:
    source = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("客户信息")
    sheet.write_row(0, 0, [*ZH_HEADERS, "备注"])
    sheet.write_row(1, 0, ["C001", "ABC公司", 90, 80, 75, 85, 95])
    sheet.write_formula(1, 7, "=NA()", None, "#N/A")
    sheet.write_row(2, 0, ["C002", "除零公司", 80, 75, 80, 90])
    sheet.write_formula(2, 6, "=1/0", None, "#DIV/0!")
    sheet.write_row(3, 0, ["C003", "键入错误公司", 80, 75, 80, 90, 85, "TYPED"])
    book.close()
    # An error typed into a cell (no formula): <c t="e"><v>#N/A</v></c>
    typed = rewrite_member(
        source,
        tmp_path / "typed.xlsx",
        SHEET,
        lambda d: d.replace(b'<c r="C4"><v>80</v></c>', b'<c r="C4" t="e"><v>#VALUE!</v></c>'),
    )
    output = tmp_path / "out.xlsx"

    payload = graded(typed, output)

    errors = {(i["row"], i["column"]): (i["value"], i["action"]) for i in issues(payload, "cell_error")}
    assert errors == {
        (2, "备注"): ("#N/A", "value_kept"),
        (3, "客户忠诚度评分"): ("#DIV/0!", "row_excluded"),
        (4, "购买力评分"): ("#VALUE!", "row_excluded"),
    }
    assert not issues(payload, "missing_value")  # an error is not a blank
    written = openpyxl.load_workbook(output)["客户信息"]
    assert (written["H2"].value, written["H2"].data_type) == ("#N/A", "s")
    assert (written["G3"].value, written["C4"].value) == ("#DIV/0!", "#VALUE!")
    assert payload["rows"]["scored"] == 1
    assert payload["rows"]["invalid"] == 2
    lose_nothing(typed, output, "客户信息", 1, tmp_path)


def test_formulas_saved_without_a_value_are_flagged(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户信息"
    sheet.append([*ZH_HEADERS, "合计"])
    sheet.append(["C001", "ABC公司", 90, 80, 75, 85, 95, "=SUM(C2:G2)"])
    sheet.append(["C002", "XYZ公司", "=C2-10", 75, 80, 90, 80, "=SUM(C3:G3)"])
    source = tmp_path / "formulas.xlsx"
    book.save(source)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    flagged = {
        (i["row"], i["column"]): (i["value"], i["action"]) for i in issues(payload, "formula_no_value")
    }
    assert flagged == {
        (2, "合计"): ("=SUM(C2:G2)", "value_kept"),
        (3, "购买力评分"): ("=C2-10", "row_excluded"),
        (3, "合计"): ("=SUM(C3:G3)", "value_kept"),
    }
    written = openpyxl.load_workbook(output)["客户信息"]
    assert (written["C3"].value, written["C3"].data_type) == ("=C2-10", "s")  # text, never a formula
    lose_nothing(source, output, "客户信息", 1, tmp_path)


# -- hidden rows, columns and sheets ------------------------------------------------------------------------------


def hidden_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    old = book.active
    old.title = "旧数据"
    old.append(ZH_HEADERS)
    old.append(["OLD1", "旧客户", 10, 10, 10, 10, 10])
    old.sheet_state = "hidden"
    sheet = book.create_sheet("客户信息")
    sheet.append([*ZH_HEADERS, "内部备注"])
    for i in range(1, 6):
        sheet.append([f"C{i:03d}", f"公司{i}", 90, 90, 90, 90, 90, f"备注{i}"])
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["H"].hidden = True
    book.save(path)
    return path


def test_hidden_rows_and_columns_are_read_and_reported(tmp_path: Path) -> None:
    source = hidden_book(tmp_path / "hidden.xlsx")
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    assert payload["sheet"] == "客户信息"  # the hidden sheet first in the workbook is not chosen
    assert payload["rows"]["scored"] == 5  # hidden rows are graded like the others
    assert [(i["row"], i["message"]) for i in issues(payload, "hidden_rows")] == [
        (3, "隐藏的行 3–4：与其他行一样读取并评级")
    ]
    assert [i["column"] for i in issues(payload, "hidden_column")] == ["内部备注"]
    lose_nothing(source, output, "客户信息", 1, tmp_path)


def test_a_hidden_sheet_is_read_only_when_named(tmp_path: Path) -> None:
    source = hidden_book(tmp_path / "hidden.xlsx")
    output = tmp_path / "out.xlsx"

    payload = graded(source, output, "--sheet", "旧数据")

    assert payload["sheet"] == "旧数据"
    assert [i["value"] for i in issues(payload, "hidden_sheet")] == ["旧数据"]


def test_only_a_hidden_sheet_has_a_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "本文件用于客户分级"
    hidden = book.create_sheet("数据")
    hidden.append(ZH_HEADERS)
    hidden.sheet_state = "hidden"
    source = tmp_path / "only_hidden.xlsx"
    book.save(source)

    result = run("validate", source)

    assert result.exit_code == ExitCode.DATA
    assert "--sheet '数据'" in result.stderr


# -- CSV ----------------------------------------------------------------------------------------------------------

CSV_ROWS = [
    [*ZH_HEADERS, "备注"],
    ["00123", "华东物流", "90", "80", "75", "85", "95", '=HYPERLINK("http://x","y")'],
    ["C002", "XYZ公司", "80", "75", "80", "90", "80", "+86 138"],
    ["12345678901234567890", "长编号", "70", "70", "70", "70", "70", "NA"],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "said"),
    [
        ("utf-8", ",", "CSV（UTF-8，逗号分隔）"),  # a Chinese file: the message is in Chinese
        ("utf-8-sig", ",", "CSV（带 BOM 的 UTF-8，逗号分隔）"),
        ("gbk", ",", "CSV（GBK，逗号分隔）"),
        ("gbk", "\t", "CSV（GBK，制表符分隔）"),
        ("utf-8", ";", "CSV（UTF-8，分号分隔）"),
    ],
)
def test_csv_encodings_decided_by_content(tmp_path: Path, encoding: str, delimiter: str, said: str) -> None:
    source = tmp_path / "客户.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(CSV_ROWS)
    source.write_bytes(buffer.getvalue().encode(encoding))
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    assert [i["message"] for i in issues(payload, "read_as")] == [f"按 {said} 读取"]
    written = openpyxl.load_workbook(output)["客户"]
    rows = [[c for c in r] for r in written.iter_rows(max_col=len(CSV_ROWS[0]))]
    expected = [
        [c if not c.isdigit() or c.startswith("0") or len(c) > 15 else int(c) for c in row]
        for row in CSV_ROWS
    ]
    assert [[c.value for c in r] for r in rows] == expected  # nothing lost: every cell, ids as text
    assert all(c.data_type == "s" for r in rows for c in r if isinstance(c.value, str))
    assert payload["rows"]["scored"] == 3


# -- formula-like text --------------------------------------------------------------------------------------------


def test_formula_like_text_in_any_column_is_written_as_text(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [[*EN_HEADERS, "Region", "Notes"]]
    for i, text in enumerate(FORMULA_LIKE):
        rows.append([text, f"{text} Ltd", 90, 80, 75, 85, 95, text, text])
        rows.append([f"N{i}", text, text, 80, 75, 85, 95, "East", text])
    source = write_workbook(tmp_path / "formulas.xlsx", rows, sheet="Customers")
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    book = openpyxl.load_workbook(output)
    data = book["Customers"]
    texts = [c for row in data.iter_rows(min_row=2, max_col=9) for c in row if isinstance(c.value, str)]
    assert {c.value for c in texts} >= set(FORMULA_LIKE)
    assert all(c.data_type == "s" for c in texts), [
        (c.coordinate, c.data_type) for c in texts if c.data_type != "s"
    ]
    assert not data._hyperlinks  # no link either
    for name in book.sheetnames:
        assert not any(c.data_type == "f" for row in book[name].iter_rows() for c in row)
    assert payload["rows"]["read"] == 2 * len(FORMULA_LIKE)
    lose_nothing(source, output, "Customers", 1, tmp_path)


# -- other spreadsheet programs -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The worked example saved by LibreOffice as .xls and .ods."""
    folder = tmp_path_factory.mktemp("lo")
    source = valid_workbook(folder / "book.xlsx")
    for fmt in ("xls", "ods"):
        done = libreoffice_convert(source, fmt, folder)
        assert done.returncode == 0, done.stderr
    return {fmt: folder / f"book.{fmt}" for fmt in ("xls", "ods")}


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "said"), [("xls", ".xls workbook"), ("ods", "OpenDocument spreadsheet")])
def test_xls_and_ods_are_read_in_a_checked_child_first(
    converted: dict[str, Path], tmp_path: Path, fmt: str, said: str
) -> None:
    source = tmp_path / f"saved-by-libreoffice.{fmt}"
    shutil.copy(converted[fmt], source)
    output = tmp_path / "out.xlsx"

    payload = graded(source, output)

    rows = data_rows(output)
    assert [(r[0], r[rows[0].index("客户级别")]) for r in rows[1:]] == [("C001", "A"), ("C002", "B")]
    assert issues(payload, "read_as")


@pytest.mark.slow
def test_a_damaged_xls_is_refused(converted: dict[str, Path], tmp_path: Path) -> None:
    source = tmp_path / "cut.xls"
    source.write_bytes(converted["xls"].read_bytes()[:3000])

    result = run("score", source)

    assert result.exit_code == ExitCode.NO_INPUT
    assert result.stderr.startswith("kactier: error: ")
    assert "Traceback" not in result.output
    assert "cut.xls" in result.stderr


def test_an_ods_saved_with_an_xlsx_name_is_read_by_content(
    converted: dict[str, Path], tmp_path: Path
) -> None:
    source = tmp_path / "really-ods.xlsx"
    shutil.copy(converted["ods"], source)
    assert zipfile.ZipFile(source).read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"

    payload = graded(source, tmp_path / "out.xlsx")

    assert payload["rows"]["scored"] == 2
