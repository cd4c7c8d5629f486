"""Each changed customer's own trajectory on the Changes sheet: its score in each of the last runs (this run last)
as a small series of cells, drawn in the 得分走势 / Score trend column as a text sparkline (``█▄▁``).

The runs are the trend's last points (:data:`kactier.history.trends.MAX_TRAJECTORY_RUNS` past runs at most); a
blank cell is a run that did not grade the customer (absent, or not graded), a gap (``·``) in the sparkline. The
sparkline is text, not Excel's sparkline extension: every reader shows it, and openpyxl would drop the extension.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.worksheet import Worksheet

from ..history.changes import ChangeRow
from ..history.trends import sparkline
from ..i18n import text
from .context import SheetContext


def write_score_series(
    context: SheetContext, sheet: Worksheet, rows: Sequence[ChangeRow], column: int
) -> list[str]:
    """Write the sparkline (at ``column``) and the score per run (after it) of each of ``rows`` (sheet rows 1…);
    returns their headers, none without past runs."""
    trend = context.report.trend
    if trend is None:
        return []
    lang = context.lang
    runs = trend.scored_runs
    points = trend.points[-runs:]
    this_run = text("trend_this_run", lang)
    headers = [
        text("score_trend", lang),
        *(f"#{p.run.id} · {p.as_of}" if p.run is not None else f"{this_run} · {p.as_of}" for p in points),
    ]
    score_format = context.formats.score
    for row, change in enumerate(rows, start=1):
        series = trend.scores.get(change.customer_id, [])[-runs:]
        sheet.write_string(row, column, sparkline(series))
        for offset, value in enumerate(series, start=1):
            if value is not None:
                sheet.write_number(row, column + offset, value, score_format)
    for offset in range(runs + 1):
        sheet.set_column(column + offset, column + offset, 16 if offset else 14)
    return headers
