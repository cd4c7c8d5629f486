"""One owner's part of a graded run, for ``kactier split``: their rows, scores, grades and issues, nothing else.

The rows keep the company-wide scores, ranks, percentiles and tiers (the grades handed back), and are numbered as
the owner's workbook has them (header on row 1, data from row 2), issues included. A sheet-level issue (no row) is
kept only when it names no other owner and no other owner's customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..fields import FIELD_BY_KEY
from ..i18n import Lang
from ..problems import RowIssue
from ..scoring.engine import Scores
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from ..values import id_text
from .output import GradedRun


def by_column(table: CustomerTable, by: str) -> int:
    """The input column ``--by`` names: a field key (``owner``), a field's label (负责人 / Sales Owner) or a
    header as the sheet has it (case aside); a :class:`~kactier.errors.UsageError` naming the headers else."""
    wanted = by.strip()
    if wanted in table.field_columns:
        return table.field_columns[wanted]
    for key, spec in FIELD_BY_KEY.items():
        if wanted.casefold() in (spec.zh.casefold(), spec.en.casefold()) and key in table.field_columns:
            return table.field_columns[key]
    for index, name in enumerate(table.column_names):
        if name.casefold() == wanted.casefold():
            return index
    raise UsageError("split.no_column", by=by, headers="、".join(table.column_names))


def owner_groups(table: CustomerTable, column: int) -> dict[str, list[int]]:
    """The data rows (frame positions) of each value of ``column``, values in the order they first appear; a
    blank cell is the value ``""``."""
    groups: dict[str, list[int]] = {}
    rows = table.raw.rows
    for position, row in enumerate(table.row_indexes):
        value = id_text(rows[row][column])
        groups.setdefault((value or "").strip(), []).append(position)
    return groups


def others_of(table: CustomerTable, groups: dict[str, list[int]], value: str) -> list[str]:
    """What must not appear in ``value``'s workbook: the other values, and the other rows' ids and names."""
    frame = table.frame
    ids, names = frame["customer_id"].tolist(), frame.get("customer_name")
    names_list = names.tolist() if names is not None else [None] * len(ids)
    said: set[str] = {other for other in groups if other and other != value}
    for other, positions in groups.items():
        if other != value:
            said.update(str(x) for p in positions for x in (ids[p], names_list[p]) if x not in (None, ""))
    return sorted(said, key=len, reverse=True)


def owner_run(graded: GradedRun, positions: Sequence[int], path: Path, others: Sequence[str]) -> GradedRun:
    """``graded`` restricted to the data rows at ``positions``, as the workbook at ``path`` holds them."""
    table = graded.table
    old_rows = table.excel_rows[list(positions)].tolist()
    renumbered = {int(old): new for new, old in enumerate(old_rows, start=2)}
    mention = re.compile("|".join(re.escape(s) for s in others)) if others else None
    keep = _keeper(renumbered, mention, table.lang)
    return replace(
        graded,
        table=_owner_table(table, positions, path, keep),
        scores=_owner_scores(graded.scores, positions, keep),
        grades=_owner_grades(graded.grades, positions, keep),
        review=None,
        extra=graded.extra.at(positions) if graded.extra is not None else None,
    )


class _keeper:
    """Which issues an owner's workbook keeps, renumbered to its rows."""

    def __init__(self, renumbered: dict[int, int], mention: re.Pattern[str] | None, lang: Lang) -> None:
        self.renumbered, self.mention, self.lang = renumbered, mention, lang

    def __call__(self, issues: Iterable[RowIssue]) -> list[RowIssue]:
        kept = []
        for issue in issues:
            if issue.row is not None:
                if issue.row in self.renumbered:
                    kept.append(replace(issue, row=self.renumbered[issue.row]))
            elif not self.names_another(issue):
                kept.append(issue)
        return kept

    def names_another(self, issue: RowIssue) -> bool:
        if self.mention is None:
            return False
        said = f"{issue.value}\n{issue.detail}\n{issue.message(self.lang)}\n{issue.column}"
        return self.mention.search(said) is not None

    def notes(self, notes: Iterable[str]) -> list[str]:
        return [n for n in notes if self.mention is None or self.mention.search(str(n)) is None]


def _owner_table(table: CustomerTable, positions: Sequence[int], path: Path, keep: _keeper) -> CustomerTable:
    raw = table.raw
    picked = [table.row_indexes[p] for p in positions]
    moved = {old: new for new, old in enumerate(picked)}
    rows = [raw.rows[r] for r in picked]
    owner_raw = replace(
        raw,
        path=path,
        header_row=1,
        rows=rows,
        issues=[],
        percent_cells=frozenset((moved[r], c) for r, c in raw.percent_cells if r in moved),
    )
    frame = table.frame.iloc[list(positions)].reset_index(drop=True)
    frame["excel_row"] = np.arange(2, 2 + len(positions), dtype=np.int64)
    return replace(
        table,
        raw=owner_raw,
        row_indexes=list(range(len(positions))),
        frame=frame,
        excluded=table.excluded[list(positions)],
        issues=keep(table.issues),
    )


def _owner_scores(scores: Scores, positions: Sequence[int], keep: _keeper) -> Scores:
    at = list(positions)
    return replace(
        scores,
        points=scores.points.iloc[at].reset_index(drop=True),
        score=scores.score[at],
        rank=scores.rank[at],
        percentile=scores.percentile[at],
        graded=scores.graded[at],
        issues=keep(scores.issues),
        notes=keep.notes(scores.notes),
    )


def _owner_grades(grades: Grades, positions: Sequence[int], keep: _keeper) -> Grades:
    """The grades of the rows at ``positions`` (their group values and segments too: the Summary's counts per
    group would name other owners' groups otherwise), with the issues of those rows only."""
    owned = grades.at(positions)
    segments = owned.segments
    if segments is not None:
        segments = replace(segments, issues=keep(segments.issues))
    return replace(owned, issues=keep(grades.issues), segments=segments)
