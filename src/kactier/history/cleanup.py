"""Removing a history database that a run created and never recorded anything in (an interrupted batch)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def has_recorded_runs(path: Path) -> bool:
    """True when the database at ``path`` holds a recorded run. A database created but still empty holds none; one
    that cannot be read counts as holding runs, so it is never removed for being unreadable."""
    try:  # a short wait: this runs on Ctrl-C, and a database another run holds is not empty anyway
        connection = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    except sqlite3.Error:
        return True
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "runs" not in tables:
            return bool(tables)  # another program's tables are not ours to judge
        return bool(connection.execute("SELECT EXISTS (SELECT 1 FROM runs)").fetchone()[0])
    except sqlite3.Error:
        return True
    finally:
        connection.close()


def remove_unused_history(path: Path) -> bool:
    """Remove the database at ``path`` (and its WAL and journal files) when it holds no recorded run; True when
    removed. For a run that created the database and was interrupted before recording anything."""
    if not path.exists() or has_recorded_runs(path):
        return False
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return True
