"""The explanation and stability columns written on the data sheet: Why and Best lever as text, the gap in the
score's format (by value: thousands), the stability as a percentage with borderline customers filled orange."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from .bulk import BodyColumn
from .context import SheetContext
from .explain_columns import explain_values

BORDERLINE_FILL = "#F8CBAD"
_TEXT_WIDTH = 44  # Why and Best lever: two criteria and their points fit on one line


def explain_columns(context: SheetContext, column: int) -> list[BodyColumn]:
    """The explanation (and stability) columns from ``column`` on; none without an explanation."""
    report = context.report
    extra = report.extra
    values = explain_values(extra, report.config, context.lang)
    if extra is None or not values:
        return []
    formats = context.formats
    by_value = extra.explanation.by_value
    gap_format = context.book.add_format({"num_format": "#,##0.00"}) if by_value else formats.score
    body = [
        BodyColumn(column, values[0]),
        BodyColumn(column + 1, values[1], gap_format),
        BodyColumn(column + 2, values[2]),
    ]
    if extra.stability is not None:
        borderline = context.book.add_format(
            {"num_format": "0.0%", "bg_color": BORDERLINE_FILL, "bold": True}
        )
        low = extra.stability.borderline.tolist()
        cells = [borderline if b else formats.percent for b in low]
        body.append(BodyColumn(column + 3, values[3], cells))
    return body


def explain_widths(sheet: Worksheet, column: int, columns: int) -> None:
    """Wide enough for the texts of Why and Best lever (the first and third of ``columns`` from ``column``)."""
    if columns:
        sheet.set_column(column, column, _TEXT_WIDTH)
        sheet.set_column(column + 2, column + 2, _TEXT_WIDTH)
