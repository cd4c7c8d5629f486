"""The data sheet (客户信息 / Customers): an Excel table with a note on each header, data validation on every
column (whole numbers 0–100 for scores, non-negative numbers for money, dates, dropdowns for region, industry,
lifecycle stage and tier override), a frozen header, widths and number formats, and the sample customers if
any.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..excel import column_letters
from ..fields import FIELD_BY_KEY, REQUIRED, Kind
from ..i18n import Lang, text
from .columns import TemplateColumn, column_note
from .context import TemplateContext
from .lists import LIST_NAMES

_FREE_LISTS = ("region", "industry")  # a new region may be typed; it is worth a warning only


def write_customers_sheet(
    context: TemplateContext, sheet: Worksheet, rows: int, samples: list[dict[str, Any]]
) -> None:
    """Write the data sheet: ``rows`` rows below the header, the first of them filled from ``samples``."""
    columns, formats = context.columns, context.formats
    sheet.add_table(
        0,
        0,
        rows,
        len(columns) - 1,
        {
            "name": "CustomerForm",
            "style": "Table Style Medium 2",
            "columns": [
                {
                    "header": c.header,
                    "header_format": formats.required_header if c.key in REQUIRED else formats.header,
                }
                for c in columns
            ],
        },
    )
    for index, column in enumerate(columns):
        sheet.write_comment(
            0,
            index,
            column_note(column, context.config, context.lang),
            {"author": "kactier", "x_scale": 2.4, "y_scale": 1.6},
        )
        sheet.data_validation(1, index, rows, index, _validation(column, index, context.lang))
    for row, sample in enumerate(samples, start=1):
        for index, column in enumerate(columns):
            _write_value(sheet, row, index, sample.get(column.key), formats.columns[column.key])
    for index, column in enumerate(columns):
        values = [column.header, *(s.get(column.key) for s in samples)]
        sheet.set_column(index, index, _width(values), formats.columns[column.key])
    sheet.set_row(0, 33)
    sheet.freeze_panes(1, 2)


def _write_value(sheet: Worksheet, row: int, column: int, value: Any, cell_format: Format | None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value, cell_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), cell_format)
    else:
        sheet.write_number(row, column, value, cell_format)


def _width(values: Sequence[Any]) -> float:
    """A column width that fits the values; CJK characters count double."""
    longest = 0
    for value in values:
        if value is None or value == "":
            continue
        shown = (
            value.isoformat()
            if isinstance(value, dt.date)
            else (f"{value:,.2f}" if isinstance(value, float) else str(value))
        )
        longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in shown))
    return float(min(max(longest + 3, 10), 40))


def _validation(column: TemplateColumn, index: int, lang: Lang) -> dict[str, Any]:
    """The data validation of ``column`` (the ``index``-th), for xlsxwriter's ``data_validation``."""
    title = text("tpl.check.title", lang)
    if column.key in LIST_NAMES:
        free = column.key in _FREE_LISTS
        return {
            "validate": "list",
            "source": f"={LIST_NAMES[column.key]}",
            "error_type": "warning" if free else "stop",
            "error_title": title,
            "error_message": text("tpl.check.not_in_list" if free else "tpl.check.pick", lang),
        }
    return _value_validation(column, index, title, lang)


def _value_validation(column: TemplateColumn, index: int, title: str, lang: Lang) -> dict[str, Any]:
    """What a cell of ``column`` must hold, by the kind of its field, and what Excel says when it does not."""
    kind = column.kind
    if kind is Kind.ID:
        letter = column_letters(index + 1)
        return {
            "validate": "custom",
            "value": f"=COUNTIF(${letter}:${letter},{letter}2)=1",
            "error_title": title,
            "error_message": text("tpl.check.unique_id", lang),
        }
    if kind is Kind.DATE:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_title": title,
            "error_message": text("tpl.check.date", lang),
        }
    if kind is Kind.SCORE:
        spec = FIELD_BY_KEY[column.key]
        low, high = int(spec.low or 0), int(spec.high if spec.high is not None else 100)
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_title": title,
            "error_message": text("tpl.check.score", lang, low=low, high=high),
        }
    if kind in (Kind.MONEY, Kind.COUNT):
        whole = column.key in ("orders", "recency_days")
        return {
            "validate": "integer" if whole else "decimal",
            "criteria": ">=",
            "value": 0,
            "error_title": title,
            "error_message": text("tpl.check.whole_min0" if whole else "tpl.check.number_min0", lang),
        }
    if kind in (Kind.TEXT, Kind.STAGE, Kind.TIER):
        return {
            "validate": "length",
            "criteria": "<=",
            "value": 255,
            "error_title": title,
            "error_message": text("tpl.check.length", lang),
        }
    # signed money, other numbers and criteria that name no field: any number
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": -1e15,
        "maximum": 1e15,
        "error_title": title,
        "error_message": text("tpl.check.number", lang),
    }
