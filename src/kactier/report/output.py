"""Atomic file writing: a new file appears whole under its name, or not at all.

Every file kactier writes (the graded workbook, a template, a config file) is written to a temporary name beside
its final name, flushed to disk (fsync) and renamed over it, so a reader never sees half a file and an interrupted
run leaves the previous file untouched. An existing file is replaced only with ``force``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputExistsError, OutputIOError


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success fsync it and rename it over ``path``."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputExistsError("output.no_folder", path=path, folder=folder)
    if path.exists() and not force:
        raise OutputExistsError("output.exists", path=path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputExistsError(
            "output.cannot_create", path=path, folder=folder, reason=exc.strerror
        ) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        # mkstemp makes the file private (0600); give it the mode any new file of this user gets
        os.chmod(temporary, _new_file_mode())
        if path.exists() and not force:
            raise OutputExistsError("output.appeared", path=path)
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputIOError("output.write_failed", path=path, reason=exc.strerror or exc) from None
    finally:
        temporary.unlink(missing_ok=True)


def _new_file_mode() -> int:
    """0666 less the process umask, as ``open()`` would create a file."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_file(path: Path, content: str, *, force: bool) -> None:
    """Write a text file atomically; an existing file is replaced only with ``force``."""
    with atomic_output(path, force=force) as temporary:
        temporary.write_text(content, encoding="utf-8")
