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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from .opening import reader_failed
from .package import Package, SheetEntry
from .rows import take_rows
from .sheet_facts import sheet_info
from .zip_parts import part_chunks, read_member

_DIMENSION = re.compile(rb"<dimension\b[^>]*>")
_LEFT_OUT = ("xl/worksheets/", "xl/chartsheets/", "xl/media/", "xl/drawings/", "xl/charts/", "xl/pivot")
_ROW_END = b"</row>"
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')


def sheet_head(package: Package, entry: SheetEntry, rows: int) -> list[list[Any]] | None:
    """The first ``rows`` rows of sheet ``entry`` (fewer when it has fewer), each from column A, as
    ``iter_rows`` gives them; None when its first chunk of XML holds no complete row."""
    xml = _head_xml(package, entry, rows)
    if xml is None:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        _copy_others(package, entry, copy)
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


def _copy_others(package: Package, entry: SheetEntry, copy: zipfile.ZipFile) -> None:
    """The parts calamine needs beside sheet ``entry`` (workbook, relationships, styles, shared strings) into
    ``copy``; the other sheets and any media are left out."""
    for member in package.zip.infolist():
        name = member.filename
        if name != entry.part and not name.startswith(_LEFT_OUT) and not name.endswith("/"):
            copy.writestr(name, read_member(package.path, package.zip, name))


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


@dataclass(frozen=True, slots=True)
class SheetPart:
    """A copy of the package holding part of a sheet's rows (:func:`split_sheet`)."""

    path: Path
    first_row: int  # the Excel row of its first row below the header rows


def split_sheet(
    package: Package, entry: SheetEntry, header_row: int, parts: int, folder: Path
) -> Iterator[SheetPart]:
    """Copies of the package in ``folder``, each holding sheet ``entry``'s rows down to ``header_row`` (Excel's
    number) and then about one ``parts``-th of the rows below, in order; each copy is yielded once it is whole,
    so that a reader can parse it while the next is written. Yields nothing when the sheet's first chunk of XML
    does not reach past the header rows."""
    info = sheet_info(package, entry)
    chunks = part_chunks(package.path, package.zip, info, _ROW_END)
    try:
        first = next(chunks, b"")
        found = _top(first, header_row)
        if found is None:
            return
        top, cut = found
        share = info.file_size / parts
        pending, upcoming = first[cut:], next(chunks, b"")
        for number in range(parts):
            first_row = _first_row(pending)
            if first_row is None:  # no rows left
                return
            path = folder / f"part{number}.xlsx"
            with _PartWriter(package, entry, path, top) as writer:
                written = 0
                while pending and (number == parts - 1 or written < share):
                    written += writer.write(pending, last=not upcoming)
                    pending, upcoming = upcoming, (next(chunks, b"") if upcoming else b"")
            yield SheetPart(path, first_row)
    finally:
        chunks.close()


def _top(first: bytes, header_row: int) -> tuple[bytes, int] | None:
    """The sheet's XML up to the end of row ``header_row`` (its ``<dimension>`` claim left out), and where the
    rows below it start in ``first``; None when ``first`` holds no row below it."""
    start = first.find(b"<sheetData")
    opened = first.find(b">", start) + 1
    if start < 0 or first[opened - 2 : opened] == b"/>":
        return None
    for row in _ROW_NUMBER.finditer(first, opened):
        if int(row.group(1)) > header_row:
            return _DIMENSION.sub(b"", first[:start], count=1) + first[start : row.start()], row.start()
    return None


def _first_row(xml: bytes) -> int | None:
    row = _ROW_NUMBER.search(xml)
    return int(row.group(1)) if row else None


class _PartWriter:
    """One copy of the package being written: the other parts calamine needs copied, the sheet's XML streamed."""

    def __init__(self, package: Package, entry: SheetEntry, path: Path, top: bytes) -> None:
        self.package, self.entry, self.path, self.top = package, entry, path, top

    def __enter__(self) -> _PartWriter:
        self.zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_STORED)
        _copy_others(self.package, self.entry, self.zip)
        self.sheet = self.zip.open(self.entry.part or "", "w", force_zip64=True)
        self.sheet.write(self.top)
        return self

    def write(self, xml: bytes, *, last: bool) -> int:
        """Write rows (of the ``last`` chunk, only those: the sheet's own closing tags are left out)."""
        end = xml.rfind(_ROW_END) if last else len(xml) - len(_ROW_END)
        rows = xml[: end + len(_ROW_END)] if end >= 0 else b""
        self.sheet.write(rows)
        return len(rows)

    def __exit__(self, *exc: object) -> None:
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        self.zip.close()
