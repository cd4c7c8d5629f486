"""What the checks of one sheet found (:class:`SheetFacts`), and the rule on its area that they all apply."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from ..errors import InputError, Phrase
from ..excel import MAX_COLUMNS, MAX_ROWS, column_letters
from .limits import DENSE_FACTOR, DENSE_FLOOR
from .package import Package, SheetEntry


@dataclass(slots=True)
class SheetFacts:
    """What the scan of a sheet's XML found. Positions are 0-based (row, column), as calamine returns cells."""

    max_row: int = 0  # 1-based, as Excel numbers rows (0: no cell)
    max_column: int = 0  # 1-based
    cells: int = 0
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # -> "#N/A", "#DIV/0!", ...
    uncalculated: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # formula saved without value -> "=..."
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based
    hidden_columns: list[int] = field(default_factory=list)  # 1-based
    dimension: str = ""  # the <dimension ref> the sheet claims (a hint; never trusted)
    exact: bool = False  # placed by the exact path, which also collected the cells above
    rare: bool = False  # the XML has error cells, formulas, hidden rows or percent cells to look at
    detailed: bool = False  # :func:`~kactier.read.sheet_details.sheet_details` has collected them
    merged: bool = False  # the sheet has merged ranges (``<mergeCell>``, after its rows)


def check_area(where: Phrase, facts: SheetFacts) -> None:
    """Refuse a sheet beyond Excel's limits, or whose cells lie so far apart that reading it would take far more
    memory than its data (calamine allocates every cell from A1 to the last one)."""
    if facts.max_row > MAX_ROWS:
        raise InputError("input.sheet_too_many_rows", where=where, row=facts.max_row, max_rows=MAX_ROWS)
    if facts.max_column > MAX_COLUMNS:
        raise InputError(
            "input.sheet_too_many_columns", where=where, column=facts.max_column, max_columns=MAX_COLUMNS
        )
    area = facts.max_row * facts.max_column
    if area > max(DENSE_FLOOR, DENSE_FACTOR * facts.cells):
        last = f"{column_letters(facts.max_column)}{facts.max_row}"
        raise InputError("input.sheet_sparse", where=where, last=last, cells=facts.cells, area=area)


def sheet_info(package: Package, entry: SheetEntry) -> zipfile.ZipInfo:
    """The zip member holding the XML of sheet ``entry``; a missing one is an :class:`InputError`."""
    where = Phrase("where.sheet", path=package.path, sheet=entry.name)
    if entry.part is None:
        raise InputError("input.sheet_no_part", where=where)
    try:
        return package.zip.getinfo(entry.part)
    except KeyError:
        raise InputError("input.sheet_part_missing", where=where, part=entry.part) from None
