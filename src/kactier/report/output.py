"""Atomic file writing: a new file appears whole under its name, or not at all.

Every file kactier writes (the graded workbook, a template, a config file) is written to a temporary name beside
its final name, flushed to disk (fsync) and renamed over it, so a reader never sees half a file and an interrupted
run leaves the previous file untouched. An existing file is replaced only with ``force``.

A run killed outright (``kill -9``, a power cut) cannot remove its temporary file, so each one says who wrote it:
``.<name>.kactier-<pid>-<start>.<random>.tmp``, ``<start>`` being when that process started (ticks since boot,
from /proc; 0 where there is none), and the writer holds an ``flock`` on it while it lives. The next write of the
same output removes the leftovers whose writer is gone (:func:`remove_abandoned_temporaries`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputExistsError, OutputIOError

_MARK = "kactier"
_NAME_BYTES = (
    150  # of the output's name in a temporary's: with the rest, well under the 255 a file name may take
)


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success fsync it and rename it over ``path``.

    Leftovers of killed runs for ``path`` are removed first; the temporary is locked (``flock``) until the end.
    """
    folder = path.parent
    if not folder.is_dir():
        raise OutputExistsError("output.no_folder", path=path, folder=folder)
    if path.exists() and not force:
        raise OutputExistsError("output.exists", path=path)
    remove_abandoned_temporaries(folder, path.name)
    prefix = f"{_temporary_stem(path.name)}.{_MARK}-{os.getpid()}-{process_start(os.getpid()) or 0}."
    try:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputExistsError(
            "output.cannot_create", path=path, folder=folder, reason=exc.strerror
        ) from None
    temporary = Path(name)
    try:
        with contextlib.suppress(OSError):  # a folder without locks: its leftovers are then never removed
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while this process lives
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
        os.close(handle)


def _temporary_stem(name: str) -> str:
    """``.<name>``, the name cut to :data:`_NAME_BYTES` bytes of UTF-8 (whole characters)."""
    return "." + name.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore")


def _leftover_pattern(name: str | None) -> re.Pattern[str]:
    """kactier's temporary names for the output ``name`` (any output when None); groups: pid, start."""
    stem = re.escape(_temporary_stem(name)) if name is not None else r"\..+"
    return re.compile(rf"{stem}\.{_MARK}-(\d+)-(\d+)\.[a-z0-9_]+\.tmp")


def remove_abandoned_temporaries(folder: Path, name: str | None = None) -> list[Path]:
    """Remove kactier's temporary files in ``folder`` (for the output ``name``; all of them when None) whose
    writer is gone; returns them. Never another program's files, never one a live run is writing.

    A leftover goes only when all three hold: its name is kactier's (the pattern of :func:`atomic_output`); the
    process of its pid is gone, or is another process that reused the pid (it started at another time: the start
    time in the name is checked against /proc); and no process holds its ``flock``. The lock also covers a writer
    whose pid means nothing here (another pid namespace or host sharing the folder); the pid covers the instant
    between creating the file and locking it.
    """
    pattern = _leftover_pattern(name)
    removed = []
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.startswith(".")]
    except OSError:
        return []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or writer_alive(int(found[1]), int(found[2])):
            continue
        with contextlib.suppress(OSError):
            if _remove_unlocked(Path(entry.path)):
                removed.append(Path(entry.path))
    return sorted(removed)


def _remove_unlocked(path: Path) -> bool:
    """Remove ``path`` when no process holds its lock (then no process can be writing it)."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink()
    except BlockingIOError:
        return False
    finally:
        os.close(handle)
    return True


def writer_alive(pid: int, start: int) -> bool:
    """True unless process ``pid`` is certainly not the one that started at ``start`` (0: unknown)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    now = process_start(pid)
    return not (start and now and now != start)  # a reused pid started later


def process_start(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (/proc/<pid>/stat, field 22); None unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        return int(stat[stat.rindex(b")") + 2 :].split()[19])  # the name in brackets may hold spaces
    except (OSError, ValueError, IndexError):
        return None


def _new_file_mode() -> int:
    """0666 less the process umask, as ``open()`` would create a file."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_file(path: Path, content: str, *, force: bool) -> None:
    """Write a text file atomically; an existing file is replaced only with ``force``."""
    with atomic_output(path, force=force) as temporary:
        temporary.write_text(content, encoding="utf-8")
