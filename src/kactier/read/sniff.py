"""What a file is, decided from its first bytes, never its name: the formats kactier reads, and clear refusals
for the files people mistake for workbooks (PDFs, web pages, Excel 2003 XML)."""

from __future__ import annotations

import enum
from pathlib import Path

from ..errors import InputError

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Kind(enum.Enum):
    """A file format kactier reads."""

    XLSX = "xlsx"  # also .xlsm/.xltx: Office Open XML spreadsheet
    XLSB = "xlsb"
    ODS = "ods"
    XLS = "xls"  # Excel 97-2003 (BIFF), an OLE compound file
    CSV = "csv"
    OLE = "ole"  # an OLE compound file still to be looked into (encrypted workbook, .xls, or else)


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
    text = _text_head(head)
    if text is None:
        raise InputError("input.not_a_workbook", path=path)
    lowered = text.lstrip().lower()
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        raise InputError("input.xml2003", path=path)
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
        lowered.startswith("<") and "<html" in lowered[:4096]
    ):
        raise InputError("input.html", path=path)
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


def why(exc: BaseException) -> str:
    """An exception's text on one line (its type name when it has none), for a one-line message."""
    return " ".join(str(exc).split())[:300] or type(exc).__name__
