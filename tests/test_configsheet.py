"""The Config sheet layout (kactier.configsheet): written, read back in either language, and every misunderstanding
named by its cell.

Sheets are written with :func:`write_config_sheet` (as templates and graded workbooks do), edited with openpyxl as a
user would in Excel, and read back with :func:`read_config_sheet` or through ``kactier score``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from conftest import WORKED_EXAMPLE, ZH_HEADERS, run
from typer.testing import Result

from kactier.config.files import config_from_dict, load_config_file
from kactier.config.models import Config
from kactier.config.presets import load_preset, preset_names
from kactier.config.sheet_layout import is_config_sheet_name
from kactier.config.sheet_parser import config_from_rows
from kactier.config.sheet_reader import find_config_sheet, may_hold_config_sheet, read_config_sheet
from kactier.config.sheet_writer import write_config_sheet
from kactier.errors import ConfigError, ExitCode
from kactier.i18n import Lang, localized, text
from kactier.read.header import find_header_row
from kactier.read.opening import check_input, open_input
from kactier.read.workbook import read_customer_sheet

SHEET = {"zh": "配置", "en": "Config"}


def config_workbook(path: Path, config: Config, lang: Lang, **extra: Any) -> Path:
    """A workbook whose second sheet is ``config``'s Config sheet (the first holds the worked example)."""
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet("客户信息")
    for row, values in enumerate([ZH_HEADERS, *WORKED_EXAMPLE]):
        data.write_row(row, 0, values)
    write_config_sheet(book, book.add_worksheet(SHEET[lang]), config, lang, **extra)
    book.close()
    return path


def assert_same_rules(read: Config, expected: Config, lang: Lang) -> None:
    """Everything that decides a grade is equal; texts are in the sheet's language."""
    assert [c.key for c in read.criteria] == [c.key for c in expected.criteria]
    for got, want in zip(read.criteria, expected.criteria, strict=True):
        assert (got.weight, got.direction, got.normalize, got.missing) == (
            want.weight,
            want.direction,
            want.normalize,
            want.missing,
        )
        assert (got.bins, got.points) == (want.bins, want.points)
        assert got.display(lang) == want.display(lang)
    assert (read.name, read.weights, read.aggregation, read.score_decimals) == (
        expected.name,
        expected.weights,
        expected.aggregation,
        expected.score_decimals,
    )
    tiers, want_tiers = read.tiers, expected.tiers
    assert (tiers.method, tiers.value_key, tiers.provisional_months) == (
        want_tiers.method,
        want_tiers.value_key,
        want_tiers.provisional_months,
    )
    if tiers.method == "pareto":
        assert tiers.effective_cuts() == pytest.approx(want_tiers.effective_cuts())
    if tiers.method == "quantile":
        assert tiers.effective_shares() == pytest.approx(want_tiers.effective_shares())
    for got_level, want_level in zip(tiers.levels, want_tiers.levels, strict=True):
        assert got_level.label == want_level.label
        assert got_level.min_score == (want_level.min_score if tiers.method == "thresholds" else None)
        assert got_level.color == want_level.color
        assert got_level.follow_up_days == want_level.follow_up_days
        assert got_level.action == localized(want_level.action, lang)
        assert got_level.service_level == localized(want_level.service_level, lang)
    if expected.ahp is None:
        assert read.ahp is None
    else:
        assert read.ahp is not None
        assert read.ahp.matrix == expected.ahp.matrix  # reciprocals travel as 1/3, so exactly
        assert read.ahp.allow_inconsistent == expected.ahp.allow_inconsistent


def find_cell(sheet: Any, section: str, row_label: str, header: str | None = None) -> Any:
    """The cell of ``row_label`` (column A) in ``section``: under ``header`` in a table, else column B."""
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == section)
    column = 1
    if header is not None:
        column = [c.value for c in rows[start + 1]].index(header)
    for row in rows[start + 1 :]:
        if row[0].value == row_label:
            return row[column]
    raise AssertionError(f"no row {row_label!r} in section {section!r}")


def edited(path: Path, sheet_name: str, edit: Any) -> Path:
    """Apply ``edit(sheet)`` to the Config sheet with openpyxl and save, as a user would in Excel."""
    book = openpyxl.load_workbook(path)
    edit(book[sheet_name])
    book.save(path)
    return path


def assert_config_error(result: Result, *needles: str) -> None:
    assert result.exit_code == ExitCode.CONFIG, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"


# -- round trips ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_reads_back_from_its_config_sheet(tmp_path: Path, preset: str, lang: Lang) -> None:
    config = load_preset(preset)
    path = config_workbook(tmp_path / "book.xlsx", config, lang)

    found = read_config_sheet(path)

    assert found is not None
    assert found.sheet == SHEET[lang]
    assert_same_rules(found.config, config, lang)


UNUSUAL = {
    "name": "regional",
    "description": "ahp, bins, a custom label and a column that names no field",
    "weights": "ahp",
    "ahp": {"matrix": [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]], "allow_inconsistent": True},
    "score_decimals": 1,
    "criteria": [
        {"field": "annual_sales", "normalize": "bins", "bins": [1e5, 5e5], "points": [20, 60, 100]},
        {"field": "payment_days", "direction": "lower", "normalize": "rank", "label": "回款速度"},
        {"field": "区域战略分", "normalize": "minmax", "missing": "median"},
    ],
    "tiers": {
        "method": "pareto",
        "value": "annual_sales",
        "cuts": [0.5, 0.7, 0.9],
        "provisional_months": 0,
        "levels": [
            {"label": "S", "color": "#112233", "action": "每周拜访", "follow_up_days": 7},
            {"label": "A", "color": "#445566"},
            {"label": "B", "color": "#778899", "service_level": "标准"},
            {"label": "C"},
        ],
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ahp_bins_labels_custom_columns_and_four_pareto_tiers_read_back(tmp_path: Path, lang: Lang) -> None:
    config = config_from_dict(UNUSUAL, "unusual")
    path = config_workbook(tmp_path / "book.xlsx", config, lang)

    found = read_config_sheet(path)

    assert found is not None
    assert_same_rules(found.config, config, lang)
    assert found.config.criteria[1].label == "回款速度"
    assert found.config.criteria[2].field == "区域战略分"
    # the reciprocals are written as fractions, so they read back exactly
    assert found.config.ahp is not None
    assert found.config.ahp.matrix[1][0] == 1 / 3


def test_a_graded_workbooks_config_sheet_reads_back_with_weights_used_and_run_rows(tmp_path: Path) -> None:
    config = config_from_dict({**UNUSUAL, "weights": "entropy", "ahp": None}, "entropy")
    path = config_workbook(
        tmp_path / "book.xlsx",
        config,
        "zh",
        weights_used={"annual_sales": 0.5, "payment_days": 0.3, "区域战略分": 0.2},
        run_facts=[("input_file", "客户.xlsx"), ("sha256", "ab" * 32), ("version", "9.9")],
    )
    sheet = openpyxl.load_workbook(path)["配置"]

    found = read_config_sheet(path)

    assert found is not None
    assert_same_rules(found.config, config, "zh")
    assert find_cell(sheet, "评分指标", "年销售额", "实际权重").value == 0.5
    assert find_cell(sheet, "运行信息", "输入文件").value == "客户.xlsx"


def test_score_output_config_sheet_reproduces_the_run(tmp_path: Path, worked_example: Path) -> None:
    toml = tmp_path / "rules.toml"
    toml.write_text(
        'name = "strict"\n[[criteria]]\nfield = "purchasing_power"\nweight = 2\n[[criteria]]\n'
        'field = "loyalty_score"\n[tiers]\nmethod = "thresholds"\n[[tiers.levels]]\nlabel = "A"\nmin_score = 90\n'
        '[[tiers.levels]]\nlabel = "B"\n',
        encoding="utf-8",
    )
    output = tmp_path / "graded.xlsx"
    assert run("score", worked_example, "-o", output, "--config", toml, "--quiet").exit_code == ExitCode.OK

    found = read_config_sheet(output)

    assert found is not None
    assert found.sheet == "配置"
    assert found.config == load_config_file(toml)
    # and checking the graded workbook again follows those rules, not the default preset
    again = run("validate", output, "--json")
    assert again.exit_code == ExitCode.OK, again.output
    assert '"config_source": "sheet 配置"' in again.stdout
    assert '"A": 1' in again.stdout  # ABC公司: (2×90 + 95)/3 = 91.67 ≥ 90; XYZ公司: (2×80 + 80)/3 = 80


# -- tolerance: language, TOML keys, words, percentages, column order ------------------------------------------------

HAND_MADE: list[list[Any]] = [
    ["kactier scoring config"],
    ["rules for the east region, typed by hand"],
    [],
    ["Settings"],
    ["配置名称", "east"],
    ["weights", "熵权法"],
    ["分级方法", "quantile"],
    ["Provisional months", 3.0],
    [],
    ["评分指标"],
    ["direction", "Weight", "数据列", "Missing values", "标准化"],
    ["越低越好", "2", "回款天数", "中位数", "百分位排名"],
    ["Higher", 1, "年销售额", "", "log-minmax"],
    [],
    ["Tiers"],
    ["客户级别", "Colour", "客户占比", "Follow-up (days)", "建议措施"],
    ["A", "c6efce", "25%", 30.0, "重点维护"],
    ["B", "#FFEB9C", 35, "", ""],
    ["C", "", "", 90, "标准服务"],
]


def test_labels_in_either_language_toml_keys_words_and_percentages_are_understood() -> None:
    config = config_from_rows(HAND_MADE, path=Path("east.xlsx"), sheet="配置")

    assert config.name == "east"
    assert config.weights == "entropy"
    assert [(c.key, c.direction, c.normalize, c.missing) for c in config.criteria] == [
        ("payment_days", "lower", "rank", "median"),
        ("annual_sales", "higher", "log-minmax", "zero"),
    ]
    assert config.criteria[0].weight == 2
    assert config.tiers.method == "quantile"
    assert config.tiers.shares == pytest.approx([0.25, 0.35])
    assert config.tiers.provisional_months == 3
    assert [level.color for level in config.tiers.levels] == ["#C6EFCE", "#FFEB9C", "#D9D9D9"]
    assert config.tiers.levels[0].action == "重点维护"
    assert config.tiers.levels[1].follow_up_days is None


def test_a_sheet_named_config_without_the_marker_is_not_ours(tmp_path: Path) -> None:
    # e.g. a user's own "Config" sheet, or a graded workbook from before the Config sheet could be read back
    book = xlsxwriter.Workbook(str(tmp_path / "own.xlsx"))
    data = book.add_worksheet("客户信息")
    for row, values in enumerate([ZH_HEADERS, *WORKED_EXAMPLE]):
        data.write_row(row, 0, values)
    book.add_worksheet("Config").write_row(0, 0, ["配置", "key-account"])
    book.close()

    assert read_config_sheet(tmp_path / "own.xlsx") is None
    result = run("score", tmp_path / "own.xlsx", "--json")
    assert result.exit_code == ExitCode.OK, result.output
    assert '"config_source": "preset key-account"' in result.stdout


def test_config_sheet_names() -> None:
    assert is_config_sheet_name("配置")
    assert is_config_sheet_name("CONFIG")
    assert is_config_sheet_name(" Config ")
    assert not is_config_sheet_name("Configuration notes")
    assert not is_config_sheet_name("客户信息")


def test_no_config_sheet_in_a_plain_workbook(worked_example: Path) -> None:
    assert read_config_sheet(worked_example) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_find_config_sheet_gives_a_templates_rows_uninterpreted(tmp_path: Path, lang: Lang) -> None:
    path = tmp_path / "template.xlsx"
    assert run("template", "-o", path, "--preset", "rfm", "--lang", lang).exit_code == ExitCode.OK

    with open_input(path) as opened:
        found = find_config_sheet(opened)
        raw = read_customer_sheet(opened)  # the same open input serves the customer sheet afterwards

    assert found is not None
    name, rows = found
    assert name == SHEET[lang]
    assert rows[0][0] == text("cfg_marker", lang)
    assert [text("cfg_name", lang), "rfm"] == rows[4][:2]  # the settings' cells as written, not a Config
    assert all(len(row) <= 60 for row in rows)
    expected = read_config_sheet(path)
    assert expected is not None
    assert expected.sheet == name
    assert config_from_rows(rows, path=path, sheet=name) == expected.config
    assert raw.headers


def test_find_config_sheet_is_none_without_a_config_sheet(worked_example: Path, tmp_path: Path) -> None:
    with open_input(worked_example) as opened:
        assert find_config_sheet(opened) is None
    book = xlsxwriter.Workbook(str(tmp_path / "own.xlsx"))  # named Config, but without the marker
    book.add_worksheet("Config").write_row(0, 0, ["配置", "key-account"])
    book.close()
    with open_input(tmp_path / "own.xlsx") as opened:
        assert find_config_sheet(opened) is None


def test_only_a_zip_workbook_or_a_password_may_hold_a_config_sheet(
    worked_example: Path, tmp_path: Path
) -> None:
    assert may_hold_config_sheet(check_input(worked_example), None)
    csv = tmp_path / "customers.csv"
    csv.write_text("客户编号,客户名称\nC1,甲\n", encoding="utf-8")
    assert not may_hold_config_sheet(check_input(csv), None)
    assert may_hold_config_sheet(check_input(csv), "secret")


# -- what cannot be understood: exit 78, the file, the sheet and the cell --------------------------------------------


@pytest.fixture(params=["zh", "en"])
def graded_input(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Lang]:
    lang: Lang = request.param
    return config_workbook(tmp_path / "customers.xlsx", load_preset("key-account"), lang), lang


def labels(lang: Lang) -> dict[str, str]:
    zh = {
        "criteria": "评分指标",
        "tiers": "级别",
        "weight": "权重",
        "direction": "方向",
        "min": "最低得分",
        "color": "颜色",
        "first": "购买力评分",
        "loyalty": "客户忠诚度评分",
        "settings": "基本设置",
        "method": "分级方法",
    }
    en = {
        "criteria": "Criteria",
        "tiers": "Tiers",
        "weight": "Weight",
        "direction": "Direction",
        "min": "Min score",
        "color": "Colour",
        "first": "Purchasing Power",
        "loyalty": "Customer Loyalty",
        "settings": "Settings",
        "method": "Tier method",
    }
    return zh if lang == "zh" else en


def coordinate_of(path: Path, lang: Lang, section: str, row_label: str, header: str | None = None) -> str:
    sheet = openpyxl.load_workbook(path)[SHEET[lang]]
    return f"{SHEET[lang]}!{find_cell(sheet, section, row_label, header).coordinate}"


@pytest.mark.parametrize(
    ("row_label", "header", "value", "problem"),
    [
        ("first", "weight", "很多", "is not a number"),
        ("first", "weight", -1, "the weight -1 is negative"),
        ("loyalty", "direction", "up", "is not a choice"),
    ],
)
def test_bad_criterion_cells_are_named(
    graded_input: tuple[Path, Lang], row_label: str, header: str, value: Any, problem: str
) -> None:
    path, lang = graded_input
    names = labels(lang)
    cell = coordinate_of(path, lang, names["criteria"], names[row_label], names[header])
    edited(
        path,
        SHEET[lang],
        lambda s: setattr(find_cell(s, names["criteria"], names[row_label], names[header]), "value", value),
    )

    result = run("score", path, "--lang", "en")

    assert_config_error(result, str(path), cell, problem)
    assert not path.with_name("customers.tiered.xlsx").exists()


def test_thresholds_that_do_not_decrease_name_the_cell_that_breaks_the_order(
    graded_input: tuple[Path, Lang],
) -> None:
    path, lang = graded_input
    names = labels(lang)
    cell = coordinate_of(path, lang, names["tiers"], "B", names["min"])
    edited(path, SHEET[lang], lambda s: setattr(find_cell(s, names["tiers"], "B", names["min"]), "value", 90))

    result = run("validate", path, "--lang", "en")

    assert_config_error(result, cell, "90 is not below the tier above (85)", "decreasing")


def test_a_minimum_on_the_last_tier_is_named(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)
    cell = coordinate_of(path, lang, names["tiers"], "C", names["min"])
    edited(path, SHEET[lang], lambda s: setattr(find_cell(s, names["tiers"], "C", names["min"]), "value", 10))

    assert_config_error(run("score", path, "--lang", "en"), cell, "last tier")


def test_a_bad_colour_found_by_the_config_model_is_named(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)
    cell = coordinate_of(path, lang, names["tiers"], "A", names["color"])
    edited(
        path,
        SHEET[lang],
        lambda s: setattr(find_cell(s, names["tiers"], "A", names["color"]), "value", "green"),
    )

    assert_config_error(run("score", path, "--lang", "en"), cell, "#RRGGBB")


def test_an_unknown_tier_method_is_named(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)
    cell = coordinate_of(path, lang, names["settings"], names["method"])
    edited(
        path,
        SHEET[lang],
        lambda s: setattr(find_cell(s, names["settings"], names["method"]), "value", "median"),
    )

    assert_config_error(
        run("score", path, "--lang", "en"), cell, "'median' is not a choice", "thresholds, pareto"
    )


def test_a_blank_row_inside_the_criteria_table_is_named(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)

    def blank_first_criterion(sheet: Any) -> None:
        for cell in sheet[find_cell(sheet, names["criteria"], names["first"]).row]:
            cell.value = None

    sheet = openpyxl.load_workbook(path)[SHEET[lang]]
    first = find_cell(sheet, names["criteria"], names["first"])
    edited(path, SHEET[lang], blank_first_criterion)

    result = run("score", path, "--lang", "en")

    assert_config_error(result, f"{SHEET[lang]}!A{first.row + 1}", "is not a section title", "blank row")


def test_every_weight_zero_is_named_at_the_criteria_table(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)

    def zero_weights(sheet: Any) -> None:
        rows = list(sheet.iter_rows())
        start = next(i for i, r in enumerate(rows) if r[0].value == names["criteria"])
        weight = [c.value for c in rows[start + 1]].index(names["weight"])
        for row in rows[start + 2 : start + 7]:
            row[weight].value = 0

    edited(path, SHEET[lang], zero_weights)
    sheet = openpyxl.load_workbook(path)[SHEET[lang]]
    first = find_cell(sheet, names["criteria"], names["first"])

    assert_config_error(
        run("score", path, "--lang", "en"), f"{SHEET[lang]}!A{first.row}:", "must not all be zero"
    )


def test_a_missing_tiers_section_is_named(graded_input: tuple[Path, Lang]) -> None:
    path, lang = graded_input
    names = labels(lang)

    def rename(sheet: Any) -> None:
        for row in sheet.iter_rows():
            if row[0].value == names["tiers"]:
                row[0].value = "Levels"

    edited(path, SHEET[lang], rename)

    assert_config_error(
        run("score", path, "--lang", "en"), f"{SHEET[lang]}!A", "'Levels' is not a section title"
    )


def test_an_unknown_setting_is_named() -> None:
    rows = [list(r) for r in HAND_MADE]
    rows[5] = ["weigths", "manual"]
    with pytest.raises(
        ConfigError, match=r"^east\.xlsx: Config sheet, cell 配置!A6: 'weigths' is not a setting; use one of"
    ):
        config_from_rows(rows, path=Path("east.xlsx"), sheet="配置")


def test_an_unknown_table_header_is_named_rather_than_ignored() -> None:
    rows = [list(r) for r in HAND_MADE]
    rows[10] = ["direction", "Weigth", "数据列", "Missing values", "标准化"]
    with pytest.raises(ConfigError, match=r"cell 配置!B11: 'Weigth' is not a column of the criteria table"):
        config_from_rows(rows, path=Path("east.xlsx"), sheet="配置")


def test_a_sheet_name_with_spaces_is_quoted_in_the_cell_reference() -> None:
    rows = [list(r) for r in HAND_MADE]
    rows[11][1] = "lots"
    with pytest.raises(ConfigError, match=r"cell 'My Config'!B12: weight 'lots' is not a number"):
        config_from_rows(rows, path=Path("east.xlsx"), sheet="My Config")


# -- the data sheet is still the one read --------------------------------------------------------------------------


def test_the_config_sheet_never_looks_like_a_data_header(tmp_path: Path) -> None:
    # the AHP matrix lists every criterion in one row: numbered, so it names no customer field
    path = config_workbook(tmp_path / "book.xlsx", config_from_dict(UNUSUAL, "unusual"), "zh")
    book = openpyxl.load_workbook(path)
    book.move_sheet("配置", offset=-1)  # even first in the workbook
    book.save(path)
    cells = [list(r) for r in openpyxl.load_workbook(path)["配置"].iter_rows(values_only=True)]

    assert find_header_row([[c if c is not None else "" for c in r] for r in cells[:20]]) is None
    assert read_customer_sheet(path).sheet == "客户信息"


def test_the_input_is_never_rewritten(tmp_path: Path) -> None:
    path = config_workbook(tmp_path / "book.xlsx", load_preset("key-account"), "zh")
    before = path.read_bytes()
    assert run("score", path, "--quiet", "--as-of", dt.date(2026, 11, 1).isoformat()).exit_code == ExitCode.OK
    assert path.read_bytes() == before
