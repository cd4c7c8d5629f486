"""`kactier batch`: files, folders and globs; a bad workbook among good ones; re-rating with history; the lock;
overlapping runs; reproducible cells; --json, --quiet and progress only on a terminal.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run
from test_history import load, rerated
from test_report import CUSTOMERS, customers_workbook, rows_of, table_below

import kactier.cli.options
from kactier.cli.render_tables import progress_display
from kactier.errors import ExitCode
from kactier.pipeline.batch import LOCK_NAME, find_inputs, remove_stale_temporaries
from kactier.report.output import process_start


def every_cell(path: Path) -> dict[str, list[list[Any]]]:
    return {sheet.title: rows_of(sheet) for sheet in load(path).worksheets}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """incoming/ with two good workbooks and a broken one; an empty graded/."""
    incoming, graded = tmp_path / "incoming", tmp_path / "graded"
    incoming.mkdir()
    graded.mkdir()
    customers_workbook(incoming / "customers.xlsx")
    customers_workbook(incoming / "north.xlsx", CUSTOMERS[3:8])
    (incoming / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated in transit")
    return incoming, graded


# -- inputs ---------------------------------------------------------------------------------------------------------


def test_find_inputs_takes_files_folders_and_globs_and_skips_outputs_and_lock_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("b.xlsx", "a.xlsm", "c.csv", "notes.txt", "a.tiered.xlsx", "~$b.xlsx", ".hidden.xlsx"):
        (folder / name).write_bytes(b"x")
    other = tmp_path / "other"
    other.mkdir()
    (other / "d.xlsx").write_bytes(b"x")
    (other / "d.tiered.xlsx").write_bytes(b"x")
    named = tmp_path / "export.dat"
    named.write_bytes(b"x")

    found, missing, skipped = find_inputs(
        [str(folder), str(other / "*.xlsx"), str(named), str(folder / "b.xlsx"), str(tmp_path / "nope.xlsx")]
    )

    assert found == [folder / "a.xlsm", folder / "b.xlsx", folder / "c.csv", other / "d.xlsx", named]
    assert {p.name: reason for p, reason in skipped} == {
        "a.tiered.xlsx": "a kactier output",
        "~$b.xlsx": "an Excel lock file",
        ".hidden.xlsx": "a hidden file",
        "d.tiered.xlsx": "a kactier output",
    }
    assert [(m.input.name, m.exit_code) for m in missing] == [("nope.xlsx", ExitCode.NO_INPUT)]
    assert "no such file or folder" in str(missing[0].error)
    _, nothing, _ = find_inputs([str(tmp_path / "*.xls")])
    assert [m.exit_code for m in nothing] == [ExitCode.NO_INPUT]
    assert "matches no workbook" in str(nothing[0].error)


# -- the acceptance run: a broken file among good ones, then a re-rating ---------------------------------------------


def test_batch_reports_the_broken_file_and_grades_the_others_then_shows_what_changed(
    folders: tuple[Path, Path],
) -> None:
    incoming, graded = folders
    first = run("batch", incoming, "--out-dir", graded, "--json", "--wait", "0")

    assert first.exit_code == ExitCode.NO_INPUT  # the worst outcome: the broken workbook
    payload = json.loads(first.stdout)
    outcomes = {Path(f["input"]).name: f for f in payload["files"]}
    assert set(outcomes) == {"broken.xlsx", "customers.xlsx", "north.xlsx"}
    assert outcomes["broken.xlsx"]["exit_code"] == ExitCode.NO_INPUT
    assert "broken.xlsx" in outcomes["broken.xlsx"]["error"]
    assert outcomes["customers.xlsx"]["exit_code"] == ExitCode.OK
    assert outcomes["customers.xlsx"]["tier_counts"] == {"A": 2, "B": 3, "C": 5}
    assert outcomes["north.xlsx"]["rows"]["scored"] == 5
    assert (payload["ok"], payload["failed"], payload["exit_code"]) == (2, 1, ExitCode.NO_INPUT)
    assert sorted(p.name for p in graded.iterdir()) == [
        LOCK_NAME,
        "customers.tiered.xlsx",
        "kactier-history.sqlite",
        "north.tiered.xlsx",
    ]
    lines = first.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kactier: error: ")
    assert "broken.xlsx" in lines[0]
    north_before = every_cell(graded / "north.tiered.xlsx")

    customers_workbook(incoming / "customers.xlsx", rerated())
    second = run("batch", incoming, "--out-dir", graded, "--force", "--json", "--wait", "0")

    assert second.exit_code == ExitCode.NO_INPUT
    outcomes = {Path(f["input"]).name: f for f in json.loads(second.stdout)["files"]}
    changes = outcomes["customers.xlsx"]["changes"]
    assert (changes["up"], changes["down"], changes["new"], changes["gone"]) == (1, 1, 1, 1)
    assert (
        outcomes["north.xlsx"]["changes"] is None
    )  # unchanged input: compared with nothing, as the first time
    assert every_cell(graded / "north.tiered.xlsx") == north_before

    book = load(graded / "customers.tiered.xlsx")
    data = rows_of(book.worksheets[0])
    header = data[0]
    by_id = {r[0]: r for r in data[1:]}
    assert (by_id["C03"][header.index("上次级别")], by_id["C03"][header.index("级别变化")]) == ("B", "升级")
    assert (by_id["C02"][header.index("上次级别")], by_id["C02"][header.index("级别变化")]) == ("A", "降级")
    summary = rows_of(book["汇总"])
    matrix = table_below(summary, "级别迁移")
    assert matrix[1][:4] == ["A", 1, 1, 0]
    assert matrix[2][:4] == ["B", 1, 2, 0]
    assert {r[0]: r[2] for r in rows_of(book["变动"])[1:]} == {
        "C03": "升级",
        "C02": "降级",
        "C12": "新增",
        "C09": "本次未评级",
        "C10": "不在本次名单",
    }

    history = run("history", "C03", "--history", graded / "kactier-history.sqlite", "--json")
    assert history.exit_code == ExitCode.OK, history.output
    assert [(r["tier"], r["score"]) for r in json.loads(history.stdout)["runs"]] == [("B", 80), ("A", 88)]
    text = run("history", "C02", "--history", graded / "kactier-history.sqlite")
    assert "降级" in text.stdout  # the history table speaks the inputs' language


def test_re_running_on_unchanged_inputs_gives_the_same_cells(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders
    (incoming / "broken.xlsx").unlink()
    assert run("batch", incoming, "--out-dir", graded, "--quiet").exit_code == ExitCode.OK
    before = {p.name: every_cell(p) for p in graded.glob("*.tiered.xlsx")}
    time.sleep(1.1)  # a later run time, which must not show in any cell

    again = run("batch", incoming, "--out-dir", graded, "--force", "--quiet")

    assert again.exit_code == ExitCode.OK, again.output
    assert {p.name: every_cell(p) for p in graded.glob("*.tiered.xlsx")} == before
    db = sqlite3.connect(graded / "kactier-history.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2  # identical re-runs recorded once
    finally:
        db.close()


def test_without_force_existing_outputs_are_kept_and_reported(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders
    (incoming / "broken.xlsx").unlink()
    assert run("batch", incoming, "--out-dir", graded, "--quiet").exit_code == ExitCode.OK
    before = (graded / "north.tiered.xlsx").read_bytes()

    again = run("batch", incoming, "--out-dir", graded, "--quiet")

    assert again.exit_code == ExitCode.CANT_CREATE
    assert (graded / "north.tiered.xlsx").read_bytes() == before
    assert "--force" in again.stderr


def test_quiet_prints_nothing_on_success_and_one_line_per_failure(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders

    failing = run("batch", incoming, "--out-dir", graded, "--quiet")
    (incoming / "broken.xlsx").unlink()
    clean = run("batch", incoming, "--out-dir", graded, "--quiet", "--force")

    assert failing.exit_code == ExitCode.NO_INPUT
    assert failing.stdout == ""
    assert len(failing.stderr.strip().splitlines()) == 1
    assert clean.exit_code == ExitCode.OK
    assert clean.stdout == ""
    assert clean.stderr == ""


def test_the_terminal_summary_names_every_file(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders

    result = run("batch", incoming, "--out-dir", graded)

    assert result.exit_code == ExitCode.NO_INPUT
    assert str(graded / "customers.tiered.xlsx") in result.stdout  # whole, even on a narrow pipe
    assert "退出码 66" in result.stdout  # the inputs are Chinese: so is the table
    assert "成功 2 个 · 失败 1 个" in result.stdout


def test_missing_out_dir_and_unknown_preset_stop_the_batch(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    incoming, _ = folders

    missing = run("batch", incoming, "--out-dir", tmp_path / "absent")
    preset = run("batch", incoming, "--out-dir", tmp_path, "--preset", "nope")

    assert missing.exit_code == ExitCode.CANT_CREATE
    assert "absent" in missing.stderr
    assert preset.exit_code == ExitCode.USAGE
    assert not list(tmp_path.glob("*.tiered.xlsx"))


def test_two_inputs_that_would_write_one_output(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    customers_workbook(tmp_path / "a" / "same.xlsx")
    customers_workbook(tmp_path / "b" / "same.xlsx", CUSTOMERS[:3])

    result = run("batch", tmp_path / "a", tmp_path / "b", "--out-dir", tmp_path, "--json")

    assert result.exit_code == ExitCode.CANT_CREATE
    files = json.loads(result.stdout)["files"]
    assert [f["exit_code"] for f in files] == [ExitCode.OK, ExitCode.CANT_CREATE]
    assert "rename one" in files[1]["error"]


def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    gone = _reaped_pid()
    stale = tmp_path / f".customers.tiered.xlsx.kactier-{gone}-0.k1ll3d.tmp"
    writing = (
        tmp_path / f".customers.tiered.xlsx.kactier-{os.getpid()}-{process_start(os.getpid())}.wr1t1ng.tmp"
    )
    foreign = tmp_path / ".customers.tiered.k1ll3d.tmp"  # not kactier's name: another program's, however old
    for path in (stale, writing, foreign):
        path.write_bytes(b"half a workbook")
    two_hours_ago = time.time() - 7200
    os.utime(foreign, (two_hours_ago, two_hours_ago))

    removed = remove_stale_temporaries(tmp_path)

    assert removed == [stale]
    assert writing.exists()
    assert foreign.exists()


def _reaped_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# -- the lock and overlapping runs -------------------------------------------------------------------------------------


def hold_lock(folder: Path) -> int:
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.pwrite(handle, b"4242", 0)
    return handle


def test_a_second_run_gives_up_after_wait_with_75(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders
    handle = hold_lock(graded)
    try:
        started = time.monotonic()
        result = run("batch", incoming, "--out-dir", graded, "--wait", "0.5", "--json")
        waited = time.monotonic() - started
    finally:
        os.close(handle)

    assert result.exit_code == ExitCode.TEMPORARY
    assert 0.5 <= waited < 10
    assert json.loads(result.stdout)["exit_code"] == ExitCode.TEMPORARY
    assert "pid 4242" in result.stderr
    assert sorted(p.name for p in graded.iterdir()) == [LOCK_NAME]  # nothing touched


def test_a_second_run_waits_for_the_first_to_finish(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders
    handle = hold_lock(graded)
    releaser = threading.Timer(0.5, os.close, args=(handle,))
    releaser.start()
    try:
        result = run("batch", incoming / "customers.xlsx", "--out-dir", graded, "--wait", "30", "--quiet")
    finally:
        releaser.join()

    assert result.exit_code == ExitCode.OK, result.output
    assert (graded / "customers.tiered.xlsx").is_file()


def batch_process(*args: str | Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "kactier", "batch", *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_two_overlapping_runs_leave_valid_outputs_and_a_sound_database(tmp_path: Path) -> None:
    incoming, graded = tmp_path / "incoming", tmp_path / "graded"
    incoming.mkdir()
    graded.mkdir()
    many = [
        (f"K{i:05d}", f"客户{i}", "华东", "制造", 1000.0 + i, 1 + i % 5, 4.0, i % 11, i % 101)
        for i in range(3000)
    ]
    for name in ("one", "two", "three"):
        customers_workbook(incoming / f"{name}.xlsx", many)

    processes = [
        batch_process(incoming, "--out-dir", graded, "--force", "--wait", "120", "--json") for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in processes]

    for process, (stdout, stderr) in zip(processes, results, strict=True):
        assert process.returncode == ExitCode.OK, stderr
        assert json.loads(stdout)["ok"] == 3
    for name in ("one", "two", "three"):
        rows = rows_of(load(graded / f"{name}.tiered.xlsx").worksheets[0])
        assert len(rows) == 3001
    assert not list(graded.glob(".*.tmp"))
    db = sqlite3.connect(graded / "kactier-history.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = db.execute("SELECT input_name, count(*) FROM runs GROUP BY input_name ORDER BY 1").fetchall()
        assert runs == [("one.xlsx", 1), ("three.xlsx", 1), ("two.xlsx", 1)]  # the same data, recorded once
        assert db.execute("SELECT count(*) FROM grades").fetchone()[0] == 3 * 3000
    finally:
        db.close()


def test_runs_into_two_folders_sharing_one_history_database(tmp_path: Path) -> None:
    database = tmp_path / "shared.sqlite"
    processes = []
    for name in ("east", "west"):
        folder = tmp_path / name
        folder.mkdir()
        customers_workbook(folder / f"{name}.xlsx")
        processes.append(batch_process(folder, "--out-dir", folder, "--history", database, "--quiet"))
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == ExitCode.OK, stderr

    db = sqlite3.connect(database)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in db.execute("SELECT input_name FROM runs ORDER BY input_name")]
        assert names == ["east.xlsx", "west.xlsx"]
    finally:
        db.close()


# -- progress ---------------------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert kactier.cli.options.progress_wanted(quiet=False, json_out=False)
    assert not kactier.cli.options.progress_wanted(quiet=True, json_out=False)
    assert not kactier.cli.options.progress_wanted(quiet=False, json_out=True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # cron: no terminal
    assert not kactier.cli.options.progress_wanted(quiet=False, json_out=False)


def test_the_progress_display_draws_files_and_stages_on_a_terminal(tmp_path: Path) -> None:
    screen = Terminal()
    with progress_display(screen, enabled=True) as display:
        assert display is not None
        display.file(0, 2, tmp_path / "customers.xlsx")
        display.stage("write")
        time.sleep(0.2)  # let the display refresh at least once
        display.file(2, 2, tmp_path)
    with progress_display(screen, enabled=False) as nothing:
        assert nothing is None

    drawn = screen.getvalue()
    assert "customers.xlsx · writing" in drawn
    assert "0/2" in drawn


def test_no_progress_is_drawn_when_output_is_not_a_terminal(folders: tuple[Path, Path]) -> None:
    incoming, graded = folders
    (incoming / "broken.xlsx").unlink()

    result = run("batch", incoming, "--out-dir", graded)

    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""
    assert "━" not in result.stdout.split("\n", 2)[2]  # only the table's own rule, no bar
