"""Customer segments (``[segments]``, SPEC §14): the eight RFM segments and the two-dimension matrix.

The RFM segments are checked against a plain computation written here (exact means with ``Fraction``, each
customer's (R, F, M) looked up in the table of the classic model) on generated order lines whose R, F and M put
several customers exactly at the mean; the matrix against hand-built cases.
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import ZH_HEADERS, run, write_workbook

import kactier
from kactier.config.files import parse_config
from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.config.segment_models import RFM_COLORS, RFM_SEGMENTS, segment_levels
from kactier.errors import ConfigError
from kactier.problems import IssueCode
from kactier.tiering.segments import rfm_index

AS_OF = dt.date(2026, 10, 31)
KEY_SCORES = ("购买力评分", "交易频次评分", "合作历史评分", "市场影响力评分", "客户忠诚度评分")
# The classic model (R, F, M high?) -> segment, as the issue states it; R is high when recent.
CLASSIC = {
    (True, True, True): "重要价值客户",
    (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户",
    (False, False, False): "一般挽留客户",
}
ENGLISH = {
    "重要价值客户": "Important value",
    "重要发展客户": "Important development",
    "重要保持客户": "Important retention",
    "重要挽留客户": "Important win-back",
    "一般价值客户": "General value",
    "一般发展客户": "General development",
    "一般保持客户": "General retention",
    "一般挽留客户": "General win-back",
}


def around(rng: random.Random, centre: int, n: int, spread: int, at_centre: int) -> list[int]:
    """``n`` whole numbers whose mean is exactly ``centre``: ``at_centre`` of them equal to it, the rest in pairs
    centre ± d."""
    values = [centre] * at_centre
    while len(values) < n:
        d = rng.randint(1, spread)
        values += [centre - d, centre + d]
    rng.shuffle(values)
    return values[:n]


def generated_orders(seed: int, n: int = 40) -> tuple[list[list[Any]], dict[str, tuple[int, int, int]]]:
    """Order lines of ``n`` customers and each customer's (R days, F orders, M yuan) as generated, every one of R,
    F and M with mean exactly on a whole number that several customers share."""
    rng = random.Random(seed)
    recency = around(rng, 60, n, 50, at_centre=6)
    frequency = around(rng, 5, n, 4, at_centre=6)
    monetary = around(rng, 20_000, n, 15_000, at_centre=6)
    lines: list[list[Any]] = []
    truth = {}
    for i in range(n):
        cid = f"KH{i:03d}"
        r, f, m = recency[i], frequency[i], monetary[i]
        truth[cid] = (r, f, m)
        amounts = [m // f] * f
        amounts[0] += m - sum(amounts)  # whole yuan that add up to m
        last = AS_OF - dt.timedelta(days=r)
        for k, amount in enumerate(amounts):
            day = last - dt.timedelta(days=k * rng.randint(1, 20))
            lines.append([f"SO{i:03d}{k:02d}", cid, f"客户{i}", day, float(amount)])
    rng.shuffle(lines)
    return lines, truth


def classic_segments(truth: dict[str, tuple[int, int, int]], split: str) -> dict[str, str]:
    """The oracle: each customer's segment from exact means (or medians) and the classic table."""
    columns = list(zip(*truth.values(), strict=True))
    if split == "mean":
        centres = [Fraction(sum(c), len(c)) for c in columns]
    else:
        centres = [Fraction(int(np.median(c) * 2), 2) for c in columns]
    out = {}
    for cid, (r, f, m) in truth.items():
        out[cid] = CLASSIC[(r <= centres[0], f >= centres[1], m >= centres[2])]
    return out


def data_sheet(path: Path) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rfm_segments_from_order_lines_match_the_classic_model_with_ties_at_the_mean(
    tmp_path: Path, seed: int
) -> None:
    lines, truth = generated_orders(seed)
    source = tmp_path / "orders.xlsx"
    write_workbook(source, [["订单号", "客户编号", "客户名称", "订单日期", "订单金额"], *lines])
    result = run(
        "score",
        source,
        "--orders",
        "--preset",
        "rfm-segments",
        "--as-of",
        "2026-10-31",
        "-o",
        tmp_path / "out.xlsx",
    )
    assert result.exit_code == 0, result.output
    rows = data_sheet(tmp_path / "out.xlsx")
    expected = classic_segments(truth, "mean")
    ties = [cid for cid, (r, f, m) in truth.items() if r == 60 or f == 5 or m == 20_000]
    assert len(ties) >= 6  # customers exactly at a mean, which must count as high
    seen = {row["客户编号"]: row["客户细分"] for row in rows}
    assert seen == expected
    assert len(set(seen.values())) == 8  # every segment occurs, so every line of the table is checked
    for row in rows:  # the sheet's own R / F / M are the generated ones
        assert (row["距上次购买天数"], row["交易次数"], row["年销售额"]) == truth[row["客户编号"]]


def test_rfm_split_at_the_median_and_in_english(tmp_path: Path) -> None:
    lines, truth = generated_orders(7, n=41)
    source = tmp_path / "orders.xlsx"
    write_workbook(
        source, [["Order ID", "Customer ID", "Customer Name", "Order Date", "Order Amount"], *lines]
    )
    config = tmp_path / "median.toml"
    text = (Path(kactier.__file__).parent / "presets" / "rfm-segments.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('split = "mean"', 'split = "median"'), encoding="utf-8")
    result = run(
        "score", source, "--orders", "--config", config, "--as-of", "2026-10-31", "-o", tmp_path / "o.xlsx"
    )
    assert result.exit_code == 0, result.output
    rows = data_sheet(tmp_path / "o.xlsx")
    expected = {cid: ENGLISH[s] for cid, s in classic_segments(truth, "median").items()}
    assert {row["Customer ID"]: row["Segment"] for row in rows} == expected


def test_rfm_index_ties_at_the_mean_are_high_even_one_rounding_step_off() -> None:
    # 0.1 three times: the floating mean is 0.10000000000000002 or so; 0.1 is still at the mean
    index, _splits = rfm_index(
        np.array([0.1, 0.1, 0.1]), np.array([0.1, 0.1, 0.1]), np.array([0.1, 0.1, 0.1])
    )
    assert index.tolist() == [0, 0, 0]
    index, _ = rfm_index(np.array([1.0, 3.0, np.nan]), np.array([2.0, 2.0, 9.0]), np.array([5.0, 1.0, 1.0]))
    # means over the two complete customers: R 2, F 2, M 3 -> (H, H, H) and (L, H, L); the third has no R
    assert index.tolist() == [0, 6, -1]


def test_a_graded_customer_missing_f_gets_no_segment_and_an_issue() -> None:
    # key-account tiers (the five scores), RFM segments on columns that are not criteria
    frame = pd.DataFrame(
        {
            "客户编号": ["C1", "C2", "C3", "C4"],
            "客户名称": ["甲", "乙", "丙", "丁"],
            **{h: [90, 80, 70, 60] for h in KEY_SCORES},
            "距上次购买天数": [10, 20, 30, 40],
            "交易次数": pd.Series([5, 1, 3, None], dtype=object),
            "年销售额": [100, 50, 300, 10],
        }
    )
    graded, issues = kactier.grade(frame, config=matrix_config({"method": "rfm"}))
    assert graded["客户级别"].tolist() == ["A", "B", "B", "C"]
    assert pd.isna(graded["客户细分"].tolist()[3])
    assert graded["细分建议"].tolist()[3] == "未细分：原因见问题表"
    missing = [i for i in issues if i.code is IssueCode.SEGMENT_MISSING]
    assert [i.row for i in missing] == [5]
    assert "交易次数" in missing[0].message("zh")
    # the means are over the three segmented customers: R 20, F 3, M 150
    assert graded["客户细分"].tolist()[:3] == ["一般价值客户", "一般发展客户", "重要保持客户"]


# -- the matrix ----------------------------------------------------------------------------------------------------

MATRIX: dict[str, Any] = {
    "method": "matrix",
    "rows": {
        "name": {"zh": "价值", "en": "Value"},
        "method": "pareto",
        "value": "annual_sales",
        "cuts": [0.6, 0.9],
    },
    "columns": {"name": "忠诚度", "method": "thresholds", "value": "loyalty_score", "minimums": [80, 60]},
    "cells": [
        {"key": "A1", "label": "核心", "color": "#00B050", "action": "专人维护"},
        {"key": "c3", "label": {"zh": "观察", "en": "Watch"}},
    ],
}


def matrix_config(segments: dict[str, Any]) -> Config:
    base = load_preset("key-account").model_dump(exclude_none=True)
    base["segments"] = segments
    return Config.model_validate(base)


def test_matrix_cells_from_pareto_value_and_loyalty_thresholds_by_hand() -> None:
    # sales 500/300/100/60/40 of 1000: A = 500 + 300 reaches 60%? 500 alone is 50%, with 300 it is 80% -> A = first
    # two; B until 90%: 100 makes 90% -> B; the rest C. Loyalty: >= 80 -> 1, >= 60 -> 2, else 3 (80 and 60 on
    # the boundary go up).
    frame = pd.DataFrame(
        {
            "客户编号": ["K1", "K2", "K3", "K4", "K5"],
            "客户名称": list("甲乙丙丁戊"),
            "购买力评分": [90, 80, 70, 60, 50],
            "交易频次评分": [90, 80, 70, 60, 50],
            "合作历史评分": [90, 80, 70, 60, 50],
            "市场影响力评分": [90, 80, 70, 60, 50],
            "客户忠诚度评分": [80, 59.9, 60, 95, 10],
            "年销售额": [500, 300, 100, 60, 40],
        }
    )
    graded, _ = kactier.grade(frame, config=matrix_config(MATRIX))
    assert graded["客户细分"].tolist() == ["核心", "A3", "B2", "C1", "观察"]
    assert graded["细分建议"].tolist() == ["专人维护", "", "", "", ""]
    english, _ = kactier.grade(
        frame.rename(columns={"客户编号": "Customer ID"}), config=matrix_config(MATRIX), lang="en"
    )
    assert english["Segment"].tolist()[4] == "Watch"


def test_matrix_dimension_on_criteria_points_with_quantile_and_custom_labels() -> None:
    segments = {
        "method": "matrix",
        "rows": {
            "method": "quantile",
            "criteria": ["purchasing_power", "frequency_score"],
            "shares": [0.5],
            "labels": ["高", "低"],
        },
        "columns": {
            "method": "thresholds",
            "value": "loyalty_score",
            "minimums": [50],
            "labels": ["忠", "散"],
        },
    }
    frame = pd.DataFrame(
        {
            "客户编号": ["K1", "K2", "K3", "K4"],
            "客户名称": list("甲乙丙丁"),
            "购买力评分": [100, 0, 60, 20],
            "交易频次评分": [0, 100, 60, 20],  # equal weights: means 50, 50, 60, 20
            "合作历史评分": [50, 50, 50, 50],
            "市场影响力评分": [50, 50, 50, 50],
            "客户忠诚度评分": [50, 49, 90, 100],
        }
    )
    graded, _ = kactier.grade(frame, config=matrix_config(segments))
    # top half by mean points: K3 (60) then K1 / K2 tied at 50 -> ties are never split, all three 高
    assert graded["客户细分"].tolist() == ["高忠", "高散", "高忠", "低忠"]


def test_matrix_default_colours_run_from_green_to_grey() -> None:

    levels = segment_levels(matrix_config(MATRIX).segments)  # type: ignore[arg-type]
    assert [lv.key for lv in levels] == ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3"]
    assert levels[0].color == "#00B050"  # its own colour
    assert levels[1].color != levels[8].color
    assert levels[8].color == "#EDEDED"
    assert levels[4].color == "#FFEB9C"  # the middle cell


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"columns": None}, "needs [segments.rows] and [segments.columns]"),
        ({"method": "rfm", "rows": MATRIX["rows"]}, "belong to method = 'matrix'"),
        ({"cells": [{"key": "Z9"}]}, "Z9"),
        ({"cells": [{"key": "A1"}, {"key": "a1"}]}, "twice"),
        ({"rows": {**MATRIX["rows"], "criteria": ["loyalty_score"]}}, "not both"),
        ({"columns": {"method": "thresholds", "value": "loyalty_score"}}, "needs minimums"),
        ({"columns": {"method": "thresholds", "value": "loyalty_score", "minimums": [60, 80]}}, "decrease"),
        ({"rows": {"method": "pareto", "value": "annual_sales", "shares": [0.2]}}, "shares does not belong"),
        ({"rows": {"method": "quantile", "criteria": ["gross_profit"]}}, "not a criterion"),
        ({"cells": [{"key": "A1", "color": "green"}]}, "#RRGGBB"),
    ],
)
def test_segment_config_errors_name_the_key_with_exit_78(
    tmp_path: Path, change: dict[str, Any], words: str
) -> None:
    import tomli_w

    segments = {k: v for k, v in {**MATRIX, **change}.items() if v is not None}
    base = load_preset("key-account").model_dump(mode="json", exclude_none=True)
    base["segments"] = segments
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(base), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        parse_config(path.read_text(encoding="utf-8"), str(path))
    message = str(caught.value)
    assert words in message
    assert "segments" in message
    source = tmp_path / "in.xlsx"
    write_workbook(source, [["客户编号", "客户名称"], ["K1", "甲"]])
    result = run("score", source, "--config", path)
    assert result.exit_code == 78
    assert words in result.output


def test_a_segment_field_the_sheet_lacks_is_a_config_error(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    write_workbook(
        source,
        [
            ZH_HEADERS,
            ["K1", "甲", 90, 90, 90, 90, 90],
        ],
    )
    path = tmp_path / "m.toml"
    import tomli_w

    base = load_preset("key-account").model_dump(mode="json", exclude_none=True)
    base["segments"] = MATRIX
    path.write_text(tomli_w.dumps(base), encoding="utf-8")
    result = run("score", source, "--config", path)
    assert result.exit_code == 78
    assert "年销售额" in result.output
    assert "[segments]" in result.output


def test_the_segment_column_is_filled_in_the_segment_colour_and_rescoring_replaces_it(tmp_path: Path) -> None:
    lines, _truth = generated_orders(5)
    source = tmp_path / "orders.xlsx"
    write_workbook(source, [["订单号", "客户编号", "客户名称", "订单日期", "订单金额"], *lines])
    out = tmp_path / "out.xlsx"
    assert (
        run(
            "score", source, "--orders", "--preset", "rfm-segments", "--as-of", "2026-10-31", "-o", out
        ).exit_code
        == 0
    )
    sheet = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = headers.index("客户细分")
    assert headers[column + 1] == "细分建议"
    names = [f"segment.{k}" for k in RFM_SEGMENTS]
    from kactier.i18n import text

    colour = {text(n, "zh"): c for n, c in zip(names, RFM_COLORS, strict=True)}
    for row in sheet.iter_rows(min_row=2):
        label = row[column].value
        assert row[column].fill.fgColor.rgb == "FF" + colour[label].removeprefix("#")
    again = tmp_path / "again.xlsx"
    result = run("score", out, "--preset", "rfm-segments", "-o", again)
    assert result.exit_code == 0, result.output
    headers_again = [c.value for c in openpyxl.load_workbook(again).worksheets[0][1]]
    assert headers_again.count("客户细分") == 1
    assert "客户细分 (2)" not in headers_again


# -- Config sheet, templates, config show and the Summary ---------------------------------------------------------


def sheet_rows(path: Path, name: str) -> list[list[Any]]:
    import python_calamine as calamine

    rows: list[list[Any]] = (
        calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(name)
        .to_python(skip_empty_area=False)
    )
    return rows


def effective(config: Config, lang: str) -> tuple[Any, ...]:
    """What the segments do, as a run in ``lang`` sees it: method, split, fields, dimensions, and each segment's
    key, label, colour and action in that language."""
    from kactier.i18n import localized

    segments = config.segments
    assert segments is not None
    dims = [
        None if d is None else (d.method, d.keys, d.minimums, d.cuts, d.shares, d.level_labels(i == 0))
        for i, d in enumerate((segments.rows, segments.columns))
    ]
    levels = [
        (lv.key, localized(lv.label, lang), lv.color, localized(lv.action, lang))
        for lv in segment_levels(segments)
    ]
    return segments.method, segments.split, segments.field_keys(), dims, levels


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["rfm", "matrix"])
def test_segments_round_trip_through_the_config_sheet(tmp_path: Path, lang: str, which: str) -> None:
    import xlsxwriter

    from kactier.config.sheet_parser import config_from_rows
    from kactier.config.sheet_writer import write_config_sheet

    if which == "rfm":
        base = load_preset("rfm-segments").model_dump(exclude_none=True)
        base["segments"] = {
            **base["segments"],
            "split": "median",
            "cells": [{"key": "general-win-back", "action": "停"}],
        }
        config = Config.model_validate(base)
    else:
        rows_spec = {**MATRIX["rows"], "labels": ["大", "中", "小"]}
        config = matrix_config(
            {
                **MATRIX,
                "cells": [
                    {"key": "大1", "label": "核心", "color": "#00B050"},
                    {"key": "小2", "action": "观察"},
                ],
                "rows": rows_spec,
                "columns": {
                    "method": "quantile",
                    "criteria": ["loyalty_score", "history_score"],
                    "shares": [0.3],
                },
            }
        )
    path = tmp_path / "cfg.xlsx"
    book = xlsxwriter.Workbook(str(path))
    write_config_sheet(book, book.add_worksheet("配置"), config, lang)  # type: ignore[arg-type]
    book.close()
    rows = sheet_rows(path, "配置")
    flat = [c for row in rows for c in row]
    assert ("客户细分设置" if lang == "zh" else "Segments") in flat
    assert ("细分单元" if lang == "zh" else "Segment cells") in flat
    back = config_from_rows(rows, path=path, sheet="配置")
    assert effective(back, lang) == effective(config, lang)
    # and once more: what was read back writes and reads the same
    again = tmp_path / "again.xlsx"
    book = xlsxwriter.Workbook(str(again))
    write_config_sheet(book, book.add_worksheet("配置"), back, lang)  # type: ignore[arg-type]
    book.close()
    assert config_from_rows(sheet_rows(again, "配置"), path=again, sheet="配置") == back


def test_a_config_sheet_segment_problem_names_its_cell(tmp_path: Path) -> None:
    import xlsxwriter

    from kactier.config.sheet_parser import config_from_rows
    from kactier.config.sheet_writer import write_config_sheet

    path = tmp_path / "cfg.xlsx"
    book = xlsxwriter.Workbook(str(path))
    write_config_sheet(book, book.add_worksheet("配置"), matrix_config(MATRIX), "zh")
    book.close()
    rows = sheet_rows(path, "配置")
    at = next(i for i, row in enumerate(rows) if row and row[0] == "列维度")
    rows[at][5] = "60, 80"  # minimums that rise
    with pytest.raises(ConfigError) as caught:
        config_from_rows(rows, path=path, sheet="配置")
    assert f"配置!B{at + 1}:G{at + 1}" in str(caught.value)
    assert "decrease" in str(caught.value)
    rows[at][5] = "80, 60"
    rows[at][2] = "sideways"
    with pytest.raises(ConfigError) as caught:
        config_from_rows(rows, path=path, sheet="配置")
    assert f"配置!C{at + 1}" in str(caught.value)


def test_the_template_carries_the_segments_and_scoring_it_follows_them(tmp_path: Path) -> None:
    template = tmp_path / "t.xlsx"
    assert run("template", "--preset", "rfm-segments", "-o", template).exit_code == 0
    rows = sheet_rows(template, "配置")
    assert any(row and row[0] == "细分方法" and row[1] == "rfm" for row in rows)
    assert any(row and row[0] == "important-value" and row[1] == "重要价值客户" for row in rows)


def test_config_show_prints_the_segments(tmp_path: Path) -> None:
    import tomli_w

    base = load_preset("key-account").model_dump(mode="json", exclude_none=True)
    base["segments"] = MATRIX
    path = tmp_path / "m.toml"
    path.write_text(tomli_w.dumps(base), encoding="utf-8")
    result = run("config", "show", "--config", path)
    assert result.exit_code == 0, result.stderr
    assert "[segments]" in result.stdout
    assert "[segments.rows]" in result.stdout
    shown = parse_config(result.stdout.split("\n", 1)[1], "shown")
    assert shown.segments == parse_config(path.read_text(encoding="utf-8"), str(path)).segments
    preset = run("config", "show", "--preset", "rfm-segments")
    assert 'method = "rfm"' in preset.stdout


def test_the_summary_has_a_segment_section_a_chart_and_for_a_matrix_a_heat_map(tmp_path: Path) -> None:
    import tomli_w

    frame_rows: list[list[Any]] = [["客户编号", "客户名称", *KEY_SCORES, "年销售额"]]
    rng = random.Random(4)
    for i in range(30):
        frame_rows.append(
            [f"K{i:02d}", f"客户{i}", *(rng.randint(40, 100) for _ in KEY_SCORES), rng.randint(1, 900) * 100]
        )
    source = tmp_path / "in.xlsx"
    write_workbook(source, frame_rows)
    base = load_preset("key-account").model_dump(mode="json", exclude_none=True)
    base["segments"] = MATRIX
    path = tmp_path / "m.toml"
    path.write_text(tomli_w.dumps(base), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = run("score", source, "--config", path, "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    summary = book["汇总"]
    cells = [[c.value for c in row] for row in summary.iter_rows()]
    title = next(
        i for i, row in enumerate(cells) if isinstance(row[0], str) and row[0].startswith("客户细分 · ")
    )
    assert "价值 × 忠诚度" in cells[title][0]
    header = cells[title + 1][:5]
    assert header == ["客户细分", "客户数", "占比", "年销售额占比", "建议措施"]
    table = cells[title + 2 : title + 11]
    labels = [row[0] for row in table]
    assert labels == ["核心", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "观察"]
    data = data_sheet(out)
    counts = {label: sum(1 for r in data if r["客户细分"] == label) for label in labels}
    assert [row[1] for row in table] == [counts[label] for label in labels]
    assert sum(row[1] for row in table) == 30
    assert abs(sum(row[2] for row in table) - 1) < 1e-9
    assert abs(sum(row[3] for row in table) - 1) < 1e-9
    sales = {label: sum(r["年销售额"] for r in data if r["客户细分"] == label) for label in labels}
    total = sum(sales.values())
    for row in table:
        assert abs(row[3] - sales[row[0]] / total) < 1e-12
    grid = next(i for i, row in enumerate(cells) if row[0] == "细分矩阵（客户数）")
    assert cells[grid + 1][:4] == [None, "1", "2", "3"]
    assert [row[0] for row in cells[grid + 2 : grid + 5]] == ["A", "B", "C"]
    assert [n for row in cells[grid + 2 : grid + 5] for n in row[1:4]] == [row[1] for row in table]
    scales = [r for r in summary.conditional_formatting if any(rule.type == "colorScale" for rule in r.rules)]
    assert scales  # the grid is a heat map
    assert len(summary._charts) >= 2  # tiers, and the segments (the Pareto curve too, with sales)
    assert summary[f"A{title + 3}"].fill.fgColor.rgb == "FF00B050"  # 核心 in its own colour


@pytest.mark.slow
def test_libreoffice_opens_a_workbook_with_segments_and_reads_the_segment_column(tmp_path: Path) -> None:
    import csv

    from conftest import libreoffice_convert

    example = Path(__file__).resolve().parent.parent / "examples" / "key_accounts_zh.xlsx"
    out = tmp_path / "out.xlsx"
    assert run("score", example, "--preset", "rfm-segments", "-o", out).exit_code == 0
    done = libreoffice_convert(out, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("客户细分")
    assert {row[column] for row in rows[1:]} == {row["客户细分"] for row in data_sheet(out)}
