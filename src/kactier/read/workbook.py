"""Reading the customer sheet: which sheet, which row is the header, and every row below it.

The input is opened by :mod:`kactier.read.opening`, which decides its format by content, never its name, and
checks it before any parser sees it. The sheet is the one named by ``--sheet`` or the first visible worksheet
whose first :data:`~kactier.read.header.HEADER_SEARCH_ROWS` rows hold a recognisable header; the header is the
row among those that names the most canonical fields (:mod:`kactier.read.header`). Rows above it (titles,
banners, blank rows) are reported, not lost.

Policies, each reported in the Issues sheet (:mod:`kactier.read.tidy`):

* hidden sheets are never chosen on their own (``--sheet`` may name one); hidden rows and columns are read like
  the others, since hiding is a way of looking at a sheet, not of deleting data;
* a merged range in the data (a category cell spanning rows) is filled down its first column; merged banners
  above the header are title rows;
* cells calamine reads as blank although they are not (error values such as ``#N/A``, formulas saved without a
  value) become :class:`~kactier.read.cells.FlaggedCell` text: shown as they are in the output, missing to the
  checks;
* percent cells are marked (:attr:`~kactier.read.cells.RawSheet.percent_cells`) so that a 0-100 score typed as
  ``85%`` reads as 85.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from ..errors import InputError, WorkbookError
from ..i18n import CATALOG, Note
from ..problems import Action, IssueCode, RowIssue
from . import csvfile
from .cells import RawSheet
from .header import HEADER_SEARCH_ROWS, find_header_row, no_header_error, two_row_header
from .opening import FORMAT_NAMES, OpenedInput, open_input, reader_failed
from .rows import read_rest, take_rows
from .sheet_details import sheet_details
from .sheet_facts import SheetFacts
from .sniff import Kind, why
from .tidy import fill_merged, fit, fit_all, flag_cells, hidden_issues, title_row_issues, used_span


def read_customer_sheet(
    source: Path | OpenedInput, sheet: str | None = None, password: str | None = None
) -> RawSheet:
    """Read the customer sheet of the workbook (or CSV file) at ``source``: header row, headers and every row below
    it. ``password`` opens a password-protected workbook.

    ``source`` is a path (opened here, and closed) or an input already opened by
    :func:`~kactier.read.opening.open_input` (``password`` was given there). Reading uses the input up: it is
    closed once the sheet has been read, and calamine's copy of the workbook as soon as the header row is found,
    so that a million-row sheet is not held twice. Read any other sheet (the Config sheet) first.
    """
    opened = source if isinstance(source, OpenedInput) else open_input(source, password)
    if opened.kind is Kind.CSV:
        return _read_csv(opened.path)
    try:
        parsed = _choose_sheet(opened, sheet)
        date1904 = opened.date1904
    finally:
        opened.close()
    return _raw_sheet(opened.path, opened.kind, parsed, date1904)


# -- choosing the sheet -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Parsed:
    name: str
    header: int  # 0-based row index of the header
    cells: list[list[Any]]
    facts: SheetFacts | None
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool


def _choose_sheet(opened: OpenedInput, wanted: str | None) -> _Parsed:
    book, path = opened.book, opened.path
    if wanted is not None and wanted not in book.sheet_names:
        raise WorkbookError("workbook.no_sheet", path=path, sheet=wanted, sheets=", ".join(book.sheet_names))
    worksheets = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == calamine.SheetVisibleEnum.Visible]
    candidates = [wanted] if wanted is not None else visible
    for name in candidates:
        parsed = _parse(opened, name)
        if parsed is not None:
            parsed.hidden = name not in visible
            return parsed
    hidden_sheets = [m.name for m in worksheets if m.name not in visible]
    raise no_header_error(path, candidates, hidden_sheets if wanted is None else [])


def _parse(opened: OpenedInput, name: str) -> _Parsed | None:
    """The cells of sheet ``name`` (checked first), its header row, what the scan found, and its merged ranges;
    None when its first :data:`HEADER_SEARCH_ROWS` rows hold no header (the rest is then never built). The scan's
    second half runs in a thread while calamine parses (calamine releases the GIL). Once the header is found the
    workbook is closed, and calamine's copy of the sheet goes as soon as the rows are built: a million-row sheet is
    not held twice for longer than it takes to read it."""
    facts = opened.check_sheet(name)
    entry = opened.entry(name)
    path = opened.path
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kactier-scan") as pool:
        details = (
            pool.submit(sheet_details, opened.package, entry, facts)
            if facts is not None and entry is not None and opened.package is not None
            else None
        )
        try:
            sheet = opened.book.get_sheet_by_name(name)
            merged = sheet.merged_cell_ranges or []
            # calamine's iterator starts at row 1 but at the first used column: the columns before it are put back
            skipped = start[1] if (start := sheet.start) is not None else 0
            rows = sheet.iter_rows()
            del sheet  # the iterator holds calamine's cells until it is used up
            cells = take_rows(rows, HEADER_SEARCH_ROWS, skipped)
            header = find_header_row(cells, merged)
            if header is not None:
                opened.close_book()
                read_rest(rows, cells, skipped)
            del rows
        except BaseException as exc:
            if not reader_failed(exc):
                raise
            if details is not None:
                details.cancel()
            raise InputError("input.sheet_unreadable", path=path, sheet=name, reason=why(exc)) from None
        if details is not None:
            details.result()
    if header is None:
        return None
    return _Parsed(name, header, cells, facts, merged, hidden=False)


# -- the customer sheet -------------------------------------------------------------------------------------------


def _raw_sheet(path: Path, kind: Kind, parsed: _Parsed, date1904: bool) -> RawSheet:
    """The sheet as read, tidied: flagged cells put back, merged ranges filled, its used columns cut out, and
    every issue found on the way."""
    cells, header_index = parsed.cells, parsed.header
    issues: list[RowIssue] = []
    flagged = flag_cells(cells, parsed.facts) if parsed.facts is not None else 0
    groups = two_row_header(cells, header_index, parsed.merged)
    issues += fill_merged(cells, header_index, parsed.merged)
    headers = cells[header_index]
    body = cells[header_index + 1 :]
    start, end = used_span(headers, body)
    issues = title_row_issues(cells, header_index) + issues
    if parsed.hidden:
        issues.append(RowIssue(None, None, parsed.name, IssueCode.HIDDEN_SHEET, Action.VALUE_KEPT))
    if kind is not Kind.XLSX:
        issues.append(RowIssue(None, None, None, IssueCode.READ_AS, Action.VALUE_KEPT, _read_as(kind)))
    percent: frozenset[tuple[int, int]] = frozenset()
    if parsed.facts is not None:
        issues += hidden_issues(parsed.facts, header_index, start, end, headers)
        percent = frozenset(
            (r - header_index - 1, c - start)
            for r, c in parsed.facts.percent_cells
            if r > header_index and start <= c < end
        )
    return RawSheet(
        path=path,
        sheet=parsed.name,
        header_row=header_index + 1,
        headers=fit(headers, start, end),
        rows=fit_all(body, start, end),
        first_column=start,
        issues=issues,
        date1904=date1904,
        percent_cells=percent,
        flagged_cells=flagged,
        source_format=kind.value,
        header_groups={c - start: g for c, g in groups.items() if start <= c < end},
    )


def _read_as(kind: Kind) -> str:
    """How a workbook probed first was read, as the READ_AS issue names it (".xlsb", "OpenDocument spreadsheet"),
    worded in the run's language (``term.format.*``)."""
    return Note(f"term.format.{kind.value}") if f"term.format.{kind.value}" in CATALOG else FORMAT_NAMES[kind]


def _read_csv(path: Path) -> RawSheet:
    """A CSV file as a sheet (``--sheet`` does not apply: a CSV file has one)."""
    cells, how = csvfile.read_csv(path)
    name = csvfile.sheet_name(path)
    header_index = find_header_row(cells[:HEADER_SEARCH_ROWS])
    if header_index is None:
        raise no_header_error(path, [name], [])
    two_row_header(cells, header_index)
    headers, body = cells[header_index], cells[header_index + 1 :]
    start, end = used_span(headers, body)
    issues = title_row_issues(cells, header_index)
    issues.append(RowIssue(None, None, None, IssueCode.READ_AS, Action.VALUE_KEPT, how))
    return RawSheet(
        path=path,
        sheet=name,
        header_row=header_index + 1,
        headers=fit(headers, start, end),
        rows=[fit(row, start, end) for row in body],
        first_column=start,
        issues=issues,
        source_format="csv",
    )
