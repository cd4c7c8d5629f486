"""Issue 14, items 5–8: ids that look identical, oversized CSV refused early, no temporary files left by killed
runs, and passwords kept out of sight (typed at a prompt without echo, on a pseudo-terminal)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import textwrap
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import msoffcrypto
import openpyxl
import pytest
from conftest import run
from test_report import customers_workbook
from typer.testing import CliRunner

from kactier.cli import app
from kactier.cli.options import password_asked
from kactier.errors import ExitCode, InputError
from kactier.excel import MAX_ROWS
from kactier.pipeline.batch import BatchOptions, run_batch
from kactier.read import csvfile
from kactier.read.crypto import PASSWORD_ENV, encrypt_file
from kactier.report.output import process_start, remove_abandoned_temporaries

# -- item 5: ids that differ only by their Unicode form ---------------------------------------------------------------

HEADER = "客户编号,客户名称,购买力评分,交易频次评分,合作历史评分,市场影响力评分,客户忠诚度评分\n"


def test_ids_differing_only_by_unicode_form_are_flagged_and_both_graded(tmp_path: Path) -> None:
    source = tmp_path / "ids.csv"
    rows = [
        ("C001", "甲", 80),
        ("Ｃ００１", "乙", 70),  # full-width: NFKC makes it C001
        ("Caf\u00e9", "丙", 60),  # composed é (NFC)
        ("Cafe\u0301", "丁", 50),  # e + combining acute (NFD)
        ("C002", "戊", 40),
        ("C002", "己", 30),  # an exact repeat stays an excluded duplicate
    ]
    source.write_text(HEADER + "".join(f"{i},{n}" + f",{v}" * 5 + "\n" for i, n, v in rows), encoding="utf-8")

    result = run("validate", source, "--json", "--lang", "en")

    payload = json.loads(result.stdout)
    found = {(i["row"], i["code"], i["action"]) for i in payload["issue_list"] if "id" in i["code"]}
    assert found == {
        (3, "lookalike_id", "value_kept"),
        (5, "lookalike_id", "value_kept"),
        (7, "duplicate_id", "row_excluded"),
    }
    lookalike = next(i for i in payload["issue_list"] if i["row"] == 3 and i["code"] == "lookalike_id")
    assert lookalike["value"] == "Ｃ００１"  # the id exactly as given
    assert "row 2" in lookalike["message"]
    assert payload["rows"]["scored"] == 5  # both of each look-alike pair are graded


def test_ascii_ids_skip_the_normalisation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kactier.validate.constraints as constraints

    def never(form: str, value: str) -> str:
        raise AssertionError("an ASCII id was normalised")

    monkeypatch.setattr(constraints, "unicodedata", SimpleNamespace(normalize=never))
    source = tmp_path / "plain.csv"
    source.write_text(HEADER + "".join(f"C{i},n{i}" + ",50" * 5 + "\n" for i in range(50)), "utf-8")
    result = run("validate", source, "--json")
    assert result.exit_code == ExitCode.OK, result.stderr


# -- item 6: a CSV beyond Excel's rows is refused before it is parsed --------------------------------------------------


@pytest.fixture
def parse_spy(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The CSV parse replaced by a recorder: refusing early means it is never called."""
    parsed: list[Path] = []

    def parse(path: Path, encoding: str, name: str) -> tuple[list[list[Any]], str]:
        parsed.append(path)
        return [], name

    monkeypatch.setattr(csvfile, "_read", parse)
    return parsed


def test_a_csv_of_too_many_lines_is_refused_without_parsing(tmp_path: Path, parse_spy: list[Path]) -> None:
    source = tmp_path / "huge.csv"
    source.write_bytes(b"id,name\n" + b"1,a\n" * MAX_ROWS)  # MAX_ROWS + 1 records, no quote anywhere
    with pytest.raises(InputError) as raised:
        csvfile.read_csv(source)
    assert raised.value.key == "input.csv_too_many_rows"
    assert parse_spy == []


def test_quoted_newlines_are_not_counted_as_rows(tmp_path: Path, parse_spy: list[Path]) -> None:
    source = tmp_path / "notes.csv"
    # more newlines than Excel's rows, but half of them inside quoted fields: fewer records than rows
    source.write_bytes(b"id,note\n" + b'1,"two\nlines"\n' * (MAX_ROWS // 2 + 10))
    csvfile.read_csv(source)
    assert parse_spy == [source]  # parsed as today


def test_quoted_fields_and_too_many_records_are_refused(tmp_path: Path, parse_spy: list[Path]) -> None:
    source = tmp_path / "quoted.csv"
    source.write_bytes(b'id,name\n1,"a"\n' + b"2,b\n" * MAX_ROWS)
    with pytest.raises(InputError) as raised:
        csvfile.read_csv(source)
    assert raised.value.key == "input.csv_too_many_rows"
    assert parse_spy == []


# -- item 7: temporary files of killed runs ------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from kactier.report.output import atomic_output

    output, marker = Path(sys.argv[1]), Path(sys.argv[2])
    with atomic_output(output, force=True) as temporary:
        temporary.write_bytes(b"half a workbook")
        marker.write_text(temporary.name)
        time.sleep(120)
    """
)


def start_writer(output: Path, tmp_path: Path, tag: str) -> tuple[subprocess.Popen[bytes], Path]:
    """A kactier process writing ``output``, stopped half-way; returns it and its temporary file."""
    marker = tmp_path / f"{tag}.marker"
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(output), str(marker)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert child.poll() is None, child.communicate()[1].decode()
        assert time.monotonic() < deadline, "the writer never started writing"
        time.sleep(0.01)
    return child, output.parent / marker.read_text()


def kill(child: subprocess.Popen[bytes]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_the_next_run_removes_what_killed_runs_left_and_nothing_else(tmp_path: Path) -> None:
    source = customers_workbook(tmp_path / "customers.xlsx")
    output = tmp_path / "customers.tiered.xlsx"
    killed = []
    for n in range(2):  # two kill -9 in a row: their leftovers would pile up
        child, temporary = start_writer(output, tmp_path, f"killed{n}")
        kill(child)
        assert temporary.exists()
        killed.append(temporary)
    live, writing = start_writer(output, tmp_path, "live")
    me = os.getpid()
    reused = (
        tmp_path / f".{output.name}.kactier-{me}-{(process_start(me) or 0) + 1}.r3us3d00.tmp"
    )  # pid reused
    foreign = [
        tmp_path / f".{output.stem}.abcd1234.tmp",  # another program's (or an old kactier's): not our name
        tmp_path / f".other.tiered.xlsx.kactier-{live.pid + 100000}-1.abcd1234.tmp",  # another output's
    ]
    for path in [reused, *foreign]:
        path.write_bytes(b"someone's")
    try:
        assert run("score", source, "-o", output, "--force", "--quiet").exit_code == ExitCode.OK
        assert not any(path.exists() for path in [*killed, reused])
        assert writing.exists()  # a live run's file is never touched
        assert all(path.exists() for path in foreign)
        assert zipfile.is_zipfile(output)
    finally:
        kill(live)
    # batch cleans its whole out-dir: the writer is gone now
    result = run_batch([str(source)], tmp_path, BatchOptions(force=True))
    assert result.exit_code == ExitCode.OK
    assert not writing.exists()
    assert foreign[0].exists()


def test_a_locked_leftover_is_kept_whatever_its_pid_says(tmp_path: Path) -> None:
    """A writer whose pid means nothing here (another pid namespace or host) still holds the file's lock."""
    import fcntl

    child = subprocess.Popen(["true"])
    child.wait()
    leftover = tmp_path / f".out.xlsx.kactier-{child.pid}-0.l0ck3d00.tmp"
    leftover.write_bytes(b"being written elsewhere")
    with leftover.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert remove_abandoned_temporaries(tmp_path, "out.xlsx") == []
    assert remove_abandoned_temporaries(tmp_path, "out.xlsx") == [leftover]


# -- item 8: passwords out of sight ------------------------------------------------------------------------------------

SECRET = "Ts3cr€t-kactier-pw"
OPENED = ExitCode.DATA  # validate read the workbook: one of its customers has a score outside 0-100


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    source = customers_workbook(tmp_path / "locked.xlsx")
    encrypt_file(source, SECRET)
    return source


def invoke(*args: str | Path, stdin: str | None = None, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, env=env)


def decrypted(path: Path) -> openpyxl.Workbook:
    with path.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=SECRET)
        plain = io.BytesIO()
        office.decrypt(plain)
    return openpyxl.load_workbook(plain)


def shows_secret(data: bytes) -> bool:
    return any(SECRET.encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def test_the_password_never_appears_in_output_json_errors_or_history(encrypted: Path, tmp_path: Path) -> None:
    password_file = tmp_path / "password.txt"
    password_file.write_text(SECRET + "\n", encoding="utf-8")
    output, history = tmp_path / "out.xlsx", tmp_path / "history.sqlite"

    result = invoke(
        "score", encrypted, "-o", output, "--password-file", password_file, "--history", history, "--json"
    )

    assert result.exit_code == ExitCode.OK, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert json.loads(result.stdout)["output"] == str(output)
    assert not shows_secret(history.read_bytes())
    assert not shows_secret(output.read_bytes())  # the encrypted container's clear parts
    book = decrypted(output)
    properties = vars(book.properties)
    assert not any(SECRET in str(value) for value in properties.values())
    for sheet in book.worksheets:  # the Config sheet's facts among them
        for row in sheet.iter_rows(values_only=True):
            assert not any(SECRET in str(value) for value in row if value is not None)
    wrong = invoke("validate", encrypted, "--password", SECRET + "x", "--json")
    assert wrong.exit_code == ExitCode.NO_INPUT
    assert "wrong password" in wrong.stderr
    assert SECRET not in wrong.stdout + wrong.stderr


@pytest.mark.parametrize("args", [["--password"], ["--password", "-"], ["--password", "--json"]])
def test_password_without_a_value_is_read_from_stdin_when_piped(encrypted: Path, args: list[str]) -> None:
    result = invoke("validate", encrypted, *args, "--quiet", stdin=SECRET + "\n")
    assert result.exit_code == OPENED, result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_password_file_env_and_their_mistakes(encrypted: Path, tmp_path: Path) -> None:
    password_file = tmp_path / "pw"
    password_file.write_bytes(SECRET.encode() + b"\r\nsecond line\n")
    assert invoke("validate", encrypted, "--password-file", password_file).exit_code == OPENED
    assert invoke("validate", encrypted, env={PASSWORD_ENV: SECRET}).exit_code == OPENED
    with_env = invoke("validate", encrypted, "--password-file", password_file, env={PASSWORD_ENV: "stale"})
    assert with_env.exit_code == OPENED  # the file named on the command line wins over the environment

    both = invoke("validate", encrypted, "--password", SECRET, "--password-file", password_file)
    assert both.exit_code == ExitCode.USAGE
    assert "not both" in both.stderr
    missing = invoke("validate", encrypted, "--password-file", tmp_path / "nope")
    assert missing.exit_code == ExitCode.USAGE
    assert "cannot read the password file" in missing.stderr
    empty = invoke("validate", encrypted, "--password", stdin="\n")
    assert empty.exit_code == ExitCode.USAGE
    assert "password is empty" in empty.stderr


def test_a_password_option_without_value_is_told_from_one_with_a_value() -> None:
    options = {"--password", "--json", "-o"}
    assert password_asked(["in.xlsx", "--password"], options) == ["in.xlsx", "--password", "-"]
    assert password_asked(["--password", "--json"], options) == ["--password", "-", "--json"]
    assert password_asked(["--password", "-o"], options) == ["--password", "-", "-o"]
    assert password_asked(["--password", "-x9"], options) == [
        "--password",
        "-x9",
    ]  # a password, not an option
    assert password_asked(["--password", "pw", "in"], options) == ["--password", "pw", "in"]
    assert password_asked(["--", "--password"], options) == ["--", "--password"]


def _read_until_end(fd: int, pid: int, seconds: float = 30.0) -> tuple[bytes, int | None]:
    """What the terminal shows until the child ends (or time runs out), and its exit code (None: still running)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            with contextlib.suppress(OSError):  # EIO: the child has closed the terminal
                seen += os.read(fd, 4096)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return seen, os.waitstatus_to_exitcode(status)
    return seen, None


def _echo_off(fd: int, seconds: float = 20.0) -> bool:
    """True once the terminal stops echoing what is typed (the prompt is waiting for a hidden answer)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            return True
        select.select([fd], [], [], 0.05)
        time.sleep(0.05)
    return False


def test_password_without_a_value_prompts_on_the_terminal_without_echo(encrypted: Path) -> None:
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the pseudo-terminal is its controlling terminal, stdin, stdout and stderr
        os.execve(
            sys.executable,
            [sys.executable, "-m", "kactier", "validate", str(encrypted), "--password", "--lang", "en"],
            {**os.environ, "LANG": "C.UTF-8"},
        )
    code = None
    try:
        assert _echo_off(terminal), "no hidden prompt"
        os.write(terminal, SECRET.encode() + b"\n")
        shown, code = _read_until_end(terminal, pid)
    finally:
        if code is None:  # still running: stop it
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert b"Workbook password:" in shown
    assert code == OPENED, shown
    assert SECRET.encode() not in shown  # typed without echo, and never printed
