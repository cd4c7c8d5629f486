"""Templates and the committed filled examples open in a real spreadsheet program: LibreOffice, headless.

As in test_libreoffice.py, LibreOffice is a required test dependency (apt: libreoffice-calc-nogui): without it these
tests fail, they are not skipped. Each conversion uses its own throw-away profile.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import libreoffice_convert
from typer.testing import CliRunner

from kactier.cli import app
from kactier.config.presets import preset_names
from kactier.errors import ExitCode

pytestmark = pytest.mark.slow  # see pyproject.toml: left out of the quick loop

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 600  # one LibreOffice start converts every file
LANGS = ("zh", "en")


def template(path: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["template", "-o", str(path), *args])
    assert result.exit_code == ExitCode.OK, result.output
    return path


def test_libreoffice_opens_every_template_and_every_example(tmp_path: Path) -> None:
    made = [
        template(tmp_path / f"blank_{preset}_{lang}.xlsx", "--preset", preset, "--lang", lang)
        for preset in preset_names()
        for lang in LANGS
    ]
    examples = [EXAMPLES / f"template_{preset}_{lang}.xlsx" for preset in preset_names() for lang in LANGS]
    assert all(e.is_file() for e in examples), "run: python scripts/make_templates.py"

    done = libreoffice_convert([*made, *examples], "pdf", tmp_path, timeout=TIMEOUT)

    assert done.returncode == 0, done.stderr
    for workbook in (*made, *examples):
        pdf = tmp_path / f"{workbook.stem}.pdf"
        assert pdf.is_file(), f"{workbook.name}: no PDF; soffice said:\n{done.stdout}\n{done.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_reads_the_validations_and_dropdowns(tmp_path: Path, lang: str) -> None:
    path = template(tmp_path / "form.xlsx", "--lang", lang)

    # flat OpenDocument: the validations as LibreOffice understood them
    done = libreoffice_convert(path, "fods", tmp_path, timeout=TIMEOUT)

    assert done.returncode == 0, done.stderr
    conditions = re.findall(
        r'table:condition="of:([^"]*)"', (tmp_path / "form.fods").read_text(encoding="utf-8")
    )
    for name in ("RegionList", "IndustryList", "StageList", "TierList"):
        assert f"cell-content-is-in-list({name})" in conditions
    assert conditions.count("cell-content-is-whole-number() and cell-content-is-between(0,100)") == 5
    assert any(c.startswith("is-true-formula(COUNTIF(") for c in conditions)  # unique customer ids


def test_libreoffice_offers_an_item_added_at_the_end_of_a_list(tmp_path: Path) -> None:
    path = template(tmp_path / "form.xlsx", "--lang", "zh")
    book = openpyxl.load_workbook(path)
    regions = book["列表"]
    last = max(cell.row for cell in regions["A"] if cell.value is not None)
    regions.cell(row=last + 1, column=1, value="海外")  # right below the last region, as a user would add it
    check = book.create_sheet("check", 0)  # first, so the CSV export shows it
    check["A1"] = "=ROWS(RegionList)"
    check["B1"] = "=INDEX(RegionList,ROWS(RegionList))"
    check["C1"] = "=ROWS(TierList)"
    book.save(tmp_path / "extended.xlsx")

    done = libreoffice_convert(
        [tmp_path / "extended.xlsx"], "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path, timeout=TIMEOUT
    )

    assert done.returncode == 0, done.stderr
    with (tmp_path / "extended.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.reader(handle))
    assert row == ["8", "海外", "3"]  # seven regions and the new one; the three tiers
