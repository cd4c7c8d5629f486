"""The first rows of a checked sheet as python-calamine reads them, without parsing the rest of it.

calamine parses a whole sheet before it returns a row, which for a million-row sheet takes seconds. To find the
header of a sheet that another reader parses (:mod:`kactier.orders.sheet_columnar`), python-calamine reads a copy
of the package cut short: the sheet's XML up to the end of its first rows (its ``<dimension>`` claim left out),
closed there, with the parts calamine needs beside it (workbook, relationships, styles, shared strings) and
without the other sheets or any media. The cells are those the whole sheet would give for these rows: the same
parser reads the same XML. Call it on a sheet :mod:`kactier.read.sheet_scan` has checked.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import python_calamine as calamine

from .opening import reader_failed
from .package import Package, SheetEntry
from .rows import take_rows
from .sheet_copies import copy_others
from .sheet_facts import sheet_info
from .zip_parts import part_chunks

_DIMENSION = re.compile(rb"<dimension\b[^>]*>")
_ROW_END = b"</row>"


def sheet_head(package: Package, entry: SheetEntry, rows: int) -> list[list[Any]] | None:
    """The first ``rows`` rows of sheet ``entry`` (fewer when it has fewer), each from column A, as
    ``iter_rows`` gives them; None when its first chunk of XML holds no complete row."""
    xml = _head_xml(package, entry, rows)
    if xml is None:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        copy_others(package, entry, copy)
        copy.writestr(entry.part or "", xml)
    buffer.seek(0)
    try:
        book = calamine.CalamineWorkbook.from_filelike(buffer)
    except BaseException as exc:  # a package calamine reads only whole: the caller reads it the usual way
        if reader_failed(exc):
            return None
        raise
    try:
        sheet = book.get_sheet_by_name(entry.name)
        skipped = start[1] if (start := sheet.start) is not None else 0
        return take_rows(sheet.iter_rows(), rows, skipped)
    except BaseException as exc:
        if reader_failed(exc):
            return None
        raise
    finally:
        book.close()


def _head_xml(package: Package, entry: SheetEntry, rows: int) -> bytes | None:
    """The sheet's XML up to the end of its ``rows``-th row element (or of the last one in its first chunk), then
    closed; without the ``<dimension>`` claim, so that calamine lays out only these rows."""
    chunks = part_chunks(package.path, package.zip, sheet_info(package, entry), _ROW_END)
    try:
        first = next(chunks, b"")
    finally:
        chunks.close()
    start = first.find(b"<sheetData")
    if start < 0:
        return None
    cut = end = start
    for _ in range(rows):
        end = first.find(_ROW_END, end)
        if end < 0:
            break
        end += len(_ROW_END)
        cut = end
    if cut == start:
        return None
    return _DIMENSION.sub(b"", first[:start], count=1) + first[start:cut] + b"</sheetData></worksheet>"
