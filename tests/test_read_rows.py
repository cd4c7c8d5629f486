"""How kactier.read.rows builds the rows from calamine: positions, shared texts, chunks, and values kept as they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kactier.read import rows as read
from kactier.read.workbook import read_customer_sheet

HEADERS = ["客户编号", "客户名称", "所在地区", "年销售额", "首次合作日期"]
REGIONS = ["华东", "华南", "西南"]


def _offset_workbook(path: Path, rows: int) -> Path:
    """A sheet whose header is at C3 (two empty columns, two empty rows above), with more rows than one chunk."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for column, name in enumerate(HEADERS, start=3):
        sheet.cell(3, column, name)
    for i in range(rows):
        sheet.cell(4 + i, 3, f"KH{i:07d}")
        sheet.cell(4 + i, 4, f"客户{i % 40}")
        sheet.cell(4 + i, 5, 1.0 if i == 5 else REGIONS[i % 3])  # a number in a text column stays a number
        sheet.cell(4 + i, 6, True if i == 7 else float(i))  # True next to 1.0 elsewhere stays True
        sheet.cell(4 + i, 7, dt.date(2024, 1, 1) + dt.timedelta(days=i % 300))
    book.save(path)
    return path


@pytest.mark.slow
def test_offset_sheet_keeps_positions_across_chunks(tmp_path: Path) -> None:
    rows = read._CHUNK_ROWS + 500
    raw = read_customer_sheet(_offset_workbook(tmp_path / "offset.xlsx", rows))
    assert (raw.header_row, raw.first_column) == (3, 2)
    assert raw.headers == HEADERS
    assert len(raw.rows) == rows
    last = raw.rows[-1]
    i = rows - 1
    assert last == [
        f"KH{i:07d}",
        f"客户{i % 40}",
        REGIONS[i % 3],
        float(i),
        dt.date(2024, 1, 1) + dt.timedelta(i % 300),
    ]
    assert type(raw.rows[5][2]) is float
    assert raw.rows[7][3] is True
    assert type(raw.rows[1][3]) is float


@pytest.mark.slow
def test_repeated_texts_are_one_object_and_ids_are_not_memoised(tmp_path: Path) -> None:
    raw = read_customer_sheet(_offset_workbook(tmp_path / "offset.xlsx", read._CHUNK_ROWS + 500))
    regions = {id(row[2]) for row in raw.rows if isinstance(row[2], str)}
    names = {id(row[1]) for row in raw.rows}
    assert len(regions) == len(REGIONS)
    assert len(names) == 40
    ids = [row[0] for row in raw.rows]
    assert len(set(ids)) == len(ids)


def test_sharing_stops_for_a_column_that_does_not_repeat(monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[Any]] = [["id", "region"]]
    rows += [[f"K{i}", REGIONS[i % 3]] for i in range(read._CHUNK_ROWS * 2 + 10)]
    source = iter([list(row) for row in rows])
    cells = read.take_rows(source, 1, 0)
    seen: list[list[int]] = []
    share = read._share

    def watched(chunk: list[list[Any]], memos: list[tuple[int, dict[str, str]]]) -> None:
        seen.append([column for column, _ in memos])
        share(chunk, memos)

    monkeypatch.setattr(read, "_share", watched)
    read.read_rest(source, cells, 0)
    assert cells == rows
    assert seen[:2] == [[0, 1], [0, 1]]  # the header row, then the first chunk
    assert seen[2:] == [[1], [1]]  # the id column is dropped once a chunk shows its texts do not repeat
