"""Reading values as people type them into spreadsheets.

Each parser returns the value it understood and, when it had to interpret the text (currency signs, thousands
separators, 万/亿, percent, accounting negatives, full-width digits, a date written as text), a short description of
that assumption so the caller can report it. Plain numbers and real date cells pass through unreported.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from .excel import EPOCH_1900, EPOCH_1904, LAST_SERIAL

_SCALE = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "k": 1e3, "K": 1e3}
# Thousands separators (comma or space) only between groups of three digits: "12,34" is not 1234.
_NUMBER = re.compile(
    r"""^(?P<sign>[-−+])?\s*(?P<cur>[¥￥$€£]|RMB|CNY|USD)?\s*(?P<sign2>[-−+])?\s*
        (?P<num>(?:\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*
        (?P<scale>[万萬亿億kK])?\s*(?P<unit>%|元|圆|円)?$""",
    re.VERBOSE,
)
# What float() reads as it is (full-width digits included, as float() reads them) is not an assumption.
# ASCII digits only: full-width digits (１２３４) are read too, but as an assumption that is reported
_PLAIN = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_number(text: str) -> tuple[float | None, str]:
    """Understand a number typed as text; return (value, assumption) or (None, "") when it is not a number.

    Accepted: ``1234.5``, ``¥1,234.50``, ``1 234``, ``12.5万`` (×10⁴), ``3亿`` (×10⁸), ``35%`` (0.35),
    ``(1,234.00)`` (negative, accounting style), ``+1,234``, full-width digits and punctuation (NFKC). Plain
    numbers (``1234.5``, ``-3``, ``1e6``) are read without an assumption; words such as ``NA``,
    ``None``, ``nan`` or ``-`` are not numbers.
    """
    raw = text.strip()
    if not raw:
        return None, ""
    if _PLAIN.fullmatch(raw):
        value = float(raw)
        return (value, "") if math.isfinite(value) else (None, "")
    folded = unicodedata.normalize("NFKC", raw).strip()
    negative = False
    if folded.startswith("(") and folded.endswith(")"):
        negative, folded = True, folded[1:-1].strip()
    match = _NUMBER.match(folded)
    if match is None or (match["sign"] and match["sign2"]):
        return None, ""
    digits = _SPACES.sub("", match["num"]).replace(",", "")
    value = float(digits)
    if match["scale"]:
        value *= _SCALE[match["scale"]]
    if match["unit"] == "%":
        value /= 100
    if negative or (match["sign"] or match["sign2"] or "+") in "-−":
        value = -value
    return value, _format_number(value)


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """Understand a date typed as text: ISO ``2024-01-31``, ``2024/1/31``, ``2024.1.31``, ``2024年1月31日``,
    ``20240131``. Day-first and month-first forms (``31/1/2024``) are ambiguous and not guessed."""
    folded = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(folded)
        if match:
            try:
                value = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None, ""
            return value, value.isoformat()
    return None, ""


def excel_serial_to_date(serial: float, date1904: bool = False) -> dt.date | None:
    """An Excel date serial in the workbook's date system as a date (None when out of Excel's range)."""
    if not math.isfinite(serial) or serial < 1 or serial >= LAST_SERIAL + 1:
        return None
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    return epoch + dt.timedelta(days=int(serial))


def id_text(value: Any) -> str | None:
    """An identifier as text exactly as given; a whole number stored as a number loses its ``.0``."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value if value.strip() else None
    return str(value)
