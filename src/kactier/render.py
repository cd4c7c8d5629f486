"""Everything kactier shows on a terminal, rendered with rich. Nothing else imports rich."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape
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
        f"[bold]{escape(str(result.input))}[/] · sheet [bold]{escape(result.sheet)}[/] · "
        f"header row {result.header_row} · config [bold]{escape(config.name)}[/] · weights {config.weights} · "
        f"tiers {config.tiers.method}"
    )
    table = Table(show_edge=False, pad_edge=False)
    for key, justify in (("tier", "center"), ("customers", "right"), ("share", "right"), ("action", "left")):
        table.add_column(text(key, lang), justify=justify)  # type: ignore[arg-type]
    for level in config.tiers.levels:
        count = result.tier_counts[level.label]
        share = f"{count / graded:.1%}" if graded else "–"
        table.add_row(
            f"[bold]{escape(level.label)}[/]", str(count), share, escape(localized(level.action, lang))
        )
    out.print(table)
    weights = ", ".join(f"{c.display(lang)} {result.weights[c.key]:.3f}" for c in config.criteria)
    out.print(f"weights used ({config.weights}): {escape(weights)}")
    if result.provisional or result.overridden:
        out.print(f"provisional: {result.provisional} · overridden: {result.overridden}")
    for warning in result.warnings[1:]:
        out.print(f"[yellow]note:[/] {escape(warning)}")
    out.print(
        f"rows: {result.rows_read} read · {result.rows_scored} graded · {result.rows_invalid} not graded · "
        f"{result.rows_skipped} skipped · {len(result.issues)} issue(s)"
    )
    for issue in result.issues[:_SHOWN_ISSUES]:
        where = f"row {issue.row}" if issue.row is not None else "sheet"
        column = f", {issue.column}" if issue.column else ""
        message = f"{issue.message(lang)} ({issue.action_text(lang)})"
        out.print(f"  [yellow]{escape(where + column)}[/]: {escape(message)}")
    if len(result.issues) > _SHOWN_ISSUES:
        more = len(result.issues) - _SHOWN_ISSUES
        out.print(f"  … {more} more" + (" in the Issues sheet" if wrote else "; see them with --json"))
    if wrote and result.output is not None:
        out.print(f"[green]wrote[/] {escape(str(result.output))}")


def presets_table(out: Console, rows: list[tuple[str, str]]) -> None:
    """``kactier presets``: one line per preset."""
    width = max((len(name) for name, _ in rows), default=0)
    for name, description in rows:
        out.print(f"[bold]{escape(name)}[/]{' ' * (width - len(name))}  {escape(description)}")


def error_line(out: Console, message: str) -> None:
    """One actionable error line on stderr."""
    out.print(f"[bold red]kactier: error:[/] {escape(message)}")
