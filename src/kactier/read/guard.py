"""What a file is and whether it is safe to parse, decided from its bytes before any parser sees them.

python-calamine reads workbooks fast but trusts them: one cell at XFD1048576 makes it allocate the whole sheet and
abort the process, and it inflates zip parts whatever size they claim. So an .xlsx is checked here first, cheaply:

* the zip directory: member count, declared sizes, compression ratios, duplicate names, encrypted members;
* every part calamine reads at open (workbook, relationships, styles, shared strings, ...): decompressed in full
  by :mod:`zipfile`, which checks each part's size and CRC against the directory, so sizes that lie are caught;
  an XML part with a ``<!DOCTYPE`` (the door to entity attacks) is refused, and the parts kactier itself reads are
  parsed with defusedxml;
* each sheet before calamine parses it (:func:`scan_sheet`): one streaming pass over its XML that finds the largest
  cell position (so the area calamine will allocate is known), text longer than Excel's 32,767 characters, and
  the cells calamine reads as blanks although they are not: error values (``#N/A``), formulas saved without a
  value, and (when the workbook has percent formats) percent cells; hidden rows and columns are noted.

The pass uses C-speed byte operations (translate, count, find, one regular expression over the cell references);
anything unusual (a cell without a position, namespace prefixes) takes a slower exact path with defusedxml.
Every refusal is an :class:`~kactier.errors.InputError` that says what is wrong and what to do.
"""

from __future__ import annotations

import enum
import io
import posixpath
import re
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full, Queue
from typing import IO, Any

from defusedxml import ElementTree as SafeET

from ..errors import InputError
from ..excel import MAX_CELL_TEXT, MAX_COLUMNS, MAX_ROWS, column_index, column_letters

MAX_MEMBERS = 10_000  # parts in one zip
MAX_PART_BYTES = 1536 * 1024**2  # one part, decompressed: a 1,048,576-row sheet of ~25 columns
MAX_SHARED_STRINGS_BYTES = 512 * 1024**2  # held in memory by calamine
MAX_RATIO = 200  # decompressed / compressed, for parts over RATIO_FROM bytes; XML compresses 5-30x
RATIO_FROM = 10 * 1024**2
DENSE_FLOOR = 4_000_000  # cells calamine may allocate for any sheet (~160 MB)...
DENSE_FACTOR = 4  # ... or this many times the cells the sheet really has
MAX_PARSED_BYTES = 64 * 1024**2  # a part kactier parses whole (workbook, relationships, styles)
SLOW_PATH_SECONDS = 25.0
CHUNK = 4 * 1024**2

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class Kind(enum.Enum):
    """A file format kactier reads."""

    XLSX = "xlsx"  # also .xlsm/.xltx: Office Open XML spreadsheet
    XLSB = "xlsb"
    ODS = "ods"
    XLS = "xls"  # Excel 97-2003 (BIFF), an OLE compound file
    CSV = "csv"
    OLE = "ole"  # an OLE compound file still to be looked into (encrypted workbook, .xls, or else)


# -- what is it ---------------------------------------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> Kind:
    """The kind of file whose first bytes are ``head`` (up to 64 KiB); anything kactier cannot read is refused."""
    if not head:
        raise InputError(f"{path}: the file is empty (0 bytes); export or save the workbook again")
    if head.startswith(_ZIP_MAGICS):
        return Kind.XLSX  # refined by open_package: .xlsx, .xlsb, .ods or another zip
    if head.startswith(OLE_MAGIC):
        return Kind.OLE
    if head.startswith(b"%PDF"):
        raise InputError(
            f"{path}: is a PDF document, not a workbook; export the data from its source as .xlsx"
        )
    text = _text_head(head)
    if text is None:
        raise InputError(
            f"{path}: is neither a workbook (.xlsx/.xlsm/.xls/.ods) nor a CSV file; "
            "open it in Excel and save it as .xlsx"
        )
    lowered = text.lstrip().lower()
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        raise InputError(
            f"{path}: is an Excel 2003 XML spreadsheet, which kactier does not read; "
            "open it in Excel and save it as .xlsx"
        )
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
        lowered.startswith("<") and "<html" in lowered[:4096]
    ):
        raise InputError(
            f"{path}: is a web page (HTML) saved with a spreadsheet name, not a workbook; "
            "open it in Excel and save it as .xlsx, or export the data as CSV"
        )
    return Kind.CSV


def _text_head(head: bytes) -> str | None:
    """``head`` as text when it looks like text (UTF-8, UTF-16 with a BOM, or GBK), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", errors="ignore")
    if b"\x00" in head:
        return None
    sample = head.removeprefix(b"\xef\xbb\xbf")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
                text = sample[: exc.start].decode(encoding, errors="ignore")
            else:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\x0c")
        return text if controls * 100 <= len(text) else None
    return None


# -- the zip package ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A sheet as the workbook lists it."""

    name: str
    part: str | None  # the zip member holding its XML (None when the relationship is missing)
    state: str  # visible, hidden or veryHidden


@dataclass(slots=True)
class Package:
    """An .xlsx checked at the zip level, with what kactier reads from its workbook and styles parts."""

    path: Path
    zip: zipfile.ZipFile
    kind: Kind
    sheets: list[SheetEntry] = field(default_factory=list)
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
        raise InputError(
            f"{path}: the file is damaged or incomplete (its zip directory cannot be read: {why(exc)}); "
            "if it is still being copied or downloaded wait and retry, else save it again from Excel"
        ) from None
    try:
        package = Package(path, archive, _package_kind(path, archive))
        if package.kind is Kind.XLSX:
            _read_workbook(package)
        return package
    except BaseException:
        archive.close()
        raise


def why(exc: BaseException) -> str:
    """An exception's text on one line (its type name when it has none), for a one-line message."""
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _package_kind(path: Path, archive: zipfile.ZipFile) -> Kind:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"{path}: the zip holds {len(infos):,} parts, more than a workbook ever has ({MAX_MEMBERS:,}); "
            "it is not a workbook kactier will read"
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise InputError(
            f"{path}: the zip lists a part twice, so readers may disagree on its content; "
            "open the file in Excel and save it again"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(
                f"{path}: parts of the zip are password-protected; this is not an Excel workbook"
            )
        size, packed = info.file_size, info.compress_size
        total += size
        where = f"{path}: part {info.filename!r}"
        if size > MAX_PART_BYTES or total > 2 * MAX_PART_BYTES:
            raise InputError(
                f"{where} claims {size:,} bytes once decompressed, beyond what kactier reads "
                f"({MAX_PART_BYTES:,}); a zip bomb, or a workbook too large: split it"
            )
        if size > RATIO_FROM and size > MAX_RATIO * max(packed, 1):
            raise InputError(
                f"{where} decompresses {size // max(packed, 1):,} times over ({packed:,} -> {size:,} bytes): "
                "a zip bomb, not a workbook; do not open it"
            )
        if info.compress_type == zipfile.ZIP_DEFLATED and size + size // 8 + 1024 < packed:
            raise InputError(
                f"{where} claims {size:,} bytes but holds {packed:,} compressed: its sizes lie "
                "(a crafted or damaged file); do not open it, save it again from the original"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(
                f"{where} uses a compression Excel does not write; save the file again from Excel"
            )
    lowered = {name.lower() for name in names}
    if "xl/workbook.xml" in lowered or _office_document(archive).endswith(("workbook.xml", "/workbook.xml")):
        return Kind.XLSX
    if "xl/workbook.bin" in lowered:
        return Kind.XLSB
    if "mimetype" in lowered:
        mime = _small_member(path, archive, "mimetype", 256).strip()
        if mime == b"application/vnd.oasis.opendocument.spreadsheet":
            return Kind.ODS
        what = {
            b"application/vnd.oasis.opendocument.text": "an OpenDocument text file",
            b"application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation",
        }.get(mime, "an OpenDocument file that is not a spreadsheet")
        raise InputError(f"{path}: is {what}, not a workbook; give the customer workbook (.xlsx)")
    what = (
        "a Word document"
        if "word/document.xml" in lowered
        else "a PowerPoint presentation"
        if "ppt/presentation.xml" in lowered
        else "a zip archive that holds no workbook"
    )
    raise InputError(f"{path}: is {what}, not a workbook; give the customer workbook (.xlsx)")


def _office_document(archive: zipfile.ZipFile) -> str:
    """The target of the package's officeDocument relationship ('' when there is none)."""
    try:
        root = _parse_xml(Path(archive.filename or "?"), archive, "_rels/.rels")
    except InputError:
        return ""
    if root is None:
        return ""
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return ""


def _small_member(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
        raise InputError(f"{path}: part {name!r} is damaged ({why(exc)}); save the file again") from None


def read_member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """The whole of part ``name`` (at most :data:`MAX_PARSED_BYTES`), its size and CRC checked (and an XML part's
    prolog); a damaged or oversized part is an :class:`InputError`."""
    try:
        if archive.getinfo(name).file_size > MAX_PARSED_BYTES:
            raise InputError(
                f"{path}: part {name!r} is larger than such a part ever is ({MAX_PARSED_BYTES:,} bytes); "
                "the file is crafted or damaged, kactier does not read it"
            )
        with archive.open(name) as handle:
            data = handle.read(MAX_PARSED_BYTES + 1)
    except KeyError:
        raise InputError(
            f"{path}: part {name!r} is missing; the workbook is damaged, save it again"
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
        raise InputError(
            f"{path}: part {name!r} is damaged or its sizes lie ({why(exc)}); "
            "if it is still being copied wait and retry, else save it again from Excel"
        ) from None
    if name.endswith((".xml", ".rels", ".vml")):
        check_prolog(path, name, data[:65536])
    return data


def _verify_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate part ``info`` without keeping it: its size and CRC are checked as it is read (so a part that claims
    fewer bytes than it holds is caught), and an XML part's prolog."""
    for number, block in enumerate(_blocks(path, archive, info)):
        if number == 0 and info.filename.endswith((".xml", ".rels", ".vml")):
            check_prolog(path, info.filename, block[:65536])


def check_prolog(path: Path, name: str, head: bytes) -> None:
    """Refuse XML whose prolog declares a DOCTYPE (entity expansion, external entities): Excel never writes one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        start = head.find(b"<", position)
        if start < 0 or head[start : start + 2] not in (b"<?", b"<!"):
            return
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            position = end + 3
        elif head.startswith(b"<?", start):
            end = head.find(b"?>", start + 2)
            position = end + 2
        else:  # <!DOCTYPE, <!ENTITY or other declarations
            raise InputError(
                f"{path}: part {name!r} declares a DOCTYPE or entities, which Excel never writes "
                "(an XML entity attack); kactier does not read it"
            )
        if end < 0:
            return  # a prolog longer than the head: the XML parser will refuse what follows


def _parse_xml(path: Path, archive: zipfile.ZipFile, name: str) -> Any:
    """Part ``name`` parsed with defusedxml (DTDs forbidden), or None when the zip has no such part."""
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    data = read_member(path, archive, name)
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml/expat raise several types for one cause: the XML is not well formed
        raise InputError(
            f"{path}: part {name!r} is not well-formed XML ({why(exc)}); the workbook is damaged, "
            "save it again from Excel"
        ) from None


def _read_workbook(package: Package) -> None:
    """Check the parts calamine reads when it opens the workbook, and read sheets, date system and styles."""
    path, archive = package.path, package.zip
    workbook_part = _office_document(archive) or "xl/workbook.xml"
    for info in archive.infolist():
        name = info.filename
        if name.startswith(_SHEET_DIRS) and name.endswith(".xml"):
            continue  # checked by scan_sheet when the sheet is read
        if name.endswith("sharedStrings.xml"):
            package.long_shared_strings = _scan_shared_strings(path, archive, info)
        elif not name.endswith("/"):
            _verify_member(path, archive, info)  # size and CRC checked; XML prolog checked
    root = _parse_xml(path, archive, workbook_part)
    if root is None:
        raise InputError(f"{path}: the workbook part {workbook_part!r} is missing; save the file again")
    folder = posixpath.dirname(workbook_part)
    rels_root = _parse_xml(
        path, archive, posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
    )
    targets: dict[str, str] = {}
    if rels_root is not None:
        for rel in rels_root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            targets[rel.get("Id", "")] = resolved
    properties = root.find(f"{{{_MAIN_NS}}}workbookPr")
    if properties is not None:
        package.date1904 = properties.get("date1904", "false").strip().lower() in ("1", "true")
    for sheet in root.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id", "")
        package.sheets.append(
            SheetEntry(sheet.get("name", ""), targets.get(rid), sheet.get("state", "visible"))
        )
    package.percent_styles = _percent_styles(path, archive, posixpath.join(folder, "styles.xml"))


_BUILTIN_PERCENT = frozenset((9, 10))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _percent_styles(path: Path, archive: zipfile.ZipFile, name: str) -> frozenset[int]:
    """Indexes of the cell styles (``s`` attribute) whose number format shows a percent."""
    root = _parse_xml(path, archive, name)
    if root is None:
        return frozenset()
    percent_formats = set(_BUILTIN_PERCENT)
    for fmt in root.iter(f"{{{_MAIN_NS}}}numFmt"):
        if "%" in _QUOTED.sub("", fmt.get("formatCode", "")):
            percent_formats.add(_int(fmt.get("numFmtId")))
    xfs = root.find(f"{{{_MAIN_NS}}}cellXfs")
    if xfs is None:
        return frozenset()
    return frozenset(
        index
        for index, xf in enumerate(xfs.findall(f"{{{_MAIN_NS}}}xf"))
        if _int(xf.get("numFmtId")) in percent_formats
    )


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1


_LONG_TEXT = re.compile(rb">[^<]{%d}" % (MAX_CELL_TEXT + 1))


def _scan_shared_strings(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[int, int]:
    """Index -> length of each shared string longer than Excel allows; the part is read in full (size, CRC)."""
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        raise InputError(
            f"{path}: the shared strings part is {info.file_size:,} bytes, beyond what kactier reads "
            f"({MAX_SHARED_STRINGS_BYTES:,}); split the workbook"
        )
    long: dict[int, int] = {}
    before = 0  # <si> elements in earlier chunks
    for number, chunk in enumerate(_chunks(path, archive, info, b"</si>")):
        if number == 0:
            check_prolog(path, info.filename, chunk[:65536])
        for match in _LONG_TEXT.finditer(chunk):
            index = (
                before + chunk.count(b"<si>", 0, match.start()) + chunk.count(b"<si ", 0, match.start()) - 1
            )
            length = _text_length(chunk, match.start() + 1)
            if length > MAX_CELL_TEXT:
                long[index] = length
        before += chunk.count(b"<si>") + chunk.count(b"<si ")
    return long


def _text_length(data: bytes, start: int) -> int:
    """UTF-16 length of the XML text starting at ``start`` (up to the next tag), entities resolved."""
    end = data.find(b"<", start)
    raw = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace")
    text = _ENTITY.sub(_entity, raw)
    return len(text.encode("utf-16-le")) // 2


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#"):
        try:
            return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
        except (ValueError, OverflowError):
            return "?"
    return _NAMED[name]


def _chunks(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, boundary: bytes) -> Iterator[bytes]:
    """The decompressed part in pieces of about :data:`CHUNK` bytes, each cut after ``boundary`` (a row end) so
    that no element a check looks at is split; size and CRC are checked as the part is read. A large part is
    inflated in a helper thread (zlib releases the GIL), so inflating overlaps the checks."""
    blocks = (
        _blocks(path, archive, info)
        if info.file_size <= 2 * CHUNK
        else _threaded(_blocks(path, archive, info))
    )
    pending = b""
    for block in blocks:
        cut = block.rfind(boundary)
        if cut >= 0:
            cut += len(boundary)
            yield b"".join((pending, memoryview(block)[:cut])) if pending else block[:cut]
            pending = block[cut:]
            continue
        pending += block
        if len(pending) < 16 * CHUNK:
            continue
        cut = pending.rfind(b"<")  # no boundary in 64 MiB: cut before any tag instead
        if cut <= 0:
            yield pending  # one text of 64 MiB: the long-text check reports it
            pending = b""
            continue
        yield pending[:cut]
        pending = pending[cut:]
    if pending:
        yield pending


def _blocks(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(CHUNK)
                if not block:
                    return
                yield block
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
        raise InputError(
            f"{path}: part {info.filename!r} is damaged or its sizes lie ({why(exc)}); "
            "if it is still being copied wait and retry, else save it again from Excel"
        ) from None


def _threaded(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """``blocks`` produced by a helper thread, two ahead at most; its exception is raised here."""
    queue: Queue[bytes | BaseException | None] = Queue(maxsize=2)
    stop = threading.Event()

    def put(item: bytes | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for block in blocks:
                if not put(block):
                    return
            put(None)
        except BaseException as exc:  # handed to the consumer, which raises it
            put(exc)

    worker = threading.Thread(target=produce, name="kactier-inflate", daemon=True)
    worker.start()
    try:
        while True:
            item = queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


# -- one sheet ----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SheetFacts:
    """What the scan of a sheet's XML found. Positions are 0-based (row, column), as calamine returns cells."""

    max_row: int = 0  # 1-based, as Excel numbers rows (0: no cell)
    max_column: int = 0  # 1-based
    cells: int = 0
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # -> "#N/A", "#DIV/0!", ...
    uncalculated: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # formula saved without value -> "=..."
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based
    hidden_columns: list[int] = field(default_factory=list)  # 1-based
    dimension: str = ""  # the <dimension ref> the sheet claims (a hint; never trusted)
    exact: bool = False  # placed by the exact path, which also collected the cells above
    rare: bool = False  # the XML has error cells, formulas, hidden rows or percent cells to look at


# Normalises attribute syntax for the checks: single quotes, tabs and newlines; ">" and "/" to spaces so that
# "<c>" and "<c/>" read as "<c "; ":" to "<" so that a prefixed element "<x:c " also reads as "<c ".
_NORM = bytes.maketrans(b"'\t\n\r>/:", b'"     <')
_CELL_REF = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,7})["\']')
_TAG_NAME = re.compile(rb"</?\s*(?:[\w.-]+:)?([\w.-]+)")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)<")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*ref\s*=\s*["\']([^"\']*)["\']')
_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^<]*? hidden *= *"(?:1|true)"')  # in normalised XML
_HIDDEN_COL = re.compile(rb'<(?:[\w.-]+:)?col\s[^>]*hidden\s*=\s*["\'](?:1|true)["\'][^>]*>')
_MIN_MAX = re.compile(rb'\s(min|max)\s*=\s*["\']([0-9]{1,6})["\']')
_NO_VALUE = (b"</f></c>", b"/></c>", b"<v></v>", b"<v/>")


def scan_sheet(package: Package, entry: SheetEntry) -> SheetFacts:
    """:func:`check_sheet` then :func:`sheet_details`, one after the other."""
    facts = check_sheet(package, entry)
    sheet_details(package, entry, facts)
    return facts


def check_sheet(package: Package, entry: SheetEntry) -> SheetFacts:
    """Make sure calamine can parse the sheet ``entry`` safely: its largest cell position within Excel's limits
    and an area in proportion to its cells. Call before calamine parses the sheet. Raises :class:`InputError`.

    The sheet's ``<dimension>`` (its claimed last cell) is only a hint: one regular expression looks for the cell
    references that are not inside it (and for cells and rows without a position), which in an honest file finds
    nothing, so no per-cell work is done. Without a usable claim every reference is read (:class:`_Extent`);
    cells or rows without a position send the sheet down the exact path (defusedxml).
    """
    path = package.path
    where = f"{path}: sheet {entry.name!r}"
    info = _sheet_info(package, entry)
    facts = SheetFacts()
    extent: _Extent | None = None
    unplaced = False
    percent = [b' s="%d"' % s for s in package.percent_styles]
    for number, chunk in enumerate(_chunks(path, package.zip, info, b"</row>")):
        if number == 0:
            _first_chunk(path, entry, chunk, facts)
            extent = _Extent(where, _claim(facts.dimension))
        assert extent is not None
        norm = chunk.translate(_NORM)
        unplaced = extent.add(norm) or unplaced
        if _may_hold_long_text(chunk):
            _long_text(path, entry, chunk)
        if not facts.rare:
            facts.rare = (
                b'="e"' in norm or b"<f " in norm or b'hidden="' in norm or any(m in norm for m in percent)
            )
        if package.long_shared_strings and b't="s"' in norm:
            _long_shared(path, entry, chunk, package.long_shared_strings)
    if extent is None:  # an empty part: calamine refuses it
        return facts
    if not unplaced:
        facts.max_row, facts.max_column, facts.cells = extent.result()
        if extent.needs_exact(facts):
            extent = _Extent(where, None)
            for chunk in _chunks(path, package.zip, info, b"</row>"):
                unplaced = extent.add(chunk.translate(_NORM)) or unplaced
            facts.max_row, facts.max_column, facts.cells = extent.result()
    if unplaced:
        # Cells or rows without a position (calamine places them by counting), or unusual markup: exact path.
        _exact_scan(package, entry, info, facts)
        facts.exact = True
        return facts
    _check_area(where, facts)
    return facts


def sheet_details(package: Package, entry: SheetEntry, facts: SheetFacts) -> None:
    """Add to ``facts`` (from :func:`check_sheet`) what calamine cannot tell: error cells, formulas without a
    value, percent cells, hidden rows and columns. Only a sheet in which :func:`check_sheet` saw any of them is
    read again; this needs no more than ``facts``, so it may run in a thread while calamine parses the sheet."""
    if facts.exact or not facts.rare:  # the exact path collected everything already
        return
    percent = [b' s="%d"' % s for s in package.percent_styles]
    for chunk in _chunks(package.path, package.zip, _sheet_info(package, entry), b"</row>"):
        norm = chunk.translate(_NORM)
        if b'="e"' in norm or b"<f " in norm or b'hidden="' in norm or any(m in norm for m in percent):
            _rare_cells(chunk, norm, percent, facts)


def _sheet_info(package: Package, entry: SheetEntry) -> zipfile.ZipInfo:
    where = f"{package.path}: sheet {entry.name!r}"
    if entry.part is None:
        raise InputError(
            f"{where} has no part in the workbook; the file is damaged, save it again from Excel"
        )
    try:
        return package.zip.getinfo(entry.part)
    except KeyError:
        raise InputError(
            f"{where}: its part {entry.part!r} is missing; the file is damaged, save it again"
        ) from None


class _Extent:
    """The largest cell position of a sheet, from its XML in chunks.

    With a claim (the ``<dimension>`` last cell) a chunk is first searched, without capturing anything, for a
    reference that may lie beyond it or a cell without a position; only a chunk with one is read reference by
    reference, and only those references are. Without a claim every reference is read. A cell whose position is
    not its first attribute counts as unplaced (the exact path decides those). Row numbers do not matter: calamine
    places a cell that has a reference by that reference.
    """

    def __init__(self, where: str, claim: tuple[int, int] | None) -> None:
        self.where = where
        self.claim = claim
        self.max_row, self.max_column = claim or (0, 0)
        self.cells = 0
        self.counted = claim is not None and claim[0] * claim[1] > DENSE_FLOOR  # cells must be counted
        self.quick: re.Pattern[bytes] | None = None
        if claim is None:
            self.cell_pattern = _ANY_CELL
            return
        rows = _at_least(claim[0]).encode()
        columns = _columns_from(claim[1]).encode()
        letters = column_letters(claim[1])
        # A test that nearly every cell fails: long enough for a row beyond the claim, more letters, or a later
        # first letter; the references that pass it get the exact test.
        fast = b'[^"]{%d}|[A-Za-z]{%d}' % (len(str(claim[0])) + 1, max(len(letters), 2))
        if len(letters) == 1 and letters != "Z":
            after = chr(ord(letters) + 1)
            fast += b"|[%s-Z%s-z]" % (after.encode(), after.lower().encode())
        self.quick = re.compile(rb'<c (?:r="(?:%s)|(?!r="))' % fast)
        self.cell_pattern = re.compile(
            rb'<c (?:r="(?=%s)(?=(?:%s|[A-Za-z]+(?:%s)"))([A-Za-z]*[0-9]*)"|(?!r="))' % (fast, columns, rows)
        )

    def add(self, norm: bytes) -> bool:
        """Read one normalised chunk; True when it has an unplaced cell."""
        if self.counted:
            self.cells += norm.count(b"<c ")
        if self.quick is not None and self.quick.search(norm) is None:
            return False
        refs = self.cell_pattern.findall(norm)
        if self.claim is None:
            self.cells += len(refs)
        if b"" in refs:
            return True
        for ref in set(refs):
            row, column = _split_ref(self.where, ref)
            self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        return False

    def result(self) -> tuple[int, int, int]:
        return self.max_row, self.max_column, self.cells

    def needs_exact(self, facts: SheetFacts) -> bool:
        """True when the claimed area is too large to accept as it is: the real cells may be far fewer."""
        if self.claim is None:
            return False
        area = facts.max_row * facts.max_column
        return area > max(DENSE_FLOOR, DENSE_FACTOR * facts.cells)


_ANY_CELL = re.compile(rb'<c (?:r="([A-Za-z]*[0-9]*)"|(?!r="))')
_SPLIT_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")


def _split_ref(where: str, ref: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference; beyond-Excel references are refused at once."""
    match = _SPLIT_REF.fullmatch(ref)
    letters, digits = (match.group(1), match.group(2)) if match else (b"", b"")
    if len(digits) > 7 or (digits and int(digits) > MAX_ROWS):
        raise InputError(
            f"{where} places a cell at {ref[:16].decode('ascii', 'replace')}, beyond Excel's {MAX_ROWS:,} rows; "
            "the file is crafted or damaged, kactier does not read it"
        )
    if len(letters) > 3 or column_index(letters) > MAX_COLUMNS:
        raise InputError(
            f"{where} places a cell at {ref[:16].decode('ascii', 'replace')}, beyond Excel's last column XFD; "
            "the file is crafted or damaged, kactier does not read it"
        )
    return int(digits or 0), column_index(letters)


def _claim(dimension: str) -> tuple[int, int] | None:
    """(last row, last column) the ``<dimension ref>`` claims, or None when it is missing or unusable."""
    match = re.fullmatch(r"(?:[A-Za-z]{1,3}[0-9]{1,7}:)?([A-Za-z]{1,3})([0-9]{1,7})", dimension.strip())
    if match is None:
        return None
    row, column = int(match.group(2)), column_index(match.group(1))
    if not (1 <= row <= MAX_ROWS and 1 <= column <= MAX_COLUMNS):
        return None
    return row, column


def _at_least(number: int) -> str:
    """A regular expression for the decimal numbers (no sign) that may exceed ``number``: those with more digits,
    and those with as many whose first three digits are at least ``number``'s. A lookahead on the length comes
    first so that the usual, shorter numbers fail at once."""
    digits = str(number)
    size, keep = len(digits), min(3, len(digits))
    head, rest = digits[:keep], size - keep
    choices = [f"[0-9]{{{size + 1},}}"]
    for i in range(keep):
        low = int(head[i]) + (0 if i == keep - 1 else 1)
        if low <= 9:
            choices.append(f"{head[:i]}[{low}-9][0-9]{{{keep - 1 - i + rest}}}")
    return f"(?=[0-9]{{{size}}})(?:{'|'.join(choices)})"


def _columns_from(column: int) -> str:
    """A regular expression for column letters (followed by a digit) beyond ``column``: more letters, or as many
    and later in the alphabet (either case)."""
    letters = column_letters(column)
    size = len(letters)
    choices = [f"[A-Za-z]{{{size + 1},}}[0-9]"]
    for i, letter in enumerate(letters):
        if letter != "Z":
            after = chr(ord(letter) + 1)
            same = "".join(f"[{c}{c.lower()}]" for c in letters[:i])
            choices.append(f"{same}[{after}-Z{after.lower()}-z][A-Za-z]{{{size - 1 - i}}}[0-9]")
    return "|".join(choices)


def _first_chunk(path: Path, entry: SheetEntry, chunk: bytes, facts: SheetFacts) -> None:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path}: sheet {entry.name!r} is stored as UTF-16 XML, which Excel never writes; "
            "open the file in Excel and save it again"
        )
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


def _check_area(where: str, facts: SheetFacts) -> None:
    """Refuse a sheet beyond Excel's limits, or whose cells lie so far apart that reading it would take far more
    memory than its data (calamine allocates every cell from A1 to the last one)."""
    if facts.max_row > MAX_ROWS:
        raise InputError(
            f"{where} has cells down to row {facts.max_row:,}, more than Excel's {MAX_ROWS:,} rows; "
            "split the data over several sheets or files"
        )
    if facts.max_column > MAX_COLUMNS:
        raise InputError(
            f"{where} has cells out to column {facts.max_column:,}, more than Excel's {MAX_COLUMNS:,} columns; "
            "the file is crafted or damaged, kactier does not read it"
        )
    area = facts.max_row * facts.max_column
    if area > max(DENSE_FLOOR, DENSE_FACTOR * facts.cells):
        last = f"{column_letters(facts.max_column)}{facts.max_row}"
        raise InputError(
            f"{where} has a cell as far out as {last} although it holds only {facts.cells:,} cells "
            f"({area:,} cells to lay out); delete the stray cells beyond the data (Ctrl+End shows the last one) "
            "and save it again"
        )


_WINDOW = (MAX_CELL_TEXT + 1) // 2


def _may_hold_long_text(chunk: bytes) -> bool:
    """True when some stretch of ``chunk`` without ``<`` is long enough to hold a text over Excel's limit.

    Such a stretch covers a whole window of half its length at a multiple of that length, so looking for ``<``
    in each of those windows is enough: a few thousand short searches instead of a pass over every text."""
    find, size = chunk.find, len(chunk)
    return any(find(b"<", start, start + _WINDOW) < 0 for start in range(0, size - _WINDOW + 1, _WINDOW))


def _long_text(path: Path, entry: SheetEntry, chunk: bytes) -> None:
    for match in _LONG_TEXT.finditer(chunk):
        length = _text_length(chunk, match.start() + 1)
        if length > MAX_CELL_TEXT:
            ref = _cell_at(chunk, match.start())
            where = f"cell {ref}" if ref else "a cell"
            raise InputError(
                f"{path}: sheet {entry.name!r}, {where} holds {length:,} characters, more than Excel's "
                f"{MAX_CELL_TEXT:,} per cell; shorten it (nothing can be written back without losing text)"
            )


def _long_shared(path: Path, entry: SheetEntry, chunk: bytes, long: dict[int, int]) -> None:
    pattern = re.compile(
        rb'<c\s[^>]*t="s"[^>]*>\s*<v>(%s)</v>' % b"|".join(str(i).encode() for i in sorted(long))
    )
    match = pattern.search(chunk)
    if match:
        ref = _cell_at(chunk, match.start() + 1)
        length = long[int(match.group(1))]
        raise InputError(
            f"{path}: sheet {entry.name!r}, cell {ref or '?'} holds {length:,} characters, more than Excel's "
            f"{MAX_CELL_TEXT:,} per cell; shorten it (nothing can be written back without losing text)"
        )


def _cell_at(chunk: bytes, position: int) -> str:
    """The reference of the cell whose XML contains ``position`` ('' when unknown)."""
    start = position
    while True:
        start = chunk.rfind(b"<", 0, start)
        if start < 0:
            return ""
        name = _TAG_NAME.match(chunk, start)
        if name and name.group(1) == b"c":
            ref = _CELL_REF.search(chunk, start, chunk.find(b">", start) + 1)
            return ref.group(1).decode().upper() + ref.group(2).decode() if ref else ""
        if name and name.group(1) == b"row":
            return ""


def _rare_cells(chunk: bytes, norm: bytes, percent: list[bytes], facts: SheetFacts) -> None:
    """Error cells, formulas without a value, percent cells and hidden rows/columns of one chunk of canonical XML
    (every cell and row has its position)."""
    for position in _all(norm, b't="e"'):
        cell = _cell_xml(chunk, position)
        if cell is not None:
            ref, xml = cell
            value = _VALUE.search(xml)
            facts.error_cells[ref] = (value.group(1).decode("utf-8", "replace") if value else "") or "#N/A"
    if b"<f " in norm:
        for marker in _NO_VALUE:
            for position in _all(chunk, marker):
                cell = _cell_xml(chunk, position)
                if cell is not None and not _has_value(cell[1]):
                    facts.uncalculated[cell[0]] = _formula_text(cell[1])
    for marker in percent:
        for position in _all(norm, marker):
            cell = _cell_xml(chunk, position + 1)
            if cell is not None and _VALUE.search(cell[1]):
                facts.percent_cells.add(cell[0])
    if b'hidden="' in norm:
        for row in _HIDDEN_ROW.finditer(norm):
            facts.hidden_rows.append(int(row.group(1)))


def _all(data: bytes, needle: bytes) -> Iterator[int]:
    position = data.find(needle)
    while position >= 0:
        yield position
        position = data.find(needle, position + 1)


def _cell_xml(chunk: bytes, position: int) -> tuple[tuple[int, int], bytes] | None:
    """The (row, column) and XML of the ``<c>`` element around ``position``, or None when it is not in a cell."""
    start = chunk.rfind(b"<", 0, position + 1)
    while start >= 0:
        closing = chunk.startswith(b"</", start)
        name = _TAG_NAME.match(chunk, start)
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
    ref = _CELL_REF.search(chunk, start, head_end + 1)
    if ref is None:
        return None
    if chunk[head_end - 1 : head_end] == b"/":  # <c .../>: no content
        xml = chunk[start : head_end + 1]
    else:
        end = chunk.find(b"c>", head_end)
        xml = chunk[start : end + 2 if end >= 0 else len(chunk)]
    return (int(ref.group(2)) - 1, column_index(ref.group(1)) - 1), xml


def _has_value(xml: bytes) -> bool:
    """True when a formula cell carries its result: a non-empty ``<v>``, or an empty one for a text result."""
    value = _VALUE.search(xml)
    if value and value.group(1).strip():
        return True
    head = xml[: xml.find(b">") + 1].translate(_NORM)
    return b't="str"' in head and b"<v" in xml


def _formula_text(xml: bytes) -> str:
    match = re.search(rb"<(?:[\w.-]+:)?f(?:\s[^>]*)?>([^<]*)</", xml)
    text = match.group(1).decode("utf-8", "replace") if match else ""
    text = re.sub(r"&(amp|lt|gt|quot|apos);", lambda m: _NAMED[m.group(1)], text)
    return "=" + text if text else "=…"


# -- the exact (slow) path ----------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _exact_scan(package: Package, entry: SheetEntry, info: zipfile.ZipInfo, facts: SheetFacts) -> None:
    """Walk the sheet with defusedxml and place every cell as calamine does (rows and cells without a position
    follow the one before); for sheets the fast pass cannot vouch for."""
    path = package.path
    where = f"{path}: sheet {entry.name!r}"
    deadline = time.monotonic() + SLOW_PATH_SECONDS
    row_index = col_index = 0
    max_row = max_col = cells = 0
    pending: tuple[int, int] | None = None
    has_value = is_error = False
    formula = ""
    style = -1
    try:
        with package.zip.open(info) as handle:
            stream: IO[bytes] = handle
            for count, (event, element) in enumerate(
                SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True)
            ):
                if count & 0xFFFF == 0 and time.monotonic() > deadline:
                    raise InputError(
                        f"{where} is laid out so unusually that checking it takes too long; "
                        "open the file in Excel and save it again"
                    )
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        r = element.get("r")
                        if r is not None:
                            row_index = _position(where, r) - 1
                        if element.get("hidden", "0").lower() in ("1", "true"):
                            facts.hidden_rows.append(row_index + 1)
                    elif tag == "c":
                        r = element.get("r")
                        if r is not None:
                            pending = _cell_position(where, r)
                            col_index = pending[1]
                        else:
                            pending = (row_index, col_index)
                        has_value = is_error = False
                        formula = ""
                        style = _int(element.get("s"))
                        is_error = element.get("t") == "e"
                        col_index += 1
                        max_row, max_col = max(max_row, pending[0] + 1), max(max_col, pending[1] + 1)
                    continue
                if tag == "row":
                    row_index += 1
                    col_index = 0
                elif tag in ("v", "is") and pending is not None:
                    text = "".join(element.itertext())
                    if text.strip() or tag == "is":
                        has_value = True
                        if is_error:
                            facts.error_cells[pending] = text.strip() or "#N/A"
                elif tag == "f" and pending is not None:
                    formula = "=" + (element.text or "") if element.text else "=…"
                elif tag == "c" and pending is not None:
                    cells += 1
                    if formula and not has_value:
                        facts.uncalculated[pending] = formula
                    if has_value and style in package.percent_styles:
                        facts.percent_cells.add(pending)
                    pending = None
                    element.clear()
                elif tag == "col" and element.get("hidden", "0").lower() in ("1", "true"):
                    low, high = _int(element.get("min")), _int(element.get("max"))
                    if 0 < low <= high <= MAX_COLUMNS:
                        facts.hidden_columns.extend(range(low, high + 1))
                if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
                    break
    except InputError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
        raise InputError(
            f"{where} is damaged or its sizes lie ({why(exc)}); save it again from Excel"
        ) from None
    except Exception as exc:  # expat and defusedxml: the XML is not well formed, or declares entities
        raise InputError(
            f"{where} is not well-formed XML ({why(exc)}); the file is damaged or crafted, save it again from Excel"
        ) from None
    facts.max_row, facts.max_column, facts.cells = max_row, max_col, cells
    facts.hidden_columns = [c for c in facts.hidden_columns if c <= max(max_col, 1)]
    _check_area(where, facts)


def _position(where: str, text: str) -> int:
    if not text.isdigit() or len(text) > 7:
        raise InputError(
            f"{where} has a row numbered {text[:12]!r}, not a row Excel can have; the file is damaged"
        )
    return int(text)


def _cell_position(where: str, ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Za-z]{1,3})([0-9]{1,7})", ref)
    if match is None:
        raise InputError(
            f"{where} has a cell at {ref[:16]!r}, not a cell Excel can have; the file is damaged"
        )
    return int(match.group(2)) - 1, column_index(match.group(1)) - 1
