"""The records of the tier history: a run as stored, a customer's grade in it, and a run about to be recorded.

Plain data, shared by the database (:mod:`.store`), the comparison with the previous run (:mod:`.changes`) and
``kactier history``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One recorded run."""

    id: int
    run_at: str
    input_name: str
    input_sha256: str
    config_name: str
    tier_labels: tuple[str, ...]
    as_of: str


@dataclass(frozen=True, slots=True)
class PastGrade:
    """A customer's grade in a past run; ``tier`` is None when the row was not graded."""

    tier: str | None
    score: float | None
    name: str | None


@dataclass(frozen=True, slots=True)
class PreviousRun:
    """The previous run and its grades by customer id."""

    run: RunInfo
    grades: dict[str, PastGrade]


@dataclass(frozen=True, slots=True)
class NewRun:
    """What is recorded about a run besides its customers."""

    input_name: str
    input_sha256: str
    config_name: str
    config_sha256: str
    tier_labels: tuple[str, ...]
    as_of: dt.date
    run_at: dt.datetime
    tool_version: str
    input_modified: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One run of a customer's trajectory; ``present`` is False when the run's input did not list the customer."""

    run: RunInfo
    present: bool
    customer_name: str | None
    score: float | None
    tier: str | None

    def as_json(self) -> dict[str, Any]:
        """One entry of ``kactier history --json``."""
        return {
            "run": self.run.id,
            "run_at": self.run.run_at,
            "input": self.run.input_name,
            "sha256": self.run.input_sha256,
            "config": self.run.config_name,
            "as_of": self.run.as_of,
            "present": self.present,
            "name": self.customer_name,
            "score": self.score,
            "tier": self.tier,
        }
