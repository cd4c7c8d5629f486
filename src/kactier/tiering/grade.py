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
- Groups (``[tiers] group_by``): the tier method runs within each value of the column (:mod:`.groups`).
- Capacity (``[tiers.capacity]``): after overrides, at most so many customers of a tier per value of its ``per``
  column; the lowest-ranked above a cap move down one tier, cascading, overrides never moved (:mod:`.capacity`).
- Next follow-up: the as-of date plus the final tier's ``follow_up_days``.
- Segments (``[segments]``): computed last, over the customers graded in the final tiers (:mod:`.segments`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..config.models import Config
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..scoring.engine import Scores
from ..validate.rows import CustomerTable
from .capacity import capacity_tiers, rank_order
from .computed_abc import computed_abc_tiers
from .groups import GroupColumn, Method, blank_group_issues, group_column, tiers_by_group
from .methods import pareto_tiers, quantile_tiers, threshold_tiers
from .segments import Segmentation, segment_customers

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
    limits: tuple[float, ...] = ()  # computed-abc: the value limits found (without group_by)
    issues: list[RowIssue] = field(default_factory=list)
    moved: NDArray | None = None  # bool: moved down by a capacity cap (None without [tiers.capacity])
    groups: GroupColumn | None = None  # the group_by column
    capacity_groups: GroupColumn | None = None  # the capacity per column
    segments: Segmentation | None = None  # [segments]: each row's segment, computed after the tiers

    def at(self, positions: Sequence[int]) -> Grades:
        """The grades of the data rows at ``positions`` only: every per-row array, the group columns and the
        segments cut to them (the issues are the caller's to choose: they name rows by their Excel row)."""
        at = list(positions)
        segments = self.segments
        return replace(
            self,
            tier=self.tier[at],
            computed=self.computed[at],
            provisional=self.provisional[at],
            overridden=self.overridden[at],
            follow_up=[self.follow_up[p] for p in at],
            moved=self.moved[at] if self.moved is not None else None,
            groups=self.groups.at(at) if self.groups is not None else None,
            capacity_groups=self.capacity_groups.at(at) if self.capacity_groups is not None else None,
            segments=replace(segments, index=segments.index[at]) if segments is not None else None,
        )

    def counts(self, levels: int) -> list[int]:
        """Customers per tier, in tier order."""
        graded = self.tier[self.tier >= 0]
        return [int(n) for n in np.bincount(graded, minlength=levels)[:levels]]


def computed_tiers(
    table: CustomerTable, scores: Scores, config: Config, groups: GroupColumn | None = None
) -> tuple[NDArray, tuple[float, ...]]:
    """Tier index per row under ``config.tiers.method`` (−1 where not graded) and any limits it found; with
    ``groups``, the method runs within each group and no limits are returned (each group has its own)."""
    graded = scores.graded
    result = np.full(len(graded), -1, dtype=np.int64)
    if not graded.any():
        return result, ()
    ids = table.frame["customer_id"].to_numpy()[graded].tolist()
    keys = order_keys(table, scores, config)[graded]
    method = tier_method(config)
    limits: tuple[float, ...] = ()
    if groups is None:
        chosen, limits = method(keys, ids)
    else:
        chosen = tiers_by_group(
            method, keys, ids, [groups.values[i] for i in np.flatnonzero(graded).tolist()]
        )
    result[graded] = chosen
    return result, limits


def order_keys(table: CustomerTable, scores: Scores, config: Config) -> NDArray:
    """What the tier method orders customers by, per row: the score, or the value of pareto / computed-abc."""
    tiers = config.tiers
    if tiers.uses_value:
        return np.asarray(table.frame[tiers.value_key].to_numpy(dtype=float))
    return np.asarray(scores.score, dtype=float)


def tier_method(config: Config) -> Method:
    """The config's tier method as a function of (keys, ids) -> (tiers, limits)."""
    tiers = config.tiers
    if tiers.method == "thresholds":
        minimums = [float(level.min_score) for level in tiers.levels[:-1] if level.min_score is not None]
        return lambda keys, ids: (threshold_tiers(keys, minimums), ())
    if tiers.method == "quantile":
        shares = tiers.effective_shares()
        return lambda keys, ids: (quantile_tiers(keys, ids, shares), ())
    if tiers.method == "pareto":
        cuts = tiers.effective_cuts()
        return lambda keys, ids: (pareto_tiers(keys, ids, cuts), ())

    def abc(keys: NDArray, ids: list[str]) -> tuple[NDArray, tuple[float, ...]]:
        found = computed_abc_tiers(keys, ids)
        return found.tiers, tuple(float(x) for x in found.limits)

    return abc


def grade_customers(
    table: CustomerTable, scores: Scores, config: Config, as_of: dt.date | None = None
) -> Grades:
    """Assign every graded customer its tier, provisional and override marks, and next follow-up date."""
    as_of = as_of or dt.date.today()
    tiers = config.tiers
    groups = group_column(table, tiers.group_by, "group_by") if tiers.group_by is not None else None
    per = _capacity_column(table, config, groups)
    computed, limits = computed_tiers(table, scores, config, groups)
    graded = computed >= 0
    provisional = graded & _short_history(table.frame, as_of, tiers.provisional_months)
    final, overridden, issues = _overrides(table, config, computed)
    moved = None
    if per is not None:
        final, moved, moves = _capped(table, scores, config, (final, overridden), per)
        issues += moves
    issues += blank_group_issues(table, graded, groups, per)
    days = [level.follow_up_days for level in tiers.levels]
    follow_up = [
        as_of + dt.timedelta(days=d) if t >= 0 and (d := days[t]) is not None else None
        for t in final.tolist()
    ]
    grades = Grades(final, computed, provisional, overridden, follow_up, as_of, limits, issues)
    grades.moved, grades.groups, grades.capacity_groups = moved, groups, per
    grades.segments = segment_customers(table, scores, config, final)
    if grades.segments is not None:
        grades.issues += grades.segments.issues
    return grades


def _capacity_column(table: CustomerTable, config: Config, groups: GroupColumn | None) -> GroupColumn | None:
    """The capacity per column (the group_by column itself when both name it), or None without a capacity."""
    capacity = config.tiers.capacity
    if capacity is None:
        return None
    if groups is not None and config.tiers.group_key == capacity.per_key:
        return groups
    return group_column(table, capacity.per, "capacity.per")


def _capped(
    table: CustomerTable, scores: Scores, config: Config, tiered: tuple[NDArray, NDArray], per: GroupColumn
) -> tuple[NDArray, NDArray, list[RowIssue]]:
    """The tiers after the capacity caps, which rows moved, and a ``capacity_moved`` issue for each."""
    final, overridden = tiered
    tiers = config.tiers
    graded = np.flatnonzero(final >= 0)
    position = np.full(len(final), len(final), dtype=np.int64)
    ids = table.frame["customer_id"].to_numpy()[graded].tolist()
    position[graded] = rank_order(order_keys(table, scores, config)[graded], ids)
    caps = tiers.caps()
    capped = capacity_tiers(final, position, per.values, overridden, caps, len(tiers.levels))
    moved = capped != final
    labels = [level.label for level in tiers.levels]
    issues = []
    for index in np.flatnonzero(moved).tolist():
        was, now = int(final[index]), int(capped[index])
        value = per.values[index]
        note = Note(
            "note.capacity_moved",
            tier=labels[was],
            to=labels[now],
            per=per.header,
            value=value if value else Note("blank_category"),
            cap=caps[was],
        )
        row = int(table.excel_rows[index])
        issues.append(RowIssue(row, per.header, value, IssueCode.CAPACITY_MOVED, Action.TIER_MOVED, note))
    return capped, moved, issues


def _overrides(
    table: CustomerTable, config: Config, computed: NDArray
) -> tuple[NDArray, NDArray, list[RowIssue]]:
    """The tiers after the override column, which rows it overrode, and its problems."""
    frame = table.frame
    graded = computed >= 0
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
    return final, overridden, issues


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
