"""A big order sheet of an .xlsx read column by column into DuckDB: fastexcel → Arrow → the table ``raw``.

A million order lines read cell by cell into Python rows cost most of a run. A sheet whose XML is at least
:data:`COLUMNAR_FROM` bytes is read by fastexcel instead (the same calamine parser, into Arrow columns, without a
Python object per cell, in one part per core: :mod:`kactier.orders.sheet_arrow`) and checked and totalled by SQL as an export is (:func:`~kactier.orders.columnar.checked_book`),
each column in the form of its cells (:mod:`kactier.orders.cell_forms`): text, numbers, dates and times or true/false.
The Orders sheet shows the cells as the workbook holds them.

Only a sheet this path reads exactly as :func:`~kactier.orders.book.read_order_sheet` does takes it; any other goes
that way, unchanged:

* it has been checked (:mod:`kactier.read.sheet_scan`) by the fast path, and calamine reads the file itself (not
  decrypted or repaired in memory);
* it has no merged range, no error value, no formula saved without its value and no percent cell (hidden rows and
  columns are reported as ever);
* its header is found in its first rows, read by python-calamine from a copy cut short (:mod:`kactier.read.sheet_head`);
* on two or more cores, its check wrote the parts it is parsed in (:func:`copy_while_checking`, called before the
  workbook's sheets are checked);
* every column holds one kind of cell (fastexcel's strict typing over every row), and no kind fastexcel reads
  differently from python-calamine (durations).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import python_calamine as calamine

from ..problems import Action, IssueCode, RowIssue
from ..read.header import HEADER_SEARCH_ROWS, find_header_row
from ..read.opening import OpenedInput
from ..read.package import SheetEntry
from ..read.sheet_details import sheet_details
from ..read.sheet_facts import SheetFacts, sheet_info
from ..read.sheet_head import sheet_head
from ..read.sniff import Kind
from ..read.tidy import hidden_issues
from .book import OrderBook
from .columnar import checked_book
from .scan import OrderEngine
from .sheet_arrow import load_sheet, parse_sheet, parts_wanted
from .window import DEFAULT_WINDOW_MONTHS

COLUMNAR_FROM = 16 * 1024**2  # sheet XML bytes (about 35,000 order lines) from which a sheet is read this way


def copy_while_checking(opened: OpenedInput, sheet: str | None = None) -> None:
    """Before any sheet of ``opened`` is checked: have the check of the order sheet ``sheet`` (or the first
    visible one) write the parts it will be parsed in, when it is big enough to be read column by column."""
    if parts_wanted() < 2:
        return
    name, _ = _the_sheet(opened, sheet)
    entry = opened.entry(name) if name is not None else None
    package = opened.package
    if entry is not None and package is not None and sheet_info(package, entry).file_size >= COLUMNAR_FROM:
        opened.copy_in_parts(entry.name, parts_wanted())


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
    entry = opened.entry(name) if name is not None else None
    facts = _big_sheet(opened, entry) if entry is not None else None
    if name is None or entry is None or facts is None or opened.package is None:
        return None
    cells = sheet_head(opened.package, entry, HEADER_SEARCH_ROWS)
    header = find_header_row(cells) if cells else None
    if cells is None or header is None:
        return None
    engine = OrderEngine(in_memory=True)  # a sheet holds at most Excel's million rows
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kactier-scan") as pool:
            details = pool.submit(sheet_details, opened.package, entry, facts)  # while fastexcel parses
            parts = parse_sheet(opened.package, entry, header, opened.copies(name))
            details.result()
        plain = parts is not None and not (facts.error_cells or facts.uncalculated or facts.percent_cells)
        loaded = load_sheet(engine.db, parts, cells, header) if parts is not None and plain else None
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


def _the_sheet(opened: OpenedInput, wanted: str | None) -> tuple[str | None, bool]:
    """The sheet :func:`~kactier.read.workbook.read_customer_sheet` tries first, and whether it is hidden."""
    if opened.kind is not Kind.XLSX or not opened.direct:
        return None, False
    worksheets = [m for m in opened.book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == calamine.SheetVisibleEnum.Visible]
    if wanted is not None:
        return (wanted, wanted not in visible) if wanted in opened.book.sheet_names else (None, False)
    return (visible[0], False) if visible else (None, False)


def _big_sheet(opened: OpenedInput, entry: SheetEntry) -> SheetFacts | None:
    """The facts of sheet ``entry`` when it is big and was checked on the fast path, without merged ranges; else
    None."""
    facts = opened.check_sheet(entry.name)
    if facts is None or opened.package is None or facts.exact or facts.merged:
        return None
    return facts if sheet_info(opened.package, entry).file_size >= COLUMNAR_FROM else None
