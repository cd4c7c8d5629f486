"""The numbers of the Summary sheet (汇总), computed as plain data from a :class:`~kactier.report.model.Report`.

:func:`summarize` computes everything; :func:`kactier.report.summary_sheet.write_summary` lays it out.

Sections, in order: run facts; customers by tier (count, share, total and share of value, mean/min/max score,
action, service level); key indicators; tier transitions against the previous run (with history); mean criterion
points by tier; tier counts per group (``group_by``) and per capacity group (``[tiers.capacity] per``), then
tier × region and tier × industry counts (when those columns exist, each column once); the data behind the charts.
Charts: customers by tier (columns in the tier colours) and the Pareto curve of value.

- *Value* is the tier method's value column (``tiers.value`` of ``pareto`` / ``computed-abc``), else annual sales
  (年销售额) when the sheet has it; without either, the value columns and the Pareto curve are left out.
- Pareto curve: graded customers with a value, ordered by value from the largest; x is the cumulative share of
  customers, y the cumulative share of value. Each tier cut line is drawn at the share of customers in that tier and
  the tiers above it (x) and the share of value they hold (y): on the curve when tiers follow value, below it when
  tiers follow the score. At most :data:`MAX_CURVE_POINTS` points are drawn (evenly spaced over the customers).
- KPIs over the graded customers, overall and per tier: NPS = 100 × (share of 推荐意愿 9–10 − share of 0–6);
  mean satisfaction; repeat purchase rate = customers with 2 or more orders ÷ customers with at least one; retention
  = share of the previous run's graded customers that are in this input (per tier: by previous tier). A KPI whose
  column is absent or empty is left out. Callers add their own through ``Report.extra_kpis`` (:class:`Kpi`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..history.changes import REVIEW_RUN_ID, TierChanges
from ..i18n import Lang, localized, text
from .model import Kpi, KpiKind, Report
from .segment_summary import SegmentSummary, segment_summary
from .stability_summary import BorderlineSection, borderline_section
from .trend_data import ConversionTable, TrendTable, summarize_conversion, summarize_trend
from .warning import AtRiskSummary, summarize_at_risk

NDArray = np.ndarray[Any, Any]
MAX_CURVE_POINTS = 400


@dataclass(frozen=True, slots=True)
class TierRow:
    """Customers by tier: one tier, or the total."""

    label: str
    customers: int
    share: float | None
    value_total: float | None
    value_share: float | None
    mean_score: float | None
    min_score: float | None
    max_score: float | None
    action: str = ""
    service_level: str = ""


@dataclass(frozen=True, slots=True)
class CrossTab:
    """Customers per category (rows) and tier (columns)."""

    title_key: str
    column: str  # the input header, e.g. 所在地区
    categories: list[str]
    counts: list[list[int]]


@dataclass(frozen=True, slots=True)
class CriterionMeans:
    """Mean 0–100 points of one criterion per tier and over all graded customers."""

    criterion: str
    per_tier: list[float | None]
    overall: float | None


@dataclass(frozen=True, slots=True)
class Transitions:
    """Customers by previous tier (rows, then new) and tier now (columns, then not graded now, then gone)."""

    previous_run: str
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]


@dataclass(frozen=True, slots=True)
class ParetoCurve:
    """The Pareto curve of value and the tier cut lines, as shares between 0 and 1."""

    value_label: str
    points: list[tuple[float, float]]  # (customers, value), from (0, 0)
    cuts: list[tuple[str, float, float]]  # ("A / B", customers, value) at each tier boundary


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the Summary sheet shows, labels already in ``lang``."""

    lang: Lang
    facts: list[tuple[str, Any]]
    tier_labels: list[str]
    tier_colors: list[str]
    score_decimals: int
    value_label: str | None
    tiers: list[TierRow]
    total: TierRow
    kpis: list[Kpi]
    criterion_means: list[CriterionMeans]
    crosstabs: list[CrossTab]
    transitions: Transitions | None
    pareto: ParetoCurve | None
    segments: SegmentSummary | None = None  # with [segments]
    trend: TrendTable | None = None  # with past runs
    conversion: ConversionTable | None = None  # with past runs and a lifecycle stage column
    at_risk: AtRiskSummary | None = None  # with an early warning
    borderline: BorderlineSection | None = None  # --stability: borderline customers per tier


def summarize(report: Report) -> Summary:
    """The numbers of the Summary sheet; see the module docstring for every definition."""
    table, scores, grades, config = report.table, report.scores, report.grades, report.config
    lang = table.lang
    levels = config.tiers.levels
    labels = [level.label for level in levels]
    tier = np.asarray(grades.tier)
    score = np.asarray(scores.score, dtype=float)
    value_key = _value_key(report)
    value_label = table.column_names[table.field_columns[value_key]] if value_key else None
    values = table.frame[value_key].to_numpy(dtype=float) if value_key else None
    changes = report.changes

    graded = tier >= 0
    sums = _ValueSums.of(values, graded) if values is not None else None
    rows = [
        dataclasses.replace(
            _tier_row(level.label, tier == i, graded, score, sums),
            action=localized(level.action, lang),
            service_level=localized(level.service_level, lang),
        )
        for i, level in enumerate(levels)
    ]
    total = _tier_row(text("total", lang), graded, graded, score, sums)

    facts = [(text(key, lang), value) for key, value in report.facts]
    if value_label is not None:
        facts.append((text("value_column", lang), value_label))
    transitions = None
    if changes is not None:
        previous = _describe_run(changes, lang)
        facts.append((text("previous_run", lang), previous))
        transitions = Transitions(
            previous,
            [*labels, text("change_new", lang)],
            [*labels, text("change_not_graded", lang), text("change_gone", lang)],
            [list(r) for r in changes.matrix],
        )
    return Summary(
        lang=lang,
        facts=facts,
        tier_labels=labels,
        tier_colors=[level.color for level in levels],
        score_decimals=config.score_decimals,
        value_label=value_label,
        tiers=rows,
        total=total,
        kpis=[*_kpis(report, tier, len(levels)), *report.extra_kpis],
        criterion_means=[
            _criterion_means(c.display(lang), scores.points[c.key].to_numpy(dtype=float), tier, len(levels))
            for c in config.criteria
        ],
        crosstabs=_crosstabs(report, tier, len(levels)),
        transitions=transitions,
        pareto=_pareto(sums.values, tier, labels, value_label) if sums is not None else None,
        segments=segment_summary(report, values, value_label),
        trend=summarize_trend(report),
        conversion=summarize_conversion(report),
        at_risk=summarize_at_risk(report),
        borderline=borderline_section(report),
    )


def _value_key(report: Report) -> str | None:
    tiers, frame = report.config.tiers, report.table.frame
    if tiers.uses_value and tiers.value_key in frame:
        return tiers.value_key
    return "annual_sales" if "annual_sales" in frame else None


@dataclass(frozen=True, slots=True)
class _ValueSums:
    """Sums of the value column, in units of ``unit``: 1.0 unless the values add up beyond float64 (two 1e308s),
    then the largest graded value, so that every share stays finite; such a total is left blank."""

    values: NDArray  # the value column divided by unit
    unit: float
    total: float  # of the graded customers, in units

    @classmethod
    def of(cls, values: NDArray, graded: NDArray) -> _ValueSums:
        magnitudes = np.abs(values[graded])
        with np.errstate(over="ignore"):
            ordinary = bool(np.isfinite(np.nansum(magnitudes)))
        unit = 1.0 if ordinary or not magnitudes.size else float(np.nanmax(magnitudes))
        scaled = values if unit == 1.0 else values / unit
        return cls(scaled, unit, float(np.nansum(scaled[graded])))

    def total_and_share(self, members: NDArray) -> tuple[float | None, float | None]:
        """The total of ``members`` (None beyond float64) and its share of the graded total."""
        in_units = float(np.nansum(self.values[members]))
        share = in_units / self.total if self.total > 0 else None
        total = in_units * self.unit  # Python floats: an overflow is inf, with no numpy warning
        return (total if np.isfinite(total) else None), share


def _stats(values: NDArray) -> tuple[float | None, float | None, float | None]:
    present = values[~np.isnan(values)]
    if not present.size:
        return None, None, None
    return float(present.mean()), float(present.min()), float(present.max())


def _tier_row(
    label: str, members: NDArray, graded: NDArray, score: NDArray, sums: _ValueSums | None
) -> TierRow:
    count, graded_count = int(members.sum()), int(graded.sum())
    mean, low, high = _stats(score[members])
    value_total = value_share = None
    if sums is not None:
        value_total, value_share = sums.total_and_share(members)
    share = count / graded_count if graded_count else None
    return TierRow(label, count, share, value_total, value_share, mean, low, high)


def _mean(values: NDArray) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else None


def _criterion_means(name: str, points: NDArray, tier: NDArray, k: int) -> CriterionMeans:
    return CriterionMeans(name, [_mean(points[tier == i]) for i in range(k)], _mean(points[tier >= 0]))


def _crosstabs(report: Report, tier: NDArray, k: int) -> list[CrossTab]:
    """Tier counts per group_by value and per capacity per value, then per region and industry (each column
    once)."""
    table, grades = report.table, report.grades
    found: list[CrossTab] = []
    for column, title in ((grades.groups, "by_tier_group"), (grades.capacity_groups, "by_capacity_group")):
        if column is not None and column.header not in {c.column for c in found}:
            found.append(_counted(title, column.header, column.values, tier, k, table.lang))
    for key, title in (("region", "by_region"), ("industry", "by_industry")):
        shown = {c.column for c in found}
        if key in table.frame and table.column_names[table.field_columns[key]] not in shown:
            found.append(_crosstab(report, key, title, tier, k))
    return found


def _crosstab(report: Report, key: str, title: str, tier: NDArray, k: int) -> CrossTab:
    table = report.table
    values = [None if v is None or v != v else str(v) for v in table.frame[key].tolist()]  # NaN
    return _counted(title, table.column_names[table.field_columns[key]], values, tier, k, table.lang)


def _counted(title: str, header: str, values: list[Any], tier: NDArray, k: int, lang: Lang) -> CrossTab:
    """Graded customers per category (blank: its own category, last among equals) and tier."""
    blank = text("blank_category", lang)
    categories = [blank if v is None or v == "" else v for v in values]
    counts: dict[str, list[int]] = {}
    for category, level in zip(categories, tier.tolist(), strict=True):
        if level >= 0:
            counts.setdefault(category, [0] * k)[level] += 1
    order = sorted(counts, key=lambda c: (-sum(counts[c]), c == blank, c))
    return CrossTab(title, header, order, [counts[c] for c in order])


def _kpis(report: Report, tier: NDArray, k: int) -> list[Kpi]:
    frame, lang = report.table.frame, report.table.lang
    graded = tier >= 0
    groups = [tier == i for i in range(k)]
    kpis: list[Kpi] = []

    def add(key: str, column: NDArray, measure: Any, kind: KpiKind, basis: NDArray) -> None:
        if not (graded & basis).any():
            return
        kpis.append(
            Kpi(
                text(key, lang),
                measure(column[graded & basis]),
                tuple(measure(column[g & basis]) if (g & basis).any() else None for g in groups),
                kind,
                int((graded & basis).sum()),
                text(f"{key}_def", lang),
            )
        )

    if "recommend" in frame:
        recommend = frame["recommend"].to_numpy(dtype=float)
        add("nps", recommend, _nps, "number", ~np.isnan(recommend))
    if "satisfaction" in frame:
        satisfaction = frame["satisfaction"].to_numpy(dtype=float)
        add("satisfaction_mean", satisfaction, _finite_mean, "number", ~np.isnan(satisfaction))
    if "orders" in frame:
        orders = np.nan_to_num(frame["orders"].to_numpy(dtype=float))
        add("repeat_rate", orders, lambda x: float((x >= 2).mean()), "percent", orders >= 1)
    changes = report.changes
    if changes is not None and any(changes.previous_counts):
        before, kept = changes.previous_counts, changes.retained
        kpis.append(
            Kpi(
                text("retention", lang),
                sum(kept) / sum(before),
                tuple(kept[i] / before[i] if before[i] else None for i in range(k)),
                "percent",
                sum(before),
                text("retention_def", lang),
            )
        )
    return kpis


def _finite_mean(values: NDArray) -> float:
    """The mean, in units of the largest magnitude when the plain sum would overflow (values near 1e308)."""
    with np.errstate(over="ignore"):
        mean = float(values.mean())
    if np.isfinite(mean):
        return mean
    largest = float(np.abs(values).max())
    return float((values / largest).mean()) * largest


def _nps(recommend: NDArray) -> float:
    """Net Promoter Score: 100 × (share of 9–10 − share of 0–6), from −100 to 100."""
    return float(100.0 * ((recommend >= 9).mean() - (recommend <= 6).mean()))


def _pareto(values: NDArray, tier: NDArray, labels: list[str], value_label: str | None) -> ParetoCurve | None:
    usable = (tier >= 0) & ~np.isnan(values) & (values >= 0)
    value, level = values[usable], tier[usable]
    total = float(value.sum())
    if value.size == 0 or total <= 0 or value_label is None:
        return None
    order = np.argsort(-value, kind="stable")
    cumulative = np.cumsum(value[order]) / total
    n = value.size
    picked = np.arange(n)
    if n > MAX_CURVE_POINTS:
        picked = np.unique(np.round(np.linspace(0, n - 1, MAX_CURVE_POINTS)).astype(int))
    points = [(0.0, 0.0), *((float((i + 1) / n), float(cumulative[i])) for i in picked.tolist())]
    cuts = []
    for boundary in range(len(labels) - 1):
        above = level <= boundary
        cuts.append(
            (
                f"{labels[boundary]} / {labels[boundary + 1]}",
                float(above.sum() / n),
                float(value[above].sum() / total),
            )
        )
    return ParetoCurve(value_label, points, cuts)


def _describe_run(changes: TierChanges, lang: Lang) -> str:
    run = changes.previous
    if run.id == REVIEW_RUN_ID:
        return text("review_before", lang, name=run.input_name)
    return f"#{run.id} · {run.input_name} · {text('as_of', lang)} {run.as_of}"
