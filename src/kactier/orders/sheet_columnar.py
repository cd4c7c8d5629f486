"""A big order sheet of an .xlsx read column by column into DuckDB: fastexcel → Arrow → the table ``raw``.

A million order lines read cell by cell into Python rows cost most of a run. A sheet whose XML is at least
:data:`COLUMNAR_FROM` bytes is read by fastexcel instead (the same calamine parser, into Arrow columns, without a
Python object per cell) and checked and totalled by SQL as an export is (:func:`~kactier.orders.columnar.checked_book`),
each column in the form of its cells (:mod:`kactier.orders.cell_forms`): text, numbers, dates and times or true/false.
The Orders sheet shows the cells as the workbook holds them.

Only a sheet this path reads exactly as :func:`~kactier.orders.book.read_order_sheet` does takes it; any other goes
that way, unchanged:

* it has been checked (:mod:`kactier.read.sheet_scan`) by the fast path, and calamine reads the file itself (not
  decrypted or repaired in memory);
* it has no merged range, no error value, no formula saved without its value and no percent cell (hidden rows and
  columns are reported as ever);
* its header is found in its first rows, read by python-calamine from a copy cut short (:mod:`kactier.read.sheet_head`);
* every column holds one kind of cell (fastexcel's strict typing over every row), and no kind fastexcel reads
  differently from python-calamine (durations).
"""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import python_calamine as calamine

from ..problems import Action, IssueCode, RowIssue
from ..read.cells import RawSheet
from ..read.header import HEADER_SEARCH_ROWS, find_header_row, two_row_header
from ..read.opening import OpenedInput, reader_failed
from ..read.sheet_details import sheet_details
from ..read.sheet_facts import SheetFacts, sheet_info
from ..read.sheet_head import sheet_head
from ..read.sniff import Kind
from ..read.tidy import hidden_issues, title_row_issues
from .book import OrderBook
from .cell_forms import BOOL, DATE, NUMBER, TEXT
from .columnar import checked_book
from .scan import LoadedParts, OrderEngine
from .window import DEFAULT_WINDOW_MONTHS

if TYPE_CHECKING:
    import duckdb

COLUMNAR_FROM = 16 * 1024**2  # sheet XML bytes (about 35,000 order lines) from which a sheet is read this way
_FORMS = {"string": TEXT, "float": NUMBER, "int": NUMBER, "datetime": DATE, "date": DATE, "boolean": BOOL}
_SQL = {TEXT: "nullif({}, '')", NUMBER: "CAST({} AS DOUBLE)", DATE: "CAST({} AS TIMESTAMP)", BOOL: "{}"}
_MIDNIGHT = dt.time()


def read_order_workbook(
    opened: OpenedInput,
    sheet: str | None = None,
    *,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    lang: str = "auto",
) -> OrderBook | None:
    """The order sheet of ``opened`` read, checked and totalled column by column, as
    :func:`~kactier.orders.book.read_order_sheet` would (and ``opened`` closed); None, with ``opened`` untouched,
    when the sheet is not one this path takes (see the module docstring)."""
    name, hidden = _the_sheet(opened, sheet)
    facts = _big_sheet(opened, name) if name is not None else None
    if name is None or facts is None or opened.package is None or (entry := opened.entry(name)) is None:
        return None
    cells = sheet_head(opened.package, entry, HEADER_SEARCH_ROWS)
    header = find_header_row(cells) if cells else None
    if cells is None or header is None:
        return None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kactier-scan") as pool:
        details = pool.submit(sheet_details, opened.package, entry, facts)  # while fastexcel parses (no GIL)
        table = _arrow_sheet(opened.path, name, header)
        details.result()
    if table is None or facts.error_cells or facts.uncalculated or facts.percent_cells:
        return None
    engine = OrderEngine(in_memory=True)  # a sheet holds at most Excel's million rows
    try:
        loaded = _load(engine.db, table, cells, header)
        if loaded is None:
            engine.close()
            return None
        head = loaded.head
        head.path, head.sheet, head.date1904 = opened.path, name, opened.date1904
        start, end = head.first_column, head.first_column + loaded.width
        if hidden:
            head.issues.append(RowIssue(None, None, name, IssueCode.HIDDEN_SHEET, Action.VALUE_KEPT))
        head.issues += hidden_issues(facts, header, start, end, cells[header])
        loaded.parts, loaded.date1904 = [opened.path], opened.date1904
        opened.close()
        return checked_book(engine, loaded, opened.path, as_of=as_of, window_months=window_months, lang=lang)
    except BaseException:
        engine.close()
        raise


def workbook_cell(value: Any) -> Any:
    """A value of a typed ``raw`` column as python-calamine gives the cell: a date and time at midnight is a date."""
    if type(value) is dt.datetime and value.time() == _MIDNIGHT:
        return value.date()
    return value


def _the_sheet(opened: OpenedInput, wanted: str | None) -> tuple[str | None, bool]:
    """The sheet :func:`~kactier.read.workbook.read_customer_sheet` tries first, and whether it is hidden."""
    if opened.kind is not Kind.XLSX or not opened.direct:
        return None, False
    worksheets = [m for m in opened.book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == calamine.SheetVisibleEnum.Visible]
    if wanted is not None:
        return (wanted, wanted not in visible) if wanted in opened.book.sheet_names else (None, False)
    return (visible[0], False) if visible else (None, False)


def _big_sheet(opened: OpenedInput, name: str) -> SheetFacts | None:
    """The facts of sheet ``name`` when it is big and was checked on the fast path, without merged ranges; else
    None."""
    facts = opened.check_sheet(name)
    package, entry = opened.package, opened.entry(name)
    if facts is None or package is None or entry is None or facts.exact or facts.merged:
        return None
    return facts if sheet_info(package, entry).file_size >= COLUMNAR_FROM else None


def _arrow_sheet(path: Path, name: str, header: int) -> Any:
    """fastexcel's sheet below the header row ``header`` (0-based), every column of one kind; None when a column
    mixes kinds (or fastexcel cannot read the sheet)."""
    import fastexcel  # here: only a big order sheet needs it

    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # its note on an empty column's kind is not ours
    try:
        reader = fastexcel.read_excel(str(path))
        return reader.load_sheet(name, header_row=header, dtype_coercion="strict", schema_sample_rows=None)
    except BaseException as exc:
        if isinstance(exc, fastexcel.FastExcelError) or reader_failed(exc):
            return None
        raise


def _load(
    db: duckdb.DuckDBPyConnection, table: Any, cells: list[list[Any]], header: int
) -> LoadedParts | None:
    """Load fastexcel's sheet into ``raw`` as :mod:`kactier.orders.scan` lays it out (column ``c{i}`` is the
    sheet's column ``i``, rows numbered as Excel numbers them); None when its columns cannot be placed or hold a
    kind of cell this path does not read."""
    columns = table.available_columns()
    header_cells = list(cells[header])
    offset = _offset(columns, header_cells)
    found = [_FORMS.get(column.dtype) for column in columns]
    if offset is None or None in found:
        return None
    forms = [form for form in found if form is not None]
    db.register("sheet_arrow", table)
    selected = ", ".join(f"{_SQL[form].format(f'k{i}')} AS c{offset + i}" for i, form in enumerate(forms))
    named = ", ".join(f"k{i}" for i in range(len(forms)))  # by position: a blank header names no column
    db.execute(f"CREATE TABLE sheet_cells AS SELECT {selected} FROM sheet_arrow AS t({named})")  # sheet order
    db.unregister("sheet_arrow")
    width = offset + len(columns)
    counts = db.execute(
        f"SELECT {', '.join(f'count(c{i})' for i in range(offset, width))} FROM sheet_cells"
    ).fetchone()
    assert counts is not None
    headers = [*header_cells, *[""] * (width - len(header_cells))][:width]
    used = [i for i in range(width) if headers[i] != "" or (i >= offset and counts[i - offset])]
    if not used:
        return None
    start, end = used[0], used[-1] + 1
    kept = range(max(start, offset), end)
    first = header + 2  # the Excel row of the first line: its rowid is 0
    db.execute(
        f"CREATE VIEW raw AS SELECT 0 AS part, rowid + {first} AS rec, rowid + {first} AS seq, "
        f"{', '.join(f'c{i}' for i in kept)} FROM sheet_cells"
    )
    groups = two_row_header(cells, header)
    head = RawSheet(
        path=Path(),
        sheet="",
        header_row=header + 1,
        headers=headers[start:end],
        rows=[],
        first_column=start,
        issues=title_row_issues(cells, header),
        header_groups={c - start: g for c, g in groups.items() if start <= c < end},
    )
    kinds = {f"c{i}": forms[i - offset] for i in kept}
    last = first + int(table.height) - 1
    return LoadedParts([], head, end - start, first=start, max_seq=last, forms=kinds, cell=workbook_cell)


def _offset(columns: list[Any], header_cells: list[Any]) -> int | None:
    """The sheet column of fastexcel's first column (it numbers the columns from the first one used), told by
    the header texts it looked up; None when they do not agree."""
    named = [
        (int(column.index), str(column.name)) for column in columns if column.column_name_from == "looked_up"
    ]
    if not named:
        return None
    index, name = named[0]
    found = [i - index for i, cell in enumerate(header_cells) if cell == name and i >= index]
    for offset in found:
        if all(offset + i < len(header_cells) and _as_name(header_cells[offset + i]) == n for i, n in named):
            return offset
    return None


def _as_name(cell: Any) -> str:
    """A header cell as fastexcel names its column."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
