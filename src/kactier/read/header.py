"""Which row of a sheet is its header: among the first :data:`HEADER_SEARCH_ROWS`, the one naming the most fields.

A cell merged across columns (a banner over the sheet, or a group such as "评分指标（0-100）" over five scores) is
never counted as a header cell, so neither a banner nor a group row wins. Under a group row the lower row is the
header, and its blank cells take the field names written above them (a cell merged down over both rows, or
"客户编号" written in the upper row only): :func:`two_row_header`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Phrase, WorkbookError
from ..fields import FIELD_BY_KEY, REQUIRED, match_header
from .cells import FlaggedCell

HEADER_SEARCH_ROWS = 20


def header_matches(row: list[Any]) -> dict[str, int]:
    """Canonical field key -> column index for the cells of ``row`` that name a field (first wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if isinstance(cell, str) and not isinstance(cell, FlaggedCell):
            key = match_header(cell)
            if key is not None and key not in found:
                found[key] = index
    return found


Merged = Sequence[
    tuple[tuple[int, int], tuple[int, int]]
]  # ((first row, first column), (last row, last column))


def find_header_row(top_rows: list[list[Any]], merged: Merged = ()) -> int | None:
    """Index (0-based) of the row naming the most fields, needing at least two; None when there is none.

    A row is counted with the names a two-row header gives it (:func:`two_row_header`); a cell merged across
    columns (banner or group) is not counted. On a tie the upper row wins.
    """
    rows = top_rows[:HEADER_SEARCH_ROWS]
    spanning = {(r0, c0) for (r0, c0), (_, c1) in merged if c1 > c0 and r0 < len(rows)}
    best, best_count = None, 1
    for index in range(len(rows)):
        cells = [
            "" if (index, column) in spanning else cell
            for column, cell in enumerate(_with_names_above(rows, index, merged, spanning))
        ]
        count = len(header_matches(cells))
        if count > best_count:
            best, best_count = index, count
    return best


def two_row_header(cells: list[list[Any]], header: int, merged: Merged = ()) -> dict[int, str]:
    """Complete the header row ``cells[header]`` in place from the rows above it; the groups above it by column.

    A blank header cell takes the name above it: the value of a range merged down into the header row (whatever it
    says: the merge makes it this column's header), or a cell of the row just above that names a field. A cell merged across columns above the header is a group: its
    text is returned for every column it spans (column index -> group text), and it never becomes a header.
    """
    spanning = {(r0, c0) for (r0, c0), (_, c1) in merged if c1 > c0}
    cells[header] = _with_names_above(cells, header, merged, spanning)
    groups: dict[int, str] = {}
    if header == 0:
        return groups
    for (r0, c0), (r1, c1) in merged:
        if c1 > c0 and r0 <= header - 1 <= r1 and r0 < len(cells) and c0 < len(cells[r0]):
            value = cells[r0][c0]
            if isinstance(value, str) and value.strip():
                groups.update({c: value.strip() for c in range(c0, c1 + 1)})
    return groups


def _with_names_above(
    rows: list[list[Any]], index: int, merged: Merged, spanning: set[tuple[int, int]]
) -> list[Any]:
    """``rows[index]`` with each blank cell given the field name written above it (see :func:`two_row_header`)."""
    row = rows[index]
    if index == 0 or "" not in row:
        return row
    out = list(row)
    for (r0, c0), (r1, _) in merged:  # merged down into this row from above
        if r0 < index <= r1 and c0 < len(out) and out[c0] == "" and (r0, c0) not in spanning:
            above = rows[r0][c0] if c0 < len(rows[r0]) else ""
            if isinstance(above, str) and above.strip() and not isinstance(above, FlaggedCell):
                out[c0] = above
    upper = rows[index - 1]
    for column, cell in enumerate(out):
        if cell == "" and column < len(upper) and (index - 1, column) not in spanning:
            above = upper[column]
            if (
                isinstance(above, str)
                and not isinstance(above, FlaggedCell)
                and match_header(above) is not None
            ):
                out[column] = above
    return out


def no_header_error(path: Path, sheets: list[str], hidden: list[str]) -> WorkbookError:
    """The error for ``sheets`` of ``path`` that hold no header, naming the ``hidden`` sheets left unread."""
    names = (
        "、".join(FIELD_BY_KEY[k].zh for k in REQUIRED)
        + " / "
        + ", ".join(FIELD_BY_KEY[k].en for k in REQUIRED)
    )
    if len(sheets) == 1:
        where = Phrase("where.one_sheet", sheet=sheets[0])
    else:
        where = (
            Phrase("where.visible_sheets", sheets=", ".join(sheets)) if sheets else Phrase("where.no_sheets")
        )
    if hidden:
        return WorkbookError(
            "workbook.no_header_hidden",
            path=path,
            rows=HEADER_SEARCH_ROWS,
            where=where,
            names=names,
            hidden=hidden[0],
        )
    return WorkbookError("workbook.no_header", path=path, rows=HEADER_SEARCH_ROWS, where=where, names=names)
