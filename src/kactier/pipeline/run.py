"""The main job: read → validate → score → grade → write, one function per step.

:func:`score_workbook` is what ``kactier score`` runs and :func:`validate_workbook` what ``kactier validate`` runs;
both are the Python API for a workbook on disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..config.precedence import DEFAULT_PRESET, ChosenConfig, choose_config
from ..errors import DataError, ExitCode, OutputExistsError, Phrase, UsageError, spoken_in
from ..i18n import Lang, Note, text
from ..orders.book import ORDERS_PRESET
from ..orders.scan import is_several_parts, order_parts, parts_output
from ..problems import IssueGroup, fold_issues, problem_lines
from ..read.opening import check_input
from ..report.explain_columns import explained
from ..scoring.engine import score_customers
from ..tiering.explain import explain_grades
from ..tiering.grade import grade_customers
from ..tiering.stability import tier_stability
from ..validate.rows import resolve_lang, validate_rows
from .collector import read_then_frozen
from .explain_json import explain_json
from .gather import expand_inputs, read_together
from .inputs import InputRead, read_input
from .options import RunOptions
from .output import GradedRun, write_output
from .result import ScoreResult
from .review import own_columns, review_changes
from .summary import run_result

_TOP_PROBLEMS = 6  # problem groups the nothing-graded error lists
_TOP_RANGES = 6  # runs of rows per group it shows


def default_output(input_path: Path) -> Path:
    """``<input stem>.tiered.xlsx`` beside the input (for a folder or glob of order parts, beside the folder)."""
    if is_several_parts(input_path):
        return parts_output(input_path)
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
    with read_then_frozen() as settle:
        source = read_input(input_path, options)
        settle()
        return _chosen_and_graded(input_path, target, source, options, now)


def _chosen_and_graded(
    input_path: Path, target: Path | None, source: InputRead, options: RunOptions, now: dt.datetime
) -> ScoreResult:
    """The rules chosen for what was read, then :func:`_graded_and_written`."""
    try:
        with spoken_in(
            resolve_lang(options.lang, source.raw.headers)
        ):  # errors from here on speak the input's language
            chosen = choose_config(
                options.config,
                source.config_sheet,
                options.preset,
                ORDERS_PRESET if options.orders else DEFAULT_PRESET,
                config_file=options.config_file,
            )
            return _graded_and_written(input_path, target, source, chosen, options, now)
    finally:
        if source.book is not None:
            source.book.close()  # an export's lines kept in DuckDB


def score_workbooks(inputs: Sequence[Path], options: RunOptions | None = None) -> ScoreResult:
    """Grade the customers of every input together, as one list (SPEC §13): files, folders of workbooks and glob
    patterns. One workbook is :func:`score_workbook`'s; with ``--orders`` the one input is an export (a folder or
    glob is its parts). The output needs ``options.output`` unless the one input is a folder or glob (then
    ``<folder>.tiered.xlsx`` beside it).

    Example::

        result = score_workbooks([Path("east.xlsx"), Path("south.xlsx")], RunOptions(output=Path("all.xlsx")))
    """
    options = options or RunOptions()
    if options.orders or (len(inputs) == 1 and not is_several_parts(inputs[0])):
        if len(inputs) != 1:
            raise UsageError("together.orders", count=len(inputs))
        return score_workbook(inputs[0], options)
    paths, passed = expand_inputs(inputs)
    if len(paths) == 1 and not passed:
        return score_workbook(
            paths[0], options if options.output else replace(options, output=_output_of(inputs))
        )
    now = options.now or dt.datetime.now().astimezone()
    target = _together_target(inputs, paths, options)
    (options.progress or _no_progress)("read")
    with read_then_frozen() as settle:
        source, chosen = read_together(paths, options)
        settle()
        chosen.notes.append(Note("note.together", count=len(paths), files=", ".join(p.name for p in paths)))
        if passed:
            chosen.notes.append(Note("note.outputs_passed_over", files=", ".join(p.name for p in passed)))
        with spoken_in(resolve_lang(options.lang, source.raw.headers)):
            return _graded_and_written(source.raw.path, target, source, chosen, options, now)


def _graded_and_written(
    input_path: Path,
    target: Path | None,
    source: InputRead,
    chosen: ChosenConfig,
    options: RunOptions,
    now: dt.datetime,
) -> ScoreResult:
    """Validate, score and grade what was read, check the outcome and (with a ``target``) write the output."""
    graded = grade_input(source, chosen, options, now)
    result = run_result(input_path, target, source, graded, chosen)
    result.explained = explain_json(graded, rows=options.json_rows)
    check_outcome(input_path, result, options)
    if target is not None:
        write_output(target, result, graded, options, now)
    return result


def _output_of(inputs: Sequence[Path]) -> Path | None:
    """The default output of several inputs: beside the one folder (or glob) given, else none (``-o`` needed)."""
    return parts_output(inputs[0]) if len(inputs) == 1 and is_several_parts(inputs[0]) else None


def _together_target(inputs: Sequence[Path], paths: Sequence[Path], options: RunOptions) -> Path | None:
    """Where a run over several inputs writes, checked before any work is done."""
    if not options.write:
        return None
    target = options.output or _output_of(inputs)
    if target is None:
        raise UsageError("together.output_needed", count=len(paths))
    for path in paths:
        check_input(path)
    if target.resolve() in {path.resolve() for path in paths}:
        raise OutputExistsError("together.output_is_input", path=target)
    _check_output(target, options.force)
    return target


def validate_workbook(input_path: Path, options: RunOptions | None = None) -> ScoreResult:
    """Every check of :func:`score_workbook`, writing nothing; the exit code is 65 when a row cannot be graded
    (or, with ``orders``, an order line cannot be counted), else 0."""
    return validate_workbooks([input_path], options)


def validate_workbooks(inputs: Sequence[Path], options: RunOptions | None = None) -> ScoreResult:
    """:func:`validate_workbook` of several inputs graded together (:func:`score_workbooks`)."""
    result = score_workbooks(inputs, replace(options or RunOptions(), write=False, output=None))
    if result.rows_invalid or result.lines_invalid:
        result.exit_code = ExitCode.DATA
    return result


def output_target(input_path: Path, options: RunOptions) -> Path | None:
    """Where the run writes (None when it writes nothing), checked before any work is done."""
    if not options.write:
        return None
    target = options.output or default_output(input_path)
    check_target(input_path, target, options.force, orders=options.orders)
    return target


def check_target(input_path: Path, target: Path, force: bool, *, orders: bool = False) -> None:
    """Refuse an output that is a folder, the input itself, exists without ``force``, or has no folder."""
    # a missing input is the first thing to say, before anything about the output
    if orders and is_several_parts(input_path):
        order_parts(input_path)
    else:
        check_input(input_path)
    if not target.is_dir() and target.resolve() == input_path.resolve():
        raise OutputExistsError("output.is_input", path=target)
    _check_output(target, force)


def _check_output(target: Path, force: bool) -> None:
    """Refuse an output that is a folder, exists without ``force``, or has no folder."""
    if target.is_dir():
        raise OutputExistsError("output.is_folder", path=target, example=target / "out.xlsx")
    if target.exists() and not force:
        raise OutputExistsError("output.exists", path=target)
    if not target.parent.is_dir():
        raise OutputExistsError("output.no_folder", path=target, folder=target.parent)


def grade_input(source: InputRead, chosen: ChosenConfig, options: RunOptions, now: dt.datetime) -> GradedRun:
    """Validate the rows read, score them and grade them into tiers."""
    step = options.progress or _no_progress
    config = chosen.config
    step("validate")
    carried = None
    if (
        source.together is not None
    ):  # several inputs: each file's columns as its own header matching found them
        table = validate_rows(
            source.raw,
            config.model_copy(update={"columns": {}}),
            options.lang,
            prepared_rows=source.config_sheet is not None,
            columns=source.together.columns,
        )
        table.mappings = source.together.mappings
    elif source.book is None:
        # a graded workbook scored again (the review's round trip): kactier's own columns are written afresh
        carried = own_columns(source.raw, config, resolve_lang(options.lang, source.raw.headers))
        # a workbook with a Config sheet is a kactier template (or its output): blank rows are rows not filled in
        table = validate_rows(
            carried.raw if carried is not None else source.raw,
            config,
            options.lang,
            prepared_rows=source.config_sheet is not None,
            columns=options.columns,
        )
    else:
        table = source.book.customer_table(config)
    step("score")
    scores = score_customers(table, config)
    step("grade")
    grades = grade_customers(table, scores, config, source.as_of or options.as_of or now.date())
    review = review_changes(carried, table, scores, grades, config) if carried is not None else None
    stability = tier_stability(scores, grades, config, options.stability) if options.stability else None
    extra = explained(table, config, explain_grades(table, scores, grades, config), stability)
    return GradedRun(source, table, scores, grades, config, review, extra)


def check_outcome(input_path: Path, result: ScoreResult, options: RunOptions) -> None:
    """Stop the run (exit 65) when no row can be graded, or with ``strict`` when a row or order line cannot.

    When no row can be graded, the message lists the top problems by column, with what to do; ``validate``
    (``options.write`` off) does not stop there: its summary lists every problem. A sheet without a single customer
    says so. The error is in the run's language."""
    where = Phrase("where.sheet", path=input_path, sheet=result.sheet)
    error: DataError | None = None
    if options.strict and result.lines_invalid:
        error = DataError("term.strict_lines", where=where, count=result.lines_invalid, path=input_path)
    elif result.rows_scored == 0 and result.rows_invalid == 0 and result.orders is None:
        error = DataError("term.no_customers", where=where)
    elif result.rows_scored == 0 and options.write:
        problems = [g for g in fold_issues(result.issues) if g.problem]
        error = DataError("term.nothing_graded_error", where=where, problems=ProblemList(problems))
    elif options.strict and result.rows_invalid:
        error = DataError("term.strict_rows", where=where, count=result.rows_invalid, path=input_path)
    if error is not None:
        error.lang = result.lang
        raise error


class ProblemList(Phrase):
    """The top problem groups, one indented line each (under its column), worded in the error's language."""

    __slots__ = ("groups",)

    def __init__(self, groups: list[IssueGroup]) -> None:
        super().__init__("term.more_kinds")
        self.groups = groups

    def message(self, lang: Lang = "en") -> str:
        shown = problem_lines(self.groups[:_TOP_PROBLEMS], lang, ranges=_TOP_RANGES)
        if len(self.groups) > _TOP_PROBLEMS:
            shown.append("  " + text("term.more_kinds", lang, count=len(self.groups) - _TOP_PROBLEMS))
        return "\n".join(shown)


def _no_progress(stage: str) -> None:
    return None
