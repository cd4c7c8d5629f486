"""What the sheet writers of one graded workbook share: the workbook, the report, its language and the formats.

Formats are created once per workbook (:func:`sheet_context`), never per cell, and handed to every sheet writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from ..i18n import Lang
from .model import Report


@dataclass(frozen=True, slots=True)
class ReportFormats:
    """The cell formats the data, Changes and Issues sheets share."""

    header: Format
    date: Format
    datetime: Format
    time: Format
    type_formats: Mapping[type, Format]  # by value type: dates, datetimes, times and durations
    score: Format
    percent: Format
    mean: Format
    tiers: tuple[Format, ...]  # in tier order, with the tier's colour
    ungraded: Format


@dataclass(frozen=True, slots=True)
class SheetContext:
    """One workbook being written: the report and everything its sheet writers share."""

    book: Workbook
    report: Report
    lang: Lang
    formats: ReportFormats


def sheet_context(book: Workbook, report: Report) -> SheetContext:
    """The context of ``report`` written into ``book``, its formats created in ``book`` now."""
    add = book.add_format
    header = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
    date = add({"num_format": "yyyy-mm-dd"})
    datetime = add({"num_format": "yyyy-mm-dd hh:mm:ss"})
    time = add({"num_format": "hh:mm:ss"})
    decimals = report.config.score_decimals
    formats = ReportFormats(
        header=header,
        date=date,
        datetime=datetime,
        time=time,
        type_formats={dt.date: date, dt.datetime: datetime, dt.time: time, dt.timedelta: time},
        score=add({"num_format": "0." + "0" * decimals if decimals else "0"}),
        percent=add({"num_format": "0.0%"}),
        mean=add({"num_format": "0.00"}),
        tiers=tuple(
            add({"bg_color": level.color, "bold": True, "align": "center", "border": 1})
            for level in report.config.tiers.levels
        ),
        ungraded=add({"font_color": "#808080", "italic": True, "align": "center"}),
    )
    return SheetContext(book, report, report.table.lang, formats)
