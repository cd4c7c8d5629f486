"""Outputs are written atomically: a failure in write, fsync or rename leaves the previous output intact (exit 74);
a process killed at any moment leaves the old or the new file whole, never half of one.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import run
from python_calamine import CalamineWorkbook
from test_history import load, rerated
from test_report import customers_workbook, rows_of

import kactier.cli
from kactier.errors import ExitCode


def data_cells(path: Path) -> list[list[Any]]:
    """The data sheet, after checking every sheet of the workbook can be read."""
    book = load(path)
    for sheet in book.worksheets:
        rows_of(sheet)
    return rows_of(book.worksheets[0])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def disk_full(*args: Any, **kwargs: Any) -> None:
    raise OSError(28, "No space left on device")


FAULTS = {
    "write": "xlsxwriter.workbook.Workbook._store_workbook",  # XlsxWriter zipping the parts into the file
    "fsync": "kactier.report.output.os.fsync",
    "rename": "kactier.report.output.os.replace",
}


@pytest.fixture
def graded(tmp_path: Path) -> tuple[Path, Path]:
    """A workbook graded once; then its data changes, so a new output would differ from the old one."""
    source = customers_workbook(tmp_path / "customers.xlsx")
    output = tmp_path / "customers.tiered.xlsx"
    assert run("score", source, "--quiet").exit_code == ExitCode.OK
    customers_workbook(source, rerated())
    return source, output


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failure_in_write_fsync_or_rename_keeps_the_previous_output(
    graded: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    source, output = graded
    before = output.read_bytes()
    monkeypatch.setattr(FAULTS[fault], disk_full)

    result = run("score", source, "--force")
    monkeypatch.undo()

    assert result.exit_code == ExitCode.IO, result.output
    assert "No space left on device" in result.stderr
    assert "原有文件未受影响" in result.stderr  # a Chinese workbook's error is in Chinese: "untouched"
    assert output.read_bytes() == before
    assert leftovers(output.parent) == []
    assert data_cells(output)[0][0] == "客户编号"


def test_in_a_batch_a_failed_rename_fails_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incoming, out = tmp_path / "in", tmp_path / "out"
    incoming.mkdir()
    out.mkdir()
    customers_workbook(incoming / "east.xlsx")
    customers_workbook(incoming / "west.xlsx")
    assert run("batch", incoming, "--out-dir", out, "--quiet").exit_code == ExitCode.OK
    west_before = (out / "west.tiered.xlsx").read_bytes()
    east_before = data_cells(out / "east.tiered.xlsx")
    customers_workbook(incoming / "east.xlsx", rerated())
    customers_workbook(incoming / "west.xlsx", rerated())
    real_replace = kactier.report.output.os.replace  # type: ignore[attr-defined]

    def replace(source: Any, target: Any) -> None:
        if Path(target).name == "west.tiered.xlsx":
            disk_full()
        real_replace(source, target)

    monkeypatch.setattr("kactier.report.output.os.replace", replace)
    result = run("batch", incoming, "--out-dir", out, "--force", "--quiet")
    monkeypatch.undo()

    assert result.exit_code == ExitCode.IO
    assert "west.tiered.xlsx" in result.stderr
    assert (out / "west.tiered.xlsx").read_bytes() == west_before
    assert data_cells(out / "east.tiered.xlsx") != east_before  # the other file was re-rated
    assert leftovers(out) == []


# -- killed while writing ------------------------------------------------------------------------------------------------

# Runs `kactier score` in a child process that stops at STAGE (writes MARKER, then sleeps until it is killed).
CHILD = textwrap.dedent(
    """
    import os, sys, time, zipfile
    from pathlib import Path

    import kactier.report.output
    from kactier.cli import main

    stage, marker, source, output = sys.argv[1:5]

    def stop():
        Path(marker).write_text("stopped")
        time.sleep(120)

    if stage == "writing":  # part of the zip is on disk
        written = []

        def pausing(original):
            def add(self, *args, **kwargs):
                written.append(args)
                if len(written) == 4:
                    self.fp.flush()
                    stop()
                return original(self, *args, **kwargs)
            return add

        zipfile.ZipFile.write = pausing(zipfile.ZipFile.write)
        zipfile.ZipFile.writestr = pausing(zipfile.ZipFile.writestr)
    elif stage == "synced":  # complete and flushed, not yet renamed
        real = os.replace
        kactier.report.output.os.replace = lambda a, b: (stop(), real(a, b))
    elif stage == "renamed":  # renamed, the process not yet finished
        real = os.replace
        kactier.report.output.os.replace = lambda a, b: (real(a, b), stop())

    sys.argv = ["kactier", "score", source, "-o", output, "--force", "--quiet"]
    main()
    """
)


def kill_at(stage: str, source: Path, output: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"{stage}.marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, stage, str(marker), str(source), str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.communicate()[1].decode()
        assert time.monotonic() < deadline, "the child never reached the stage"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "expected"), [("writing", "old"), ("synced", "old"), ("renamed", "new")])
def test_a_process_killed_while_writing_leaves_the_old_or_the_new_file_whole(
    graded: tuple[Path, Path], tmp_path: Path, stage: str, expected: str
) -> None:
    source, output = graded
    old = data_cells(output)
    reference = tmp_path / "reference.xlsx"
    assert run("score", source, "-o", reference, "--quiet").exit_code == ExitCode.OK
    new = data_cells(reference)
    assert old != new

    kill_at(stage, source, output, tmp_path)

    assert data_cells(output) == (old if expected == "old" else new)
    halves = list(output.parent.glob(".customers.tiered.*.tmp"))  # what the killed run was writing
    if stage == "writing":
        assert len(halves) == 1
        assert not zipfile.is_zipfile(halves[0])  # killed half-way: this never became the output
    elif stage == "synced":
        assert len(halves) == 1
        assert zipfile.is_zipfile(halves[0])
    else:
        assert halves == []


def whole_data_sheet(path: Path) -> list[list[Any]]:
    """The data sheet of a workbook that must be a complete zip (read with calamine: fast on big sheets)."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.mark.slow
def test_killed_at_random_moments_the_output_is_always_old_or_new(tmp_path: Path) -> None:
    many = [(f"K{i:05d}", f"客户{i}", "华东", "制造", 1000.0 + i, 2, 4.0, 9, i % 101) for i in range(8000)]
    source = customers_workbook(tmp_path / "big.xlsx", many)
    output = tmp_path / "big.tiered.xlsx"
    assert run("score", source, "-o", output, "--quiet").exit_code == ExitCode.OK
    old = whole_data_sheet(output)
    customers_workbook(source, [(*c[:-1], 100 - c[-1]) for c in many])
    reference = tmp_path / "reference.xlsx"
    assert run("score", source, "-o", reference, "--quiet").exit_code == ExitCode.OK
    new = whole_data_sheet(reference)
    assert old != new
    command = [sys.executable, "-m", "kactier", "score", str(source), "-o", str(output), "--force", "--quiet"]

    for delay in (0.6, 0.9, 1.2, 1.5, 1.8):  # through reading, scoring and writing on a typical machine
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert whole_data_sheet(output) in (old, new)
