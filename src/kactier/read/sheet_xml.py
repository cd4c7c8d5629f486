"""Sheet XML as the byte-level checks see it: one normalisation of its markup, and the cell around a position.

The fast checks never parse a sheet: they search its bytes with C-speed operations (translate, find, count, a
few regular expressions), and only look at the XML of a cell when a search lands inside one.
"""

from __future__ import annotations

import re

from ..excel import column_index

# Normalises attribute syntax for the checks: single quotes, tabs and newlines; ">" and "/" to spaces so that
# "<c>" and "<c/>" read as "<c "; ":" to "<" so that a prefixed element "<x:c " also reads as "<c ".
NORM = bytes.maketrans(b"'\t\n\r>/:", b'"     <')
CELL_REF = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,7})["\']')
TAG_NAME = re.compile(rb"</?\s*(?:[\w.-]+:)?([\w.-]+)")
VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)<")
NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def attribute_int(text: str | None) -> int:
    """An attribute's value as an integer (a style index, a column number); -1 when missing or not a number."""
    try:
        return int(text or "")
    except ValueError:
        return -1


def cell_at(chunk: bytes, position: int) -> str:
    """The reference of the cell whose XML contains ``position`` ('' when unknown)."""
    start = position
    while True:
        start = chunk.rfind(b"<", 0, start)
        if start < 0:
            return ""
        name = TAG_NAME.match(chunk, start)
        if name and name.group(1) == b"c":
            ref = CELL_REF.search(chunk, start, chunk.find(b">", start) + 1)
            return ref.group(1).decode().upper() + ref.group(2).decode() if ref else ""
        if name and name.group(1) == b"row":
            return ""


def cell_xml(chunk: bytes, position: int) -> tuple[tuple[int, int], bytes] | None:
    """The (row, column) and XML of the ``<c>`` element around ``position``, or None when it is not in a cell."""
    start = chunk.rfind(b"<", 0, position + 1)
    while start >= 0:
        closing = chunk.startswith(b"</", start)
        name = TAG_NAME.match(chunk, start)
        if name is None:
            return None
        tag = name.group(1)
        if tag == b"c":
            if closing:
                return None  # the end of an earlier cell: ``position`` is outside any cell
            break
        if tag in (b"row", b"sheetData"):
            return None
        start = chunk.rfind(b"<", 0, start)
    if start < 0:
        return None
    head_end = chunk.find(b">", start)
    ref = CELL_REF.search(chunk, start, head_end + 1)
    if ref is None:
        return None
    if chunk[head_end - 1 : head_end] == b"/":  # <c .../>: no content
        xml = chunk[start : head_end + 1]
    else:
        end = chunk.find(b"c>", head_end)
        xml = chunk[start : end + 2 if end >= 0 else len(chunk)]
    return (int(ref.group(2)) - 1, column_index(ref.group(1)) - 1), xml
