"""The first pass over a big sheet's XML on two processes finds what one process finds: the extent, the cells,
rare markup, merged ranges, and the same refusal of a hostile sheet, whichever process's chunks hold it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

import kactier.read.scan_halves as scan_halves
import kactier.read.zip_parts
from kactier.errors import InputError
from kactier.read.opening import open_input
from kactier.read.sheet_facts import SheetFacts


def facts_of(path: Path, *, two: bool, monkeypatch: pytest.MonkeyPatch) -> SheetFacts | str:
    monkeypatch.setattr(scan_halves, "TWO_CORES_FROM", 0 if two else 1 << 62)
    # several chunks, shared between the processes (a text is cut only past 16 chunks of no row end: 256 KB)
    monkeypatch.setattr(kactier.read.zip_parts, "CHUNK", 16384)
    try:
        with open_input(path) as opened:
            found = opened.check_sheet(opened.sheet_names()[0])
            assert found is not None
            return found
    except InputError as exc:
        return str(exc)


def workbook(path: Path, rows: int, extra: str) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("订单")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["订单号", "客户编号", "订单日期", "订单金额"])
    for n in range(1, rows):
        sheet.write_row(n, 0, [f"SO{n:06d}", f"KH{n % 50:03d}"])
        sheet.write_datetime(n, 2, dt.datetime(2024, 1, 1) + dt.timedelta(days=n % 300), date)
        sheet.write_number(n, 3, 10.5 * n)
    if extra == "error":
        sheet.write_formula(rows - 3, 3, "=1/0", None, "#DIV/0!")
    elif extra == "far":
        sheet.write_string(1_048_575, 16_383, "x")
    elif extra == "merged":
        sheet.merge_range(rows, 0, rows, 3, "合计")
    book.close()
    if extra == "long":  # a text beyond Excel's 32,767 characters, which no writer of ours would save
        long = "长" * 40_000
        _replace_cell(path, f"B{rows - 1}", f'<c r="B{rows - 1}" t="inlineStr"><is><t>{long}</t></is></c>')
    return path


def _replace_cell(path: Path, ref: str, cell: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(f'<c r="{ref}"[^>]*>.*?</c>', cell, xml, count=1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.mark.parametrize("rows", [1500, 1501, 2222])
@pytest.mark.parametrize("extra", ["", "error", "far", "long", "merged"])
def test_two_processes_find_what_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, extra: str
) -> None:
    path = workbook(tmp_path / "sheet.xlsx", rows, extra)
    one = facts_of(path, two=False, monkeypatch=monkeypatch)
    two = facts_of(path, two=True, monkeypatch=monkeypatch)
    assert two == one
    if extra in ("far", "long"):
        assert isinstance(one, str)  # refused, in the same words
    else:
        assert isinstance(one, SheetFacts)
        assert one.max_row == rows + (extra == "merged")
        assert one.rare is (extra == "error")
        assert one.merged is (extra == "merged")


def copies_of(path: Path, *, two: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bytes]] | str:
    """The parts the pass wrote (each part's first row and sheet XML), or the refusal."""
    monkeypatch.setattr(scan_halves, "TWO_CORES_FROM", 0 if two else 1 << 62)
    monkeypatch.setattr(kactier.read.zip_parts, "CHUNK", 16384)
    try:
        with open_input(path) as opened:
            name = opened.sheet_names()[0]
            copies = opened.copy_in_parts(name, 3)
            assert copies is not None
            opened.check_sheet(name)
            assert copies.parts is not None
            found = []
            for part in copies.parts:
                with zipfile.ZipFile(part.path) as package:
                    found.append((part.first_row, package.read("xl/worksheets/sheet1.xml")))
            return found
    except InputError as exc:
        return str(exc)


@pytest.mark.parametrize("extra", ["", "long"])
def test_the_parts_are_written_by_the_process_that_reads_every_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    """Two processes or one: the same parts (the parent, which inflates every chunk, writes them all), or the
    same refusal before any part is parsed."""
    path = workbook(tmp_path / "orders.xlsx", 6000, extra)
    two = copies_of(path, two=True, monkeypatch=monkeypatch)
    assert two == copies_of(path, two=False, monkeypatch=monkeypatch)
    if extra:
        assert isinstance(two, str)
        return
    assert isinstance(two, list)
    assert len(two) == 3
    with zipfile.ZipFile(path) as source:
        whole = source.read("xl/worksheets/sheet1.xml")
    rows = re.compile(rb"<row .*?</row>", re.DOTALL)
    # every row once, in order, after each later part's head rows (the first 20, where the header is looked for)
    parted = rows.findall(two[0][1]) + [r for _, xml in two[1:] for r in rows.findall(xml)[20:]]
    assert parted == rows.findall(whole)
    numbers = [[int(n) for n in re.findall(rb'<row r="([0-9]+)"', xml)] for _, xml in two]
    assert [first for first, _ in two] == [1, numbers[1][20], numbers[2][20]]  # each part's own first row
    assert numbers[1][20] > 20
