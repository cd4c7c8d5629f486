"""The write step: the report workbook, written atomically, and the run recorded in the tier history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from ..config.models import Config
from ..errors import InputChangedError, OutputExistsError
from ..excel import MAX_DATA_ROWS
from ..history.changes import TierChanges, changes_since_previous
from ..history.records import NewRun
from ..history.store import HistoryStore, config_fingerprint, open_history, record_grades
from ..history.trends import trend_since
from ..i18n import Note
from ..report.explain_columns import Explained
from ..report.model import Report
from ..report.order_kpis import order_facts
from ..report.orders_sheet import write_order_lines, write_orders_sheet
from ..report.workbook import write_report
from ..scoring.engine import Scores
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from ..version import __version__
from .inputs import InputRead, input_stamp, inputs_stamp
from .options import RunOptions
from .result import ScoreResult
from .warning import early_warning


@dataclass(frozen=True, slots=True)
class GradedRun:
    """Everything the validate, score and grade steps made of one input."""

    source: InputRead
    table: CustomerTable
    scores: Scores
    grades: Grades
    config: Config
    review: TierChanges | None = None  # a graded workbook scored again: against the tiers it carried
    extra: Explained | None = None  # the explanation, and stability with --stability


def write_output(
    target: Path, result: ScoreResult, graded: GradedRun, options: RunOptions, now: dt.datetime
) -> None:
    """Write the report to ``target`` (and, with ``options.history``, compare with and record in the history).

    An input that changed since the read step began (still being copied or saved) is not written from.
    """
    input_path = result.input
    stamp = _stamp_now(result)  # a folder or glob of order parts, or several inputs: the latest one's
    modified = dt.datetime.fromtimestamp(stamp[1] / 1e9 if stamp else now.timestamp()).astimezone()
    store = open_history(options.history) if options.history is not None else None
    try:
        changes = trend = None
        if store is not None:
            changes = changes_since_previous(store, input_path.name, result.sha256, graded)
            trend = trend_since(store, input_path.name, result.sha256, graded)
        if graded.review is not None:  # the tiers the reviewed workbook carried are the closer "before"
            changes = graded.review
        rows_file = _files_beside(target, graded, options.force)
        report = _report(result, graded, changes, modified, now, rows_file)
        report = replace(
            report, trend=trend, at_risk=early_warning(graded, trend, graded.config.prediction.at_risk_below)
        )
        book = graded.source.book
        if _stamp_now(result) != graded.source.stamp:
            raise InputChangedError("input.changed", path=input_path)
        step = options.progress
        if step is not None:
            step("write")
        if book is not None and book.lines_files:
            write_order_lines(book)
        write_report(target, report, force=options.force, password=options.password, smaller=options.smaller)
        if store is not None:
            if step is not None:
                step("history")
            _record(store, input_path, result, graded, now, modified)
        result.changes = changes
    finally:
        if store is not None:
            store.close()


def _stamp_now(result: ScoreResult) -> tuple[int, int] | None:
    """The input's size and modification time as they are now (of several inputs: their total and latest)."""
    return inputs_stamp(result.inputs) if result.inputs else input_stamp(result.input)


def _files_beside(target: Path, graded: GradedRun, force: bool) -> Path | None:
    """What no sheet holds goes to files beside the workbook ``target``: order lines beyond the Orders sheet (set
    as the book's ``lines_files``) and customers beyond the data sheet (the path returned). They are replaced
    only as the workbook is, with ``force``."""
    book = graded.source.book
    if book is not None and not book.fits_a_sheet:
        stem = target.with_suffix("")
        book.lines_files = [stem.with_name(f"{stem.name}.order-lines{s}") for s in (".parquet", ".csv")]
    rows_file = target.with_suffix(".parquet") if len(graded.table.row_indexes) > MAX_DATA_ROWS else None
    for path in [*(book.lines_files if book is not None else []), *([rows_file] if rows_file else [])]:
        if path.exists() and not force:
            raise OutputExistsError("output.exists", path=path)
    return rows_file


def _report(
    result: ScoreResult,
    graded: GradedRun,
    changes: TierChanges | None,
    modified: dt.datetime,
    now: dt.datetime,
    rows_file: Path | None,
) -> Report:
    book = graded.source.book
    facts = _facts(result, graded.grades.as_of, modified) + (order_facts(book) if book is not None else [])
    if rows_file is not None:
        facts.append(("rows_file", rows_file.name))
    return Report(
        graded.table,
        graded.scores,
        graded.grades,
        graded.config,
        facts,
        _config_facts(result, modified),
        changes=changes,
        run_time=now,
        listed=result.issues if graded.source.together is not None else None,
        extra_kpis=result.orders.kpis.rows(result.lang) if result.orders is not None else (),
        extra_sheets=(partial(write_orders_sheet, orders=book),)
        if book is not None and book.fits_a_sheet
        else (),
        rows_file=rows_file,
        extra=graded.extra,
    )


def _record(
    store: HistoryStore,
    input_path: Path,
    result: ScoreResult,
    graded: GradedRun,
    now: dt.datetime,
    modified: dt.datetime,
) -> None:
    config = graded.config
    run = NewRun(
        input_path.name,
        result.sha256,
        config.name,
        config_fingerprint(config),
        tuple(result.tier_counts),
        graded.grades.as_of,
        now,
        __version__,
        modified,
    )
    result.history_run, recorded = record_grades(
        store, run, graded.table, graded.scores, graded.grades, config
    )
    if not recorded:
        result.notes.append(Note("note.history_same", run=result.history_run))


def _facts(result: ScoreResult, as_of: dt.date, modified: dt.datetime) -> list[tuple[str, Any]]:
    return [
        ("input_file", result.input.name),
        ("sheet", result.sheet),
        ("header_row", result.header_row),
        ("config_name", result.config.name),
        ("rows_read", result.rows_read),
        ("rows_scored", result.rows_scored),
        ("rows_invalid", result.rows_invalid),
        ("rows_skipped", result.rows_skipped),
        ("issues_count", len(result.issues)),
        ("as_of", as_of.isoformat()),
        ("input_modified", modified.strftime("%Y-%m-%d %H:%M:%S %z")),
    ]


def _config_facts(result: ScoreResult, modified: dt.datetime) -> list[tuple[str, Any]]:
    # The input's modification time, not the run time: re-running on an unchanged input gives the same cells.
    return [
        ("input_file", result.input.name),
        ("sha256", result.sha256),
        ("config_source", result.config_source),
        ("version", __version__),
        ("input_modified", modified.strftime("%Y-%m-%d %H:%M:%S %z")),
    ]
