"""Password-protected workbooks: told apart from other OLE files, decrypted in memory, and written encrypted.

Excel saves a workbook with a password to open as an OLE compound file holding ``EncryptionInfo`` and
``EncryptedPackage``; msoffcrypto-tool decrypts it (agile and standard encryption) into the bytes of an ordinary
.xlsx, which never touch the disk. An .xls may be encrypted too (RC4, RC4 CryptoAPI or XOR obfuscation); it is
decrypted the same way. A workbook encrypted with Excel's built-in password (:data:`DEFAULT_PASSWORD`) opens without
asking, as in Excel. An Excel 5.0/95 workbook (a ``Book`` stream, which calamine reads) with a password is
recognised and refused as password-protected: no maintained reader decrypts it. The output is encrypted with the agile scheme (AES-256,
SHA-512), as Excel does.
"""

from __future__ import annotations

import inspect
import io
import os
import struct
from pathlib import Path
from typing import IO, Any, NoReturn

from ..errors import InputError, OutputIOError, Phrase
from .sniff import Kind, why

PASSWORD_ENV = "KACTIER_PASSWORD"
DEFAULT_PASSWORD = "VelvetSweatshop"  # Excel's built-in password: a file "protected" by it opens without one

_FILEPASS = 0x002F  # BIFF record: the workbook is encrypted or obfuscated from here on
_EOF = 0x000A  # BIFF record: end of the workbook globals, where FILEPASS must already have been
_GLOBALS_SCAN = 1 << 20  # bytes of a Book stream searched for FILEPASS
_MANIFEST = "META-INF/manifest.xml"
_MANIFEST_BYTES = 4 << 20


def open_ole(path: Path, password: str | None) -> tuple[Kind, bytes | None]:
    """What the OLE compound file at ``path`` holds: ``(Kind.XLSX, decrypted bytes)`` for an encrypted workbook,
    ``(Kind.XLS, None)`` for a legacy .xls (``bytes`` when it was encrypted). Anything else is refused."""
    import msoffcrypto
    from msoffcrypto import exceptions

    try:
        with path.open("rb") as handle:
            book = _book_stream(handle)
            if book is None:
                office: Any = msoffcrypto.OfficeFile(handle)
                kind = office.format
                encrypted = kind == "ooxml" or bool(office.is_encrypted())
    except exceptions.FileFormatError:
        raise InputError("input.ole_other", path=path) from None
    except Exception as exc:  # olefile and the format readers raise many types for one cause: a damaged file
        # the reason's first clause: Python's advice after it ("use sys.set_int_max_str_digits()") is not the user's
        raise InputError("input.ole_damaged", path=path, reason=why(exc).split("; ")[0]) from None
    if book is not None:  # Excel 5.0/95: calamine reads it, unless it is password-protected
        if _has_filepass(book):
            refuse_undecryptable(path, password, Phrase("what.xls"))
        return Kind.XLS, None
    if kind == "ooxml":
        return Kind.XLSX, _decrypt(path, password, Phrase("what.workbook"))
    if kind == "xls97":
        return Kind.XLS, _decrypt(path, password, Phrase("what.xls")) if encrypted else None
    what = {"doc97": "what.word", "ppt97": "what.ppt"}.get(kind, "what.office")
    raise InputError("input.ole_document", path=path, what=Phrase(what))


def _decrypt(path: Path, password: str | None, what: Phrase) -> bytes:
    """The decrypted file; without ``password``, Excel's built-in one is tried before one is asked for."""
    import msoffcrypto
    from msoffcrypto import exceptions

    try:
        with path.open("rb") as handle:
            office: Any = msoffcrypto.OfficeFile(handle)
            if office.format == "xls97":
                office = msoffcrypto.OfficeFile(_whole_records(path.read_bytes()))
            _load_key(office, password or DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
    except exceptions.InvalidKeyError:
        if not password:
            raise InputError("input.password_needed", path=path, what=what, env=PASSWORD_ENV) from None
        raise InputError("input.password_wrong", path=path, what=what) from None
    except (exceptions.DecryptionError, exceptions.FileFormatError, exceptions.ParseError) as exc:
        raise InputError("input.decrypt_failed", path=path, what=what, reason=why(exc)) from None
    except Exception as exc:  # a damaged container makes olefile and the ciphers raise many types
        raise InputError("input.decrypt_damaged", path=path, what=what, reason=why(exc)) from None
    return out.getvalue()


def _load_key(office: Any, password: str) -> None:
    """Give ``office`` the password, checked against the file's verifier (a wrong one raises InvalidKeyError).

    OOXMLFile checks it only when asked (``verify_password``, msoffcrypto-tool 5 and 6); the .xls, .doc and .ppt
    readers always check it and take no such argument."""
    if "verify_password" in inspect.signature(office.load_key).parameters:
        office.load_key(password=password, verify_password=True)
    else:
        office.load_key(password=password)


def _whole_records(data: bytes) -> io.BytesIO:
    """The .xls ``data`` in memory, its Workbook stream ending in whole records. Excel pads a small stream with
    zeros to 4096 bytes; when the padding is not a multiple of 4, msoffcrypto-tool (which walks the stream record
    by record) stops on the broken last header. The padding is then made one empty record of its own length."""
    import olefile

    buffer = io.BytesIO(data)
    ole = olefile.OleFileIO(buffer, write_mode=True)
    with ole.openstream("Workbook") as handle:
        stream = bytearray(handle.read())
    position = last = 0
    while position + 4 <= len(stream):
        last = position
        position += 4 + struct.unpack_from("<HH", stream, position)[1]
    if position != len(stream) and position <= len(stream) + 4 and not any(stream[last:]):
        struct.pack_into("<HH", stream, last, 0, len(stream) - last - 4)
        ole.write_stream("Workbook", bytes(stream))
    buffer.seek(0)
    return buffer


def _book_stream(handle: IO[bytes]) -> bytes | None:
    """The start of the workbook stream when the OLE file holds an Excel 5.0/95 workbook (a ``Book`` stream, in
    any case, and no ``Workbook``), which msoffcrypto-tool does not know; None for any other OLE file."""
    import olefile

    ole = olefile.OleFileIO(handle)
    try:
        if ole.exists("Workbook") or not ole.exists("Book"):  # olefile compares stream names in any case
            return None
        with ole.openstream("Book") as stream:
            data: bytes = stream.read(_GLOBALS_SCAN)
            return data
    finally:
        handle.seek(0)


def _has_filepass(data: bytes) -> bool:
    """True when the BIFF globals in ``data`` (from the first BOF to its EOF) hold a FILEPASS record."""
    position = 0
    while position + 4 <= len(data):
        number, size = struct.unpack_from("<HH", data, position)
        if number == _FILEPASS:
            return True
        if number == _EOF:
            return False
        position += 4 + size
    return False


def refuse_undecryptable(path: Path, password: str | None, what: Phrase) -> NoReturn:
    """Refuse a password-protected file kactier cannot decrypt (an Excel 5.0/95 workbook, an OpenDocument
    spreadsheet): without a password it says so as for any other, with one that it must be saved without it."""
    if not password:
        raise InputError("input.password_needed", path=path, what=what, env=PASSWORD_ENV)
    raise InputError("input.password_unsupported", path=path, what=what)


def refuse_encrypted_ods(path: Path, source: Path | bytes, password: str | None) -> None:
    """Refuse the OpenDocument spreadsheet at ``source`` when it was saved with a password: its manifest gives
    its parts ``encryption-data`` (they are AES- or Blowfish-encrypted, and calamine cannot read them)."""
    import zipfile

    from .zip_parts import read_small_member

    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        if _MANIFEST not in archive.namelist():
            return
        manifest = read_small_member(path, archive, _MANIFEST, _MANIFEST_BYTES)
    if b"encryption-data" in manifest:
        refuse_undecryptable(path, password, Phrase("what.ods"))


def encrypt_file(path: Path, password: str) -> None:
    """Encrypt the .xlsx at ``path`` in place with ``password`` (agile encryption, as Excel)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    try:
        with path.open("rb") as handle:
            plain = io.BytesIO(handle.read())
        encrypted = io.BytesIO()
        OOXMLFile(plain).encrypt(password, encrypted)
        with path.open("wb") as handle:
            handle.write(encrypted.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputIOError("output.encrypt_failed", path=path, reason=exc.strerror or exc) from None
