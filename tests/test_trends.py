"""Early warning (流失预警) and trends across runs: three `kactier batch` runs over the same customers with known changes
between them, and the P(alive) rule on a sheet that carries P(alive).

The customers below change in known ways: K01 and K02 fall twice and stay in A / B (at risk), K07 falls twice in A
(at risk, another owner), K04 falls twice into C (not at risk: only A/B are watched), K03 rises; lifecycle stages
move 意向客户 → 现实客户 (K03), 现实客户 → 流失客户 (K04), 意向客户 → 流失客户 (K06). Every expected number is computed
here from those lists, by plain loops, not read back from kactier.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from conftest import EN_HEADERS, ZH_HEADERS, run, write_workbook
from test_report import table_below

from kactier.errors import ExitCode
from kactier.tiering.at_risk import at_risk

HEADERS = [*ZH_HEADERS, "负责人", "客户状态", "年销售额"]
AS_OF = ["2026-04-30", "2026-05-31", "2026-06-30"]
# id, name, owner, score per run (all five indicators), stage per run, annual sales
CUSTOMERS: list[tuple[str, str, str, list[int], list[str], int]] = [
    ("K01", "甲公司", "张三", [95, 90, 86], ["现实客户"] * 3, 1_000_000),
    ("K02", "乙公司", "张三", [80, 75, 72], ["现实客户"] * 3, 5_000_000),
    ("K03", "丙公司", "李四", [60, 72, 88], ["意向客户", "意向客户", "现实客户"], 2_000_000),
    ("K04", "丁公司", "李四", [90, 85, 60], ["现实客户", "现实客户", "流失客户"], 3_000_000),
    ("K05", "戊公司", "王五", [75, 80, 78], ["目标客户"] * 3, 4_000_000),
    ("K06", "己公司", "王五", [50, 55, 50], ["潜在客户", "意向客户", "流失客户"], 500_000),
    ("K07", "庚公司", "王五", [99, 92, 87], ["现实客户"] * 3, 8_000_000),
]
STAGE_KEYS = {
    "潜在客户": "prospect",
    "目标客户": "target",
    "意向客户": "intent",
    "现实客户": "active",
    "流失客户": "churned",
}
LABELS = ["A", "B", "C"]


def tier_of(score: float) -> str:
    """The key-account preset: A ≥ 85, B ≥ 70, else C."""
    return "A" if score >= 85 else "B" if score >= 70 else "C"


def period(path: Path, n: int, english: bool = False) -> Path:
    """The customer sheet of period ``n`` (0, 1, 2)."""
    header = HEADERS if not english else EN_HEADERS_ALL
    rows = [[c[0], c[1], *[c[3][n]] * 5, c[2], c[4][n], c[5]] for c in CUSTOMERS]
    return write_workbook(path, [header, *rows])


EN_HEADERS_ALL = [*EN_HEADERS, "Sales Owner", "Lifecycle Stage", "Annual Sales"]


def three_batches(tmp_path: Path, name: str = "客户.xlsx", english: bool = False) -> tuple[Path, Path]:
    incoming, out = tmp_path / "incoming", tmp_path / "graded"
    incoming.mkdir()
    out.mkdir()
    for n in range(3):
        period(incoming / name, n, english)
        result = run("batch", incoming, "--out-dir", out, "--force", "--as-of", AS_OF[n], "--quiet")
        assert result.exit_code == ExitCode.OK, result.output
    return out / name.replace(".xlsx", ".tiered.xlsx"), out / "kactier-history.sqlite"


@pytest.fixture
def graded(tmp_path: Path) -> tuple[Path, Path]:
    return three_batches(tmp_path)


def load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing openpyxl would drop
        return openpyxl.load_workbook(path)


def rows_of(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# -- the trend section and chart ------------------------------------------------------------------------------------


def expected_trend() -> list[list[Any]]:
    out = []
    for n in range(3):
        scores = {label: [c[3][n] for c in CUSTOMERS if tier_of(c[3][n]) == label] for label in LABELS}
        counts = [len(scores[label]) for label in LABELS]
        means = [sum(s) / len(s) if s else None for s in scores.values()]
        out.append([f"#{n + 1}" if n < 2 else "本次", AS_OF[n], *counts, sum(counts), *means])
    return out


def test_summary_trend_section_has_tier_counts_and_mean_scores_per_run(graded: tuple[Path, Path]) -> None:
    rows = rows_of(load(graded[0])["汇总"])
    block = table_below(rows, "各次评级趋势")
    assert block[0][:9] == ["评级", "评级基准日", "A", "B", "C", "合计", "A 平均分", "B 平均分", "C 平均分"]
    got = [r[:9] for r in block[1:]]
    want = expected_trend()
    assert [r[:6] for r in got] == [r[:6] for r in want]
    for got_row, want_row in zip(got, want, strict=True):
        assert got_row[6:] == [pytest.approx(m) if m is not None else None for m in want_row[6:]]
    assert want[1][2:5] == [3, 3, 1]  # the runs do differ: K03 into B, K01/K07 stay A, K04 still A, K06 C


def test_trend_chart_is_a_native_line_chart_of_the_tier_counts(graded: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(graded[0]) as package:
        charts = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/charts/chart")]
    lines = [c for c in charts if "<c:lineChart>" in c]
    assert len(lines) == 1
    chart = lines[0]
    assert chart.count("<c:ser>") == 3  # one line per tier
    rows = rows_of(load(graded[0])["汇总"])
    header = (
        next(i for i, r in enumerate(rows) if r[0] == "评级") + 1
    )  # Excel row of the trend table's header
    assert f"汇总!$C${header + 1}:$C${header + 3}" in chart  # A's counts, three runs
    assert f"汇总!$A${header + 1}:$A${header + 3}" in chart  # the runs as categories
    assert f"汇总!$C${header}" in chart  # the series named by the tier's header cell
    assert "各级客户数趋势" in chart


# -- conversion -----------------------------------------------------------------------------------------------------


def expected_conversion() -> dict[str, list[int]]:
    """Owner -> [open before, converted, known before, churned], from run 2 to run 3, and "合计"."""
    out: dict[str, list[int]] = {}
    for _cid, _name, owner, _scores, stages, _sales in CUSTOMERS:
        before, now = STAGE_KEYS[stages[1]], STAGE_KEYS[stages[2]]
        for key in (owner, "合计"):
            tally = out.setdefault(key, [0, 0, 0, 0])
            if before in ("prospect", "target", "intent"):
                tally[0] += 1
                tally[1] += now == "active"
            if before != "churned":
                tally[2] += 1
                tally[3] += now == "churned"
    return out


def test_conversion_since_the_previous_run_overall_and_per_owner(graded: tuple[Path, Path]) -> None:
    rows = rows_of(load(graded[0])["汇总"])
    block = table_below(rows, "销售转化率")
    assert block[0][:7] == [
        "负责人",
        "上次为潜在/目标/意向客户",
        "转为现实客户",
        "转化率",
        "上次未流失",
        "转为流失客户",
        "流失率",
    ]
    want = expected_conversion()
    assert [r[0] for r in block[1:]] == [*sorted(k for k in want if k != "合计"), "合计"]
    for row in block[1:]:
        open_before, converted, known, churned = want[row[0]]
        assert row[1:7] == [
            open_before,
            converted,
            pytest.approx(converted / open_before) if open_before else None,
            known,
            churned,
            pytest.approx(churned / known) if known else None,
        ]
    assert want["合计"] == [3, 1, 7, 2]  # K03 converted; K04 and K06 churned


# -- the customer's trajectory --------------------------------------------------------------------------------------


def test_changes_sheet_carries_each_changed_customers_score_per_run(graded: tuple[Path, Path]) -> None:
    rows = rows_of(load(graded[0])["变动"])
    header = rows[0]
    first = header.index("得分走势")
    assert header[first + 1 :] == ["#1 · 2026-04-30", "#2 · 2026-05-31", "本次 · 2026-06-30"]
    by_id = {r[0]: r for r in rows[1:]}
    changed = {c[0] for c in CUSTOMERS if tier_of(c[3][1]) != tier_of(c[3][2])}
    assert set(by_id) == changed == {"K03", "K04"}
    for cid in changed:
        scores = next(c[3] for c in CUSTOMERS if c[0] == cid)
        assert by_id[cid][first + 1 :] == scores
    for cid in changed:  # each score as one of eight bars between the customer's lowest and highest
        scores = next(c[3] for c in CUSTOMERS if c[0] == cid)
        low, high = min(scores), max(scores)
        assert by_id[cid][first] == "".join("▁▂▃▄▅▆▇█"[round((s - low) / (high - low) * 7)] for s in scores)
    assert by_id["K03"][first] == "▁▄█"  # 60, 72, 88: 72 is 3/7 of the way up


def test_history_of_a_customer_prints_its_score_trajectory(graded: tuple[Path, Path]) -> None:
    result = run("history", "K01", "--history", graded[1], "--lang", "zh")
    assert result.exit_code == ExitCode.OK, result.output
    assert "得分走势：95 → 90 → 86  █▄▁" in result.stdout
    english = run("history", "K01", "--history", graded[1], "--lang", "en")
    assert "Score trajectory: 95 → 90 → 86  █▄▁" in english.stdout
    payload = json.loads(run("history", "K01", "--history", graded[1], "--json").stdout)
    assert [r["score"] for r in payload["runs"]] == [95, 90, 86]


def trend_lines(output: str) -> list[list[str]]:
    """The data rows of the terminal table: cells split on the column rule."""
    return [[cell.strip() for cell in line.split("│")] for line in output.splitlines() if "│" in line]


def test_history_trend_prints_the_tier_counts_and_means_per_run(graded: tuple[Path, Path]) -> None:
    want = expected_trend()
    for lang, mean_header in (("zh", "A 均分"), ("en", "A mean")):
        result = run("history", "--trend", "--history", graded[1], "--lang", lang)
        assert result.exit_code == ExitCode.OK, result.output
        assert mean_header in result.stdout
        assert ("客户.xlsx · 级别 A/B/C" if lang == "zh" else "客户.xlsx · tiers A/B/C") in result.stdout
        lines = trend_lines(result.stdout)
        assert [line[:6] for line in lines] == [[str(n + 1), *map(str, w[1:6])] for n, w in enumerate(want)]
        assert [line[6:] for line in lines] == [[f"{m:.2f}" for m in w[6:]] for w in want]
    payload = json.loads(run("history", "--trend", "--history", graded[1], "--json").stdout)
    (only,) = payload["inputs"]
    assert only["input"] == "客户.xlsx"
    assert [r["counts"] for r in only["runs"]] == [dict(zip(LABELS, w[2:5], strict=True)) for w in want]
    assert [r["mean_score"]["B"] for r in only["runs"]] == [pytest.approx(w[7]) for w in want]


def test_history_without_a_customer_or_trend_is_a_usage_error(
    graded: tuple[Path, Path], tmp_path: Path
) -> None:
    result = run("history", "--history", graded[1], "--lang", "en")
    assert result.exit_code == ExitCode.USAGE
    assert "Give a customer id (kactier history C001), or --trend" in result.output
    missing = run("history", "--trend", "--history", tmp_path / "absent.sqlite")
    assert missing.exit_code == ExitCode.NO_INPUT


# -- early warning --------------------------------------------------------------------------------------------------


def expected_at_risk() -> list[tuple[str, str, float]]:
    """(owner, id, annual sales) of the A/B customers whose score fell in each of the last two runs, by owner
    (largest total first), then annual sales."""
    found = [
        (c[2], c[0], float(c[5]))
        for c in CUSTOMERS
        if c[3][0] > c[3][1] > c[3][2] and tier_of(c[3][2]) in ("A", "B")
    ]
    totals: dict[str, float] = {}
    for owner, _, value in found:
        totals[owner] = totals.get(owner, 0.0) + value
    return sorted(found, key=lambda f: (-totals[f[0]], f[0], -f[2], f[1]))


def test_at_risk_column_marks_the_customers_whose_score_fell_twice(graded: tuple[Path, Path]) -> None:
    rows = rows_of(load(graded[0]).worksheets[0])
    header = rows[0]
    assert header[-1] == "预警"
    by_id = {r[0]: r[-1] for r in rows[1:]}
    flagged = {cid for _, cid, _ in expected_at_risk()}
    assert flagged == {"K01", "K02", "K07"}  # K04 fell twice too, but into C
    assert {cid for cid, mark in by_id.items() if mark} == flagged
    assert by_id["K01"] == "得分连续两次下降：95.00 → 90.00 → 86.00"


def test_summary_lists_the_customers_at_risk_by_owner_and_value(graded: tuple[Path, Path]) -> None:
    rows = rows_of(load(graded[0])["汇总"])
    block = table_below(rows, "流失预警")
    assert block[0][:6] == ["负责人", "客户编号", "客户名称", "客户级别", "风险价值（年销售额）", "预警原因"]
    assert [(r[0], r[1], r[4]) for r in block[1:]] == expected_at_risk()
    assert [r[1] for r in block[1:]] == ["K07", "K02", "K01"]  # 王五 8M before 张三 6M; 张三's 5M before 1M
    assert block[1][3] == "A"
    assert block[2][5] == "得分连续两次下降：80.00 → 75.00 → 72.00"


def test_english_workbook_gets_english_sections(tmp_path: Path) -> None:
    output, _ = three_batches(tmp_path, "customers.xlsx", english=True)
    book = load(output)
    assert book.worksheets[0]["A1"].value == "Customer ID"
    rows = rows_of(book["Summary"])
    assert table_below(rows, "Trend across runs")[0][:3] == ["Run", "As of", "A"]
    assert table_below(rows, "Trend across runs")[3][0] == "This run"
    assert table_below(rows, "Sales conversion since the previous run")[-1][:3] == ["Total", 3, 1]
    at_risk_block = table_below(rows, "At risk")
    assert at_risk_block[0][4] == "Value at risk (Annual Sales)"
    assert at_risk_block[1][5] == "score fell in each of the last two runs: 99.00 → 92.00 → 87.00"
    assert rows_of(book.worksheets[0])[0][-1] == "At risk"
    changes = rows_of(book["Changes"])
    assert changes[0][-4:] == ["Score trend", "#1 · 2026-04-30", "#2 · 2026-05-31", "This run · 2026-06-30"]


def p_alive_sheet(path: Path, with_clv: bool) -> Path:
    """One period with P(alive) (活跃概率) and, optionally, predicted CLV (预测价值)."""
    header = [*ZH_HEADERS, "负责人", "年销售额", "活跃概率", *(["预测价值"] if with_clv else [])]
    rows: list[list[Any]] = [
        [
            "P1",
            "一号",
            90,
            90,
            90,
            90,
            90,
            "赵六",
            100,
            0.2,
            *([900] if with_clv else []),
        ],  # A, low → at risk
        [
            "P2",
            "二号",
            75,
            75,
            75,
            75,
            75,
            "赵六",
            300,
            0.49,
            *([100] if with_clv else []),
        ],  # B, low → at risk
        [
            "P3",
            "三号",
            88,
            88,
            88,
            88,
            88,
            "钱七",
            200,
            0.5,
            *([500] if with_clv else []),
        ],  # at the threshold: no
        ["P4", "四号", 50, 50, 50, 50, 50, "钱七", 900, 0.1, *([50] if with_clv else [])],  # C: not watched
        [
            "P5",
            "五号",
            86,
            86,
            86,
            86,
            86,
            "钱七",
            50,
            None,
            *([10] if with_clv else []),
        ],  # blank: no warning
    ]
    return write_workbook(path, [header, *rows])


@pytest.mark.parametrize(
    ("with_clv", "value_header", "order"),
    [(True, "预测价值", ["P1", "P2"]), (False, "年销售额", ["P2", "P1"])],
)
def test_p_alive_below_the_threshold_marks_a_and_b_customers(
    tmp_path: Path, with_clv: bool, value_header: str, order: list[str]
) -> None:
    source = p_alive_sheet(tmp_path / "客户.xlsx", with_clv)
    result = run("score", source, "--as-of", "2026-06-30", "--quiet")
    assert result.exit_code == ExitCode.OK, result.output
    book = load(tmp_path / "客户.tiered.xlsx")
    rows = rows_of(book.worksheets[0])
    assert rows[0][-1] == "预警"
    marks = {r[0]: r[-1] for r in rows[1:]}
    assert marks == {
        "P1": "活跃概率 0.20 低于 0.50",
        "P2": "活跃概率 0.49 低于 0.50",
        "P3": None,
        "P4": None,
        "P5": None,
    }
    block = table_below(rows_of(book["汇总"]), "流失预警")
    assert block[0][4] == f"风险价值（{value_header}）"
    assert [r[1] for r in block[1:]] == order  # one owner: by value at risk, the largest first


def test_the_at_risk_rule_on_arrays() -> None:
    tier = np.array([0, 1, 2, 0, -1, 1, 0])
    p_alive = np.array([0.1, 0.6, 0.1, np.nan, 0.1, 0.7, 0.9])
    recent = np.array(
        [
            [90, 80, 70],  # falls twice too: both reasons
            [90, 80, 70],  # falls twice
            [90, 80, 70],  # C: never
            [np.nan, 80, 70],  # one fall only (not graded two runs ago)
            [90, 80, 70],  # not graded now
            [80, 80, 70],  # an equal score is not a fall
            [70, 80, 90],
        ]
    )
    warning = at_risk(tier, p_alive, recent)
    assert warning.low_p_alive.tolist() == [True, False, False, False, False, False, False]
    assert warning.falling.tolist() == [True, True, False, False, False, False, False]
    assert warning.flagged.tolist() == [True, True, False, False, False, False, False]
    assert at_risk(tier, p_alive, None, threshold=0.65).low_p_alive.tolist() == [True, True] + [False] * 5


def test_a_graded_workbook_scored_again_keeps_one_at_risk_column(
    graded: tuple[Path, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again.xlsx"
    result = run("score", graded[0], "-o", again, "--as-of", AS_OF[2], "--quiet")
    assert result.exit_code == ExitCode.OK, result.output
    header = rows_of(load(again).worksheets[0])[0]
    assert "预警" not in header  # recognised as kactier's own and dropped; no history and no P(alive) now


# -- the history database -------------------------------------------------------------------------------------------


def test_stages_are_recorded_and_an_older_database_gains_the_column(tmp_path: Path) -> None:
    incoming, out = tmp_path / "in", tmp_path / "out"
    incoming.mkdir()
    out.mkdir()
    database = out / "kactier-history.sqlite"
    old = sqlite3.connect(database)  # a version-1 database: grades without a stage
    old.executescript(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, run_at TEXT NOT NULL, input_name TEXT NOT NULL, "
        "input_sha256 TEXT NOT NULL, input_modified TEXT, config_name TEXT NOT NULL, config_sha256 TEXT NOT NULL, "
        "tier_labels TEXT NOT NULL, as_of TEXT NOT NULL, tool_version TEXT NOT NULL);"
        "CREATE TABLE grades (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, "
        "customer_id TEXT NOT NULL, customer_name TEXT, score REAL, tier TEXT, PRIMARY KEY (run_id, customer_id)) "
        "WITHOUT ROWID; PRAGMA user_version = 1;"
    )
    old.close()
    period(incoming / "客户.xlsx", 0)
    assert run("batch", incoming, "--out-dir", out, "--as-of", AS_OF[0], "--quiet").exit_code == ExitCode.OK
    period(incoming / "客户.xlsx", 1)
    assert run("batch", incoming, "--out-dir", out, "--as-of", AS_OF[1], "--force", "--quiet").exit_code == 0
    db = sqlite3.connect(database)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        stages = dict(db.execute("SELECT customer_id, stage FROM grades WHERE run_id = 2").fetchall())
    finally:
        db.close()
    assert stages == {c[0]: STAGE_KEYS[c[4][1]] for c in CUSTOMERS}
    rows = rows_of(load(out / "客户.tiered.xlsx")["汇总"])
    assert table_below(rows, "销售转化率")[-1][:3] == ["合计", 3, 0]  # K03, K05, K06 open; none active


def test_the_p_alive_threshold_comes_from_the_config(tmp_path: Path) -> None:
    from kactier.config.presets import preset_text

    source = p_alive_sheet(tmp_path / "客户.xlsx", False)
    config = tmp_path / "lower.toml"
    config.write_text(preset_text("key-account") + "\n[prediction]\nat_risk_below = 0.3\n", encoding="utf-8")
    result = run("score", source, "--as-of", "2026-06-30", "--config", config, "--quiet")
    assert result.exit_code == ExitCode.OK, result.output
    rows = rows_of(load(tmp_path / "客户.tiered.xlsx").worksheets[0])
    marks = {r[0]: r[-1] for r in rows[1:]}
    assert marks["P1"] == "活跃概率 0.20 低于 0.30"
    assert marks["P2"] is None  # 0.49: at risk under the default 0.5, not under 0.3
