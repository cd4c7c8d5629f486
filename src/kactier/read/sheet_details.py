"""What calamine cannot tell about a sheet: error cells, formulas saved without a value, percent cells, hidden rows.

calamine reads an error value (``#N/A``) or a formula saved without its value as a blank, and a percent cell as
its fraction. These are found in the sheet's XML, on the fast path, by searching for their markers; only the
chunks of a sheet that hold one are looked at cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .package import Package, SheetEntry
from .sheet_facts import SheetFacts, sheet_info
from .sheet_xml import NAMED_ENTITIES, NORM, VALUE, cell_xml
from .zip_parts import part_chunks

_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^<]*? hidden *= *"(?:1|true)"')  # in normalised XML
_NO_VALUE = (b"</f></c>", b"/></c>", b"<v></v>", b"<v/>")


def percent_markers(package: Package) -> list[bytes]:
    """The ``s`` attributes (as they read in normalised XML) of the styles that show a percent."""
    return [b' s="%d"' % s for s in package.percent_styles]


def has_rare_markup(norm: bytes, percent: list[bytes]) -> bool:
    """True when normalised sheet XML may hold an error cell, a formula, a hidden row or column, or a percent
    cell (``percent``: from :func:`percent_markers`)."""
    return b'="e"' in norm or b"<f " in norm or b'hidden="' in norm or any(m in norm for m in percent)


def sheet_details(package: Package, entry: SheetEntry, facts: SheetFacts) -> None:
    """Add to ``facts`` (from :func:`~kactier.read.sheet_scan.check_sheet`) what calamine cannot tell: error
    cells, formulas without a value, percent cells, hidden rows and columns. Only a sheet in which
    :func:`~kactier.read.sheet_scan.check_sheet` saw any of them is read again; this needs no more than ``facts``,
    so it may run in a thread while calamine parses the sheet."""
    if facts.exact or not facts.rare or facts.detailed:  # the exact path collected everything already
        return
    facts.detailed = True
    percent = percent_markers(package)
    for chunk in part_chunks(package.path, package.zip, sheet_info(package, entry), b"</row>"):
        norm = chunk.translate(NORM)
        if has_rare_markup(norm, percent):
            _rare_cells(chunk, norm, percent, facts)


def _rare_cells(chunk: bytes, norm: bytes, percent: list[bytes], facts: SheetFacts) -> None:
    """Error cells, formulas without a value, percent cells and hidden rows/columns of one chunk of canonical XML
    (every cell and row has its position)."""
    _error_cells(chunk, norm, facts)
    if b"<f " in norm:
        _uncalculated(chunk, facts)
    _percent_cells(chunk, norm, percent, facts)
    if b'hidden="' in norm:
        for row in _HIDDEN_ROW.finditer(norm):
            facts.hidden_rows.append(int(row.group(1)))


def _error_cells(chunk: bytes, norm: bytes, facts: SheetFacts) -> None:
    for position in _all(norm, b't="e"'):
        cell = cell_xml(chunk, position)
        if cell is not None:
            ref, xml = cell
            value = VALUE.search(xml)
            facts.error_cells[ref] = (value.group(1).decode("utf-8", "replace") if value else "") or "#N/A"


def _uncalculated(chunk: bytes, facts: SheetFacts) -> None:
    for marker in _NO_VALUE:
        for position in _all(chunk, marker):
            cell = cell_xml(chunk, position)
            if cell is not None and not _has_value(cell[1]):
                facts.uncalculated[cell[0]] = _formula_text(cell[1])


def _percent_cells(chunk: bytes, norm: bytes, percent: list[bytes], facts: SheetFacts) -> None:
    for marker in percent:
        for position in _all(norm, marker):
            cell = cell_xml(chunk, position + 1)
            if cell is not None and VALUE.search(cell[1]):
                facts.percent_cells.add(cell[0])


def _all(data: bytes, needle: bytes) -> Iterator[int]:
    position = data.find(needle)
    while position >= 0:
        yield position
        position = data.find(needle, position + 1)


def _has_value(xml: bytes) -> bool:
    """True when a formula cell carries its result: a non-empty ``<v>``, or an empty one for a text result."""
    value = VALUE.search(xml)
    if value and value.group(1).strip():
        return True
    head = xml[: xml.find(b">") + 1].translate(NORM)
    return b't="str"' in head and b"<v" in xml


def _formula_text(xml: bytes) -> str:
    match = re.search(rb"<(?:[\w.-]+:)?f(?:\s[^>]*)?>([^<]*)</", xml)
    text = match.group(1).decode("utf-8", "replace") if match else ""
    text = re.sub(r"&(amp|lt|gt|quot|apos);", lambda m: NAMED_ENTITIES[m.group(1)], text)
    return "=" + text if text else "=…"
