"""`kactier score/validate --orders` on the command line: presets, sheets, counts, the order-sheet hint, exit codes.

Everything goes through ``typer.testing.CliRunner`` on :data:`kactier.cli.app`; workbooks are built in code or are
``examples/orders_zh.xlsx`` (scripts/make_orders_example.py documents its rows), and are read back by cell value.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import run, sheet_values, write_workbook
from typer.testing import Result

from kactier.errors import ExitCode

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "orders_zh.xlsx"
HEADERS = ["订单号", "客户编号", "客户名称", "所在地区", "订单日期", "订单金额", "毛利", "回款天数", "备注"]
d = dt.date
# Five customers, as-of 2024-06-30 (the last order), window 2023-07-01 – 2024-06-30:
LINES: list[list[Any]] = [
    ["SO1", "C1", "甲公司", "华东", d(2024, 6, 30), 900.0, 180.0, 30, ""],  # row 2
    ["SO2", "C2", "乙公司", "华南", d(2023, 7, 1), 300.0, 60.0, 60, "=加急"],  # 3: the window's first day
    ["SO3", "C1", "甲公司", "华东", d(2024, 1, 15), 500.0, 100.0, 10, ""],  # 4
    ["SO3", "C1", "甲公司", "华东", d(2024, 1, 15), 100.0, 20.0, 20, ""],  # 5: a second line of SO3
    ["SO4", "C3", "丙公司", "华北", d(2023, 6, 30), 700.0, 70.0, 45, ""],  # 6: the day before the window
    ["SO5", "C1", "甲公司", "华东", d(2024, 3, 1), -200.0, -40.0, None, "退货"],  # 7: a refund
    ["SO6", "C4", "丁公司", "西南", d(2022, 12, 1), 400.0, 40.0, 90, ""],  # 8: previous window
    ["SO7", "C4", "丁公司", "西南", d(2024, 2, 2), 250.0, 25.0, 30, ""],  # 9
    ["SO8", "C5", "戊公司", "华东", d(2024, 5, 5), 150.0, 30.0, 15, ""],  # 10
    ["SO9", "C2", "乙公司", "华南", d(2022, 8, 8), 80.0, 8.0, 40, ""],  # 11: previous window
]


def assert_one_error_line(result: Result, *needles: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    assert lines[0].startswith(("kactier: error: ", "kactier：错误： ")), lines[0]  # English or Chinese
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "orders.xlsx", [HEADERS, *LINES], sheet="订单")


def facts(rows: list[list[Any]]) -> dict[str, Any]:
    """The Summary's label → value pairs (first two columns)."""
    return {row[0]: row[1] for row in rows if row and isinstance(row[0], str)}


def by_label(rows: list[list[Any]], label: str) -> list[Any]:
    return next(row for row in rows if row and row[0] == label)


# -- score --orders ---------------------------------------------------------------------------------------------


def test_score_orders_with_rfm_totals_the_lines_and_keeps_them(orders: Path, tmp_path: Path) -> None:
    output = tmp_path / "graded.xlsx"

    result = run("score", orders, "--orders", "-o", output)

    assert result.exit_code == ExitCode.OK, result.output
    assert "配置 rfm" in result.stdout  # a Chinese order sheet: a Chinese summary
    book = openpyxl.load_workbook(output, read_only=True)
    assert book.sheetnames == ["客户汇总", "汇总", "问题", "配置", "订单明细"]
    book.close()
    customers = sheet_values(output, "客户汇总")
    header = customers[0]
    assert header[:10] == [
        "客户编号", "客户名称", "所在地区", "首次合作日期", "最近购买日期", "距上次购买天数",
        "交易次数", "年销售额", "毛利", "平均客单价",
    ]  # fmt: skip
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in customers[1:]}
    assert list(rows) == ["C1", "C2", "C3", "C4", "C5"]
    c1 = rows["C1"]  # SO1 + SO3 (two lines) − the refund SO5
    assert (c1["年销售额"], c1["交易次数"], c1["毛利"], c1["平均客单价"]) == (1300, 2, 260, 650)
    assert (c1["距上次购买天数"], c1["回款天数"]) == (0, 20)
    assert rows["C2"]["年销售额"] == 300  # on the window's first day: in
    assert rows["C2"]["首次合作日期"] == dt.datetime(2022, 8, 8)
    c3 = rows["C3"]  # only the day before the window: no order in it
    assert (c3["年销售额"], c3["交易次数"], c3["毛利"], c3["平均客单价"]) == (0, 0, 0, None)
    assert c3["距上次购买天数"] == 366
    assert all(row["客户级别"] in ("A", "B", "C") for row in rows.values())


@pytest.mark.slow
def test_orders_sheet_keeps_every_row_at_its_row_number_with_what_became_of_it(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / "orders_zh.xlsx"))
    output = tmp_path / "graded.xlsx"

    result = run("score", source, "--orders", "-o", output, "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    given, kept = sheet_values(source, "销售订单"), sheet_values(output, "订单明细")
    assert len(kept) == len(given)
    assert kept[0] == kept[1] == [None] * len(kept[0])  # title and blank rows above the header stay empty
    assert kept[2] == [*given[2], "计入情况"]
    for number, (before, after) in enumerate(zip(given[3:], kept[3:], strict=True), start=4):
        assert after[:-1] == before, f"row {number}"
    status = [row[-1] for row in kept[3:]]
    assert status[2:5] == [
        "窗口内",
        "无效，未计入",
        "无效，未计入",
    ]  # rows 6–8 as documented: 2026/3/5, no id, bad date
    first_day, as_of = dt.datetime(2025, 11, 1), dt.datetime(2026, 10, 31)
    for row, state in zip(given[8:-2], status[5:-2], strict=True):  # rows 9 … the last line: real dates
        assert state == ("窗口内" if first_day <= row[6] <= as_of else "窗口前"), row
    assert status[-2:] == ["非数据行", "非数据行"]  # the blank and the total row
    assert kept[8][10] == "=加急"  # formula-like text stays text
    summary = facts(sheet_values(output, "汇总"))
    read, parts = summary["读取订单行"], [summary[f"\u3000其中：{k}"] for k in
                                         ("非数据行", "无效行（未计入）", "晚于基准日（未计入）", "窗口前", "窗口内")]  # fmt: skip
    assert read == len(given) - 3 == sum(parts)
    assert parts[0] == status.count("非数据行") == 2
    assert parts[1] == status.count("无效，未计入") == 2
    assert parts[4] == status.count("窗口内")
    assert summary["统计窗口"] == "2025-11-01 至 2026-10-31（12 个月）"
    assert summary["订单中的客户数"] == 120 == len(sheet_values(output, "客户汇总")) - 1


def test_issues_name_the_orders_sheet_and_row(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / "orders_zh.xlsx"))
    output = tmp_path / "graded.xlsx"

    assert run("score", source, "--orders", "-o", output, "--quiet").exit_code == ExitCode.OK

    issues = sheet_values(output, "问题")
    found = {(row[0], row[1], row[3]) for row in issues[1:]}
    assert {
        (1, "订单明细", "title_row_skipped"),
        (4, "订单明细!订单金额", "refund_netted"),
        (5, "订单明细!订单金额", "value_coerced"),
        (6, "订单明细!订单日期", "value_coerced"),
        (7, "订单明细!客户编号", "missing_id"),
        (8, "订单明细!订单日期", "not_a_date"),
    } <= found


def test_summary_has_the_order_kpis_overall_and_per_tier(orders: Path, tmp_path: Path) -> None:
    output = tmp_path / "graded.xlsx"

    assert run("score", orders, "--orders", "-o", output, "--quiet", "--preset", "sales-abc").exit_code == 0

    rows = sheet_values(output, "汇总")
    header = by_label(rows, "指标")
    assert header[1:5] == ["A", "B", "C", "全部"]
    everyone = header.index("全部")
    # All five customers are graded; ordering in the window: C1, C2, C4, C5; previous window: C2, C4 (C3 is on
    # 2023-06-30, the previous window's last day), all still buying → retention 2/3.
    assert by_label(rows, "窗口内下单客户数")[everyone] == 4
    assert by_label(rows, "新客户数")[everyone] == 2  # C1 (first purchase 2024-01-15) and C5
    assert by_label(rows, "留存率（较上一窗口）")[everyone] == pytest.approx(2 / 3)
    assert by_label(rows, "平均客单价")[everyone] == pytest.approx((1300 + 300 + 250 + 150) / 5)
    assert by_label(rows, "复购率")[everyone] == pytest.approx(1 / 4)  # the Summary's own KPI over 交易次数
    margin = (260 + 60 + 25 + 30) / 2000
    assert by_label(rows, "毛利率")[everyone] == pytest.approx(margin)
    assert by_label(rows, "预期合作年限")[everyone] == pytest.approx(3.0)  # 1 / (1 − 2/3)
    assert by_label(rows, "客户生命周期价值 CLV")[everyone] == pytest.approx(2000 / 4 * margin * 3.0)


@pytest.mark.parametrize(("preset", "criteria"), [("sales-profit-payment", 4), ("sales-abc", 1)])
def test_other_presets_score_the_totalled_customers(orders: Path, preset: str, criteria: int) -> None:
    result = run("score", orders, "--orders", "--preset", preset, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["config"] == preset
    assert len(payload["weights"]) == criteria
    assert sum(payload["tier_counts"].values()) == payload["rows"]["scored"] == 5
    assert payload["orders"]["lines"] == {
        "read": 10, "skipped": 0, "invalid": 0, "after_as_of": 0, "before_window": 3, "in_window": 7,
    }  # fmt: skip
    customers = sheet_values(orders.with_name("orders.tiered.xlsx"), "客户汇总")
    assert [row[0] for row in customers[1:]] == ["C1", "C2", "C3", "C4", "C5"]


def test_as_of_and_window_months_on_the_command_line(orders: Path) -> None:
    result = run("validate", orders, "--orders", "--as-of", "2024-03-31", "--window-months", "3", "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    window = payload["orders"]
    assert (window["as_of"], window["window_months"], window["window_first_day"]) == (
        "2024-03-31",
        3,
        "2024-01-01",
    )
    assert window["lines"]["after_as_of"] == 2  # SO1 (2024-06-30) and SO8 (2024-05-05)
    assert window["lines"]["in_window"] == 4  # SO3 ×2, the refund SO5, SO7
    late = [i for i in payload["issue_list"] if i["code"] == "after_as_of"]
    assert [(i["row"], i["column"]) for i in late] == [(2, "订单明细!订单日期"), (10, "订单明细!订单日期")]


def test_english_headers_give_english_sheets(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Order ID", "Customer ID", "Customer Name", "Order Date", "Amount"],
            ["A1", "X", "Xeno", d(2024, 1, 1), 10.0], ["A2", "Y", "Yak", d(2024, 2, 1), 20.0],
            ["A3", "X", "Xeno", d(2024, 3, 1), 30.0]]  # fmt: skip
    source = write_workbook(tmp_path / "orders.xlsx", rows, sheet="Sheet1")
    output = tmp_path / "out.xlsx"

    assert run("score", source, "--orders", "-o", output, "-q").exit_code == ExitCode.OK

    book = openpyxl.load_workbook(output, read_only=True)
    assert book.sheetnames == ["Customers", "Summary", "Issues", "Config", "Orders"]
    book.close()
    assert sheet_values(output, "Orders")[0] == [*rows[0], "Counted as"]
    summary = facts(sheet_values(output, "Summary"))
    assert summary["Order lines read"] == 3
    assert summary["Window"] == "2023-03-02 to 2024-03-01 (12 months)"  # as-of: the last order date


# -- errors and exit codes --------------------------------------------------------------------------------------


def test_an_order_sheet_without_orders_fails_with_a_hint(orders: Path) -> None:
    for command in ("score", "validate"):
        result = run(command, orders, "--lang", "en")

        assert result.exit_code == ExitCode.DATA, result.output
        assert_one_error_line(result, "looks like order lines", "'C1' is on rows 2 and 4", "--orders")
    assert not orders.with_name("orders.tiered.xlsx").exists()


def test_a_preset_needing_indicator_scores_is_refused_with_orders(orders: Path) -> None:
    result = run("score", orders, "--orders", "--preset", "key-account", "--lang", "en")

    assert result.exit_code == ExitCode.DATA
    assert_one_error_line(result, "购买力评分 / Purchasing Power", "--preset rfm")


def test_validate_orders_exit_code_follows_the_lines(orders: Path, tmp_path: Path) -> None:
    clean = run("validate", orders, "--orders")
    assert clean.exit_code == ExitCode.OK, clean.output

    source = Path(shutil.copy(EXAMPLE, tmp_path / "orders_zh.xlsx"))
    flawed = run("validate", source, "--orders", "--json")
    assert flawed.exit_code == ExitCode.DATA
    payload = json.loads(flawed.stdout)
    assert payload["rows"]["invalid"] == 0  # every customer can be graded …
    assert payload["orders"]["lines"]["invalid"] == 2  # … but two order lines cannot be counted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.xlsx", "orders_zh.xlsx"]  # nothing written


def test_strict_fails_on_an_order_line_that_cannot_be_counted(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / "orders_zh.xlsx"))

    result = run("score", source, "--orders", "--strict")

    assert result.exit_code == ExitCode.DATA
    assert_one_error_line(result, "2 条订单行无法计入（--strict）", "--orders")  # a Chinese order sheet
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("months", ["0", "121", "twelve"])
def test_window_months_out_of_range_is_a_usage_error(orders: Path, months: str) -> None:
    result = run("score", orders, "--orders", "--window-months", months)

    assert result.exit_code == ExitCode.USAGE
    assert "--window-months" in result.output


# -- a real spreadsheet program -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")  # openpyxl on LO's file
def test_libreoffice_reads_the_orders_sheet(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice is not None, "LibreOffice (soffice) is required: apt-get install libreoffice-calc-nogui"
    output = tmp_path / "graded.xlsx"
    assert run("score", EXAMPLE, "--orders", "-o", output, "-q").exit_code == ExitCode.OK
    folder = tmp_path / "lo"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(folder), str(output)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    again = sheet_values(folder / "graded.xlsx", "订单明细")
    ours = sheet_values(output, "订单明细")
    assert len(again) == len(ours)
    assert again[2] == ours[2]  # the header
    assert [row[-1] for row in again[3:]] == [row[-1] for row in ours[3:]]  # every line's status
    assert [row[1] for row in again[3:50]] == [row[1] for row in ours[3:50]]  # customer ids
