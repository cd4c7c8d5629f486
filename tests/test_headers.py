"""Headers as people word them (SPEC §2, §10; issue 13 items 1-3): variants, two-row headers, ambiguity settled by
values, near misses with their fix, explicit mappings (--map, [columns]) and the mapping shown everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from conftest import WORKED_EXAMPLE, ZH_HEADERS, run, sheet_values, write_workbook

from kactier.config.presets import load_preset
from kactier.errors import ConfigError, ExitCode, MappingError, WorkbookError
from kactier.fields import FIELDS, Match, header_candidates, match_header
from kactier.read.cells import RawSheet
from kactier.read.header import find_header_row
from kactier.read.workbook import read_customer_sheet
from kactier.validate.mapping import settle_by_values
from kactier.validate.rows import validate_rows

FIVE = ["purchasing_power", "frequency_score", "history_score", "influence_score", "loyalty_score"]
MEANS = [85.0, 81.0]  # the worked example: (90+80+75+85+95)/5 and (80+75+80+90+80)/5

VARIANTS = [
    # zh-Hans: suffixes, units in brackets, synonyms
    ("购买力得分", "purchasing_power", Match.VARIANT),
    ("购买力评分（0-100）", "purchasing_power", Match.VARIANT),
    ("购买力（分）", "purchasing_power", Match.VARIANT),
    ("购买能力", "purchasing_power", Match.VARIANT),
    ("评分-购买力", "purchasing_power", Match.VARIANT),
    ("交易频率", "frequency_score", Match.VARIANT),
    ("交易频次分", "frequency_score", Match.VARIANT),
    ("合作历史分数", "history_score", Match.VARIANT),
    ("市场影响力分值", "influence_score", Match.VARIANT),
    ("客户忠诚度得分", "loyalty_score", Match.VARIANT),
    ("忠诚度", "loyalty_score", Match.ALIAS),
    ("客户代码", "customer_id", Match.ALIAS),
    ("客户ID", "customer_id", Match.ALIAS),
    ("编号", "customer_id", Match.ALIAS),
    ("客户编号", "customer_id", Match.EXACT),
    ("客户名称", "customer_name", Match.EXACT),
    ("公司名称", "customer_name", Match.ALIAS),
    ("单位名称", "customer_name", Match.ALIAS),
    ("客户", "customer_name", Match.ALIAS),
    ("年销售额（元）", "annual_sales", Match.VARIANT),
    # zh-Hant: folded to Simplified by OpenCC, then matched like zh-Hans
    ("購買力得分", "purchasing_power", Match.VARIANT),
    ("購買能力", "purchasing_power", Match.VARIANT),
    ("交易頻率", "frequency_score", Match.VARIANT),
    ("合作歷史（分）", "history_score", Match.VARIANT),
    ("市場影響力分值", "influence_score", Match.VARIANT),
    ("忠誠度", "loyalty_score", Match.ALIAS),
    ("客戶代碼", "customer_id", Match.ALIAS),
    ("客戶編號", "customer_id", Match.EXACT),
    ("公司名稱", "customer_name", Match.ALIAS),
    ("單位名稱", "customer_name", Match.ALIAS),
    ("業務負責人", "owner", Match.ALIAS),  # a Traditional alias listed as written keeps working
    # en: suffixes, word order, punctuation
    ("Purchase frequency score", "frequency_score", Match.ALIAS),
    ("Relationship score", "history_score", Match.ALIAS),
    ("Purchasing Power Rating", "purchasing_power", Match.VARIANT),
    ("Loyalty (points)", "loyalty_score", Match.VARIANT),
    ("Market Influence Score (0-100)", "influence_score", Match.VARIANT),
    ("Frequency, Transaction", "frequency_score", Match.VARIANT),
    ("Power - Purchasing", "purchasing_power", Match.VARIANT),
    ("Customer No.", "customer_id", Match.ALIAS),
    ("Customer ID", "customer_id", Match.EXACT),
    ("Account ID", "customer_id", Match.ALIAS),
    ("Company", "customer_name", Match.ALIAS),
    ("Customer", "customer_name", Match.ALIAS),
    ("Account Name", "customer_name", Match.ALIAS),
    ("Annual Sales (CNY)", "annual_sales", Match.VARIANT),
]


@pytest.mark.parametrize(("header", "key", "how"), VARIANTS)
def test_header_variants_match_their_field(header: str, key: str, how: Match) -> None:
    found = header_candidates(header)
    assert found is not None
    assert found.candidates == (key,)
    assert found.how is how
    assert match_header(header) == key


@pytest.mark.parametrize(
    "header", ["购买能力指数", "客户评分", "评分指标（0-100）", "备注", "Notes", "Score", "联系电话"]
)
def test_near_misses_and_other_headers_match_nothing(header: str) -> None:
    assert match_header(header) is None


def test_every_alias_still_names_its_field() -> None:
    for spec in FIELDS:
        for name in (spec.key, spec.zh, spec.en, *spec.aliases):
            assert match_header(name) == spec.key, name


HEADER_SETS = {
    "zh-Hans": ["客户代码", "公司名称", "购买力得分", "交易频率", "合作历史（分）", "市场影响力(0-100)", "忠诚度"],
    "zh-Hans-suffixes": ["客户ID", "单位名称", "购买力分数", "交易频次分", "合作历史分值", "市场影响力得分", "客户忠诚度评分（0-100）"],
    "zh-Hans-synonyms": ["编号", "客户", "购买能力", "交易频率评分", "合作历史", "市场影响力", "忠诚度得分"],
    "zh-Hant": ["客戶代碼", "公司名稱", "購買力得分", "交易頻率", "合作歷史分數", "市場影響力評分", "客戶忠誠度"],
    "zh-Hant-units": ["客戶編號", "單位名稱", "購買能力（分）", "交易頻次分", "合作歷史（0-100）", "市場影響力分值", "忠誠度得分"],
    "en": ["Customer No.", "Company", "Purchasing Power Score", "Purchase frequency score", "Relationship score",
           "Market Influence Rating", "Loyalty (points)"],
    "en-order": ["Account ID", "Account Name", "Power, Purchasing", "Frequency - Transaction", "Relationship History",
                 "Influence (Market)", "Customer Loyalty Points"],
    "en-units": ["customer_id", "Customer", "Purchasing power (0-100)", "Transaction frequency rating",
                 "History score", "Market influence points", "Loyalty rating"],
}  # fmt: skip


@pytest.mark.parametrize("script", list(HEADER_SETS))
def test_variant_workbooks_are_graded_with_no_config(tmp_path: Path, script: str) -> None:
    path = write_workbook(tmp_path / "in.xlsx", [HEADER_SETS[script], *WORKED_EXAMPLE])
    result = run("score", path, "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [m["field"] for m in payload["mappings"]] == ["customer_id", "customer_name", *FIVE]
    assert [m["header"] for m in payload["mappings"]] == HEADER_SETS[script]
    rows = sheet_values(tmp_path / "in.tiered.xlsx")
    assert [r[7] for r in rows[1:3]] == MEANS  # the added score column, after the seven given


# -- two-row headers --------------------------------------------------------------------------------------------


def two_row_workbook(
    path: Path, scores: list[str], values: list[list[Any]], *, banner: str | None = None
) -> Path:
    """A banner (merged over the sheet) on row 1, then a header on rows 2-3: 客户编号 and 客户名称 merged down both
    rows, a group "评分指标（0-100）" merged over the scores, and the scores' names on row 3."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("客户信息")
    last = 1 + len(scores)
    sheet.merge_range(0, 0, 0, last, banner or "2026年度大客户分级评估表")
    sheet.merge_range(1, 0, 2, 0, "客户编号")
    sheet.merge_range(1, 1, 2, 1, "客户名称")
    sheet.merge_range(1, 2, 1, last, "评分指标（0-100）")
    for column, name in enumerate(scores, start=2):
        sheet.write_string(2, column, name)
    for row, cells in enumerate(values, start=3):
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    book.close()
    return path


def test_a_group_over_the_scores_makes_the_lower_row_the_header(tmp_path: Path) -> None:
    path = two_row_workbook(
        tmp_path / "in.xlsx", ["购买力", "交易频次", "合作历史", "市场影响力", "忠诚度"], WORKED_EXAMPLE
    )
    raw = read_customer_sheet(path)
    assert raw.header_row == 3
    assert raw.headers == ["客户编号", "客户名称", "购买力", "交易频次", "合作历史", "市场影响力", "忠诚度"]
    assert raw.header_groups == {c: "评分指标（0-100）" for c in range(2, 7)}
    table = validate_rows(raw, load_preset("key-account"))
    assert list(table.field_columns) == ["customer_id", "customer_name", *FIVE]
    result = run("score", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["header_row"] == 3


def test_a_banner_or_group_row_naming_fields_never_wins() -> None:
    rows: list[list[Any]] = [
        ["客户名称", "", "", ""],  # a banner merged over the sheet that happens to name a field
        ["客户", "", "购买力评分", ""],  # groups merged over two columns each
        ["客户编号", "客户名称", "购买力", "忠诚度"],
        ["C1", "甲", 90, 80],
    ]
    merged = [((0, 0), (0, 3)), ((1, 0), (1, 1)), ((1, 2), (1, 3))]
    assert find_header_row(rows, merged) == 2


def test_an_unmerged_two_row_header_takes_the_names_above(tmp_path: Path) -> None:
    upper = ["客户编号", "客户名称", "评分指标", "", "", "", ""]
    lower = ["", "", "购买力", "交易频次", "合作历史", "市场影响力", "忠诚度"]
    path = write_workbook(tmp_path / "in.xlsx", [upper, lower, *WORKED_EXAMPLE])
    raw = read_customer_sheet(path)
    assert raw.header_row == 2
    assert raw.headers == ["客户编号", "客户名称", "购买力", "交易频次", "合作历史", "市场影响力", "忠诚度"]


# -- ambiguity --------------------------------------------------------------------------------------------------


def test_tenure_under_a_score_group_with_score_values_is_the_score(tmp_path: Path) -> None:
    scores = ["购买力", "交易频次", "合作年限", "市场影响力", "忠诚度"]
    path = two_row_workbook(tmp_path / "in.xlsx", scores, WORKED_EXAMPLE)
    table = validate_rows(read_customer_sheet(path), load_preset("key-account"))
    assert table.field_columns["history_score"] == 4
    assert "tenure_years" not in table.field_columns
    assert [(m.header, m.field, m.match) for m in table.mappings][4] == (
        "合作年限",
        "history_score",
        Match.VARIANT,
    )


def raw_sheet(headers: list[str], rows: list[list[Any]]) -> RawSheet:
    return RawSheet(Path("in.xlsx"), "客户信息", 1, headers, rows)


def test_an_ambiguous_header_beside_scores_with_0_100_values_is_the_score() -> None:
    headers = ["客户编号", "客户名称", "购买力", "交易频次", "合作", "市场影响力", "忠诚度"]
    table = validate_rows(raw_sheet(headers, [list(r) for r in WORKED_EXAMPLE]), load_preset("key-account"))
    assert table.field_columns["history_score"] == 4
    assert table.mappings[4].match is Match.VARIANT


def test_values_no_score_can_take_settle_for_the_other_field() -> None:
    assert (
        settle_by_values([3, 12, 250], ["history_score", "tenure_years"], beside_scores=True)
        == "tenure_years"
    )
    assert (
        settle_by_values([75, 80], ["history_score", "tenure_years"], beside_scores=True) == "history_score"
    )
    assert settle_by_values([75, 80], ["history_score", "tenure_years"], beside_scores=False) is None
    assert settle_by_values([3, 5], ["history_score", "tenure_years"], beside_scores=True) is None


def test_an_ambiguity_values_cannot_settle_lists_the_candidates() -> None:
    headers = ["客户编号", "客户名称", "购买力", "交易频次", "合作", "市场影响力", "忠诚度"]
    rows = [["C1", "甲", 90, 80, 3, 85, 95], ["C2", "乙", 80, 75, 5, 90, 80]]
    with pytest.raises(WorkbookError) as caught:
        validate_rows(raw_sheet(headers, rows), load_preset("key-account"))
    assert caught.value.exit_code == ExitCode.DATA
    assert caught.value.message("zh") == (
        "in.xlsx：工作表“客户信息”，表头第 1 行：无法确定“合作”列是合作历史评分（history_score）、合作年限（tenure_years）"
        "中的哪一个；"
        '改法：把表头改为其中一个字段的名称，或指定：--map "合作=history_score"、--map "合作=tenure_years"'
    )
    assert caught.value.message("en") == (
        "in.xlsx: sheet '客户信息', header row 1: column '合作' could be any of 合作历史评分 / Relationship History, "
        "合作年限 / Tenure Years; "
        'fix: rename the header to one field\'s name, or map it: --map "合作=history_score", --map "合作=tenure_years"'
    )


# -- near misses ------------------------------------------------------------------------------------------------

NEAR_MISS = ["客户编号", "客户名称", "购买能力指数", "交易频次", "合作历史", "市场影响力", "忠诚度", "备注"]


@pytest.fixture
def near_miss(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "in.xlsx", [NEAR_MISS, *[[*r, "x"] for r in WORKED_EXAMPLE]])


def test_a_near_miss_names_the_headers_the_candidates_and_the_fix(near_miss: Path) -> None:
    zh = run("score", near_miss)
    assert zh.exit_code == ExitCode.DATA
    assert zh.stderr == (
        f"kactier：错误： {near_miss}：工作表“客户信息”，表头第 1 行：配置“key-account”要评分的列，此表没有：购买力评分"
        "（purchasing_power）；请添加或指定这些列，或换用其他预设（kactier presets）或 --config；"
        "未对应任何字段的表头：“购买能力指数”、“备注”；"
        "与“购买力评分”最接近的表头：“购买能力指数”；"
        '改法：把表头“购买能力指数”改为“购买力评分”，或在配置中加 [columns] purchasing_power = "购买能力指数"，'
        '或加 --map "购买能力指数=purchasing_power"\n'
    )
    en = run("score", near_miss, "--lang", "en")
    assert en.exit_code == ExitCode.DATA
    assert en.stderr == (
        f"kactier: error: {near_miss}: sheet '客户信息', header row 1: the config 'key-account' scores columns this "
        "sheet does not have: 购买力评分 / Purchasing Power; add or map them, or choose another preset "
        "(`kactier presets`) or --config; "
        "headers that match no field: '购买能力指数', '备注'; "
        "closest to 'Purchasing Power': '购买能力指数'; "
        "fix: rename the header '购买能力指数' to 'Purchasing Power', or add [columns] purchasing_power = "
        '"购买能力指数" to the config, or pass --map "购买能力指数=purchasing_power"\n'
    )


def test_a_missing_required_column_without_a_near_miss_says_to_add_or_map_it() -> None:
    headers = ["客户编号", "购买力", "交易频次", "合作历史", "市场影响力", "忠诚度"]
    with pytest.raises(WorkbookError) as caught:
        validate_rows(raw_sheet(headers, [["C1", 1, 1, 1, 1, 1]]), load_preset("key-account"))
    assert caught.value.message("en") == (
        "in.xlsx: sheet '客户信息', header row 1: required column missing: 客户名称 / Customer Name; "
        "every header of the sheet already matches a field; "
        "fix: add the column 'Customer Name', or map an existing one with --map \"HEADER=customer_name\""
    )


def test_map_fixes_a_near_miss_and_is_shown(near_miss: Path) -> None:
    result = run("score", near_miss, "--map", "购买能力指数=purchasing_power", "--json")
    assert result.exit_code == 0, result.stderr
    mappings = json.loads(result.stdout)["mappings"]
    assert mappings[2] == {"header": "购买能力指数", "field": "purchasing_power", "match": "config"}
    assert [r[8] for r in sheet_values(near_miss.with_name("in.tiered.xlsx"))[1:3]] == MEANS


def write_config(path: Path, columns: str) -> Path:
    preset = (Path(__file__).parents[1] / "src/kactier/presets/key-account.toml").read_text(encoding="utf-8")
    path.write_text(f"{preset}\n[columns]\n{columns}\n", encoding="utf-8")
    return path


def test_config_columns_fix_a_near_miss(near_miss: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path / "mine.toml", 'purchasing_power = "购买能力指数"')
    result = run("score", near_miss, "-c", config, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["mappings"][2]["match"] == "config"


def test_map_wins_over_config_columns(near_miss: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path / "mine.toml", 'purchasing_power = "购买能力指数"')
    result = run("validate", near_miss, "-c", config, "--map", "交易频次=purchasing_power", "--json")
    # 交易频次 now feeds purchasing_power, so frequency_score is missing
    assert result.exit_code == ExitCode.DATA
    assert "frequency_score" in result.stderr


def test_a_bad_map_is_a_usage_error(near_miss: Path) -> None:
    assert run("score", near_miss, "--map", "购买能力指数").exit_code == ExitCode.USAGE
    unknown = run("score", near_miss, "--map", "购买能力指数=purchase_power")
    assert unknown.exit_code == ExitCode.USAGE
    assert "did you mean purchasing_power?" in unknown.stderr
    absent = run("score", near_miss, "--map", "购买能力=purchasing_power")
    assert absent.exit_code == ExitCode.USAGE
    assert "--map 指定的表头“购买能力”（purchasing_power）不在此表中" in absent.stderr


def test_a_bad_config_columns_entry_is_a_config_error(near_miss: Path, tmp_path: Path) -> None:
    typo = run(
        "score", near_miss, "-c", write_config(tmp_path / "a.toml", 'purchasing_powr = "购买能力指数"')
    )
    assert typo.exit_code == ExitCode.CONFIG
    assert "'purchasing_powr' is not a kactier field (did you mean purchasing_power?)" in typo.stderr
    absent = run("score", near_miss, "-c", write_config(tmp_path / "b.toml", 'purchasing_power = "购买能力"'))
    assert absent.exit_code == ExitCode.CONFIG
    assert "配置中的 [columns] 指定的表头“购买能力”（purchasing_power）不在此表中" in absent.stderr


def test_explicit_mapping_errors_are_the_usual_classes() -> None:
    raw = raw_sheet(NEAR_MISS, [[*WORKED_EXAMPLE[0], "x"]])
    with pytest.raises(MappingError):
        validate_rows(raw, load_preset("key-account"), columns={"purchasing_power": "没有"})
    config = load_preset("key-account").model_copy(update={"columns": {"purchasing_power": "没有"}})
    with pytest.raises(ConfigError):
        validate_rows(raw, config)


# -- the mapping shown ------------------------------------------------------------------------------------------


def test_the_mapping_is_on_the_terminal_and_the_config_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "in.xlsx", [HEADER_SETS["zh-Hans"], *WORKED_EXAMPLE])
    result = run("score", path)
    assert result.exit_code == 0, result.stderr
    assert "表头对应：\n  客户代码 → 客户编号（customer_id，别名）\n" in result.stdout
    assert "  购买力得分 → 购买力评分（purchasing_power，近似写法）\n" in result.stdout
    rows = sheet_values(tmp_path / "in.tiered.xlsx", "配置")
    start = next(i for i, r in enumerate(rows) if r[0] == "表头对应")
    assert [r[:3] for r in rows[start + 1 : start + 4]] == [
        ["表头", "字段", "匹配方式"],
        ["客户代码", "客户编号", "别名"],
        ["公司名称", "客户名称", "别名"],
    ]
    again = run("score", tmp_path / "in.tiered.xlsx", "-o", tmp_path / "again.xlsx")  # the sheet reads back
    assert again.exit_code == 0, again.stderr


def test_exact_headers_fold_into_one_terminal_line(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "in.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    result = run("score", path)
    assert "表头对应：\n  名称完全一致：" + "、".join(ZH_HEADERS) + "\n" in result.stdout
