"""The Summary's segments section (``[segments]``): its numbers, its table, the matrix grid and the chart.

Per segment, over the graded customers: customers, share of the customers in a segment, share of the value (the
Summary's value column, when there is one) and the segment's action; graded customers left without a segment are
one more row. A matrix adds a grid of customers per cell (rows × columns), coloured as a heat map (a three-colour
scale over the counts). A native column chart shows the customers per segment in the segments' colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import Lang, localized, text
from .charts import colored_columns
from .model import Report

NDArray = np.ndarray[Any, Any]
_CHART_WIDTH, _CHART_HEIGHT = 520, 300
_CHART_COLUMN = 9  # right of the segment table and of its actions, which run on across the empty cells


@dataclass(frozen=True, slots=True)
class SegmentRow:
    """One segment in the Summary: label and colour, customers, their share and the share of value they hold."""

    label: str
    color: str
    customers: int
    share: float | None
    value_share: float | None
    action: str


@dataclass(frozen=True, slots=True)
class SegmentSummary:
    """The segments section, in the report's language."""

    detail: str  # how the segments were found, after the section title
    value_label: str | None
    rows: list[SegmentRow]
    unsegmented: int  # graded customers without a segment
    grid: tuple[list[str], list[str], list[list[int]]] | None  # matrix: row labels, column labels, counts


def segment_summary(report: Report, values: NDArray | None, value_label: str | None) -> SegmentSummary | None:
    """The segments section of ``report`` (None without [segments]); ``values`` is the Summary's value column."""
    segmentation = report.grades.segments
    if segmentation is None:
        return None
    lang = report.table.lang
    index = segmentation.index
    graded = report.grades.tier >= 0
    counts = segmentation.counts()
    segmented = int(sum(counts))
    value = np.where(np.isnan(values), 0.0, values) if values is not None else None
    total = float(value[index >= 0].sum()) if value is not None else 0.0
    rows = []
    for position, level in enumerate(segmentation.levels):
        share = counts[position] / segmented if segmented else None
        held = float(value[index == position].sum()) / total if value is not None and total > 0 else None
        rows.append(
            SegmentRow(
                localized(level.label, lang),
                level.color,
                counts[position],
                share,
                held,
                localized(level.action, lang),
            )
        )
    grid = None
    if segmentation.grid is not None:
        row_labels, column_labels = segmentation.grid
        width = len(column_labels)
        grid = (
            row_labels,
            column_labels,
            [counts[i * width : (i + 1) * width] for i in range(len(row_labels))],
        )
    unsegmented = int((graded & (index < 0)).sum())
    return SegmentSummary(_detail(report, lang), value_label, rows, unsegmented, grid)


def _detail(report: Report, lang: Lang) -> str:
    """RFM: the split (mean or median) and the R / F / M values split at; matrix: the two dimensions."""
    segments, segmentation = report.config.segments, report.grades.segments
    assert segments is not None
    assert segmentation is not None
    if segments.method == "rfm":
        split = text(f"segment_split.{segments.split}", lang)
        if segmentation.splits is None or any(np.isnan(v) for v in segmentation.splits):
            return split
        r, f, m = segmentation.splits
        return f"{split}（{text('segment_splits', lang)} {r:,.2f} / {f:,.2f} / {m:,.2f}）"
    names = [
        localized(d.name, lang) or ", ".join(d.keys)
        for d in (segments.rows, segments.columns)
        if d is not None
    ]
    return " × ".join(names)


def write_segments(book: Workbook, sheet: Worksheet, row: int, summary: SegmentSummary, lang: Lang) -> int:
    """The segments section from ``row`` down, with its chart to the right; returns the last row written."""
    add = book.add_format
    section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
    header = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
    count, percent = add({"num_format": "#,##0"}), add({"num_format": "0.0%"})
    sheet.write_string(row, 0, f"{text('by_segment', lang)} · {summary.detail}", section)
    chart_row = row
    row += 1
    value = text("value_share_of", lang).format(summary.value_label) if summary.value_label else ""
    sheet.write_row(
        row,
        0,
        [text("segment", lang), text("customers", lang), text("share", lang), value, text("action", lang)],
        header,
    )
    first = row + 1
    for segment in summary.rows:
        row += 1
        sheet.write_string(row, 0, segment.label, add({"bg_color": segment.color, "bold": True, "border": 1}))
        sheet.write_number(row, 1, segment.customers, count)
        for column, share in ((2, segment.share), (3, segment.value_share)):
            if share is not None:
                sheet.write_number(row, column, share, percent)
        sheet.write_string(row, 4, segment.action)
    last = row
    if summary.unsegmented:
        row += 1
        sheet.write_string(row, 0, text("no_segment", lang))
        sheet.write_number(row, 1, summary.unsegmented, count)
    _chart(book, sheet, (chart_row, first, last), summary, lang)
    if summary.grid is not None:
        row = _grid(sheet, row + 2, summary.grid, (section, header, count), lang)
    return max(row, chart_row + 15)


def _grid(
    sheet: Worksheet, row: int, grid: tuple[list[str], list[str], list[list[int]]], formats: Any, lang: Lang
) -> int:
    """The matrix: customers per cell, row labels down, column labels across, coloured as a heat map."""
    section, header, count = formats
    rows, columns, counts = grid
    sheet.write_string(row, 0, text("segment_grid", lang), section)
    row += 1
    sheet.write_row(row, 0, ["", *columns], header)
    first = row + 1
    for label, line in zip(rows, counts, strict=True):
        row += 1
        sheet.write_string(row, 0, label, header)
        for column, n in enumerate(line, start=1):
            sheet.write_number(row, column, n, count)
    sheet.conditional_format(
        first,
        1,
        row,
        len(columns),
        {"type": "3_color_scale", "min_color": "#F8F8F8", "mid_color": "#FFEB84", "max_color": "#63BE7B"},
    )
    return row


def _chart(
    book: Workbook, sheet: Worksheet, at: tuple[int, int, int], summary: SegmentSummary, lang: Lang
) -> None:
    """Customers per segment as columns in the segments' colours, beside the table."""
    top, first, last = at
    chart = colored_columns(
        book, sheet, (first, last), [s.color for s in summary.rows], "chart_segments", lang
    )
    chart.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
    sheet.insert_chart(top, _CHART_COLUMN, chart, {"x_offset": 10, "y_offset": 4, "object_position": 3})
