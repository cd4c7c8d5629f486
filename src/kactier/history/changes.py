"""What changed since the previous run: each customer's move between tiers, per data row and as a matrix.

The previous run is found by :meth:`.store.HistoryStore.previous_run` (the rule is in :mod:`.store`); this
module compares it with this run's tiers for the data sheet, the Summary and the Changes sheet.

Tier indexes run from 0 (the best tier) as in :mod:`kactier.tiering.grade`; −1 means none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from .records import PastGrade, PreviousRun, RunInfo
from .store import HistoryStore, config_fingerprint

if TYPE_CHECKING:
    from ..config.models import Config
    from ..scoring.engine import Scores
    from ..tiering.grade import Grades
    from ..validate.rows import CustomerTable


class Change(StrEnum):
    """How a customer's tier moved since the previous run."""

    UP = "up"
    DOWN = "down"
    UNCHANGED = "unchanged"
    NEW = "new"  # graded now, not graded (or absent) in the previous run
    NOT_GRADED = "not_graded"  # graded in the previous run, in the input now but not graded (see Issues)
    GONE = "gone"  # graded in the previous run, absent from the input now


# The "previous run" of a review's round trip: the graded workbook itself, never a recorded run.
REVIEW_RUN_ID = 0
CHANGE_ORDER = (Change.UP, Change.DOWN, Change.NEW, Change.NOT_GRADED, Change.GONE, Change.UNCHANGED)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One line of the Changes sheet."""

    customer_id: str
    customer_name: str | None
    change: Change
    previous_tier: int  # −1: none
    tier: int  # −1: not graded now, or gone
    previous_score: float | None
    score: float | None
    reason: str | None = None  # a review's override reason (调整原因) of the customer


@dataclass(slots=True)
class TierChanges:
    """This run against the previous one.

    ``matrix`` counts customers by previous tier (rows: each tier, then new) and tier now (columns: each tier, then
    not graded now, then gone); the new row has nothing in the last two columns.
    """

    previous: RunInfo
    previous_tier: list[int]  # per data row, −1 when the customer had no tier in the previous run
    change: list[Change | None]  # per data row; None when there is nothing to say (not graded then or now)
    matrix: list[list[int]]
    rows: list[ChangeRow]  # every customer up, down, new, not graded now or gone; unchanged ones are left out
    previous_counts: list[int] = field(default_factory=list)  # graded customers per tier in the previous run
    retained: list[int] = field(default_factory=list)  # of those, still in the input now

    def counts(self) -> dict[str, int]:
        """Customers per kind of change (unchanged included)."""
        found = {change.value: 0 for change in Change}
        for change in self.change:
            if change is not None:
                found[change.value] += 1
        found[Change.GONE.value] = sum(1 for row in self.rows if row.change is Change.GONE)
        return found

    def as_json(self) -> dict[str, Any]:
        """The ``changes`` object of ``--json``."""
        return {"previous_run": self.previous.id, "previous_as_of": self.previous.as_of, **self.counts()}


class GradedRows(Protocol):
    """This run's graded rows as the validate, score and grade steps made them (the pipeline's graded run)."""

    @property
    def table(self) -> CustomerTable:
        """The validated customer rows."""

    @property
    def scores(self) -> Scores:
        """Their scores."""

    @property
    def grades(self) -> Grades:
        """Their tiers."""

    @property
    def config(self) -> Config:
        """The config they were graded under."""


def compare_tiers(
    ids: Sequence[str | None],
    names: Sequence[str | None],
    tiers: Sequence[int],
    scores: Sequence[float],
    labels: Sequence[str],
    previous: PreviousRun,
) -> TierChanges:
    """Compare this run's tiers (per data row, −1 = not graded) with ``previous``; see :class:`TierChanges`.

    A customer is matched by its id, exactly as text. When an id repeats, its first graded row (else its first row)
    speaks for it; the other rows get no change. Lower tier index is better, so moving from index 2 to 0 is up.
    """
    k = len(labels)
    before = _graded_before(previous, labels)
    speaker = _speakers(ids, tiers)
    previous_tier = [-1] * len(ids)
    change: list[Change | None] = [None] * len(ids)
    matrix = [[0] * (k + 2) for _ in range(k + 1)]
    rows: list[ChangeRow] = []
    for cid, row in speaker.items():
        then = before.get(cid)
        now = tiers[row]
        if then is not None:
            previous_tier[row] = then[0]
        kind = _change_kind(previous_tier[row], now)
        if kind is None:
            continue
        matrix[k if then is None else then[0]][now if now >= 0 else k] += 1
        change[row] = kind
        if kind is not Change.UNCHANGED:
            was = then[1].score if then is not None else None
            score = float(scores[row]) if now >= 0 else None
            rows.append(ChangeRow(cid, names[row], kind, previous_tier[row], now, was, score))
    for cid, (tier, grade) in before.items():
        if cid not in speaker:
            matrix[tier][k + 1] += 1
            rows.append(ChangeRow(cid, grade.name, Change.GONE, tier, -1, grade.score, None))
    rows.sort(key=_change_order)
    previous_counts = [sum(matrix[t]) for t in range(k)]
    retained = [previous_counts[t] - matrix[t][k + 1] for t in range(k)]
    return TierChanges(previous.run, previous_tier, change, matrix, rows, previous_counts, retained)


def _graded_before(previous: PreviousRun, labels: Sequence[str]) -> dict[str, tuple[int, PastGrade]]:
    """Customer id -> (tier index, grade) of every customer the previous run graded with one of ``labels``."""
    index = {label: i for i, label in enumerate(labels)}
    return {
        cid: (index[grade.tier], grade)
        for cid, grade in previous.grades.items()
        if grade.tier is not None and grade.tier in index
    }


def _speakers(ids: Sequence[str | None], tiers: Sequence[int]) -> dict[str, int]:
    """Customer id -> the row that speaks for it: its first graded row, else its first row."""
    speaker: dict[str, int] = {}
    for row, cid in enumerate(ids):
        if cid is None:
            continue
        if cid not in speaker or (tiers[speaker[cid]] < 0 <= tiers[row]):
            speaker[cid] = row
    return speaker


def _change_kind(then: int, now: int) -> Change | None:
    """How tier index ``then`` became ``now`` (−1: none); None when the customer was graded neither time."""
    if now >= 0:
        if then < 0:
            return Change.NEW
        return Change.UP if now < then else Change.DOWN if now > then else Change.UNCHANGED
    return Change.NOT_GRADED if then >= 0 else None


def _change_order(row: ChangeRow) -> tuple[int, int, float, str]:
    tier = row.tier if row.tier >= 0 else row.previous_tier
    score = row.score if row.score is not None else (row.previous_score or 0.0)
    return CHANGE_ORDER.index(row.change), tier, -score, row.customer_id


def changes_since_previous(
    store: HistoryStore, input_name: str, input_sha256: str, graded: GradedRows
) -> TierChanges | None:
    """This run's tiers against the previous run of the same input (None when there is none)."""
    config = graded.config
    labels = [level.label for level in config.tiers.levels]
    previous = store.previous_run(input_name, labels, input_sha256, config_fingerprint(config))
    if previous is None:
        return None
    frame = graded.table.frame
    names = frame["customer_name"].tolist() if "customer_name" in frame else [None] * len(frame)
    return compare_tiers(
        frame["customer_id"].tolist(),
        names,
        graded.grades.tier.tolist(),
        graded.scores.score.tolist(),
        labels,
        previous,
    )
