"""The main job: read → validate → score → grade → write, one function per step.

:func:`score_workbook` is what ``kactier score`` runs and :func:`validate_workbook` what ``kactier validate`` runs;
both are the Python API for a workbook on disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from ..config.precedence import DEFAULT_PRESET, ChosenConfig, choose_config
from ..errors import DataError, ExitCode, OutputExistsError
from ..orders.book import ORDERS_PRESET
from ..read.opening import check_input
from ..scoring.engine import score_customers
from ..tiering.grade import grade_customers
from ..validate.rows import validate_rows
from .inputs import InputRead, read_input
from .options import RunOptions
from .output import GradedRun, write_output
from .result import ScoreResult
from .summary import run_result


def default_output(input_path: Path) -> Path:
    """``<input stem>.tiered.xlsx`` beside the input."""
    return input_path.with_name(f"{input_path.stem}.tiered.xlsx")


def score_workbook(input_path: Path, options: RunOptions | None = None) -> ScoreResult:
    """Grade the customers of ``input_path`` and (unless ``options.write`` is off) write the annotated workbook.

    Raises a :class:`~kactier.errors.KactierError` for problems that stop the run; row problems are in
    ``result.issues``. See :class:`~kactier.pipeline.options.RunOptions` for every option.

    Example::

        result = score_workbook(Path("customers.xlsx"), RunOptions(preset="sales-abc"))
    """
    options = options or RunOptions()
    now = options.now or dt.datetime.now().astimezone()
    target = output_target(input_path, options)
    step = options.progress or _no_progress
    step("read")
    source = read_input(input_path, options)
    chosen = choose_config(
        options.config,
        source.config_sheet,
        options.preset,
        ORDERS_PRESET if options.orders else DEFAULT_PRESET,
    )
    graded = grade_input(source, chosen, options, now)
    result = run_result(input_path, target, source, graded, chosen)
    check_outcome(input_path, result, options)
    if target is not None:
        write_output(target, result, graded, options, now)
    return result


def validate_workbook(input_path: Path, options: RunOptions | None = None) -> ScoreResult:
    """Every check of :func:`score_workbook`, writing nothing; the exit code is 65 when a row cannot be graded
    (or, with ``orders``, an order line cannot be counted), else 0."""
    result = score_workbook(input_path, replace(options or RunOptions(), write=False, output=None))
    if result.rows_invalid or result.lines_invalid:
        result.exit_code = ExitCode.DATA
    return result


def output_target(input_path: Path, options: RunOptions) -> Path | None:
    """Where the run writes (None when it writes nothing), checked before any work is done."""
    if not options.write:
        return None
    target = options.output or default_output(input_path)
    check_target(input_path, target, options.force)
    return target


def check_target(input_path: Path, target: Path, force: bool) -> None:
    """Refuse an output that is a folder, the input itself, exists without ``force``, or has no folder."""
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


def grade_input(source: InputRead, chosen: ChosenConfig, options: RunOptions, now: dt.datetime) -> GradedRun:
    """Validate the rows read, score them and grade them into tiers."""
    step = options.progress or _no_progress
    config = chosen.config
    step("validate")
    if source.book is None:
        table = validate_rows(source.raw, config, options.lang)
    else:
        table = source.book.customer_table(config)
    step("score")
    scores = score_customers(table, config)
    step("grade")
    grades = grade_customers(table, scores, config, source.as_of or options.as_of or now.date())
    return GradedRun(source, table, scores, grades, config)


def check_outcome(input_path: Path, result: ScoreResult, options: RunOptions) -> None:
    """Stop the run (exit 65) when no row can be graded, or with ``strict`` when a row or order line cannot."""
    where = f"{input_path}: sheet {result.sheet!r}"
    if options.strict and result.lines_invalid:
        raise DataError(
            f"{where}: {result.lines_invalid} order line(s) cannot be counted (--strict); "
            f"run `kactier validate {input_path} --orders` to list them, fix them and re-run"
        )
    if result.rows_scored == 0:
        raise DataError(f"{where}: no row could be graded; run `kactier validate {input_path}` to see why")
    if options.strict and result.rows_invalid:
        raise DataError(
            f"{where}: {result.rows_invalid} row(s) cannot be graded (--strict); "
            f"run `kactier validate {input_path}` to list them, fix them and re-run"
        )


def _no_progress(stage: str) -> None:
    return None
