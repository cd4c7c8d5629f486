"""The Orders sheet (订单明细): every row of the order sheet as read, and what became of it.

The Orders sheet keeps every row of the order sheet at its source row number, as read, with a column saying what
became of it (:class:`~kactier.orders.LineStatus`). It is written row by row to a temporary file (XlsxWriter's
constant-memory mode for this sheet only), with an autofilter rather than an Excel table, so a million lines cost
time but little memory. The order sheet holds at most Excel's 1,048,576 rows, so the copy always fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..excel import date_serial
from ..i18n import text
from ..orders.book import OrderBook
from ..orders.lines import LineStatus
from .bulk import add_constant_memory_worksheet
from .widths import WIDTH_SAMPLE, column_width

_STATUS_KEYS = {
    LineStatus.IN_WINDOW: "line_in_window",
    LineStatus.BEFORE_WINDOW: "line_before_window",
    LineStatus.AFTER_AS_OF: "line_after_as_of",
    LineStatus.INVALID: "line_invalid",
    LineStatus.SKIPPED: "line_skipped",
}
_STATUS_COLORS = {
    LineStatus.AFTER_AS_OF: "#FFEB9C",
    LineStatus.INVALID: "#FFC7CE",
    LineStatus.SKIPPED: "#EDEDED",
}


def write_orders_sheet(book: Workbook, orders: OrderBook) -> None:
    """The Orders sheet: the order sheet's header and rows at their source row numbers, then what became of each."""
    lang, raw = orders.lang, orders.source
    # this sheet only: each row goes to a temporary file as soon as it is complete
    sheet = add_constant_memory_worksheet(book, orders.sheet_name)
    add = book.add_format
    header_format = add(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    date_format, datetime_format = (
        add({"num_format": "yyyy-mm-dd"}),
        add({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    )
    write_line = _line_writer(sheet, date_format, datetime_format, add({"num_format": "hh:mm:ss"}))
    labels = [text(_STATUS_KEYS[s], lang) for s in LineStatus]
    formats = [add({"bg_color": _STATUS_COLORS[s]}) if s in _STATUS_COLORS else None for s in LineStatus]
    status_column = len(raw.headers)
    top = raw.header_row - 1
    sheet.write_row(top, 0, [*orders.column_names, text("line_status", lang)], header_format)
    write_string = sheet.write_string
    for out_row, (row, state) in enumerate(zip(raw.rows, orders.status.tolist(), strict=True), start=top + 1):
        write_line(out_row, row)
        write_string(out_row, status_column, labels[state], formats[state])
    last = top + max(len(raw.rows), 1)
    sheet.autofilter(top, 0, last, status_column)
    sheet.freeze_panes(top + 1, 0)
    sample = raw.rows[:WIDTH_SAMPLE]
    for column, name in enumerate(orders.column_names):
        sheet.set_column(column, column, column_width([name, *(r[column] for r in sample)]))
    sheet.set_column(status_column, status_column, column_width([text("line_status", lang), *labels]))


def _line_writer(
    sheet: Worksheet, date_format: Format, datetime_format: Format, time_format: Format
) -> Callable[[int, Sequence[Any]], None]:
    """A writer of one order line's cells, each keeping its type: text as text, numbers as numbers, dates as dates."""
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    write_boolean = sheet.write_boolean

    def write(out_row: int, row: Sequence[Any]) -> None:
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(out_row, column, value)
            elif kind is float or kind is int:
                write_number(out_row, column, value)
            elif kind is dt.date:  # a serial number is much cheaper than write_datetime's conversion
                write_number(out_row, column, date_serial(value), date_format)
            elif kind is dt.datetime:
                write_datetime(out_row, column, value, datetime_format)
            elif kind is dt.time or kind is dt.timedelta:
                write_datetime(out_row, column, value, time_format)
            elif kind is bool:
                write_boolean(out_row, column, value)
            else:
                write_string(out_row, column, str(value))

    return write
