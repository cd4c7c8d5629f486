"""A big order sheet parsed by fastexcel into Arrow, on every core, and loaded into the table ``raw``.

calamine parses a sheet on one thread, without the GIL. So the sheet is cut into one part per usable core as it is
checked (:class:`~kactier.read.sheet_copies.SheetCopies`: each a copy of the package holding the first rows and a
share of the rows after them), and the parts are parsed side by side on threads. Each part must
type its columns strictly (one kind of cell per column over all its rows) and the parts must agree (a column empty
in one part takes the kind the others give it). The parts then fill ``sheet_cells`` one after the other, with the
blank rows between them put back, so that row ``rowid`` of it is the sheet's row ``rowid + header + 2``; ``raw`` is
a view of it laid out as :mod:`kactier.orders.scan` lays out an export.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..read.cells import RawSheet
from ..read.header import two_row_header
from ..read.opening import reader_failed
from ..read.package import Package, SheetEntry
from ..read.sheet_copies import SheetCopies
from ..read.tidy import title_row_issues
from .cell_forms import BOOL, DATE, NUMBER, TEXT
from .scan import LoadedParts

if TYPE_CHECKING:
    import duckdb

_FORMS = {"string": TEXT, "float": NUMBER, "int": NUMBER, "datetime": DATE, "date": DATE, "boolean": BOOL}
_SQL = {TEXT: "nullif({}, '')", NUMBER: "CAST({} AS DOUBLE)", DATE: "CAST({} AS TIMESTAMP)", BOOL: "{}"}
_TYPES = {TEXT: "VARCHAR", NUMBER: "DOUBLE", DATE: "TIMESTAMP", BOOL: "BOOLEAN"}
_MIDNIGHT = dt.time()


@dataclass(slots=True)
class _Part:
    """One part as fastexcel read it: its sheet, the Excel row of its first line, its columns placed."""

    sheet: Any
    first_row: int
    offset: int = 0  # the sheet column of its first column
    forms: tuple[str, ...] = ()
    counts: tuple[int, ...] = ()  # values per column


def workbook_cell(value: Any) -> Any:
    """A value of a typed ``raw`` column as python-calamine gives the cell: a date and time at midnight is a date."""
    if type(value) is dt.datetime and value.time() == _MIDNIGHT:
        return value.date()
    return value


def parse_sheet(
    package: Package, entry: SheetEntry, header: int, copies: SheetCopies | None
) -> list[Any] | None:
    """fastexcel's parts of sheet ``entry`` below its header row ``header`` (0-based), parsed side by side from
    ``copies`` (the whole sheet at once on one core); None when a part mixes kinds of cell in a column or cannot
    be read, or the copies were not made."""
    if parts_wanted() < 2:
        return _one(_arrow(package.path, entry.name, header, 0), header + 2)
    if copies is None or copies.parts is None:
        return None
    first_line = min((r for r in copies.head_rows if r > header + 1), default=None)
    if first_line is None:
        return None
    starts = [first_line, *(part.first_row for part in copies.parts[1:])]
    with ThreadPoolExecutor(max_workers=len(starts), thread_name_prefix="kactier-parse") as pool:
        # the rows between the header and a part's first line (blank or another part's) are skipped
        futures = [
            pool.submit(_arrow, part.path, entry.name, header, first - (header + 2))
            for part, first in zip(copies.parts, starts, strict=True)
        ]
        parts = [_Part(future.result(), first) for future, first in zip(futures, starts, strict=True)]
    copies.close()  # parsed: the copies are not needed any more
    return None if any(p.sheet is None for p in parts) else parts


def parts_wanted() -> int:
    """Parts to parse side by side: one per usable core, at most four (memory grows with each)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 4)


def _one(sheet: Any, first_row: int) -> list[Any] | None:
    return None if sheet is None else [_Part(sheet, first_row)]


def _arrow(path: Path, name: str, header: int, skip: int) -> Any:
    """fastexcel's sheet below the header row ``header`` (0-based) and ``skip`` rows, every column of one kind;
    None when a column mixes kinds (or fastexcel cannot read the sheet)."""
    import fastexcel  # here: only a big order sheet needs it

    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # its note on an empty column's kind is not ours
    try:
        reader = fastexcel.read_excel(str(path))
        return reader.load_sheet(
            name, header_row=header, skip_rows=skip or None, dtype_coercion="strict", schema_sample_rows=None
        )
    except BaseException as exc:
        if isinstance(exc, fastexcel.FastExcelError) or reader_failed(exc):
            return None
        raise


def load_sheet(
    db: duckdb.DuckDBPyConnection, parts: list[Any], cells: list[list[Any]], header: int
) -> LoadedParts | None:
    """Load the parts into ``raw`` (column ``c{i}`` is the sheet's column ``i``, rows numbered as Excel numbers
    them); None when a part's columns cannot be placed, hold a kind of cell this path does not read, or the parts
    disagree on a column's kind."""
    header_cells = list(cells[header])
    row = header + 2
    for number, part in enumerate(parts):
        if not _place(db, number, part, header_cells) or part.first_row < row:  # parts follow one another
            return None
        row = part.first_row + int(part.sheet.height)
    kinds = _kinds(db, parts)
    if kinds is None:
        return None
    _fill(db, parts, kinds, header + 2)
    counts = db.execute(f"SELECT {', '.join(f'count(c{i})' for i in kinds)} FROM sheet_cells").fetchall()[0]
    width = max(kinds) + 1
    headers = [*header_cells, *[""] * (width - len(header_cells))][:width]
    valued = {column for column, count in zip(kinds, counts, strict=True) if count}
    used = [i for i in range(width) if headers[i] != "" or i in valued]
    if not used:
        return None
    start, end = used[0], used[-1] + 1
    kept = [i for i in kinds if start <= i < end]
    first = header + 2  # the Excel row of the first line: its rowid is 0
    db.execute(
        f"CREATE VIEW raw AS SELECT 0 AS part, rowid + {first} AS rec, rowid + {first} AS seq, "
        f"{', '.join(f'c{i}' for i in kept)} FROM sheet_cells"
    )
    ((lines,),) = db.execute("SELECT count(*) FROM sheet_cells").fetchall()
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
    max_seq = first - 1 + int(lines)
    by_name = {f"c{i}": kinds[i] for i in kept}
    return LoadedParts([], head, end - start, first=start, max_seq=max_seq, forms=by_name, cell=workbook_cell)


def _place(db: duckdb.DuckDBPyConnection, number: int, part: _Part, header_cells: list[Any]) -> bool:
    """Register the part as ``part{number}`` and find its columns' place and kind."""
    columns = part.sheet.available_columns()
    offset = _offset(columns, header_cells)
    found = [_FORMS.get(column.dtype) for column in columns]
    if offset is None or None in found:
        return False
    part.offset, part.forms = offset, tuple(f for f in found if f is not None)
    part.counts = (1,) * len(part.forms)  # values in each column, until a disagreement asks
    db.register(f"part{number}", part.sheet)
    return True


def _kinds(db: duckdb.DuckDBPyConnection, parts: list[_Part]) -> dict[int, str] | None:
    """The kind of each sheet column the parts hold (from the first to the last); a column the parts give two
    kinds is of the kind of those that hold a value in it (fastexcel calls a column with none text), else None."""
    seen: dict[int, set[str]] = {}
    for part in parts:
        for i, form in enumerate(part.forms):
            seen.setdefault(part.offset + i, set()).add(form)
    if any(len(forms) > 1 for forms in seen.values()):
        for number, part in enumerate(parts):  # which columns hold values: only asked when the parts differ
            counted = ", ".join(f"count({_SQL[form].format(f'k{i}')})" for i, form in enumerate(part.forms))
            (row,) = db.execute(f"SELECT {counted} FROM part{number} AS t({_keys(part)})").fetchall()
            part.counts = tuple(int(n) for n in row)
    kinds: dict[int, str] = {}
    for column in range(min(seen), max(seen) + 1):
        forms = {
            part.forms[column - part.offset]
            for part in parts
            if 0 <= column - part.offset < len(part.forms) and part.counts[column - part.offset]
        }
        if len(forms) > 1:
            return None  # numbers in one part, text in another: a column of mixed kinds
        kinds[column] = forms.pop() if forms else TEXT
    return kinds


def _fill(db: duckdb.DuckDBPyConnection, parts: list[_Part], kinds: dict[int, str], first_line: int) -> None:
    """``sheet_cells``: the parts' rows one after the other in sheet order, the blank rows between them put back."""
    db.execute(f"CREATE TABLE sheet_cells ({', '.join(f'c{i} {_TYPES[f]}' for i, f in kinds.items())})")
    blank = ", ".join("NULL" for _ in kinds)
    next_row = first_line
    for number, part in enumerate(parts):
        if part.first_row > next_row:
            db.execute(f"INSERT INTO sheet_cells SELECT {blank} FROM range({part.first_row - next_row})")
        selected = []
        for column, form in kinds.items():
            i = column - part.offset
            has = 0 <= i < len(part.forms) and part.counts[i]
            selected.append(_SQL[form].format(f"k{i}") if has else f"NULL::{_TYPES[form]}")
        db.execute(
            f"INSERT INTO sheet_cells SELECT {', '.join(selected)} FROM part{number} AS t({_keys(part)})"
        )
        db.unregister(f"part{number}")
        next_row = part.first_row + int(part.sheet.height)


def _keys(part: _Part) -> str:
    """The part's columns named by position: a blank header names no column."""
    return ", ".join(f"k{i}" for i in range(len(part.forms)))


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
