"""Finding a workbook's Config sheet (named 配置 / Config, with the kactier marker) and reading its config.

:func:`find_config_sheet` only finds the sheet and takes its cells, so a run can read every sheet it needs from a
workbook opened once and interpret the Config sheet later with :func:`~.sheet_parser.config_from_rows`;
:func:`read_config_sheet` does both for a workbook given by its path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from ..errors import ConfigError
from ..i18n import simplified
from ..read.opening import OpenedInput, check_input, open_workbook
from .models import Config
from .sheet_layout import is_config_sheet_name, marker_row
from .sheet_parser import config_from_rows

_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx/.xlsm/.ods: the formats a Config sheet is read from
_MAX_ROWS = 2000  # a Config sheet is small; rows beyond this are not looked at
_MAX_COLUMNS = 60


@dataclass(frozen=True, slots=True)
class SheetConfig:
    """A config read from a workbook's Config sheet."""

    config: Config
    sheet: str


def may_hold_config_sheet(head: bytes, password: str | None) -> bool:
    """False when an input whose first bytes are ``head`` cannot carry a Config sheet: without a password, only a
    zip-based workbook (.xlsx, .xlsm, .ods) is looked at; with one, an encrypted workbook is opened too."""
    return password is not None or head.startswith(_ZIP_MAGIC)


def find_config_sheet(opened: OpenedInput) -> tuple[str, list[list[Any]]] | None:
    """The name and cells (rows of values, A1 first, at most 2,000 rows of 60 columns) of the first sheet named
    配置 / Config that carries the marker in its first rows; None when there is none. The cells are not
    interpreted. Every worksheet is checked first, as :func:`~kactier.read.opening.open_workbook` does; a Config
    sheet that cannot be read raises :class:`ConfigError`."""
    opened.check_all_sheets()
    return _first_config_sheet(
        opened.path, opened.sheet_names(), lambda name: opened.sheet_cells(name, _MAX_ROWS)
    )


def read_config_sheet(path: Path, password: str | None = None) -> SheetConfig | None:
    """The config of the workbook's Config sheet, or None when it has none (or is not a zip-based workbook).

    With ``password``, an encrypted workbook (not a zip until decrypted) is opened and its Config sheet read too.

    A sheet counts when it is named 配置 / Config and carries the marker in its first rows; its problems raise
    :class:`ConfigError` naming the cell.
    """
    if not may_hold_config_sheet(check_input(path), password):
        return None
    book = open_workbook(path, password=password)
    try:
        found = _first_config_sheet(path, book.sheet_names, lambda name: _calamine_cells(book, name))
    finally:
        book.close()
    if found is None:
        return None
    name, rows = found
    return SheetConfig(config_from_rows(rows, path=path, sheet=name), name)


def _calamine_cells(book: calamine.CalamineWorkbook, name: str) -> list[list[Any]]:
    cells: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=_MAX_ROWS)
    return cells


def _first_config_sheet(
    path: Path, names: list[str], cells: Callable[[str], list[list[Any]]]
) -> tuple[str, list[list[Any]]] | None:
    """The first of ``names`` that is a Config sheet by its name and marker, with its cells (``cells(name)``)."""
    for name in names:
        if not is_config_sheet_name(name):
            continue
        try:
            rows = cells(name)
        except (calamine.CalamineError, ValueError) as exc:
            raise ConfigError("config_sheet.unreadable", path=path, sheet=name, reason=exc) from None
        # a sheet kactier wrote in Traditional Chinese reads as its Simplified twin (OpenCC loads only for such text)
        rows = [[simplified(c) if isinstance(c, str) else c for c in row[:_MAX_COLUMNS]] for row in rows]
        if marker_row(rows) is not None:
            return name, rows
    return None
