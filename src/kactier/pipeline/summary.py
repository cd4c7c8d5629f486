"""The result of a run, put together from what each step found."""

from __future__ import annotations

from pathlib import Path

from ..config.precedence import ChosenConfig
from ..i18n import Note
from ..problems import sheet_order
from ..report.order_kpis import order_kpis
from ..tiering.computed_abc import limit_text
from .inputs import InputRead, file_sha256
from .output import GradedRun
from .result import OrdersOutcome, ScoreResult
from .together import inputs_sha256


def run_result(
    input_path: Path, target: Path | None, source: InputRead, graded: GradedRun, chosen: ChosenConfig
) -> ScoreResult:
    """Counts, tiers, weights, problems (in sheet order) and notes of a graded run."""
    table, scores, grades, config = graded.table, graded.scores, graded.grades, graded.config
    raw = table.raw
    levels = config.tiers.levels
    counts = grades.counts(len(levels))
    graded_rows = int(scores.graded.sum())
    notes = list(scores.notes)
    if grades.limits:
        notes.append(Note("note.abc_limits", limits=", ".join(limit_text(x) for x in grades.limits)))
    issues = sorted([*table.issues, *scores.issues, *grades.issues], key=sheet_order)
    if source.together is not None:  # several inputs: each row named by its file and its row there
        issues = sorted(map(source.together.origins.readdress, issues), key=sheet_order)
    result = ScoreResult(
        input=input_path,
        output=target,
        sha256=input_sha256(input_path, source),
        sheet=raw.sheet,
        header_row=raw.header_row,
        lang=table.lang,
        config=config,
        rows_read=len(raw.rows),
        rows_scored=graded_rows,
        rows_invalid=len(table.row_indexes) - graded_rows,
        rows_skipped=len(raw.rows) - len(table.row_indexes),
        tier_counts={level.label: n for level, n in zip(levels, counts, strict=True)},
        weights=scores.weights,
        issues=issues,
        provisional=int(grades.provisional.sum()),
        overridden=int(grades.overridden.sum()),
        notes=[*notes, *chosen.notes],
        config_source=chosen.source,
        mappings=table.mappings if source.book is None else [],  # --orders: the order sheet is mapped apart
        inputs=list(source.paths),
    )
    if source.book is not None:
        _adopt_orders(result, graded)
    return result


def _adopt_orders(result: ScoreResult, graded: GradedRun) -> None:
    """An --orders result names the order sheet, notes the window and lines, and carries the KPIs."""
    book = graded.source.book
    assert book is not None  # only called for an --orders run
    levels = graded.config.tiers.levels
    kpis = order_kpis(
        book.customers.iloc[graded.table.row_indexes], graded.grades.tier, len(levels), book.window
    )
    result.sheet, result.header_row = book.source.sheet, book.source.header_row
    counts, window = book.counts, book.window
    result.notes += [
        *book.notes,
        Note(
            "note.orders",
            first=window.first_day,
            as_of=window.as_of,
            months=window.months,
            read=counts.read,
            in_window=counts.in_window,
            before=counts.before_window,
            after=counts.after_as_of,
            invalid=counts.invalid,
            skipped=counts.skipped,
            customers=len(book.customers),
        ),
    ]
    result.orders = OrdersOutcome(book, kpis, tuple(level.label for level in levels))


def input_sha256(input_path: Path, source: InputRead) -> str:
    """The input's SHA-256; of several inputs graded together, :func:`~.together.inputs_sha256`."""
    if not source.paths:
        return file_sha256(input_path)
    return inputs_sha256(source.paths, [file_sha256(path) for path in source.paths])
