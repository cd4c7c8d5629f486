"""Password-protected workbooks: told apart from other OLE files, decrypted in memory, and written encrypted.

Excel saves a workbook with a password to open as an OLE compound file holding ``EncryptionInfo`` and
``EncryptedPackage``; msoffcrypto-tool decrypts it (agile and standard encryption) into the bytes of an ordinary
.xlsx, which never touch the disk. An .xls may be encrypted too (RC4); it is decrypted the same way. The output is
encrypted with the agile scheme (AES-256, SHA-512), as Excel does.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputIOError
from .sniff import Kind, why

PASSWORD_ENV = "KACTIER_PASSWORD"


def open_ole(path: Path, password: str | None) -> tuple[Kind, bytes | None]:
    """What the OLE compound file at ``path`` holds: ``(Kind.XLSX, decrypted bytes)`` for an encrypted workbook,
    ``(Kind.XLS, None)`` for a legacy .xls (``bytes`` when it was encrypted). Anything else is refused."""
    import msoffcrypto
    from msoffcrypto import exceptions

    try:
        with path.open("rb") as handle:
            office: Any = msoffcrypto.OfficeFile(handle)
            kind = office.format
            encrypted = kind == "ooxml" or bool(office.is_encrypted())
    except exceptions.FileFormatError:
        raise InputError(
            f"{path}: is an Office file (OLE format) that is not a workbook kactier reads; "
            "open it in Excel and save it as .xlsx"
        ) from None
    except Exception as exc:  # olefile and the format readers raise many types for one cause: a damaged file
        raise InputError(
            f"{path}: the file is damaged or incomplete ({why(exc)}); save it again from Excel as .xlsx"
        ) from None
    if kind == "ooxml":
        return Kind.XLSX, _decrypt(path, password, "workbook")
    if kind == "xls97":
        return Kind.XLS, _decrypt(path, password, "legacy .xls workbook") if encrypted else None
    what = {"doc97": "a Word document", "ppt97": "a PowerPoint presentation"}.get(kind, "an Office file")
    raise InputError(f"{path}: is {what} (OLE format), not a workbook; give the customer workbook (.xlsx)")


def _decrypt(path: Path, password: str | None, what: str) -> bytes:
    import msoffcrypto
    from msoffcrypto import exceptions

    if not password:
        raise InputError(
            f"{path}: the {what} is password-protected; pass its password with --password "
            f"(or set {PASSWORD_ENV})"
        )
    try:
        with path.open("rb") as handle:
            office: Any = msoffcrypto.OfficeFile(handle)
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
    except exceptions.InvalidKeyError:
        raise InputError(f"{path}: wrong password for the {what}; check it and try again") from None
    except (exceptions.DecryptionError, exceptions.FileFormatError, exceptions.ParseError) as exc:
        raise InputError(
            f"{path}: the {what} cannot be decrypted ({why(exc)}); save it again from Excel"
        ) from None
    except Exception as exc:  # a damaged container makes olefile and the ciphers raise many types
        raise InputError(f"{path}: the {what} is damaged and cannot be decrypted ({why(exc)})") from None
    return out.getvalue()


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
        raise OutputIOError(f"{path}: cannot write the encrypted workbook ({exc.strerror or exc})") from None
