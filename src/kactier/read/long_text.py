"""Texts longer than Excel's 32,767 characters in a cell: calamine would read them, nothing could write them back.

They are looked for in the shared strings part, once per workbook (:func:`scan_shared_strings`), and in each
sheet: inline texts (:func:`check_inline_texts`) and cells that use one of the long shared strings
(:func:`check_shared_references`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import InputError, Phrase
from ..excel import MAX_CELL_TEXT
from .limits import MAX_SHARED_STRINGS_BYTES
from .sheet_xml import NAMED_ENTITIES, cell_at
from .zip_parts import check_prolog, part_chunks

LONG_TEXT = re.compile(rb">[^<]{%d}" % (MAX_CELL_TEXT + 1))
_WINDOW = (MAX_CELL_TEXT + 1) // 2
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")


def scan_shared_strings(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[int, int]:
    """Index -> length of each shared string longer than Excel allows; the part is read in full (size, CRC)."""
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        raise InputError(
            "input.shared_strings_too_big", path=path, size=info.file_size, max_size=MAX_SHARED_STRINGS_BYTES
        )
    long: dict[int, int] = {}
    before = 0  # <si> elements in earlier chunks
    for number, chunk in enumerate(part_chunks(path, archive, info, b"</si>")):
        if number == 0:
            check_prolog(path, info.filename, chunk[:65536])
        for match in LONG_TEXT.finditer(chunk):
            index = (
                before + chunk.count(b"<si>", 0, match.start()) + chunk.count(b"<si ", 0, match.start()) - 1
            )
            length = text_length(chunk, match.start() + 1)
            if length > MAX_CELL_TEXT:
                long[index] = length
        before += chunk.count(b"<si>") + chunk.count(b"<si ")
    return long


def text_length(data: bytes, start: int) -> int:
    """UTF-16 length of the XML text starting at ``start`` (up to the next tag), entities resolved."""
    end = data.find(b"<", start)
    raw = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace")
    text = _ENTITY.sub(_entity, raw)
    return len(text.encode("utf-16-le")) // 2


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#"):
        try:
            return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
        except (ValueError, OverflowError):
            return "?"
    return NAMED_ENTITIES[name]


def may_hold_long_text(chunk: bytes) -> bool:
    """True when some stretch of ``chunk`` without ``<`` is long enough to hold a text over Excel's limit.

    Such a stretch covers a whole window of half its length at a multiple of that length, so looking for ``<``
    in each of those windows is enough: a few thousand short searches instead of a pass over every text."""
    find, size = chunk.find, len(chunk)
    return any(find(b"<", start, start + _WINDOW) < 0 for start in range(0, size - _WINDOW + 1, _WINDOW))


def check_inline_texts(where: Phrase, chunk: bytes) -> None:
    """Refuse a text in this chunk of sheet XML longer than Excel allows; ``where`` names the sheet."""
    for match in LONG_TEXT.finditer(chunk):
        length = text_length(chunk, match.start() + 1)
        if length > MAX_CELL_TEXT:
            ref = cell_at(chunk, match.start())
            cell = Phrase("what.cell", ref=ref) if ref else Phrase("what.a_cell")
            raise InputError(
                "input.cell_too_long", where=where, cell=cell, length=length, max_text=MAX_CELL_TEXT
            )


def check_shared_references(where: Phrase, chunk: bytes, long: dict[int, int]) -> None:
    """Refuse a cell in this chunk of sheet XML that shows one of the ``long`` shared strings (index -> length)."""
    pattern = re.compile(
        rb'<c\s[^>]*t="s"[^>]*>\s*<v>(%s)</v>' % b"|".join(str(i).encode() for i in sorted(long))
    )
    match = pattern.search(chunk)
    if match:
        ref = cell_at(chunk, match.start() + 1)
        length = long[int(match.group(1))]
        cell = Phrase("what.cell", ref=ref or "?")
        raise InputError("input.cell_too_long", where=where, cell=cell, length=length, max_text=MAX_CELL_TEXT)
