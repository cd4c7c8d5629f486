"""An input opened once (kactier.read.opening.OpenedInput) serves the Config sheet and the customer sheet, checking
each sheet once, with no cache shared between opens; a CSV file opened this way reads as before."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from conftest import WORKED_EXAMPLE, ZH_HEADERS, write_workbook

from kactier.read import sheet_scan
from kactier.read.opening import open_input
from kactier.read.sniff import Kind
from kactier.read.workbook import read_customer_sheet

CONFIG_ROWS = [["kactier 配置", None], ["评分方法", "weighted"]]


def _workbook(path: Path) -> Path:
    """The worked example on 客户信息, and a second sheet 配置 holding CONFIG_ROWS."""
    write_workbook(path, [ZH_HEADERS, *WORKED_EXAMPLE])
    book = openpyxl.load_workbook(path)
    config = book.create_sheet("配置")
    for row in CONFIG_ROWS:
        config.append(row)
    book.save(path)
    return path


@pytest.fixture
def calamine_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every workbook calamine opens from now on, by the way it was opened."""
    opens: list[str] = []
    book_type = python_calamine.CalamineWorkbook
    from_path, from_filelike = book_type.from_path, book_type.from_filelike

    def by_path(path: str) -> Any:
        opens.append("path")
        return from_path(path)

    def by_filelike(handle: Any) -> Any:
        opens.append("filelike")
        return from_filelike(handle)

    monkeypatch.setattr(book_type, "from_path", by_path)
    monkeypatch.setattr(book_type, "from_filelike", by_filelike)
    return opens


@pytest.fixture
def sheet_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every sheet the safety scan checks from now on."""
    checked: list[str] = []
    check = sheet_scan.check_sheet

    def counted(package: Any, entry: Any, copies: Any = None) -> Any:
        checked.append(entry.name)
        return check(package, entry, copies)

    monkeypatch.setattr(sheet_scan, "check_sheet", counted)
    return checked


def test_one_open_gives_the_config_sheet_and_the_customer_sheet(
    tmp_path: Path, calamine_opens: list[str], sheet_checks: list[str]
) -> None:
    path = _workbook(tmp_path / "客户.xlsx")
    with open_input(path) as opened:
        assert (opened.path, opened.kind) == (path, Kind.XLSX)
        assert opened.sheet_names() == ["客户信息", "配置"]
        opened.check_all_sheets()
        config = opened.sheet_cells("配置", 50)
        raw = read_customer_sheet(opened)
    assert calamine_opens == ["path"]
    assert sorted(sheet_checks) == ["客户信息", "配置"]  # each sheet once, though both were read
    assert [row[:2] for row in config] == [["kactier 配置", ""], ["评分方法", "weighted"]]
    assert (raw.sheet, raw.header_row, raw.headers) == ("客户信息", 1, ZH_HEADERS)
    assert raw.rows == [list(row) for row in WORKED_EXAMPLE]
    again = read_customer_sheet(path)
    assert (again.headers, again.rows, again.issues) == (raw.headers, raw.rows, raw.issues)


def test_the_input_is_used_up_by_reading_the_customer_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "客户.xlsx")
    with open_input(path) as opened:
        read_customer_sheet(opened)
        with pytest.raises(RuntimeError, match="read any other sheet before the customer sheet"):
            opened.sheet_cells("配置", 50)


def test_checks_are_kept_by_each_open_not_by_the_process(tmp_path: Path, sheet_checks: list[str]) -> None:
    path = write_workbook(tmp_path / "客户.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    first, second = open_input(path), open_input(path)
    try:
        facts = first.check_sheet("客户信息")
        assert first.check_sheet("客户信息") is facts  # kept by the open that made it
        assert second.check_sheet("客户信息") is not facts
    finally:
        first.close()
        second.close()
    assert sheet_checks == ["客户信息", "客户信息"]


def test_a_csv_input_reads_as_before(tmp_path: Path, calamine_opens: list[str]) -> None:
    path = tmp_path / "客户.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([ZH_HEADERS, *WORKED_EXAMPLE])
    with open_input(path) as opened:
        assert (opened.kind, opened.sheet_names()) == (Kind.CSV, [])
        raw = read_customer_sheet(opened)
    before = read_customer_sheet(path)
    assert calamine_opens == []
    assert (raw.sheet, raw.header_row, raw.source_format) == (before.sheet, before.header_row, "csv")
    assert (raw.headers, raw.rows, raw.issues) == (before.headers, before.rows, before.issues)
    assert raw.rows == [list(row) for row in WORKED_EXAMPLE]
