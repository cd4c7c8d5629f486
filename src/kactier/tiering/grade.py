"""Tiers from scores: the config's tier method, then provisional marks, overrides and follow-up dates.

Tier indexes run from 0 (the first, best tier in the config) to k−1; −1 means not graded (the row is excluded and
its reason is in the Issues sheet). The methods themselves are pure functions in :mod:`kactier.tiering.methods` and
:mod:`kactier.tiering.computed_abc`.

- Provisional (暂定): a customer whose first deal date is less than ``provisional_months`` whole months before the
  as-of date (or, without a date, whose tenure in years × 12 is less than that) keeps its computed tier, marked
  provisional.
- Override (调整级别): a tier label in the override column replaces the computed tier (case-insensitive) and is
  marked; an unknown label is a row problem and the computed tier stands. A row that cannot be graded gets no tier,
  override or not: its data must be fixed first (the override is reported as not applied).
- Next follow-up: the as-of date plus the final tier's ``follow_up_days``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..config.models import Config
from ..problems import Action, IssueCode, RowIssue
from ..scoring.engine import Scores
from ..validate.rows import CustomerTable
from .computed_abc import computed_abc_tiers
from .methods import pareto_tiers, quantile_tiers, threshold_tiers

NDArray = np.ndarray[Any, Any]


@dataclass(slots=True)
class Grades:
    """The tier of every data row, with its marks."""

    tier: NDArray  # int, −1 = not graded
    computed: NDArray  # the tier before overrides
    provisional: NDArray  # bool
    overridden: NDArray  # bool
    follow_up: list[dt.date | None]
    as_of: dt.date
    limits: tuple[float, ...] = ()  # computed-abc: the value limits found
    issues: list[RowIssue] = field(default_factory=list)

    def counts(self, levels: int) -> list[int]:
        """Customers per tier, in tier order."""
        graded = self.tier[self.tier >= 0]
        return [int(n) for n in np.bincount(graded, minlength=levels)[:levels]]


def computed_tiers(table: CustomerTable, scores: Scores, config: Config) -> tuple[NDArray, tuple[float, ...]]:
    """Tier index per row under ``config.tiers.method`` (−1 where not graded) and any limits it found."""
    tiers = config.tiers
    graded = scores.graded
    result = np.full(len(graded), -1, dtype=np.int64)
    if not graded.any():
        return result, ()
    ids = table.frame["customer_id"].to_numpy()[graded].tolist()
    limits: tuple[float, ...] = ()
    if tiers.method == "thresholds":
        minimums = [float(level.min_score) for level in tiers.levels[:-1] if level.min_score is not None]
        chosen = threshold_tiers(scores.score[graded], minimums)
    elif tiers.method == "quantile":
        chosen = quantile_tiers(scores.score[graded], ids, tiers.effective_shares())
    else:
        values = table.frame[tiers.value_key].to_numpy(dtype=float)[graded]
        if tiers.method == "pareto":
            chosen = pareto_tiers(values, ids, tiers.effective_cuts())
        else:
            abc = computed_abc_tiers(values, ids)
            chosen, limits = abc.tiers, tuple(float(x) for x in abc.limits)
    result[graded] = chosen
    return result, limits


def grade_customers(
    table: CustomerTable, scores: Scores, config: Config, as_of: dt.date | None = None
) -> Grades:
    """Assign every graded customer its tier, provisional and override marks, and next follow-up date."""
    as_of = as_of or dt.date.today()
    computed, limits = computed_tiers(table, scores, config)
    graded = computed >= 0
    frame = table.frame
    provisional = graded & _short_history(frame, as_of, config.tiers.provisional_months)
    final = computed.copy()
    overridden = np.zeros(len(final), dtype=bool)
    issues: list[RowIssue] = []
    if "override_tier" in frame:
        labels = config.tiers.label_index()
        column = table.column_names[table.field_columns["override_tier"]]
        expected = " / ".join(level.label for level in config.tiers.levels)
        for index, value in enumerate(frame["override_tier"]):
            if value is None or value != value:  # blank; NaN when pandas filled a sparse column
                continue
            row = int(table.excel_rows[index])
            level = labels.get(str(value).strip().casefold())
            if level is None:
                issues.append(
                    RowIssue(row, column, value, IssueCode.UNKNOWN_TIER, Action.VALUE_MISSING, expected)
                )
            elif not graded[index]:
                issues.append(RowIssue(row, column, value, IssueCode.OVERRIDE_NOT_APPLIED, Action.VALUE_KEPT))
            else:
                final[index], overridden[index] = level, True
    days = [level.follow_up_days for level in config.tiers.levels]
    follow_up = [
        as_of + dt.timedelta(days=d) if t >= 0 and (d := days[t]) is not None else None
        for t in final.tolist()
    ]
    return Grades(final, computed, provisional, overridden, follow_up, as_of, limits, issues)


def _short_history(frame: Any, as_of: dt.date, months: int) -> NDArray:
    """True where the customer has less than ``months`` whole months of history at ``as_of``."""
    short = np.zeros(len(frame), dtype=bool)
    if months <= 0:
        return short
    if "first_deal_date" in frame:
        now = as_of.year * 12 + as_of.month
        elapsed = [  # whole months; a customer without a date gets `months`, which is not short
            months if first is None else now - first.year * 12 - first.month - (as_of.day < first.day)
            for first in frame["first_deal_date"].tolist()
        ]
        short |= np.asarray(elapsed, dtype=np.int64) < months
    if "tenure_years" in frame:
        tenure = frame["tenure_years"].to_numpy(dtype=float)
        no_date = ~frame["first_deal_date"].notna().to_numpy() if "first_deal_date" in frame else True
        short |= no_date & (tenure * 12 < months)
    return short
