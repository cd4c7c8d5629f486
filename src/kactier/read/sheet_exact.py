"""The exact (slow) path over one sheet: its XML walked with defusedxml, every cell placed as calamine does.

The fast pass (:mod:`kactier.read.sheet_scan`) works on bytes and needs every cell and row to carry its position;
a sheet whose cells or rows lack one, or whose markup is unusual (namespace prefixes), is walked here instead:
rows and cells without a position follow the one before, as calamine places them. The walk also collects what
:func:`~kactier.read.sheet_details.sheet_details` would (error cells, formulas without a value, percent cells,
hidden rows and columns), and gives up after :data:`~kactier.read.limits.SLOW_PATH_SECONDS`.
"""

from __future__ import annotations

import re
import time
import zipfile
from typing import IO, Any

from defusedxml import ElementTree as SafeET

from ..errors import InputError, Phrase
from ..excel import MAX_COLUMNS, MAX_ROWS, column_index
from .limits import SLOW_PATH_SECONDS
from .package import Package, SheetEntry
from .sheet_facts import SheetFacts, check_area
from .sheet_xml import attribute_int
from .sniff import why
from .zip_parts import READ_ERRORS


def exact_scan(package: Package, entry: SheetEntry, info: zipfile.ZipInfo, facts: SheetFacts) -> None:
    """Walk the sheet with defusedxml and place every cell as calamine does (rows and cells without a position
    follow the one before); for sheets the fast pass cannot vouch for."""
    where = Phrase("where.sheet", path=package.path, sheet=entry.name)
    walk = _Walk(where, facts, package.percent_styles)
    try:
        with package.zip.open(info) as handle:
            _walk_sheet(handle, walk)
    except InputError:
        raise
    except READ_ERRORS as exc:
        raise InputError("input.sheet_sizes_lie", where=where, reason=why(exc)) from None
    except Exception as exc:  # expat and defusedxml: the XML is not well formed, or declares entities
        raise InputError("input.sheet_bad_xml", where=where, reason=why(exc)) from None
    facts.max_row, facts.max_column, facts.cells = walk.max_row, walk.max_col, walk.cells
    facts.hidden_columns = [c for c in facts.hidden_columns if c <= max(walk.max_col, 1)]
    check_area(where, facts)


def _walk_sheet(stream: IO[bytes], walk: _Walk) -> None:
    """Feed every element of the sheet to ``walk``, until the end, a cell beyond Excel's limits, or the deadline."""
    deadline = time.monotonic() + SLOW_PATH_SECONDS
    for count, (event, element) in enumerate(
        SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True)
    ):
        if count & 0xFFFF == 0 and time.monotonic() > deadline:
            raise InputError("input.sheet_too_slow", where=walk.where)
        tag = _local(element.tag)
        if event == "start":
            walk.start(tag, element)
        elif walk.end(tag, element):
            return


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Walk:
    """Where the next row and cell go, what the cell being read holds, and what the walk has found so far."""

    def __init__(self, where: Phrase, facts: SheetFacts, percent_styles: frozenset[int]) -> None:
        self.where = where
        self.facts = facts
        self.percent_styles = percent_styles
        self.row_index = self.col_index = 0
        self.max_row = self.max_col = self.cells = 0
        self.pending: tuple[int, int] | None = None  # the position of the cell being read
        self.has_value = self.is_error = False
        self.formula = ""
        self.style = -1

    def start(self, tag: str, element: Any) -> None:
        """An element opens: a row or a cell takes its position."""
        if tag == "row":
            r = element.get("r")
            if r is not None:
                self.row_index = _position(self.where, r) - 1
            if element.get("hidden", "0").lower() in ("1", "true"):
                self.facts.hidden_rows.append(self.row_index + 1)
        elif tag == "c":
            self._start_cell(element)

    def _start_cell(self, element: Any) -> None:
        r = element.get("r")
        if r is not None:
            pending = _cell_position(self.where, r)
            self.col_index = pending[1]
        else:
            pending = (self.row_index, self.col_index)
        self.pending = pending
        self.formula = ""
        self.style = attribute_int(element.get("s"))
        self.has_value = False
        self.is_error = element.get("t") == "e"
        self.col_index += 1

    def end(self, tag: str, element: Any) -> bool:
        """An element closes; True when the sheet has gone beyond Excel's limits (the walk can stop)."""
        pending = self.pending
        if tag == "row":
            self.row_index += 1
            self.col_index = 0
        elif tag in ("v", "is") and pending is not None:
            text = "".join(element.itertext())
            if text.strip() or tag == "is":
                self.has_value = True
                if self.is_error:
                    self.facts.error_cells[pending] = text.strip() or "#N/A"
        elif tag == "f" and pending is not None:
            self.formula = "=" + (element.text or "") if element.text else "=…"
        elif tag == "c" and pending is not None:
            self._end_cell(pending)
            element.clear()
        elif tag == "col" and element.get("hidden", "0").lower() in ("1", "true"):
            low, high = attribute_int(element.get("min")), attribute_int(element.get("max"))
            if 0 < low <= high <= MAX_COLUMNS:
                self.facts.hidden_columns.extend(range(low, high + 1))
        return self.max_row > MAX_ROWS or self.max_col > MAX_COLUMNS

    def _end_cell(self, pending: tuple[int, int]) -> None:
        self.cells += 1
        if self.has_value:  # calamine neither places nor counts a cell without a value (a style alone)
            self.max_row, self.max_col = max(self.max_row, pending[0] + 1), max(self.max_col, pending[1] + 1)
        if self.formula and not self.has_value:
            self.facts.uncalculated[pending] = self.formula
        if self.has_value and self.style in self.percent_styles:
            self.facts.percent_cells.add(pending)
        self.pending = None


def _position(where: Phrase, text: str) -> int:
    if not text.isdigit() or len(text) > 7:
        raise InputError("input.sheet_bad_row", where=where, number=text[:12])
    return int(text)


def _cell_position(where: Phrase, ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Za-z]{1,3})([0-9]{1,7})", ref)
    if match is None:
        raise InputError("input.sheet_bad_cell", where=where, ref=ref[:16])
    return int(match.group(2)) - 1, column_index(match.group(1)) - 1
