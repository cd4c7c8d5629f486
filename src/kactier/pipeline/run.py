"""The main job: read → validate → score → grade → write, as one call.

:func:`score_workbook` is what ``kactier score`` and ``kactier validate`` run, and what Python callers use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..config.models import Config, load_config_file, load_preset
from ..config.sheet import read_config_sheet
from ..errors import DataError, ExitCode, KactierError, OutputExistsError
from ..history.store import NewRun, changes_since_previous, config_fingerprint, open_history, record_grades
from ..i18n import Lang
from ..orders.book import (
    DEFAULT_WINDOW_MONTHS,
    ORDERS_PRESET,
    OrderBook,
    read_order_sheet,
    reject_order_sheet,
)
from ..problems import RowIssue
from ..read.workbook import check_input, read_customer_sheet
from ..report.orders_sheet import OrderKpis, order_facts, order_kpis, write_orders_sheet
from ..report.workbook import Report, write_report
from ..scoring.engine import Scores, score_customers
from ..tiering.grade import Grades, grade_customers
from ..validate.rows import CustomerTable, validate_rows
from ..version import __version__

DEFAULT_PRESET = "key-account"
Progress = Callable[[str], None]  # called with each stage: read, validate, score, grade, write, history


class InputChangedError(KactierError):
    """The input changed while it was read: it is probably still being copied or saved."""

    exit_code = ExitCode.TEMPORARY


@dataclass(slots=True)
class ScoreResult:
    """What a run did: counts, tiers, problems and where the output went."""

    input: Path
    output: Path | None
    sha256: str
    sheet: str
    header_row: int
    lang: Lang
    config: Config
    rows_read: int
    rows_scored: int
    rows_invalid: int
    rows_skipped: int
    tier_counts: dict[str, int]
    weights: dict[str, float]
    issues: list[RowIssue]
    provisional: int = 0
    overridden: int = 0
    warnings: list[str] = field(default_factory=list)
    config_source: str = ""  # where the config came from: a --config file, the Config sheet or a preset
    exit_code: ExitCode = ExitCode.OK
    changes: dict[str, Any] | None = None  # against the previous run in the history database
    history_run: int | None = None  # the id this run was recorded under
    orders: dict[str, Any] | None = None  # --orders: the order lines reconciled, the window and the KPIs
    lines_invalid: int = 0  # --orders: order lines that cannot be counted

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` summary object."""
        return {
            "input": str(self.input),
            "output": str(self.output) if self.output else None,
            "sha256": self.sha256,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "config": self.config.name,
            "rows": {
                "read": self.rows_read,
                "scored": self.rows_scored,
                "invalid": self.rows_invalid,
                "skipped": self.rows_skipped,
            },
            "tier_counts": self.tier_counts,
            "provisional": self.provisional,
            "overridden": self.overridden,
            "weights": self.weights,
            "issues": len(self.issues),
            "exit_code": int(self.exit_code),
            "warnings": self.warnings,
            "config_source": self.config_source,
            "changes": self.changes,
            "history_run": self.history_run,
            "orders": self.orders,
        }


def default_output(input_path: Path) -> Path:
    """``<input stem>.tiered.xlsx`` beside the input."""
    return input_path.with_name(f"{input_path.stem}.tiered.xlsx")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_config(config_path: Path | None, preset: str | None) -> Config:
    """``--config`` wins over ``--preset``; the default is the key-account preset."""
    if config_path is not None:
        return load_config_file(config_path)
    return load_preset(preset or DEFAULT_PRESET)


def choose_config(
    input_path: Path,
    config: Config | None,
    preset: str | None,
    default: str = DEFAULT_PRESET,
    *,
    password: str | None = None,
) -> tuple[Config, str, list[str]]:
    """The config of a run, where it came from, and notes for the result.

    Precedence: ``config`` (from ``--config``) > the workbook's Config sheet (configsheet) > ``preset`` > the
    ``default`` preset. A Config sheet beside an explicit ``preset`` wins, with a note saying the preset was not used.
    """
    if config is not None:
        return config, f"config {config.name!r}", []
    found = read_config_sheet(input_path, password=password)
    if found is None:
        name = preset or default
        return load_preset(name), f"preset {name}", []
    notes = [f"config: the workbook's Config sheet {found.sheet!r}"]
    if preset is not None:
        load_preset(preset)  # an unknown name is still an error, even when it would not be used
        notes.append(
            f"--preset {preset} was not used: the workbook's Config sheet {found.sheet!r} wins over a preset; "
            "pass --config FILE to grade with other rules"
        )
    return found.config, f"sheet {found.sheet}", notes


def score_workbook(
    input_path: Path,
    output: Path | None = None,
    *,
    config: Config | None = None,
    preset: str | None = None,
    sheet: str | None = None,
    lang: str = "auto",
    force: bool = False,
    strict: bool = False,
    write: bool = True,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
    history: Path | None = None,
    progress: Progress | None = None,
    orders: bool = False,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    password: str | None = None,
) -> ScoreResult:
    """Grade the customers of ``input_path`` and (with ``write``) write the annotated workbook.

    Raises a :class:`~kactier.errors.KactierError` for problems that stop the run; row problems are in
    ``result.issues``. With ``strict``, any row that cannot be graded stops the run before anything is written.
    ``as_of`` (default: today) dates provisional marks and follow-ups. ``now`` (the run time) goes only into the
    document properties and the history, never into a cell. With ``history`` (an SQLite file, created when
    missing) the output shows what changed since the previous run, and this run is recorded after the output is
    written. ``progress`` is called with the name of each stage as it starts. With ``orders`` the input holds
    order lines, totalled per customer over the ``window_months`` months ending at ``as_of`` (default: the last
    order date, which then also dates provisional marks and follow-ups); see :mod:`kactier.orders`.
    The config is ``config`` when given, else the workbook's Config sheet, else ``preset``, else the default
    preset (:func:`choose_config`). ``password`` opens a password-protected input and encrypts the output.
    """
    now = now or dt.datetime.now().astimezone()
    step = progress or _no_progress
    target = (output or default_output(input_path)) if write else None
    if target is not None:
        _check_target(input_path, target, force)
    stamp = _stamp(input_path)
    step("read")
    book: OrderBook | None = None
    if orders:
        book = read_order_sheet(
            input_path, sheet, as_of=as_of, window_months=window_months, lang=lang, password=password
        )
        raw, as_of = book.source, book.window.as_of
    else:
        raw = read_customer_sheet(input_path, sheet, password=password)
        reject_order_sheet(raw)
    config, config_source, config_notes = choose_config(
        input_path, config, preset, ORDERS_PRESET if orders else DEFAULT_PRESET, password=password
    )
    step("validate")
    table = validate_rows(raw, config, lang) if book is None else book.customer_table(config)
    step("score")
    scores = score_customers(table, config)
    step("grade")
    grades = grade_customers(table, scores, config, as_of or now.date())
    result = _result(input_path, target, table, scores, grades, config)
    result.config_source = config_source
    result.warnings += config_notes
    kpis = None if book is None else _adopt_orders(result, book, table, grades, config)
    where = f"{input_path}: sheet {raw.sheet!r}"
    if strict and book is not None and book.counts.invalid:
        raise DataError(
            f"{where}: {book.counts.invalid} order line(s) cannot be counted (--strict); "
            f"run `kactier validate {input_path} --orders` to list them, fix them and re-run"
        )
    if result.rows_scored == 0:
        raise DataError(f"{where}: no row could be graded; run `kactier validate {input_path}` to see why")
    if strict and result.rows_invalid:
        raise DataError(
            f"{where}: {result.rows_invalid} row(s) cannot be graded (--strict); "
            f"run `kactier validate {input_path}` to list them, fix them and re-run"
        )
    if target is not None:
        modified = dt.datetime.fromtimestamp(input_path.stat().st_mtime).astimezone()
        facts = _facts(result, grades.as_of, modified) + (order_facts(book) if book is not None else [])
        store = open_history(history) if history is not None else None
        try:
            changes = None
            if store is not None:
                name, sha = input_path.name, result.sha256
                changes = changes_since_previous(store, name, sha, table, scores, grades, config)
            config_facts = _config_facts(result, modified)
            report = Report(
                table,
                scores,
                grades,
                config,
                facts,
                config_facts,
                changes=changes,
                run_time=now,
                extra_kpis=kpis.rows(result.lang) if kpis is not None else (),
                extra_sheets=(partial(write_orders_sheet, orders=book),) if book is not None else (),
            )
            if _stamp(input_path) != stamp:
                raise InputChangedError(
                    f"{input_path}: changed while it was read (still being copied or saved?); "
                    "nothing was written, re-run when it is complete"
                )
            step("write")
            write_report(target, report, force=force, password=password)
            if store is not None:
                step("history")
                run = NewRun(
                    input_path.name,
                    result.sha256,
                    config.name,
                    config_fingerprint(config),
                    tuple(result.tier_counts),
                    grades.as_of,
                    now,
                    __version__,
                    modified,
                )
                result.history_run, recorded = record_grades(store, run, table, scores, grades, config)
                if not recorded:
                    result.warnings.append(
                        f"history: same input, config and as-of date as run #{result.history_run}; not recorded again"
                    )
            result.changes = changes.as_json() if changes is not None else None
        finally:
            if store is not None:
                store.close()
    return result


def _adopt_orders(
    result: ScoreResult, book: OrderBook, table: CustomerTable, grades: Grades, config: Config
) -> OrderKpis:
    """An --orders result names the order sheet, notes the window and lines, and carries the KPIs."""
    levels = config.tiers.levels
    kpis = order_kpis(book.customers.iloc[table.row_indexes], grades.tier, len(levels), book.window)
    result.sheet, result.header_row = book.source.sheet, book.source.header_row
    result.lines_invalid = book.counts.invalid
    counts, window = book.counts, book.window
    result.warnings[0] = f"header row {book.source.header_row} of sheet {book.source.sheet!r}"
    result.warnings += [
        *book.notes,
        f"orders: window {window.first_day} to {window.as_of} ({window.months} months); lines: {counts.read} read, "
        f"{counts.in_window} in the window, {counts.before_window} before it, {counts.after_as_of} after the "
        f"as-of date, {counts.invalid} invalid, {counts.skipped} not data; {len(book.customers)} customers",
    ]
    result.orders = {**book.as_json(), "kpis": kpis.as_json([level.label for level in levels])}
    return kpis


def _no_progress(stage: str) -> None:
    return None


def _stamp(path: Path) -> tuple[int, int] | None:
    """Size and modification time, to notice an input that changes while it is read."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _check_target(input_path: Path, target: Path, force: bool) -> None:
    check_input(input_path)  # a missing input is the first thing to say, before anything about the output
    if target.is_dir():
        raise OutputExistsError(
            f"{target}: is a folder; give a file name with -o, such as {target / 'out.xlsx'}"
        )
    if target.resolve() == input_path.resolve():
        raise OutputExistsError(
            f"{target}: is the input itself; kactier never writes its input, choose another -o"
        )
    if target.exists() and not force:
        raise OutputExistsError(
            f"{target}: already exists; use --force to replace it or -o to choose another name"
        )
    if not target.parent.is_dir():
        raise OutputExistsError(
            f"{target}: the folder {target.parent} does not exist; create it or choose another -o"
        )


def _result(
    input_path: Path,
    target: Path | None,
    table: CustomerTable,
    scores: Scores,
    grades: Grades,
    config: Config,
) -> ScoreResult:
    raw = table.raw
    graded = int(scores.graded.sum())
    levels = config.tiers.levels
    counts = grades.counts(len(levels))
    warnings = [f"header row {raw.header_row} of sheet {raw.sheet!r}", *scores.notes]
    if grades.limits:
        warnings.append("computed ABC value limits: " + ", ".join(f"{x:g}" for x in grades.limits))
    return ScoreResult(
        input=input_path,
        output=target,
        sha256=file_sha256(input_path),
        sheet=raw.sheet,
        header_row=raw.header_row,
        lang=table.lang,
        config=config,
        rows_read=len(raw.rows),
        rows_scored=graded,
        rows_invalid=len(table.row_indexes) - graded,
        rows_skipped=len(raw.rows) - len(table.row_indexes),
        tier_counts={level.label: n for level, n in zip(levels, counts, strict=True)},
        weights=scores.weights,
        issues=sorted(
            [*table.issues, *scores.issues, *grades.issues], key=lambda i: (i.row or 0, i.column or "")
        ),
        provisional=int(grades.provisional.sum()),
        overridden=int(grades.overridden.sum()),
        warnings=warnings,
    )


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
