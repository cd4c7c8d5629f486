"""What each owner's workbook of ``kactier split`` is called, and the password it is locked with.

A file name is ``<stem>.<value>.xlsx`` with the value made safe for every file system (:func:`safe_part`); two
values that come out the same (case aside, as Windows and macOS compare names) get distinct names. The passwords
come from a CSV file of two columns, owner value and password (:func:`read_passwords`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError, InputError

_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')  # not in a name on Windows, or a path separator
_RESERVED = frozenset(
    ("CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10)))
)
_MAX_PART = (
    120  # bytes of the value's part: with the stem and ".xlsx", well under the 255 of most file systems
)
_MAX_STEM = 80
_OWNER_WORDS = frozenset(("owner", "value", "负责人", "負責人", "sales owner"))  # a header line of the CSV


def safe_part(value: str, *, limit: int = _MAX_PART) -> str:
    """``value`` as a part of a file name: separators, Windows' forbidden characters and control characters become
    ``_``; blanks and dots at the ends go; a Windows device name (CON, NUL, COM1…, with any extension) gets a
    leading ``_``; a part longer than ``limit`` UTF-8 bytes is cut and ends in 8 hex digits of the value's SHA-1,
    so two long values stay apart. Never empty."""
    part = _UNSAFE.sub("_", value).strip(" .\t\u3000") or "_"
    if part.split(".")[0].upper().rstrip() in _RESERVED:
        part = "_" + part
    if len(part.encode()) > limit:
        digest = hashlib.sha1(value.encode()).hexdigest()[:8]
        cut = part.encode()[: limit - 9].decode(errors="ignore").rstrip(" .")
        part = f"{cut}~{digest}"
    return part


def file_names(stem: str, values: Sequence[str]) -> dict[str, str]:
    """Each value's file name, ``<stem>.<safe value>.xlsx``, distinct (case aside) over ``values``."""
    base = safe_part(stem, limit=_MAX_STEM)
    taken: set[str] = set()
    names: dict[str, str] = {}
    for value in values:
        part = safe_part(value)
        name, n = f"{base}.{part}.xlsx", 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}.{part} ({n}).xlsx"
        taken.add(name.casefold())
        names[value] = name
    return names


def read_passwords(path: Path, values: Sequence[str], blank: str) -> dict[str, str]:
    """The password of every value in ``values`` from the CSV at ``path`` (owner value, password; UTF-8, with or
    without a BOM; a first line naming the columns is skipped; blanks around a cell are not part of it). The blank value is written as ``blank``.

    A value of ``values`` the file does not list, an empty password, or a value listed twice with two passwords is
    a :class:`~kactier.errors.ConfigError` (exit 78) naming the line or the value: no workbook is written then,
    never one left unencrypted. Passwords are never part of a message.
    """
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError("split.passwords_unreadable", path=path, reason=exc.strerror or exc) from None
    except UnicodeDecodeError:
        raise ConfigError("split.passwords_not_utf8", path=path) from None
    wanted = {(blank if v == "" else v): v for v in values}
    found: dict[str, str] = {}
    for number, line in enumerate(csv.reader(io.StringIO(content)), start=1):
        cells = [cell.strip() for cell in line]
        if not any(cells):
            continue
        if number == 1 and cells[0] not in wanted and cells[0].casefold() in _OWNER_WORDS:
            continue
        if len(cells) < 2 or not cells[1]:
            raise ConfigError("split.passwords_no_password", path=path, line=number, value=cells[0])
        value = wanted.get(cells[0])
        if value is None:
            continue  # an owner of another file: nothing of it is written
        password = cells[1]  # blanks around it are the CSV's layout, not the password
        if found.get(value, password) != password:
            raise ConfigError("split.passwords_twice", path=path, line=number, value=cells[0])
        found[value] = password
    missing = [shown for shown, value in wanted.items() if value not in found]
    if missing:
        raise ConfigError(
            "split.passwords_missing", path=path, values="、".join(missing[:5]), count=len(missing)
        )
    return found
