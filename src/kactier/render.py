"""Everything kactier shows on a terminal, rendered with rich. Nothing else imports rich."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from .config import localized
from .i18n import text
from .pipeline import ScoreResult

_SHOWN_ISSUES = 8


def console(stream: TextIO) -> Console:
    """A console on ``stream``; colours and widths follow whether it is a terminal."""
    return Console(file=stream, highlight=False, soft_wrap=True)


def score_summary(out: Console, result: ScoreResult, *, wrote: bool) -> None:
    """The short summary after ``score`` or ``validate``: tiers, weights, problems, output."""
    lang = result.lang
    config = result.config
    graded = sum(result.tier_counts.values())
    out.print(
        f"[bold]{result.input}[/] · sheet [bold]{result.sheet}[/] · header row {result.header_row} · "
        f"config [bold]{config.name}[/]"
    )
    table = Table(show_edge=False, pad_edge=False)
    for key, justify in (("tier", "center"), ("customers", "right"), ("share", "right"), ("action", "left")):
        table.add_column(text(key, lang), justify=justify)  # type: ignore[arg-type]
    for level in config.tiers.levels:
        count = result.tier_counts[level.label]
        share = f"{count / graded:.1%}" if graded else "–"
        table.add_row(f"[bold]{level.label}[/]", str(count), share, localized(level.action, lang))
    out.print(table)
    weights = ", ".join(f"{c.display(lang)} {result.weights[c.key]:.3f}" for c in config.criteria)
    out.print(f"weights ({config.weights}): {weights}")
    out.print(
        f"rows: {result.rows_read} read · {result.rows_scored} graded · {result.rows_invalid} not graded · "
        f"{result.rows_skipped} skipped · {len(result.issues)} issue(s)"
    )
    for issue in result.issues[:_SHOWN_ISSUES]:
        where = f"row {issue.row}" if issue.row is not None else "sheet"
        column = f", {issue.column}" if issue.column else ""
        out.print(
            f"  [yellow]{where}{column}[/]: {issue.message(lang)} ({issue.action_text(lang)})", markup=True
        )
    if len(result.issues) > _SHOWN_ISSUES:
        more = len(result.issues) - _SHOWN_ISSUES
        out.print(f"  … {more} more" + (" in the Issues sheet" if wrote else "; see them with --json"))
    if wrote and result.output is not None:
        out.print(f"[green]wrote[/] {result.output}")


def presets_table(out: Console, rows: list[tuple[str, str]]) -> None:
    """``kactier presets``: one line per preset."""
    table = Table(show_header=False, show_edge=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, description in rows:
        table.add_row(name, description)
    out.print(table)


def error_line(out: Console, message: str) -> None:
    """One actionable error line on stderr."""
    out.print(f"[bold red]kactier: error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
