"""Reading one column's cells as a field kind: numbers typed as text, dates as text or serials, ids, stages.

Each value that had to be read a certain way, or could not be read, becomes a :class:`~kactier.problems.RowIssue`
on its Excel row; none stops the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..fields import STAGE_INDEX, STAGES, Kind, normalize_header
from ..problems import Action, IssueCode, RowIssue
from ..values import excel_serial_to_date, id_text, parse_date, parse_number

NUMERIC_KINDS = (Kind.NUMBER, Kind.MONEY, Kind.SIGNED_MONEY, Kind.COUNT, Kind.SCORE)
_MAX_EXACT_INTEGER = 1e15  # Excel keeps 15 significant digits; longer numeric ids may have lost digits
NDArray = np.ndarray[Any, Any]


@dataclass(slots=True)
class ColumnReader:
    """Reads one column's cells as a field kind, collecting issues.

    ``column`` is the header the issues name, ``excel_rows`` the Excel row of each cell it will be given, and
    ``issues`` the list it appends its problems to (shared with the caller, in reading order).
    """

    column: str
    excel_rows: list[int]
    issues: list[RowIssue]
    date1904: bool = False  # serial numbers count from 1904-01-01 (the workbook's date system)
    percent_points: bool = False  # a 0-100 score: a percent is read as points

    def report(self, i: int, value: Any, code: IssueCode, action: Action, detail: str = "") -> None:
        """Record a problem with the ``i``-th cell of the column."""
        self.issues.append(RowIssue(self.excel_rows[i], self.column, value, code, action, detail))

    def read(self, cells: list[Any], kind: Kind) -> Any:
        """The cells read as ``kind``: an array of numbers, or a list of dates, ids, stages or texts."""
        if kind is Kind.ID:
            return self.ids(cells)
        if kind in NUMERIC_KINDS:
            return self.numbers(cells, score=kind is Kind.SCORE)
        if kind is Kind.DATE:
            return self.dates(cells)
        if kind is Kind.STAGE:
            return self.stages(cells)
        return self.texts(cells)

    def numbers(self, cells: list[Any], *, score: bool = False) -> NDArray:
        """Numbers as floats (NaN for a blank or unreadable cell); numbers typed as text are read and reported.

        With ``score``, a score's unit is understood too (``85分``, ``85 points``; see :func:`parse_number`)."""
        if set(map(type, cells)) <= {float, int}:  # real numbers only (not bool): nothing to read or report
            return np.asarray(cells, dtype=np.float64) if cells else np.full(0, np.nan)
        out = np.full(len(cells), np.nan)
        for i, cell in enumerate(cells):
            kind = type(cell)
            if kind is float or kind is int:
                out[i] = cell
            elif cell == "":
                continue
            elif kind is str:
                value, assumption = parse_number(cell, score=score)
                if value is None:
                    self.report(i, cell, IssueCode.NOT_A_NUMBER, Action.VALUE_MISSING)
                else:
                    if self.percent_points and cell.rstrip().endswith(("%", "％")):
                        value *= 100  # "85%" in a 0-100 score is 85 points
                        assumption = f"{value:g}"
                    out[i] = value
                    if assumption:
                        self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, assumption)
            else:
                self.report(i, cell, IssueCode.NOT_A_NUMBER, Action.VALUE_MISSING)
        return out

    def dates(self, cells: list[Any]) -> list[dt.date | None]:
        """Dates (None for a blank or unreadable cell); serial numbers and dates typed as text are reported."""
        if set(map(type, cells)) == {dt.date}:  # real date cells only: nothing to read or report
            return list(cells)
        out: list[dt.date | None] = [None] * len(cells)
        for i, cell in enumerate(cells):
            if cell == "":
                continue
            if isinstance(cell, dt.datetime):
                out[i] = cell.date()
            elif isinstance(cell, dt.date):
                out[i] = cell
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                out[i] = excel_serial_to_date(float(cell), self.date1904)
                if out[i] is None:
                    self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
                else:
                    self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, str(out[i]))
            elif isinstance(cell, str):
                out[i], assumption = parse_date(cell)
                if out[i] is None:
                    self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
                else:
                    self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, assumption)
            else:
                self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
        return out

    def ids(self, cells: list[Any]) -> list[str | None]:
        """Ids as text (:func:`id_text`); a number too long to be exact in Excel is reported, and kept."""
        out = [id_text(c) for c in cells]
        if float in set(map(type, cells)):  # only a number can have lost digits
            for i, cell in enumerate(cells):
                if isinstance(cell, float) and abs(cell) >= _MAX_EXACT_INTEGER:
                    self.report(i, cell, IssueCode.LONG_NUMERIC_ID, Action.VALUE_KEPT)
        return out

    def texts(self, cells: list[Any]) -> list[str | None]:
        """Texts (None for a blank cell); a cell that is not text is written as :func:`id_text` writes it."""
        return [None if c == "" else (c if isinstance(c, str) else id_text(c)) for c in cells]

    def stages(self, cells: list[Any]) -> list[str | None]:
        """Canonical lifecycle stage keys; an unknown spelling is reported and read as None."""
        out: list[str | None] = []
        expected = " / ".join(STAGES)  # the stage keys: the message names them in its language
        for i, cell in enumerate(cells):
            if cell == "":
                out.append(None)
                continue
            stage = STAGE_INDEX.get(normalize_header(cell))
            if stage is None:
                self.report(i, cell, IssueCode.UNKNOWN_STAGE, Action.VALUE_KEPT, expected)
            out.append(stage)
        return out
