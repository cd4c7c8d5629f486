"""The rows of a sheet built from calamine's row iterator: every cell at its sheet position, repeated texts shared.

A million-row sheet read naively holds millions of copies of the same few texts (a region, an industry, an
owner); sharing them keeps memory close to the size of the numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

_SHARE_SAMPLE = 1024  # rows looked at to decide which columns hold text worth sharing
# rows built at a time; after each chunk, sharing stops in a column whose texts hardly repeat
_CHUNK_ROWS = 16384


def take_rows(rows: Iterator[list[Any]], count: int, skipped_columns: int) -> list[list[Any]]:
    """The next ``count`` rows of calamine's iterator, each with its ``skipped_columns`` leading blanks put back so
    that ``[r][c]`` is the cell at row r, column c of the sheet (as ``to_python(skip_empty_area=False)`` has it)."""
    chunk = list(islice(rows, count))
    if skipped_columns:
        pad: list[Any] = [""] * skipped_columns
        for row in chunk:
            row[:0] = pad
    return chunk


def read_rest(rows: Iterator[list[Any]], cells: list[list[Any]], skipped_columns: int) -> None:
    """Append the rest of calamine's ``rows`` to ``cells`` (the rows read so far), a chunk at a time, with each
    text that repeats down a column (a region, an industry, an owner) as one shared str: a million-row sheet then
    holds a few thousand texts instead of millions of copies. Which columns hold text is decided on the first
    :data:`_SHARE_SAMPLE` rows; a column whose texts hardly repeat (ids, notes) stops being shared after the
    chunk that shows it, so no memo grows large."""
    memos: list[tuple[int, dict[str, str]]] | None = None
    while True:
        chunk = take_rows(rows, _CHUNK_ROWS, skipped_columns)
        if memos is None:
            memos = _text_columns(cells + chunk[:_SHARE_SAMPLE])
            _share(cells, memos)
        _share(chunk, memos)
        cells += chunk
        if len(chunk) < _CHUNK_ROWS:
            return
        memos = [(column, memo) for column, memo in memos if len(memo) * 2 <= len(cells)]


def _text_columns(sample: list[list[Any]]) -> list[tuple[int, dict[str, str]]]:
    """The columns where at least half the filled cells of ``sample`` are text, each with an empty memo."""
    columns = []
    for column in range(max(map(len, sample), default=0)):
        text = filled = 0
        for row in sample:
            value = row[column] if column < len(row) else ""
            if value != "":
                filled += 1
                text += type(value) is str
        if text and text * 2 >= filled:
            columns.append((column, dict[str, str]()))
    return columns


def _share(rows: list[list[Any]], memos: list[tuple[int, dict[str, str]]]) -> None:
    """Replace each text in the memo columns of ``rows`` by the first equal text seen (only ``str`` itself: an
    equal number or a flagged cell must stay what it is)."""
    for column, memo in memos:
        shared = memo.setdefault
        for row in rows:
            if column < len(row) and type(value := row[column]) is str:
                row[column] = shared(value, value)
