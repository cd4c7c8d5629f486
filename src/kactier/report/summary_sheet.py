"""The Summary sheet (汇总) laid out: its sections as tables and two native charts, from the plain data of
:func:`kactier.report.summary_data.summarize` (whose docstring defines every number shown).

The charts (customers by tier in the tier colours, the Pareto curve of value with the tier cut lines) sit beside the
run facts and read their series from the tier table and from the chart data written at the bottom of the sheet.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import text
from .charts import colored_columns
from .segment_summary import write_segments
from .stability_summary import write_borderline
from .summary_data import CrossTab, Summary, TierRow, Transitions
from .summary_trends import write_trend_sections

_CHART_ROWS = 16  # rows the charts beside the run facts take
_CHART_WIDTH, _CHART_HEIGHT = 480, 300


def write_summary(book: Workbook, sheet: Worksheet, summary: Summary) -> None:
    """Lay ``summary`` out on ``sheet``, with the two charts beside the run facts."""
    _SummaryWriter(book, sheet, summary).write()


class _SummaryWriter:
    def __init__(self, book: Workbook, sheet: Worksheet, summary: Summary) -> None:
        self.book, self.sheet, self.summary = book, sheet, summary
        self.lang = summary.lang
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.bold = add({"bold": True})
        self.note = add({"italic": True, "font_color": "#595959"})
        decimals = summary.score_decimals
        self.score = add({"num_format": "0." + "0" * decimals if decimals else "0"})
        self.percent = add({"num_format": "0.0%"})
        self.number = add({"num_format": "#,##0.00"})
        self.count = add({"num_format": "#,##0"})
        self.share = add({"num_format": "0.0%"})
        self.total_count = add({"num_format": "#,##0", "bold": True, "top": 1})
        self.total_percent = add({"num_format": "0.0%", "bold": True, "top": 1})
        self.total_number = add({"num_format": "#,##0.00", "bold": True, "top": 1})
        self.total_label = add({"bold": True, "top": 1})
        self.tier_formats = [
            add({"bg_color": color, "bold": True, "align": "center", "border": 1})
            for color in summary.tier_colors
        ]
        self.kind_formats = {
            "percent": self.percent,
            "number": self.number,
            "money": self.number,
            "count": self.count,
        }
        self.tiers_at: tuple[int, int] = (0, 0)  # first and last row of the tier table, for the chart

    def write(self) -> None:
        sheet, lang = self.sheet, self.lang
        sheet.write_string(0, 0, text("summary_title", lang), self.title)
        row = self._facts(2)
        row = max(row, 2 + _CHART_ROWS) + 1
        row = self._tier_table(row) + 2
        row = self._kpi_table(row) + 2
        if self.summary.transitions is not None:
            row = self._transitions(row, self.summary.transitions) + 2
        row = write_trend_sections(self.book, sheet, self.summary, row)
        row = self._criterion_means(row) + 2
        if self.summary.borderline is not None:
            formats = {"section": self.section, "header": self.header, "count": self.count}
            formats |= {"share": self.share, "note": self.note, "tiers": self.tier_formats}
            row = write_borderline(self.sheet, row, self.summary.borderline, self.lang, formats) + 2
        for crosstab in self.summary.crosstabs:
            row = self._crosstab(row, crosstab) + 2
        if self.summary.segments is not None:
            row = write_segments(self.book, sheet, row, self.summary.segments, lang) + 2
        curve_at = self._chart_data(row)
        self._charts(curve_at)
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 7, 14)
        sheet.set_column(8, 8, 44)
        sheet.set_column(9, 9, 18)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.hide_gridlines(2)
        sheet.set_footer("&L&A&R&P / &N")

    def _section(self, row: int, key: str, detail: str = "") -> int:
        self.sheet.write_string(
            row, 0, text(key, self.lang) + (f" · {detail}" if detail else ""), self.section
        )
        return row + 1

    def _facts(self, row: int) -> int:
        row = self._section(row, "run_facts")
        for label, value in self.summary.facts:
            self.sheet.write_string(row, 0, label)
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.sheet.write_string(row, 1, str(value))
            else:
                self.sheet.write_number(row, 1, value)
            row += 1
        return row

    def _optional(self, row: int, column: int, value: float | None, cell_format: Any) -> None:
        if value is not None:
            self.sheet.write_number(row, column, value, cell_format)

    def _tier_table(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "by_tier")
        keys = ["tier", "customers", "share"]
        headers = [text(k, lang) for k in keys]
        if summary.value_label is not None:
            headers += [
                text("value_total_of", lang).format(summary.value_label),
                text("value_share_of", lang).format(summary.value_label),
            ]
        else:
            headers += ["", ""]
        headers += [
            text(k, lang) for k in ("mean_score", "min_score", "max_score", "action", "service_level")
        ]
        sheet.write_row(row, 0, headers, self.header)
        first = row + 1
        for index, tier in enumerate(summary.tiers):
            row += 1
            self._tier_cells(row, tier, self.tier_formats[index], total=False)
        self.tiers_at = (first, row)
        row += 1
        self._tier_cells(row, summary.total, self.total_label, total=True)
        return row

    def _tier_cells(self, row: int, tier: TierRow, label_format: Any, *, total: bool) -> None:
        sheet = self.sheet
        sheet.write_string(row, 0, tier.label, label_format)
        sheet.write_number(row, 1, tier.customers, self.total_count if total else self.count)
        percent, number = (self.total_percent, self.total_number) if total else (self.percent, self.number)
        self._optional(row, 2, tier.share, percent)
        self._optional(row, 3, tier.value_total, number)
        self._optional(row, 4, tier.value_share, percent)
        score_format = self.total_number if total else self.score
        self._optional(row, 5, tier.mean_score, self.total_number if total else self.number)
        self._optional(row, 6, tier.min_score, score_format)
        self._optional(row, 7, tier.max_score, score_format)
        if not total:
            sheet.write_string(row, 8, tier.action)
            sheet.write_string(row, 9, tier.service_level)

    def _kpi_table(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "kpis")
        if not summary.kpis:
            sheet.write_string(row, 0, text("no_kpis", lang), self.note)
            return row
        k = len(summary.tier_labels)
        headers = [text("kpi", lang), *summary.tier_labels, text("all_customers", lang)]
        sheet.write_row(row, 0, [*headers, text("basis", lang), text("definition", lang)], self.header)
        for index in range(k):
            sheet.write_string(row, 1 + index, summary.tier_labels[index], self.tier_formats[index])
        for kpi in summary.kpis:
            row += 1
            cell_format = self.kind_formats.get(kpi.kind, self.number)
            sheet.write_string(row, 0, kpi.label)
            for index, value in enumerate(kpi.per_tier[:k]):
                self._optional(row, 1 + index, value, cell_format)
            self._optional(row, 1 + k, kpi.overall, cell_format)
            if kpi.basis is not None:
                sheet.write_number(row, 2 + k, kpi.basis, self.count)
            if kpi.definition:
                sheet.write_string(row, 3 + k, kpi.definition, self.note)
        return row

    def _transitions(self, row: int, transitions: Transitions) -> int:
        lang, sheet = self.lang, self.sheet
        row = self._section(row, "transitions", transitions.previous_run)
        total = text("total", lang)
        sheet.write_row(row, 0, [text("transition_corner", lang), *transitions.columns, total], self.header)
        k = len(self.summary.tier_labels)
        for index in range(k):
            sheet.write_string(row, 1 + index, transitions.columns[index], self.tier_formats[index])
        for index, (label, counts) in enumerate(zip(transitions.rows, transitions.counts, strict=True)):
            row += 1
            sheet.write_string(row, 0, label, self.tier_formats[index] if index < k else self.bold)
            for column, count in enumerate(counts):
                if index < k or column < k:  # new customers are never "not graded" or "gone"
                    sheet.write_number(row, 1 + column, count, self.bold if column == index else self.count)
            sheet.write_number(row, 1 + len(counts), sum(counts), self.count)
        row += 1
        sheet.write_string(row, 0, total, self.total_label)
        columns = [sum(col) for col in zip(*transitions.counts, strict=True)]
        for column, count in enumerate([*columns, sum(columns)]):
            sheet.write_number(row, 1 + column, count, self.total_count)
        return row

    def _criterion_means(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "criterion_means")
        k = len(summary.tier_labels)
        sheet.write_row(row, 0, [text("criterion", lang)], self.header)
        for index, label in enumerate(summary.tier_labels):
            sheet.write_string(row, 1 + index, label, self.tier_formats[index])
        sheet.write_string(row, 1 + k, text("all_customers", lang), self.header)
        for means in summary.criterion_means:
            row += 1
            sheet.write_string(row, 0, means.criterion)
            for index, value in enumerate(means.per_tier):
                self._optional(row, 1 + index, value, self.number)
            self._optional(row, 1 + k, means.overall, self.number)
        return row

    def _crosstab(self, row: int, crosstab: CrossTab) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, crosstab.title_key)
        k = len(summary.tier_labels)
        sheet.write_string(row, 0, crosstab.column, self.header)
        for index, label in enumerate(summary.tier_labels):
            sheet.write_string(row, 1 + index, label, self.tier_formats[index])
        sheet.write_string(row, 1 + k, text("total", lang), self.header)
        for category, counts in zip(crosstab.categories, crosstab.counts, strict=True):
            row += 1
            sheet.write_string(row, 0, category)
            for index, count in enumerate(counts):
                sheet.write_number(row, 1 + index, count, self.count)
            sheet.write_number(row, 1 + k, sum(counts), self.count)
        row += 1
        sheet.write_string(row, 0, text("total", lang), self.total_label)
        columns = [sum(col) for col in zip(*crosstab.counts, strict=True)] if crosstab.counts else [0] * k
        for index, count in enumerate([*columns, sum(columns)]):
            sheet.write_number(row, 1 + index, count, self.total_count)
        return row

    def _chart_data(self, row: int) -> tuple[int, int, list[int]] | None:
        """Writes the Pareto data; returns (first row, last row) of the curve and the first row of each cut line."""
        pareto, lang, sheet = self.summary.pareto, self.lang, self.sheet
        if pareto is None:
            return None
        row = self._section(row, "chart_data", text("chart_pareto", lang).format(pareto.value_label))
        sheet.write_row(
            row,
            0,
            ["", text("cum_customer_share", lang), text("cum_value_share", lang).format(pareto.value_label)],
            self.header,
        )
        first = row + 1
        for x, y in pareto.points:
            row += 1
            sheet.write_number(row, 1, x, self.share)
            sheet.write_number(row, 2, y, self.share)
        last = row
        cut_rows = []
        for label, x, y in pareto.cuts:
            row += 1
            cut_rows.append(row)
            line = text("cut_line", lang).format(label)
            for offset, (px, py) in enumerate(((x, 0.0), (x, y), (0.0, y))):
                sheet.write_string(row + offset, 0, line)
                sheet.write_number(row + offset, 1, px, self.share)
                sheet.write_number(row + offset, 2, py, self.share)
            row += 2
        return first, last, cut_rows

    def _charts(self, curve: tuple[int, int, list[int]] | None) -> None:
        summary, lang, sheet, name = self.summary, self.lang, self.sheet, self.sheet.get_name()
        columns = colored_columns(self.book, sheet, self.tiers_at, summary.tier_colors, "chart_tiers", lang)
        columns.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
        sheet.insert_chart(2, 3, columns, {"x_offset": 10, "y_offset": 4, "object_position": 3})
        if curve is None or summary.pareto is None:
            return
        first, last, cut_rows = curve
        pareto = self.book.add_chart({"type": "scatter", "subtype": "straight"})
        pareto.add_series(
            {
                "name": text("cum_value_share", lang).format(summary.pareto.value_label),
                "categories": [name, first, 1, last, 1],
                "values": [name, first, 2, last, 2],
                "line": {"color": "#1F4E78", "width": 2.25},
            }
        )
        dashes = ("dash", "round_dot", "long_dash", "dash_dot", "square_dot", "long_dash_dot")
        for index, (cut_row, cut) in enumerate(zip(cut_rows, summary.pareto.cuts, strict=True)):
            pareto.add_series(
                {
                    "name": text("cut_line", lang).format(cut[0]),
                    "categories": [name, cut_row, 1, cut_row + 2, 1],
                    "values": [name, cut_row, 2, cut_row + 2, 2],
                    "line": {"color": "#C00000" if index == 0 else "#7F7F7F", "dash_type": dashes[index % 6]},
                }
            )
        axis = {"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0%"}
        pareto.set_x_axis({**axis, "name": text("cum_customer_share", lang)})
        pareto.set_y_axis(
            {
                **axis,
                "name": text("cum_value_share", lang).format(summary.pareto.value_label),
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        pareto.set_title(
            {"name": text("chart_pareto", lang).format(summary.pareto.value_label), "name_font": {"size": 12}}
        )
        pareto.set_legend({"position": "bottom"})
        pareto.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
        sheet.insert_chart(2, 3, pareto, {"x_offset": _CHART_WIDTH + 30, "y_offset": 4, "object_position": 3})
