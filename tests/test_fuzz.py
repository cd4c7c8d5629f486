"""Fuzzing the reader: a valid workbook with its bytes and zip members mutated never gets a traceback, a hang or a
crash, only a graded output or one error line with its documented exit code.

Hypothesis draws the mutations: bytes of the file overwritten or cut, bytes of one decompressed part overwritten,
a hostile XML snippet inserted into a part (far cells, entity declarations, references without rows, error
cells, long text...), a part dropped, or the size a part claims changed. Most examples run the command in-process
(fast); a few run it in a child process under a 1 GiB address-space limit, where a hard abort of the process
(SIGABRT from a native library) or an out-of-memory kill would show as a signal instead of an exit code.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from conftest import limit_to_1_gib
from crafted import patch_sizes, write_zip
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kactier.cli import app
from kactier.errors import ExitCode

pytestmark = pytest.mark.slow  # see pyproject.toml: left out of the quick loop

runner = CliRunner()
ALLOWED = {ExitCode.OK, ExitCode.DATA, ExitCode.NO_INPUT}  # graded; rows or layout unusable; file refused
SECONDS = 30


def _base_workbook() -> bytes:
    """A small workbook with something in most parts: title row, shared strings, dates, a formula, an error
    value, a percent cell, a merged range, a hidden row, two sheets."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("客户信息")
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        percent = book.add_format({"num_format": "0%"})
        sheet.merge_range("A1:D1", "2026年度大客户分级评估表")
        sheet.write_row(
            1,
            0,
            [
                "客户编号",
                "客户名称",
                "购买力评分",
                "交易频次评分",
                "合作历史评分",
                "市场影响力评分",
                "客户忠诚度评分",
                "首次合作日期",
                "备注",
            ],
        )
        sheet.write_row(2, 0, ["C001", "ABC公司", 90, 80, 75, 85, 95])
        sheet.write_datetime(2, 7, __import__("datetime").date(2020, 1, 31), date)
        sheet.write_row(3, 0, ["00123", "XYZ公司", 80, 75, 80, 90])
        sheet.write_number(3, 6, 0.8, percent)
        sheet.write_formula(3, 8, "=NA()", None, "#N/A")
        sheet.write_row(4, 0, ["C003", "=不是公式", "85%", 70, 70, 70, 70, "2024年1月31日", "+86 138"])
        sheet.set_row(4, None, None, {"hidden": True})
        book.add_worksheet("说明").write_string(0, 0, "说明文字")
        book.close()
        return path.read_bytes()


BASE = _base_workbook()
with zipfile.ZipFile(__import__("io").BytesIO(BASE)) as _archive:
    BASE_PARTS = {info.filename: _archive.read(info) for info in _archive.infolist()}
XML_PARTS = sorted(name for name in BASE_PARTS if name.endswith((".xml", ".rels")))

SNIPPETS = [
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    '<row r="900000"><c r="A900000"><v>1</v></c></row>',
    '<c r="ZZZZ9"><v>1</v></c>',
    '<c r="A0"><v>1</v></c>',
    '<c r="A99999999999999999999999"><v>1</v></c>',
    "<row><c><v>1</v></c><c><v>2</v></c></row>",
    "<c><v>3</v></c>",
    '<c r="B3" t="e"><v>#REF!</v></c>',
    '<c r="C3"><f>SUM(A1:A9)</f></c>',
    '<c r="D3" t="inlineStr"><is><t>' + "长" * 40000 + "</t></is></c>",
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "&b;",
    "&#0;",
    '<c r="E3" t="s"><v>99999999</v></c>',
    '<c r="F3" t="n"><v>1e999999</v></c>',
    '<c r="G3" s="99999"><v>1</v></c>',
    '<dimension ref="A1:XFD1048576"/>',
    '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    '<sheet name="x" sheetId="9" r:id="rId99"/>',
    "\x00\xff\xfe",
    "<x:c r='XFD1' xmlns:x='urn:x'><x:v>1</x:v></x:c>",
]


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> tuple[str, bytes]:
    """(what was done, the bytes of the mutated file)."""
    how = draw(st.sampled_from(["file bytes", "part bytes", "snippet", "drop part", "sizes", "cut"]))
    if how == "file bytes":
        data = bytearray(BASE)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return how, bytes(data)
    if how == "cut":
        return how, BASE[: draw(st.integers(0, len(BASE) - 1))]
    parts = dict(BASE_PARTS)
    name = draw(st.sampled_from(XML_PARTS if how in ("part bytes", "snippet") else sorted(parts)))
    if how == "drop part":
        del parts[name]
    elif how == "part bytes":
        edited = bytearray(parts[name])
        for _ in range(draw(st.integers(1, 6))):
            edited[draw(st.integers(0, len(edited) - 1))] = draw(st.integers(0, 255))
        parts[name] = bytes(edited)
    elif how == "snippet":
        content = parts[name]
        at = draw(st.integers(0, len(content)))
        snippet = draw(st.sampled_from(SNIPPETS)).encode("utf-8", "surrogateescape")
        parts[name] = content[:at] + snippet + content[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = write_zip(Path(folder) / "m.xlsx", parts)
        if how == "sizes":
            size = draw(st.sampled_from([0, 1, 100, 10**6, 2**31, 2**32 - 1]))
            path = patch_sizes(path, Path(folder) / "s.xlsx", name, uncompressed=size)
        return f"{how}: {name}", path.read_bytes()


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the test run) when the block takes longer than ``seconds``."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_outcome(code: int, stderr: str, what: str) -> None:
    assert code in ALLOWED, f"{what}: exit {code}\n{stderr}"
    assert "Traceback" not in stderr, f"{what}:\n{stderr}"
    lines = stderr.strip().splitlines()
    if code == ExitCode.NO_INPUT or lines:  # `validate` says 65 with its summary on stdout, stderr empty
        # one error line, then at most a short indented list (the headers and candidates of a missing column)
        assert lines, f"{what}: no error line"
        assert lines[0].startswith(("kactier: error: ", "kactier：错误： ")), f"{what}:\n{stderr}"
        assert all(line.startswith("  ") for line in lines[1:]), f"{what}:\n{stderr}"
        assert len(lines) <= 12, f"{what}:\n{stderr}"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(mutated_workbooks())
def test_mutated_workbooks_never_crash_in_process(case: tuple[str, bytes]) -> None:
    what, data = case
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "customers.xlsx"
        source.write_bytes(data)
        with time_limit(SECONDS):
            result = runner.invoke(app, ["score", str(source), "-o", str(Path(folder) / "out.xlsx")])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{what}: {result.exception!r}"
    )
    check_outcome(result.exit_code, result.stderr, what)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.generate],
)
@given(mutated_workbooks())
def test_mutated_workbooks_never_abort_a_process(case: tuple[str, bytes]) -> None:
    what, data = case
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "customers.xlsx"
        source.write_bytes(data)
        child = subprocess.run(
            [sys.executable, "-m", "kactier", "score", str(source), "-o", str(Path(folder) / "out.xlsx")],
            preexec_fn=limit_to_1_gib,
            capture_output=True,
            text=True,
            timeout=SECONDS,
            check=False,
        )
    assert child.returncode >= 0, f"{what}: killed by signal {-child.returncode}\n{child.stderr}"
    check_outcome(child.returncode, child.stderr, what)


def test_every_snippet_in_the_sheet_is_handled() -> None:
    """Each hostile snippet inserted into the sheet part, run in a child process (1 GiB): a deterministic floor
    under the random examples."""
    sheet = "xl/worksheets/sheet1.xml"
    for snippet in SNIPPETS:
        parts = dict(BASE_PARTS)
        content = parts[sheet]
        at = content.find(b"</sheetData>")
        parts[sheet] = content[:at] + snippet.encode("utf-8", "surrogateescape") + content[at:]
        with tempfile.TemporaryDirectory() as folder:
            source = write_zip(Path(folder) / "customers.xlsx", parts)
            child = subprocess.run(
                [sys.executable, "-m", "kactier", "validate", str(source)],
                preexec_fn=limit_to_1_gib,
                capture_output=True,
                text=True,
                timeout=SECONDS,
                check=False,
            )
        assert child.returncode >= 0, f"{snippet[:40]!r}: killed by signal {-child.returncode}"
        check_outcome(child.returncode, child.stderr, snippet[:40])
