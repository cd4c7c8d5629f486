"""Tier history in an embedded SQLite database: every run, every customer's score and tier, and what changed.

Schema (``PRAGMA user_version = 2``; a version-1 database gains the ``stage`` column when a run is recorded)::

    runs(id, run_at, input_name, input_sha256, input_modified, config_name, config_sha256, tier_labels, as_of,
         tool_version)
    grades(run_id, customer_id, customer_name, score, tier, stage)   -- tier and score NULL: not graded;
                                                                     -- stage: the lifecycle stage key (客户状态)

The database runs in WAL mode and each run is recorded in one transaction (``BEGIN IMMEDIATE``): a reader never sees
half a run, and two writers wait for each other (busy timeout) instead of failing or corrupting anything. A run
identical to the latest run of its input (same SHA-256, config, tier labels and as-of date: a cron job re-running
on an unchanged file) is not recorded twice.

The *previous run* of a run is the latest earlier run with the same input file name (``Path.name``, exactly: a file
re-rated in place keeps its name) and the same tier labels in the same order, whose input SHA-256 or config differs
from this run's. A re-run of unchanged data under an unchanged config is not a new period: it is compared with the
same previous run as the first time, so it produces the same cells.

The records are in :mod:`.records`, the comparison with the previous run in :mod:`.changes`. Tier indexes run
from 0 (the best tier) as in :mod:`kactier.tiering.grade`; −1 means none.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from ..errors import DataError, HistoryBusyError, HistoryError, InputError, OutputExistsError, Phrase
from .records import HistoryEntry, NewRun, PastGrade, PreviousRun, RunInfo

if TYPE_CHECKING:
    from ..config.models import Config
    from ..scoring.engine import Scores
    from ..tiering.grade import Grades
    from ..validate.rows import CustomerTable

DEFAULT_HISTORY_NAME = "kactier-history.sqlite"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_SECONDS = 60.0
_NEAR_ID = 70  # rapidfuzz ratio: an id at least this close to an unknown one is suggested

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    run_at TEXT NOT NULL,
    input_name TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    input_modified TEXT,
    config_name TEXT NOT NULL,
    config_sha256 TEXT NOT NULL,
    tier_labels TEXT NOT NULL,
    as_of TEXT NOT NULL,
    tool_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_input ON runs (input_name, id);
CREATE TABLE IF NOT EXISTS grades (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    customer_name TEXT,
    score REAL,
    tier TEXT,
    stage TEXT,
    PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS grades_by_customer ON grades (customer_id, run_id);
"""


class HistoryStore:
    """An open history database. Use :func:`open_history`."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> None:
        self.path = path
        self.timeout = timeout
        self._db = connection

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def previous_run(
        self, input_name: str, labels: Sequence[str], input_sha256: str, config_sha256: str
    ) -> PreviousRun | None:
        """The previous run of a run about to be recorded (see the module docstring), with its grades."""
        with self._errors("read"):
            rows = self._db.execute(
                "SELECT id, run_at, input_name, input_sha256, config_name, tier_labels, as_of FROM runs "
                "WHERE input_name = ? AND tier_labels = ? AND NOT (input_sha256 = ? AND config_sha256 = ?) "
                "ORDER BY id DESC LIMIT 1",
                (input_name, labels_json(labels), input_sha256, config_sha256),
            ).fetchall()
            if not rows:
                return None
            run = run_info(rows[0])
            grades = {
                cid: PastGrade(tier, score, name)
                for cid, name, score, tier in self._db.execute(
                    "SELECT customer_id, customer_name, score, tier FROM grades WHERE run_id = ?", (run.id,)
                )
            }
        return PreviousRun(run, grades)

    def record_run(
        self, run: NewRun, customers: Iterable[tuple[str | float | None, ...]]
    ) -> tuple[int, bool]:
        """Record ``run`` and its customers ``(id, name, score, tier[, stage])`` in one transaction.

        Returns the run id and whether it was recorded now: a run identical to the latest run of its input (same
        SHA-256, config, tier labels and as-of date) is not recorded again, its id is returned. A repeated
        customer id keeps its first row, so list graded rows before the others.
        """
        with self._errors("write"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                same = self._db.execute(
                    "SELECT id FROM runs WHERE id = (SELECT MAX(id) FROM runs WHERE input_name = ?) "
                    "AND input_sha256 = ? AND config_sha256 = ? AND tier_labels = ? AND as_of = ?",
                    (
                        run.input_name,
                        run.input_sha256,
                        run.config_sha256,
                        labels_json(run.tier_labels),
                        run.as_of.isoformat(),
                    ),
                ).fetchone()
                if same is not None:
                    self._db.execute("COMMIT")
                    return int(same[0]), False
                cursor = self._db.execute(
                    "INSERT INTO runs (run_at, input_name, input_sha256, input_modified, config_name, "
                    "config_sha256, tier_labels, as_of, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run.run_at.isoformat(timespec="seconds"),
                        run.input_name,
                        run.input_sha256,
                        run.input_modified.isoformat(timespec="seconds") if run.input_modified else None,
                        run.config_name,
                        run.config_sha256,
                        labels_json(run.tier_labels),
                        run.as_of.isoformat(),
                        run.tool_version,
                    ),
                )
                run_id = int(cursor.lastrowid or 0)
                self._db.executemany(
                    "INSERT OR IGNORE INTO grades (run_id, customer_id, customer_name, score, tier, stage) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    ((run_id, *customer, None)[:6] for customer in customers),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return run_id, True

    def customer_history(self, customer_id: str) -> list[HistoryEntry]:
        """Every run of every input that ever listed ``customer_id``, oldest first (absent runs included)."""
        with self._errors("read"):
            rows = self._db.execute(
                "SELECT r.id, r.run_at, r.input_name, r.input_sha256, r.config_name, r.tier_labels, r.as_of, "
                "g.customer_id IS NOT NULL, g.customer_name, g.score, g.tier "
                "FROM runs r LEFT JOIN grades g ON g.run_id = r.id AND g.customer_id = ? "
                "WHERE r.input_name IN (SELECT DISTINCT r2.input_name FROM grades g2 "
                "JOIN runs r2 ON r2.id = g2.run_id WHERE g2.customer_id = ?) ORDER BY r.id",
                (customer_id, customer_id),
            ).fetchall()
        return [HistoryEntry(run_info(row[:7]), bool(row[7]), row[8], row[9], row[10]) for row in rows]

    def customer_ids(self) -> list[str]:
        """Every customer id any run lists, in id order."""
        with self._errors("read"):
            rows = self._db.execute("SELECT DISTINCT customer_id FROM grades ORDER BY customer_id").fetchall()
        return [row[0] for row in rows]

    def runs(self) -> list[RunInfo]:
        """Every recorded run, oldest first."""
        with self._errors("read"):
            rows = self._db.execute(
                "SELECT id, run_at, input_name, input_sha256, config_name, tier_labels, as_of FROM runs ORDER BY id"
            ).fetchall()
        return [run_info(row) for row in rows]

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of a read-only ``sql`` (for the queries of :mod:`.trends`), SQLite errors as kactier's."""
        with self._errors("read"):
            return self._db.execute(sql, parameters).fetchall()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn SQLite's errors while ``doing`` ("read", "write" or "open") into kactier's."""
        what = _DOING[doing]
        try:
            yield
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise HistoryBusyError("history.locked", path=self.path, seconds=self.timeout) from None
            raise HistoryError("history.failed", path=self.path, doing=what, reason=exc) from None
        except sqlite3.DatabaseError as exc:
            raise HistoryError("history.damaged", path=self.path, doing=what, reason=exc) from None


_DOING = {"read": Phrase("what.read"), "write": Phrase("what.write"), "open": Phrase("what.open")}


def open_history(path: Path, *, create: bool = True, timeout: float = BUSY_TIMEOUT_SECONDS) -> HistoryStore:
    """Open (and with ``create``, create) the history database at ``path``.

    A database of another program, or of a newer kactier, is refused with :class:`HistoryError`.
    """
    if not path.exists():
        if not create:
            raise InputError("history.missing", path=path, default=DEFAULT_HISTORY_NAME)
        if not path.parent.is_dir():
            raise OutputExistsError("history.no_folder", path=path, folder=path.parent)
    try:
        connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise HistoryError("history.failed", path=path, doing=_DOING["open"], reason=exc) from None
    store = HistoryStore(path, connection, timeout)
    try:
        with store._errors("open"):
            _prepare(connection, path, create, timeout)
    except BaseException:
        connection.close()
        raise
    return store


def _prepare(db: sqlite3.Connection, path: Path, create: bool, timeout: float) -> None:
    version, tables = _schema_state(db)  # one snapshot: another run may be creating the database right now
    if version > SCHEMA_VERSION:
        raise HistoryError("history.newer", path=path, version=version)
    if version == 0 and tables:
        raise HistoryError("history.foreign", path=path)
    db.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION and create:
        if version == 0:
            _patiently(db, "PRAGMA journal_mode = WAL", timeout)
        db.execute("BEGIN IMMEDIATE")
        try:
            version, tables = _schema_state(db)
            if version == 0 and tables:  # not another kactier run: it sets the version with the tables
                raise HistoryError("history.foreign", path=path)
            statements = _SCHEMA.split(";") if version == 0 else ["ALTER TABLE grades ADD COLUMN stage TEXT"]
            if version < SCHEMA_VERSION:  # 1: recorded before lifecycle stages were kept
                for statement in statements:
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _schema_state(db: sqlite3.Connection) -> tuple[int, set[str]]:
    """The schema version and table names, read in one transaction (the caller's, or one of its own)."""
    own = db.in_transaction is False
    if own:
        db.execute("BEGIN")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        if own:
            db.execute("COMMIT")
    return version, tables


def _patiently(db: sqlite3.Connection, statement: str, timeout: float) -> None:
    """Run ``statement``, retrying while the database is locked, for up to ``timeout`` seconds. Turning a new
    database to WAL upgrades a read lock to a write lock, and SQLite answers "locked" at once (waiting would be a
    deadlock) when another run holds the write lock, which it lets go of in moments."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def history_database(out_dir: Path | None = None, history: Path | None = None) -> Path:
    """Where a run's history is, found the way batch writes it: ``history`` when given, else
    :data:`DEFAULT_HISTORY_NAME` in ``out_dir`` (default: the current folder)."""
    if history is not None:
        return history
    return (out_dir if out_dir is not None else Path()) / DEFAULT_HISTORY_NAME


def customer_trajectory(path: Path, customer_id: str) -> list[HistoryEntry]:
    """A customer's runs, oldest first (``kactier history``).

    A missing database is an :class:`InputError` (exit 66) saying how to make one. A customer no run lists is a
    :class:`DataError` (exit 65, not 66: the database was read; it holds no such id), suggesting the nearest ids.
    """
    if not path.is_file():
        raise InputError("cli.history.missing", path=path)
    store = open_history(path, create=False)
    try:
        entries = store.customer_history(customer_id)
        if not entries:
            raise _unknown_customer(store, customer_id)
    finally:
        store.close()
    return entries


def _unknown_customer(store: HistoryStore, customer_id: str) -> DataError:
    runs = len(store.runs())
    near = process.extract(
        customer_id, store.customer_ids(), scorer=fuzz.ratio, limit=3, score_cutoff=_NEAR_ID
    )
    if not near:
        return DataError("cli.history.unknown_customer", path=store.path, customer=customer_id, runs=runs)
    suggestion = ", ".join(match for match, _, _ in near)
    return DataError(
        "cli.history.unknown_customer_near",
        path=store.path,
        customer=customer_id,
        runs=runs,
        suggestion=suggestion,
    )


def config_fingerprint(config: Config) -> str:
    """SHA-256 of the effective config, to tell a re-run under the same config from a re-rating under a new one."""
    return hashlib.sha256(config.model_dump_json().encode("utf-8")).hexdigest()


def record_grades(
    store: HistoryStore, run: NewRun, table: CustomerTable, scores: Scores, grades: Grades, config: Config
) -> tuple[int, bool]:
    """Record ``run`` with every data row that has a customer id (graded rows first); see
    :meth:`HistoryStore.record_run` for what is returned."""
    frame = table.frame
    labels = [level.label for level in config.tiers.levels]
    ids = frame["customer_id"].tolist()
    names = frame["customer_name"].tolist() if "customer_name" in frame else [None] * len(ids)
    stages = frame["stage"].tolist() if "stage" in frame else [None] * len(ids)
    tiers, score = grades.tier.tolist(), scores.score.tolist()
    order = sorted(range(len(ids)), key=lambda i: tiers[i] < 0)  # graded rows first: they win a repeated id
    return store.record_run(
        run,
        (
            (
                ids[i],
                names[i],
                score[i] if tiers[i] >= 0 else None,
                labels[tiers[i]] if tiers[i] >= 0 else None,
                stages[i],
            )
            for i in order
            if ids[i] is not None
        ),
    )


def labels_json(labels: Sequence[str]) -> str:
    """Tier labels as the ``runs.tier_labels`` column holds them."""
    return json.dumps(list(labels), ensure_ascii=False)


def run_info(row: Sequence[Any]) -> RunInfo:
    """A :class:`RunInfo` from a row of ``id, run_at, input_name, input_sha256, config_name, tier_labels, as_of``."""
    run_id, run_at, input_name, sha, config_name, labels, as_of = row
    return RunInfo(int(run_id), run_at, input_name, sha, config_name, tuple(json.loads(labels)), as_of)
