"""The extent of each sheet of a legacy .xls, from its BIFF records, before calamine parses it.

calamine reads an .xls whole when it opens it and lays every sheet out from A1 to its last cell, and
python-calamine copies a sheet once more to hand it over: four cells at the corners of a 65,536 x 256 sheet take
over a gigabyte. So the cell records of each worksheet are walked here first (a loop over record headers, no cell
decoded), and a sheet far larger than its cells is refused before any parser allocates it
(:func:`check_extents`). Excel 5.0/95 (BIFF5) and 97-2003 (BIFF8) share these records.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Phrase
from .limits import DENSE_FACTOR, DENSE_FLOOR

_BOF, _EOF, _BOUNDSHEET, _CODEPAGE = 0x0809, 0x000A, 0x0085, 0x0042
_WORKSHEET = 0x0010  # BOF substream type of a worksheet
# Cell records that hold a value (row, column first): FORMULA, RSTRING, LABELSST, NUMBER, LABEL, BOOLERR, RK
_VALUE_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
_MULRK = 0x00BD  # row, first column, RK values..., last column
_HEADER = struct.Struct("<HH")


@dataclass
class Extent:
    """One worksheet's cells with a value, and the rows and columns from A1 to the last of them."""

    name: str
    rows: int = 0
    columns: int = 0
    cells: int = 0


def check_extents(path: Path, data: bytes | None) -> None:
    """Refuse the .xls (``data``, or the file at ``path``) when one of its worksheets spans far more cells than
    it holds, as :mod:`kactier.read.legacy` would after calamine had laid it out. A stream this walk cannot
    follow is left to the child process, which decides."""
    stream = _workbook_stream(data if data is not None else path)
    if stream is None:
        return
    try:
        extents = sheet_extents(stream)
    except struct.error:  # a record cut short by the end of the stream: damaged, for the child process to say
        return
    for extent in extents:
        area = extent.rows * extent.columns
        if area > max(DENSE_FLOOR, DENSE_FACTOR * extent.cells):
            where = Phrase("where.sheet", path=path, sheet=extent.name)
            raise InputError(
                "input.probe_sparse",
                where=where,
                rows=extent.rows,
                columns=extent.columns,
                cells=extent.cells,
            )


def _workbook_stream(source: Path | bytes) -> bytes | None:
    """The BIFF workbook stream (``Workbook``, or ``Book`` for Excel 5.0/95) of an OLE file; None when there is
    none or the container cannot be read (the child process then says why)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(source) if isinstance(source, bytes) else str(source)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    with ole.openstream(name) as handle:
                        data: bytes = handle.read()
                        return data
    except Exception:  # olefile raises many types for a damaged container
        return None
    return None


def sheet_extents(stream: bytes) -> list[Extent]:
    """The extent of every worksheet in a BIFF5/BIFF8 workbook ``stream``, in order."""
    names = _sheet_names(stream)
    extents: list[Extent] = []
    substreams: list[Extent | None] = []  # BOF..EOF nest: a chart inside a sheet caches values of its own
    position, end = 0, len(stream) - 4
    while position <= end:
        number, size = _HEADER.unpack_from(stream, position)
        body = position + 4
        current = substreams[-1] if substreams else None
        if number == _BOF and size >= 4:
            sheet = None
            if _HEADER.unpack_from(stream, body)[1] == _WORKSHEET:
                sheet = Extent(names.get(position, f"#{len(extents) + 1}"))
                extents.append(sheet)
            substreams.append(sheet)
        elif number == _EOF:
            if substreams:
                substreams.pop()
        elif current is not None and size >= 4 and (number in _VALUE_CELLS or number == _MULRK):
            _add_cell(current, stream, number, body, size)
        position = body + size
    return extents


def _add_cell(sheet: Extent, stream: bytes, number: int, body: int, size: int) -> None:
    row, column = _HEADER.unpack_from(stream, body)
    last = column
    if number == _MULRK and size >= 6:
        last = max(column, struct.unpack_from("<H", stream, body + size - 2)[0])
    sheet.rows = max(sheet.rows, row + 1)
    sheet.columns = max(sheet.columns, last + 1)
    sheet.cells += last - column + 1


def _sheet_names(stream: bytes) -> dict[int, str]:
    """Sheet names by the stream position of their BOF, from the BOUNDSHEET records of the globals."""
    names: dict[int, str] = {}
    biff8, codepage = True, "latin-1"
    position, end = 0, len(stream) - 4
    while position <= end:
        number, size = _HEADER.unpack_from(stream, position)
        body = position + 4
        if number == _EOF:
            break
        if number == _BOF and position == 0 and size >= 2:
            biff8 = _HEADER.unpack_from(stream, body)[0] >= 0x0600 if size >= 4 else True
        elif number == _CODEPAGE and size >= 2:
            codepage = _codec(struct.unpack_from("<H", stream, body)[0])
        elif number == _BOUNDSHEET and size >= 8:
            field = stream[body + 6 : body + size]
            names[struct.unpack_from("<I", stream, body)[0]] = _name(field, biff8, codepage)
        position = body + size
    return names


def _codec(codepage: int) -> str:
    """Python's codec for a BIFF CODEPAGE value (936: GBK, 1252: Western, ...); Latin-1 when it has none."""
    import codecs

    name = "utf-16-le" if codepage == 1200 else f"cp{codepage}"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "latin-1"


def _name(field: bytes, biff8: bool, codepage: str) -> str:
    """A BOUNDSHEET record's name: a length byte, then (BIFF8) an options byte and Latin-1 or UTF-16 characters,
    or (BIFF5) bytes in the workbook's code page."""
    if not field:
        return ""
    length = field[0]
    if not biff8:
        return field[1 : 1 + length].decode(codepage, "replace")
    wide = len(field) > 1 and field[1] & 0x01
    text = field[2:]
    return text[: 2 * length].decode("utf-16-le", "replace") if wide else text[:length].decode("latin-1")
