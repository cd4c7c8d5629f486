"""``kactier split``: one workbook per owner, with nothing of another owner in any part of it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import msoffcrypto
import openpyxl
import pytest
from conftest import ZH_HEADERS, run, sheet_values, write_workbook

from kactier.errors import ExitCode
from kactier.pipeline.split_names import file_names, safe_part

HEADERS = [*ZH_HEADERS, "负责人", "调整级别", "调整原因"]
# three owners, each with customers whose ids and names appear nowhere else
ROWS = [
    ["K-ZS-101", "甲丰贸易", 90, 80, 75, 85, 95, "张晓明", None, None],
    ["K-LS-202", "乙辰机电", 80, 75, 80, 90, 80, "李文静", None, None],
    ["K-WW-303", "丙坤物流", 60, 60, 60, 60, 60, "王建国", None, None],
    ["K-ZS-104", "丁睿医疗", 88, 86, 90, 84, 92, "张晓明", None, None],
    ["K-LS-205", "戊岚食品", 70, 72, 71, 69, 75, "李文静", "A", "战略客户"],
    ["K-WW-306", "己铭化工", 50, 40, 55, 45, 52, "王建国", None, None],
]
OWNERS = {
    "张晓明": ("K-ZS-101", "甲丰贸易", "K-ZS-104", "丁睿医疗"),
    "李文静": ("K-LS-202", "乙辰机电", "K-LS-205", "戊岚食品"),
    "王建国": ("K-WW-303", "丙坤物流", "K-WW-306", "己铭化工"),
}


def graded(tmp_path: Path, rows: list[list[Any]] = ROWS) -> Path:
    source = write_workbook(tmp_path / "customers.xlsx", [HEADERS, *rows])
    output = tmp_path / "customers.tiered.xlsx"
    result = run("score", source, "-o", output, "--as-of", "2026-11-30")
    assert result.exit_code == ExitCode.OK, result.output
    return output


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode("utf-8", errors="replace") for name in package.namelist()}


def by_id(path: Path) -> dict[str, dict[str, Any]]:
    rows = sheet_values(path, 0)
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_each_owner_gets_their_rows_and_nothing_of_the_others(tmp_path: Path) -> None:
    workbook = graded(tmp_path)
    out = tmp_path / "handback"

    result = run("split", workbook, "--by", "负责人", "--out-dir", out)

    assert result.exit_code == ExitCode.OK, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"customers.tiered.{owner}.xlsx" for owner in OWNERS)
    everyone = by_id(workbook)
    for owner, mine in OWNERS.items():
        path = out / f"customers.tiered.{owner}.xlsx"
        _names_no_other_owner(path, owner)
        assert any(
            mine[1] in xml for xml in parts(path).values()
        )  # the search would see a name if it were there
        rows = by_id(path)
        assert set(rows) == {mine[0], mine[2]}
        for cid, row in rows.items():  # the company-wide grades, in the same columns
            assert row == everyone[cid]
        assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["客户信息", "汇总", "问题", "配置"]
        summary = {row[0]: row[1] for row in sheet_values(path, "汇总") if row[0]}
        assert summary["输入文件"] == path.name
        assert summary["拆分依据"] == f"负责人 = {owner}"
        assert summary["读取行数"] == 2
    # the override is kept and marked in its owner's file
    assert by_id(out / "customers.tiered.李文静.xlsx")["K-LS-205"]["级别标记"] == "人工调整"


def test_issues_are_the_owners_own_and_numbered_as_their_file_has_them(tmp_path: Path) -> None:
    rows = [*ROWS[:2], [*ROWS[2][:2], 300, *ROWS[2][3:]], *ROWS[3:]]  # 王建国's K-WW-303 has a bad score
    workbook = graded(tmp_path, rows)
    out = tmp_path / "out"

    assert run("split", workbook, "--by", "owner", "--out-dir", out).exit_code == ExitCode.OK

    wang = sheet_values(out / "customers.tiered.王建国.xlsx", "问题")
    assert [(row[0], row[1]) for row in wang[1:]] == [
        (2, "购买力评分")
    ]  # K-WW-303 is the first data row there
    assert sheet_values(out / "customers.tiered.张晓明.xlsx", "问题")[1][0] == "没有发现问题"


def test_hostile_values_give_safe_distinct_names_under_the_folder(tmp_path: Path) -> None:
    long = "长" * 300
    values = ["../x", "CON", long, "a/b", "a\\b", None, "华东 一区", "nul.txt", " .. "]
    rows = [[f"H{i:03d}", f"客户{i}", 80, 80, 80, 80, 80, v, None, None] for i, v in enumerate(values)]
    workbook = graded(tmp_path, rows)
    out = tmp_path / "out"

    result = run("split", workbook, "--by", "负责人", "--out-dir", out, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    listed = json.loads(result.output)["files"]
    paths = [Path(entry["path"]) for entry in listed]
    assert len(paths) == len(set(paths)) == len(values)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    for path in paths:
        assert path.parent == out
        assert len(path.name.encode()) < 200
        assert path.stem.split(".")[2].upper() not in {"CON", "NUL"}
    names = {entry["value"]: Path(entry["path"]).name for entry in listed}
    assert names["../x"] == "customers.tiered._x.xlsx"
    assert names["CON"] == "customers.tiered._CON.xlsx"
    assert names["a/b"] == "customers.tiered.a_b.xlsx"
    assert names["a\\b"] == "customers.tiered.a_b (2).xlsx"
    assert names[""] == "customers.tiered.(空).xlsx"
    assert names["华东 一区"] == "customers.tiered.华东 一区.xlsx"
    assert [entry["rows"] for entry in listed if entry["value"] == ""] == [1]
    assert names[".."] == "customers.tiered._.xlsx"
    assert names["nul.txt"] == "customers.tiered._nul.txt.xlsx"
    assert names[long].endswith(".xlsx")
    assert set(by_id(out / names[long])) == {"H002"}
    assert set(by_id(out / names[""])) == {"H005"}


def test_safe_part_rules() -> None:
    assert safe_part("../x") == "_x"
    assert safe_part("COM1") == "_COM1"
    assert safe_part("con.xlsx") == "_con.xlsx"
    assert safe_part('a:b*c?d"e<f>g|h\x01') == "a_b_c_d_e_f_g_h_"
    assert safe_part("...") == "_"
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    assert safe_part(long_a) != safe_part(long_b)
    assert len(safe_part(long_a).encode()) <= 120
    assert len(safe_part("长" * 300).encode()) <= 120
    assert file_names("s", ["A", "a", "b"]) == {"A": "s.A.xlsx", "a": "s.a (2).xlsx", "b": "s.b.xlsx"}


def decrypted(path: Path, password: str) -> Path:
    target = path.with_suffix(".plain.xlsx")
    with path.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=password)
        buffer = io.BytesIO()
        office.decrypt(buffer)
    target.write_bytes(buffer.getvalue())
    return target


def test_a_password_file_encrypts_each_workbook_with_its_owners_password(tmp_path: Path) -> None:
    workbook = graded(tmp_path)
    passwords = tmp_path / "owners.csv"
    passwords.write_text(
        "负责人,密码\n张晓明,zs-Pass1\n李文静, ls 2\n王建国,王的密码\n", encoding="utf-8-sig"
    )
    out = tmp_path / "out"

    result = run("split", workbook, "--by", "负责人", "--out-dir", out, "--password-file", passwords)

    assert result.exit_code == ExitCode.OK, result.output
    assert "zs-Pass1" not in result.output
    assert "已加密" in result.output
    for owner, password in (("张晓明", "zs-Pass1"), ("李文静", "ls 2"), ("王建国", "王的密码")):
        path = out / f"customers.tiered.{owner}.xlsx"
        assert not zipfile.is_zipfile(path)  # encrypted: an OLE file, not a readable package
        plain = decrypted(path, password)
        assert set(by_id(plain)) == {OWNERS[owner][0], OWNERS[owner][2]}
        plain.unlink()
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            decrypted(path, "wrong")


def test_an_owner_missing_from_the_password_file_writes_nothing(tmp_path: Path) -> None:
    workbook = graded(tmp_path)
    passwords = tmp_path / "owners.csv"
    passwords.write_text("张晓明,zs\n李文静,ls\n", encoding="utf-8")
    out = tmp_path / "out"

    result = run("split", workbook, "--by", "负责人", "--out-dir", out, "--password-file", passwords)

    assert result.exit_code == ExitCode.CONFIG
    assert "王建国" in result.output
    assert "zs" not in result.output.replace("owners", "")
    assert not out.exists() or not list(out.iterdir())


def test_a_workbook_edited_after_grading_is_refused(tmp_path: Path) -> None:
    workbook = graded(tmp_path)
    book = openpyxl.load_workbook(workbook)
    book.worksheets[0]["I2"] = "C"  # an override the review typed in, not scored yet
    book.save(workbook)
    out = tmp_path / "out"

    result = run("split", workbook, "--by", "负责人", "--out-dir", out)

    assert result.exit_code == ExitCode.DATA
    assert "K-ZS-101" in result.output
    assert "kactier score" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_only_a_graded_workbook_can_be_split(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "customers.xlsx", [HEADERS, *ROWS])

    result = run("split", source, "--by", "负责人", "--out-dir", tmp_path / "out")

    assert result.exit_code == ExitCode.DATA
    assert "kactier score" in result.output


def test_an_unknown_column_names_the_headers(tmp_path: Path) -> None:
    result = run("split", graded(tmp_path), "--by", "区域", "--out-dir", tmp_path / "out")

    assert result.exit_code == ExitCode.USAGE
    assert "负责人" in result.output


def test_existing_files_are_replaced_only_with_force(tmp_path: Path) -> None:
    workbook = graded(tmp_path)
    out = tmp_path / "out"
    assert run("split", workbook, "--by", "负责人", "--out-dir", out).exit_code == ExitCode.OK

    again = run("split", workbook, "--by", "负责人", "--out-dir", out)
    forced = run("split", workbook, "--by", "负责人", "--out-dir", out, "--force", "--json")

    assert again.exit_code == ExitCode.CANT_CREATE
    assert forced.exit_code == ExitCode.OK
    listed = json.loads(forced.output)
    assert listed["by"] == "负责人"
    assert listed["as_of"] == "2026-11-30"
    assert [(f["value"], f["rows"], f["encrypted"]) for f in listed["files"]] == [
        ("张晓明", 2, False),
        ("李文静", 2, False),
        ("王建国", 2, False),
    ]


def test_groups_capacity_and_segments_are_handed_back_as_graded_and_name_no_other_owner(
    tmp_path: Path,
) -> None:
    from kactier.config.presets import preset_text

    headers = [*HEADERS[:-2], "所在地区", "距上次购买天数", "交易次数", "年销售额"]
    rows = [
        [*row[:-2], region, recency, orders, sales]
        for row, region, recency, orders, sales in zip(
            ROWS,
            ["华东", "华南", "华东", "华南", "华东", "华南"],
            [10, 200, 40, 5, 90, 300],
            [12, 2, 6, 20, 8, 1],
            [90_000, 8_000, 30_000, 120_000, 50_000, 2_000],
            strict=True,
        )
    ]
    source = write_workbook(tmp_path / "customers.xlsx", [headers, *rows])
    rules = preset_text("rfm-segments").replace(
        'method = "quantile"', 'method = "quantile"\ngroup_by = "所在地区"', 1
    )
    rules += '\n[tiers.capacity]\nper = "负责人"\nmax = { A = 1 }\n'
    config = tmp_path / "rules.toml"
    config.write_text(rules, encoding="utf-8")
    workbook = tmp_path / "customers.tiered.xlsx"
    scored = run("score", source, "-o", workbook, "--config", config, "--as-of", "2026-11-30")
    assert scored.exit_code == ExitCode.OK, scored.output
    everyone = by_id(workbook)
    assert any(row["级别标记"] == "容量调整" for row in everyone.values())  # the cap moved someone
    assert len({row["客户细分"] for row in everyone.values()}) > 2
    out = tmp_path / "handback"
    result = run("split", workbook, "--by", "负责人", "--out-dir", out)
    assert result.exit_code == ExitCode.OK, result.output
    for owner, mine in OWNERS.items():
        path = out / f"customers.tiered.{owner}.xlsx"
        _names_no_other_owner(path, owner)
        handed = by_id(path)
        assert set(handed) == {mine[0], mine[2]}
        for cid, row in handed.items():
            assert row == everyone[cid]  # tiers, capacity marks and segments as graded for the company


def _names_no_other_owner(path: Path, owner: str) -> None:
    """No part of ``owner``'s workbook names another owner or anything only another owner's rows hold."""
    forbidden = [word for other, said in OWNERS.items() if other != owner for word in (other, *said)]
    for name, xml in parts(path).items():
        found = [word for word in forbidden if word in xml]
        assert not found, f"{path.name}/{name} names {found}"
