"""The batch and history tables and the progress bar, in the language of the inputs (see :mod:`.render`)."""

from __future__ import annotations

import contextlib
from collections import Counter
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

from ..fields import has_cjk
from ..history.records import HistoryEntry
from ..i18n import Lang, is_traditional, text
from ..pipeline.batch import BatchResult
from .render import changes_text, console, terminal_lang

_LOG_WIDTH = 1000  # the width tables may take when the output is not a terminal
_STAGES = ("read", "validate", "score", "grade", "write", "history")


def batch_lang(result: BatchResult, requested: str) -> Lang:
    """``--lang`` when given; else the language most of the graded inputs are in; else the locale's."""
    if requested in ("zh", "en"):
        return terminal_lang(requested)
    found = Counter(f.result.lang for f in result.files if f.result is not None)
    return found.most_common(1)[0][0] if found else terminal_lang(requested)


def batch_summary(out: Console, result: BatchResult, lang: Lang = "en") -> None:
    """``kactier batch``: one line per input, then the totals."""
    table = Table(show_edge=False, pad_edge=False)
    for header in ("input", "result", "graded", "tiers", "changes", "output"):
        table.add_column(
            text(f"term.batch.{header}", lang), overflow="fold"
        )  # paths whole, for logs and copy-paste
    for outcome in result.files:
        scored = outcome.result
        if scored is None:
            code = escape(text("term.batch.exit", lang, code=int(outcome.exit_code)))
            table.add_row(escape(str(outcome.input)), f"[red]{code}[/]", "", "", "", "")
            continue
        tiers = " ".join(f"{label} {n}" for label, n in scored.tier_counts.items())
        changes = (
            changes_text(scored.changes.counts(), lang)
            if scored.changes is not None
            else text("term.batch.first_run", lang)
        )
        table.add_row(
            escape(str(outcome.input)),
            f"[green]{escape(text('term.batch.ok', lang))}[/]",
            str(scored.rows_scored),
            escape(tiers),
            escape(changes),
            escape(str(outcome.output)),
        )
    print_wide(out, table)
    failed = sum(1 for f in result.files if f.exit_code)
    totals = text(
        "term.batch.totals",
        lang,
        ok=len(result.files) - failed,
        failed=failed,
        skipped=len(result.skipped),
        history=result.history,
    )
    out.print(escape(totals))


def history_lang(entries: list[HistoryEntry], requested: str = "auto") -> Lang:
    """``--lang`` when given; else Chinese when the recorded runs are (a Chinese customer name, input name or tier
    label), in the script they use; else the locale's language."""
    if requested in ("zh", "en"):
        return terminal_lang(requested)
    words = [
        w
        for e in entries
        for w in (e.customer_name, e.run.input_name, *e.run.tier_labels)
        if isinstance(w, str) and has_cjk(w)
    ]
    if words:
        return "zh-Hant" if is_traditional(words) else "zh"
    return terminal_lang(requested)


def history_table(out: Console, customer_id: str, entries: list[HistoryEntry], lang: Lang = "en") -> None:
    """``kactier history``: the customer's runs, oldest first, with the move from the run before."""
    name = next((e.customer_name for e in reversed(entries) if e.customer_name), None)
    out.print(f"[bold]{escape(customer_id)}[/]" + (f" {escape(name)}" if name else ""))
    table = Table(show_edge=False, pad_edge=False)
    for header, justify in (
        ("run", "right"),
        ("run_at", "left"),
        ("input", "left"),
        ("as_of", "left"),
        ("config", "left"),
        ("score", "right"),
        ("tier", "center"),
        ("change", "left"),
    ):
        table.add_column(text(f"term.history.{header}", lang), justify=justify, overflow="fold")  # type: ignore[arg-type]
    before: HistoryEntry | None = None
    for entry in entries:
        run = entry.run
        if not entry.present:
            tier, score, change = "–", "", text("term.history.not_in_input", lang)
        elif entry.tier is None:
            tier, score, change = "–", "", text("term.history.not_graded", lang)
        else:
            tier, score = entry.tier, f"{entry.score:g}" if entry.score is not None else ""
            move = _move(before, entry)
            change = text(f"term.history.{move}", lang) if move else ""
        table.add_row(
            str(run.id),
            run.run_at[:16].replace("T", " "),
            escape(run.input_name),
            run.as_of,
            escape(run.config_name),
            score,
            escape(tier),
            escape(change),
        )
        if entry.present and entry.tier is not None:
            before = entry
    print_wide(out, table)


def print_wide(out: Console, table: Table) -> None:
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
    """A transient progress bar on a terminal: files done (batch) and the stage of the current file.

    The bar starts before any input is read, so it speaks ``--lang`` when given, else the locale's language."""

    def __init__(self, progress: Progress, lang: Lang = "en") -> None:
        self._progress = progress
        self._lang = lang
        self._task = progress.add_task(text("term.progress.starting", lang), total=None)
        self._file = ""

    def file(self, done: int, total: int, path: Path) -> None:
        """A batch reached its file ``done`` of ``total``: ``path`` starts now."""
        self._file = path.name if done < total else ""
        description = self._file or text("term.progress.done", self._lang)
        self._progress.update(self._task, total=total, completed=done, description=escape(description))

    def stage(self, stage: str) -> None:
        """The current file entered ``stage`` (read, validate, score, grade, write, history)."""
        word = text(f"term.progress.{stage}", self._lang) if stage in _STAGES else stage
        self._progress.update(
            self._task, description=escape(f"{self._file} · {word}" if self._file else word)
        )


@contextlib.contextmanager
def progress_display(
    stream: TextIO, *, enabled: bool, lang: str = "auto"
) -> Iterator[ProgressDisplay | None]:
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
        yield ProgressDisplay(progress, terminal_lang(lang))
