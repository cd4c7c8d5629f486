"""The XlsxWriter internals kactier relies on are all still there, each with the shape report/bulk.py expects.

report/bulk.py is the one module that reaches into XlsxWriter beyond its documented API (see its docstring), and
pyproject.toml bounds XlsxWriter below the next minor release for that reason. When an upgrade removes or changes
one of those internals, a test here fails with a message naming it and saying what bulk.py does with it. The cells
themselves are compared with XlsxWriter's public API in tests/test_sheet_rows.py (every value type, both rendering
paths, formats, fills, tables, more than one block of rows); the Orders sheet, written in constant-memory mode, in
tests/test_cli_orders.py.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kactier.report.bulk import add_bulk_worksheet, add_constant_memory_worksheet, deflate_level

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def need(ok: bool, internal: str, problem: str, use: str) -> None:
    """Fail, naming the internal, what changed and what bulk.py does with it, when ``ok`` is false."""
    assert ok, (
        f"XlsxWriter {xlsxwriter.__version__}: {internal} {problem}. src/kactier/report/bulk.py {use}. "
        "Read that release's xlsxwriter/worksheet.py (and format.py, workbook.py, sharedstrings.py) for what took "
        "its place, adapt bulk.py, run tests/test_sheet_rows.py and tests/test_xlsxwriter_internals.py, and only "
        "then move the XlsxWriter bound in pyproject.toml."
    )


# (method, its parameters after self, what bulk.py does with it)
METHODS = [
    (Worksheet, "_write_sheet_data", (), "overrides it to write the body's <row> elements into <sheetData>"),
    (Worksheet, "_write_rows", (), "calls it for the rows XlsxWriter holds above the body"),
    (
        Worksheet,
        "_check_dimensions",
        ("row", "col"),
        "calls it to check the body fits and to widen the dimension",
    ),
    (
        Worksheet,
        "_convert_date_time",
        ("dt_obj",),
        "calls it for the serial of a date, time or timedelta cell",
    ),
    (Worksheet, "_xml_start_tag", ("tag",), "calls it to open <sheetData>"),
    (Worksheet, "_xml_end_tag", ("tag",), "calls it to close <sheetData>"),
    (Format, "_get_xf_index", (), "calls it for the style index (s=) of each format used in the body"),
]


@pytest.mark.parametrize(("owner", "name", "parameters", "use"), METHODS, ids=[m[1] for m in METHODS])
def test_the_methods_bulk_uses_exist_with_their_parameters(
    owner: type, name: str, parameters: tuple[str, ...], use: str
) -> None:
    method = getattr(owner, name, None)
    internal = f"{owner.__name__}.{name}"
    need(callable(method), internal, "is gone or no longer a method", use)
    assert method is not None
    required = [
        p.name
        for p in list(inspect.signature(method).parameters.values())[1:]  # after self
        if p.default is inspect.Parameter.empty and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    need(
        len(required) == len(parameters),
        internal,
        f"now requires {required or 'no arguments'}, not {list(parameters) or 'no arguments'}",
        use,
    )


def test_add_worksheet_takes_a_worksheet_class() -> None:
    parameters = inspect.signature(Workbook.add_worksheet).parameters
    need(
        "worksheet_class" in parameters,
        "Workbook.add_worksheet(worksheet_class=...)",
        "is gone",
        "adds its BulkWorksheet subclass through it (add_bulk_worksheet)",
    )


def test_dimensions_and_date_serials(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "dimensions.xlsx"), OPTIONS)
    sheet = book.add_worksheet("data")
    use = "calls _check_dimensions for the body's first and last cells, and reads dim_rowmin / dim_rowmax"
    need(sheet._check_dimensions(1, 0) == 0, "Worksheet._check_dimensions", "refuses a cell in range", use)
    need(
        sheet._check_dimensions(1_048_576, 0) != 0,
        "Worksheet._check_dimensions",
        "accepts a row past Excel's last one",
        use,
    )
    sheet._check_dimensions(7, 2)
    need(
        (sheet.dim_rowmin, sheet.dim_rowmax) == (1, 7),
        "Worksheet.dim_rowmin / dim_rowmax",
        f"are {(getattr(sheet, 'dim_rowmin', None), getattr(sheet, 'dim_rowmax', None))} after cells in rows 1 and 7",
        use,
    )
    serial = sheet._convert_date_time(dt.date(2024, 2, 29))
    need(
        serial == 45351,
        "Worksheet._convert_date_time",
        f"gives {serial!r} for 2024-02-29, not the serial 45351",
        "writes its result as the value of date, time and timedelta cells",
    )
    book.close()


def test_cell_bookkeeping_has_the_shape_bulk_reads(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "bookkeeping.xlsx"), OPTIONS)
    sheet = book.add_worksheet("data")
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_string(0, 0, "id")
    sheet.set_row(3, 20)
    sheet.write_comment(4, 0, "note")
    sheet.set_column(1, 1, 12, money)
    sheet.add_table(0, 0, 1, 1, {"name": "Things", "columns": [{"header": "id"}, {"header": "x"}]})
    check = "checks no cell, row option or comment was written into the body through the API"
    table = getattr(sheet, "table", None)
    need(
        isinstance(table, Mapping) and isinstance(table.get(0), Mapping) and 0 in table[0],
        "Worksheet.table",
        "is no longer a mapping of row to a mapping of column to cell",
        check,
    )
    need(3 in getattr(sheet, "row_info", {}), "Worksheet.row_info", "is no longer keyed by row", check)
    need(4 in getattr(sheet, "comments", {}), "Worksheet.comments", "is no longer keyed by row", check)
    info = getattr(sheet, "col_info", {}).get(1)
    need(
        getattr(info, "column_format", None) is money,
        "Worksheet.col_info[column].column_format",
        f"does not hold the column's format (col_info[1] is {info!r})",
        "gives a body cell without a format of its own the column's format, as XlsxWriter does",
    )
    tables = getattr(sheet, "tables", None)
    need(
        isinstance(tables, list) and bool(tables) and {"range", "a_range", "autofilter"} <= set(tables[-1]),
        "Worksheet.tables[-1]",
        "is no longer a dict with 'range', 'a_range' and 'autofilter'",
        "widens the table it adds on the header and first body row to the whole body (add_body_table)",
    )
    book.close()


class _Recording(Worksheet):  # type: ignore[misc]  # XlsxWriter's classes are not typed for subclassing
    """A worksheet that records, while it is assembled, what BulkWorksheet reads at that moment."""

    seen: dict[str, Any]

    def _write_sheet_data(self) -> None:
        table = self.str_table
        type(self).seen = {
            "called": True,
            "fh.write": callable(getattr(self.fh, "write", None)),
            "str_table": (
                type(getattr(table, "count", None)),
                type(getattr(table, "unique_count", None)),
                type(getattr(table, "string_array", None)),
            ),
            "xf_index": type(self.col_info[0].column_format._get_xf_index()),
        }
        super()._write_sheet_data()


def test_a_sheet_is_assembled_through_write_sheet_data_with_the_shared_strings_at_hand(
    tmp_path: Path,
) -> None:
    _Recording.seen = {}
    book = xlsxwriter.Workbook(str(tmp_path / "assembled.xlsx"), OPTIONS)
    sheet = book.add_worksheet("data", worksheet_class=_Recording)
    sheet.write_string(0, 0, "header")
    sheet.set_column(0, 0, 10, book.add_format({"bold": True}))
    book.close()
    seen = _Recording.seen
    need(
        seen.get("called", False),
        "Worksheet._write_sheet_data",
        "is no longer called when a sheet is assembled",
        "writes the body from it, so the body would be missing from the file",
    )
    need(
        seen["fh.write"],
        "Worksheet.fh",
        "has no write() while the sheet is assembled",
        "writes the body's XML to it",
    )
    need(
        seen["str_table"] == (int, int, list),
        "SharedStringTable.count / unique_count / string_array",
        f"are {seen['str_table']} while the sheets are assembled, not (int, int, list)",
        "adds text that needs escaping to the shared strings then (BulkWorksheet.shared_index)",
    )
    need(
        seen["xf_index"] is int,
        "Format._get_xf_index()",
        f"gives a {seen['xf_index'].__name__} while the sheet is assembled",
        "writes it as each body cell's s= attribute",
    )


def test_the_constant_memory_switch_applies_to_one_sheet(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    need(
        getattr(book, "constant_memory", None) is False,
        "Workbook.constant_memory",
        "is gone or not False in a workbook opened without the option",
        "turns it on while it adds one sheet (add_constant_memory_worksheet)",
    )
    before = add_bulk_worksheet(book, "before")
    orders = add_constant_memory_worksheet(book, "orders")
    after = book.add_worksheet("after")
    need(
        bool(orders.constant_memory) and not before.constant_memory and not after.constant_memory,
        "Worksheet.constant_memory",
        "is not taken from the workbook when a sheet is added",
        "sets the workbook's switch for one add_worksheet() call (add_constant_memory_worksheet)",
    )
    rows = [["C01", 1.5, dt.date(2024, 2, 29)], ["C02", 2.0, None], ["", -3, True]]
    for sheet in (orders, after):
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                if value is not None and value != "":
                    sheet.write(row, column, value)
    book.close()
    written = openpyxl.load_workbook(path)

    def cells(name: str) -> list[tuple[Any, ...]]:
        return [tuple(c.value for c in row) for row in written[name].iter_rows()]

    need(
        cells("orders") == cells("after"),
        "Worksheet.constant_memory",
        "gives a sheet whose cells differ from those of a sheet written the usual way",
        "writes the Orders sheet in that mode",
    )


def _zipped(path: Path, level: int | None) -> int:
    """The size of a compressible one-sheet workbook, closed under :func:`deflate_level` (None: outside it)."""
    book = Workbook(str(path), OPTIONS)
    book.set_properties(
        {"created": dt.datetime(2026, 1, 1)}
    )  # the same bytes whatever the second it closes in
    sheet = book.add_worksheet()
    for row in range(3000):
        sheet.write_row(row, 0, [f"客户{row % 97}", row * 1.5, "A" if row % 3 else "B", f"C{row:06d}"])
    if level is None:
        book.close()
    else:
        with deflate_level(level):
            book.close()
    return path.stat().st_size


def test_the_workbook_module_opens_its_zip_through_the_name_deflate_level_swaps(tmp_path: Path) -> None:
    import xlsxwriter.workbook

    need(
        "ZipFile(" in inspect.getsource(xlsxwriter.workbook.Workbook._store_workbook),
        "Workbook._store_workbook",
        "no longer calls the ZipFile name of xlsxwriter.workbook",
        "swaps that name for a ZipFile with a compresslevel while a workbook closes (deflate_level)",
    )
    default = _zipped(tmp_path / "default.xlsx", None)
    fast, small = _zipped(tmp_path / "1.xlsx", 1), _zipped(tmp_path / "6.xlsx", 6)
    assert fast > small  # the level reached the zip: level 1 is larger than level 6
    assert small == default  # 6 is zlib's default, which XlsxWriter uses on its own
    assert xlsxwriter.workbook.ZipFile.__name__ == "ZipFile"  # swapped back after the close
    assert openpyxl.load_workbook(tmp_path / "1.xlsx").worksheets[0]["A2"].value == "客户1"
