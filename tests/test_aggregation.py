"""Aggregation methods (issue 17, item 1): TOPSIS and the weighted product beside the weighted sum, the ``vector``
normalisation, the ``entropy-topsis`` preset, and the ``aggregation`` key in the Config sheet and ``config show``.

The published examples are fed through kactier's own path: a decision matrix written as rows under headers,
validated (:func:`validate_rows`) and scored (:func:`score_customers`) under a config naming the paper's weights,
directions and normalisation; the score is the closeness × 100, so four published decimals of closeness are two
decimals of score.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import run, sheet_values, write_workbook

from kactier.config.files import config_from_dict
from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.config.sheet_reader import read_config_sheet
from kactier.errors import ConfigError, ExitCode
from kactier.problems import IssueCode
from kactier.read.cells import RawSheet
from kactier.scoring.aggregate import PRODUCT_FLOOR
from kactier.scoring.engine import Scores, score_customers
from kactier.scoring.weights import entropy_weights
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows

ROOT = Path(__file__).resolve().parent.parent


def matrix_config(
    names: list[str], weights: list[float], lower: set[str], *, aggregation: str = "topsis", **extra: Any
) -> Config:
    """A config with one criterion per column of a decision matrix (the column header as its field)."""
    normalize = extra.pop("normalize", "vector")
    criteria = [
        {"field": n, "weight": w, "normalize": normalize, "direction": "lower" if n in lower else "higher"}
        for n, w in zip(names, weights, strict=True)
    ]
    tiers = extra.pop("tiers", {"method": "quantile", "levels": [{"label": "A"}, {"label": "B"}]})
    return Config.model_validate(
        {"aggregation": aggregation, "score_decimals": 6, "criteria": criteria, "tiers": tiers, **extra}
    )


def score_matrix(names: list[str], rows: list[list[Any]], config: Config) -> tuple[Any, Scores]:
    """The decision matrix as a sheet (an id and a name per alternative), validated and scored by kactier."""
    cells = [[f"A{i + 1}", f"方案{i + 1}", *row] for i, row in enumerate(rows)]
    table = validate_rows(
        RawSheet(Path("in.xlsx"), "方案", 1, ["客户编号", "客户名称", *names], cells), config
    )
    return table, score_customers(table, config)


def oracle_topsis(
    x: np.ndarray[Any, Any], w: np.ndarray[Any, Any], higher: list[bool]
) -> np.ndarray[Any, Any]:
    """Textbook TOPSIS (Hwang & Yoon 1981), loop by loop: vector normalisation, weighting, ideal and anti-ideal by
    direction, Euclidean distances, closeness."""
    m, n = x.shape
    v = [
        [w[j] * x[i, j] / math.sqrt(sum(x[k, j] ** 2 for k in range(m))) for j in range(n)] for i in range(m)
    ]
    best = [max(v[i][j] for i in range(m)) if higher[j] else min(v[i][j] for i in range(m)) for j in range(n)]
    worst = [
        min(v[i][j] for i in range(m)) if higher[j] else max(v[i][j] for i in range(m)) for j in range(n)
    ]
    out = []
    for i in range(m):
        plus = math.sqrt(sum((v[i][j] - best[j]) ** 2 for j in range(n)))
        minus = math.sqrt(sum((v[i][j] - worst[j]) ** 2 for j in range(n)))
        out.append(minus / (plus + minus))
    return np.array(out)


# -- published examples -------------------------------------------------------------------------------------------

# Hwang, C.-L., Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications. Springer, the
# fighter aircraft example: four aircraft on maximum speed (Mach), ferry range (NM), maximum payload (lb), purchase
# cost (million $, lower is better), reliability and manoeuvrability (qualitative, on the book's interval scale:
# low 3, average 5, high 7, very high 9); weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3; vector normalisation. Published
# closeness: 0.6433, 0.2684, 0.6135, 0.3123 (A1 > A3 > A4 > A2).
AIRCRAFT_CRITERIA = ["最大速度", "航程", "最大载荷", "购置成本", "可靠性", "机动性"]
AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_CLOSENESS = [0.6433, 0.2684, 0.6135, 0.3123]

# Opricovic, S., Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A comparative analysis of VIKOR and
# TOPSIS. European Journal of Operational Research 156(2), 445-455, the numerical example: three alternatives on
# two criteria, f1 = 1, 2, 5 and f2 = 3000, 3750, 4500, equal weights, vector normalisation, f1 to be minimised
# and f2 maximised. Published TOPSIS closeness: 0.762, 0.722, 0.238 (TOPSIS ranks A1 first where VIKOR proposes a
# compromise).
OPRICOVIC_CRITERIA = ["f1", "f2"]
OPRICOVIC = [[1, 3000], [2, 3750], [5, 4500]]
OPRICOVIC_CLOSENESS = [0.762, 0.722, 0.238]

# Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A Comparative Study. Kluwer (Springer),
# ch. 2, the WSM / WPM example (also the worked example of the weighted product model after Bridgman 1922 and
# Miller & Starr 1969): three alternatives on four benefit criteria, weights 0.20, 0.15, 0.40, 0.25. Published:
# the weighted sums 21.50, 22.00, 22.00 (A2 and A3 tie) and the WPM ratios R(A1/A2) = 1.007, R(A1/A3) = 1.067,
# R(A2/A3) = 1.059, so A1 > A2 > A3. The values are already on a 0–100 scale, so normalize = "score" feeds them
# through unchanged.
TRIANTAPHYLLOU_CRITERIA = ["C1", "C2", "C3", "C4"]
TRIANTAPHYLLOU = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
TRIANTAPHYLLOU_WEIGHTS = [0.20, 0.15, 0.40, 0.25]


def test_topsis_reproduces_hwang_and_yoon_aircraft_closeness() -> None:
    config = matrix_config(AIRCRAFT_CRITERIA, AIRCRAFT_WEIGHTS, {"购置成本"})
    _, scores = score_matrix(AIRCRAFT_CRITERIA, AIRCRAFT, config)
    assert np.round(scores.score / 100, 4).tolist() == AIRCRAFT_CLOSENESS
    assert scores.rank.tolist() == [1, 4, 2, 3]


def test_topsis_reproduces_opricovic_and_tzeng_closeness() -> None:
    config = matrix_config(OPRICOVIC_CRITERIA, [0.5, 0.5], {"f1"})
    _, scores = score_matrix(OPRICOVIC_CRITERIA, OPRICOVIC, config)
    assert np.round(scores.score / 100, 3).tolist() == OPRICOVIC_CLOSENESS


def test_weighted_product_reproduces_triantaphyllou_ratios_and_weighted_sum_his_sums() -> None:
    product = matrix_config(
        TRIANTAPHYLLOU_CRITERIA,
        TRIANTAPHYLLOU_WEIGHTS,
        set(),
        aggregation="weighted-product",
        normalize="score",
    )
    _, scores = score_matrix(TRIANTAPHYLLOU_CRITERIA, TRIANTAPHYLLOU, product)
    a1, a2, a3 = scores.score.tolist()
    assert [round(a1 / a2, 3), round(a1 / a3, 3), round(a2 / a3, 3)] == [1.007, 1.067, 1.059]
    assert scores.rank.tolist() == [1, 2, 3]
    summed = matrix_config(
        TRIANTAPHYLLOU_CRITERIA, TRIANTAPHYLLOU_WEIGHTS, set(), aggregation="weighted-sum", normalize="score"
    )
    _, sums = score_matrix(TRIANTAPHYLLOU_CRITERIA, TRIANTAPHYLLOU, summed)
    assert sums.score.tolist() == [21.5, 22.0, 22.0]


# -- TOPSIS rules -------------------------------------------------------------------------------------------------


def test_topsis_matches_a_loop_oracle_on_mixed_directions() -> None:
    rng = np.random.default_rng(17)
    names = ["甲", "乙", "丙", "丁"]
    for _ in range(20):
        x = rng.uniform(0.5, 1000, size=(9, 4)).round(3)
        w = rng.uniform(0.1, 1, size=4)
        lower = {n for n in names if rng.random() < 0.5}
        config = matrix_config(names, w.tolist(), lower)
        _, scores = score_matrix(names, x.tolist(), config)
        expected = oracle_topsis(x, w / w.sum(), [n not in lower for n in names]) * 100
        assert scores.score == pytest.approx(np.round(expected, 6), abs=1.5e-6)


def test_lower_is_better_takes_the_smallest_value_as_ideal_rather_than_inverting_the_values() -> None:
    # Inverting first (max − x, the 正向化 step) and then vector normalising gives other closeness: f1 becomes
    # 4, 3, 0. kactier's ideal is the smallest f1 itself, as Opricovic & Tzeng's numbers require.
    inverted = matrix_config(OPRICOVIC_CRITERIA, [0.5, 0.5], set())
    _, flipped = score_matrix(OPRICOVIC_CRITERIA, [[5 - a, b] for a, b in OPRICOVIC], inverted)
    assert np.round(flipped.score / 100, 3).tolist() != OPRICOVIC_CLOSENESS
    config = matrix_config(OPRICOVIC_CRITERIA, [0.5, 0.5], {"f1"})
    _, scores = score_matrix(OPRICOVIC_CRITERIA, OPRICOVIC, config)
    # the points columns: each customer's place between the criterion's worst (0) and best (100) value
    assert scores.points["f1"].tolist() == pytest.approx([100.0, 75.0, 0.0], abs=1e-12)
    assert scores.points["f2"].tolist() == pytest.approx([0.0, 50.0, 100.0], abs=1e-12)


def test_one_customer_or_all_equal_columns_score_50_with_a_note() -> None:
    config = matrix_config(OPRICOVIC_CRITERIA, [0.5, 0.5], {"f1"})
    _, alone = score_matrix(OPRICOVIC_CRITERIA, [[3, 4000]], config)
    assert alone.score.tolist() == [50.0]
    assert any("closeness 0.5, score 50" in n for n in alone.notes)
    _, equal = score_matrix(OPRICOVIC_CRITERIA, [[3, 4000], [3, 4000], [3, 4000]], config)
    assert equal.score.tolist() == [50.0, 50.0, 50.0]
    assert any(n.startswith("3 customers differ on no criterion") for n in equal.notes)
    # one constant column among varying ones: it adds nothing to either distance
    _, mixed = score_matrix(OPRICOVIC_CRITERIA, [[3, 3000], [3, 3750], [3, 4500]], config)
    assert mixed.score.tolist() == [0.0, 50.0, 100.0]


def test_a_negative_value_under_vector_sets_the_row_aside_and_says_why() -> None:
    config = matrix_config(OPRICOVIC_CRITERIA, [0.5, 0.5], {"f1"})
    _, scores = score_matrix(OPRICOVIC_CRITERIA, [*OPRICOVIC, [-1, 4000]], config)
    assert scores.graded.tolist() == [True, True, True, False]
    assert np.round(scores.score[:3] / 100, 3).tolist() == OPRICOVIC_CLOSENESS  # the others as without it
    issue = next(i for i in scores.issues if i.row == 5)  # the header is row 1
    assert issue.code is IssueCode.OUT_OF_RANGE
    assert issue.value == -1
    assert "vector normalisation x/√Σx² needs values of 0 or more" in issue.message("en")
    assert "向量标准化" in issue.message("zh")


def test_missing_values_under_topsis_follow_their_policy() -> None:
    names = ["f1", "f2"]
    rows: list[list[Any]] = [[1, 3000], [2, ""], [5, 4500]]
    base = {
        "aggregation": "topsis",
        "score_decimals": 6,
        "tiers": {"method": "quantile", "levels": [{"label": "A"}, {"label": "B"}]},
    }
    exclude = Config.model_validate(
        {
            **base,
            "criteria": [
                {"field": "f1", "normalize": "vector", "direction": "lower"},
                {"field": "f2", "normalize": "vector", "missing": "exclude"},
            ],
        }
    )
    _, scores = score_matrix(names, rows, exclude)
    # A2 is measured on f1 alone: it lies at 3/4 of the way from f1's worst to its best
    assert scores.score[1] == pytest.approx(75.0)
    assert math.isnan(scores.points["f2"][1])
    zero = Config.model_validate(
        {
            **base,
            "criteria": [
                {"field": "f1", "normalize": "vector", "direction": "lower"},
                {"field": "f2", "normalize": "vector"},
            ],
        }
    )
    _, zeroed = score_matrix(names, rows, zero)
    assert zeroed.points["f2"][1] == 0.0  # the blank is the worst f2, the anti-ideal


def test_thresholds_tiers_compare_closeness_times_100() -> None:
    tiers = {"method": "thresholds", "levels": [{"label": "A", "min_score": 60}, {"label": "B"}]}
    config = matrix_config(AIRCRAFT_CRITERIA, AIRCRAFT_WEIGHTS, {"购置成本"}, tiers=tiers)
    table, scores = score_matrix(AIRCRAFT_CRITERIA, AIRCRAFT, config)
    grades = grade_customers(table, scores, config)
    assert grades.tier.tolist() == [0, 1, 0, 1]  # 64.33 and 61.35 reach 60


# -- weighted product rules ---------------------------------------------------------------------------------------


def test_weighted_product_counts_a_point_below_1_as_1() -> None:
    config = matrix_config(["p", "q"], [0.5, 0.5], set(), aggregation="weighted-product", normalize="score")
    _, scores = score_matrix(["p", "q"], [[0, 100], [0.5, 100], [4, 100], [100, 100]], config)
    floor = math.sqrt(PRODUCT_FLOOR * 100)
    assert scores.score.tolist() == [round(floor, 6), round(floor, 6), 20.0, 100.0]
    assert (scores.score > 0).all()
    assert "points below 1 count as 1" in scores.notes[-1]


def test_weighted_product_is_the_weighted_geometric_mean_of_minmax_points() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 50, size=(12, 3)).round(2)
    w = np.array([0.5, 0.3, 0.2])
    config = matrix_config(
        ["a", "b", "c"], w.tolist(), {"c"}, aggregation="weighted-product", normalize="minmax"
    )
    _, scores = score_matrix(["a", "b", "c"], x.tolist(), config)
    points = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0)) * 100
    points[:, 2] = 100 - points[:, 2]
    expected = np.prod(np.maximum(points, 1.0) ** w, axis=1)
    assert scores.score == pytest.approx(np.round(expected, 6), abs=1.5e-6)


# -- config, Config sheet, config show, preset ----------------------------------------------------------------------


def test_vector_outside_topsis_is_a_config_error_naming_the_criterion() -> None:
    data = {
        "criteria": [{"field": "annual_sales", "normalize": "vector"}],
        "tiers": {"method": "quantile", "levels": [{"label": "A"}, {"label": "B"}]},
    }
    with pytest.raises(
        ConfigError, match=r"normalize = 'vector'.*belongs to aggregation = 'topsis'.*annual_sales"
    ):
        config_from_dict(data, "rules.toml")
    with pytest.raises(ConfigError, match="aggregation"):
        config_from_dict({**data, "aggregation": "geometric"}, "rules.toml")


def test_a_toml_with_vector_and_weighted_sum_exits_78(tmp_path: Path) -> None:
    toml = tmp_path / "rules.toml"
    toml.write_text(
        '[[criteria]]\nfield = "annual_sales"\nnormalize = "vector"\n[tiers]\nmethod = "quantile"\n'
        '[[tiers.levels]]\nlabel = "A"\n[[tiers.levels]]\nlabel = "B"\n',
        encoding="utf-8",
    )
    result = run("config", "show", "--config", toml)
    assert result.exit_code == ExitCode.CONFIG, result.output
    assert "belongs to aggregation = 'topsis'" in result.output


def test_config_show_prints_the_aggregation() -> None:
    shown = run("config", "show", "--preset", "entropy-topsis")
    assert shown.exit_code == 0, shown.output
    data = tomllib.loads(shown.output)
    assert data["aggregation"] == "topsis"
    assert {c["normalize"] for c in data["criteria"]} == {"vector"}
    plain = tomllib.loads(run("config", "show", "--preset", "key-account").output)
    assert plain["aggregation"] == "weighted-sum"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("aggregation", ["topsis", "weighted-product", "weighted-sum"])
def test_the_template_config_sheet_carries_the_aggregation(
    tmp_path: Path, lang: str, aggregation: str
) -> None:
    toml = tmp_path / "rules.toml"
    normalize = "vector" if aggregation == "topsis" else "minmax"
    toml.write_text(
        f'aggregation = "{aggregation}"\n[[criteria]]\nfield = "annual_sales"\nnormalize = "{normalize}"\n'
        '[[criteria]]\nfield = "payment_days"\ndirection = "lower"\nnormalize = "' + normalize + '"\n'
        '[tiers]\nmethod = "quantile"\n[[tiers.levels]]\nlabel = "A"\n[[tiers.levels]]\nlabel = "B"\n',
        encoding="utf-8",
    )
    template = tmp_path / "template.xlsx"
    made = run("template", "--config", toml, "--lang", lang, "-o", template)
    assert made.exit_code == 0, made.output
    found = read_config_sheet(template)
    assert found is not None
    assert found.config.aggregation == aggregation
    assert [c.normalize for c in found.config.criteria] == [normalize, normalize]
    words = {"zh": "综合方法", "en": "Aggregation"}[lang]
    config_sheet = sheet_values(template, {"zh": "配置", "en": "Config"}[lang])
    assert [words, aggregation] in [row[:2] for row in config_sheet]


def test_a_chinese_word_for_the_method_is_read(tmp_path: Path) -> None:
    from kactier.config.sheet_parser import config_from_rows

    rows: list[list[Any]] = [
        ["kactier 评分配置"],
        [],
        ["基本设置"],
        ["权重方法", "手工权重"],
        ["综合方法", "逼近理想解排序法"],
        ["分级方法", "分位数"],
        [],
        ["评分指标"],
        ["指标", "数据列", "权重", "标准化"],
        ["年销售额", "年销售额", 1, "向量标准化"],
        [],
        ["级别"],
        ["客户级别"],
        ["A"],
        ["B"],
    ]
    config = config_from_rows(rows, path=Path("east.xlsx"), sheet="配置")
    assert config.aggregation == "topsis"
    assert config.criteria[0].normalize == "vector"


def customers(count: int, seed: int) -> list[list[Any]]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(count):
        sales = float(rng.integers(10_000, 5_000_000))
        rows.append(
            [
                f"K{i:03d}",
                f"客户{i}",
                sales,
                round(sales * rng.uniform(0.05, 0.4), 2),
                int(rng.integers(1, 80)),
                int(rng.integers(5, 120)),
            ]
        )
    return rows


def test_the_entropy_topsis_preset_grades_by_entropy_weights_and_closeness(tmp_path: Path) -> None:
    headers = ["客户编号", "客户名称", "年销售额", "毛利", "交易次数", "回款天数"]
    rows = customers(40, 5)
    path = write_workbook(tmp_path / "客户.xlsx", [headers, *rows])
    out = tmp_path / "graded.xlsx"
    result = run("score", path, "--preset", "entropy-topsis", "-o", out, "--json")
    assert result.exit_code == 0, result.output

    x = np.array([r[2:] for r in rows], dtype=float)
    higher = [True, True, True, False]
    w = entropy_weights(x, higher)
    expected = np.round(oracle_topsis(x, w, higher) * 100, 2)
    data = sheet_values(out, 0)
    header = data[0]
    score = [row[header.index("综合得分")] for row in data[1:]]
    assert score == pytest.approx(expected.tolist(), abs=0.0051)
    # every criterion has its points column: the customer's place between its worst and best value
    for name, column in zip(headers[2:], x.T, strict=True):
        shown = np.array([row[header.index(f"{name}得分")] for row in data[1:]], dtype=float)
        best, worst = (column.min(), column.max()) if name == "回款天数" else (column.max(), column.min())
        assert shown == pytest.approx(np.abs(column - worst) / abs(best - worst) * 100, abs=0.01)
    found = read_config_sheet(out)
    assert found is not None
    assert found.config.aggregation == "topsis"
    preset = load_preset("entropy-topsis")
    assert (found.config.weights, found.config.tiers.method) == (preset.weights, preset.tiers.method)
    assert [(c.key, c.direction, c.normalize) for c in found.config.criteria] == [
        (c.key, c.direction, c.normalize) for c in preset.criteria
    ]
