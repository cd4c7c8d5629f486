"""The report a manager reads: the Summary's numbers (computed as data), its sections and charts, the data sheet's
formats and print setup, reproducible cells, and LibreOffice reading it all.

The numbers are checked against an independent computation from the rows the workbook was built from.
``CUSTOMERS`` and :func:`customers_workbook` are shared with the batch, history and atomic-write tests.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import libreoffice_convert, write_workbook
from openpyxl.chart import BarChart, ScatterChart

from kactier.config.presets import load_preset
from kactier.history.changes import TierChanges
from kactier.pipeline.options import RunOptions
from kactier.pipeline.run import score_workbook
from kactier.read.workbook import read_customer_sheet
from kactier.report.model import Kpi, Report
from kactier.report.summary_data import Summary, summarize
from kactier.report.workbook import write_report
from kactier.scoring.engine import score_customers
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows

HEADERS = [
    "客户编号",
    "客户名称",
    "所在地区",
    "所属行业",
    "年销售额",
    "交易次数",
    "满意度",
    "推荐意愿",
    "购买力评分",
    "交易频次评分",
    "合作历史评分",
    "市场影响力评分",
    "客户忠诚度评分",
]
# id, name, region, industry, annual sales, orders, satisfaction, likelihood to recommend, indicator score (all five
# indicators equal, so the composite equals it: A >= 85, B >= 70, else C under the key-account preset).
CUSTOMERS: list[tuple[str, str, str | None, str | None, float, int, float | None, int | None, float]] = [
    ("C01", "华东机械", "华东", "制造", 5_000_000, 12, 4.5, 10, 95),
    ("C02", "南方百货", "华东", "零售", 3_000_000, 8, 4.0, 9, 90),
    ("C03", "粤海电子", "华南", "制造", 1_200_000, 5, 3.5, 8, 80),
    ("C04", "康宁医药", "华南", "医药", 900_000, 1, 3.0, 7, 75),
    ("C05", "北辰商贸", "华北", "零售", 600_000, 3, 4.2, 9, 72),
    ("C06", "燕山药业", "华北", "医药", 300_000, 1, 2.5, 4, 60),
    ("C07", "江南五金", "华东", "制造", 200_000, 2, 3.8, 6, 55),
    ("C08", "小微零售", None, "零售", 100_000, 0, None, None, 50),
    ("C09", "珠江塑料", "华南", "制造", 50_000, 1, 3.0, 10, 40),
    ("C10", "东海贸易", "华东", None, 20_000, 4, 4.8, 2, 30),
    ("C11", "坏数据公司", "华北", "零售", 10_000, 1, 3.0, 5, 105),  # score outside 0–100: not graded
]
TIER_COLOURS = {"A": "C6EFCE", "B": "FFEB9C", "C": "D9D9D9"}  # templates/key-account.toml
AS_OF = "2026-06-30"


def row_of(customer: Sequence[Any]) -> list[Any]:
    *fields, score = customer
    return [*fields, *([score] * 5)]


def customers_workbook(path: Path, customers: Sequence[Sequence[Any]] = CUSTOMERS) -> Path:
    """The customers under Chinese headers, one sheet 客户信息."""
    return write_workbook(path, [HEADERS, *(row_of(c) for c in customers)])


def tier_of(score: float) -> str:
    return "A" if score >= 85 else "B" if score >= 70 else "C"


def graded(customers: Sequence[Sequence[Any]] = CUSTOMERS) -> list[Sequence[Any]]:
    return [c for c in customers if 0 <= c[-1] <= 100]


def build_report(path: Path, *, changes: TierChanges | None = None, extra_kpis: Sequence[Kpi] = ()) -> Report:
    config = load_preset("key-account")
    table = validate_rows(read_customer_sheet(path), config)
    scores = score_customers(table, config)
    grades = grade_customers(table, scores, config, dt.date(2026, 6, 30))
    facts = [("input_file", path.name), ("as_of", AS_OF)]
    return Report(table, scores, grades, config, facts, [], changes=changes, extra_kpis=extra_kpis)


def load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the report must not need anything openpyxl drops
        return openpyxl.load_workbook(path)


def rows_of(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def find_row(rows: list[list[Any]], first: str) -> int:
    """Index of the first row whose first cell starts with ``first``."""
    for index, row in enumerate(rows):
        if isinstance(row[0], str) and row[0].startswith(first):
            return index
    raise AssertionError(f"no row starting with {first!r}")


def table_below(rows: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows under a section title (its header row first) down to the next blank row."""
    start = find_row(rows, title) + 1
    block = []
    for row in rows[start:]:
        if all(v is None for v in row):
            break
        block.append(row)
    return block


def fill_rgb(cell: Any) -> str:
    assert cell.fill.fill_type == "solid", f"{cell.coordinate} has no solid fill"
    return str(cell.fill.fgColor.rgb)[-6:].upper()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return customers_workbook(tmp_path / "customers.xlsx")


@pytest.fixture
def summary(workbook: Path) -> Summary:
    return summarize(build_report(workbook))


# -- the numbers ----------------------------------------------------------------------------------------------------


def test_customers_by_tier_count_share_value_and_scores(summary: Summary) -> None:
    rated = graded()
    total_value = sum(c[4] for c in rated)
    assert summary.value_label == "年销售额"
    assert [t.label for t in summary.tiers] == ["A", "B", "C"]
    for row in summary.tiers:
        members = [c for c in rated if tier_of(c[-1]) == row.label]
        assert row.customers == len(members)
        assert row.share == pytest.approx(len(members) / len(rated))
        assert row.value_total == pytest.approx(sum(c[4] for c in members))
        assert row.value_share == pytest.approx(sum(c[4] for c in members) / total_value)
        assert row.mean_score == pytest.approx(sum(c[-1] for c in members) / len(members))
        assert row.min_score == min(c[-1] for c in members)
        assert row.max_score == max(c[-1] for c in members)
    assert [t.customers for t in summary.tiers] == [2, 3, 5]
    assert summary.total.customers == 10  # C11 is not graded
    assert summary.total.value_total == pytest.approx(total_value)
    assert summary.total.value_share == pytest.approx(1.0)
    assert summary.tiers[0].action.startswith("重点维护")


def test_region_and_industry_counts_per_tier(summary: Summary) -> None:
    rated = graded()
    by_title = {c.title_key: c for c in summary.crosstabs}
    assert set(by_title) == {"by_region", "by_industry"}
    for key, column, index in (("by_region", "所在地区", 2), ("by_industry", "所属行业", 3)):
        crosstab = by_title[key]
        assert crosstab.column == column
        expected: dict[str, list[int]] = {}
        for c in rated:
            category = c[index] or "（空）"
            expected.setdefault(category, [0, 0, 0])["ABC".index(tier_of(c[-1]))] += 1
        assert dict(zip(crosstab.categories, crosstab.counts, strict=True)) == expected
        totals = [sum(n) for n in crosstab.counts]
        assert totals == sorted(totals, reverse=True)  # the biggest category first
    assert by_title["by_region"].categories[0] == "华东"


def test_mean_criterion_points_per_tier(summary: Summary) -> None:
    rated = graded()
    assert [m.criterion for m in summary.criterion_means] == HEADERS[8:]
    for means in summary.criterion_means:
        for index, label in enumerate("ABC"):
            members = [c[-1] for c in rated if tier_of(c[-1]) == label]
            assert means.per_tier[index] == pytest.approx(sum(members) / len(members))
        assert means.overall == pytest.approx(sum(c[-1] for c in rated) / len(rated))


def test_kpis_nps_satisfaction_and_repeat_purchase(summary: Summary) -> None:
    rated = graded()
    kpis = {k.label: k for k in summary.kpis}
    assert set(kpis) == {"净推荐值 NPS", "平均满意度", "复购率"}  # no retention without history

    answers = [c[7] for c in rated if c[7] is not None]
    promoters, detractors = sum(a >= 9 for a in answers), sum(a <= 6 for a in answers)
    nps = kpis["净推荐值 NPS"]
    assert nps.overall == pytest.approx(100 * (promoters - detractors) / len(answers))
    assert nps.basis == len(answers) == 9
    a_answers = [c[7] for c in rated if tier_of(c[-1]) == "A"]
    assert nps.per_tier[0] == pytest.approx(100.0)  # both A customers are promoters
    assert a_answers == [10, 9]

    satisfaction = kpis["平均满意度"]
    values = [c[6] for c in rated if c[6] is not None]
    assert satisfaction.overall == pytest.approx(sum(values) / len(values))
    c_values = [c[6] for c in rated if tier_of(c[-1]) == "C" and c[6] is not None]
    assert satisfaction.per_tier[2] == pytest.approx(sum(c_values) / len(c_values))

    repeat = kpis["复购率"]
    buyers = [c for c in rated if c[5] >= 1]
    assert repeat.overall == pytest.approx(sum(c[5] >= 2 for c in buyers) / len(buyers))
    assert repeat.basis == len(buyers) == 9  # C08 has no order
    assert repeat.kind == "percent"


def test_pareto_curve_and_cut_lines(summary: Summary) -> None:
    pareto = summary.pareto
    assert pareto is not None
    assert pareto.points[0] == (0.0, 0.0)
    assert pareto.points[-1] == pytest.approx((1.0, 1.0))
    xs, ys = zip(*pareto.points, strict=True)
    assert list(xs) == sorted(xs)
    assert list(ys) == sorted(ys)
    values = sorted((c[4] for c in graded()), reverse=True)
    assert pareto.points[1] == pytest.approx((1 / len(values), values[0] / sum(values)))  # the largest first
    cuts = {label: (x, y) for label, x, y in pareto.cuts}
    assert set(cuts) == {"A / B", "B / C"}
    rated = graded()
    total = sum(c[4] for c in rated)
    a = [c for c in rated if tier_of(c[-1]) == "A"]
    ab = [c for c in rated if tier_of(c[-1]) in "AB"]
    assert cuts["A / B"] == pytest.approx((len(a) / len(rated), sum(c[4] for c in a) / total))
    assert cuts["B / C"] == pytest.approx((len(ab) / len(rated), sum(c[4] for c in ab) / total))


def test_the_curve_is_thinned_on_many_customers(tmp_path: Path) -> None:
    many = [(f"K{i:04d}", f"客户{i}", None, None, 1000 + i, 1, None, None, i % 101) for i in range(1500)]
    summary = summarize(build_report(customers_workbook(tmp_path / "many.xlsx", many)))

    assert summary.pareto is not None
    assert 300 <= len(summary.pareto.points) <= 401
    assert summary.pareto.points[-1] == pytest.approx((1.0, 1.0))


def test_no_value_column_no_kpi_columns(tmp_path: Path) -> None:
    headers = [
        h for h in HEADERS if h not in ("年销售额", "交易次数", "满意度", "推荐意愿", "所在地区", "所属行业")
    ]
    rows = [[c[0], c[1], *([c[-1]] * 5)] for c in CUSTOMERS[:6]]
    summary = summarize(build_report(write_workbook(tmp_path / "bare.xlsx", [headers, *rows])))

    assert summary.value_label is None
    assert summary.pareto is None
    assert summary.kpis == []
    assert summary.crosstabs == []
    assert all(t.value_total is None for t in summary.tiers)


# -- the workbook ----------------------------------------------------------------------------------------------------


@pytest.fixture
def written(workbook: Path, tmp_path: Path) -> Path:
    output = tmp_path / "report.xlsx"
    extra = [Kpi("客单价", 12345.5, (20000.0, 9000.0, None), "money", 9, "年销售额 ÷ 交易次数")]
    write_report(output, build_report(workbook, extra_kpis=extra), force=False)
    return output


def test_every_summary_section_is_on_the_sheet(written: Path) -> None:
    rows = rows_of(load(written)["汇总"])

    assert rows[0][0] == "客户分级汇总"
    facts = table_below(rows, "运行信息")
    assert facts[0][:2] == ["输入文件", "customers.xlsx"]
    assert ["价值字段", "年销售额"] in [r[:2] for r in facts]

    tiers = table_below(rows, "各级别客户")
    assert tiers[0][:8] == [
        "客户级别",
        "客户数",
        "占比",
        "年销售额合计",
        "年销售额占比",
        "平均得分",
        "最低得分",
        "最高得分",
    ]
    assert [r[0] for r in tiers[1:]] == ["A", "B", "C", "合计"]
    assert [r[1] for r in tiers[1:]] == [2, 3, 5, 10]
    assert tiers[1][3] == pytest.approx(8_000_000)

    kpis = table_below(rows, "关键指标")
    assert kpis[0][:5] == ["指标", "A", "B", "C", "全部"]
    by_label = {r[0]: r for r in kpis[1:]}
    assert set(by_label) == {"净推荐值 NPS", "平均满意度", "复购率", "客单价"}
    assert by_label["客单价"][1:5] == [20000.0, 9000.0, None, 12345.5]  # a KPI passed in by the caller
    assert by_label["复购率"][5] == 9

    means = table_below(rows, "各级别指标平均得分")
    assert [r[0] for r in means[1:]] == HEADERS[8:]
    region = table_below(rows, "级别 × 地区")
    assert region[0] == ["所在地区", "A", "B", "C", "合计", *[None] * (len(region[0]) - 5)]
    assert region[-1][:5] == ["合计", 2, 3, 5, 10]
    industry = table_below(rows, "级别 × 行业")
    assert "（空）" in [r[0] for r in industry]
    curve = table_below(rows, "图表数据")
    assert curve[0][1:3] == ["累计客户占比", "累计年销售额占比"]


def test_summary_charts_are_native_excel_charts(written: Path) -> None:
    sheet = load(written)["汇总"]
    charts = sheet._charts  # openpyxl keeps the charts it reads here

    assert [type(c) for c in charts] == [BarChart, ScatterChart]
    bars, pareto = charts
    assert bars.title.tx.rich.p[0].r[0].t == "各级别客户数"
    rows = rows_of(sheet)
    first = find_row(rows, "各级别客户") + 2  # 0-based index of the A row → Excel row first + 1
    assert bars.series[0].val.numRef.f == f"汇总!$B${first + 1}:$B${first + 3}"
    assert len(bars.series[0].dPt) == 3  # each tier's column in its colour
    assert [str(p.spPr.solidFill.srgbClr) for p in bars.series[0].dPt] == list(TIER_COLOURS.values())
    assert pareto.title.tx.rich.p[0].r[0].t == "帕累托曲线：年销售额"
    assert len(pareto.series) == 3  # the curve and the A / B and B / C cut lines


def test_summary_fills_tiers_in_their_colours(written: Path) -> None:
    sheet = load(written)["汇总"]
    rows = rows_of(sheet)
    first = find_row(rows, "各级别客户") + 2
    for offset, label in enumerate("ABC"):
        cell = sheet.cell(first + 1 + offset, 1)
        assert cell.value == label
        assert fill_rgb(cell) == TIER_COLOURS[label]


def test_data_sheet_table_fills_data_bar_formats_and_print_setup(written: Path) -> None:
    sheet = load(written).worksheets[0]
    rows = rows_of(sheet)
    header = rows[0]
    score, tier = header.index("综合得分"), header.index("客户级别")

    assert len(sheet.tables) == 1
    assert (
        next(iter(sheet.tables.values())).ref
        == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows)}"
    )
    for number, row in enumerate(rows[1:], start=2):
        if row[tier] in TIER_COLOURS:
            assert fill_rgb(sheet.cell(number, tier + 1)) == TIER_COLOURS[row[tier]]
    bars = [(str(cf.sqref), rule) for cf in sheet.conditional_formatting for rule in cf.rules]
    letter = openpyxl.utils.get_column_letter(score + 1)
    assert [(ref, rule.type) for ref, rule in bars] == [(f"{letter}2:{letter}{len(rows)}", "dataBar")]
    rule = bars[0][1]
    assert [(v.type, float(v.val)) for v in rule.dataBar.cfvo] == [("num", 0.0), ("num", 100.0)]
    sales = header.index("年销售额") + 1
    assert sheet.cell(2, sales).number_format == "#,##0.00"
    assert sheet.cell(2, sales).value == 5_000_000  # the value itself is untouched
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0  # as many pages down as needed, one across
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "B2"


def test_english_report_labels(tmp_path: Path) -> None:
    source = customers_workbook(tmp_path / "c.xlsx")
    output = tmp_path / "en.xlsx"
    report = build_report(source)
    english = dataclasses.replace(report, table=dataclasses.replace(report.table, lang="en"))
    write_report(output, english, force=False)

    book = load(output)
    rows = rows_of(book["Summary"])
    assert rows[0][0] == "Customer tiering summary"
    for title in ("Run", "Customers by tier", "Key indicators", "Mean criterion points", "Tier × region"):
        find_row(rows, title)
    assert {k[0] for k in table_below(rows, "Key indicators")[1:]} == {
        "Net Promoter Score (NPS)",
        "Mean satisfaction",
        "Repeat purchase rate",
    }


# -- reproducible cells ----------------------------------------------------------------------------------------------


def every_cell(path: Path) -> dict[str, list[list[Any]]]:
    book = load(path)
    return {sheet.title: rows_of(sheet) for sheet in book.worksheets}


def test_re_running_gives_the_same_cells_and_the_run_time_only_in_properties(
    workbook: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    config = load_preset("key-account")
    one = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    two = dt.datetime(2032, 6, 7, 8, 9, 10, tzinfo=dt.UTC)
    as_of = dt.date.fromisoformat(AS_OF)
    score_workbook(workbook, RunOptions(output=first, config=config, as_of=as_of, now=one))
    score_workbook(workbook, RunOptions(output=second, config=config, as_of=as_of, now=two))

    assert every_cell(first) == every_cell(second)
    cells = str(every_cell(first))
    assert "2031" not in cells
    modified = dt.datetime.fromtimestamp(workbook.stat().st_mtime).astimezone()
    assert modified.strftime("%Y-%m-%d %H:%M:%S %z") in cells  # the input's time stands in for the run's
    assert load(first).properties.created == one.replace(tzinfo=None)
    assert load(second).properties.created == two.replace(tzinfo=None)


# -- LibreOffice ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_the_report_and_reads_the_summary(written: Path, tmp_path: Path) -> None:
    done = libreoffice_convert(written, "pdf", tmp_path)
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")

    # Every sheet to CSV (token 12 = -1: all sheets, one file each, named <name>-<sheet>.csv).
    done = libreoffice_convert(
        written, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", tmp_path
    )
    assert done.returncode == 0, done.stderr
    exported = tmp_path / "report-汇总.csv"
    assert exported.is_file(), f"no Summary CSV; soffice said:\n{done.stdout}\n{done.stderr}"
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    titles = [r[0] for r in rows if r]
    for title in (
        "运行信息",
        "各级别客户",
        "关键指标",
        "各级别指标平均得分（0–100）",
        "级别 × 地区（客户数）",
    ):
        assert title in titles
    start = next(i for i, r in enumerate(rows) if r and r[0] == "各级别客户")
    tiers = rows[start + 2 : start + 6]  # under the title and the header
    assert [r[0] for r in tiers] == ["A", "B", "C", "合计"]
    assert [r[1] for r in tiers] == ["2", "3", "5", "10"]
    assert math.isclose(float(tiers[0][2].rstrip("%")), 20.0)
