"""The Summary's sections on the runs over time, laid out: the trend across runs (tier counts and mean score per
tier, with a native line chart of the counts beside it), the conversion since the previous run, and the early
warning list (流失预警). Their numbers come from :mod:`.trend_data` and :mod:`.warning`."""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import text
from .summary_data import Summary
from .trend_data import ConversionTable, TrendTable
from .warning import AtRiskSummary

_CHART_WIDTH, _CHART_HEIGHT = 480, 300
_MARKERS = ("circle", "square", "diamond", "triangle", "x", "star", "plus")


def write_trend_sections(book: Workbook, sheet: Worksheet, summary: Summary, row: int) -> int:
    """Write the trend, conversion and at-risk sections of ``summary`` from ``row``; returns the next free row (a
    blank row after the last section written), ``row`` itself when there is none."""
    writer = _TrendWriter(book, sheet, summary)
    if summary.trend is not None:
        row = writer.trend(row, summary.trend) + 2
    if summary.conversion is not None:
        row = writer.conversion(row, summary.conversion) + 2
    if summary.at_risk is not None:
        row = writer.at_risk(row, summary.at_risk) + 2
    return row


class _TrendWriter:
    def __init__(self, book: Workbook, sheet: Worksheet, summary: Summary) -> None:
        self.book, self.sheet, self.summary, self.lang = book, sheet, summary, summary.lang
        add = book.add_format
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.note = add({"italic": True, "font_color": "#595959"})
        self.count = add({"num_format": "#,##0"})
        self.mean = add({"num_format": "0.00"})
        self.percent = add({"num_format": "0.0%"})
        self.total_label = add({"bold": True, "top": 1})
        self.total_count = add({"num_format": "#,##0", "bold": True, "top": 1})
        self.total_percent = add({"num_format": "0.0%", "bold": True, "top": 1})
        self.tiers = [
            add({"bg_color": color, "bold": True, "align": "center", "border": 1})
            for color in summary.tier_colors
        ]

    def _title(self, row: int, title: str) -> int:
        self.sheet.write_string(row, 0, title, self.section)
        return row + 1

    def trend(self, row: int, trend: TrendTable) -> int:
        """The trend table, one row per run, and the line chart of the tier counts beside it."""
        sheet, lang, labels = self.sheet, self.lang, self.summary.tier_labels
        k = len(labels)
        row = self._title(row, text("section_trend", lang))
        headers = [
            text("trend_run", lang),
            text("as_of", lang),
            *labels,
            text("total", lang),
            *(text("trend_mean_of", lang, tier=label) for label in labels),
        ]
        sheet.write_row(row, 0, headers, self.header)
        for index in range(k):
            sheet.write_string(row, 2 + index, labels[index], self.tiers[index])
        header_row, first = row, row + 1
        for label, as_of, counts, means in zip(
            trend.run_labels, trend.as_ofs, trend.counts, trend.means, strict=True
        ):
            row += 1
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 1, as_of)
            for index, count in enumerate(counts):
                sheet.write_number(row, 2 + index, count, self.count)
            sheet.write_number(row, 2 + k, sum(counts), self.count)
            for index, mean in enumerate(means):
                if mean is not None:
                    sheet.write_number(row, 3 + k + index, mean, self.mean)
        self._trend_chart(header_row, first, row, 4 + 2 * k)
        return row

    def _trend_chart(self, header_row: int, first: int, last: int, column: int) -> None:
        summary, name = self.summary, self.sheet.get_name()
        chart = self.book.add_chart({"type": "line"})
        for index, color in enumerate(summary.tier_colors):
            chart.add_series(
                {
                    "name": [name, header_row, 2 + index],
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, 2 + index, last, 2 + index],
                    "line": {"color": _darker(color), "width": 2.25},
                    "marker": {
                        "type": _MARKERS[index % len(_MARKERS)],
                        "size": 6,
                        "fill": {"color": color},
                        "border": {"color": _darker(color)},
                    },
                }
            )
        chart.set_title({"name": text("chart_trend", self.lang), "name_font": {"size": 12}})
        chart.set_y_axis(
            {
                "num_format": "#,##0",
                "min": 0,
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
        self.sheet.insert_chart(header_row, column, chart, {"x_offset": 10, "object_position": 3})

    def conversion(self, row: int, table: ConversionTable) -> int:
        """Conversion since the previous run per owner, then all customers."""
        sheet, lang = self.sheet, self.lang
        row = self._title(row, text("section_conversion", lang))
        keys = ("conv_open_before", "conv_converted", "conv_rate", "conv_known_before", "conv_churned")
        headers = [table.owner_header or "", *(text(k, lang) for k in (*keys, "conv_churn_rate"))]
        sheet.write_row(row, 0, headers, self.header)
        if not table.rows:
            sheet.write_string(row + 1, 0, table.note or "", self.note)
            return row + 1
        shown = table.rows if table.owner_header is not None else table.rows[-1:]
        for line in shown:
            row += 1
            total = line.owner is None
            label = text("total", lang) if total else (line.owner or text("blank_category", lang))
            counts, rate = (self.total_count, self.total_percent) if total else (self.count, self.percent)
            sheet.write_string(row, 0, label, self.total_label if total else None)
            for column, value in enumerate((line.open_before, line.converted), start=1):
                sheet.write_number(row, column, value, counts)
            self._rate(row, 3, line.conversion_rate, rate)
            for column, value in enumerate((line.known_before, line.churned), start=4):
                sheet.write_number(row, column, value, counts)
            self._rate(row, 6, line.churn_rate, rate)
        return row

    def _rate(self, row: int, column: int, value: float | None, cell_format: Any) -> None:
        if value is not None:
            self.sheet.write_number(row, column, value, cell_format)

    def at_risk(self, row: int, warning: AtRiskSummary) -> int:
        """The customers at risk, by owner and value at risk."""
        sheet, lang, labels = self.sheet, self.lang, self.summary.tier_labels
        row = self._title(row, warning.title)
        sheet.write_row(row, 0, warning.headers, self.header)
        if not warning.lines:
            sheet.write_string(row + 1, 0, text("at_risk_none", lang), self.note)
            return row + 1
        blank = text("blank_category", lang)
        for line in warning.lines:
            row += 1
            column = 0
            if warning.has_owner:
                sheet.write_string(row, 0, line.owner or blank)
                column = 1
            sheet.write_string(row, column, line.customer_id)
            if line.customer_name:
                sheet.write_string(row, column + 1, line.customer_name)
            sheet.write_string(row, column + 2, labels[line.tier], self.tiers[line.tier])
            if line.value is not None:
                sheet.write_number(row, column + 3, line.value, self.mean)
            sheet.write_string(row, column + 4, line.reason)
        if warning.more:
            row += 1
            sheet.write_string(row, 0, text("at_risk_more", lang, count=f"{warning.more:,}"), self.note)
        return row


def _darker(color: str) -> str:
    """``color`` (``#RRGGBB``) at 70% brightness: a tier's light fill made visible as a line."""
    value = color.lstrip("#")
    if len(value) != 6:
        return "#404040"
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#404040"
    return "#{:02X}{:02X}{:02X}".format(*(int(c * 0.7) for c in (red, green, blue)))
