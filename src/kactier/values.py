"""Reading values as people type them into spreadsheets.

Each parser returns the value it understood and, when it had to interpret the text (currency signs, thousands
separators, 万/亿, percent, accounting negatives, full-width digits, a score's unit, Chinese numerals, a date written
as text), a short description of that assumption so the caller can report it. Plain numbers and real date cells pass
through unreported. Chinese numerals go to cn2an (its strict reading first), and only a cell that is wholly a
numeral, possibly with a currency or a unit, is read as one: names and words are never numbers.
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
    r"""^(?P<sign>[-−+])?\s*(?P<cur>[¥￥$€£]|(?i:RMB|CNY|USD|NT\$|HK\$|US\$)|人民币|人民幣)?\s*(?P<sign2>[-−+])?\s*
        (?P<num>(?:\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*
        (?P<scale>[万萬亿億kK])?\s*(?P<unit>%|元|圆|円)?$""",
    re.VERBOSE,
)
# What float() reads as it is (full-width digits included, as float() reads them) is not an assumption.
# ASCII digits only: full-width digits (１２３４) are read too, but as an assumption that is reported
_PLAIN = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_number(text: str, *, score: bool = False) -> tuple[float | None, str]:
    """Understand a number typed as text; return (value, assumption) or (None, "") when it is not a number.

    Accepted: ``1234.5``, ``¥1,234.50``, ``1 234``, ``12.5万`` (×10⁴), ``12.5万元``, ``3亿`` (×10⁸), ``35%`` (0.35),
    ``(1,234.00)`` (negative, accounting style), ``+1,234``, ``RMB 1,234``, ``NT$1,234``, ``人民币1,234元``,
    full-width digits and punctuation (NFKC), and Chinese numerals that are wholly a number (``八十五``,
    ``一百二十万``, ``十二点五万``, ``壹佰贰拾元``; :func:`chinese_number`). With ``score``, a score's unit too: ``85分``, ``85 分``, ``85 points``, ``85pts``, ``八十五分``.
    Plain numbers (``1234.5``, ``-3``, ``1e6``) are read without an assumption; words such as ``NA``, ``None``,
    ``nan``, ``-`` or a name are not numbers.
    """
    raw = text.strip()
    if not raw:
        return None, ""
    if _PLAIN.fullmatch(raw):
        plain = float(raw)
        return (plain, "") if math.isfinite(plain) else (None, "")
    folded = unicodedata.normalize("NFKC", raw).strip()
    if score:
        unit = _SCORE_UNIT.match(folded)
        folded = unit["num"] if unit else folded
    value = _typed_number(folded)
    if value is None:
        value = chinese_number(folded)
    if value is None or not math.isfinite(value):
        return None, ""
    return value, _format_number(value)


def _typed_number(folded: str) -> float | None:
    """A number in digits with the currency, separators, scale and unit people type (see :func:`parse_number`)."""
    negative = False
    if folded.startswith("(") and folded.endswith(")"):
        negative, folded = True, folded[1:-1].strip()
    match = _NUMBER.match(folded)
    if match is None or (match["sign"] and match["sign2"]):
        return None
    digits = _SPACES.sub("", match["num"]).replace(",", "")
    value = float(digits)
    if match["scale"]:
        value *= _SCALE[match["scale"]]
    if match["unit"] == "%":
        value /= 100
    if negative or (match["sign"] or match["sign2"] or "+") in "-−":
        value = -value
    return value


def chinese_number(text: str) -> float | None:
    """A Chinese numeral that is the whole of ``text`` (after a currency and 元), read by cn2an; else None.

    ``八十五`` is 85, ``一百二十万`` 1200000, ``十二点五万`` 125000, ``两百`` 200, ``三千五`` 3500, ``壹佰贰拾元`` 120.
    Digits side by side (``三四``, ``八五``: "three or four", or digits read out) are not guessed, nor ``十点``
    (ten o'clock), nor a text with any other character (a name, ``十几``, ``万一``).
    """
    match = _CHINESE.match(text.strip())
    if match is None:
        return None
    numeral = match["num"].translate(_CHINESE_FOLD)
    if not _CHINESE_DIGIT.search(numeral) or _CHINESE_PAIR.search(numeral) or numeral.endswith("点"):
        return None  # 十点 is ten o'clock as much as ten
    value = _cn2an(numeral)
    if value is None and numeral[-1] in _SCALE and len(numeral) > 1:  # 十二点五万: cn2an reads 十二点五
        base = _cn2an(numeral[:-1])
        value = None if base is None else base * _SCALE[numeral[-1]]
    return value


def _cn2an(numeral: str) -> float | None:
    import cn2an  # imported on first use: it takes a third of a second to load

    for mode in ("strict", "normal"):  # normal also reads 两百 and 三千五
        try:
            return float(cn2an.cn2an(numeral, mode))
        except ValueError:
            continue
    return None


_SCORE_UNIT = re.compile(r"^(?P<num>.+?)\s*(?:分|(?i:points?|pts?))$")
_CHINESE_DIGITS = "零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_CHINESE = re.compile(
    r"^(?:人民币|人民幣|(?i:RMB|CNY)|[¥￥])?\s*"
    rf"(?P<num>[负負]?[{_CHINESE_DIGITS}十拾廿百佰千仟万萬亿億点點]+)\s*(?:元|圆|圓)?$"
)
_CHINESE_DIGIT = re.compile(rf"[{_CHINESE_DIGITS}十拾廿]")
_CHINESE_PAIR = re.compile(rf"[{_CHINESE_DIGITS[2:]}][{_CHINESE_DIGITS}]")  # 零五 in 一百零五 is no pair
_CHINESE_FOLD = str.maketrans({"點": "点", "負": "负", "兩": "两", "參": "叁"})


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """Understand a date typed as text: ISO ``2024-01-31``, ``2024-3-5``, ``2024/1/31``, ``2024.1.31``,
    ``2024年1月31日`` (or 号), ``20240131``. Day-first and month-first forms (``31/1/2024``) are ambiguous and not guessed."""
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
