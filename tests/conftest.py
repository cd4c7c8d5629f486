"""Shared test helpers: the command line run in-process, small workbooks built in code, and reading workbooks back
by cell value.

``run`` runs the command line as a user would, in this process. ``write_workbook`` writes exactly the values it is
given, with their types: text is always written as text (even when it looks like a formula, a number or a link),
numbers as numbers, dates as date cells and ``None`` as an empty cell. A row that is ``None`` or empty is a blank
row. Import them in a test module with ``from conftest import ...`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner, Result

from kactier.cli import app

_RUNNER = CliRunner()


@pytest.fixture(autouse=True)
def _no_locale_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests do not depend on the machine's locale: none asks for a language unless a test sets one (errors and the
    terminal follow ``LC_ALL``/``LC_MESSAGES``/``LANG`` when neither ``--lang`` nor the headers decide). The locale
    stays UTF-8 (``C.UTF-8``, no language), so child processes such as LibreOffice still write Chinese file names."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """Run the kactier command line in this process (arguments as on a shell, paths allowed), as a user would.

    The result has ``exit_code``, ``stdout`` and ``stderr`` apart; ``env`` adds environment variables.
    """
    return _RUNNER.invoke(app, [str(a) for a in args], env=env)


GIB = 1024**3


def limit_to_1_gib() -> None:
    """``preexec_fn`` of a child process that must stay within SPEC §8's 1 GB: its address space is capped there."""
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def kactier_within_1_gib(*args: str | Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``python -m kactier ARGS`` in a child process held to 1 GB (:func:`limit_to_1_gib`) and ``timeout``
    seconds, its output captured as text; numpy's warnings off, as a user's terminal would not show them."""
    return subprocess.run(
        [sys.executable, "-m", "kactier", *map(str, args)],
        preexec_fn=limit_to_1_gib,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )


def libreoffice_convert(
    workbooks: Path | Sequence[Path], target: str, folder: Path, *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``soffice --headless --convert-to TARGET`` of ``workbooks`` into ``folder``, with a fresh profile of its own
    (removed after); the test fails, saying what to install, when LibreOffice is missing."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed; it is required to check workbooks in a real spreadsheet "
            "program: install libreoffice-calc-nogui (apt-get install libreoffice-calc-nogui)"
        )
    sources = [workbooks] if isinstance(workbooks, Path) else list(workbooks)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        return _soffice(soffice, Path(profile), target, folder, sources, timeout)


def _soffice(
    soffice: str, profile: Path, target: str, folder: Path, sources: list[Path], timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# Never let XlsxWriter reinterpret text: "=1+1", "00123" and "http://..." stay strings.
_LITERAL = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}

ZH_HEADERS = [
    "客户编号",
    "客户名称",
    "购买力评分",
    "交易频次评分",
    "合作历史评分",
    "市场影响力评分",
    "客户忠诚度评分",
]
HANT_HEADERS = [  # the same in Traditional Chinese, as a Taiwan or Hong Kong workbook has them
    "客戶編號",
    "客戶名稱",
    "購買力評分",
    "交易頻次評分",
    "合作歷史評分",
    "市場影響力評分",
    "客戶忠誠度評分",
]
EN_HEADERS = [
    "Customer ID",
    "Customer Name",
    "Purchasing Power",
    "Transaction Frequency",
    "Relationship History",
    "Market Influence",
    "Customer Loyalty",
]

# The worked example of the key-account preset (equal weights, A ≥ 85, B ≥ 70, else C):
# ABC公司 (90+80+75+85+95)/5 = 85 → A; XYZ公司 (80+75+80+90+80)/5 = 81 → B.
WORKED_EXAMPLE = [
    ["C001", "ABC公司", 90, 80, 75, 85, 95],
    ["C002", "XYZ公司", 80, 75, 80, 90, 80],
]


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[Any] | None],
    *,
    sheet: str = "客户信息",
    title: str | Sequence[str] | None = None,
) -> Path:
    """Write ``rows`` (the header row first, then data rows) to one sheet of a new .xlsx at ``path``.

    ``title`` adds one title row per string above the header (a banner such as "2026年度大客户分级评估表");
    an empty string there is a blank row.
    Returns ``path``.
    """
    book = xlsxwriter.Workbook(str(path), _LITERAL)
    worksheet = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    titles = [title] if isinstance(title, str) else list(title or [])
    for row_index, text in enumerate(titles):
        if text:  # "" is a blank row between or above the titles
            worksheet.write_string(row_index, 0, text)
    for row_index, row in enumerate(rows, start=len(titles)):
        for column, value in enumerate(row or ()):
            _write_cell(worksheet, row_index, column, value, date_format, datetime_format)
    book.close()
    return path


def _write_cell(
    worksheet: Any, row: int, column: int, value: Any, date_format: Any, datetime_format: Any
) -> None:
    if value is None:
        return
    if isinstance(value, str):
        worksheet.write_string(row, column, value)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        worksheet.write_number(row, column, value)
    elif isinstance(value, dt.datetime):
        worksheet.write_datetime(row, column, value, datetime_format)
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, column, value, date_format)
    else:
        raise TypeError(f"write_workbook cannot write {value!r}")


def sheet_values(path: Path, sheet: str | int = 0) -> list[list[Any]]:
    """Every row of a sheet as a list of cell values (openpyxl, formulas not evaluated)."""
    book = openpyxl.load_workbook(path)
    try:
        worksheet = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


@pytest.fixture
def worked_example(tmp_path: Path) -> Path:
    """The two-customer worked example under Chinese headers."""
    return write_workbook(tmp_path / "customers.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
