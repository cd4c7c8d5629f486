"""The ``<c>`` elements of a column of body cells, encoded as XlsxWriter encodes them (:mod:`kactier.report.bulk`).

Numbers are written with 16 significant digits, dates as serials with their format, NaN/±inf as the ``#NUM!`` and
``#DIV/0!`` errors of XlsxWriter's ``nan_inf_to_errors``. Plain text is written inline; text that needs escaping
goes to the shared-string table, which XlsxWriter escapes, as does a column of repeated text
(:func:`shared_texts`): each distinct value is stored once and each cell names its index.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from ..excel import EPOCH_1900_ORDINAL

_MAX_STRING = 32767  # Excel's cell text limit (UTF-16 units)
# A text column goes to the shared strings when it holds at most one distinct value per this many cells (XlsxWriter
# writes the shared-string table string by string, at about 12 µs each, so mostly distinct texts cost more there
# than they save in the sheet)
_SHARED_AT_MOST = 8
SHARED_SAMPLE = 1024  # the first cells of a column, looked at before the whole column is
MAX_SHARED_LENGTH = (
    _MAX_STRING // 2
)  # a longer text may need cutting to Excel's limit: never a shared column's
_SERIAL_EXACT_FROM = dt.date(1900, 3, 1)  # before this, Excel's 1900 leap-year bug shifts serials by one
# Text that needs more than a plain <t>: XML-special or control characters, a literal _xHHHH_ (Excel's escape), or
# leading/trailing whitespace (kept with xml:space="preserve"); such text goes to the shared strings.
_SPECIAL_TEXT = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
# The same over values joined by "\n": any special character, or whitespace next to a separator or an end (an empty
# value between two separators matches too, which only sends the column to the per-cell path).
_PLAIN_TEXTS = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$", re.MULTILINE)
_CONTROL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


class CellSheet(Protocol):
    """What rendering a cell needs of its sheet."""

    def date_serial(self, value: Any) -> float: ...

    def shared_index(self, text: str, uses: int = 1) -> int | None: ...


def column_cells(
    letter: str,
    numbers: Sequence[str],
    values: Sequence[Any],
    styles: Iterator[str] | Sequence[str],
    by_type: dict[type, str],
    sheet: CellSheet,
) -> list[str]:
    """The ``<c>`` element of each value, or ``""`` for an empty cell."""
    whole = _whole_column(letter, numbers, values, styles)
    if whole is not None:
        return whole
    return _each_cell(letter, numbers, values, styles, by_type, sheet)


def _whole_column(
    letter: str, numbers: Sequence[str], values: Sequence[Any], styles: Iterator[str] | Sequence[str]
) -> list[str] | None:
    """The cells of a column of one plain kind, or None when a cell needs a test of its own."""
    kinds = set(map(type, values))
    # Columns of one plain kind (the usual case) are checked as a whole, then rendered without a test per cell;
    # a text column with blanks (None: an empty cell) is one too.
    if kinds == {str} or kinds == {str, type(None)}:
        texts = [v for v in values if v] if type(None) in kinds else values
        joined = "\n".join(texts)  # a separator that is neither special nor whitespace at a value's edge
        if _PLAIN_TEXTS.search(joined) is None and max(map(len, texts), default=0) <= _MAX_STRING // 2:
            return [
                f'<c r="{letter}{number}"{s} t="inlineStr"><is><t>{value}</t></is></c>' if value else ""
                for number, value, s in zip(numbers, values, styles, strict=False)
            ]
    elif kinds and kinds <= {float, int, type(None)}:
        if type(None) in kinds:  # numbers with empty cells (a paid date not yet known)
            present = [v for v in values if v is not None]
            if not present or not _all_finite(present):
                return None
            return [
                f'<c r="{letter}{number}"{s}><v>{value:.16G}</v></c>' if value is not None else ""
                for number, value, s in zip(numbers, values, styles, strict=False)
            ]
        if not _all_finite(values):
            return None
        distinct = set(values)
        if len(distinct) * 2 > len(values):
            return [
                f'<c r="{letter}{number}"{s}><v>{value:.16G}</v></c>'
                for number, value, s in zip(numbers, values, styles, strict=False)
            ]
        # Repeated values (scores, counts, dates): each is formatted once. Zero is left out, as 0.0 and -0.0 are
        # one key but two texts.
        shown = {value: f"{value:.16G}" for value in distinct if value != 0}
        return [
            f'<c r="{letter}{number}"{s}><v>{shown.get(value) or f"{value:.16G}"}</v></c>'
            for number, value, s in zip(numbers, values, styles, strict=False)
        ]
    return None


def _each_cell(
    letter: str,
    numbers: Sequence[str],
    values: Sequence[Any],
    styles: Iterator[str] | Sequence[str],
    by_type: dict[type, str],
    sheet: CellSheet,
) -> list[str]:
    """The cells of a column of mixed kinds (or odd values), each rendered by its type."""
    out: list[str] = []
    append = out.append
    search = _SPECIAL_TEXT.search
    for number, value, s in zip(numbers, values, styles, strict=False):  # styles may repeat forever
        kind = type(value)
        if kind is str:
            if not value:
                append("")
            elif search(value) is None and len(value) <= _MAX_STRING // 2:
                append(f'<c r="{letter}{number}"{s} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                append(_text_cell(f"{letter}{number}", s, value, sheet))
        elif kind is float or kind is int:
            if value - value == 0:  # finite
                append(f'<c r="{letter}{number}"{s}><v>{value:.16G}</v></c>')
            else:
                append(_error_cell(f"{letter}{number}", s, value))
        elif value is None:
            append("")
        elif kind is dt.date and value >= _SERIAL_EXACT_FROM:
            s = by_type.get(kind, s)
            append(f'<c r="{letter}{number}"{s}><v>{value.toordinal() - EPOCH_1900_ORDINAL}</v></c>')
        else:
            append(_other_cell(f"{letter}{number}", by_type.get(kind, s), value, sheet))
    return out


def _all_finite(values: Sequence[float]) -> bool:
    """True when no value is NaN or ±inf (either makes the sum so; so can an overflow, which only costs speed)."""
    try:
        return math.isfinite(sum(values))
    except OverflowError:
        return False


def _text_cell(ref: str, s: str, value: str, sheet: CellSheet) -> str:
    return f'<c r="{ref}"' + text_tail(s, value, sheet)


def needs_tail(value: str) -> bool:
    """True when a text cell is more than a plain inline ``<t>``: it needs escaping or truncating
    (:func:`text_tail`)."""
    return _SPECIAL_TEXT.search(value) is not None or len(value) > _MAX_STRING // 2


def text_tail(s: str, value: str, sheet: CellSheet) -> str:
    """A text cell that needs escaping or truncating, after its ``r`` attribute: cut to Excel's limit as
    XlsxWriter does, then a shared string (added for this one cell)."""
    if len(value) > _MAX_STRING // 2 and len(value.encode("utf-16-le")) // 2 > _MAX_STRING:
        value = value.encode("utf-16-le")[: 2 * _MAX_STRING].decode("utf-16-le", errors="ignore")
    if _SPECIAL_TEXT.search(value) is None:
        return f'{s} t="inlineStr"><is><t>{value}</t></is></c>'
    index = sheet.shared_index(value)
    if index is not None:
        return f'{s} t="s"><v>{index}</v></c>'
    # Inline, escaped as XlsxWriter's constant-memory mode does.
    preserve = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    value = _CONTROL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'{s} t="inlineStr"><is><t{preserve}>{value}</t></is></c>'


def _error_cell(ref: str, s: str, value: float) -> str:
    """NaN and ±inf as the errors XlsxWriter's ``nan_inf_to_errors`` option writes."""
    formula, result = ("#NUM!", "#NUM!") if math.isnan(value) else ("1/0" if value > 0 else "-1/0", "#DIV/0!")
    return f'<c r="{ref}"{s} t="e"><f>{formula}</f><v>{result}</v></c>'


def _other_cell(ref: str, s: str, value: Any, sheet: CellSheet) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return f'<c r="{ref}"{s}><v>{sheet.date_serial(value):.16G}</v></c>'
    if isinstance(value, numbers.Real):  # numpy scalars
        return column_cells(ref, [""], [float(value)], [s], {}, sheet)[0]
    return column_cells(ref, [""], [str(value)], [s], {}, sheet)[0]


def shared_texts(values: Sequence[Any], sheet: CellSheet) -> dict[str, str] | None:
    """The shared-string index (as text) of each distinct value of a column of repeated text, added to the table
    now in order of first appearance; None for any other column.

    A column is one of repeated text when every value is text (or empty) and it holds at most one distinct value
    per :data:`_SHARED_AT_MOST` cells: a tier, a region, an action. Each cell then names an index (``<c t="s"><v>12</v></c>``) instead
    of holding its text: a quarter of the bytes of a long Chinese action, to render and to compress."""
    sample = values[:SHARED_SAMPLE]
    if not any(type(value) is str for value in sample):  # a column of numbers or dates: said at once
        return None
    if not repeats_enough(len(set(sample)), len(sample)):  # ids, names: they hardly repeat
        return None
    values = values[: len(values)]  # a view is read once
    kinds = set(map(type, values))
    if not (kinds == {str} or kinds == {str, type(None)}):
        return None
    uses = Counter(values)  # in order of first appearance
    uses.pop(None, None)
    uses.pop("", None)
    if not uses or not repeats_enough(len(uses), uses.total()) or max(map(len, uses)) > MAX_SHARED_LENGTH:
        return None
    shown: dict[str, str] = {}
    for text, count in uses.items():
        index = sheet.shared_index(text, count)
        if index is None:  # the workbook has no shared-string table
            return None
        shown[text] = str(index)
    return shown


def repeats_enough(distinct: int, cells: int) -> bool:
    """True when ``cells`` cells of text hold few enough ``distinct`` values to go to the shared strings."""
    return distinct * _SHARED_AT_MOST <= cells


def shared_cells(
    letter: str,
    numbers: Sequence[str],
    values: Sequence[Any],
    styles: Iterator[str] | Sequence[str],
    shown: dict[str, str],
) -> list[str]:
    """The cells of a column of repeated text (:func:`shared_texts`), ``""`` for an empty one."""
    return [
        f'<c r="{letter}{number}"{s} t="s"><v>{shown[value]}</v></c>' if value else ""
        for number, value, s in zip(numbers, values, styles, strict=False)
    ]
