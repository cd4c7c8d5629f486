"""The graded workbook opens in a real spreadsheet program: LibreOffice, headless.

LibreOffice is a required test dependency (apt: libreoffice-calc-nogui); without it these tests fail, they are not
skipped. Each run uses its own throw-away profile so parallel runs and stale locks do not interfere.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import libreoffice_convert
from typer.testing import CliRunner

from kactier.cli import app
from kactier.errors import ExitCode

pytestmark = pytest.mark.slow  # see pyproject.toml: left out of the quick loop

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "key_accounts_zh.xlsx"
TIMEOUT = 120


def graded_example(folder: Path) -> Path:
    output = folder / "out.xlsx"
    result = CliRunner().invoke(app, ["score", str(EXAMPLE), "-o", str(output), "--quiet"])
    assert result.exit_code == ExitCode.OK, result.output
    return output


def test_libreoffice_opens_the_output_and_prints_it_to_pdf(tmp_path: Path) -> None:
    output = graded_example(tmp_path)

    done = libreoffice_convert(output, "pdf", tmp_path, timeout=TIMEOUT)

    pdf = tmp_path / "out.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.is_file(), f"no PDF written; soffice said:\n{done.stdout}\n{done.stderr}"
    assert pdf.stat().st_size > 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_libreoffice_reads_the_graded_cells(tmp_path: Path) -> None:
    # CSV export of the first (data) sheet, UTF-8 (filter options: separator 44, quote 34, charset 76 = UTF-8).
    output = graded_example(tmp_path)

    done = libreoffice_convert(
        output, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path, timeout=TIMEOUT
    )

    exported = tmp_path / "out.csv"
    assert done.returncode == 0, done.stderr
    assert exported.is_file(), f"no CSV written; soffice said:\n{done.stdout}\n{done.stderr}"
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:2] == ["客户编号", "客户名称"]
    by_id = {row[0]: row for row in rows[1:]}
    abc = by_id["KH0007"]  # ABC公司, 90/80/75/85/95: the worked example
    assert abc[1] == "ABC公司"
    assert float(abc[header.index("综合得分")]) == pytest.approx(85)
    assert abc[header.index("客户级别")] == "A"
    assert by_id["KH0037"][header.index("备注")] == "=重点关注"  # text, not a formula LibreOffice evaluated
