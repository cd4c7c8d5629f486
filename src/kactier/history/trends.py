"""Trends across runs: tier counts and mean score per tier run by run, each customer's score per run, and the
lifecycle conversion (销售转化率) since the previous run.

The *past runs* of a run are the recorded runs of the same input file name with the same tier labels, leaving out
those with this run's input SHA-256 and config (re-runs of this same period), newest first, at most
:data:`MAX_TREND_RUNS`: the first of them is the previous run of :meth:`.store.HistoryStore.previous_run`. The trend
is those runs oldest first, then this run.

Conversion since the previous run, over the customers listed in both (matched by id; a repeated id speaks by its
first row), by their sales owner (负责人) now:

- converted = customers whose stage (客户状态) was 潜在客户, 目标客户 or 意向客户 then and is 现实客户 now, out of
  the customers that were 潜在/目标/意向客户 then;
- churned = customers whose stage is 流失客户 now, out of the customers whose stage was known then and was not
  流失客户.

Stages are recorded from history schema 2 on; a previous run recorded before has none, and no conversion is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from .records import RunInfo
from .store import HistoryStore, config_fingerprint, labels_json, open_history, run_info

if TYPE_CHECKING:
    from .changes import GradedRows

MAX_TREND_RUNS = 24  # past runs in the trend table and chart
MAX_TRAJECTORY_RUNS = 6  # past runs in a customer's series on the Changes sheet
OPEN_STAGES = frozenset({"prospect", "target", "intent"})
_BARS = "▁▂▃▄▅▆▇█"
_RUN_COLUMNS = "id, run_at, input_name, input_sha256, config_name, tier_labels, as_of"


@dataclass(frozen=True, slots=True)
class RunPoint:
    """One run of a trend: graded customers and mean score per tier. ``run`` is None for this run (not recorded
    yet)."""

    run: RunInfo | None
    as_of: str
    counts: tuple[int, ...]
    means: tuple[float | None, ...]

    def as_json(self, labels: Sequence[str]) -> dict[str, Any]:
        """One run of ``kactier history --trend --json``."""
        return {
            "run": self.run.id if self.run is not None else None,
            "as_of": self.as_of,
            "counts": dict(zip(labels, self.counts, strict=True)),
            "mean_score": dict(zip(labels, self.means, strict=True)),
        }


@dataclass(frozen=True, slots=True)
class Trend:
    """This run and its past runs (oldest first, this run last), with each customer's score per run."""

    labels: tuple[str, ...]
    points: list[RunPoint]
    scores: dict[
        str, list[float | None]
    ]  # customer id -> score in each of the last points (None: not graded)
    previous_stages: dict[
        str, str
    ]  # customer id -> lifecycle stage key in the previous run (known ones only)

    @property
    def scored_runs(self) -> int:
        """How many of the last points ``scores`` covers (this run included)."""
        return min(len(self.points), MAX_TRAJECTORY_RUNS + 1)

    def recent_scores(
        self, ids: Sequence[str | None], now: Sequence[float | None], runs: int
    ) -> np.ndarray[Any, Any]:
        """Per data row, its score in the last ``runs`` points (NaN: absent or not graded), this run's from ``now``."""
        out = np.full((len(ids), runs), np.nan)
        past = min(runs - 1, self.scored_runs - 1)
        for row, cid in enumerate(ids):
            series = self.scores.get(cid) if cid is not None else None
            if series is not None:
                out[row, runs - 1 - past : runs - 1] = [
                    np.nan if s is None else s for s in series[-1 - past : -1]
                ]
            if now[row] is not None:
                out[row, runs - 1] = now[row]
        return out


@dataclass(frozen=True, slots=True)
class ConversionRow:
    """Conversion since the previous run for one sales owner (or all customers)."""

    owner: str | None  # None: all customers
    open_before: int
    converted: int
    known_before: int
    churned: int

    @property
    def conversion_rate(self) -> float | None:
        """Converted ÷ open before."""
        return self.converted / self.open_before if self.open_before else None

    @property
    def churn_rate(self) -> float | None:
        """Churned ÷ known (not churned) before."""
        return self.churned / self.known_before if self.known_before else None


@dataclass(frozen=True, slots=True)
class InputTrend:
    """The trend of one input (file name and tier labels) for ``kactier history --trend``."""

    input_name: str
    labels: tuple[str, ...]
    points: list[RunPoint]


def past_runs(
    store: HistoryStore, input_name: str, labels: Sequence[str], sha: str, config_sha: str
) -> list[RunInfo]:
    """The past runs of a run (see the module docstring), oldest first."""
    rows = store.query(
        f"SELECT {_RUN_COLUMNS} FROM runs WHERE input_name = ? AND tier_labels = ? "
        "AND NOT (input_sha256 = ? AND config_sha256 = ?) ORDER BY id DESC LIMIT ?",
        (input_name, labels_json(labels), sha, config_sha, MAX_TREND_RUNS),
    )
    return [run_info(row) for row in reversed(rows)]


def run_points(store: HistoryStore, runs: Sequence[RunInfo]) -> list[RunPoint]:
    """Graded customers and mean score per tier of each of ``runs``, computed by the database."""
    if not runs:
        return []
    found: dict[tuple[int, str], tuple[int, float | None]] = {}
    marks = ", ".join("?" for _ in runs)
    for run_id, tier, count, mean in store.query(
        f"SELECT run_id, tier, COUNT(*), AVG(score) FROM grades WHERE run_id IN ({marks}) AND tier IS NOT NULL "
        "GROUP BY run_id, tier",
        [run.id for run in runs],
    ):
        found[(int(run_id), str(tier))] = (int(count), None if mean is None else float(mean))
    return [
        RunPoint(
            run,
            run.as_of,
            tuple(found.get((run.id, label), (0, None))[0] for label in run.tier_labels),
            tuple(found.get((run.id, label), (0, None))[1] for label in run.tier_labels),
        )
        for run in runs
    ]


def this_run_point(
    labels: Sequence[str], tier: Sequence[int], score: Sequence[float], as_of: str
) -> RunPoint:
    """This run's point, from its tiers (−1: not graded) and scores per data row."""
    tiers, scores = np.asarray(tier), np.asarray(score, dtype=float)
    counts, means = [], []
    for index in range(len(labels)):
        members = scores[tiers == index]
        counts.append(int(members.size))
        means.append(float(members.mean()) if members.size else None)
    return RunPoint(None, as_of, tuple(counts), tuple(means))


def trend_since(store: HistoryStore, input_name: str, input_sha256: str, graded: GradedRows) -> Trend | None:
    """This run's trend (None when no past run is recorded), read before this run is recorded."""
    config = graded.config
    labels = tuple(level.label for level in config.tiers.levels)
    runs = past_runs(store, input_name, labels, input_sha256, config_fingerprint(config))
    if not runs:
        return None
    tier, score = graded.grades.tier.tolist(), graded.scores.score.tolist()
    now = this_run_point(labels, tier, score, graded.grades.as_of.isoformat())
    scored = runs[-MAX_TRAJECTORY_RUNS:]
    scores: dict[str, list[float | None]] = {}
    for position, run in enumerate(scored):
        for cid, value, level in store.query(
            "SELECT customer_id, score, tier FROM grades WHERE run_id = ?", (run.id,)
        ):
            scores.setdefault(cid, [None] * (len(scored) + 1))[position] = (
                value if level is not None else None
            )
    for cid, row in _speakers(graded.table.frame["customer_id"].tolist(), tier).items():
        scores.setdefault(cid, [None] * (len(scored) + 1))[-1] = score[row] if tier[row] >= 0 else None
    stages = {
        cid: stage
        for cid, stage in store.query(
            "SELECT customer_id, stage FROM grades WHERE run_id = ? AND stage IS NOT NULL", (runs[-1].id,)
        )
    }
    return Trend(labels, [*run_points(store, runs), now], scores, stages)


def sparkline(scores: Sequence[float | None]) -> str:
    """``█▄▁``: each score as one of eight bars between the lowest and the highest of ``scores`` (all equal: the
    middle bar), a missing one as ``·``."""
    present = [s for s in scores if s is not None]
    if not present:
        return ""
    low, span = min(present), max(present) - min(present)
    return "".join(
        "·" if s is None else _BARS[round((s - low) / span * (len(_BARS) - 1)) if span else 3] for s in scores
    )


def conversion(
    trend: Trend, ids: Sequence[str | None], owners: Sequence[Any] | None, stages: Sequence[Any]
) -> list[ConversionRow]:
    """Conversion since the previous run per sales owner now (by name, a blank owner ``""`` last; none without
    ``owners``), then all customers (``owner`` None); empty when the previous run recorded no stage. See the
    module docstring."""
    if not trend.previous_stages:
        return []
    counts: dict[str | None, list[int]] = {}
    for cid, row in _speakers(ids, None).items():
        if cid not in trend.previous_stages:
            continue
        before, now = trend.previous_stages[cid], stages[row] if isinstance(stages[row], str) else None
        owner = owners[row] if owners is not None and isinstance(owners[row], str) and owners[row] else ""
        tally = counts.setdefault(owner, [0, 0, 0, 0])
        if before in OPEN_STAGES:
            tally[0] += 1
            tally[1] += now == "active"
        if before != "churned":
            tally[2] += 1
            tally[3] += now == "churned"
    rows = (
        [ConversionRow(o, *counts[o]) for o in sorted(counts, key=lambda o: (o == "", o))] if owners else []
    )
    total = [sum(column) for column in zip(*counts.values(), strict=True)] if counts else [0, 0, 0, 0]
    return [*rows, ConversionRow(None, *total)]


def input_trends(path: Path) -> list[InputTrend]:
    """Every input's trend in the database at ``path`` (``kactier history --trend``), by input name, each run of
    it with the same tier labels as its latest run. A missing database is an :class:`InputError` (exit 66)."""
    if not path.is_file():
        raise InputError("cli.history.missing", path=path)
    store = open_history(path, create=False)
    try:
        runs = [run_info(row) for row in store.query(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id")]
        latest = {run.input_name: run.tier_labels for run in runs}
        trends = []
        for name in sorted(latest):
            chosen = [r for r in runs if r.input_name == name and r.tier_labels == latest[name]][
                -MAX_TREND_RUNS:
            ]
            trends.append(InputTrend(name, latest[name], run_points(store, chosen)))
    finally:
        store.close()
    return trends


def _speakers(ids: Sequence[str | None], tier: Sequence[int] | None) -> dict[str, int]:
    """Customer id -> the row that speaks for it: its first graded row (with ``tier``), else its first row."""
    speaker: dict[str, int] = {}
    for row, cid in enumerate(ids):
        if cid is not None and (
            cid not in speaker or (tier is not None and tier[speaker[cid]] < 0 <= tier[row])
        ):
            speaker[cid] = row
    return speaker
