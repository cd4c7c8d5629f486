"""The Issues (问题) and Changes (变动) sheets: one line per row problem or tier change, under one shared writer.

Both are an Excel table over their lines, or, when there is none, the header row and a "none" line
(:func:`_listing`): an Excel table needs at least one data row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..excel import MAX_DATA_ROWS
from ..history.changes import ChangeRow, TierChanges
from ..i18n import text
from ..problems import Action, IssueCode, RowIssue, sheet_order
from .context import SheetContext
from .trajectory import write_score_series

_CHANGE_KEYS = ("tier_change", "previous_tier", "tier", "previous_score", "score", "score_change")
_ISSUE_KEYS = ("row", "column", "value", "code", "message", "taken")
_SOURCE_KEYS = ("source_file", "source_sheet")


def write_changes_sheet(context: SheetContext, sheet: Worksheet, changes: TierChanges) -> None:
    """变动 / Changes: every customer up, down, new, not graded now or gone since the previous run."""
    lang, table = context.lang, context.report.table
    labels = [level.label for level in context.report.config.tiers.levels]
    names = [table.column_names[table.field_columns[key]] for key in ("customer_id", "customer_name")]
    headers = [*names, *(text(k, lang) for k in _CHANGE_KEYS)]
    if any(change.reason for change in changes.rows):  # a review's round trip: why the tier was set by hand
        headers.append(table.column_names[table.field_columns["override_reason"]])
    for row, change in enumerate(changes.rows, start=1):
        _change_line(context, sheet, row, change, labels)
    series_at = len(headers)
    headers += write_score_series(context, sheet, changes.rows, series_at)  # with past runs
    _listing(context, sheet, headers, len(changes.rows), ("Changes", "Table Style Light 11", "no_changes"), 1)
    for column, width in enumerate((14, 28, 14, 12, 12, 12, 12, 12, 36)[:series_at]):
        sheet.set_column(column, column, width)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _change_line(
    context: SheetContext, sheet: Worksheet, row: int, change: ChangeRow, labels: list[str]
) -> None:
    """One line of the Changes sheet."""
    formats = context.formats
    sheet.write_string(row, 0, change.customer_id)
    if change.customer_name:
        sheet.write_string(row, 1, change.customer_name)
    sheet.write_string(row, 2, text(f"change_{change.change.value}", context.lang))
    for column, level in ((3, change.previous_tier), (4, change.tier)):
        if level >= 0:
            sheet.write_string(row, column, labels[level], formats.tiers[level])
    for column, value in ((5, change.previous_score), (6, change.score)):
        if value is not None:
            sheet.write_number(row, column, value, formats.score)
    if change.previous_score is not None and change.score is not None:
        sheet.write_number(row, 7, change.score - change.previous_score, formats.score)
    if change.reason:
        sheet.write_string(row, 8, change.reason)


def write_issues_sheet(context: SheetContext, sheet: Worksheet) -> None:
    """问题 / Issues: every row problem, by row, with its code, message and what was done about it."""
    lang = context.lang
    issues: list[RowIssue] = sorted(context.report.issues, key=sheet_order)
    if len(issues) > MAX_DATA_ROWS:  # the sheet holds no more: the last row says how many are not listed
        left = len(issues) - MAX_DATA_ROWS + 1
        issues = [
            *issues[: MAX_DATA_ROWS - 1],
            RowIssue(None, None, None, IssueCode.MORE_LIKE_THESE, Action.VALUE_KEPT, f"{left:,}"),
        ]
    files = any(issue.origin is not None for issue in issues)  # several inputs: the file and sheet first
    keys = (*(_SOURCE_KEYS if files else ()), *_ISSUE_KEYS)
    headers = [text(k, lang) for k in keys]
    first = len(_SOURCE_KEYS) if files else 0
    write_cell = _cell_writer(context, sheet)
    for row, issue in enumerate(issues, start=1):
        if issue.origin is not None:
            sheet.write_string(row, 0, issue.origin.file)
            sheet.write_string(row, 1, issue.origin.sheet)
        if issue.row is not None:
            sheet.write_number(row, first, issue.row)
        if issue.column is not None:
            sheet.write_string(row, first + 1, issue.column)
        if issue.value is not None and issue.value != "":
            write_cell(row, first + 2, issue.value)
        sheet.write_string(row, first + 3, issue.code.value)
        sheet.write_string(row, first + 4, issue.message(lang))
        sheet.write_string(row, first + 5, issue.action_text(lang))
    _listing(context, sheet, headers, len(issues), ("Issues", "Table Style Light 15", "no_issues"), 0)
    for column, width in enumerate((*((18, 14) if files else ()), 8, 18, 24, 24, 60, 22)):
        sheet.set_column(column, column, width)


def _listing(
    context: SheetContext,
    sheet: Worksheet,
    headers: list[str],
    rows: int,
    table: tuple[str, str, str],
    frozen_columns: int,
) -> None:
    """An Excel table over the ``rows`` rows written below ``headers``, or the headers and a "none" line.

    ``table`` is (table name, table style, text key of the line shown when there are no rows).
    """
    name, style, empty_key = table
    header = context.formats.header
    if rows:
        columns = [{"header": h, "header_format": header} for h in headers]
        sheet.add_table(0, 0, rows, len(headers) - 1, {"name": name, "style": style, "columns": columns})
        sheet.freeze_panes(1, frozen_columns)
    else:
        sheet.write_row(0, 0, headers, header)
        sheet.write_string(1, 0, text(empty_key, context.lang))


def _cell_writer(context: SheetContext, sheet: Worksheet) -> Callable[[int, int, Any], Any]:
    """A writer that keeps each value's type: text as text, numbers as numbers, dates as dates."""
    write_string, write_number = sheet.write_string, sheet.write_number
    write_boolean, write_datetime = sheet.write_boolean, sheet.write_datetime
    formats = context.formats
    date_format, datetime_format, time_format = formats.date, formats.datetime, formats.time

    def write(row: int, column: int, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return write_string(row, column, value)
        if kind is float or kind is int:
            return write_number(row, column, value)
        if kind is bool:
            return write_boolean(row, column, value)
        if kind is dt.datetime:
            return write_datetime(row, column, value, datetime_format)
        if kind is dt.date:
            return write_datetime(row, column, value, date_format)
        if kind is dt.time or kind is dt.timedelta:
            return write_datetime(row, column, value, time_format)
        if isinstance(value, int | float):  # numpy scalars
            return write_number(row, column, float(value))
        return write_string(row, column, str(value))

    return write
