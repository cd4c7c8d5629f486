"""What a file is, decided from its first bytes, never its name: the formats kactier reads, and clear refusals
for the files people mistake for workbooks (PDFs, web pages, Excel 2003 XML) and for the spreadsheet formats it
does not read (Excel 2.x-4.0, Lotus 1-2-3, SYLK, DIF, flat OpenDocument), which are named, never read as CSV."""

from __future__ import annotations

import enum
import re
from pathlib import Path

from ..errors import InputError, Phrase

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Spreadsheet formats no maintained Python reader reads, told apart by their first bytes so that they are named
# (and never read as CSV text): the BOF records of Excel 2.x, 3.0 and 4.0 worksheets and of a bare BIFF5/8 stream
# outside its OLE container, and Lotus 1-2-3 (WK1, WK3 and later).
_BINARY_FORMATS = (
    ((b"\x09\x00\x04\x00", b"\x09\x02\x06\x00", b"\x09\x04\x06\x00"), "what.biff2_4"),
    ((b"\x09\x08\x08\x00", b"\x09\x08\x10\x00"), "what.biff_stream"),
    ((b"\x00\x00\x02\x00\x04\x04", b"\x00\x00\x02\x00\x06\x04", b"\x00\x00\x1a\x00"), "what.lotus"),
)


class Kind(enum.Enum):
    """A file format kactier reads."""

    XLSX = "xlsx"  # also .xlsm/.xltx: Office Open XML spreadsheet
    XLSB = "xlsb"
    ODS = "ods"
    XLS = "xls"  # Excel 97-2003 (BIFF), an OLE compound file
    CSV = "csv"
    OLE = "ole"  # an OLE compound file still to be looked into (encrypted workbook, .xls, or else)


# SYLK: an "ID;P..." record, then records of one letter ("P;PGeneral", "C;Y1;X1;K1", "E"); a semicolon CSV whose
# header starts "ID;Product" has a data row there instead. DIF: TABLE, its "0,1" and a quoted title.
_SYLK = re.compile(r"id;p[^\r\n]*\r?\n[a-z](?:;|\r?\n|$)")
_DIF = re.compile(r'table\r?\n0,1\r?\n"')


def sniff(path: Path, head: bytes) -> Kind:
    """The kind of file whose first bytes are ``head`` (up to 64 KiB); anything kactier cannot read is refused."""
    if not head:
        raise InputError("input.empty", path=path)
    if head.startswith(_ZIP_MAGICS):
        return Kind.XLSX  # refined by open_package: .xlsx, .xlsb, .ods or another zip
    if head.startswith(OLE_MAGIC):
        return Kind.OLE
    if head.startswith(b"%PDF"):
        raise InputError("input.pdf", path=path)
    for magics, what in _BINARY_FORMATS:
        if head.startswith(magics):
            raise InputError("input.unsupported_format", path=path, what=Phrase(what))
    text = _text_head(head)
    if text is None:
        raise InputError("input.not_a_workbook", path=path)
    _refuse_text_formats(path, text.lstrip().lower())
    return Kind.CSV


def _refuse_text_formats(path: Path, lowered: str) -> None:
    """Refuse the text formats that are not CSV (``lowered``: the file's first characters, in lower case)."""
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        raise InputError("input.xml2003", path=path)
    what = (
        "what.fods"
        if lowered.startswith("<?xml") and "urn:oasis:names:tc:opendocument:xmlns:office" in lowered
        else "what.sylk"
        if _SYLK.match(lowered)
        else "what.dif"
        if _DIF.match(lowered)
        else None
    )
    if what is not None:
        raise InputError("input.unsupported_format", path=path, what=Phrase(what))
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
        lowered.startswith("<") and "<html" in lowered[:4096]
    ):
        raise InputError("input.html", path=path)


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


def why(exc: BaseException) -> str:
    """An exception's text on one line (its type name when it has none), for a one-line message."""
    return " ".join(str(exc).split())[:300] or type(exc).__name__
