"""``kactier history --trend`` and a customer's score trajectory on the terminal (see :mod:`.render_tables`)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..fields import has_cjk
from ..history.records import HistoryEntry
from ..history.trends import InputTrend, sparkline
from ..i18n import Lang, is_traditional, text
from .render import terminal_lang


def trends_lang(trends: list[InputTrend], requested: str = "auto") -> Lang:
    """``--lang`` when given; else Chinese when an input name or tier label is; else the locale's language."""
    if requested in ("zh", "en"):
        return terminal_lang(requested)
    words = [w for t in trends for w in (t.input_name, *t.labels) if has_cjk(w)]
    if words:
        return "zh-Hant" if is_traditional(words) else "zh"
    return terminal_lang(requested)


def trend_tables(out: Console, trends: list[InputTrend], lang: Lang, empty: str) -> None:
    """One table per input: each run's graded customers and mean score per tier, oldest first (``empty``: the line
    shown when the history holds no run)."""
    if not trends:
        out.print(escape(empty))
        return
    for trend in trends:
        labels = trend.labels
        out.print(
            f"[bold]{escape(text('term.trend.title', lang, input=trend.input_name, tiers='/'.join(labels)))}[/]"
        )
        table = Table(show_edge=False, pad_edge=False)
        table.add_column(text("term.trend.run", lang), justify="right")
        table.add_column(text("term.trend.as_of", lang))
        for label in labels:
            table.add_column(escape(label), justify="right")
        table.add_column(text("term.trend.total", lang), justify="right")
        for label in labels:
            table.add_column(escape(text("term.trend.mean", lang, tier=label)), justify="right")
        for point in trend.points:
            table.add_row(
                str(point.run.id) if point.run is not None else "",
                point.as_of,
                *(str(c) for c in point.counts),
                str(sum(point.counts)),
                *("" if m is None else f"{m:.2f}" for m in point.means),
            )
        out.print(table)


def trajectory_line(entries: list[HistoryEntry], lang: Lang) -> str | None:
    """``得分走势：95 → 90 → 86 █▄▁``: the customer's score in each run that graded it, oldest first, with a
    sparkline; None when fewer than two runs graded it."""
    scores = [e.score for e in entries if e.present and e.tier is not None and e.score is not None]
    if len(scores) < 2:
        return None
    series = " → ".join(f"{s:g}" for s in scores)
    return text("term.history.trajectory", lang, series=series) + f"  {sparkline(scores)}"
