"""BulkWorksheet writes the same cells as XlsxWriter's own API: same values, types, formats and fills."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

from kactier.report.bulk import BLOCK_ROWS, BodyColumn, BulkWorksheet, RowsColumn

OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
TRICKY: list[Any] = [
    "plain",
    "华东",
    "a & b <c> \"d\" 'e'",
    " leading",
    "trailing ",
    "\u3000全角空格",
    "tab\tinside",
    "line\nbreak",
    "trailing newline\n",
    "bell\x07 and nul\x00",
    "_x0041_ literal escape",
    "=1+1",
    "00123",
    "x" * 40_000,  # over Excel's 32,767-character limit: truncated, as XlsxWriter does
    "\ufffe",
    "",
    None,
    0,
    -7,
    12345678901234567890,
    0.1,
    1 / 3,
    1e-300,
    -2.5e300,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
    np.float64(2.75),
    np.int64(42),
    dt.date(2024, 2, 29),
    dt.date(1900, 1, 15),  # before 1900-03-01, where Excel's leap-year bug shifts serials
    dt.datetime(2024, 5, 6, 7, 8, 9),
    dt.time(13, 30),
    dt.timedelta(hours=36),
]


def _via_api(path: Path, values: list[Any]) -> None:
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    sheet = book.add_worksheet("data")
    sheet.write_string(0, 0, "value")
    formats = _formats(book)
    for row, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        kind = type(value)
        cell_format = formats.get(kind)
        if isinstance(value, str):
            sheet.write_string(row, 0, value)
        elif isinstance(value, dt.date | dt.time | dt.timedelta):
            sheet.write_datetime(row, 0, value, cell_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, 0, value)
        else:
            sheet.write_number(row, 0, float(value) if isinstance(value, np.generic) else value)
    book.close()


def _via_body(path: Path, values: list[Any]) -> None:
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    sheet = book.add_worksheet("data", worksheet_class=BulkWorksheet)
    sheet.write_string(0, 0, "value")  # a header: the workbook has shared strings, as kactier's always do
    sheet.set_body(1, len(values), [BodyColumn(0, values, type_formats=_formats(book))])
    book.close()


def _formats(book: Any) -> dict[type, Any]:
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = book.add_format({"num_format": "hh:mm:ss"})
    return {dt.date: date, dt.datetime: moment, dt.time: clock, dt.timedelta: clock}


def _cells(path: Path) -> list[tuple[Any, str, str]]:
    book = openpyxl.load_workbook(path)
    sheet = book["data"]
    cells = [
        (cell.value, cell.data_type, cell.number_format)
        for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row)
        for cell in row[:1]
    ]
    book.close()
    return cells


def _same(left: list[tuple[Any, str, str]], right: list[tuple[Any, str, str]]) -> None:
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        if isinstance(a[0], float) and math.isnan(a[0]):
            assert isinstance(b[0], float)
            assert math.isnan(b[0])
            assert a[1:] == b[1:]
        else:
            assert a == b


def test_tricky_values_are_written_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    _via_api(tmp_path / "api.xlsx", TRICKY)
    _via_body(tmp_path / "body.xlsx", TRICKY)
    _same(_cells(tmp_path / "body.xlsx"), _cells(tmp_path / "api.xlsx"))


@pytest.mark.parametrize("kind", ["text", "numbers", "repeated numbers"])
def test_a_column_of_one_kind_takes_the_whole_column_path_and_matches_too(tmp_path: Path, kind: str) -> None:
    # A column block of plain text (or finite numbers) is rendered without a check per cell; one odd value in
    # the block must send it back to the per-cell path. Repeated numbers are formatted once each (-0.0 and 0.0
    # are equal keys but different texts).
    cases: dict[str, list[Any]] = {
        "text": [f"客户{i}" for i in range(50)],
        "numbers": [i * 1.5 for i in range(50)],
        "repeated numbers": [(i % 5) * 1.5 - 3 for i in range(50)] + [-0.0, 0.0, 0, 7, 7.0, 2**60],
    }
    plain = cases[kind]
    odd: Any = " padded" if kind == "text" else float("nan")
    for values in (plain, [*plain[:25], odd, *plain[25:]]):
        _via_api(tmp_path / "api.xlsx", values)
        _via_body(tmp_path / "body.xlsx", values)
        _same(_cells(tmp_path / "body.xlsx"), _cells(tmp_path / "api.xlsx"))


def test_formats_fills_column_formats_table_and_blocks(tmp_path: Path) -> None:
    rows = 2 * BLOCK_ROWS + 3  # more than one block of rows
    path = tmp_path / "body.xlsx"
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    sheet = book.add_worksheet("data", worksheet_class=BulkWorksheet)
    green = book.add_format({"bg_color": "#C6EFCE"})
    grey = book.add_format({"bg_color": "#D9D9D9"})
    money = book.add_format({"num_format": "#,##0.00"})
    source = [[f"C{i:05d}", i * 10.5] for i in range(rows)]
    labels = ["A" if i % 3 == 0 else "B" for i in range(rows)]
    sheet.set_body(
        1,
        rows,
        [
            BodyColumn(0, RowsColumn(source, range(rows), 0)),
            BodyColumn(1, RowsColumn(source, range(rows), 1)),  # takes the column's format below
            BodyColumn(2, labels, [green if label == "A" else grey for label in labels]),
        ],
    )
    sheet.add_body_table(
        0, 0, rows, 2, {"name": "Things", "columns": [{"header": h} for h in ("id", "x", "tier")]}
    )
    sheet.set_column(1, 1, 12, money)
    sheet.freeze_panes(1, 1)
    book.close()

    check = openpyxl.load_workbook(path)["data"]
    assert check.max_row == rows + 1
    assert [c.value for c in check[1]] == ["id", "x", "tier"]
    last = check[rows + 1]
    assert [c.value for c in last] == [f"C{rows - 1:05d}", (rows - 1) * 10.5, labels[-1]]
    assert last[1].number_format == "#,##0.00"
    assert check["C2"].fill.fgColor.rgb == "FFC6EFCE"
    assert check["C3"].fill.fgColor.rgb == "FFD9D9D9"
    assert check.tables["Things"].ref == f"A1:C{rows + 1}"
    assert check.freeze_panes == "B2"


def test_a_cell_written_into_the_body_through_the_api_is_refused(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "clash.xlsx"), OPTIONS)
    sheet = book.add_worksheet("data", worksheet_class=BulkWorksheet)
    sheet.set_body(1, 2, [BodyColumn(0, ["a", "b"])])
    sheet.write_string(2, 1, "would be lost")
    with pytest.raises(RuntimeError, match="row 3 is in the body"):
        book.close()


def test_constant_memory_mode_is_refused(tmp_path: Path) -> None:
    # That mode assembles a sheet without the step BulkWorksheet replaces: the body would be lost silently.
    book = xlsxwriter.Workbook(str(tmp_path / "cm.xlsx"), {**OPTIONS, "constant_memory": True})
    sheet = book.add_worksheet("data", worksheet_class=BulkWorksheet)
    with pytest.raises(ValueError, match="constant_memory"):
        sheet.set_body(1, 1, [BodyColumn(0, ["a"])])
    book.close()
