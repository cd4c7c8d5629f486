"""``kactier split``: a graded workbook handed back as one workbook per owner (or any other column's value).

The graded workbook is graded again exactly as it was (its Config sheet's rules, the as-of date its follow-up
dates were counted from, its own added columns dropped as in the review's round trip), and the tiers must come out
as the workbook carries them: a workbook edited after it was scored is refused (exit 65) until it is scored again.
Each value's rows then go through the usual report writer (:func:`owner_run`): their rows in the same formats, a
Summary and charts of their own customers, the Config sheet and their own issues, with the company-wide scores,
ranks and tiers. Nothing of another value is in the file: the document properties, the Summary and the Config
sheet name the owner's own file. Rows with a blank value go to one file named 空 / blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.precedence import ChosenConfig, choose_config
from ..errors import DataError, OutputExistsError, spoken_in
from ..i18n import Lang, text
from ..report.added import tier_labels
from ..report.model import Report
from ..report.workbook import write_report
from ..validate.rows import resolve_lang
from ..version import __version__
from .inputs import read_input
from .options import RunOptions
from .output import GradedRun
from .owner_rows import by_column, others_of, owner_groups, owner_run
from .review import carried_as_of, own_columns
from .run import grade_input
from .split_names import file_names, read_passwords


@dataclass(frozen=True, slots=True)
class SplitOptions:
    """What ``kactier split`` is asked: the column to split ``by`` (a field key or a header), the folder to write
    to (created when missing), the CSV of each value's password, the graded workbook's own ``password``, the
    language, and ``force`` to replace existing files."""

    by: str
    out_dir: Path
    passwords: Path | None = None
    password: str | None = None
    lang: str = "auto"
    force: bool = False
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SplitFile:
    """One workbook written: the value it holds, its path, its rows and their tiers."""

    value: str
    path: Path
    rows: int
    tier_counts: dict[str, int]
    encrypted: bool

    def as_json(self) -> dict[str, Any]:
        """One entry of ``files`` in ``kactier split --json``."""
        return {
            "value": self.value,
            "path": str(self.path),
            "rows": self.rows,
            "tiers": self.tier_counts,
            "encrypted": self.encrypted,
        }


@dataclass(slots=True)
class SplitResult:
    """What ``kactier split`` wrote."""

    input: Path
    by: str  # the header of the column split by
    lang: Lang
    as_of: dt.date
    files: list[SplitFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` object."""
        return {
            "input": str(self.input),
            "by": self.by,
            "as_of": self.as_of.isoformat(),
            "files": [f.as_json() for f in self.files],
        }


def split_workbook(input_path: Path, options: SplitOptions) -> SplitResult:
    """Write one workbook per value of ``options.by`` of the graded workbook ``input_path``; see the module.

    Example::

        result = split_workbook(Path("customers.tiered.xlsx"), SplitOptions("负责人", Path("handback")))
    """
    now = options.now or dt.datetime.now().astimezone()
    run_options = RunOptions(write=False, lang=options.lang, password=options.password)
    source = read_input(input_path, run_options)
    lang = resolve_lang(options.lang, source.raw.headers)
    with spoken_in(lang):
        chosen = choose_config(None, source.config_sheet, None)
        carried = own_columns(source.raw, chosen.config, lang)
        if carried is None:
            raise DataError("split.not_graded", path=input_path)
        as_of = carried_as_of(carried, chosen.config) or now.date()
        graded = grade_input(source, chosen, RunOptions(lang=options.lang, as_of=as_of), now)
        _check_same_tiers(input_path, graded)
        column = by_column(graded.table, options.by)
        groups = owner_groups(graded.table, column)
        blank = text("split.blank", lang)
        names = file_names(input_path.stem, [value or blank for value in groups])
        passwords = read_passwords(options.passwords, list(groups), blank) if options.passwords else {}
        targets = {value: options.out_dir / names[value or blank] for value in groups}
        _check_targets(options, list(targets.values()))
        result = SplitResult(input_path, graded.table.column_names[column], lang, as_of)
        for value, positions in groups.items():
            target = targets[value]
            owner = owner_run(graded, positions, target, others_of(graded.table, groups, value))
            report = _owner_report(owner, chosen, target, (result.by, value or blank), now)
            write_report(target, report, force=options.force, password=passwords.get(value))
            counts = owner.grades.counts(len(owner.config.tiers.levels))
            levels = owner.config.tiers.levels
            tiers = {level.label: n for level, n in zip(levels, counts, strict=True)}
            result.files.append(SplitFile(value, target, len(positions), tiers, value in passwords))
    return result


def _check_same_tiers(input_path: Path, graded: GradedRun) -> None:
    """Refuse (exit 65) a workbook whose tiers are not the ones its rows and rules give."""
    review = graded.review
    assert review is not None  # the workbook carried its tiers: own_columns found them
    if review.rows:
        labels = tier_labels(graded.grades, graded.config, graded.table.lang)
        first = review.rows[0]
        position = graded.table.frame["customer_id"].tolist().index(first.customer_id)
        was = graded.config.tiers.levels[first.previous_tier].label if first.previous_tier >= 0 else "—"
        raise DataError(
            "split.tiers_differ",
            path=input_path,
            count=len(review.rows),
            id=first.customer_id,
            was=was,
            now=labels[position],
        )


def _check_targets(options: SplitOptions, targets: list[Path]) -> None:
    """The folder (created when missing) and no file to replace without ``force``, before anything is written."""
    if options.out_dir.exists() and not options.out_dir.is_dir():
        raise OutputExistsError("split.out_dir_not_folder", path=options.out_dir)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    for target in targets:
        if target.exists() and not options.force:
            raise OutputExistsError("output.exists", path=target)


def _owner_report(
    owner: GradedRun, chosen: ChosenConfig, target: Path, by: tuple[str, str], now: dt.datetime
) -> Report:
    """The report of one owner's workbook; its facts name the owner's file, never the company-wide one."""
    table, scores = owner.table, owner.scores
    rows = len(table.row_indexes)
    graded_rows = int(scores.graded.sum())
    issues = len(table.issues) + len(scores.issues) + len(owner.grades.issues)
    facts: list[tuple[str, Any]] = [
        ("input_file", target.name),
        ("split_by", f"{by[0]} = {by[1]}"),
        ("sheet", table.raw.sheet),
        ("config_name", owner.config.name),
        ("rows_read", rows),
        ("rows_scored", graded_rows),
        ("rows_invalid", rows - graded_rows),
        ("issues_count", issues),
        ("as_of", owner.grades.as_of.isoformat()),
    ]
    config_facts = [("input_file", target.name), ("config_source", chosen.source), ("version", __version__)]
    return Report(
        table, scores, owner.grades, owner.config, facts, config_facts, run_time=now, extra=owner.extra
    )
