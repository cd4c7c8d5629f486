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

from ..errors import InputError, OutputIOError, Phrase
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
        raise InputError("input.ole_other", path=path) from None
    except Exception as exc:  # olefile and the format readers raise many types for one cause: a damaged file
        raise InputError("input.ole_damaged", path=path, reason=why(exc)) from None
    if kind == "ooxml":
        return Kind.XLSX, _decrypt(path, password, Phrase("what.workbook"))
    if kind == "xls97":
        return Kind.XLS, _decrypt(path, password, Phrase("what.xls")) if encrypted else None
    what = {"doc97": "what.word", "ppt97": "what.ppt"}.get(kind, "what.office")
    raise InputError("input.ole_document", path=path, what=Phrase(what))


def _decrypt(path: Path, password: str | None, what: Phrase) -> bytes:
    import msoffcrypto
    from msoffcrypto import exceptions

    if not password:
        raise InputError("input.password_needed", path=path, what=what, env=PASSWORD_ENV)
    try:
        with path.open("rb") as handle:
            office: Any = msoffcrypto.OfficeFile(handle)
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
    except exceptions.InvalidKeyError:
        raise InputError("input.password_wrong", path=path, what=what) from None
    except (exceptions.DecryptionError, exceptions.FileFormatError, exceptions.ParseError) as exc:
        raise InputError("input.decrypt_failed", path=path, what=what, reason=why(exc)) from None
    except Exception as exc:  # a damaged container makes olefile and the ciphers raise many types
        raise InputError("input.decrypt_damaged", path=path, what=what, reason=why(exc)) from None
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
        raise OutputIOError("output.encrypt_failed", path=path, reason=exc.strerror or exc) from None
