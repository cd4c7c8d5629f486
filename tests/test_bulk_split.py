"""A big body rendered by two processes (kactier.report.bulk_split) is byte for byte what one process renders, and a
column of repeated text goes through the shared strings with the values XlsxWriter's own API writes."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

from kactier.report import bulk, bulk_split
from kactier.report.bulk import ArrayColumn, BodyColumn, BulkWorksheet, RowsColumn
from kactier.report.package_zip import usable_cores

OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
ROWS = 203  # with blocks of 16 rows: 13 blocks, 7 for this process and 6 for the child
REPEATED = ["华东", "a & b <c>", " leading", "tab\tinside", "_x0041_ literal", "bell\x07", "line\nbreak"]


def _columns(rows: int, odd_row: int | None = None) -> list[BodyColumn]:
    ids = [f"KH{i:07d}" for i in range(rows)]
    if odd_row is not None:
        ids[odd_row] = "needs <escaping> & the shared strings"  # a unique text: not a repeated column
    source = [[i * 1.25, dt.date(2024, 1, 1) + dt.timedelta(days=i % 400)] for i in range(rows)]
    return [
        BodyColumn(0, ids),
        BodyColumn(1, [REPEATED[i % len(REPEATED)] if i % 11 else None for i in range(rows)]),
        BodyColumn(2, RowsColumn(source, range(rows), 0)),
        BodyColumn(3, RowsColumn(source, range(rows), 1)),
        BodyColumn(4, [float("nan") if i == 5 else i for i in range(rows)]),
    ]


def _write(path: Path, columns: list[BodyColumn], rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    sheet = book.add_worksheet("data", worksheet_class=BulkWorksheet)
    sheet.write_string(0, 0, "header")  # kactier's sheets always have shared strings
    sheet.set_column(3, 3, 12, book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.set_body(1, rows, columns)
    book.close()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "BLOCK_ROWS", 16)


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_split, "PARALLEL_FROM", 10**15)


def _one_process_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: list[BodyColumn]
) -> list[int]:
    """Write ``columns`` to one.xlsx in one process, then let every body fork; returns the forks noted."""
    _serial(monkeypatch)
    _write(tmp_path / "one.xlsx", columns, ROWS)
    return _parallel(monkeypatch)


def _same_in_two(tmp_path: Path, columns: list[BodyColumn], forks: list[int]) -> None:
    """Write ``columns`` to two.xlsx (forking once) and check it is one.xlsx, part for part."""
    _write(tmp_path / "two.xlsx", columns, ROWS)
    assert len(forks) == 1
    assert _parts(tmp_path / "two.xlsx") == _parts(tmp_path / "one.xlsx")


def _parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork for any body; returns the list the child pids are noted in."""
    monkeypatch.setattr(bulk_split, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk_split, "PARALLEL_UP_TO", 10**15)
    forks: list[int] = []
    fork = os.fork

    def noted() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", noted)
    return forks


needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or usable_cores() < 2,
    reason="the forked renderer runs on Linux with two cores",
)


@needs_fork
@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("odd_row", [None, 20, 150])
def test_two_processes_write_the_same_package_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd_row: int | None
) -> None:
    # odd_row 150 is in the child's half: a text it cannot render alone stops it, and this process renders that
    # block and the rest; odd_row 20 is in this process's half.
    forks = _one_process_first(tmp_path, monkeypatch, _columns(ROWS, odd_row))
    _same_in_two(tmp_path, _columns(ROWS, odd_row), forks)
    sheet = openpyxl.load_workbook(tmp_path / "two.xlsx")["data"]
    assert sheet.max_row == ROWS + 1
    assert sheet.cell(ROWS + 1, 1).value == f"KH{ROWS - 1:07d}"
    if odd_row is not None:
        assert sheet.cell(odd_row + 2, 1).value == "needs <escaping> & the shared strings"


@needs_fork
@pytest.mark.usefixtures("small_blocks")
def test_a_child_that_fails_leaves_its_blocks_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks = _one_process_first(tmp_path, monkeypatch, _columns(ROWS))
    render = bulk._render_rows

    def failing_in_child(*args: Any) -> str:
        if bulk_split.in_child():
            raise MemoryError("the child ran out")
        return render(*args)

    monkeypatch.setattr(bulk, "_render_rows", failing_in_child)
    _same_in_two(tmp_path, _columns(ROWS), forks)


@pytest.mark.usefixtures("small_blocks")
def test_a_small_or_huge_body_renders_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _parallel(monkeypatch)
    # 40 rows (3 blocks) of five cells: one cell short of the threshold
    monkeypatch.setattr(bulk_split, "PARALLEL_FROM", 40 * 5 + 1)
    _write(tmp_path / "small.xlsx", _columns(40), 40)
    monkeypatch.setattr(bulk_split, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk_split, "PARALLEL_UP_TO", ROWS * 5 - 1)  # one cell too many: the copy would cost
    _write(tmp_path / "big.xlsx", _columns(ROWS), ROWS)
    assert forks == []


@needs_fork
@pytest.mark.usefixtures("small_blocks")
def test_another_thread_running_beside_the_fork_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A terminal's progress display refreshes from a thread of its own, taking its console lock many times a
    # second; the child touches nothing of it, so the fork goes ahead and the package is the same.
    forks = _one_process_first(tmp_path, monkeypatch, _columns(ROWS))
    lock, stop = threading.Lock(), threading.Event()

    def refreshing() -> None:
        while not stop.is_set():
            with lock:
                stop.wait(0.0005)

    beside = threading.Thread(target=refreshing)
    beside.start()
    try:
        _same_in_two(tmp_path, _columns(ROWS), forks)
    finally:
        stop.set()
        beside.join()


def test_a_column_of_repeated_text_is_shared_and_reads_as_the_api_writes_it(tmp_path: Path) -> None:
    values: list[Any] = [REPEATED[i % len(REPEATED)] if i % 4 else "" for i in range(120)]
    _write(tmp_path / "body.xlsx", [BodyColumn(0, values)], len(values))
    book = xlsxwriter.Workbook(str(tmp_path / "api.xlsx"), OPTIONS)
    sheet = book.add_worksheet("data")
    sheet.write_string(0, 0, "header")
    for row, value in enumerate(values, start=1):
        if value:
            sheet.write_string(row, 0, value)
    book.close()
    sheet_xml = zipfile.ZipFile(tmp_path / "body.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count(' t="s"') == 1 + sum(1 for v in values if v)  # the header is shared too
    assert "inlineStr" not in sheet_xml

    def cells(path: Path) -> list[Any]:
        return [row[0] for row in openpyxl.load_workbook(path)["data"].iter_rows(min_row=2, values_only=True)]

    assert cells(tmp_path / "body.xlsx") == cells(tmp_path / "api.xlsx")
    assert cells(tmp_path / "body.xlsx")[1:4] == REPEATED[1:4]


def test_a_column_of_mostly_distinct_text_stays_inline(tmp_path: Path) -> None:
    values = [f"客户{i // 4}" if i < 40 else f"客户{i}" for i in range(60)]  # 30 distinct values in 60 cells
    _write(tmp_path / "body.xlsx", [BodyColumn(0, values)], len(values))
    sheet_xml = zipfile.ZipFile(tmp_path / "body.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count("inlineStr") == 60


def test_an_array_column_is_its_values_with_none_where_not_kept(tmp_path: Path) -> None:
    values = np.array([1.5, 2.0, np.nan, 4.25, 1e300])
    keep = np.array([True, False, False, True, True])
    column = ArrayColumn(values, keep)
    assert len(column) == 5
    assert column[0:5] == [1.5, None, None, 4.25, 1e300]
    assert column[3] == 4.25
    assert column[1] is None
    assert all(type(v) is float for v in column[0:5] if v is not None)  # Python numbers, as the writer needs
    _write(tmp_path / "array.xlsx", [BodyColumn(0, column)], 5)
    _write(tmp_path / "list.xlsx", [BodyColumn(0, column[0:5])], 5)
    assert _parts(tmp_path / "array.xlsx") == _parts(tmp_path / "list.xlsx")
    with pytest.raises(ValueError, match="5 values for 4 rows"):
        ArrayColumn(values, keep[:4])
