"""The company-wide round end to end (SPEC §13; issue 16's acceptance): template → each region fills in its
customers → headquarters grades them together → the review edits overrides → scored again → each owner gets back
only their own customers."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from conftest import run, sheet_values

REGIONS: dict[str, list[tuple[str, str, str, list[int]]]] = {  # region -> (id, name, owner, five scores)
    "华东": [
        ("E01", "东海精工", "张伟", [95, 90, 88, 92, 94]),
        ("E02", "江南纺织", "张伟", [70, 72, 68, 75, 71]),
        ("E03", "沪上物流", "王芳", [86, 84, 88, 85, 87]),
    ],
    "华南": [
        ("S01", "岭南电子", "李娜", [60, 55, 58, 62, 59]),
        ("S02", "珠江建材", "李娜", [88, 86, 90, 84, 85]),
    ],
    "华北": [
        ("N01", "燕山钢铁", "王芳", [78, 80, 76, 79, 81]),
        ("N02", "渤海化工", "赵磊", [92, 89, 91, 90, 93]),
    ],
}
SCORES = ["购买力评分", "交易频次评分", "合作历史评分", "市场影响力评分", "客户忠诚度评分"]


def _fill(path: Path, region: str, customers: list[tuple[str, str, str, list[int]]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for r, (cid, name, owner, scores) in enumerate(customers, start=2):
        values: dict[str, Any] = {"客户编号": cid, "客户名称": name, "所在地区": region, "负责人": owner}
        values.update(zip(SCORES, scores, strict=True))
        for key, value in values.items():
            sheet.cell(r, header.index(key) + 1, value)
    book.save(path)


def _edit_override(path: Path, customer: str, tier: str, reason: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == customer:
            row[header.index("调整级别")].value = tier
            row[header.index("调整原因")].value = reason
    book.save(path)


def _tiers(path: Path) -> dict[str, str]:
    rows = sheet_values(path, 0)
    at = rows[0].index("客户级别")
    return {row[0]: row[at] for row in rows[1:]}


def test_template_fill_grade_together_review_and_hand_back(tmp_path: Path) -> None:
    regions = tmp_path / "regions"
    regions.mkdir()
    for region, customers in REGIONS.items():
        path = regions / f"{region}.xlsx"
        made = run("template", "-o", path, "--preset", "key-account", "--lang", "zh")
        assert made.exit_code == 0, made.stderr
        _fill(path, region, customers)

    graded = tmp_path / "全公司.tiered.xlsx"
    first = run("score", regions, "-o", graded, "--as-of", "2026-11-30", "--json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["config_source"].startswith("sheet")  # the templates' shared rules
    before = _tiers(graded)
    assert before == {"E01": "A", "E02": "B", "E03": "A", "S01": "C", "S02": "A", "N01": "B", "N02": "A"}
    header = sheet_values(graded, 0)[0]
    assert "来源文件" in header

    _edit_override(graded, "E02", "A", "战略客户，评审会上调")
    _edit_override(graded, "S02", "B", "回款风险")
    again = run("score", graded, "-o", tmp_path / "评审后.tiered.xlsx", "--as-of", "2026-11-30", "--json")
    assert again.exit_code == 0, again.stderr
    reviewed = tmp_path / "评审后.tiered.xlsx"
    header = sheet_values(reviewed, 0)[0]
    assert not any(str(h).endswith(")") for h in header)  # kactier's own columns replaced, not piled up
    assert header.count("综合得分") == 1
    assert header.count("来源文件") == 1  # the file each row came from is still there, once
    after = _tiers(reviewed)
    assert after == {**before, "E02": "A", "S02": "B"}
    changes = sheet_values(reviewed, "变动")
    changed = {row[0] for row in changes[1:] if row[0]}
    assert changed == {"E02", "S02"}
    assert any("回款风险" in str(cell) for row in changes for cell in row)

    handback = tmp_path / "handback"
    split = run("split", reviewed, "--by", "负责人", "--out-dir", handback, "--json")
    assert split.exit_code == 0, split.stderr
    written = sorted(handback.glob("*.xlsx"))
    owners = {owner for customers in REGIONS.values() for _, _, owner, _ in customers}
    assert len(written) == len(owners)
    names = {cid: (name, owner) for customers in REGIONS.values() for cid, name, owner, _ in customers}
    for path in written:
        owner = next(o for o in owners if f".{o}." in path.name)
        own = {cid for cid, (_, who) in names.items() if who == owner}
        assert set(_tiers(path)) == own
        assert all(_tiers(path)[cid] == after[cid] for cid in own)  # the company-wide grades handed back
        with zipfile.ZipFile(path) as package:
            text = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
        for cid, (name, who) in names.items():
            if who != owner:
                assert cid not in text, (path.name, cid)
                assert name not in text, (path.name, name)
                assert who not in text, (path.name, who)
