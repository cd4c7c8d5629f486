"""Whether calamine may parse a sheet of a checked .xlsx (:mod:`kactier.read.package`): one pass over its XML.

python-calamine trusts a workbook: one cell at XFD1048576 makes it allocate the whole sheet and abort the process.
So each sheet is checked here before calamine parses it (:func:`check_sheet`): one streaming pass over its XML
finds the largest cell position (so the area calamine will allocate is known, :mod:`kactier.read.sheet_extent`)
and text longer than Excel's 32,767 characters (:mod:`kactier.read.long_text`), and notes whether the sheet holds
what calamine reads as blanks although it is not (error values such as ``#N/A``, formulas saved without a value,
percent cells) or hidden rows and columns; :func:`~kactier.read.sheet_details.sheet_details` then collects those.

The pass uses C-speed byte operations (translate, count, find, one regular expression over the cell references);
anything unusual (a cell without a position, namespace prefixes) takes a slower exact path with defusedxml
(:mod:`kactier.read.sheet_exact`). Every refusal is an :class:`~kactier.errors.InputError` that says what is wrong
and what to do.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import InputError, Phrase
from ..excel import MAX_COLUMNS
from . import scan_halves
from .long_text import check_inline_texts, check_shared_references, may_hold_long_text
from .package import Package, SheetEntry
from .sheet_copies import SheetCopies
from .sheet_details import has_rare_markup, percent_markers, sheet_details
from .sheet_exact import exact_scan
from .sheet_extent import Extent, claimed_last_cell, normalise
from .sheet_facts import SheetFacts, check_area, sheet_info
from .zip_parts import check_prolog, part_chunks

_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*ref\s*=\s*["\']([^"\']*)["\']')
_HIDDEN_COL = re.compile(rb'<(?:[\w.-]+:)?col\s[^>]*hidden\s*=\s*["\'](?:1|true)["\'][^>]*>')
_MIN_MAX = re.compile(rb'\s(min|max)\s*=\s*["\']([0-9]{1,6})["\']')


def scan_sheet(package: Package, entry: SheetEntry) -> SheetFacts:
    """:func:`check_sheet` then :func:`~kactier.read.sheet_details.sheet_details`, one after the other."""
    facts = check_sheet(package, entry)
    sheet_details(package, entry, facts)
    return facts


def check_sheet(package: Package, entry: SheetEntry, copies: SheetCopies | None = None) -> SheetFacts:
    """Make sure calamine can parse the sheet ``entry`` safely: its largest cell position within Excel's limits
    and an area in proportion to its cells. Call before calamine parses the sheet. Raises :class:`InputError`.
    With ``copies``, the chunks the pass reads are written into them too.

    The sheet's ``<dimension>`` (its claimed last cell) is only a hint: one regular expression looks for the cell
    references that are not inside it (and for cells and rows without a position), which in an honest file finds
    nothing, so no per-cell work is done. Without a usable claim every reference is read
    (:class:`~kactier.read.sheet_extent.Extent`); cells or rows without a position send the sheet down the exact
    path (defusedxml).
    """
    where = Phrase("where.sheet", path=package.path, sheet=entry.name)
    info = sheet_info(package, entry)
    facts = SheetFacts()
    extent, unplaced = _first_pass(package, entry, info, facts, copies)
    if extent is None:  # an empty part: calamine refuses it
        return facts
    if not unplaced:
        facts.max_row, facts.max_column, facts.cells = extent.result()
        if extent.needs_exact(facts):
            unplaced = _count_every_cell(package, info, where, facts)
    if unplaced:
        # Cells or rows without a position (calamine places them by counting), or unusual markup: exact path.
        exact_scan(package, entry, info, facts)
        facts.exact = True
        return facts
    check_area(where, facts)
    return facts


def _first_pass(
    package: Package, entry: SheetEntry, info: zipfile.ZipInfo, facts: SheetFacts, copies: SheetCopies | None
) -> tuple[Extent | None, bool]:
    """The pass over every chunk of the sheet: its extent (None for an empty part) and whether a cell has no
    position; long texts are refused on the way, and ``facts`` notes the sheet's claim and any rare markup. A big
    sheet's chunks are shared with a forked process (:mod:`kactier.read.scan_halves`) when it can be."""
    if scan_halves.worth_it(info):
        found = scan_halves.first_pass_in_two(package, entry, info, facts, checked_chunks, copies)
        if found is not None:
            return found
        facts.hidden_columns.clear()  # the other process failed (a refusal, say): the whole pass once more
        facts.rare = False
    return checked_chunks(package, entry, info, facts, None, copies)


def checked_chunks(
    package: Package,
    entry: SheetEntry,
    info: zipfile.ZipInfo,
    facts: SheetFacts,
    share: tuple[int, int] | None,
    copies: SheetCopies | None = None,
) -> tuple[Extent | None, bool]:
    """:func:`_first_pass` over the chunks numbered ``k`` modulo ``n`` for ``share`` ``(k, n)`` (every chunk for
    None); chunk 0 is always read for the sheet's claim. Every chunk goes to ``copies``."""
    path = package.path
    where = Phrase("where.sheet", path=path, sheet=entry.name)
    extent: Extent | None = None
    unplaced = False
    percent = percent_markers(package)
    chunk = b""
    if copies is not None:
        copies.restart()
    for number, chunk in enumerate(part_chunks(path, package.zip, info, b"</row>")):
        if number == 0:
            _first_chunk(path, entry, chunk, facts)
            extent = Extent(where, claimed_last_cell(facts.dimension))
        assert extent is not None
        if copies is not None:
            copies.add(chunk, first=number == 0)
        if share is not None and number % share[1] != share[0]:
            continue
        norm = normalise(chunk)
        unplaced = extent.add(norm) or unplaced
        if may_hold_long_text(chunk):
            check_inline_texts(where, chunk)
        if not facts.rare:
            facts.rare = has_rare_markup(norm, percent)
        if package.long_shared_strings and b't="s"' in norm:
            check_shared_references(where, chunk, package.long_shared_strings)
    # merged ranges follow the rows: in the last chunk, after its last row (a prefixed name takes the exact path)
    facts.merged = b"<mergeCell" in chunk[chunk.rfind(b"</row>") + 1 :]
    if copies is not None:
        copies.finish()
    return extent, unplaced


def _count_every_cell(package: Package, info: zipfile.ZipInfo, where: Phrase, facts: SheetFacts) -> bool:
    """Read the sheet again, every reference and cell counted (its claimed area was too large to take as it is);
    True when a cell has no position."""
    extent = Extent(where, None)
    unplaced = False
    for chunk in part_chunks(package.path, package.zip, info, b"</row>"):
        unplaced = extent.add(normalise(chunk)) or unplaced
    facts.max_row, facts.max_column, facts.cells = extent.result()
    return unplaced


def _first_chunk(path: Path, entry: SheetEntry, chunk: bytes, facts: SheetFacts) -> None:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("input.sheet_utf16", path=path, sheet=entry.name)
    check_prolog(path, entry.part or "", chunk[:65536])
    match = _DIMENSION.search(chunk, 0, 65536)
    if match:
        facts.dimension = match.group(1).decode("ascii", errors="replace")
    data = chunk.find(b"sheetData")
    for col in _HIDDEN_COL.finditer(chunk, 0, data if data >= 0 else len(chunk)):
        bounds = dict(_MIN_MAX.findall(col.group(0)))
        low, high = int(bounds.get(b"min", b"0")), int(bounds.get(b"max", b"0"))
        if 0 < low <= high <= MAX_COLUMNS:
            facts.hidden_columns.extend(range(low, min(high, low + 1024) + 1))
