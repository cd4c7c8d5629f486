"""The Summary sheet (汇总): the numbers a manager reads, computed as plain data, then written with native charts.

:func:`summarize` computes everything from a :class:`~kactier.write.Report`; :func:`write_summary` lays it out.

Sections, in order: run facts; customers by tier (count, share, total and share of value, mean/min/max score,
action, service level); key indicators; tier transitions against the previous run (with history); mean criterion
points by tier; tier × region and tier × industry counts (when those columns exist); the data behind the charts.
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
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..history.store import TierChanges
from ..i18n import Lang, localized, text

if TYPE_CHECKING:
    from .workbook import Report

NDArray = np.ndarray[Any, Any]
KpiKind = Literal["percent", "number", "money", "count"]
MAX_CURVE_POINTS = 400
_CHART_ROWS = 16  # rows the charts beside the run facts take
_CHART_WIDTH, _CHART_HEIGHT = 480, 300


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
    total_value = float(np.nansum(values[graded])) if values is not None else 0.0
    rows = [
        dataclasses.replace(
            _tier_row(level.label, tier == i, graded, score, values, total_value),
            action=localized(level.action, lang),
            service_level=localized(level.service_level, lang),
        )
        for i, level in enumerate(levels)
    ]
    total = _tier_row(text("total", lang), graded, graded, score, values, total_value)

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
        crosstabs=[
            _crosstab(report, key, title, tier, len(levels))
            for key, title in (("region", "by_region"), ("industry", "by_industry"))
            if key in table.frame
        ],
        transitions=transitions,
        pareto=_pareto(values, tier, labels, value_label) if values is not None else None,
    )


def _value_key(report: Report) -> str | None:
    tiers, frame = report.config.tiers, report.table.frame
    if tiers.uses_value and tiers.value_key in frame:
        return tiers.value_key
    return "annual_sales" if "annual_sales" in frame else None


def _stats(values: NDArray) -> tuple[float | None, float | None, float | None]:
    present = values[~np.isnan(values)]
    if not present.size:
        return None, None, None
    return float(present.mean()), float(present.min()), float(present.max())


def _tier_row(
    label: str, members: NDArray, graded: NDArray, score: NDArray, values: NDArray | None, total_value: float
) -> TierRow:
    count, graded_count = int(members.sum()), int(graded.sum())
    mean, low, high = _stats(score[members])
    value_total = value_share = None
    if values is not None:
        value_total = float(np.nansum(values[members]))
        value_share = value_total / total_value if total_value > 0 else None
    share = count / graded_count if graded_count else None
    return TierRow(label, count, share, value_total, value_share, mean, low, high)


def _mean(values: NDArray) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else None


def _criterion_means(name: str, points: NDArray, tier: NDArray, k: int) -> CriterionMeans:
    return CriterionMeans(name, [_mean(points[tier == i]) for i in range(k)], _mean(points[tier >= 0]))


def _crosstab(report: Report, key: str, title: str, tier: NDArray, k: int) -> CrossTab:
    table, lang = report.table, report.table.lang
    blank = text("blank_category", lang)
    categories = [
        blank if v is None or v != v or v == "" else str(v) for v in table.frame[key].tolist()
    ]  # NaN
    counts: dict[str, list[int]] = {}
    for category, level in zip(categories, tier.tolist(), strict=True):
        if level >= 0:
            counts.setdefault(category, [0] * k)[level] += 1
    order = sorted(counts, key=lambda c: (-sum(counts[c]), c == blank, c))
    return CrossTab(title, table.column_names[table.field_columns[key]], order, [counts[c] for c in order])


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
        add("satisfaction_mean", satisfaction, lambda x: float(x.mean()), "number", ~np.isnan(satisfaction))
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
    return f"#{run.id} · {run.input_name} · {text('as_of', lang)} {run.as_of}"


# -- writing ----------------------------------------------------------------------------------------------------


def write_summary(book: Workbook, sheet: Worksheet, summary: Summary) -> None:
    """Lay ``summary`` out on ``sheet``, with the two charts beside the run facts."""
    _SummaryWriter(book, sheet, summary).write()


class _SummaryWriter:
    def __init__(self, book: Workbook, sheet: Worksheet, summary: Summary) -> None:
        self.book, self.sheet, self.summary = book, sheet, summary
        self.lang = summary.lang
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.bold = add({"bold": True})
        self.note = add({"italic": True, "font_color": "#595959"})
        decimals = summary.score_decimals
        self.score = add({"num_format": "0." + "0" * decimals if decimals else "0"})
        self.percent = add({"num_format": "0.0%"})
        self.number = add({"num_format": "#,##0.00"})
        self.count = add({"num_format": "#,##0"})
        self.share = add({"num_format": "0.0%"})
        self.total_count = add({"num_format": "#,##0", "bold": True, "top": 1})
        self.total_percent = add({"num_format": "0.0%", "bold": True, "top": 1})
        self.total_number = add({"num_format": "#,##0.00", "bold": True, "top": 1})
        self.total_label = add({"bold": True, "top": 1})
        self.tier_formats = [
            add({"bg_color": color, "bold": True, "align": "center", "border": 1})
            for color in summary.tier_colors
        ]
        self.kind_formats = {
            "percent": self.percent,
            "number": self.number,
            "money": self.number,
            "count": self.count,
        }
        self.tiers_at: tuple[int, int] = (0, 0)  # first and last row of the tier table, for the chart

    def write(self) -> None:
        sheet, lang = self.sheet, self.lang
        sheet.write_string(0, 0, text("summary_title", lang), self.title)
        row = self._facts(2)
        row = max(row, 2 + _CHART_ROWS) + 1
        row = self._tier_table(row) + 2
        row = self._kpi_table(row) + 2
        if self.summary.transitions is not None:
            row = self._transitions(row, self.summary.transitions) + 2
        row = self._criterion_means(row) + 2
        for crosstab in self.summary.crosstabs:
            row = self._crosstab(row, crosstab) + 2
        curve_at = self._chart_data(row)
        self._charts(curve_at)
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 7, 14)
        sheet.set_column(8, 8, 44)
        sheet.set_column(9, 9, 18)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.hide_gridlines(2)
        sheet.set_footer("&L&A&R&P / &N")

    def _section(self, row: int, key: str, detail: str = "") -> int:
        self.sheet.write_string(
            row, 0, text(key, self.lang) + (f" · {detail}" if detail else ""), self.section
        )
        return row + 1

    def _facts(self, row: int) -> int:
        row = self._section(row, "run_facts")
        for label, value in self.summary.facts:
            self.sheet.write_string(row, 0, label)
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.sheet.write_string(row, 1, str(value))
            else:
                self.sheet.write_number(row, 1, value)
            row += 1
        return row

    def _optional(self, row: int, column: int, value: float | None, cell_format: Any) -> None:
        if value is not None:
            self.sheet.write_number(row, column, value, cell_format)

    def _tier_table(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "by_tier")
        keys = ["tier", "customers", "share"]
        headers = [text(k, lang) for k in keys]
        if summary.value_label is not None:
            headers += [
                text("value_total_of", lang).format(summary.value_label),
                text("value_share_of", lang).format(summary.value_label),
            ]
        else:
            headers += ["", ""]
        headers += [
            text(k, lang) for k in ("mean_score", "min_score", "max_score", "action", "service_level")
        ]
        sheet.write_row(row, 0, headers, self.header)
        first = row + 1
        for index, tier in enumerate(summary.tiers):
            row += 1
            self._tier_cells(row, tier, self.tier_formats[index], total=False)
        self.tiers_at = (first, row)
        row += 1
        self._tier_cells(row, summary.total, self.total_label, total=True)
        return row

    def _tier_cells(self, row: int, tier: TierRow, label_format: Any, *, total: bool) -> None:
        sheet = self.sheet
        sheet.write_string(row, 0, tier.label, label_format)
        sheet.write_number(row, 1, tier.customers, self.total_count if total else self.count)
        percent, number = (self.total_percent, self.total_number) if total else (self.percent, self.number)
        self._optional(row, 2, tier.share, percent)
        self._optional(row, 3, tier.value_total, number)
        self._optional(row, 4, tier.value_share, percent)
        score_format = self.total_number if total else self.score
        self._optional(row, 5, tier.mean_score, self.total_number if total else self.number)
        self._optional(row, 6, tier.min_score, score_format)
        self._optional(row, 7, tier.max_score, score_format)
        if not total:
            sheet.write_string(row, 8, tier.action)
            sheet.write_string(row, 9, tier.service_level)

    def _kpi_table(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "kpis")
        if not summary.kpis:
            sheet.write_string(row, 0, text("no_kpis", lang), self.note)
            return row
        k = len(summary.tier_labels)
        headers = [text("kpi", lang), *summary.tier_labels, text("all_customers", lang)]
        sheet.write_row(row, 0, [*headers, text("basis", lang), text("definition", lang)], self.header)
        for index in range(k):
            sheet.write_string(row, 1 + index, summary.tier_labels[index], self.tier_formats[index])
        for kpi in summary.kpis:
            row += 1
            cell_format = self.kind_formats.get(kpi.kind, self.number)
            sheet.write_string(row, 0, kpi.label)
            for index, value in enumerate(kpi.per_tier[:k]):
                self._optional(row, 1 + index, value, cell_format)
            self._optional(row, 1 + k, kpi.overall, cell_format)
            if kpi.basis is not None:
                sheet.write_number(row, 2 + k, kpi.basis, self.count)
            if kpi.definition:
                sheet.write_string(row, 3 + k, kpi.definition, self.note)
        return row

    def _transitions(self, row: int, transitions: Transitions) -> int:
        lang, sheet = self.lang, self.sheet
        row = self._section(row, "transitions", transitions.previous_run)
        total = text("total", lang)
        sheet.write_row(row, 0, [text("transition_corner", lang), *transitions.columns, total], self.header)
        k = len(self.summary.tier_labels)
        for index in range(k):
            sheet.write_string(row, 1 + index, transitions.columns[index], self.tier_formats[index])
        for index, (label, counts) in enumerate(zip(transitions.rows, transitions.counts, strict=True)):
            row += 1
            sheet.write_string(row, 0, label, self.tier_formats[index] if index < k else self.bold)
            for column, count in enumerate(counts):
                if index < k or column < k:  # new customers are never "not graded" or "gone"
                    sheet.write_number(row, 1 + column, count, self.bold if column == index else self.count)
            sheet.write_number(row, 1 + len(counts), sum(counts), self.count)
        row += 1
        sheet.write_string(row, 0, total, self.total_label)
        columns = [sum(col) for col in zip(*transitions.counts, strict=True)]
        for column, count in enumerate([*columns, sum(columns)]):
            sheet.write_number(row, 1 + column, count, self.total_count)
        return row

    def _criterion_means(self, row: int) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, "criterion_means")
        k = len(summary.tier_labels)
        sheet.write_row(row, 0, [text("criterion", lang)], self.header)
        for index, label in enumerate(summary.tier_labels):
            sheet.write_string(row, 1 + index, label, self.tier_formats[index])
        sheet.write_string(row, 1 + k, text("all_customers", lang), self.header)
        for means in summary.criterion_means:
            row += 1
            sheet.write_string(row, 0, means.criterion)
            for index, value in enumerate(means.per_tier):
                self._optional(row, 1 + index, value, self.number)
            self._optional(row, 1 + k, means.overall, self.number)
        return row

    def _crosstab(self, row: int, crosstab: CrossTab) -> int:
        summary, lang, sheet = self.summary, self.lang, self.sheet
        row = self._section(row, crosstab.title_key)
        k = len(summary.tier_labels)
        sheet.write_string(row, 0, crosstab.column, self.header)
        for index, label in enumerate(summary.tier_labels):
            sheet.write_string(row, 1 + index, label, self.tier_formats[index])
        sheet.write_string(row, 1 + k, text("total", lang), self.header)
        for category, counts in zip(crosstab.categories, crosstab.counts, strict=True):
            row += 1
            sheet.write_string(row, 0, category)
            for index, count in enumerate(counts):
                sheet.write_number(row, 1 + index, count, self.count)
            sheet.write_number(row, 1 + k, sum(counts), self.count)
        row += 1
        sheet.write_string(row, 0, text("total", lang), self.total_label)
        columns = [sum(col) for col in zip(*crosstab.counts, strict=True)] if crosstab.counts else [0] * k
        for index, count in enumerate([*columns, sum(columns)]):
            sheet.write_number(row, 1 + index, count, self.total_count)
        return row

    def _chart_data(self, row: int) -> tuple[int, int, list[int]] | None:
        """Writes the Pareto data; returns (first row, last row) of the curve and the first row of each cut line."""
        pareto, lang, sheet = self.summary.pareto, self.lang, self.sheet
        if pareto is None:
            return None
        row = self._section(row, "chart_data", text("chart_pareto", lang).format(pareto.value_label))
        sheet.write_row(
            row,
            0,
            ["", text("cum_customer_share", lang), text("cum_value_share", lang).format(pareto.value_label)],
            self.header,
        )
        first = row + 1
        for x, y in pareto.points:
            row += 1
            sheet.write_number(row, 1, x, self.share)
            sheet.write_number(row, 2, y, self.share)
        last = row
        cut_rows = []
        for label, x, y in pareto.cuts:
            row += 1
            cut_rows.append(row)
            line = text("cut_line", lang).format(label)
            for offset, (px, py) in enumerate(((x, 0.0), (x, y), (0.0, y))):
                sheet.write_string(row + offset, 0, line)
                sheet.write_number(row + offset, 1, px, self.share)
                sheet.write_number(row + offset, 2, py, self.share)
            row += 2
        return first, last, cut_rows

    def _charts(self, curve: tuple[int, int, list[int]] | None) -> None:
        summary, lang, sheet, name = self.summary, self.lang, self.sheet, self.sheet.name
        first, last = self.tiers_at
        columns = self.book.add_chart({"type": "column"})
        columns.add_series(
            {
                "name": text("customers", lang),
                "categories": [name, first, 0, last, 0],
                "values": [name, first, 1, last, 1],
                "points": [
                    {"fill": {"color": c}, "border": {"color": "#7F7F7F"}} for c in summary.tier_colors
                ],
                "data_labels": {"value": True},
                "gap": 60,
            }
        )
        columns.set_title({"name": text("chart_tiers", lang), "name_font": {"size": 12}})
        columns.set_legend({"none": True})
        columns.set_y_axis(
            {"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
        )
        columns.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
        sheet.insert_chart(2, 3, columns, {"x_offset": 10, "y_offset": 4, "object_position": 3})
        if curve is None or summary.pareto is None:
            return
        first, last, cut_rows = curve
        pareto = self.book.add_chart({"type": "scatter", "subtype": "straight"})
        pareto.add_series(
            {
                "name": text("cum_value_share", lang).format(summary.pareto.value_label),
                "categories": [name, first, 1, last, 1],
                "values": [name, first, 2, last, 2],
                "line": {"color": "#1F4E78", "width": 2.25},
            }
        )
        dashes = ("dash", "round_dot", "long_dash", "dash_dot", "square_dot", "long_dash_dot")
        for index, (cut_row, cut) in enumerate(zip(cut_rows, summary.pareto.cuts, strict=True)):
            pareto.add_series(
                {
                    "name": text("cut_line", lang).format(cut[0]),
                    "categories": [name, cut_row, 1, cut_row + 2, 1],
                    "values": [name, cut_row, 2, cut_row + 2, 2],
                    "line": {"color": "#C00000" if index == 0 else "#7F7F7F", "dash_type": dashes[index % 6]},
                }
            )
        axis = {"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0%"}
        pareto.set_x_axis({**axis, "name": text("cum_customer_share", lang)})
        pareto.set_y_axis(
            {
                **axis,
                "name": text("cum_value_share", lang).format(summary.pareto.value_label),
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        pareto.set_title(
            {"name": text("chart_pareto", lang).format(summary.pareto.value_label), "name_font": {"size": 12}}
        )
        pareto.set_legend({"position": "bottom"})
        pareto.set_size({"width": _CHART_WIDTH, "height": _CHART_HEIGHT})
        sheet.insert_chart(2, 3, pareto, {"x_offset": _CHART_WIDTH + 30, "y_offset": 4, "object_position": 3})
