"""A Config sheet's cells: named as ``配置!C7`` in errors, and read as text, numbers, shares and choices."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Phrase
from ..excel import cell_name
from ..fields import normalize_header
from ..values import id_text, parse_number
from .sheet_hints import hint
from .sheet_layout import LIST_SPLIT, OPTIONS


class Where:
    """Names cells of one sheet, and raises the error for a cell."""

    def __init__(self, path: Path, sheet: str) -> None:
        self.path = path
        self.sheet = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"

    def ref(self, row: int, column: int, last_row: int | None = None, last_column: int | None = None) -> str:
        """The reference of a cell (0-based row and column), or of a range up to ``last_row``, ``last_column``."""
        first = cell_name(row, column)
        if last_row is None or (last_row == row and last_column == column):
            return f"{self.sheet}!{first}"
        end = cell_name(last_row, column if last_column is None else last_column)
        return f"{self.sheet}!{first}:{end}"

    def error(self, ref: str, problem: Phrase, hint: Phrase) -> ConfigError:
        """The error for the cell ``ref``: the file, the cell, what is wrong and what to enter."""
        return ConfigError("config_sheet.cell", path=self.path, ref=ref, problem=problem, hint=hint)


def blank(cell: Any) -> bool:
    """True for an empty cell or one of spaces only."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_at(row: list[Any], column: int | None) -> Any:
    """The cell of ``row`` at ``column``; an empty string when there is no such column."""
    if column is None or column >= len(row):
        return ""
    return row[column]


class CellReader:
    """Reads typed values from a Config sheet's cells, naming the cell of every problem.

    ``places`` maps a config location (as pydantic reports it) to the cell reference it was read from, so a problem
    the config model finds later is reported at that cell.
    """

    def __init__(self, rows: list[list[Any]], where: Where) -> None:
        self.rows = rows
        self.where = where
        self.places: dict[tuple[Any, ...], str] = {}  # config location -> cell reference, for model errors

    def fail(self, row: int, column: int, problem: Phrase, hint_key: str) -> ConfigError:
        """The error for one cell, ending with the hint for ``hint_key`` (a place of :data:`.sheet_hints.HINTS`)."""
        return self.where.error(self.where.ref(row, column), problem, hint(hint_key))

    def text_value(self, row: int, column: int | None) -> str | None:
        """A cell as stripped text (a number as its plain digits), or None when blank."""
        cell = cell_at(self.rows[row], column)
        if blank(cell):
            return None
        if isinstance(cell, bool):
            return "yes" if cell else "no"
        return cell.strip() if isinstance(cell, str) else id_text(cell)

    def number(self, row: int, column: int | None, hint_key: str, what: Phrase) -> float | None:
        """A cell as a number (a number written as text too), or None when blank."""
        cell = cell_at(self.rows[row], column)
        if blank(cell):
            return None
        assert column is not None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return float(cell)
        if isinstance(cell, str):
            value, _ = parse_number(cell)
            if value is not None:
                return value
        raise self.fail(row, column, Phrase("config_sheet.not_a_number", what=what, value=cell), hint_key)

    def whole(self, row: int, column: int | None, hint_key: str, what: Phrase) -> int | None:
        """A cell as a whole number, or None when blank."""
        value = self.number(row, column, hint_key, what)
        if value is None:
            return None
        assert column is not None
        if not value.is_integer():
            raise self.fail(row, column, Phrase("config_sheet.not_whole", what=what, value=value), hint_key)
        return int(value)

    def share(self, row: int, column: int | None, hint_key: str, what: Phrase) -> float | None:
        """A share as 0.8, 80% or 80 (a share above 1 can only be meant as a percentage)."""
        value = self.number(row, column, hint_key, what)
        if value is not None and 1 < value <= 100:
            return value / 100
        return value

    def option(self, row: int, column: int | None, group: str, hint_key: str) -> str | None:
        """A choice of the ``group`` options, however it is spelled, as its TOML value; None when blank."""
        cell = self.text_value(row, column)
        if cell is None:
            return None
        assert column is not None
        folded = normalize_header(cell)
        for token, words in OPTIONS[group].items():
            if folded in {normalize_header(w) for w in (token, *words)}:
                return token
        raise self.fail(row, column, Phrase("config_sheet.not_a_choice", value=cell), hint_key)

    def numbers(self, row: int, column: int | None, hint_key: str) -> list[float] | None:
        """A cell as a list of numbers separated by commas, semicolons or spaces; None when blank."""
        cell = cell_at(self.rows[row], column)
        if blank(cell):
            return None
        assert column is not None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return [float(cell)]
        parts = [p for p in LIST_SPLIT.split(str(cell)) if p]
        values = [parse_number(p)[0] for p in parts]
        if not values or any(v is None for v in values):
            raise self.fail(row, column, Phrase("config_sheet.not_numbers", value=cell), hint_key)
        return [float(v) for v in values if v is not None]
