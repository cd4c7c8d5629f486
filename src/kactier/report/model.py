"""The report model: everything the graded workbook shows, as plain data (:class:`Report`, :class:`Kpi`).

The sheet writers (data sheet, Summary, Issues, Changes, Config) and the Summary's numbers all read a
:class:`Report`; it lives here, apart from all of them, so that none has to import another to know its shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from xlsxwriter.workbook import Workbook

from ..config.models import Config
from ..history.changes import TierChanges
from ..history.trends import Trend
from ..problems import RowIssue
from ..scoring.engine import Scores
from ..tiering.at_risk import AtRisk
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from .explain_columns import Explained

KpiKind = Literal["percent", "number", "money", "count"]


@dataclass(frozen=True, slots=True)
class Kpi:
    """One row of the key-indicator table.

    ``label`` and ``definition`` are in the report's language; ``per_tier`` is in tier order (empty when the KPI
    has no per-tier value); a percentage is a fraction (0.25 shows as 25.0%); ``basis`` is how many customers the
    overall value rests on.
    """

    label: str
    overall: float | None
    per_tier: tuple[float | None, ...] = ()
    kind: KpiKind = "number"
    basis: int | None = None
    definition: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the workbook shows."""

    table: CustomerTable
    scores: Scores
    grades: Grades
    config: Config
    facts: Sequence[tuple[str, Any]]  # (label key, value) for the Summary's run section
    config_facts: Sequence[tuple[str, Any]]  # (label key, value) for the Config sheet's provenance rows
    changes: TierChanges | None = None  # against the previous run, when there is history
    extra_kpis: Sequence[Kpi] = ()  # more key-indicator rows for the Summary, labels in the report's language
    run_time: dt.datetime | None = None  # in the document properties only, so re-runs give the same cells
    extra_sheets: Sequence[Callable[[Workbook], None]] = ()  # each adds its sheet after the others (订单明细)
    rows_file: Path | None = (
        None  # more customers than a sheet holds: the graded rows go here, not to a sheet
    )

    listed: Sequence[RowIssue] | None = (
        None  # several inputs: the issues with their files' rows (else issues)
    )
    extra: Explained | None = None  # the explanation columns, and stability with --stability
    trend: Trend | None = None  # this run and its past runs, with history
    at_risk: AtRisk | None = None  # the early warning, when P(alive) or two past runs allow one

    @property
    def issues(self) -> list[RowIssue]:
        """Every row problem, from reading, validation and scoring, as the Issues sheet lists it (several inputs
        graded together: each row named by its file and its row there)."""
        if self.listed is not None:
            return list(self.listed)
        return [*self.table.issues, *self.scores.issues, *self.grades.issues]
