"""Which row of a sheet is its header: among the first :data:`HEADER_SEARCH_ROWS`, the one naming the most fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def find_header_row(top_rows: list[list[Any]]) -> int | None:
    """Index (0-based) of the row naming the most fields, needing at least two; None when there is none."""
    best, best_count = None, 1
    for index, row in enumerate(top_rows[:HEADER_SEARCH_ROWS]):
        count = len(header_matches(row))
        if count > best_count:
            best, best_count = index, count
    return best


def no_header_message(path: Path, sheets: list[str], hidden: list[str]) -> str:
    """The message for ``sheets`` of ``path`` that hold no header, naming the ``hidden`` sheets left unread."""
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
