"""An .xlsx checked at the zip level before any parser sees it, and what kactier reads from its workbook part.

python-calamine reads workbooks fast but trusts them: it inflates zip parts whatever size they claim. So the
package is checked here first, cheaply:

* the zip directory: member count, declared sizes, compression ratios, duplicate names, encrypted members;
* every part calamine reads at open (workbook, relationships, styles, shared strings, ...): decompressed in full
  by :mod:`zipfile`, which checks each part's size and CRC against the directory, so sizes that lie are caught;
  an XML part with a ``<!DOCTYPE`` (the door to entity attacks) is refused, and the parts kactier itself reads are
  parsed with defusedxml (:mod:`kactier.read.zip_parts`).

Worksheets are left to :mod:`kactier.read.sheet_scan`, which checks each one before calamine parses it.
Every refusal is an :class:`~kactier.errors.InputError` that says what is wrong and what to do.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Phrase
from .limits import MAX_MEMBERS, MAX_PART_BYTES, MAX_RATIO, RATIO_FROM
from .long_text import scan_shared_strings
from .sheet_xml import attribute_int
from .sniff import Kind, why
from .zip_parts import parse_xml, read_small_member, verify_member

_SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_BUILTIN_PERCENT = frozenset((9, 10))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A sheet as the workbook lists it."""

    name: str
    part: str | None  # the zip member holding its XML (None when the relationship is missing)
    state: str  # visible, hidden or veryHidden
    rid: str = ""  # its relationship id in the workbook part
    macro: bool = False  # an Excel 4.0 macro sheet: never data, and calamine refuses a workbook listing one


@dataclass(slots=True)
class Package:
    """An .xlsx checked at the zip level, with what kactier reads from its workbook and styles parts."""

    path: Path
    zip: zipfile.ZipFile
    kind: Kind
    sheets: list[SheetEntry] = field(default_factory=list)
    workbook_part: str = "xl/workbook.xml"
    rooted: bool = True  # the package relationships (_rels/.rels) name the workbook part
    date1904: bool = False
    percent_styles: frozenset[int] = frozenset()
    long_shared_strings: dict[int, int] = field(default_factory=dict)  # index -> characters

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


def open_package(path: Path, source: Path | bytes) -> Package:
    """Check the zip at ``source`` (a path, or the bytes of a decrypted file) and what it holds; see the module
    docstring. ``path`` names the file in messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError("input.zip_damaged", path=path, reason=why(exc)) from None
    _forward_slashes(archive)
    try:
        package = Package(path, archive, _package_kind(path, archive))
        if package.kind is Kind.XLSX:
            _read_workbook(package)
        return package
    except BaseException:
        archive.close()
        raise


# -- the zip directory --------------------------------------------------------------------------------------------


def _forward_slashes(archive: zipfile.ZipFile) -> None:
    """Name parts written with Windows separators (``xl\\workbook.xml``, as some exporters do) by their
    standard names, as calamine and Excel find them. zipfile looks members up in ``NameToInfo``; the header
    check on open still compares the name as stored (``orig_filename``)."""
    for info in archive.infolist():
        if "\\" in info.filename:
            archive.NameToInfo.pop(info.filename, None)
            info.filename = info.filename.replace("\\", "/")
            archive.NameToInfo.setdefault(info.filename, info)


def _package_kind(path: Path, archive: zipfile.ZipFile) -> Kind:
    """What the zip holds (.xlsx, .xlsb or .ods), once its directory has passed the checks."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError("input.zip_members", path=path, count=len(infos), max_count=MAX_MEMBERS)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise InputError("input.zip_duplicate", path=path)
    total = 0
    for info in infos:
        total += info.file_size
        _check_member(path, info, total)
    return _contents_kind(path, archive, {name.lower() for name in names})


def _check_member(path: Path, info: zipfile.ZipInfo, total: int) -> None:
    """Refuse a part that is encrypted, too large (alone, or with the ``total`` bytes of the parts up to it), a
    zip bomb, sized by a lie, or compressed as Excel never does."""
    if info.flag_bits & 0x1:
        raise InputError("input.zip_encrypted", path=path)
    size, packed = info.file_size, info.compress_size
    where = Phrase("where.part", path=path, part=info.filename)
    if size > MAX_PART_BYTES or total > 2 * MAX_PART_BYTES:
        raise InputError("input.zip_part_too_big", where=where, size=size, max_size=MAX_PART_BYTES)
    if size > RATIO_FROM and size > MAX_RATIO * max(packed, 1):
        raise InputError(
            "input.zip_bomb", where=where, ratio=size // max(packed, 1), packed=packed, size=size
        )
    if info.compress_type == zipfile.ZIP_DEFLATED and size + size // 8 + 1024 < packed:
        raise InputError("input.zip_sizes_lie", where=where, size=size, packed=packed)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError("input.zip_compression", where=where)


def _contents_kind(path: Path, archive: zipfile.ZipFile, lowered: set[str]) -> Kind:
    """The workbook format of a zip whose part names (lower case) are ``lowered``; other documents are refused."""
    if "xl/workbook.xml" in lowered or _office_document(archive).endswith(("workbook.xml", "/workbook.xml")):
        return Kind.XLSX
    if "xl/workbook.bin" in lowered:
        if any(name.startswith("xl/macrosheets/") for name in lowered):  # calamine refuses the whole workbook
            raise InputError("input.unsupported_format", path=path, what=Phrase("what.xlsb_macro"))
        return Kind.XLSB
    if "mimetype" in lowered:
        mime = read_small_member(path, archive, "mimetype", 256).strip()
        if mime == b"application/vnd.oasis.opendocument.spreadsheet":
            return Kind.ODS
        what = {
            b"application/vnd.oasis.opendocument.text": "what.odt",
            b"application/vnd.oasis.opendocument.presentation": "what.odp",
        }.get(mime, "what.od_other")
        raise InputError("input.zip_not_workbook", path=path, what=Phrase(what))
    if "index/document.iwa" in lowered or "index.zip" in lowered:
        raise InputError("input.unsupported_format", path=path, what=Phrase("what.numbers"))
    what = (
        "what.word"
        if "word/document.xml" in lowered
        else "what.ppt"
        if "ppt/presentation.xml" in lowered
        else "what.zip"
    )
    raise InputError("input.zip_not_workbook", path=path, what=Phrase(what))


def _office_document(archive: zipfile.ZipFile) -> str:
    """The target of the package's officeDocument relationship ('' when there is none)."""
    try:
        root = parse_xml(Path(archive.filename or "?"), archive, "_rels/.rels")
    except InputError:
        return ""
    if root is None:
        return ""
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return ""


# -- the workbook part --------------------------------------------------------------------------------------------


def _read_workbook(package: Package) -> None:
    """Check the parts calamine reads when it opens the workbook, and read sheets, date system and styles."""
    path, archive = package.path, package.zip
    named = _office_document(archive)
    package.rooted = bool(named)
    workbook_part = named or "xl/workbook.xml"
    for info in archive.infolist():
        name = info.filename
        if name.startswith(_SHEET_DIRS) and name.endswith(".xml"):
            continue  # checked by sheet_scan.check_sheet when the sheet is read
        if name.endswith("sharedStrings.xml"):
            package.long_shared_strings = scan_shared_strings(path, archive, info)
        elif not name.endswith("/"):
            verify_member(path, archive, info)  # size and CRC checked; XML prolog checked
    package.workbook_part = workbook_part
    root = parse_xml(path, archive, workbook_part)
    if root is None:
        raise InputError("input.workbook_part_missing", path=path, part=workbook_part)
    folder = posixpath.dirname(workbook_part)
    targets = _relationship_targets(package, workbook_part)
    properties = root.find(f"{{{_MAIN_NS}}}workbookPr")
    if properties is not None:
        package.date1904 = properties.get("date1904", "false").strip().lower() in ("1", "true")
    for sheet in root.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id", "")
        target, kind = targets.get(rid, (None, ""))
        package.sheets.append(
            SheetEntry(
                sheet.get("name", ""),
                target,
                sheet.get("state", "visible"),
                rid,
                kind.endswith(("/xlMacrosheet", "/xlIntlMacrosheet")),
            )
        )
    package.percent_styles = _percent_styles(path, archive, posixpath.join(folder, "styles.xml"))


def _relationship_targets(package: Package, workbook_part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (the part it points to, the relationship's type), from the workbook part's
    relationships."""
    folder = posixpath.dirname(workbook_part)
    rels_root = parse_xml(
        package.path,
        package.zip,
        posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels"),
    )
    targets: dict[str, tuple[str, str]] = {}
    if rels_root is not None:
        for rel in rels_root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            targets[rel.get("Id", "")] = (resolved, rel.get("Type", ""))
    return targets


def _percent_styles(path: Path, archive: zipfile.ZipFile, name: str) -> frozenset[int]:
    """Indexes of the cell styles (``s`` attribute) whose number format shows a percent."""
    root = parse_xml(path, archive, name)
    if root is None:
        return frozenset()
    percent_formats = set(_BUILTIN_PERCENT)
    for fmt in root.iter(f"{{{_MAIN_NS}}}numFmt"):
        if "%" in _QUOTED.sub("", fmt.get("formatCode", "")):
            percent_formats.add(attribute_int(fmt.get("numFmtId")))
    xfs = root.find(f"{{{_MAIN_NS}}}cellXfs")
    if xfs is None:
        return frozenset()
    return frozenset(
        index
        for index, xf in enumerate(xfs.findall(f"{{{_MAIN_NS}}}xf"))
        if attribute_int(xf.get("numFmtId")) in percent_formats
    )
