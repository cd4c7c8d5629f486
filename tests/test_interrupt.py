"""Ctrl-C in the middle of `kactier score` leaves no partial output: exit 75, no output file, no temporary file.

The run is a real process (a signal cannot be sent through the CLI test runner): it is interrupted with SIGINT as
soon as its temporary output file appears (the workbook is being built), or once XlsxWriter has begun writing the
parts of the file (the workbook is being assembled and zipped).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ZH_HEADERS, write_workbook

pytestmark = pytest.mark.slow  # see pyproject.toml: left out of the quick loop

ROWS = 60_000  # enough for writing to take a second or more, so the signal lands while it runs


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [[f"C{i:06d}", f"客户{i}", *(50 + (i * k) % 50 for k in (3, 5, 7, 11, 13))] for i in range(ROWS)]
    return write_workbook(tmp_path_factory.mktemp("input") / "big.xlsx", [ZH_HEADERS, *rows])


def _interrupt_while_writing(
    big_input: Path, out_dir: Path, tmp_dir: Path, *, wait_for: str
) -> subprocess.CompletedProcess[str]:
    """Start `kactier score`, send SIGINT once a file matching ``wait_for`` exists, and wait for it to end."""
    env = {**os.environ, "TMPDIR": str(tmp_dir)}
    command = [sys.executable, "-m", "kactier", "score", str(big_input), "-o", str(out_dir / "graded.xlsx")]
    process = subprocess.Popen(
        [*command, "--force", "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the signal goes to the run only, never to pytest
    )
    deadline = time.monotonic() + 120
    while not list(_written(out_dir, tmp_dir, wait_for)):
        assert process.poll() is None, f"finished before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline, "no temporary output appeared"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _written(out_dir: Path, tmp_dir: Path, wait_for: str) -> list[Path]:
    """The temporary output file, or the parts XlsxWriter has written so far."""
    if wait_for == "output":
        return list(out_dir.glob(".graded.*.tmp"))
    return [path for path in tmp_dir.rglob("*") if path.is_file()]


@pytest.mark.parametrize("wait_for", ["output", "parts"])
def test_ctrl_c_while_writing_leaves_nothing(big_input: Path, tmp_path: Path, wait_for: str) -> None:
    out_dir, tmp_dir = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    tmp_dir.mkdir()
    result = _interrupt_while_writing(big_input, out_dir, tmp_dir, wait_for=wait_for)
    assert result.returncode == 75, result.stderr  # ExitCode.TEMPORARY
    assert "interrupted; nothing was written" in result.stderr
    assert list(out_dir.iterdir()) == []  # neither the output nor its temporary file
    assert list(tmp_dir.iterdir()) == []  # nor XlsxWriter's parts of the workbook


def test_ctrl_c_while_replacing_keeps_the_previous_output(big_input: Path, tmp_path: Path) -> None:
    out_dir, tmp_dir = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    tmp_dir.mkdir()
    previous = out_dir / "graded.xlsx"
    previous.write_bytes(b"the previous output")
    result = _interrupt_while_writing(big_input, out_dir, tmp_dir, wait_for="parts")
    assert result.returncode == 75, result.stderr  # ExitCode.TEMPORARY
    assert previous.read_bytes() == b"the previous output"
    assert list(out_dir.iterdir()) == [previous]
    assert list(tmp_dir.iterdir()) == []
