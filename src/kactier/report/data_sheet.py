"""The customer data sheet: every input column, in order, with its values as understood, then the added columns.

Text stays text, even when it looks like a formula (the workbook's strings_to_formulas, strings_to_urls and
strings_to_numbers are off). The added columns: points of the criteria whose 0–100 points differ from the input,
score, rank, percentile, tier (in the tier's colour), marks, action, next follow-up, and with history the previous
tier and the change. The sheet is one Excel table with a data bar on the score, and prints landscape, one page wide.
The body goes to :class:`~kactier.report.bulk.BulkWorksheet` as whole columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xlsxwriter.worksheet import Worksheet

from ..excel import date_serial
from ..fields import FIELD_BY_KEY, Kind
from ..history.changes import Change
from ..i18n import localized, text
from .added import (
    added_headers,
    segment_values,
    shown_points,
    tier_actions,
    tier_labels,
    tier_marks,
    understood_cells,
    when_graded,
)
from .bulk import ArrayColumn, BodyColumn, BulkWorksheet, RowsColumn
from .context import SheetContext
from .explain_columns import borderline_marks, explain_headers
from .explain_sheet import explain_columns, explain_widths
from .warning import at_risk_column, at_risk_header
from .widths import WIDTH_SAMPLE, column_width


def write_data_sheet(context: SheetContext, sheet: BulkWorksheet) -> None:
    """The customers with the added columns, as one Excel table ("Customers")."""
    report = context.report
    table = report.table
    points = shown_points(report.config)
    history = report.changes is not None
    added = added_headers(
        report.config, context.lang, table.column_names, history=history, extra=report.extra
    )
    headers = [*table.column_names, *added]
    headers += at_risk_header(report, context.lang, headers)  # 预警, last
    first = len(table.column_names) + len(points)  # the score column
    tiers = report.grades.tier.tolist()
    graded = [level >= 0 for level in tiers]
    body = _input_columns(context)
    body += _points_columns(context, [c.key for c in points], first, graded)
    body += _grade_columns(context, first, tiers, graded)
    body += at_risk_column(context, len(headers) - 1)
    sheet.set_body(1, len(table.row_indexes), body)
    sheet.add_body_table(
        0,
        0,
        max(len(table.row_indexes), 1),
        len(headers) - 1,
        {
            "name": "Customers",
            "style": "Table Style Light 9",
            "columns": [{"header": h, "header_format": context.formats.header} for h in headers],
        },
    )
    id_column = table.field_columns["customer_id"]
    sheet.freeze_panes(1, id_column + 1 if id_column < 3 else 0)
    _column_widths(context, sheet, added, first)
    if report.at_risk is not None:
        sheet.set_column(len(headers) - 1, len(headers) - 1, 40)
    explained = len(explain_headers(context.lang, report.extra))
    explain_widths(sheet, len(headers) - explained, explained)
    _data_sheet_layout(sheet, first, len(table.row_indexes))


def _input_columns(context: SheetContext) -> list[BodyColumn]:
    """The input columns as read, with each cell validation read another way (``85分``, ``2024.3.5``) written as
    understood: a number as a number in the column's format, a date as a date (the text as typed is in Issues)."""
    # Whole columns, written by BulkWorksheet when the file is assembled (see bulk): input cells keep their type,
    # dates their format. A column without such a cell is not copied.
    table, type_formats = context.report.table, context.formats.type_formats
    rows = table.raw.rows
    understood = understood_cells(table)
    body = []
    for column in range(len(table.column_names)):
        values: Sequence[Any] = RowsColumn(rows, table.row_indexes, column)
        changed = understood.get(column)
        if changed:
            values = list(values)
            for position, value in changed.items():
                values[position] = value
        body.append(BodyColumn(column, values, type_formats=type_formats))
    return body


def _points_columns(
    context: SheetContext, keys: list[str], first: int, graded: list[bool]
) -> list[BodyColumn]:
    """The shown criteria's 0–100 points, in the columns just before the score."""
    points = context.report.scores.points
    return [
        BodyColumn(offset, ArrayColumn(points[key].to_numpy(), np.asarray(graded)), context.formats.mean)
        for offset, key in enumerate(keys, start=first - len(keys))
    ]


def _grade_columns(
    context: SheetContext, first: int, tiers: list[int], graded: list[bool]
) -> list[BodyColumn]:
    """Score, rank, percentile, tier, marks, action, follow-up and (with history) previous tier and change."""
    report, lang, formats = context.report, context.lang, context.formats
    levels = report.config.tiers.levels
    labels = [level.label for level in levels]
    percentile = report.scores.percentile / 100.0
    kept = np.asarray(graded)
    # Excel date serials computed once: cheaper than a date conversion per cell.
    follow_ups = [None if d is None else date_serial(d) for d in report.grades.follow_up]
    body = [
        BodyColumn(first, ArrayColumn(report.scores.score, kept), formats.score),
        BodyColumn(first + 1, ArrayColumn(report.scores.rank, kept)),
        BodyColumn(first + 2, ArrayColumn(percentile, kept), formats.percent),
        BodyColumn(
            first + 3,
            tier_labels(report.grades, report.config, lang),
            [formats.tiers[t] if t >= 0 else formats.ungraded for t in tiers],
        ),
        BodyColumn(
            first + 4,
            when_graded(borderline_marks(tier_marks(report.grades, lang), report.extra, lang), graded),
        ),
        BodyColumn(first + 5, tier_actions(report.grades, report.config, lang)),
        BodyColumn(first + 6, when_graded(follow_ups, graded), formats.date),
    ]
    history = _history_cells(context)
    if history is not None:
        before, moved = history
        body.append(
            BodyColumn(
                first + 7,
                [labels[b] if b >= 0 else None for b in before],
                [formats.tiers[b] if b >= 0 else None for b in before],
            )
        )
        body.append(BodyColumn(first + 8, [m[0] for m in moved], [m[1] for m in moved]))
    body += _segment_columns(context, first + (9 if history is not None else 7))
    segments = 2 if report.config.segments is not None else 0
    body += explain_columns(context, first + (9 if history is not None else 7) + segments)
    return body


def _segment_columns(context: SheetContext, column: int) -> list[BodyColumn]:
    """With [segments]: 客户细分 / Segment in the segment's colour, and its action, from ``column`` on."""
    grades = context.report.grades
    values = segment_values(grades, context.lang)
    if grades.segments is None or not values:
        return []
    add = context.book.add_format
    fills = [add({"bg_color": level.color, "border": 1}) for level in grades.segments.levels]
    chosen = grades.segments.index.tolist()
    return [
        BodyColumn(column, values[0], [fills[s] if s >= 0 else None for s in chosen]),
        BodyColumn(column + 1, values[1]),
    ]


def _history_cells(context: SheetContext) -> tuple[list[int], list[tuple[str, Any]]] | None:
    """Per row: the previous tier index, and the change label with its format (None without history)."""
    changes = context.report.changes
    if changes is None:
        return None
    add = context.book.add_format
    formats = {
        Change.UP: add({"font_color": "#006100", "bold": True}),
        Change.DOWN: add({"font_color": "#9C0006", "bold": True}),
        Change.NEW: add({"font_color": "#1F4E78"}),
    }
    labels = {change: text(f"change_{change.value}", context.lang) for change in Change}
    cells = [("", None) if c is None else (labels[c], formats.get(c)) for c in changes.change]
    return changes.previous_tier, cells


def _column_widths(context: SheetContext, sheet: Worksheet, added: list[str], first: int) -> None:
    """Input columns fit their header and the first rows (money with a thousands format); added ones their header."""
    table = context.report.table
    rows = table.raw.rows
    sample = [rows[i] for i in table.row_indexes[:WIDTH_SAMPLE]]
    money = _money_columns(context)
    understood = understood_cells(table)
    for column, header in enumerate(table.column_names):
        values = [understood.get(column, {}).get(i, r[column]) for i, r in enumerate(sample)]
        if column in money:  # as the thousands format shows them
            values = [
                f"{v:,.2f}" if isinstance(v, int | float) and not isinstance(v, bool) else v for v in values
            ]
        sheet.set_column(column, column, column_width([header, *values]), money.get(column))
    actions = [localized(level.action, context.lang) for level in context.report.config.tiers.levels]
    for column, header in enumerate(added, start=len(table.column_names)):
        values = actions if column == first + 5 else []
        sheet.set_column(column, column, column_width([header, "2026-01-01", *values]))


def _money_columns(context: SheetContext) -> dict[int, Any]:
    """Input columns holding money, by column index, with a thousands-separated number format."""
    money_format = context.book.add_format({"num_format": "#,##0.00"})
    kinds = (Kind.MONEY, Kind.SIGNED_MONEY)
    return {
        column: money_format
        for key, column in context.report.table.field_columns.items()
        if key in FIELD_BY_KEY and FIELD_BY_KEY[key].kind in kinds
    }


def _data_sheet_layout(sheet: Worksheet, score_column: int, rows: int) -> None:
    """A data bar on the score (0–100) and a print setup: landscape, one page wide, header row repeated."""
    if rows:
        sheet.conditional_format(
            1,
            score_column,
            rows,
            score_column,
            {
                "type": "data_bar",
                "bar_color": "#5B9BD5",
                "data_bar_2010": False,  # the 2007 form: every reader (openpyxl, LibreOffice) knows it
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 100,
            },
        )
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_footer("&L&A&R&P / &N")
