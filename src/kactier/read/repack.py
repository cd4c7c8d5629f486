"""A checked .xlsx handed to calamine as Excel and openpyxl read it, when calamine would refuse it whole.

Some things that Excel and openpyxl take in their stride make calamine refuse a workbook or a sheet:

* an Excel 4.0 macro sheet (``xl/macrosheets/``, from the days before VBA) listed in the workbook
  ("Unrecognized sheet:type"), or a sheet listed without a relationship (an old VBA module sheet, ``r:id=""``:
  "Relationship not found"). Neither is customer data, and kactier never runs a macro;
* a sheet ``<dimension>`` that is not a cell range (``ref="1:4"``, ``ref=""``), which calamine parses to lay the
  sheet out ("Range is missing the expected column component"). The dimension is only a hint (kactier places
  every cell by its own position, :mod:`kactier.read.sheet_extent`);
* shared strings written as ``<sstItem>`` (the Excel 2007 beta's name for ``<si>``), which calamine does not
  know, so every text cell points at a string it cannot find;
* package relationships (``_rels/.rels``) missing or unreadable, which calamine needs to find the workbook part
  ("XmlError Relationships"); the copy gets the standard one, pointing at the workbook part found.

Such a workbook is copied in memory, part by part: macro sheets dropped from the workbook part's sheet list and
their parts left out, unusable dimensions removed. calamine reads the copy; the checks have already passed on the
original, whose other parts are copied unchanged. Only these rare workbooks pay for the copy.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile

from .package import Package
from .zip_parts import READ_ERRORS

_HEAD = 65536  # the start of a sheet part, where its <dimension> is
_ROOT_RELS = "_rels/.rels"
_OFFICE_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="/{part}" Type='
    '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?sheet\s*>)")
_RID = re.compile(rb"""\s[\w.-]+:id\s*=\s*["']([^"']*)["']""")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension(?:\s[^>]*)?/>")
_RANGE = re.compile(rb"""\sref\s*=\s*["']\s*[A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?\s*["']""")


def calamine_copy(package: Package) -> bytes | None:
    """The package as .xlsx bytes that calamine reads, or None when it reads the original as it is."""
    left_out = [entry for entry in package.sheets if entry.macro or entry.part is None]
    ids = {entry.rid.encode() for entry in left_out}
    dropped = {entry.part for entry in left_out if entry.part}
    fixed = {
        entry.part
        for entry in package.sheets
        if entry.part and not entry.macro and _unusable_dimension(package, entry.part)
    }
    beta = _beta_shared_strings(package)
    no_root = not package.rooted
    if not (ids or fixed or beta or no_root):
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        if no_root:
            copy.writestr(_ROOT_RELS, _OFFICE_DOCUMENT.format(part=package.workbook_part))
        for info in package.zip.infolist():
            if info.filename in dropped or info.is_dir() or (no_root and info.filename == _ROOT_RELS):
                continue
            if info.filename == package.workbook_part and ids:
                data = package.zip.read(info)
                copy.writestr(info.filename, _SHEET.sub(lambda m: _keep(m.group(0), ids), data))
                continue
            if info.filename == beta:
                data = package.zip.read(info)
                copy.writestr(info.filename, data.replace(b"<sstItem", b"<si").replace(b"</sstItem", b"</si"))
                continue
            with package.zip.open(info) as source, copy.open(info.filename, "w") as target:
                if info.filename in fixed:
                    target.write(_DIMENSION.sub(b"", source.read(_HEAD), count=1))
                shutil.copyfileobj(source, target, 1 << 20)
    return out.getvalue()


def _keep(element: bytes, ids: set[bytes]) -> bytes:
    """A workbook's ``<sheet>`` element, or nothing when its relationship id (``r:id``) is a macro sheet's."""
    found = _RID.search(element)
    return b"" if found and found.group(1) in ids else element


def _beta_shared_strings(package: Package) -> str | None:
    """The shared-strings part when it names its strings ``<sstItem>`` (the Excel 2007 beta), else None."""
    part = next(
        (i.filename for i in package.zip.infolist() if i.filename.endswith("sharedStrings.xml")), None
    )
    if part is None:
        return None
    try:
        with package.zip.open(part) as handle:
            head = handle.read(_HEAD)
    except READ_ERRORS:
        return None
    return part if b"<sstItem" in head and b"<si>" not in head else None


def _unusable_dimension(package: Package, part: str) -> bool:
    """True when the sheet part has a ``<dimension>`` calamine cannot parse (not a cell or a range of cells)."""
    try:
        with package.zip.open(part) as handle:
            head = handle.read(_HEAD)
    except (KeyError, *READ_ERRORS):  # a missing or damaged part: the sheet check says so when it is read
        return False
    match = _DIMENSION.search(head)
    return match is not None and _RANGE.search(match.group(0)) is None
