"""What reading a customer sheet gives: the cells as read (:class:`RawSheet`), and the cells calamine reads as
blanks although they are not (:class:`FlaggedCell`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..problems import IssueCode, RowIssue


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
    header_groups: dict[int, str] = field(
        default_factory=dict
    )  # index into headers -> the group cell above it

    @property
    def first_row(self) -> int:
        """The Excel row number of ``rows[0]``."""
        return self.header_row + 1


def row_text(row: list[Any]) -> str:
    """A row's non-empty cells joined, for reporting a skipped row in the Issues sheet."""
    return " | ".join(str(cell) for cell in row if cell != "")
