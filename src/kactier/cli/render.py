"""Everything kactier shows on a terminal, rendered with rich. Nothing else imports rich."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ..history.records import HistoryEntry
from ..i18n import localized, text
from ..pipeline.batch import BatchResult
from ..pipeline.result import ScoreResult

_SHOWN_ISSUES = 8
_LOG_WIDTH = 1000  # the width tables may take when the output is not a terminal
_STAGES = {
    "read": "reading",
    "validate": "validating",
    "score": "scoring",
    "grade": "grading",
    "write": "writing",
    "history": "recording history",
}


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
    for warning in result.notes:
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
    if result.changes is not None:
        out.print(f"since run #{result.changes.previous.id}: {_changes_text(result.changes.counts())}")
    if wrote and result.output is not None:
        out.print(f"[green]wrote[/] {escape(str(result.output))}")


def _changes_text(changes: dict[str, int]) -> str:
    shown = ("up", "down", "new", "not_graded", "gone", "unchanged")
    return " · ".join(f"{changes[key]} {key.replace('_', ' ')}" for key in shown if changes.get(key))


def batch_summary(out: Console, result: BatchResult) -> None:
    """``kactier batch``: one line per input, then the totals."""
    table = Table(show_edge=False, pad_edge=False)
    for header in ("input", "result", "graded", "tiers", "changes", "output"):
        table.add_column(header, overflow="fold")  # paths whole, for logs and copy-paste
    for outcome in result.files:
        scored = outcome.result
        if scored is None:
            table.add_row(
                escape(str(outcome.input)), f"[red]exit {int(outcome.exit_code)}[/]", "", "", "", ""
            )
            continue
        tiers = " ".join(f"{label} {n}" for label, n in scored.tier_counts.items())
        changes = _changes_text(scored.changes.counts()) if scored.changes is not None else "first run"
        table.add_row(
            escape(str(outcome.input)),
            "[green]ok[/]",
            str(scored.rows_scored),
            escape(tiers),
            changes,
            escape(str(outcome.output)),
        )
    _print_wide(out, table)
    failed = sum(1 for f in result.files if f.exit_code)
    out.print(
        f"{len(result.files) - failed} ok · {failed} failed · {len(result.skipped)} skipped · "
        f"history {escape(str(result.history))}"
    )


def history_table(out: Console, customer_id: str, entries: list[HistoryEntry]) -> None:
    """``kactier history``: the customer's runs, oldest first, with the move from the run before."""
    name = next((e.customer_name for e in reversed(entries) if e.customer_name), None)
    out.print(f"[bold]{escape(customer_id)}[/]" + (f" {escape(name)}" if name else ""))
    table = Table(show_edge=False, pad_edge=False)
    for header, justify in (
        ("run", "right"),
        ("run at", "left"),
        ("input", "left"),
        ("as of", "left"),
        ("config", "left"),
        ("score", "right"),
        ("tier", "center"),
        ("change", "left"),
    ):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    before: HistoryEntry | None = None
    for entry in entries:
        run = entry.run
        if not entry.present:
            tier, score, change = "–", "", "not in input"
        elif entry.tier is None:
            tier, score, change = "–", "", "not graded"
        else:
            tier, score = entry.tier, f"{entry.score:g}" if entry.score is not None else ""
            change = _move(before, entry)
        table.add_row(
            str(run.id),
            run.run_at[:16].replace("T", " "),
            escape(run.input_name),
            run.as_of,
            escape(run.config_name),
            score,
            escape(tier),
            change,
        )
        if entry.present and entry.tier is not None:
            before = entry
    _print_wide(out, table)


def _print_wide(out: Console, table: Table) -> None:
    """On a terminal, fit the screen; in a log or pipe, never fold a path or a date."""
    wide = (
        out if out.is_terminal else Console(file=out.file, highlight=False, soft_wrap=True, width=_LOG_WIDTH)
    )
    wide.print(table)


def _move(before: HistoryEntry | None, now: HistoryEntry) -> str:
    if before is None or before.tier is None or now.tier is None:
        return "new" if before is None else ""
    labels = now.run.tier_labels
    if before.tier not in labels or now.tier not in labels or before.run.tier_labels != labels:
        return ""
    step = labels.index(before.tier) - labels.index(now.tier)
    return "up" if step > 0 else "down" if step < 0 else "unchanged"


class ProgressDisplay:
    """A transient progress bar on a terminal: files done (batch) and the stage of the current file."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("starting", total=None)
        self._file = ""

    def file(self, done: int, total: int, path: Path) -> None:
        """A batch reached its file ``done`` of ``total``: ``path`` starts now."""
        self._file = path.name if done < total else ""
        self._progress.update(
            self._task, total=total, completed=done, description=escape(self._file or "done")
        )

    def stage(self, stage: str) -> None:
        """The current file entered ``stage`` (read, validate, score, grade, write, history)."""
        word = _STAGES.get(stage, stage)
        self._progress.update(
            self._task, description=escape(f"{self._file} · {word}" if self._file else word)
        )


@contextlib.contextmanager
def progress_display(stream: TextIO, *, enabled: bool) -> Iterator[ProgressDisplay | None]:
    """A :class:`ProgressDisplay` on ``stream`` while the block runs, or None when not ``enabled``."""
    if not enabled:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console(stream), transient=True) as progress:
        yield ProgressDisplay(progress)


def presets_table(out: Console, rows: list[tuple[str, str]]) -> None:
    """``kactier presets``: one line per preset."""
    width = max((len(name) for name, _ in rows), default=0)
    for name, description in rows:
        out.print(f"[bold]{escape(name)}[/]{' ' * (width - len(name))}  {escape(description)}")


def error_line(out: Console, message: str) -> None:
    """One actionable error line on stderr."""
    out.print(f"[bold red]kactier: error:[/] {escape(message)}")
