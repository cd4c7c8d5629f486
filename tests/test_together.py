"""Several workbooks graded as one list (SPEC §13; issue 16, item 1): ``kactier score A B C -o all.xlsx``."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import ZH_HEADERS, run, sheet_values, write_workbook

from kactier.config.presets import preset_text
from kactier.errors import ExitCode

SALES = "年销售额"
REGIONS = ("华东", "华南", "华北")
METHODS = ("thresholds", "pareto", "quantile", "computed-abc")


def _customers(seed: int = 7) -> list[list[Any]]:
    """90 customers with five scores and annual sales, some ties, ids unique."""
    pick = random.Random(seed)
    rows = []
    for n in range(90):
        scores = [pick.choice([55, 60, 70, 75, 80, 85, 90, 95]) for _ in range(5)]
        sales = pick.choice([0, 12_000, 50_000, 50_000, 300_000]) + pick.randrange(0, 5) * 1_000
        rows.append([f"K{n:03d}", f"客户{n:03d}", *scores, sales])
    return rows


def _config(tmp_path: Path, method: str) -> Path:
    """The sales-abc preset with its tier method set to ``method`` (thresholds: A ≥ 80, B ≥ 60)."""
    text = preset_text("sales-abc")
    text = text.replace('method = "pareto"', f'method = "{method}"')
    if method != "pareto":
        text = "\n".join(line for line in text.splitlines() if not line.startswith("cuts"))
    if method == "thresholds":
        text = text.replace('label = "A"', 'label = "A"\nmin_score = 80', 1).replace(
            'label = "B"', 'label = "B"\nmin_score = 60', 1
        )
    path = tmp_path / f"{method}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _tiers(path: Path) -> dict[str, tuple[Any, Any]]:
    """Customer id -> (score, tier) of a graded workbook's data sheet."""
    rows = sheet_values(path, 0)
    header = rows[0]
    at = {name: header.index(name) for name in ("客户编号", "综合得分", "客户级别")}
    return {row[at["客户编号"]]: (row[at["综合得分"]], row[at["客户级别"]]) for row in rows[1:] if row[0]}


@pytest.fixture
def regions(tmp_path: Path) -> tuple[list[Path], Path]:
    """Three regional workbooks (30 customers each, worded differently) and one workbook holding them all."""
    rows = _customers()
    headers = [*ZH_HEADERS, SALES]
    variant = [
        "客户代码",
        "客户名称",
        "购买能力",
        "交易频率",
        "合作历史（分）",
        "市场影响力",
        "客户忠诚度",
        "年销售额（元）",
    ]
    files = []
    for index, region in enumerate(REGIONS):
        part = rows[index * 30 : (index + 1) * 30]
        wording = variant if region == "华南" else headers
        files.append(write_workbook(tmp_path / f"{region}.xlsx", [wording, *part], title="2026 大客户评估表"))
    whole = write_workbook(tmp_path / "whole.xlsx", [headers, *rows])
    return files, whole


@pytest.mark.parametrize("method", METHODS)
def test_grading_together_equals_grading_one_workbook(
    regions: tuple[list[Path], Path], tmp_path: Path, method: str
) -> None:
    files, whole = regions
    config = _config(tmp_path, method)
    together = run("score", *files, "-o", tmp_path / "all.xlsx", "--config", config, "--quiet")
    assert together.exit_code == 0, together.stderr
    single = run("score", whole, "-o", tmp_path / "one.xlsx", "--config", config, "--quiet")
    assert single.exit_code == 0, single.stderr
    graded = _tiers(tmp_path / "all.xlsx")
    assert len(graded) == 90
    assert graded == _tiers(tmp_path / "one.xlsx")
    assert len({tier for _, tier in graded.values()}) == 3  # the check means something: every tier is used


def test_the_data_sheet_names_each_rows_file_and_sheet(
    regions: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, _ = regions
    result = run("score", *files, "-o", tmp_path / "all.xlsx", "--preset", "sales-abc", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["inputs"] == [str(p) for p in files]
    assert payload["rows"]["read"] == 90
    rows = sheet_values(tmp_path / "all.xlsx", 0)
    header = rows[0]
    assert header[: len(ZH_HEADERS) + 1] == [*ZH_HEADERS, SALES]  # the first file's wording names each field
    source, sheet = header.index("来源文件"), header.index("来源工作表")
    assert (source, sheet) == (len(ZH_HEADERS) + 1, len(ZH_HEADERS) + 2)  # they close the input columns
    by_id = {row[0]: (row[source], row[sheet]) for row in rows[1:]}
    assert by_id["K000"] == ("华东.xlsx", "客户信息")
    assert by_id["K045"] == ("华南.xlsx", "客户信息")  # read under the variant headers
    assert by_id["K089"] == ("华北.xlsx", "客户信息")
    south = [payload_map for payload_map in payload["mappings"] if payload_map["header"] == "客户代码"]
    assert south == [{"header": "客户代码", "field": "customer_id", "match": "alias"}]


def test_issues_name_their_file_and_an_id_in_two_files_is_a_duplicate(tmp_path: Path) -> None:
    east = write_workbook(
        tmp_path / "east.xlsx",
        [
            [*ZH_HEADERS, "负责人"],
            ["C001", "甲公司", 90, 80, 75, 85, 95, "张三"],
            ["C002", "乙公司", 80, 75, 80, 90, 80, "李四"],
        ],
    )
    south = write_workbook(
        tmp_path / "south.xlsx",
        [
            [*ZH_HEADERS, "备注"],
            ["C101", "丙公司", 60, 70, 65, 80, 50, "新客户"],
            ["C001", "甲公司（华南）", 99, 99, 99, 99, 99, ""],
            [None] * 8,
            [*ZH_HEADERS, "备注"],  # the header again, half-way down
            ["C103", "丁公司", "abc", 70, 65, 80, 50, ""],
        ],
        title="2026 华南区",
    )
    result = run("score", east, south, "-o", tmp_path / "all.xlsx", "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)["issue_list"]
    found = {(i["file"], i["row"], i["code"]) for i in listed}
    assert found == {
        ("south.xlsx", 1, "title_row_skipped"),
        ("south.xlsx", 4, "duplicate_id"),
        ("south.xlsx", 5, "blank_row_skipped"),
        ("south.xlsx", 6, "repeated_header_skipped"),
        ("south.xlsx", 7, "not_a_number"),
    }
    duplicate = next(i for i in listed if i["code"] == "duplicate_id")
    assert duplicate["message"] == "客户编号与east.xlsx 第 2 行重复；仅第一行参与评级"  # both places named
    issues = sheet_values(tmp_path / "all.xlsx", "问题")
    assert issues[0][:3] == ["来源文件", "来源工作表", "行"]
    assert issues[2][:6] == ["south.xlsx", "客户信息", 4, "客户编号", "C001", "duplicate_id"]
    data = sheet_values(tmp_path / "all.xlsx", 0)
    header = data[0]
    owner, note = header.index("负责人"), header.index("备注")
    by_id = {row[0]: row for row in reversed(data[1:])}  # a repeated id: its first row
    assert by_id["C002"][owner] == "李四"
    assert by_id["C002"][note] is None
    assert by_id["C101"][owner] is None
    assert by_id["C101"][note] == "新客户"
    assert by_id["C001"][1] == "甲公司"
    assert by_id["C001"][header.index("客户级别")] == "A"
    terminal = run("validate", east, south)
    assert "客户编号与east.xlsx 第 2 行重复" in terminal.stdout + terminal.stderr
    assert "south.xlsx 第 7 行" in terminal.stdout + terminal.stderr


def _filled(tmp_path: Path, name: str, ids: list[str], *rules: str | Path) -> Path:
    """A key-account template (or one made with ``rules``) filled with ``ids`` (openpyxl, as a person would)."""
    import openpyxl

    path = tmp_path / f"{name}.xlsx"
    made = run("template", "-o", path, "--lang", "zh", *(rules or ("--preset", "key-account")))
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    scores = {
        "购买力评分": 90,
        "交易频次评分": 80,
        "合作历史评分": 70,
        "市场影响力评分": 85,
        "客户忠诚度评分": 75,
    }
    for r, customer in enumerate(ids, start=2):
        for key, value in {"客户编号": customer, "客户名称": f"{customer}公司", **scores}.items():
            sheet.cell(r, header.index(key) + 1, value)
    book.save(path)
    return path


def test_config_sheets_that_disagree_are_an_error_unless_settled(tmp_path: Path) -> None:
    same_a = _filled(tmp_path, "a", ["C1"])
    same_b = _filled(tmp_path, "b", ["C2"])
    agreed = run("score", same_a, same_b, "-o", tmp_path / "agreed.xlsx", "--json")
    assert agreed.exit_code == 0, agreed.stderr
    assert json.loads(agreed.stdout)["config_source"].startswith("sheet")
    stricter = tmp_path / "stricter.toml"  # key-account with A from 90 instead of 85
    stricter.write_text(
        preset_text("key-account").replace("min_score = 85", "min_score = 90"), encoding="utf-8"
    )
    other = _filled(tmp_path, "c", ["C3"], "--config", stricter)
    refused = run("score", same_a, other, "-o", tmp_path / "x.xlsx")
    assert refused.exit_code == ExitCode.CONFIG
    assert "a.xlsx" in refused.stderr
    assert "c.xlsx" in refused.stderr
    assert "--preset" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()
    settled = run("validate", same_a, other, "--preset", "key-account", "--json")
    assert json.loads(settled.stdout)["config_source"] == "preset key-account"
    assert any("differ" in w for w in json.loads(settled.stdout)["warnings"])
    key_account = tmp_path / "key-account.toml"
    key_account.write_text(preset_text("key-account"), encoding="utf-8")
    config = run("validate", same_a, other, "--config", key_account, "--json")
    assert json.loads(config.stdout)["config_source"].startswith("config")


def test_folders_and_globs_are_expanded_and_graded_outputs_in_them_passed_over(
    regions: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, _ = regions
    folder = tmp_path / "regions"
    folder.mkdir()
    for path in files:
        path.rename(folder / path.name)
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    (folder / "~$华东.xlsx").write_bytes(b"lock")
    first = run("score", folder, "--preset", "sales-abc", "--json")
    assert first.exit_code == 0, first.stderr
    default = tmp_path / "regions.tiered.xlsx"  # beside the folder
    assert default.exists()
    assert Path(json.loads(first.stdout)["output"]).resolve() == default.resolve()
    assert json.loads(first.stdout)["rows"]["read"] == 90
    run(
        "score", folder / "华东.xlsx", "--preset", "sales-abc", "--quiet"
    )  # leaves 华东.tiered.xlsx in the folder
    assert (folder / "华东.tiered.xlsx").exists()
    again = run("validate", folder, "--preset", "sales-abc", "--json")
    payload = json.loads(again.stdout)
    assert payload["rows"]["read"] == 90  # the graded output is not read as a fourth region
    assert any("华东.tiered.xlsx" in w for w in payload["warnings"])
    glob = run("validate", str(folder / "华[东南].xlsx"), "--preset", "sales-abc", "--json")
    assert json.loads(glob.stdout)["rows"]["read"] == 60  # 华东 and 华南; 华北 does not match


def test_several_inputs_need_an_output_and_cannot_be_an_order_export(
    regions: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, _ = regions
    no_output = run("score", *files)
    assert no_output.exit_code == ExitCode.USAGE
    assert "-o" in no_output.stderr
    into_input = run("score", *files, "-o", files[1], "--force")
    assert into_input.exit_code == ExitCode.CANT_CREATE
    orders = run("score", *files, "--orders", "-o", tmp_path / "o.xlsx")
    assert orders.exit_code == ExitCode.USAGE
    assert "--orders" in orders.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("score", empty, files[0], "-o", tmp_path / "n.xlsx")
    assert nothing.exit_code == ExitCode.NO_INPUT
    assert "empty" in nothing.stderr


def test_one_file_alone_is_graded_as_before(regions: tuple[list[Path], Path]) -> None:
    files, _ = regions
    result = run("validate", files[0], "--preset", "sales-abc", "--json")
    payload = json.loads(result.stdout)
    assert "inputs" not in payload
    assert payload["header_row"] == 2  # its own sheet's rows, no source columns


def test_an_output_graded_together_combines_again_without_piling_up(
    regions: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, _ = regions
    east_south = tmp_path / "east_south.tiered.xlsx"
    first = run("score", files[0], files[1], "-o", east_south, "--preset", "sales-abc", "--quiet")
    assert first.exit_code == 0, first.stderr
    again = tmp_path / "all.xlsx"
    result = run("score", east_south, files[2], "-o", again, "--preset", "sales-abc", "--quiet")
    assert result.exit_code == 0, result.stderr
    rows = sheet_values(again, 0)
    header = rows[0]
    assert not any(str(h).endswith(")") for h in header)  # kactier's columns written afresh, not " (2)"
    assert header.count("来源文件") == 1
    assert header.count("综合得分") == 1
    source = header.index("来源文件")
    by_id = {row[0]: row[source] for row in rows[1:]}
    assert by_id["K000"] == "华东.xlsx"  # where the row first came from, as the graded output says
    assert by_id["K045"] == "华南.xlsx"
    assert by_id["K089"] == "华北.xlsx"
    tiers = _tiers(again)
    direct = tmp_path / "direct.xlsx"
    run("score", *files, "-o", direct, "--preset", "sales-abc", "--quiet")
    assert tiers == _tiers(direct)
