"""Tier history in SQLite: what changed since the previous run, in the data sheet, the Summary and the Changes sheet;
the previous-run rule; one transaction per run; `kactier history`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import run
from test_report import AS_OF, CUSTOMERS, TIER_COLOURS, customers_workbook, rows_of, table_below
from typer.testing import Result

from kactier.errors import ExitCode, HistoryBusyError, HistoryError
from kactier.history.changes import Change, compare_tiers
from kactier.history.records import NewRun, PastGrade, PreviousRun, RunInfo
from kactier.history.store import _SCHEMA, SCHEMA_VERSION, open_history

LABELS = ["A", "B", "C"]


def rerated() -> list[Any]:
    """The second period: C03 up to A, C02 down to B, C09 now unreadable, C10 gone, C12 new in A."""
    changed = {"C03": 88, "C02": 70, "C09": 105}
    rows = [(*c[:-1], changed.get(c[0], c[-1])) for c in CUSTOMERS if c[0] != "C10"]
    return [*rows, ("C12", "新客户", "华南", "电子", 2_500_000, 3, 4.1, 9, 86)]


def info(run_id: int = 1) -> RunInfo:
    return RunInfo(
        run_id, "2026-05-31T02:30:00", "customers.xlsx", "f" * 64, "key-account", tuple(LABELS), "2026-05-31"
    )


def new_run(
    sha: str = "a" * 64, config: str = "c" * 64, as_of: str = "2026-05-31", name: str = "customers.xlsx"
) -> NewRun:
    return NewRun(
        name,
        sha,
        "key-account",
        config,
        tuple(LABELS),
        dt.date.fromisoformat(as_of),
        dt.datetime.now(dt.UTC),
        "test",
    )


# -- comparing two runs ---------------------------------------------------------------------------------------------


def test_compare_tiers_names_every_kind_of_change() -> None:
    previous = PreviousRun(
        info(),
        {
            "K1": PastGrade("A", 90.0, "stays A"),
            "K2": PastGrade("A", 88.0, "falls to C"),
            "K3": PastGrade("C", 50.0, "rises to B"),
            "K4": PastGrade("B", 75.0, "not graded now"),
            "K5": PastGrade("B", 71.0, "gone"),
            "K6": PastGrade(None, None, "was not graded"),
        },
    )
    ids = [
        "K1",
        "K2",
        "K3",
        "K4",
        "K6",
        "K7",
        None,
        "K1",
    ]  # K1 repeats: its second row is an excluded duplicate
    names = ["stays A", "falls to C", "rises to B", "not graded now", "now graded", "new", None, "dup"]
    tiers = [0, 2, 1, -1, 1, 0, -1, -1]
    scores = [91.0, 40.0, 72.0, float("nan"), 70.0, 99.0, float("nan"), float("nan")]

    changes = compare_tiers(ids, names, tiers, scores, LABELS, previous)

    assert changes.change == [
        Change.UNCHANGED,
        Change.DOWN,
        Change.UP,
        Change.NOT_GRADED,
        Change.NEW,  # graded for the first time
        Change.NEW,
        None,
        None,  # the duplicate row says nothing; its first row speaks for K1
    ]
    assert changes.previous_tier == [0, 0, 2, 1, -1, -1, -1, -1]
    assert [(r.customer_id, r.change) for r in changes.rows] == [
        ("K3", Change.UP),
        ("K2", Change.DOWN),
        ("K7", Change.NEW),
        ("K6", Change.NEW),
        ("K4", Change.NOT_GRADED),
        ("K5", Change.GONE),
    ]
    gone = changes.rows[-1]
    assert (gone.customer_name, gone.previous_tier, gone.tier, gone.previous_score) == ("gone", 1, -1, 71.0)
    # rows: A, B, C, new; columns: A, B, C, not graded, gone
    assert changes.matrix == [
        [1, 0, 1, 0, 0],
        [0, 0, 0, 1, 1],
        [0, 1, 0, 0, 0],
        [1, 1, 0, 0, 0],
    ]
    assert changes.previous_counts == [2, 2, 1]
    assert changes.retained == [2, 1, 1]
    counts = changes.counts()
    assert (counts["up"], counts["down"], counts["new"], counts["gone"], counts["unchanged"]) == (
        1,
        1,
        2,
        1,
        1,
    )


# -- the database ---------------------------------------------------------------------------------------------------


def test_previous_run_is_the_latest_different_run_of_the_same_input_and_labels(tmp_path: Path) -> None:
    store = open_history(tmp_path / "h.sqlite")
    try:
        first, recorded = store.record_run(new_run(sha="1" * 64), [("K1", "one", 90.0, "A")])
        assert recorded
        second, _ = store.record_run(new_run(sha="2" * 64, as_of="2026-06-30"), [("K1", "one", 70.0, "B")])
        store.record_run(new_run(sha="9" * 64, name="other.xlsx"), [("K1", "one", 10.0, "C")])

        after_two = store.previous_run("customers.xlsx", LABELS, "3" * 64, "c" * 64)
        assert after_two is not None
        assert after_two.run.id == second
        assert after_two.grades["K1"] == PastGrade("B", 70.0, "one")
        # Re-running the second period's data under the same config compares with the first period again.
        rerun = store.previous_run("customers.xlsx", LABELS, "2" * 64, "c" * 64)
        assert rerun is not None
        assert rerun.run.id == first
        # The same data under a new config is a re-rating: compared with the latest run.
        reconfigured = store.previous_run("customers.xlsx", LABELS, "2" * 64, "d" * 64)
        assert reconfigured is not None
        assert reconfigured.run.id == second
        assert store.previous_run("customers.xlsx", ["A", "B", "C", "D"], "3" * 64, "c" * 64) is None
        assert store.previous_run("never.xlsx", LABELS, "3" * 64, "c" * 64) is None
    finally:
        store.close()


def test_an_identical_re_run_is_not_recorded_twice(tmp_path: Path) -> None:
    store = open_history(tmp_path / "h.sqlite")
    try:
        first, _ = store.record_run(new_run(), [("K1", "one", 90.0, "A")])
        again, recorded = store.record_run(new_run(), [("K1", "one", 90.0, "A")])
        later, recorded_later = store.record_run(new_run(as_of="2026-07-31"), [("K1", "one", 90.0, "A")])

        assert (again, recorded) == (first, False)
        assert recorded_later
        assert later != first
        assert [r.id for r in store.runs()] == [first, later]
    finally:
        store.close()


def test_the_database_is_wal_and_each_run_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    store = open_history(path)

    def customers() -> Any:
        yield ("K1", "one", 90.0, "A")
        raise RuntimeError("the disk went away half-way")

    with pytest.raises(RuntimeError):
        store.record_run(new_run(), customers())
    store.close()

    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0  # nothing of the half run
        assert db.execute("SELECT count(*) FROM grades").fetchone()[0] == 0
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def test_a_database_of_another_program_or_a_garbage_file_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 100)
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 99")
    db.close()

    for path, words in ((foreign, "another program"), (garbage, "not a database"), (newer, "newer kactier")):
        with pytest.raises(HistoryError, match=words) as caught:
            open_history(path)
        assert caught.value.exit_code == ExitCode.IO


def test_a_database_kept_locked_is_a_temporary_failure(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    open_history(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer in the middle of its run
    try:
        store = open_history(path, timeout=0.2)
        with pytest.raises(HistoryBusyError) as caught:
            store.record_run(new_run(), [("K1", "one", 90.0, "A")])
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.exit_code == ExitCode.TEMPORARY
    assert "0.2 s" in str(caught.value)  # the wait it gave, not the default


def test_two_runs_creating_the_database_at_once_wait_for_each_other(tmp_path: Path) -> None:
    # Two runs that find no database both create it. Turning the new file to WAL upgrades a read lock to a write
    # lock, and SQLite answers a run that finds the other one's write lock "locked" at once, without waiting: the
    # deadlock rule. The run must wait for the other one instead of failing the file.
    path = tmp_path / "h.sqlite"
    path.touch()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the other run, half-way through creating the database
    release = threading.Timer(0.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        store = open_history(path, timeout=10)
        store.record_run(new_run(), [("K1", "one", 90.0, "A")])
        store.close()
    finally:
        release.join()
        holder.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    finally:
        db.close()


def test_a_database_created_while_being_checked_is_not_taken_for_another_programs(tmp_path: Path) -> None:
    # The version and the tables are read in one snapshot: a run that finishes creating the database between the
    # two reads must not make it look like a database of another program (tables but no version).
    path = tmp_path / "h.sqlite"
    path.touch()
    real_connect = sqlite3.connect

    def other_run_creates_it() -> None:
        other = real_connect(path, timeout=0, isolation_level=None)
        try:
            other.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        except sqlite3.OperationalError:  # the snapshot holds it off until the check is over
            other.execute("ROLLBACK")
        finally:
            other.close()

    class Interleaved(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if "sqlite_master" in sql and not path.stat().st_size:
                other_run_creates_it()
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=Interleaved, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        store = open_history(path)
    store.record_run(new_run(), [("K1", "one", 90.0, "A")])
    store.close()


# -- end to end through `kactier score --history` ---------------------------------------------------------------------


@pytest.fixture
def two_periods(tmp_path: Path) -> tuple[Path, Path, Result]:
    """The first period graded with history, then the second period, same file name, graded against it."""
    source = customers_workbook(tmp_path / "customers.xlsx")
    database = tmp_path / "history.sqlite"
    output = tmp_path / "customers.tiered.xlsx"
    first = run("score", source, "--history", database, "--as-of", "2026-05-31", "--json")
    assert first.exit_code == ExitCode.OK, first.output
    assert json.loads(first.stdout)["changes"] is None
    customers_workbook(source, rerated())
    second = run("score", source, "--history", database, "--as-of", AS_OF, "--force", "--json")
    assert second.exit_code == ExitCode.OK, second.output
    return output, database, second


def load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return openpyxl.load_workbook(path)


def test_json_counts_the_changes(two_periods: tuple[Path, Path, Result]) -> None:
    payload = json.loads(two_periods[2].stdout)

    changes = payload["changes"]
    assert changes["previous_run"] == 1
    assert changes["previous_as_of"] == "2026-05-31"
    assert (changes["up"], changes["down"], changes["new"], changes["not_graded"], changes["gone"]) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert changes["unchanged"] == 6
    assert payload["history_run"] == 2


def test_data_sheet_shows_previous_tier_and_change(two_periods: tuple[Path, Path, Result]) -> None:
    sheet = load(two_periods[0]).worksheets[0]
    rows = rows_of(sheet)
    header = rows[0]
    previous, change = header.index("上次级别"), header.index("级别变化")
    # after the grade's own columns, before the explanations that close every data sheet
    assert header[-5:] == ["上次级别", "级别变化", "评级说明", "距上一级差距", "提升建议"]
    by_id = {row[0]: row for row in rows[1:]}

    assert (by_id["C03"][previous], by_id["C03"][change]) == ("B", "升级")
    assert (by_id["C02"][previous], by_id["C02"][change]) == ("A", "降级")
    assert (by_id["C12"][previous], by_id["C12"][change]) == (None, "新增")
    assert (by_id["C09"][previous], by_id["C09"][change]) == ("C", "本次未评级")
    assert (by_id["C01"][previous], by_id["C01"][change]) == ("A", "不变")
    assert (by_id["C11"][previous], by_id["C11"][change]) == (None, None)  # not graded then or now
    number = [row[0] for row in rows].index("C03") + 1
    cell = sheet.cell(number, previous + 1)
    assert str(cell.fill.fgColor.rgb)[-6:].upper() == TIER_COLOURS["B"]
    table = next(iter(sheet.tables.values()))
    assert table.ref.startswith("A1:")
    assert [c.name for c in table.tableColumns][-5:-3] == ["上次级别", "级别变化"]


def test_changes_sheet_lists_upgrades_downgrades_new_and_gone(two_periods: tuple[Path, Path, Result]) -> None:
    book = load(two_periods[0])
    assert book.sheetnames[:3] == ["客户信息", "汇总", "变动"]
    rows = rows_of(book["变动"])

    assert rows[0] == [
        "客户编号",
        "客户名称",
        "级别变化",
        "上次级别",
        "客户级别",
        "上次得分",
        "综合得分",
        "得分变化",
        "得分走势",  # each one's score per run, the previous run first: the trajectory (test_trends.py)
        "#1 · 2026-05-31",
        f"本次 · {AS_OF}",
    ]
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("C03", "升级", "B", "A"),
        ("C02", "降级", "A", "B"),
        ("C12", "新增", None, "A"),
        ("C09", "本次未评级", "C", None),
        ("C10", "不在本次名单", "C", None),
    ]
    up = rows[1]
    assert up[5:] == [80, 88, 8, "▁█", 80, 88]
    gone = rows[5]
    assert (gone[1], gone[5], gone[6]) == ("东海贸易", 30, None)
    assert "Changes" in book["变动"].tables


def test_summary_shows_the_transition_matrix_and_retention(two_periods: tuple[Path, Path, Result]) -> None:
    rows = rows_of(load(two_periods[0])["汇总"])

    facts = table_below(rows, "运行信息")
    assert ["上次评级", "#1 · customers.xlsx · 评级基准日 2026-05-31"] in [r[:2] for r in facts]
    matrix = table_below(rows, "级别迁移（上次 → 本次）")
    assert matrix[0][:7] == ["上次＼本次", "A", "B", "C", "本次未评级", "不在本次名单", "合计"]
    assert [r[:7] for r in matrix[1:]] == [
        ["A", 1, 1, 0, 0, 0, 2],
        ["B", 1, 2, 0, 0, 0, 3],
        ["C", 0, 0, 3, 1, 1, 5],
        ["新增", 1, 0, 0, None, None, 1],
        ["合计", 3, 3, 3, 1, 1, 11],
    ]
    kpis = {r[0]: r for r in table_below(rows, "关键指标")[1:]}
    retention = kpis["留存率（较上次评级）"]
    assert retention[1:5] == [1.0, 1.0, pytest.approx(0.8), pytest.approx(0.9)]  # by previous tier, then all
    assert retention[5] == 10


def test_english_change_labels(tmp_path: Path) -> None:
    source = customers_workbook(tmp_path / "customers.xlsx")
    database = tmp_path / "history.sqlite"
    assert run("score", source, "--history", database, "--lang", "en", "--quiet").exit_code == ExitCode.OK
    customers_workbook(source, rerated())
    assert run("score", source, "--history", database, "--lang", "en", "--force", "--quiet").exit_code == 0

    book = load(tmp_path / "customers.tiered.xlsx")
    assert "Changes" in book.sheetnames
    header = rows_of(book.worksheets[0])[0]
    assert header[-5:-3] == ["Previous Tier", "Tier Change"]
    changes = {r[0]: r[2] for r in rows_of(book["Changes"])[1:]}
    assert changes == {"C03": "Up", "C02": "Down", "C12": "New", "C09": "Not graded now", "C10": "Gone"}


# -- kactier history ----------------------------------------------------------------------------------------------------


def test_history_command_prints_the_trajectory(two_periods: tuple[Path, Path, Result]) -> None:
    database = two_periods[1]

    result = run("history", "C03", "--history", database, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["customer_id"] == "C03"
    assert [(r["run"], r["tier"], r["score"], r["as_of"]) for r in payload["runs"]] == [
        (1, "B", 80, "2026-05-31"),
        (2, "A", 88, AS_OF),
    ]
    text = run("history", "C03", "--history", database)
    assert text.exit_code == ExitCode.OK
    lines = text.stdout.splitlines()
    assert lines[0] == "C03 粤海电子"
    assert any("2026-05-31" in line and " B " in line and "新增" in line for line in lines)  # Chinese runs
    assert any(AS_OF in line and " A " in line and "升级" in line for line in lines)


def test_history_of_a_gone_customer_shows_the_run_it_was_missing_from(
    two_periods: tuple[Path, Path, Result],
) -> None:
    result = run("history", "C10", "--history", two_periods[1], "--json")

    assert result.exit_code == ExitCode.OK, result.output
    runs = json.loads(result.stdout)["runs"]
    assert [(r["present"], r["tier"]) for r in runs] == [(True, "C"), (False, None)]
    text = run("history", "C10", "--history", two_periods[1])
    assert "不在输入中" in text.stdout


def test_history_of_an_unknown_customer_or_a_missing_database(
    two_periods: tuple[Path, Path, Result], tmp_path: Path
) -> None:
    unknown = run("history", "NOPE", "--history", two_periods[1])
    assert unknown.exit_code == ExitCode.DATA  # the database was read; it lists no such customer
    assert "'NOPE'" in unknown.stderr
    assert "2 run(s)" in unknown.stderr

    missing = run("history", "C01", "--history", tmp_path / "absent.sqlite", "--json")
    assert missing.exit_code == ExitCode.NO_INPUT
    assert json.loads(missing.stdout)["exit_code"] == ExitCode.NO_INPUT
    assert not (tmp_path / "absent.sqlite").exists()  # reading never creates a database
