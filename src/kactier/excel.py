"""Excel's limits, date systems and column letters, defined once for every module that needs them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

MAX_ROWS = 1_048_576  # rows in one sheet, the header included
MAX_DATA_ROWS = MAX_ROWS - 1  # rows below a one-row header
MAX_COLUMNS = 16_384  # columns in one sheet (A to XFD)
MAX_CELL_TEXT = 32_767  # characters (UTF-16 code units) in one cell

EPOCH_1900 = dt.date(1899, 12, 30)  # serial 0 of the 1900 date system (exact for dates after 1900-03-01)
EPOCH_1904 = dt.date(1904, 1, 1)  # serial 0 of the 1904 date system (Excel for Mac before 2011)
EPOCH_1900_ORDINAL = EPOCH_1900.toordinal()
LAST_SERIAL = 2_958_465  # 9999-12-31, the last day Excel can show


def column_letters(column: int) -> str:
    """Excel column letters of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while column:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """1-based column number of Excel column letters (A -> 1, XFD -> 16384)."""
    number = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def cell_name(row: int, column: int) -> str:
    """An A1 reference of a 0-based row and column (0, 0 -> A1)."""
    return f"{column_letters(column + 1)}{row + 1}"


def date_serial(day: dt.date) -> int:
    """The 1900-system serial number of ``day``, as Excel stores a date cell."""
    return day.toordinal() - EPOCH_1900_ORDINAL


def serials_1900(stamps: Any) -> Any:
    """Excel serials (1900 date system, float64) of a numpy datetime64 array, each as XlsxWriter computes it for a
    ``datetime``: whole days since 1899-12-31 plus the fraction of the day, one more after the 1900 leap-year bug's
    29 February."""
    micros = (stamps.astype("datetime64[us]") - np.datetime64("1899-12-31", "us")).astype(np.int64)
    days, rest = np.divmod(micros, 86_400_000_000)
    seconds, part = np.divmod(rest, 1_000_000)
    serial = days + (seconds.astype(np.float64) + part.astype(np.float64) / 1e6) / (60 * 60 * 24)
    return np.where(serial > 59, serial + 1, serial)
