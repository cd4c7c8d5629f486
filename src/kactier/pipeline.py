"""The main job: read → validate → score → grade → write, as one call.

:func:`score_workbook` is what ``kactier score`` and ``kactier validate`` run, and what Python callers use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config, load_config_file, load_preset
from .errors import DataError, ExitCode, OutputExistsError
from .grading import Grades, grade_customers
from .problems import Lang, RowIssue
from .read import check_input, read_customer_sheet
from .scoring import Scores, score_customers
from .validate import CustomerTable, validate_rows
from .write import Report, write_report

DEFAULT_PRESET = "key-account"


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
    exit_code: ExitCode = ExitCode.OK

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


def score_workbook(
    input_path: Path,
    output: Path | None = None,
    *,
    config: Config | None = None,
    sheet: str | None = None,
    lang: str = "auto",
    force: bool = False,
    strict: bool = False,
    write: bool = True,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ScoreResult:
    """Grade the customers of ``input_path`` and (with ``write``) write the annotated workbook.

    Raises a :class:`~kactier.errors.KactierError` for problems that stop the run; row problems are in
    ``result.issues``. With ``strict``, any row that cannot be graded stops the run before anything is written.
    ``as_of`` (default: today) dates provisional marks and follow-ups.
    """
    config = config or load_preset(DEFAULT_PRESET)
    now = now or dt.datetime.now().astimezone()
    target = (output or default_output(input_path)) if write else None
    if target is not None:
        _check_target(input_path, target, force)
    raw = read_customer_sheet(input_path, sheet)
    table = validate_rows(raw, config, lang)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config, as_of or now.date())
    result = _result(input_path, target, table, scores, grades, config)
    where = f"{input_path}: sheet {raw.sheet!r}"
    if result.rows_scored == 0:
        raise DataError(f"{where}: no row could be graded; run `kactier validate {input_path}` to see why")
    if strict and result.rows_invalid:
        raise DataError(
            f"{where}: {result.rows_invalid} row(s) cannot be graded (--strict); "
            f"run `kactier validate {input_path}` to list them, fix them and re-run"
        )
    if target is not None:
        facts = _facts(result, grades.as_of, now)
        report = Report(table, scores, grades, config, facts, _config_facts(result, now))
        write_report(target, report, force=force)
    return result


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


def _facts(result: ScoreResult, as_of: dt.date, now: dt.datetime) -> list[tuple[str, Any]]:
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
        ("generated", now.strftime("%Y-%m-%d %H:%M:%S %z")),
    ]


def _config_facts(result: ScoreResult, now: dt.datetime) -> list[tuple[str, Any]]:
    return [
        ("input_file", result.input.name),
        ("sha256", result.sha256),
        ("version", __version__),
        ("generated", now.strftime("%Y-%m-%d %H:%M:%S %z")),
    ]
