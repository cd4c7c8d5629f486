"""Order exports read by DuckDB (CSV, TSV, Parquet, folders and globs of parts): every rule of the workbook path.

The reference is the workbook path itself: a CSV file read cell by cell by :mod:`kactier.read.csvfile` and checked
by :mod:`kactier.orders.lines` (:func:`read_order_sheet`). The DuckDB path (:func:`read_order_export`) must give the
same line statuses, the same issues on the same lines, the same counts and the same customers, on files typed the
way people type them. At scale, a generated 2M-line export is checked against an independent pandas aggregation.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import run, write_workbook
from orders_oracle import pandas_aggregate
from test_orders import (
    ZH_ORDER_HEADERS,
    as_sheet_rows,
    assert_matches,
    expected_customers,
    random_lines,
    write_orders_csv,
)

from kactier.errors import ExitCode, InputError, WorkbookError
from kactier.orders.book import OrderBook, read_order_sheet
from kactier.orders.columnar import read_order_export
from kactier.orders.window import Window

MESSY = """订单导出 2024,,,,,,,
,,,,,,,
订单号,客户编号,客户名称,所在地区,订单日期,订单金额,毛利,回款日期
A1,K001,甲公司,华东,2024-01-05,1200.5,100,2024-02-01
A2,K001,,华南,2024/2/5,"¥1,234",,
A3,K002,乙公司,,2024年3月1日,12.5万,3,2024-02-01
A4,0012,丙,华北,2024-03-02,-50,,

A5,   ,丁,,2024-03-03,10,,
A6,K003,戊,,,20,,
A7,K003,戊,,2024-03-04,,,
A8,K004,己,,2024-13-01,5,,
A9,K004,己,,2024-03-05 10:11:12,abc,,
A10,123.0,庚,,20240306,8,,
订单号,客户编号,客户名称,所在地区,订单日期,订单金额,毛利,回款日期
,合计,,,,99999,,
A11,K005,"多行
名称",华东,2024-03-07,7,-1,2024-03-01
A11,K005,辛,华东,2025-03-07,7,,
,,,,,,,
"""


def to_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet with DuckDB (pandas would need pyarrow, which kactier does not install)."""
    import duckdb

    with duckdb.connect() as db:
        db.register("frame", frame)
        db.execute(f"COPY (SELECT * FROM frame) TO '{path}' (FORMAT parquet)")


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a DataFrame, read by DuckDB."""
    import duckdb

    with duckdb.connect() as db:
        frame: pd.DataFrame = db.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    return frame


def issues_of(book: OrderBook) -> list[tuple[Any, ...]]:
    return [(i.row, i.column, i.value, i.code, i.action, i.detail) for i in book.issues]


def assert_same_book(reference: OrderBook, export: OrderBook) -> None:
    """The DuckDB path's book is the workbook path's: statuses, counts, issues (in order) and customers."""
    assert export.counts == reference.counts
    assert export.status.tolist() == reference.status.tolist()
    assert issues_of(export) == issues_of(reference)
    assert export.window == reference.window
    assert export.source.header_row == reference.source.header_row
    assert export.column_names == reference.column_names
    left, right = reference.customers, export.customers
    assert list(right.columns) == list(left.columns)
    for column in left.columns:
        a, b = left[column].tolist(), right[column].tolist()
        if left[column].dtype.kind == "f":
            np.testing.assert_allclose(np.asarray(b, float), np.asarray(a, float), rtol=1e-12, equal_nan=True)
        else:
            assert b == a, column


def both_paths(path: Path, **options: Any) -> tuple[OrderBook, OrderBook]:
    export = read_order_export(path, **options)
    export.close()
    return read_order_sheet(path, **options), export


def test_a_messy_csv_reads_as_the_workbook_path_reads_it(tmp_path: Path) -> None:
    # title rows, a blank line, an id of spaces, a repeated header, a total row, a quoted newline, typed values
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    reference, export = both_paths(path)
    assert_same_book(reference, export)
    assert export.counts.skipped == 4
    assert export.counts.invalid == 6


# -- generated files typed as people type them -------------------------------------------------------------------

IDS = [
    "K001",
    "K002",
    "0012",
    "K003 ",
    " K004",
    "123",
    "123.0",
    "-0",
    "1.50",
    "客户甲",
    "2024-03-05",
    "   ",
    "\u3000",
]
DATES = [
    "2024-01-05", "2024-3-5", "2024/2/5", "2024.2.5", "2024年3月1日", "20240306", "2024-02-30", "0000-01-01",
    "2024-03-05 10:11:12", "2024-03-05T10:11:12", "2024-03-05 24:00:00", "45000", "abc", "", "２０２４-０３-０５",
]  # fmt: skip
AMOUNTS = [
    "1200.5", "-50", "0", "¥1,234", "12.5万", "(1,234.00)", "1e3", "+5", "0123", "abc", "", "八十五",
    "0.30000000000000004", "１２３", "RMB 1,234", "12,34",
]  # fmt: skip
TEXTS = ["甲公司", "", "华东", "123.0", "2024-03-05T10:11:12", "  ", "乙公司"]
TOTALS = [
    ["", "合计", "", "", "", "99999", "", ""],
    ["", "", "总计", "", "", "1", "", ""],
    ["Total", "", "", "", "", "", "", ""],
]


def messy_rows(rng: random.Random, n: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for _i in range(n):
        roll = rng.random()
        if roll < 0.03:
            rows.append([])  # a blank line
        elif roll < 0.05:
            rows.append(list(ZH_ORDER_HEADERS))  # a repeated header
        elif roll < 0.07:
            rows.append(rng.choice(TOTALS))
        else:
            usual = rng.random() < 0.6  # most lines as an ERP writes them
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(600))
            rows.append(
                [
                    f"SO{rng.randrange(n // 2)}" if rng.random() < 0.9 else "",
                    f"K{rng.randrange(8):03d}" if usual else rng.choice(IDS),
                    rng.choice(TEXTS),
                    rng.choice(TEXTS),
                    day.isoformat() if usual else rng.choice([*DATES, day.isoformat()]),
                    f"{rng.uniform(-100, 5000):.2f}" if usual else rng.choice(AMOUNTS),
                    rng.choice(AMOUNTS),
                    rng.choice(["", "30", "-5", "十", "abc"]),
                ]
            )
    return rows


@pytest.mark.parametrize(
    ("seed", "encoding", "delimiter", "multiline"),
    [
        (1, "utf-8", ",", False),
        (2, "utf-8-sig", "\t", True),
        (3, "gb18030", ";", False),
        (4, "utf-8", "|", True),
    ],
)
def test_generated_exports_read_as_the_workbook_path_reads_them(
    tmp_path: Path, seed: int, encoding: str, delimiter: str, multiline: bool
) -> None:
    rng = random.Random(seed)
    header = [*ZH_ORDER_HEADERS[:7], "回款天数"]
    rows = [["销售订单导出"], [], header, *messy_rows(rng, 400)]
    if multiline:
        rows[10][2] = "多行\n\n名称"  # a blank line inside a quoted field is no blank line
    path = tmp_path / "export.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    reference, export = both_paths(path)
    assert_same_book(reference, export)
    assert reference.counts.invalid > 20
    assert reference.counts.skipped > 10
    assert any(i.code.value == "value_coerced" for i in reference.issues)


def test_a_window_and_as_of_date_given_apply_alike(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([ZH_ORDER_HEADERS, *messy_rows(random.Random(9), 300)])
    reference, export = both_paths(path, as_of=dt.date(2023, 9, 30), window_months=3)
    assert_same_book(reference, export)
    assert export.counts.after_as_of > 0


def test_the_workbook_and_the_csv_and_parquet_exports_give_the_same_customers(tmp_path: Path) -> None:
    as_of = dt.date(2024, 3, 15)
    lines = random_lines(random.Random(23), 300, as_of, 6, after=True)
    rows = [ZH_ORDER_HEADERS, *as_sheet_rows(lines)]
    xlsx = read_order_sheet(write_workbook(tmp_path / "orders.xlsx", rows), as_of=as_of, window_months=6)
    csv_path = write_orders_csv(tmp_path / "orders.csv", rows)
    parquet = tmp_path / "orders.parquet"
    typed = pd.read_csv(csv_path, dtype={"订单号": str, "客户编号": str}, parse_dates=["订单日期"])
    typed["订单日期"] = typed["订单日期"].dt.date
    to_parquet(typed, parquet)
    expected = expected_customers(lines, as_of, 6)
    for path in (csv_path, parquet):
        book = read_order_export(path, as_of=as_of, window_months=6)
        book.close()
        assert_matches(book.customers, expected)
        assert book.counts == xlsx.counts
        assert book.status.tolist() == xlsx.status.tolist()
        for code in ("refund_netted", "after_as_of"):
            assert [i.row for i in book.issues if i.code.value == code] == [
                i.row for i in xlsx.issues if i.code.value == code
            ]


def test_a_folder_or_glob_of_parts_totals_as_one_export(tmp_path: Path) -> None:
    lines = random_lines(random.Random(5), 240, dt.date(2024, 3, 15), 6)
    rows = as_sheet_rows(lines)
    whole = write_orders_csv(tmp_path / "whole.csv", [ZH_ORDER_HEADERS, *rows])
    parts = tmp_path / "parts"
    parts.mkdir()
    rows_by_part = [rows[k * 80 : (k + 1) * 80] for k in range(3)]
    for k, part_rows in enumerate(rows_by_part):
        write_orders_csv(parts / f"part-{k}.csv", [ZH_ORDER_HEADERS, *part_rows])
    (parts / "notes.md").write_text("not a part")
    reference = read_order_export(whole)
    reference.close()
    for source in (parts, parts / "part-*.csv"):
        book = read_order_export(source)
        book.close()
        assert book.counts == reference.counts
        pd.testing.assert_frame_equal(book.customers, reference.customers)
        # the parts' lines follow one another as in the Orders sheet: the rows of the one file they were cut from
        assert issues_of(book) == issues_of(reference)
    assert any(i.code.value == "refund_netted" for i in book.issues)

    result = run("score", parts, "--orders")  # the Orders sheet says where each line came from
    assert result.exit_code == ExitCode.OK, result.output
    sheet = openpyxl.load_workbook(tmp_path / "parts.tiered.xlsx", read_only=True)["订单明细"]
    shown = list(sheet.iter_rows(values_only=True))
    assert shown[0][-3:] == ("计入情况", "文件", "行号")
    assert [r[-2:] for r in shown[1:]] == [(f"part-{k}.csv", n) for k in range(3) for n in range(2, 82)]
    assert shown[81][:2] == tuple(rows_by_part[1][0][:2])  # part-1's first line follows part-0's last


def test_parts_with_different_headers_or_no_parts_are_refused(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    write_orders_csv(parts / "a.csv", [ZH_ORDER_HEADERS, ["A1", "K1", "x", "华东", "2024-01-01", 1, 1, 1]])
    write_orders_csv(parts / "b.csv", [ZH_ORDER_HEADERS[:6], ["A2", "K1", "x", "华东", "2024-01-02", 2]])
    with pytest.raises(WorkbookError, match=r"b\.csv: its header differs from the first file.s, a\.csv"):
        read_order_export(parts)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no order files"):
        read_order_export(empty)
    with pytest.raises(InputError, match="no file matches"):
        read_order_export(tmp_path / "nothing-*.csv")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    write_orders_csv(mixed / "a.csv", [ZH_ORDER_HEADERS, ["A1", "K1", "x", "华东", "2024-01-01", 1, 1, 1]])
    write_workbook(mixed / "b.xlsx", [ZH_ORDER_HEADERS, ["A2", "K1", "x", "华东", "2024-01-02", 2, 1, 1]])
    with pytest.raises(InputError, match=r"b\.xlsx: is a workbook, not a CSV or Parquet export"):
        read_order_export(mixed / "*")


def test_a_line_with_more_fields_than_the_header_gets_a_column_as_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    rows: list[list[Any]] = [ZH_ORDER_HEADERS, *[["A1", "K1", "x", "华东", "2024-01-01", 1, 1, 1]] * 300]
    rows.append(
        ["A2", "K1", "x", "华东", "2024-01-02", 2, 1, 1, "", "a note"]
    )  # beyond the first lines' width
    write_orders_csv(path, rows)
    reference, export = both_paths(path)
    assert_same_book(reference, export)
    assert export.column_names[-1] == "列J"


def test_a_line_far_wider_than_the_first_lines_is_refused_with_its_number_in_the_headers_language(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wide.csv"
    rows: list[list[Any]] = [["客户编号", "订单日期", "订单金额"], *[["K1", "2024-01-01", 1]] * 300]
    rows.append(["K1", "2024-01-02", 2, "a", "b", "c", "d"])  # past the first 220 records, 4 fields too many
    write_orders_csv(path, rows)
    result = run("validate", path, "--orders")
    assert result.exit_code == ExitCode.NO_INPUT, result.output
    assert f"{path}：第 302 行的字段远多于表头和前几行的 3 列；请检查该行的分隔符或引号" in result.output


def test_score_writes_the_orders_sheet_from_a_parquet_export(tmp_path: Path) -> None:
    source = tmp_path / "orders.parquet"
    days = pd.date_range("2024-01-01", periods=400, freq="D").date
    pd.DataFrame(
        {
            "客户编号": [f"00{i % 37:03d}" for i in range(400)],  # ids with leading zeros stay text
            "订单日期": days,
            "订单金额": [100.0 + i for i in range(400)],
            "所在地区": ["华东", "华南"] * 200,
        }
    ).pipe(to_parquet, source)
    result = run("score", source, "--orders", "--json")
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(result.stdout)["orders"]["lines"]["in_window"] > 0
    book = openpyxl.load_workbook(tmp_path / "orders.tiered.xlsx", read_only=True)
    sheet = book["订单明细"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("客户编号", "订单日期")
    assert len(rows) == 401
    assert rows[1][0] == "00000"
    assert rows[1][1].date() == dt.date(2024, 1, 1)
    customers = [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "00000" in customers
    assert len(customers) == 37


def test_an_export_that_is_no_table_is_refused_before_any_reader_parses_it(tmp_path: Path) -> None:
    broken = tmp_path / "orders.parquet"
    broken.write_bytes(b"PAR1" + b"\x00" * 64)
    result = run("validate", broken, "--orders")
    assert result.exit_code == ExitCode.NO_INPUT, result.output
    assert "Parquet" in result.output
    html = tmp_path / "orders.csv"
    html.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    result = run("validate", html, "--orders")
    assert result.exit_code == ExitCode.NO_INPUT, result.output


def test_lines_beyond_the_sheet_go_to_parquet_and_csv_files_the_workbook_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kactier.orders.book

    monkeypatch.setattr(kactier.orders.book, "MAX_ROWS", 100)  # a sheet of 100 rows: the 240 lines do not fit
    lines = random_lines(random.Random(5), 240, dt.date(2024, 3, 15), 6)
    body = as_sheet_rows(lines)
    body[10:10] = [[], []]  # blank lines among the lines: raw must hold them in order
    source = write_orders_csv(tmp_path / "orders.csv", [ZH_ORDER_HEADERS, *body, ["", "合计"]])
    result = run("score", source, "--orders")
    assert result.exit_code == ExitCode.OK, result.output

    book = openpyxl.load_workbook(tmp_path / "orders.tiered.xlsx", read_only=True)
    assert "订单明细" not in book.sheetnames
    facts = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r and r[0]}
    named = [v for v in facts.values() if isinstance(v, str) and "order-lines" in v]
    assert named == ["orders → orders.tiered.order-lines.parquet, orders.tiered.order-lines.csv"]
    parquet = read_parquet(tmp_path / "orders.tiered.order-lines.parquet")
    table = pd.read_csv(tmp_path / "orders.tiered.order-lines.csv", encoding="utf-8-sig", dtype=str)
    assert list(parquet.columns) == ["文件", "行号", *ZH_ORDER_HEADERS, "计入情况"]
    assert list(table.columns) == list(parquet.columns)
    assert len(parquet) == len(table) == 243  # every line, the blank lines and the total row too
    assert parquet["行号"].tolist() == list(range(2, 245))
    assert parquet["计入情况"].iloc[-1] == "非数据行"
    written = (tmp_path / "orders.tiered.order-lines.csv").read_bytes()
    assert written.startswith("\ufeff文件,行号,".encode())  # one BOM, for Excel, then the header unquoted
    assert table["行号"].astype(int).tolist() == parquet["行号"].tolist()  # the CSV file is the Parquet file
    assert table["计入情况"].tolist() == parquet["计入情况"].tolist()
    assert set(parquet["文件"]) == {"orders.csv"}
    export = read_order_export(source)
    export.close()
    labels = {0: "窗口内", 1: "窗口前", 2: "晚于基准日，未计入", 3: "无效，未计入", 4: "非数据行"}
    assert parquet["计入情况"].tolist() == [labels[s] for s in export.status.tolist()]
    assert not list(tmp_path.glob(".*.tmp"))
    (tmp_path / "orders.tiered.xlsx").unlink()
    again = run(
        "score", source, "--orders"
    )  # the lines files are replaced only with --force, as the workbook is
    assert again.exit_code == ExitCode.CANT_CREATE, again.output
    assert "orders.tiered.order-lines.parquet" in again.output
    assert run("score", source, "--orders", "--force").exit_code == ExitCode.OK


def test_issues_of_one_kind_beyond_the_listed_are_counted_in_one_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kactier.orders.columnar

    monkeypatch.setattr(kactier.orders.listed, "LISTED_PER_KIND", 5)
    header = ["客户编号", "订单日期", "订单金额"]
    rows = [header, *[[f"K{i % 3}", f"2024/3/{1 + i}", "-5" if i % 2 else "10"] for i in range(20)]]
    path = write_orders_csv(tmp_path / "orders.csv", rows)
    book = read_order_export(path)
    book.close()
    coerced = [i for i in book.issues if i.code.value == "value_coerced"]
    refunds = [i for i in book.issues if i.code.value == "refund_netted"]
    assert [i.row for i in coerced] == [2, 3, 4, 5, 6]
    assert len(refunds) == 5
    more = {(i.value, i.detail) for i in book.issues if i.code.value == "more_like_these"}
    assert more == {("value_coerced", "15"), ("refund_netted", "5")}
    assert book.counts.in_window == 20  # every line still counted


def test_an_issues_sheet_that_cannot_hold_every_issue_says_how_many_are_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kactier.report.listing

    monkeypatch.setattr(kactier.report.listing, "MAX_DATA_ROWS", 10)
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    result = run("score", path, "--orders", "--json")
    assert result.exit_code == ExitCode.OK, result.output
    total = json.loads(result.stdout)["issues"]  # how many there are
    sheet = openpyxl.load_workbook(tmp_path / "messy.tiered.xlsx", read_only=True)["问题"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    assert len(rows) == 10
    assert rows[-1][3] == "more_like_these"
    assert f"另有 {total - 9} 行同类情况" in rows[-1][4]


def test_more_customers_than_a_sheet_holds_go_to_a_parquet_file_the_workbook_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kactier.pipeline.output

    monkeypatch.setattr(
        kactier.pipeline.output, "MAX_DATA_ROWS", 5
    )  # a sheet of 5 rows: 12 customers do not fit
    lines = random_lines(random.Random(5), 240, dt.date(2024, 3, 15), 6)
    source = write_orders_csv(tmp_path / "orders.csv", [ZH_ORDER_HEADERS, *as_sheet_rows(lines)])
    result = run("score", source, "--orders", "--json")
    assert result.exit_code == ExitCode.OK, result.output
    graded = json.loads(result.stdout)

    book = openpyxl.load_workbook(tmp_path / "orders.tiered.xlsx", read_only=True)
    assert book.sheetnames == [
        "汇总",
        "问题",
        "配置",
        "订单明细",
    ]  # no customer sheet: its rows are in the file
    facts = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert "orders.tiered.parquet" in facts.values()
    rows = read_parquet(tmp_path / "orders.tiered.parquet")
    assert len(rows) == graded["rows"]["read"] == 12
    assert rows["客户编号"].tolist() == sorted(rows["客户编号"])
    assert {"综合得分", "客户级别"} <= set(rows.columns)
    counts = rows["客户级别"].value_counts().to_dict()
    assert counts == {k: v for k, v in graded["tier_counts"].items() if v}


def test_an_export_whose_bytes_stop_being_text_says_where(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    head = "客户编号,订单日期,订单金额\r\n" + "K1,2024-01-01,1\r\n" * 5000
    path.write_bytes(head.encode("gb18030") + b"K2,2024-01-02,\x81\x20\r\n")  # no GB18030 character
    result = run("validate", path, "--orders")
    assert result.exit_code == ExitCode.NO_INPUT, result.output
    assert "GBK" in result.output
    assert f"{len(head.encode('gb18030')) + 14:,}" in result.output  # the byte that is not text


# -- at scale --------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_million_generated_lines_match_an_independent_aggregation(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "orders.csv"
    n = 2_000_000
    duckdb.connect().execute(
        f"""COPY (SELECT 'SO' || (i // 3) AS 订单号, 'KH' || lpad(CAST(hash(i, 1) % 40000 AS VARCHAR), 6, '0') AS 客户编号,
                 '公司' || (hash(i, 1) % 40000) || '-' || (i % 7) AS 客户名称,
                 DATE '2024-12-31' - CAST(hash(i, 2) % 900 AS INTEGER) AS 订单日期,
                 CASE WHEN hash(i, 3) % 50 = 0 THEN -1 ELSE 1 END * round(hash(i, 4) % 100000 / 100.0, 2) AS 订单金额,
                 CASE WHEN hash(i, 5) % 4 > 0 THEN round(hash(i, 6) % 5000 / 100.0, 2) END AS 毛利
          FROM range({n}) t(i)) TO '{path}' (FORMAT csv, HEADER)"""
    )
    book = read_order_export(path)
    book.close()

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)  # the oracle reads the file on its own
    day = pd.to_datetime(frame["订单日期"]).dt.date.map(dt.date.toordinal)
    lines = pd.DataFrame(
        {
            "customer_id": frame["客户编号"].to_numpy(dtype=object),
            "day": day.to_numpy(dtype=np.int64),
            "amount": frame["订单金额"].astype(float).to_numpy(),
            "excel_row": np.arange(2, n + 2),
            "order_id": frame["订单号"].to_numpy(dtype=object),
            "gross_profit": pd.to_numeric(frame["毛利"].replace("", None)).to_numpy(dtype=float),
            "customer_name": frame["客户名称"].to_numpy(dtype=object),
        }
    )
    window = Window(dt.date.fromordinal(int(lines["day"].max())), 12)
    oracle = pandas_aggregate(lines, window)

    assert book.window == window
    assert book.counts.read == n
    assert book.counts.in_window + book.counts.before_window == n
    ours = book.customers
    assert list(ours.columns) == list(oracle.columns)
    for column in ours.columns:
        if ours[column].dtype.kind == "f":
            np.testing.assert_allclose(
                ours[column].to_numpy(), oracle[column].to_numpy(), rtol=1e-9, equal_nan=True
            )
        else:
            assert ours[column].tolist() == oracle[column].tolist(), column
    refunds = [i.row for i in book.issues if i.code.value == "refund_netted"]
    assert refunds == [int(r) for r in lines.loc[lines["amount"] < 0, "excel_row"]]
