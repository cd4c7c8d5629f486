"""A big order sheet read column by column (fastexcel → Arrow → DuckDB) reads exactly as the cell-by-cell path reads
it: statuses, counts, issues in order, customers, and the Orders sheet of the graded workbook. A sheet that path
cannot read exactly (merged ranges, error values, a column of mixed kinds) goes the cell-by-cell way.

Every test lowers :data:`kactier.orders.sheet_columnar.COLUMNAR_FROM` to 0, so that small sheets take the path.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter
from conftest import write_workbook
from test_order_exports import assert_same_book

import kactier.orders.sheet_arrow as sheet_arrow
import kactier.orders.sheet_columnar as sheet_columnar
import kactier.read.zip_parts
from kactier.orders.book import OrderBook, read_order_sheet
from kactier.orders.sheet_columnar import read_order_workbook
from kactier.pipeline.options import RunOptions
from kactier.pipeline.run import score_workbook
from kactier.read.opening import open_input

HEADERS = [
    "订单号",
    "客户编号",
    "客户名称",
    "所在地区",
    "订单日期",
    "订单金额",
    "毛利",
    "回款日期",
    "回款天数",
    "加急",
]


@pytest.fixture(autouse=True)
def every_sheet_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_columnar, "COLUMNAR_FROM", 0)


def columnar(path: Path, **options: Any) -> OrderBook | None:
    with open_input(path) as opened:
        sheet_columnar.copy_while_checking(opened, options.get("sheet"))
        return read_order_workbook(opened, **options)


def assert_both_paths_agree(path: Path, **options: Any) -> OrderBook:
    book = columnar(path, **options)
    assert book is not None, "the sheet should be read column by column"
    try:
        assert_same_book(read_order_sheet(path, **options), book)
        assert list(book.rows()) == [
            [c if c is not None else "" for c in row] for row in read_order_sheet(path, **options).source.rows
        ]
    finally:
        book.close()
    return book


def typed_lines() -> list[list[Any]]:
    day = dt.date(2024, 1, 1)
    rows: list[list[Any]] = []
    for n in range(60):
        when = day + dt.timedelta(days=9 * n)
        rows.append(
            [
                f"SO{n // 2:04d}",  # two lines per order
                f"KH{n % 7:03d}",
                f"客户{n % 7}",
                ["华东", "华南", "", "西南"][n % 4] or None,
                dt.datetime.combine(when, dt.time(9, 30)) if n % 5 == 0 else when,
                -120.5 if n % 11 == 3 else 1000 + 17.25 * n,
                None if n % 6 == 0 else 0.2 * n,
                when + dt.timedelta(days=(n % 40) - 5),
                None if n % 3 else float(n % 50 - 3),
                n % 2 == 0,
            ]
        )
    rows[4][1] = "   "  # an id of spaces: no customer
    rows[8][4] = None  # no date
    rows[9][5] = None  # no amount
    rows[12][1] = "  KH001 "  # kept as written
    return rows


def test_a_typed_sheet_reads_as_the_cell_by_cell_path_reads_it(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [HEADERS, *typed_lines()]
    rows.insert(20, None)  # a blank row
    rows.insert(30, [None, "合计", None, None, None, 99999.0, None, None, None, None])  # a total row
    path = write_workbook(tmp_path / "orders.xlsx", rows, sheet="订单", title=["2024年订单明细", ""])
    book = assert_both_paths_agree(path)
    assert book.source.header_row == 3
    assert book.counts.skipped == 2
    assert book.counts.invalid == 3
    later = assert_both_paths_agree(path, as_of=dt.date(2024, 10, 1), window_months=6)
    assert later.counts.after_as_of > 0


def test_numeric_ids_and_a_value_beside_the_header_read_alike(tmp_path: Path) -> None:
    lines: list[list[Any]] = [
        [None, float(n), 1000.0 + n % 9, dt.date(2024, 1, 1) + dt.timedelta(days=n * 5), 10.0 * n]
        for n in range(40)
    ]
    lines[4][2] = 1e16  # too long to be exact: reported
    lines[5][2] = 1001.5  # not whole: as written
    lines[6][0] = "备注"  # a value left of the header: a column of its own
    lines[8] = [*lines[8], None, "右侧"]  # and one beyond its last column
    path = write_workbook(tmp_path / "numeric.xlsx", [["", *HEADERS[:2], *HEADERS[4:6]], *lines])
    book = assert_both_paths_agree(path)
    assert book.source.first_column == 0
    assert any(i.code.value == "long_numeric_id" for i in book.issues)


def test_hidden_rows_and_columns_are_reported_as_the_cell_by_cell_path_reports_them(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("订单")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS[:6])
    for n in range(1, 30):
        sheet.write_row(n, 0, [f"SO{n}", f"KH{n % 4}", f"客户{n % 4}", "华东"])
        sheet.write_datetime(n, 4, dt.datetime(2024, 1, 1) + dt.timedelta(days=n), date)
        sheet.write_number(n, 5, 100.0 * n)
    sheet.set_row(5, None, None, {"hidden": True})
    sheet.set_column(3, 3, None, None, {"hidden": True})
    book.close()
    read = assert_both_paths_agree(path)
    assert "hidden_column" in {i.code.value for i in read.source.issues}


@pytest.mark.parametrize("trouble", ["merged", "error", "mixed", "header_again"])
def test_a_sheet_this_path_cannot_read_exactly_goes_cell_by_cell(tmp_path: Path, trouble: str) -> None:
    path = tmp_path / f"{trouble}.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("订单")
    sheet.write_row(0, 0, HEADERS[:6])
    for n in range(1, 20):
        sheet.write_row(n, 0, [f"SO{n}", f"KH{n % 4}", f"客户{n % 4}", "华东", 45300 + n, 100.0 * n])
    if trouble == "merged":
        sheet.merge_range(3, 2, 4, 2, "客户3")
    elif trouble == "error":
        sheet.write_formula(6, 5, "=1/0", None, "#DIV/0!")
    elif trouble == "mixed":
        sheet.write_string(7, 5, "¥1,234")
    else:
        sheet.write_row(10, 0, HEADERS[:6])
    book.close()
    assert columnar(path) is None
    assert read_order_sheet(path).counts.read == 19


def test_a_small_sheet_goes_cell_by_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_columnar, "COLUMNAR_FROM", 16 * 1024**2)
    path = write_workbook(tmp_path / "small.xlsx", [HEADERS, *typed_lines()])
    assert columnar(path) is None


def sheet_cells(path: Path) -> dict[str, list[list[Any]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names if name != "汇总"}


def test_the_graded_workbook_is_the_same_by_either_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261201)
    rows: list[list[Any] | None] = [HEADERS]
    for n in range(3000):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        stamp = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))) if n % 9 == 0 else day
        amount = round(rng.uniform(-200, 20000), 2) if n % 50 else -round(rng.uniform(1, 900), 2)
        paid = day + dt.timedelta(days=rng.randrange(-3, 90)) if n % 4 else None
        region = rng.choice(["华东", "华南", "华北", None])
        rows.append([f"SO{n:06d}", f"KH{rng.randrange(300):04d}", f"客户{n % 300}", region, stamp, amount,
                     round(amount * 0.2, 2), paid, None, bool(n % 3)])  # fmt: skip
    path = write_workbook(tmp_path / "orders.xlsx", rows)
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    outputs = {}
    for name, threshold in (("columnar", 0), ("cells", 1 << 62)):
        monkeypatch.setattr(sheet_columnar, "COLUMNAR_FROM", threshold)
        out = tmp_path / f"{name}.xlsx"
        score_workbook(path, RunOptions(orders=True, output=out, force=True, now=now))
        outputs[name] = sheet_cells(out)
    assert outputs["columnar"] == outputs["cells"]
    assert len(outputs["cells"]["订单明细"]) == 3001


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_a_sheet_parsed_in_parts_reads_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    """Cut into parts at row ends (small chunks make several), blank rows at the cuts included, and a column
    empty in one part but not in the others: the lines and their rows are those of the whole sheet."""
    monkeypatch.setattr(kactier.read.zip_parts, "CHUNK", 4096)
    monkeypatch.setattr(sheet_arrow, "parts_wanted", lambda: parts)
    rows: list[list[Any] | None] = [HEADERS]
    for n in range(1200):
        line = typed_lines()[n % 60]
        line[0] = f"SO{n:05d}"
        line[6] = None if n < 700 else 1.5 * n  # profit only in the later rows
        rows.append(None if n % 97 == 0 else line)  # blank rows here and there
    path = write_workbook(tmp_path / "parts.xlsx", rows, title="订单明细")
    with open_input(path) as opened:
        name = opened.sheet_names()[0]
        copies = opened.copy_in_parts(name, parts)
        assert copies is not None
        opened.check_sheet(name)
        assert copies.parts is not None
        assert len(copies.parts) == parts
        assert [p.first_row for p in copies.parts] == sorted({p.first_row for p in copies.parts})
        assert all(p.first_row > 20 for p in copies.parts[1:])
    assert not copies.folder.exists()  # removed with the input
    book = assert_both_paths_agree(path)
    assert book.counts.read == 1200


def test_a_part_that_cannot_be_written_leaves_the_sheet_to_the_cell_by_cell_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills while the scan writes the parts: no parts, and every line read the other way."""
    import kactier.read.sheet_copies as sheet_copies

    monkeypatch.setattr(sheet_arrow, "parts_wanted", lambda: 2)

    def full(self: object, rows: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheet_copies.PartWriter, "write", full)
    rows: list[list[Any] | None] = [HEADERS, *typed_lines()]
    path = write_workbook(tmp_path / "orders.xlsx", rows)
    with open_input(path) as opened:
        sheet_columnar.copy_while_checking(opened)
        copies = opened.copies(opened.sheet_names()[0])
        assert copies is not None
        assert read_order_workbook(opened) is None  # not read column by column: the parts were not written
        assert copies.parts is None
    out = tmp_path / "graded.xlsx"
    score_workbook(path, RunOptions(orders=True, output=out, force=True))  # the run reads it cell by cell
    assert len(sheet_cells(out)["订单明细"]) == 1 + len(typed_lines())  # the header and every line
