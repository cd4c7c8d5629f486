"""The Orders sheet (订单明细): every row of the order sheet as read, and what became of it.

The Orders sheet keeps every row of the order sheet at its source row number, as read, with a column saying what
became of it (:class:`~kactier.orders.LineStatus`). Its body goes through the bulk row writer
(:class:`~kactier.report.bulk.BulkWorksheet`), column by column straight from the rows as read (no copy), with
an autofilter rather than an Excel table. The order sheet holds at most Excel's 1,048,576 rows, so the copy
always fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from ..i18n import Lang, text
from ..orders.book import OrderBook
from ..orders.cell_forms import BOOL, DATE, NUMBER, TEXT
from ..orders.kept import DateColumn
from ..orders.lines import LineStatus
from . import sql_body
from .bulk import ArrayColumn, BodyColumn, BulkWorksheet, RowsColumn, add_bulk_worksheet
from .sql_body import SqlBody, SqlColumn
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
    count = len(orders.status)
    typed = orders.lines.typed_source() if orders.lines is not None else None
    if orders.lines is not None and typed is not None:  # a big sheet's lines, rendered by DuckDB
        rendered = [*_typed_columns(typed.forms, by_type), _status_column(status_column, labels, formats)]
        sheet.set_body_source(
            top + 1, count, (0, status_column), SqlBody(typed.db, typed.relation, top + 1, count, rendered)
        )
        _finish(sheet, orders, orders.lines.sheet_columns(WIDTH_SAMPLE), top, status_column, labels)
        return
    columns: list[Sequence[Any]]
    if orders.lines is None:
        columns = [RowsColumn(raw.rows, range(count), c) for c in range(status_column)]
    else:
        columns = orders.lines.sheet_columns()  # an export's lines, or a big sheet's, kept in DuckDB
    states = orders.status.tolist()
    body = [
        _dates(c, values, by_type)
        if isinstance(values, DateColumn)
        else BodyColumn(c, values, type_formats=by_type)
        for c, values in enumerate(columns)
    ]
    body.append(BodyColumn(status_column, [labels[s] for s in states], [formats[s] for s in states]))
    origins = orders.lines.origins() if orders.lines is not None else None
    last_column = status_column
    if origins is not None:  # several files, one after another: where each line came from, after its status
        sheet.write_row(top, status_column + 1, _origin_headers(lang), header_format)
        body.append(BodyColumn(status_column + 1, [name for name, _ in origins]))
        body.append(BodyColumn(status_column + 2, [line for _, line in origins]))
        last_column = status_column + 2
    sheet.set_body(top + 1, count, body)
    _finish(sheet, orders, columns, top, last_column, labels)


def _finish(
    sheet: BulkWorksheet,
    orders: OrderBook,
    columns: Sequence[Sequence[Any]],
    top: int,
    last_column: int,
    labels: list[str],
) -> None:
    """The sheet's autofilter, frozen header and column widths (from the top of ``columns``)."""
    sheet.autofilter(top, 0, top + max(len(orders.status), 1), last_column)
    sheet.freeze_panes(top + 1, 0)
    for column, (name, values) in enumerate(zip(orders.column_names, columns, strict=True)):
        sample = ["" if v is None else v for v in values[:WIDTH_SAMPLE]]
        sheet.set_column(column, column, column_width([name, *sample]))
    status_column = len(orders.column_names)
    sheet.set_column(status_column, status_column, column_width([text("line_status", orders.lang), *labels]))


def _typed_columns(forms: list[str], by_type: dict[type, Format]) -> list[SqlColumn]:
    """The order sheet's columns as DuckDB holds them (``cell0``, ``cell1`` … of :meth:`ColumnarLines.typed_source`)."""
    kinds = {TEXT: sql_body.TEXT, NUMBER: sql_body.NUMBER, DATE: sql_body.DATE, BOOL: sql_body.BOOL}
    dates = (by_type[dt.date], by_type[dt.datetime])
    return [
        SqlColumn(k, f"cell{k}", kinds[form], dates if form == DATE else (None,))
        for k, form in enumerate(forms)
    ]


def _status_column(column: int, labels: list[str], formats: list[Format | None]) -> SqlColumn:
    """What became of each line, with its colour."""
    named = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
    return SqlColumn(column, f"[{named}][status + 1]", sql_body.TEXT, tuple(formats), "status")


def _dates(column: int, values: DateColumn, by_type: dict[type, Format]) -> BodyColumn:
    """A column of dates and times as their serials, each with the format of a date or of a date and time: as
    the cells themselves would be written, without a Python object per cell."""
    timed = values.timed
    formats: Format | list[Format] = by_type[dt.date]
    if timed.any():
        formats = [by_type[dt.datetime] if t else by_type[dt.date] for t in timed.tolist()]
    return BodyColumn(column, ArrayColumn(values.serials, ~values.blank), formats)


def _origin_headers(lang: Lang) -> list[str]:
    return [text("order_lines_file", lang), text("order_lines_line", lang)]


def write_order_lines(orders: OrderBook) -> None:
    """Every line's disposition to ``orders.lines_files`` (Parquet and CSV), for lines no sheet holds."""
    assert orders.lines is not None, "only an export's lines go to files"
    lang = orders.lang
    labels = [text(_STATUS_KEYS[s], lang) for s in LineStatus]
    headers = (text("order_lines_file", lang), text("order_lines_line", lang), text("line_status", lang))
    orders.lines.export(orders.lines_files, labels, headers)
