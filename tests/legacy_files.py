"""Legacy .xls files built for the tests from real ones (tests/data/corpus), since no maintained library writes them.

* :func:`biff5_workbook`: an Excel 5.0/95 workbook holding the rows given. The globals (fonts, formats, cell
  styles) of a real BIFF5 file are kept, its one sheet is replaced by LABEL and NUMBER records of the rows, and
  the ``Book`` stream is written back at its own size (olefile rewrites a stream only in place), padded after the
  last EOF, where no reader looks.
* :func:`renamed_stream`: an .xls whose ``Workbook`` stream is renamed (``BOOK``, as some writers name it), by
  rewriting its OLE directory entry.
"""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

CORPUS = Path(__file__).parent / "data" / "corpus"
BIFF5_SOURCE = CORPUS / "calamine" / "biff5_write.xls"

_BOF, _EOF, _BOUNDSHEET, _CODEPAGE = 0x0809, 0x000A, 0x0085, 0x0042
_LABEL, _NUMBER = 0x0204, 0x0203


def _record(number: int, body: bytes) -> bytes:
    return struct.pack("<HH", number, len(body)) + body


def _globals(stream: bytes) -> list[tuple[int, bytes]]:
    """The records of the workbook globals, up to and including their EOF."""
    records, position = [], 0
    while position + 4 <= len(stream):
        number, size = struct.unpack_from("<HH", stream, position)
        records.append((number, stream[position + 4 : position + 4 + size]))
        position += 4 + size
        if number == _EOF:
            break
    return records


def _cell(row: int, column: int, value: object, encoding: str) -> bytes:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _record(_NUMBER, struct.pack("<HHHd", row, column, 0x0F, float(value)))
    text = str(value).encode(encoding)
    return _record(_LABEL, struct.pack("<HHHH", row, column, 0x0F, len(text)) + text)


def biff5_workbook(path: Path, sheet: str, rows: list[list[object]], codepage: int = 1252) -> Path:
    """Write an Excel 5.0/95 workbook at ``path``: one sheet named ``sheet`` holding ``rows`` (texts in
    ``codepage``: 1252 is Western European, 936 GBK)."""
    encoding = f"cp{codepage}"
    with olefile.OleFileIO(str(BIFF5_SOURCE)) as ole:
        original = ole.openstream("Book").read()
    records = [r for r in _globals(original) if r[0] != _BOUNDSHEET]
    records = [(n, struct.pack("<H", codepage) if n == _CODEPAGE else b) for n, b in records]
    name = sheet.encode(encoding)
    boundsheet_size = 4 + 6 + 1 + len(name)
    head = b"".join(_record(n, b) for n, b in records[:-1])  # the globals but their EOF
    offset = len(head) + boundsheet_size + 4  # the sheet's BOF follows the BOUNDSHEET and the globals' EOF
    head += _record(_BOUNDSHEET, struct.pack("<IBB", offset, 0, 0) + bytes([len(name)]) + name)
    head += _record(_EOF, b"")
    body = _record(_BOF, struct.pack("<HHHH", 0x0500, 0x0010, 0x0DBB, 0x07CC))
    for r, row in enumerate(rows):
        body += b"".join(_cell(r, c, value, encoding) for c, value in enumerate(row) if value is not None)
    body += _record(_EOF, b"")
    stream = head + body
    if len(stream) + 4 > len(original):
        raise ValueError(
            f"{len(rows)} rows do not fit the {len(original)}-byte stream of {BIFF5_SOURCE.name}"
        )
    stream += _record(0x00FF, bytes(len(original) - len(stream) - 4))  # padding after the last EOF
    path.write_bytes(BIFF5_SOURCE.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        ole.write_stream("Book", stream)
    return path


def renamed_stream(source: Path, path: Path, name: str) -> Path:
    """Copy the .xls ``source`` to ``path`` with its ``Workbook`` stream named ``name`` (at most 8 letters)."""
    data = bytearray(source.read_bytes())
    entry = data.find("Workbook".encode("utf-16-le") + b"\0\0")
    assert entry >= 0, "no Workbook directory entry"
    data[entry : entry + 64] = (name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
    struct.pack_into("<H", data, entry + 64, 2 * len(name) + 2)
    path.write_bytes(bytes(data))
    return path
