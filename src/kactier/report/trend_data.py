"""The Summary's trend across runs and conversion since the previous run, as plain data (the numbers are defined in
:mod:`kactier.history.trends`): one row per run, oldest first, this run last; one row per sales owner, then all
customers."""

from __future__ import annotations

from dataclasses import dataclass

from ..history.trends import ConversionRow, conversion
from ..i18n import text
from .model import Report


@dataclass(frozen=True, slots=True)
class TrendTable:
    """Graded customers and mean score per tier, per run (``run_labels``: ``#id``, this run last)."""

    run_labels: list[str]
    as_ofs: list[str]
    counts: list[tuple[int, ...]]
    means: list[tuple[float | None, ...]]


@dataclass(frozen=True, slots=True)
class ConversionTable:
    """Conversion since the previous run; ``rows`` empty (with ``note``) when the previous run recorded no stage."""

    owner_header: str | None  # None: the table has no sales owner column, only the total is shown
    rows: list[ConversionRow]  # per owner (blank owner ""), then all customers (owner None)
    note: str | None = None


def summarize_trend(report: Report) -> TrendTable | None:
    """The trend table of ``report``, or None without past runs."""
    trend = report.trend
    if trend is None:
        return None
    lang = report.table.lang
    this_run = text("trend_this_run", lang)
    return TrendTable(
        [f"#{p.run.id}" if p.run is not None else this_run for p in trend.points],
        [p.as_of for p in trend.points],
        [p.counts for p in trend.points],
        [p.means for p in trend.points],
    )


def summarize_conversion(report: Report) -> ConversionTable | None:
    """The conversion table of ``report``, or None without past runs or without a lifecycle stage column."""
    trend, table = report.trend, report.table
    frame = table.frame
    if trend is None or "stage" not in frame:
        return None
    owner = table.column_names[table.field_columns["owner"]] if "owner" in table.field_columns else None
    owners = frame["owner"].tolist() if "owner" in frame else None
    rows = conversion(trend, frame["customer_id"].tolist(), owners, frame["stage"].tolist())
    note = None if rows else text("conv_no_stages", table.lang)
    return ConversionTable(owner, rows, note)
