"""The terminal summary of ``score`` and ``validate``, line for line (rich pads table cells: trailing spaces aside):
Chinese for a Chinese input, problems before notes."""

from __future__ import annotations

from pathlib import Path

from conftest import WORKED_EXAMPLE, ZH_HEADERS, run, write_workbook

from kactier.errors import ExitCode

HEAD = "<dir>/customers.xlsx · 工作表 客户信息 · 表头第 1 行 · 配置 key-account · 权重 手工权重 · 分级 分数线"
MAPPING = """\
表头对应：
  名称完全一致：客户编号、客户名称、购买力评分、交易频次评分、合作历史评分、市场影响力评分、客户忠诚度评分"""
TABLE = """\
客户级别 ┃ 客户数 ┃  占比 ┃ 建议措施
━━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
   A     │      1 │ 50.0% │ 重点维护：专属客户经理，高层定期拜访，优先资源与定 …
   B     │      1 │ 50.0% │ 积极发展：定期回访，挖掘增量需求，推动升级
   C     │      0 │  0.0% │ 标准服务：标准化与线上触达，控制服务成本
采用的权重（手工权重）：购买力评分 0.200、交易频次评分 0.200、合作历史评分 0.200、市场影响力评分 0.200、客户忠诚度评分 0.200
共读取 3 行 · 已评级 2 行 · 未评级 1 行 · 跳过 0 行 · 问题 2 条
需要处理的问题（1 条）：
  购买力评分
    数值超出允许范围 0–100（该行不参与评级）· 第 4 行
      处理：改到允许的范围内后重新运行
说明（1 条）：
  客户名称：缺少客户名称（保留原值）· 第 4 行"""


def lines(text: str, folder: Path) -> list[str]:
    return [line.rstrip() for line in text.replace(str(folder), "<dir>").splitlines()]


def workbook(folder: Path) -> Path:
    # The worked example, and a third customer with no name and a score over 100.
    return write_workbook(
        folder / "customers.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE, ["C003", "", 101, 80, 75, 85, 95]]
    )


def test_score_prints_the_summary_exactly(tmp_path: Path) -> None:
    result = run("score", workbook(tmp_path), "--as-of", "2026-06-30")
    assert result.exit_code == ExitCode.OK, result.output
    expected = [HEAD, *MAPPING.splitlines(), *TABLE.splitlines(), "已写入 <dir>/customers.tiered.xlsx"]
    assert lines(result.stdout, tmp_path) == expected


def test_validate_prints_the_same_summary_without_an_output(tmp_path: Path) -> None:
    result = run("validate", workbook(tmp_path), "--as-of", "2026-06-30")
    assert result.exit_code == ExitCode.DATA, result.output
    assert lines(result.stdout, tmp_path) == [HEAD, *MAPPING.splitlines(), *TABLE.splitlines()]
    assert not (tmp_path / "customers.tiered.xlsx").exists()
