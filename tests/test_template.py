"""`kactier template`: the workbook it writes (inspected with openpyxl), and the round trip a manager expects:
template → rows filled in with openpyxl as a user would → `kactier score` → results that follow the Config sheet,
also after a weight and a threshold are edited there. Chinese and English throughout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import run, sheet_values
from msoffcrypto.format.ooxml import OOXMLFile

from kactier.config.presets import load_preset, preset_names, preset_text
from kactier.config.sheet_reader import read_config_sheet
from kactier.errors import ExitCode
from kactier.fields import FIELD_BY_KEY, STAGE_INDEX, normalize_header
from kactier.i18n import Lang

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-30"

SHEETS = {"zh": ["客户信息", "说明", "配置", "列表"], "en": ["Customers", "Instructions", "Config", "Lists"]}
KEY_ACCOUNT_HEADERS = {
    "zh": [
        "客户编号",
        "客户名称",
        "所在地区",
        "所属行业",
        "负责人",
        "首次合作日期",
        "客户状态",
        "购买力评分",
        "交易频次评分",
        "合作历史评分",
        "市场影响力评分",
        "客户忠诚度评分",
        "调整级别",
        "调整原因",
    ],
    "en": [
        "Customer ID",
        "Customer Name",
        "Region",
        "Industry",
        "Sales Owner",
        "First Deal Date",
        "Lifecycle Stage",
        "Purchasing Power",
        "Transaction Frequency",
        "Relationship History",
        "Market Influence",
        "Customer Loyalty",
        "Tier Override",
        "Override Reason",
    ],
}
# Labels on the Config sheet, per language.
CONFIG = {
    "zh": {"criteria": "评分指标", "tiers": "级别", "weight": "权重", "min": "最低得分", "cut": "累计占比至"},
    "en": {
        "criteria": "Criteria",
        "tiers": "Tiers",
        "weight": "Weight",
        "min": "Min score",
        "cut": "Cumulative share up to",
    },
}


def make_template(folder: Path, *args: str | Path, name: str = "form.xlsx") -> Path:
    path = folder / name
    result = run("template", "-o", path, *args)
    assert result.exit_code == ExitCode.OK, result.output
    # the terminal speaks the template's language
    wrote = "wrote" if "en" in [str(a) for a in args] else "已写入"
    assert f"{wrote} {path}" in result.stdout
    return path


def fill(path: Path, rows: list[dict[str, Any]]) -> None:
    """Type ``rows`` (header -> value) into the data sheet under the template's headers, as a user would."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row, record in enumerate(rows, start=2):
        for header, value in record.items():
            sheet.cell(row=row, column=headers.index(header) + 1, value=value)
    book.save(path)


def set_config(path: Path, lang: Lang, section: str, row_label: str, header: str, value: Any) -> None:
    """Edit one cell of the Config sheet's table ``section``: the row labelled ``row_label``, column ``header``."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEETS[lang][2]]
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == CONFIG[lang][section])
    column = [c.value for c in rows[start + 1]].index(CONFIG[lang][header])
    target = next(r for r in rows[start + 2 :] if r[0].value == row_label)
    target[column].value = value
    book.save(path)


def score_json(path: Path, *args: str | Path) -> dict[str, Any]:
    output = path.with_name(path.stem + ".tiered.xlsx")
    result = run("score", path, "-o", output, "--force", "--json", "--as-of", AS_OF, *args)
    assert result.exit_code == ExitCode.OK, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def graded(path: Path) -> dict[str, tuple[float, str]]:
    """Customer id -> (score, tier) from the graded workbook."""
    rows = sheet_values(path.with_name(path.stem + ".tiered.xlsx"))
    header = rows[0]
    score = header.index("综合得分" if "综合得分" in header else "Score")
    tier = header.index("客户级别" if "客户级别" in header else "Tier")
    return {row[0]: (row[score], row[tier]) for row in rows[1:] if row[0] is not None}


def key_account_rows(lang: Lang) -> list[dict[str, Any]]:
    h = KEY_ACCOUNT_HEADERS[lang]
    scores = {"K1": [90, 80, 75, 85, 95], "K2": [80, 75, 80, 90, 80], "K3": [70] * 5, "K4": [60] * 5}
    region = "华东" if lang == "zh" else "East"
    return [
        {
            h[0]: cid,
            h[1]: f"{cid} Co.",
            h[2]: region,
            h[5]: dt.datetime(2020, 1, 15),
            **dict(zip(h[7:12], s, strict=True)),
        }
        for cid, s in scores.items()
    ]


# -- the round trip -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_follows_the_config_sheet_and_its_edits(tmp_path: Path, lang: Lang) -> None:
    path = make_template(tmp_path, "--lang", lang)
    fill(path, key_account_rows(lang))

    first = score_json(path)

    assert first["config_source"] == f"sheet {SHEETS[lang][2]}"
    assert graded(path) == {"K1": (85, "A"), "K2": (81, "B"), "K3": (70, "B"), "K4": (60, "C")}

    # A weight of 0 for purchasing power: K1 = (80+75+85+95)/4 = 83.75 → B; K2 = (75+80+90+80)/4 = 81.25 → B.
    set_config(path, lang, "criteria", KEY_ACCOUNT_HEADERS[lang][7], "weight", 0)
    second = score_json(path)

    assert graded(path) == {"K1": (83.75, "B"), "K2": (81.25, "B"), "K3": (70, "B"), "K4": (60, "C")}
    assert second["weights"]["purchasing_power"] == 0

    # B from 75 instead of 70: K3 (70) drops to C.
    set_config(path, lang, "tiers", "B", "min", 75)
    score_json(path)

    assert graded(path) == {"K1": (83.75, "B"), "K2": (81.25, "B"), "K3": (70, "C"), "K4": (60, "C")}
    # the graded workbook's Config sheet holds the edited rules, and reads back to them
    found = read_config_sheet(path.with_name(path.stem + ".tiered.xlsx"))
    assert found is not None
    assert found.config.criteria[0].weight == 0
    assert found.config.tiers.levels[1].min_score == 75


def test_the_config_sheet_of_an_encrypted_workbook_is_read_with_the_password(tmp_path: Path) -> None:
    plain = make_template(tmp_path, "--lang", "en")
    fill(plain, key_account_rows("en"))
    set_config(plain, "en", "tiers", "B", "min", 75)  # K3 (70) is C by this sheet, B by the preset
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as handle, locked.open("wb") as out:
        OOXMLFile(handle).encrypt("s3cret", out)

    payload = score_json(locked, "--password", "s3cret")

    assert payload["config_source"] == f"sheet {SHEETS['en'][2]}"
    assert payload["tier_counts"] == {"A": 1, "B": 1, "C": 2}


def test_round_trip_of_a_pareto_template_follows_an_edited_cut(tmp_path: Path) -> None:
    path = make_template(tmp_path, "--preset", "sales-abc", "--lang", "en")
    sales = {"S1": 500, "S2": 300, "S3": 100, "S4": 60, "S5": 40}  # cumulative 50%, 80%, 90%, 96%, 100%
    fill(path, [{"Customer ID": k, "Customer Name": k, "Annual Sales": v} for k, v in sales.items()])

    assert score_json(path)["tier_counts"] == {"A": 2, "B": 2, "C": 1}  # A reaches 80%, B 95%

    set_config(path, "en", "tiers", "A", "cut", 0.5)

    assert score_json(path)["tier_counts"] == {"A": 1, "B": 3, "C": 1}
    assert {k: t for k, (_, t) in graded(path).items()} == {
        "S1": "A",
        "S2": "B",
        "S3": "B",
        "S4": "B",
        "S5": "C",
    }


# -- precedence: --config > Config sheet > --preset ---------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = make_template(tmp_path, "--lang", "zh")
    fill(path, key_account_rows("zh"))
    return path


def test_the_config_sheet_wins_over_an_explicit_preset_with_a_warning(filled: Path) -> None:
    payload = score_json(filled, "--preset", "sales-abc")

    assert payload["config_source"] == "sheet 配置"
    assert payload["config"] == "key-account"
    assert payload["tier_counts"] == {"A": 1, "B": 2, "C": 1}
    assert any("--preset sales-abc was not used" in w for w in payload["warnings"])


def test_a_config_file_wins_over_the_config_sheet(filled: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        preset_text("key-account")
        .replace('name = "key-account"', 'name = "lenient"')
        .replace("min_score = 85", "min_score = 80"),
        encoding="utf-8",
    )

    payload = score_json(filled, "--config", rules, "--preset", "sales-abc")

    assert payload["config_source"] == f"config 'lenient' from {rules}"
    assert payload["tier_counts"] == {"A": 2, "B": 1, "C": 1}  # K2 (81) is A under A ≥ 80
    assert not any("was not used" in w for w in payload["warnings"])


def test_without_a_config_sheet_the_preset_and_then_the_default_apply(worked_example: Path) -> None:
    assert score_json(worked_example)["config_source"] == "preset key-account"

    with_preset = run("validate", worked_example, "--preset", "sales-profit-payment")

    # the worked example has none of sales-profit-payment's columns: the preset really was the one applied
    assert with_preset.exit_code == ExitCode.DATA
    assert "配置“sales-profit-payment”要评分的列，此表没有" in with_preset.stderr  # in the input's language


def test_validate_follows_the_config_sheet(filled: Path) -> None:
    book = openpyxl.load_workbook(filled)
    sheet = book["配置"]
    name_cell = next(r[1] for r in sheet.iter_rows() if r[0].value == "配置名称")
    name_cell.value = "华东 2026"
    book.save(filled)

    result = run("validate", filled, "--json", "--preset", "rfm")

    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["config"] == "华东 2026"
    assert payload["tier_counts"] == {"A": 1, "B": 2, "C": 1}


def test_an_unknown_preset_is_an_error_even_beside_a_config_sheet(filled: Path) -> None:
    result = run("score", filled, "--preset", "nope")

    assert result.exit_code == ExitCode.USAGE
    assert "unknown preset 'nope'" in result.stderr


def test_score_help_states_the_precedence() -> None:
    text = " ".join(run("score", "--help").stdout.split())
    assert "wins over INPUT's Config sheet and --preset" in text
    assert "A Config sheet in INPUT wins over it" in text


# -- the template, inspected ----------------------------------------------------------------------------------------


def validations(sheet: Any) -> dict[str, Any]:
    """First cell of each validated range (e.g. "H2") -> its data validation."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0]] = validation
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_has_its_sheets_columns_notes_validations_and_lists(tmp_path: Path, lang: Lang) -> None:
    path = make_template(tmp_path, "--lang", lang, "--rows", "30")
    book = openpyxl.load_workbook(path)

    assert book.sheetnames == SHEETS[lang]
    data, instructions, config_sheet, lists = (book[name] for name in SHEETS[lang])
    headers = [c.value for c in data[1]]
    assert headers == KEY_ACCOUNT_HEADERS[lang]
    # every header carries a note; the required ones say so
    notes = {h: data.cell(row=1, column=i + 1).comment for i, h in enumerate(headers)}
    assert all(note is not None and note.text.strip() for note in notes.values())
    assert ("必填" if lang == "zh" else "Required") in notes[headers[0]].text
    # every input column is validated over the 30 prepared rows
    checks = validations(data)
    assert sorted(checks) == sorted(f"{chr(65 + i)}2" for i in range(len(headers)))
    assert all(str(v.sqref).endswith("31") for v in checks.values())
    first_score = checks["H2"]
    assert (first_score.type, first_score.formula1, first_score.formula2) == ("whole", "0", "100")
    assert first_score.operator in (None, "between")  # between is the default, so it may go unwritten
    assert checks["A2"].type == "custom"
    assert "COUNTIF($A:$A,A2)=1" in checks["A2"].formula1  # no repeated customer id
    assert checks["F2"].type == "date"
    assert checks["B2"].type == "textLength"
    dropdowns = {"C2": "RegionList", "D2": "IndustryList", "G2": "StageList", "M2": "TierList"}
    for cell, name in dropdowns.items():
        assert (checks[cell].type, checks[cell].formula1) == ("list", name)
    assert checks["C2"].errorStyle == "warning"  # a new region may be typed, with a warning
    assert checks["G2"].errorStyle in (None, "stop")  # stop, the default: a stage must be one kactier knows
    # each dropdown's named range covers its whole Lists column, so added items count
    lists_name = SHEETS[lang][3]
    for column, name in zip("ABCD", ("RegionList", "IndustryList", "StageList", "TierList"), strict=True):
        formula = book.defined_names[name].attr_text
        assert f"'{lists_name}'!${column}$2" in formula
        assert f"COUNTA('{lists_name}'!${column}:${column})" in formula
    options = list(lists.iter_cols(values_only=True))
    assert [v for v in options[3] if v][1:] == ["A", "B", "C"]
    stages = [v for v in options[2] if v][1:]
    assert len(stages) == 6
    assert all(normalize_header(s) in STAGE_INDEX for s in stages)  # every offered stage is understood
    assert len([v for v in options[0] if v]) > 3
    # table, frozen header and id/name columns, widths, text format for ids
    assert data.tables["CustomerForm"].ref == "A1:N31"
    assert data.freeze_panes == "C2"
    assert all(data.column_dimensions[chr(65 + i)].width >= 10 for i in range(len(headers)))
    assert data.column_dimensions["A"].number_format == "@"
    # the instructions explain the tiers of this preset; the Config sheet holds it, with dropdowns
    text = "\n".join(str(c) for row in instructions.iter_rows(values_only=True) for c in row if c)
    assert ("综合得分 ≥ 85" if lang == "zh" else "Score ≥ 85") in text
    assert "kactier score" in text
    assert any(v.type == "list" for v in config_sheet.data_validations.dataValidation)
    found = read_config_sheet(path)
    assert found is not None
    assert found.config.criteria == load_preset("key-account").criteria


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_template_has_its_criteria_columns(tmp_path: Path, preset: str) -> None:
    path = make_template(tmp_path, "--preset", preset, "--lang", "en")
    book = openpyxl.load_workbook(path)
    headers = [c.value for c in book.worksheets[0][1]]
    config = load_preset(preset)

    for key in config.scored_keys():
        assert any(normalize_header(h) == normalize_header(FIELD_BY_KEY[key].en) for h in headers), key
    assert headers[:2] == ["Customer ID", "Customer Name"]
    assert headers[-2:] == ["Tier Override", "Override Reason"]
    money = (
        validations(book.worksheets[0])[f"{chr(65 + headers.index('Annual Sales'))}2"]
        if "Annual Sales" in headers
        else None
    )
    if money is not None:
        assert (money.type, money.operator, money.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_a_config_file_template_gets_a_column_for_a_criterion_that_names_no_field(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'name = "east"\n[[criteria]]\nfield = "区域战略分"\nnormalize = "minmax"\n[[criteria]]\nfield = "orders"\n'
        '[tiers]\nmethod = "quantile"\n[[tiers.levels]]\nlabel = "重点"\n[[tiers.levels]]\nlabel = "一般"\n',
        encoding="utf-8",
    )
    path = make_template(tmp_path, "--config", rules, "--example")
    book = openpyxl.load_workbook(path)
    data = book.worksheets[0]
    headers = [c.value for c in data[1]]

    assert "区域战略分" in headers
    assert [v for v in next(book["列表"].iter_cols(min_col=4, values_only=True)) if v][1:] == ["重点", "一般"]
    payload = score_json(path)
    assert payload["config"] == "east"
    assert payload["rows"]["scored"] == 24


# -- --example, --rows, the output name ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", preset_names())
def test_example_rows_are_realistic_and_every_one_is_graded(tmp_path: Path, preset: str, lang: Lang) -> None:
    path = make_template(tmp_path, "--preset", preset, "--lang", lang, "--example")

    payload = score_json(path)

    assert payload["rows"] == {"read": 24, "scored": 24, "invalid": 0, "skipped": 0}
    assert payload["overridden"] == 1
    assert payload["provisional"] == 2
    assert all(count > 0 for count in payload["tier_counts"].values())
    rows = sheet_values(path)
    assert len({row[0] for row in rows[1:]}) == 24  # unique ids
    assert all(isinstance(row[5], dt.datetime) for row in rows[1:])  # real dates, not text


def test_example_rows_are_the_same_every_time(tmp_path: Path) -> None:
    first = make_template(tmp_path, "--example", name="a.xlsx")
    second = make_template(tmp_path, "--example", name="b.xlsx")
    assert sheet_values(first) == sheet_values(second)


def test_default_name_in_the_current_folder_and_no_overwrite_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert run("template", "--preset", "rfm").exit_code == ExitCode.OK
    made = tmp_path / "kactier-template-rfm.xlsx"
    before = made.read_bytes()

    again = run("template", "--preset", "rfm", "--example")

    assert again.exit_code == ExitCode.CANT_CREATE
    assert "文件已存在；如要覆盖请加 --force" in again.stderr  # zh: the template's language
    assert made.read_bytes() == before
    assert run("template", "--preset", "rfm", "--example", "--force").exit_code == ExitCode.OK
    assert made.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kactier-template-rfm.xlsx"]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--lang", "fr"], ExitCode.USAGE, "'fr'"),
        (["--rows", "0"], ExitCode.USAGE, "--rows"),
        (["--preset", "nope"], ExitCode.USAGE, "unknown preset 'nope'"),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], code: ExitCode, needle: str) -> None:
    result = run("template", "-o", tmp_path / "t.xlsx", *args)

    assert result.exit_code == code
    assert needle in result.output
    assert not (tmp_path / "t.xlsx").exists()


def test_a_blank_template_has_no_data_to_grade(tmp_path: Path) -> None:
    path = make_template(tmp_path)

    result = run("score", path)

    assert result.exit_code == ExitCode.DATA
    assert "还没有填写客户" in result.stderr  # no customers entered yet


# -- the committed examples ------------------------------------------------------------------------------------------


def make_templates_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "scripts" / "make_templates.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_templates_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    script = make_templates_script()
    first = script.main(tmp_path / "one")
    second = script.main(tmp_path / "two")

    assert len(first) == 2 * len(preset_names())
    for a, b in zip(first, second, strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", preset_names())
def test_each_committed_example_is_a_filled_template_of_its_preset(preset: str, lang: Lang) -> None:
    path = ROOT / "examples" / f"template_{preset}_{lang}.xlsx"
    found = read_config_sheet(path)

    assert found is not None
    assert found.config.criteria == load_preset(preset).criteria
    assert openpyxl.load_workbook(path).sheetnames == SHEETS[lang]
    result = run("validate", path, "--json", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["rows"]["scored"] == 24
    # blank cells of a sparsely filled 调整级别 column are not overrides to an unknown tier
    assert [i for i in payload["issue_list"] if i["code"] == "unknown_tier"] == []
    assert payload["overridden"] == 1
