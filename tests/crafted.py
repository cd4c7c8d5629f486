"""Building broken, hostile and unusual workbooks in code, for the hostile, messy and fuzz tests.

A valid workbook is written with :func:`conftest.write_workbook` (XlsxWriter); the crafted ones are copies of it
with a zip member rewritten (:func:`rewrite_member`), bytes appended inside the sheet (:func:`add_to_sheet`), or
the zip directory patched (:func:`patch_sizes`). Nothing is downloaded.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import WORKED_EXAMPLE, ZH_HEADERS, write_workbook

SHEET = "xl/worksheets/sheet1.xml"


def valid_workbook(path: Path, rows: list[list[object] | None] | None = None) -> Path:
    """The two-customer worked example under Chinese headers (sheet 客户信息), or ``rows`` after the header."""
    return write_workbook(path, [ZH_HEADERS, *(rows if rows is not None else WORKED_EXAMPLE)])


def members(path: Path) -> dict[str, bytes]:
    """Every member of the zip at ``path``, in order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, parts: dict[str, bytes], *, level: int = 6) -> Path:
    """A zip of ``parts`` (deflated) at ``path``, each dated 2026-01-01 so that the same parts give the same bytes
    (a test compares two zips made in different seconds)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            dated = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(dated, data, zipfile.ZIP_DEFLATED, compresslevel=level)
    return path


def rewrite_member(source: Path, target: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of ``source`` at ``target`` with member ``name`` replaced by ``edit(its bytes)``."""
    parts = members(source)
    parts[name] = edit(parts[name])
    return write_zip(target, parts)


def add_to_sheet(source: Path, target: Path, xml: str, *, before: str = "</sheetData>") -> Path:
    """A copy of ``source`` with ``xml`` inserted into the first sheet just before ``before``."""
    return rewrite_member(
        source, target, SHEET, lambda data: data.replace(before.encode(), xml.encode() + before.encode(), 1)
    )


def patch_sizes(source: Path, target: Path, name: str, *, uncompressed: int) -> Path:
    """A copy of ``source`` whose zip directory (central and local headers) claims ``uncompressed`` bytes for
    member ``name``: the sizes lie, the data is unchanged."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
    # local file header: uncompressed size at offset 22
    struct.pack_into("<I", data, info.header_offset + 22, uncompressed)
    # central directory entry: find it by name; uncompressed size at offset 24
    encoded = name.encode()
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        assert position >= 0, "central directory entry not found"
        length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + length]) == encoded:
            struct.pack_into("<I", data, position + 24, uncompressed)
            break
        position += 4
    target.write_bytes(bytes(data))
    return target
