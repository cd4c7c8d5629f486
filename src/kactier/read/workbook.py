"""Reading the customer sheet: which file, which sheet, which row is the header.

The format is decided by the file's content, never its name (:func:`kactier.guard.sniff`): .xlsx/.xlsm (read
with python-calamine after :mod:`kactier.guard` has checked the package and the sheet), .xls/.xlsb/.ods (parsed
first in a child process, :mod:`kactier.legacy`), CSV (:mod:`kactier.csvread`), and password-protected workbooks
(decrypted in memory, :mod:`kactier.crypto`). Everything else ends in an :class:`~kactier.errors.InputError`.

The sheet is the one named by ``--sheet`` or the first visible worksheet whose first :data:`HEADER_SEARCH_ROWS`
rows hold a recognisable header; the header is the row among those that names the most canonical fields. Rows
above it (titles, banners, blank rows) are reported, not lost.

Policies, each reported in the Issues sheet:

* hidden sheets are never chosen on their own (``--sheet`` may name one); hidden rows and columns are read like
  the others, since hiding is a way of looking at a sheet, not of deleting data;
* a merged range in the data (a category cell spanning rows) is filled down its first column; merged banners
  above the header are title rows;
* cells calamine reads as blank although they are not (error values such as ``#N/A``, formulas saved without a
  value) become :class:`FlaggedCell` text: shown as they are in the output, missing to the checks;
* percent cells are marked (:attr:`RawSheet.percent_cells`) so that a 0-100 score typed as ``85%`` reads as 85.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar

import python_calamine as calamine

from ..errors import InputError, WorkbookError
from ..excel import column_letters
from ..fields import FIELD_BY_KEY, REQUIRED, match_header
from ..problems import Action, IssueCode, RowIssue
from . import csvfile, guard, legacy
from .guard import Kind

HEADER_SEARCH_ROWS = 20
_SHARE_SAMPLE = 1024  # rows looked at to decide which columns hold text worth sharing
# rows built at a time; after each chunk, sharing stops in a column whose texts hardly repeat
_CHUNK_ROWS = 16384
_HEAD_BYTES = 65536
_SUFFIXES = {
    Kind.XLSX: (".xlsx", ".xlsm", ".xltx", ".xltm"),
    Kind.XLSB: (".xlsb",),
    Kind.ODS: (".ods",),
    Kind.XLS: (".xls",),
}
_WORKBOOK_SUFFIXES = frozenset(suffix for suffixes in _SUFFIXES.values() for suffix in suffixes)
_FORMAT_NAMES = {
    Kind.XLSB: "Excel binary (.xlsb) workbook",
    Kind.ODS: "OpenDocument spreadsheet",
    Kind.XLS: "legacy .xls workbook",
}


class FlaggedCell(str):
    """A cell calamine reads as blank although it is not: written to the output as this text, missing to every
    check, and reported with :attr:`code`."""

    __slots__ = ()
    code: ClassVar[IssueCode] = IssueCode.CELL_ERROR


class ErrorCell(FlaggedCell):
    """An Excel error value (``#N/A``, ``#DIV/0!``...)."""

    __slots__ = ()
    code = IssueCode.CELL_ERROR


class UncalculatedFormula(FlaggedCell):
    """A formula saved without its value (the text is the formula, ``=SUM(B2:B9)``)."""

    __slots__ = ()
    code = IssueCode.FORMULA_NO_VALUE


@dataclass(slots=True)
class RawSheet:
    """The cells of the chosen sheet from its header row down, exactly as read."""

    path: Path
    sheet: str
    header_row: int  # as Excel numbers it
    headers: list[Any]
    rows: list[list[Any]]  # every row below the header, each as wide as ``headers``
    first_column: int = 0  # 0-based index of the sheet column that is ``headers[0]``
    issues: list[RowIssue] = field(default_factory=list)
    date1904: bool = False  # the workbook counts date serials from 1904 (Excel for Mac before 2011)
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (index into rows, index into the row)
    flagged_cells: int = 0  # FlaggedCell values in rows (error values, formulas without a value)
    source_format: str = "xlsx"

    @property
    def first_row(self) -> int:
        """The Excel row number of ``rows[0]``."""
        return self.header_row + 1


def header_matches(row: list[Any]) -> dict[str, int]:
    """Canonical field key -> column index for the cells of ``row`` that name a field (first wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if isinstance(cell, str) and not isinstance(cell, FlaggedCell):
            key = match_header(cell)
            if key is not None and key not in found:
                found[key] = index
    return found


def find_header_row(top_rows: list[list[Any]]) -> int | None:
    """Index (0-based) of the row naming the most fields, needing at least two; None when there is none."""
    best, best_count = None, 1
    for index, row in enumerate(top_rows[:HEADER_SEARCH_ROWS]):
        count = len(header_matches(row))
        if count > best_count:
            best, best_count = index, count
    return best


def check_input(path: Path) -> bytes:
    """The first bytes of ``path``, or an :class:`InputError` saying why it cannot be read."""
    return _head(path, 8)


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a workbook file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


# -- opening ------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Opened:
    """A workbook opened for reading: calamine's handle, and for an .xlsx the checked package."""

    path: Path
    kind: Kind
    book: calamine.CalamineWorkbook
    package: guard.Package | None
    checked: dict[str, guard.SheetFacts] = field(default_factory=dict)
    closed: bool = False

    def entry(self, name: str) -> guard.SheetEntry | None:
        if self.package is None:
            return None
        return next((e for e in self.package.sheets if e.name == name), None)

    def check(self, name: str) -> guard.SheetFacts | None:
        """Make sure sheet ``name`` is safe to parse (an .xlsx sheet is scanned; other formats were probed)."""
        entry = self.entry(name)
        if entry is None or self.package is None:
            return None
        if name not in self.checked:
            key = _version(self.path, self.package, entry)
            facts = _CHECKED.get(key) if key is not None else None
            if facts is None:
                facts = guard.check_sheet(self.package, entry)
                if key is not None:
                    _CHECKED[key] = facts
                    while len(_CHECKED) > 16:
                        del _CHECKED[next(iter(_CHECKED))]
            self.checked[name] = facts
        return self.checked[name]

    def close_book(self) -> None:
        """Let calamine free what it holds for the workbook (shared strings, the open file); once only."""
        if not self.closed:
            self.closed = True
            self.book.close()

    def close(self) -> None:
        self.close_book()
        if self.package is not None:
            self.package.close()


_CHECKED: dict[tuple[str, int, int, str], guard.SheetFacts] = {}  # sheets checked, by file version


def _version(path: Path, package: guard.Package, entry: guard.SheetEntry) -> tuple[str, int, int, str] | None:
    """A key for one sheet of one version of a file on disk (None for a decrypted copy in memory): a run opens
    the same workbook more than once (customer sheet, Config sheet), and a sheet is checked once per version."""
    if not isinstance(package.zip.filename, str) or entry.part not in package.zip.NameToInfo:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    info = package.zip.getinfo(entry.part or "")
    return (
        str(path.resolve()),
        stat.st_mtime_ns,
        stat.st_size,
        f"{entry.part}|{entry.name}|{info.CRC}|{info.compress_size}",
    )


def _open(path: Path, password: str | None, head: bytes) -> _Opened:
    kind = guard.sniff(path, head)
    data: bytes | None = None
    if kind is Kind.OLE:
        from .crypto import open_ole

        kind, data = open_ole(path, password)
        if data is not None and kind is Kind.XLSX and not data.startswith(b"PK"):
            raise InputError(f"{path}: the decrypted workbook is not an .xlsx; save it again from Excel")
    if kind is Kind.CSV:
        raise InputError(f"{path}: is a CSV file, not a workbook")
    package: guard.Package | None = None
    if kind is Kind.XLSX:
        package = guard.open_package(path, data if data is not None else path)
        kind = package.kind
        if kind is not Kind.XLSX:
            package.close()
            package = None
    if kind in _FORMAT_NAMES:
        legacy.probe(path, data, _FORMAT_NAMES[kind])
    try:
        if data is None and path.suffix.lower() in _SUFFIXES.get(kind, ()):
            book = calamine.CalamineWorkbook.from_path(str(path))
        else:  # decrypted, or a name that does not say what the content is: calamine decides by extension
            book = calamine.CalamineWorkbook.from_filelike(
                io.BytesIO(data if data is not None else path.read_bytes())
            )
    except BaseException as exc:
        if not _reader_failed(exc):
            raise
        if package is not None:
            package.close()
        raise InputError(
            f"{path}: cannot be read as a workbook ({guard.why(exc)}); open it in Excel and save it again"
        ) from None
    return _Opened(path, kind, book, package)


def _reader_failed(exc: BaseException) -> bool:
    """True for what calamine raises on a file it cannot read (a Rust panic arrives as a BaseException)."""
    return isinstance(exc, calamine.CalamineError | ValueError | OSError | OverflowError | RuntimeError) or (
        type(exc).__name__ == "PanicException"
    )


def open_workbook(path: Path, password: str | None = None) -> calamine.CalamineWorkbook:
    """Open ``path`` as a workbook, deciding the format by its content, not its name; every worksheet is checked
    (:mod:`kactier.guard`) before it is returned, so any sheet of it may be parsed safely."""
    opened = _open(path, password, _head(path, _HEAD_BYTES))
    try:
        for meta in opened.book.sheets_metadata:
            if meta.typ == calamine.SheetTypeEnum.WorkSheet:
                opened.check(meta.name)
    except BaseException:
        opened.close()
        raise
    if opened.package is not None:
        opened.package.close()
    return opened.book


# -- choosing the sheet -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Parsed:
    name: str
    header: int  # 0-based row index of the header
    cells: list[list[Any]]
    facts: guard.SheetFacts | None
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool


def _parse(opened: _Opened, name: str) -> _Parsed | None:
    """The cells of sheet ``name`` (checked first), its header row, what the scan found, and its merged ranges;
    None when its first :data:`HEADER_SEARCH_ROWS` rows hold no header (the rest is then never built). The scan's
    second half runs in a thread while calamine parses (calamine releases the GIL). Once the header is found the
    workbook is closed, and calamine's copy of the sheet goes as soon as the rows are built: a million-row sheet is
    not held twice for longer than it takes to read it."""
    facts = opened.check(name)
    entry = opened.entry(name)
    path = opened.path
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kactier-scan") as pool:
        details = (
            pool.submit(guard.sheet_details, opened.package, entry, facts)
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
            cells = _take(rows, HEADER_SEARCH_ROWS, skipped)
            header = find_header_row(cells)
            if header is not None:
                opened.close_book()
                _read_rest(rows, cells, skipped)
            del rows
        except BaseException as exc:
            if not _reader_failed(exc):
                raise
            if details is not None:
                details.cancel()
            raise InputError(
                f"{path}: sheet {name!r} cannot be read ({guard.why(exc)}); open the file in Excel and save it again"
            ) from None
        if details is not None:
            details.result()
    if header is None:
        return None
    return _Parsed(name, header, cells, facts, merged, hidden=False)


def _take(rows: Iterator[list[Any]], count: int, skipped_columns: int) -> list[list[Any]]:
    """The next ``count`` rows of calamine's iterator, each with its ``skipped_columns`` leading blanks put back so
    that ``[r][c]`` is the cell at row r, column c of the sheet (as ``to_python(skip_empty_area=False)`` has it)."""
    chunk = list(islice(rows, count))
    if skipped_columns:
        pad: list[Any] = [""] * skipped_columns
        for row in chunk:
            row[:0] = pad
    return chunk


def _read_rest(rows: Iterator[list[Any]], cells: list[list[Any]], skipped_columns: int) -> None:
    """Append the rest of calamine's ``rows`` to ``cells`` (the rows read so far), a chunk at a time, with each
    text that repeats down a column (a region, an industry, an owner) as one shared str: a million-row sheet then
    holds a few thousand texts instead of millions of copies. Which columns hold text is decided on the first
    :data:`_SHARE_SAMPLE` rows; a column whose texts hardly repeat (ids, notes) stops being shared after the
    chunk that shows it, so no memo grows large."""
    memos: list[tuple[int, dict[str, str]]] | None = None
    while True:
        chunk = _take(rows, _CHUNK_ROWS, skipped_columns)
        if memos is None:
            memos = _text_columns(cells + chunk[:_SHARE_SAMPLE])
            _share(cells, memos)
        _share(chunk, memos)
        cells += chunk
        if len(chunk) < _CHUNK_ROWS:
            return
        memos = [(column, memo) for column, memo in memos if len(memo) * 2 <= len(cells)]


def _text_columns(sample: list[list[Any]]) -> list[tuple[int, dict[str, str]]]:
    """The columns where at least half the filled cells of ``sample`` are text, each with an empty memo."""
    columns = []
    for column in range(max(map(len, sample), default=0)):
        text = filled = 0
        for row in sample:
            value = row[column] if column < len(row) else ""
            if value != "":
                filled += 1
                text += type(value) is str
        if text and text * 2 >= filled:
            columns.append((column, dict[str, str]()))
    return columns


def _share(rows: list[list[Any]], memos: list[tuple[int, dict[str, str]]]) -> None:
    """Replace each text in the memo columns of ``rows`` by the first equal text seen (only ``str`` itself: an
    equal number or a flagged cell must stay what it is)."""
    for column, memo in memos:
        shared = memo.setdefault
        for row in rows:
            if column < len(row) and type(value := row[column]) is str:
                row[column] = shared(value, value)


def _choose_sheet(opened: _Opened, wanted: str | None) -> _Parsed:
    book, path = opened.book, opened.path
    if wanted is not None and wanted not in book.sheet_names:
        raise WorkbookError(f"{path}: no sheet named {wanted!r}; sheets: {', '.join(book.sheet_names)}")
    worksheets = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == calamine.SheetVisibleEnum.Visible]
    candidates = [wanted] if wanted is not None else visible
    for name in candidates:
        parsed = _parse(opened, name)
        if parsed is not None:
            parsed.hidden = name not in visible
            return parsed
    hidden_sheets = [m.name for m in worksheets if m.name not in visible]
    raise WorkbookError(_no_header_message(path, candidates, hidden_sheets if wanted is None else []))


def _no_header_message(path: Path, sheets: list[str], hidden: list[str]) -> str:
    names = (
        "、".join(FIELD_BY_KEY[k].zh for k in REQUIRED)
        + " / "
        + ", ".join(FIELD_BY_KEY[k].en for k in REQUIRED)
    )
    where = (
        f"sheet {sheets[0]!r}" if len(sheets) == 1 else f"any visible sheet ({', '.join(sheets) or 'none'})"
    )
    also = f"; hidden sheets are not read unless named: --sheet {hidden[0]!r}" if hidden else ""
    return (
        f"{path}: no header row found in the first {HEADER_SEARCH_ROWS} rows of {where}; "
        f"the header needs columns such as {names} (or pick the sheet with --sheet){also}"
    )


# -- the customer sheet -------------------------------------------------------------------------------------------


def read_customer_sheet(path: Path, sheet: str | None = None, password: str | None = None) -> RawSheet:
    """Read the customer sheet of the workbook (or CSV file) at ``path``: header row, headers and every row below
    it. ``password`` opens a password-protected workbook."""
    head = _head(path, _HEAD_BYTES)
    if guard.sniff(path, head) is Kind.CSV:
        if path.suffix.lower() in _WORKBOOK_SUFFIXES:
            raise InputError(
                f"{path}: is CSV text saved with a workbook name, not a workbook; rename it to "
                f"{path.with_suffix('.csv').name} (kactier reads CSV) or open it in Excel and save it as .xlsx"
            )
        return _read_csv(path, sheet, head)
    opened = _open(path, password, head)
    try:
        parsed = _choose_sheet(opened, sheet)
        date1904 = opened.package.date1904 if opened.package is not None else False
        source = opened.kind.value
    finally:
        opened.close()
    cells, header_index = parsed.cells, parsed.header
    issues: list[RowIssue] = []
    flagged = _flag_cells(cells, parsed.facts) if parsed.facts is not None else 0
    issues += _fill_merged(cells, header_index, parsed.merged)
    headers = cells[header_index]
    body = cells[header_index + 1 :]
    start, end = _used_span(headers, body)
    issues = [
        RowIssue(index + 1, None, row_text(row), IssueCode.TITLE_ROW_SKIPPED, Action.ROW_SKIPPED)
        for index, row in enumerate(cells[:header_index])
        if any(cell != "" for cell in row)
    ] + issues
    if parsed.hidden:
        issues.append(RowIssue(None, None, parsed.name, IssueCode.HIDDEN_SHEET, Action.VALUE_KEPT))
    if source != Kind.XLSX.value:
        issues.append(
            RowIssue(
                None,
                None,
                None,
                IssueCode.READ_AS,
                Action.VALUE_KEPT,
                _FORMAT_NAMES[opened.kind].rsplit("(", 1)[-1].rstrip(")")
                if "(" in _FORMAT_NAMES[opened.kind]
                else _FORMAT_NAMES[opened.kind],
            )
        )
    percent: frozenset[tuple[int, int]] = frozenset()
    if parsed.facts is not None:
        issues += _hidden_issues(parsed.facts, header_index, start, end, headers)
        percent = frozenset(
            (r - header_index - 1, c - start)
            for r, c in parsed.facts.percent_cells
            if r > header_index and start <= c < end
        )
    return RawSheet(
        path=path,
        sheet=parsed.name,
        header_row=header_index + 1,
        headers=_fit(headers, start, end),
        rows=_fit_all(body, start, end),
        first_column=start,
        issues=issues,
        date1904=date1904,
        percent_cells=percent,
        flagged_cells=flagged,
        source_format=source,
    )


def _read_csv(path: Path, wanted: str | None, head: bytes) -> RawSheet:
    """A CSV file as a sheet (``--sheet`` does not apply: a CSV file has one)."""
    cells, how = csvfile.read_csv(path)
    name = csvfile.sheet_name(path)
    header_index = find_header_row(cells[:HEADER_SEARCH_ROWS])
    if header_index is None:
        raise WorkbookError(_no_header_message(path, [name], []))
    headers, body = cells[header_index], cells[header_index + 1 :]
    start, end = _used_span(headers, body)
    issues = [
        RowIssue(index + 1, None, row_text(row), IssueCode.TITLE_ROW_SKIPPED, Action.ROW_SKIPPED)
        for index, row in enumerate(cells[:header_index])
        if any(cell != "" for cell in row)
    ]
    issues.append(RowIssue(None, None, None, IssueCode.READ_AS, Action.VALUE_KEPT, how))
    return RawSheet(
        path=path,
        sheet=name,
        header_row=header_index + 1,
        headers=_fit(headers, start, end),
        rows=[_fit(row, start, end) for row in body],
        first_column=start,
        issues=issues,
        source_format="csv",
    )


def _flag_cells(cells: list[list[Any]], facts: guard.SheetFacts) -> int:
    """Put error values and formulas without a value where calamine left blanks; how many were put."""
    count = 0
    for flagged, kind in ((facts.error_cells, ErrorCell), (facts.uncalculated, UncalculatedFormula)):
        for (r, c), text in flagged.items():
            while r >= len(cells):
                cells.append([])
            row = cells[r]
            if c >= len(row):
                row.extend([""] * (c + 1 - len(row)))
            if row[c] == "":
                row[c] = kind(text)
                count += 1
    return count


def _fill_merged(
    cells: list[list[Any]], header: int, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[RowIssue]:
    """Fill each merged range that starts below the header down its first column; banners above are titles."""
    issues = []
    for (r0, c0), (r1, c1) in sorted(merged):
        if r0 <= header or r1 <= r0 or r0 >= len(cells) or c0 >= len(cells[r0]):
            continue
        value = cells[r0][c0]
        if value == "":
            continue
        filled = 0
        for r in range(r0 + 1, min(r1, len(cells) - 1) + 1):
            row = cells[r]
            if c0 >= len(row):
                row.extend([""] * (c0 + 1 - len(row)))
            if row[c0] == "":
                row[c0] = value
                filled += 1
        if filled:
            ref = f"{column_letters(c0 + 1)}{r0 + 1}:{column_letters(c1 + 1)}{r1 + 1}"
            column = cells[header][c0] if c0 < len(cells[header]) else ""
            label = column if isinstance(column, str) and column else column_letters(c0 + 1)
            issues.append(RowIssue(r0 + 1, label, value, IssueCode.MERGED_FILLED, Action.VALUE_COERCED, ref))
    return issues


def _hidden_issues(
    facts: guard.SheetFacts, header: int, start: int, end: int, headers: list[Any]
) -> list[RowIssue]:
    issues = []
    rows = sorted(r for r in set(facts.hidden_rows) if r > header + 1)
    blocks: list[list[int]] = []
    for r in rows:
        if blocks and r == blocks[-1][1] + 1:
            blocks[-1][1] = r
        else:
            blocks.append([r, r])
    for first, last in blocks:
        span = str(first) if first == last else f"{first}–{last}"
        issues.append(RowIssue(first, None, None, IssueCode.HIDDEN_ROWS, Action.VALUE_KEPT, span))
    for column in sorted(set(facts.hidden_columns)):
        if start < column <= end:
            name = headers[column - 1] if column - 1 < len(headers) else ""
            label = name if isinstance(name, str) and name else column_letters(column)
            issues.append(RowIssue(None, label, None, IssueCode.HIDDEN_COLUMN, Action.VALUE_KEPT))
    return issues


def _used_span(headers: list[Any], body: list[list[Any]]) -> tuple[int, int]:
    """The columns [start, end) holding a header or any value; wholly empty columns at either edge hold nothing."""
    used = [i for i, cell in enumerate(headers) if cell != ""]
    start, end = (used[0], used[-1] + 1) if used else (len(headers), 0)
    if start == 0 and end == len(headers) and all(len(row) == end for row in body):
        return start, end  # the header spans every column of the sheet: nothing beyond it on either side
    for row in body:
        for i in range(len(row) - 1, end - 1, -1):
            if row[i] != "":
                end = i + 1
                break
        for i in range(min(start, len(row))):
            if row[i] != "":
                start = i
                break
    return start, max(start, end)


def _fit_all(rows: list[list[Any]], start: int, end: int) -> list[list[Any]]:
    """Every row cut or padded, in place, to the columns [start, end); calamine's rows usually are exactly that
    already. In place, so that a million rows are not held twice."""
    if start == 0 and all(len(row) == end for row in rows):
        return rows
    width = end - start
    for row in rows:
        del row[end:]
        del row[:start]
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows


def _fit(row: list[Any], start: int, end: int) -> list[Any]:
    part = row[start:end]
    return part if len(part) == end - start else part + [""] * (end - start - len(part))


def row_text(row: list[Any]) -> str:
    """A row's non-empty cells joined, for reporting a skipped row in the Issues sheet."""
    return " | ".join(str(cell) for cell in row if cell != "")
