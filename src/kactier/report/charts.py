"""The Summary's column charts: customers per tier or per segment, each column in its own colour."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import Lang, text


def colored_columns(
    book: Workbook, sheet: Worksheet, rows: tuple[int, int], colors: Sequence[str], title: str, lang: Lang
) -> Chart:
    """A column chart of the counts in column B of ``rows`` (labels in column A), one colour per column, titled
    with the text ``title``; the caller sizes and places it."""
    name, (first, last) = sheet.get_name(), rows
    chart = book.add_chart({"type": "column"})
    assert chart is not None  # a known chart type
    chart.add_series(
        {
            "name": text("customers", lang),
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 1, last, 1],
            "points": [{"fill": {"color": c}, "border": {"color": "#7F7F7F"}} for c in colors],
            "data_labels": {"value": True},
            "gap": 60,
        }
    )
    chart.set_title({"name": text(title, lang), "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.set_y_axis(
        {"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    )
    return chart
