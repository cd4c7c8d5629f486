"""The Orders sheet (订单明细): every row of the order sheet as read, and what became of it.

The Orders sheet keeps every row of the order sheet at its source row number, as read, with a column saying what
became of it (:class:`~kactier.orders.LineStatus`). Its body goes through the bulk row writer
(:class:`~kactier.report.bulk.BulkWorksheet`), column by column straight from the rows as read (no copy), with
an autofilter rather than an Excel table. The order sheet holds at most Excel's 1,048,576 rows, so the copy
always fits.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.workbook import Workbook

from ..i18n import Lang, text
from ..orders.book import OrderBook
from ..orders.lines import LineStatus
from .bulk import BodyColumn, RowsColumn, add_bulk_worksheet
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
    sheet = add_bulk_worksheet(book, orders.sheet_name)
    add = book.add_format
    header_format = add(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    time_format = add({"num_format": "hh:mm:ss"})
    by_type = {
        dt.date: add({"num_format": "yyyy-mm-dd"}),
        dt.datetime: add({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        dt.time: time_format,
        dt.timedelta: time_format,
    }
    labels = [text(_STATUS_KEYS[s], lang) for s in LineStatus]
    formats = [add({"bg_color": _STATUS_COLORS[s]}) if s in _STATUS_COLORS else None for s in LineStatus]
    status_column = len(raw.headers)
    top = raw.header_row - 1
    sheet.write_row(top, 0, [*orders.column_names, text("line_status", lang)], header_format)
    rows = raw.rows if orders.lines is None else list(orders.rows())
    every_row = range(len(rows))
    states = orders.status.tolist()
    body = [BodyColumn(c, RowsColumn(rows, every_row, c), type_formats=by_type) for c in range(status_column)]
    body.append(BodyColumn(status_column, [labels[s] for s in states], [formats[s] for s in states]))
    origins = orders.lines.origins() if orders.lines is not None else None
    last_column = status_column
    if origins is not None:  # several files, one after another: where each line came from, after its status
        sheet.write_row(top, status_column + 1, _origin_headers(lang), header_format)
        body.append(BodyColumn(status_column + 1, [name for name, _ in origins]))
        body.append(BodyColumn(status_column + 2, [line for _, line in origins]))
        last_column = status_column + 2
    sheet.set_body(top + 1, len(rows), body)
    last = top + max(len(rows), 1)
    sheet.autofilter(top, 0, last, last_column)
    sheet.freeze_panes(top + 1, 0)
    sample = rows[:WIDTH_SAMPLE]
    for column, name in enumerate(orders.column_names):
        sheet.set_column(column, column, column_width([name, *(r[column] for r in sample)]))
    sheet.set_column(status_column, status_column, column_width([text("line_status", lang), *labels]))


def _origin_headers(lang: Lang) -> list[str]:
    return [text("order_lines_file", lang), text("order_lines_line", lang)]


def write_order_lines(orders: OrderBook) -> None:
    """Every line's disposition to ``orders.lines_files`` (Parquet and CSV), for lines no sheet holds."""
    assert orders.lines is not None, "only an export's lines go to files"
    lang = orders.lang
    labels = [text(_STATUS_KEYS[s], lang) for s in LineStatus]
    headers = (text("order_lines_file", lang), text("order_lines_line", lang), text("line_status", lang))
    orders.lines.export(orders.lines_files, labels, headers)
