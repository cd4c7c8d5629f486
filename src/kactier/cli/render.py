"""Everything kactier shows on a terminal, rendered with rich, in the input's language. Nothing else imports rich.

This module holds the console, the summary of ``score`` and ``validate`` (problems first, repeated notes folded),
the presets list and the error line; :mod:`.render_tables` holds the batch and history tables and the progress bar.
Every word comes from :func:`kactier.i18n.text` (the ``term.*`` keys of :mod:`kactier.i18n.terminal`).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..config.sheet_layout import OPTIONS
from ..errors import error_lang
from ..history.changes import REVIEW_RUN_ID
from ..i18n import Lang, localized, note_text, text, traditional
from ..pipeline.result import ScoreResult
from ..problems import IssueGroup, fold_issues, note_line, problem_lines
from ..validate.mapping import mapping_lines

_SHOWN_PROBLEMS = 8  # problem groups the score summary lists (validate lists every one)
_SHOWN_NOTES = 8  # note groups the summary lists
_SHOWN_RANGES = 8  # runs of rows per line in the score summary


def console(stream: TextIO) -> Console:
    """A console on ``stream``; colours and widths follow whether it is a terminal."""
    return Console(file=stream, highlight=False, soft_wrap=True)


def terminal_lang(requested: str) -> Lang:
    """The language of what the terminal shows before (or without) an input: ``--lang`` when given, else the
    locale's (:func:`~kactier.errors.environment_lang`: ``zh_TW``/``zh_HK`` Traditional, other ``zh*`` Chinese),
    else English."""
    return error_lang(requested)


def option_name(section: str, key: str, lang: Lang) -> str:
    """A config option's value (``manual``, ``thresholds``…) as the Config sheet names it in ``lang``."""
    names = OPTIONS.get(section, {}).get(key)
    if lang == "en" or not names:
        return key
    return traditional(names[0]) if lang == "zh-Hant" else names[0]


def score_summary(out: Console, result: ScoreResult, *, wrote: bool) -> None:
    """The summary after ``score`` or ``validate``: tiers, weights, notes, counts, problems, then notes on rows.

    ``validate`` (``wrote`` false) lists every problem, grouped by column; ``score`` lists the first few."""
    lang = result.lang
    config = result.config
    out.print(
        text(
            "term.head",
            lang,
            input=f"[bold]{escape(str(result.input))}[/]",
            sheet=f"[bold]{escape(result.sheet)}[/]",
            header_row=result.header_row,
            config=f"[bold]{escape(config.name)}[/]",
            weights=option_name("weights", config.weights, lang),
            tiers=option_name("method", config.tiers.method, lang),
        )
    )
    for line in mapping_lines(result.mappings, lang):
        out.print(escape(line))
    out.print(_tier_table(result))
    weights = text("term.row_sep", lang).join(
        f"{c.display(lang)} {result.weights[c.key]:.3f}" for c in config.criteria
    )
    method = option_name("weights", config.weights, lang)
    out.print(escape(text("term.weights_used", lang, method=method, weights=weights)))
    if result.provisional or result.overridden:
        out.print(
            text("term.provisional", lang, provisional=result.provisional, overridden=result.overridden)
        )
    for note in result.notes:
        out.print(f"[yellow]{escape(text('term.note', lang, note=note_text(note, lang)))}[/]")
    out.print(
        text(
            "term.rows",
            lang,
            read=result.rows_read,
            graded=result.rows_scored,
            invalid=result.rows_invalid,
            skipped=result.rows_skipped,
            issues=len(result.issues),
        )
    )
    _issues(out, result, wrote=wrote)
    if result.changes is not None:
        changes = changes_text(result.changes.counts(), lang)
        previous = result.changes.previous
        if previous.id == REVIEW_RUN_ID:  # a graded workbook scored again: against the tiers it carried
            out.print(text("term.since_review", lang, name=previous.input_name, changes=changes))
        else:
            out.print(text("term.since_run", lang, run=previous.id, changes=changes))
    if wrote and result.output is not None:
        out.print(f"[green]{escape(text('term.wrote', lang))}[/] {escape(str(result.output))}")


def _tier_table(result: ScoreResult) -> Table:
    lang = result.lang
    graded = sum(result.tier_counts.values())
    table = Table(show_edge=False, pad_edge=False)
    for key, justify in (("tier", "center"), ("customers", "right"), ("share", "right"), ("action", "left")):
        table.add_column(text(key, lang), justify=justify)  # type: ignore[arg-type]
    for level in result.config.tiers.levels:
        count = result.tier_counts[level.label]
        share = f"{count / graded:.1%}" if graded else "–"
        table.add_row(
            f"[bold]{escape(level.label)}[/]", str(count), share, escape(localized(level.action, lang))
        )
    return table


def _issues(out: Console, result: ScoreResult, *, wrote: bool) -> None:
    """Problems (grouped by column, with what to do) before notes (folded: one line per code and column)."""
    lang = result.lang
    groups = fold_issues(result.issues)
    problems = [g for g in groups if g.problem]
    notes = [g for g in groups if not g.problem]
    everything = not wrote  # validate: every problem, every row
    if result.rows_scored == 0 and problems:
        out.print(f"[bold red]{escape(text('term.nothing_graded', lang))}[/]")
    if problems:
        shown = problems if everything else problems[:_SHOWN_PROBLEMS]
        out.print(f"[red]{escape(text('term.problems', lang, count=_count(problems)))}[/]")
        for line in problem_lines(shown, lang, None if everything else _SHOWN_RANGES):
            out.print(escape(line))
        _more(out, lang, len(problems) - len(shown), wrote)
    if notes:
        shown = notes[:_SHOWN_NOTES]
        out.print(f"[yellow]{escape(text('term.notes', lang, count=_count(notes)))}[/]")
        for group in shown:
            out.print(escape(note_line(group, lang, _SHOWN_RANGES)))
        _more(out, lang, len(notes) - len(shown), wrote)


def _count(groups: list[IssueGroup]) -> int:
    return sum(len(g.issues) for g in groups)


def _more(out: Console, lang: Lang, hidden: int, wrote: bool) -> None:
    if hidden > 0:
        key = "term.more_in_sheet" if wrote else "term.more_in_json"
        out.print("  " + escape(text(key, lang, count=hidden)))


def changes_text(changes: dict[str, int], lang: Lang) -> str:
    """The tier changes since the previous run, the kinds that happened: "2 up · 1 new" / "升级 2 · 新增 1"."""
    shown = ("up", "down", "new", "not_graded", "gone", "unchanged")
    return " · ".join(
        text("term.change_count", lang, label=text(f"change_{key}", lang).lower(), count=changes[key])
        for key in shown
        if changes.get(key)
    )


def presets_table(out: Console, rows: list[tuple[str, str]]) -> None:
    """``kactier presets``: one line per preset (its name, and its description in the language asked for)."""
    width = max((len(name) for name, _ in rows), default=0)
    for name, description in rows:
        out.print(f"[bold]{escape(name)}[/]{' ' * (width - len(name))}  {escape(description)}")


def wrote_line(out: Console, lang: Lang, target: object) -> None:
    """``kactier template``: where the template went and how to grade it once filled in."""
    out.print(escape(text("term.template_wrote", lang, target=target)))


def error_line(out: Console, message: str, lang: Lang = "en") -> None:
    """One actionable error line on stderr (an indented list may follow on the next lines)."""
    out.print(f"[bold red]{escape(text('term.error', lang))}[/] {escape(message)}")
