"""Reading the customer sheet: which file, which sheet, which row is the header.

The workbook is opened with python-calamine. The sheet is the one named by ``--sheet`` or the first visible worksheet
whose first :data:`HEADER_SEARCH_ROWS` rows hold a recognisable header; the header is the row among those that names
the most canonical fields. Rows above it (titles, banners, blank rows) are reported, not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as calamine

from .errors import InputError, WorkbookError
from .fields import FIELD_BY_KEY, REQUIRED, match_header
from .problems import Action, IssueCode, RowIssue

HEADER_SEARCH_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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

    @property
    def first_row(self) -> int:
        """The Excel row number of ``rows[0]``."""
        return self.header_row + 1


def header_matches(row: list[Any]) -> dict[str, int]:
    """Canonical field key -> column index for the cells of ``row`` that name a field (first wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if isinstance(cell, str):
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
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a workbook file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    """Open ``path`` as a workbook, deciding the format by its content, not its name."""
    magic = check_input(path)
    if not magic:
        raise InputError(f"{path}: the file is empty (0 bytes); re-export the workbook")
    if not (magic.startswith(_ZIP_MAGIC) or magic == _OLE_MAGIC):
        raise InputError(
            f"{path}: not an Excel workbook (.xlsx/.xlsm/.xls/.ods); open it in Excel and save as .xlsx"
        )
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: cannot be read as a workbook ({exc}); open it in Excel and save it again"
        ) from None


def _choose_sheet(
    book: calamine.CalamineWorkbook, path: Path, wanted: str | None
) -> tuple[str, int, list[list[Any]]]:
    """The sheet to read, the 0-based index of its header row, and its cells (each sheet is parsed once)."""
    if wanted is not None and wanted not in book.sheet_names:
        raise WorkbookError(f"{path}: no sheet named {wanted!r}; sheets: {', '.join(book.sheet_names)}")
    candidates = (
        [wanted]
        if wanted is not None
        else [
            meta.name
            for meta in book.sheets_metadata
            if meta.typ == calamine.SheetTypeEnum.WorkSheet
            and meta.visible == calamine.SheetVisibleEnum.Visible
        ]
    )
    for name in candidates:
        try:
            cells: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (calamine.CalamineError, ValueError) as exc:
            raise InputError(f"{path}: sheet {name!r} cannot be read ({exc})") from None
        header = find_header_row(cells[:HEADER_SEARCH_ROWS])
        if header is not None:
            return name, header, cells
    raise WorkbookError(_no_header_message(path, candidates))


def _no_header_message(path: Path, sheets: list[str]) -> str:
    names = (
        "、".join(FIELD_BY_KEY[k].zh for k in REQUIRED)
        + " / "
        + ", ".join(FIELD_BY_KEY[k].en for k in REQUIRED)
    )
    where = (
        f"sheet {sheets[0]!r}" if len(sheets) == 1 else f"any visible sheet ({', '.join(sheets) or 'none'})"
    )
    return (
        f"{path}: no header row found in the first {HEADER_SEARCH_ROWS} rows of {where}; "
        f"the header needs columns such as {names} (or pick the sheet with --sheet)"
    )


def read_customer_sheet(path: Path, sheet: str | None = None) -> RawSheet:
    """Read the customer sheet of the workbook at ``path``: header row, headers and every row below it."""
    book = open_workbook(path)
    try:
        name, header_index, cells = _choose_sheet(book, path, sheet)
    finally:
        book.close()
    headers = cells[header_index]
    body = cells[header_index + 1 :]
    start, end = _used_span(headers, body)
    issues = [
        RowIssue(index + 1, None, row_text(row), IssueCode.TITLE_ROW_SKIPPED, Action.ROW_SKIPPED)
        for index, row in enumerate(cells[:header_index])
        if any(cell != "" for cell in row)
    ]
    return RawSheet(
        path=path,
        sheet=name,
        header_row=header_index + 1,
        headers=_fit(headers, start, end),
        rows=[_fit(row, start, end) for row in body],
        first_column=start,
        issues=issues,
    )


def _used_span(headers: list[Any], body: list[list[Any]]) -> tuple[int, int]:
    """The columns [start, end) holding a header or any value; wholly empty columns at either edge hold nothing."""
    used = [i for i, cell in enumerate(headers) if cell != ""]
    start, end = (used[0], used[-1] + 1) if used else (len(headers), 0)
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


def _fit(row: list[Any], start: int, end: int) -> list[Any]:
    part = row[start:end]
    return part if len(part) == end - start else part + [""] * (end - start - len(part))


def row_text(row: list[Any]) -> str:
    """A row's non-empty cells joined, for reporting a skipped row in the Issues sheet."""
    return " | ".join(str(cell) for cell in row if cell != "")
