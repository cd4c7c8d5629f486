"""Extreme numbers (issue 14, item 4): values up to ±1.8e308 and down to subnormals are scored, never dropped silently.

Every normalisation gives finite points within 0–100, ordered like the values, without a numpy RuntimeWarning; a row
that cannot be scored is reported; computed-ABC limits are shown with every digit that tells them apart.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from kactier.config.models import Config
from kactier.errors import DataError
from kactier.problems import IssueCode
from kactier.read.cells import RawSheet
from kactier.scoring import engine
from kactier.scoring.engine import normalize as normalize_points
from kactier.scoring.engine import score_customers
from kactier.tiering.computed_abc import computed_abc_tiers, limit_text
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows

BIGGEST = float(np.finfo(np.float64).max)  # 1.7976931348623157e308
SMALLEST = 5e-324  # the smallest subnormal
HEADERS = ["客户编号", "客户名称", "毛利", "满意度", "购买力评分"]
SIGNED = ["gross_profit", "satisfaction"]  # fields that may hold any finite number, negative too
NORMALIZATIONS = ["score", "minmax", "log-minmax", "rank", "zscore", "bins", "vector"]
BINS = {"bins": [-1e300, -1.0, 0.0, 1.0, 1e300], "points": [0, 10, 30, 50, 70, 100]}  # increasing points


def criterion(
    normalize: str, field: str = "gross_profit", direction: str = "higher", **extra: Any
) -> dict[str, Any]:
    more = BINS if normalize == "bins" else {}
    return {"field": field, "direction": direction, "normalize": normalize, "weight": 1, **more, **extra}


def config(*criteria: dict[str, Any], weights: str = "manual", method: str = "thresholds") -> Config:
    levels: list[dict[str, Any]] = [
        {"label": "A", "min_score": 70},
        {"label": "B", "min_score": 40},
        {"label": "C"},
    ]
    if method != "thresholds":
        levels = [{"label": label} for label in "ABC"]
    aggregation = "topsis" if any(c["normalize"] == "vector" for c in criteria) else "weighted-sum"
    return Config.model_validate(
        {
            "weights": weights,
            "aggregation": aggregation,  # vector serves TOPSIS only
            "criteria": list(criteria),
            "tiers": {"method": method, "levels": levels},
        }
    )


def points_of(values: list[float], normalize: str, direction: str = "higher") -> np.ndarray[Any, Any]:
    """The points of one criterion, with every warning an error."""
    chosen = config(criterion(normalize, direction=direction)).criteria[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        points, _ = normalize_points(np.asarray(values, dtype=float), chosen)
    return points


def graded_table(rows: list[list[Any]], chosen: Config) -> Any:
    cells = [[f"K{i:03d}", f"客户{i}", *row] for i, row in enumerate(rows)]
    return validate_rows(RawSheet(Path("in.xlsx"), "客户信息", 1, HEADERS, cells), chosen)


# -- the cases of the issue -------------------------------------------------------------------------------------------


def test_zscore_of_values_from_1e154_up_spreads_them_as_small_values_would() -> None:
    # The variance of 1e154..3e154 overflowed: everyone got 50. z-scores do not change with the unit.
    small = points_of([1.0, 2.0, 3.0, 4.0], "zscore")
    for scale in (1e154, 1e300, 1e308 / 4):
        huge = points_of([scale * 1, scale * 2, scale * 3, scale * 4], "zscore")
        assert huge == pytest.approx(small, rel=1e-12)
        assert len(set(huge.tolist())) == 4


def test_zscore_of_subnormal_values_is_finite_and_spread() -> None:
    points = points_of([SMALLEST, 2 * SMALLEST, 4 * SMALLEST], "zscore")
    assert points == pytest.approx(points_of([1.0, 2.0, 4.0], "zscore"), rel=1e-12)


@pytest.mark.parametrize("normalize", ["minmax", "log-minmax", "rank", "zscore"])
def test_plus_and_minus_1e308_span_the_full_range(normalize: str) -> None:
    # max − min of ±1e308 overflowed in minmax: the top customer got NaN.
    points = points_of([-BIGGEST, -1e308, 0.0, 1e308, BIGGEST], normalize)
    assert np.isfinite(points).all()
    assert points[0] == 0.0 or normalize == "zscore"
    assert points[-1] == 100.0 or normalize == "zscore"
    assert points[2] == pytest.approx(50.0)
    assert (np.diff(points) > 0).all()
    assert points_of([-BIGGEST, 0.0, BIGGEST], normalize, "lower")[::-1] == pytest.approx(
        points_of([-BIGGEST, 0.0, BIGGEST], normalize)
    )


def test_minmax_of_values_near_the_float_limit_matches_small_values() -> None:
    assert points_of([-1e308, 0.0, 1e308], "minmax").tolist() == [0.0, 50.0, 100.0]
    assert points_of([1e308, 1.5e308, BIGGEST], "minmax") == pytest.approx(
        points_of([1.0, 1.5, BIGGEST / 1e308], "minmax"), rel=1e-12
    )


def test_ordinary_values_keep_the_arithmetic_of_the_formulas() -> None:
    # Bit for bit: the textbook formulas, as before the fix, for values of ordinary magnitude.
    values = np.array([12.5, 3.0, 7.25, 1e6, 42.0, np.nan])
    present = values[~np.isnan(values)]
    low, high = present.min(), present.max()
    assert np.array_equal(
        points_of(values.tolist(), "minmax"), (values - low) / (high - low) * 100.0, equal_nan=True
    )
    from scipy.special import ndtr

    expected = ndtr((values - present.mean()) / present.std()) * 100.0
    assert np.array_equal(points_of(values.tolist(), "zscore"), expected, equal_nan=True)


def test_vector_of_values_near_the_float_limit_and_of_subnormals_matches_small_values() -> None:
    # Σx² of 1e154 and more overflows: the values are taken in units of the largest first, as minmax does.
    small = points_of([1.0, 1.5, 2.0, 0.0], "vector")
    assert small == pytest.approx(100 * np.array([1.0, 1.5, 2.0, 0.0]) / np.sqrt(7.25), rel=1e-15)
    for scale in (1e154, 1e300, BIGGEST / 2):
        huge = points_of([scale * 1, scale * 1.5, scale * 2, 0.0], "vector")
        assert huge == pytest.approx(small, rel=1e-12)
    tiny = points_of([SMALLEST, 2 * SMALLEST, 0.0], "vector")
    assert tiny == pytest.approx(points_of([1.0, 2.0, 0.0], "vector"))
    assert points_of([BIGGEST, 0.0], "vector").tolist() == [100.0, 0.0]


def test_values_near_1e308_are_all_graded_with_no_warning() -> None:
    # Near 1e308 every row was "Not graded", with no issue and exit 0.
    for normalize in ["minmax", "log-minmax", "rank", "zscore"]:
        for weights in ["manual", "entropy", "critic"]:
            chosen = config(criterion(normalize), criterion(normalize, "satisfaction"), weights=weights)
            profit = (1e308, 1.5e308, BIGGEST, -BIGGEST, 0.0)
            satisfaction = (0.0, BIGGEST, -1e308, 1.5e308, 1e154)
            rows = [[p, s, ""] for p, s in zip(profit, satisfaction, strict=True)]
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                table = graded_table(rows, chosen)
                scores = score_customers(table, chosen)
                grades = grade_customers(table, scores, chosen)
            assert scores.graded.all(), (normalize, weights)
            assert np.isfinite(scores.score).all(), (normalize, weights)
            assert (grades.tier >= 0).all()
            assert len(set(scores.score.tolist())) > 1, (normalize, weights)  # not everyone the same 50


def test_the_median_of_two_values_near_the_float_limit_does_not_overflow() -> None:
    # satisfaction, a second criterion, keeps the row with a blank profit gradable
    chosen = config(criterion("minmax", missing="median"), criterion("rank", "satisfaction"))
    rows = [[BIGGEST, 1, ""], [1e308, 2, ""], ["", 3, ""], [0.0, 4, ""]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = score_customers(graded_table(rows, chosen), chosen)
    # the blank gets the median 1e308 (the middle of 0, 1e308 and the biggest), so the same points as that row
    assert scores.graded.all()
    assert scores.points["gross_profit"][2] == scores.points["gross_profit"][1]
    rows = [[BIGGEST, 1, ""], [1e308, 2, ""], ["", 3, ""]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = score_customers(graded_table(rows, chosen), chosen)
    expected = (
        (1e308 / 2 + BIGGEST / 2 - 1e308) / (BIGGEST - 1e308) * 100.0
    )  # halfway, as (a + b) / 2 would be
    assert scores.points["gross_profit"][2] == pytest.approx(expected, rel=1e-12)


def test_a_row_whose_points_cannot_be_computed_is_reported_not_silently_ungraded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No normalisation does this today; the guard keeps "not graded" from ever coming without an issue.
    real = engine.normalize

    def broken(values: np.ndarray[Any, Any], chosen: Any) -> tuple[np.ndarray[Any, Any], Any]:
        points, note = real(values, chosen)
        return np.where(values == values.max(), np.nan, points), note

    monkeypatch.setattr(engine, "normalize", broken)
    chosen = config(criterion("minmax"))
    scores = score_customers(graded_table([[1.0, "", ""], [5.0, "", ""], [3.0, "", ""]], chosen), chosen)
    assert scores.graded.tolist() == [True, False, True]
    reported = [(i.row, i.code) for i in scores.issues]
    assert reported == [(3, IssueCode.NOT_SCORED)]
    assert "no score could be computed" in scores.issues[0].message("en")


# -- computed-ABC limits ----------------------------------------------------------------------------------------------


def test_computed_abc_limits_are_shown_with_every_digit_that_tells_them_apart() -> None:
    assert limit_text(1e12) == "1000000000000"
    assert limit_text(1e12 + 1) == "1000000000001"
    assert limit_text(1234.5) == "1234.5"
    assert limit_text(BIGGEST) == "1.7976931348623157e+308"
    assert limit_text(float("inf")) == "inf"
    for x in (0.1, 1e12 + 1, 123456789.123, BIGGEST, SMALLEST, 1e16 + 2):
        assert float(limit_text(x)) == x


def test_the_run_notes_the_exact_computed_abc_limits(tmp_path: Path) -> None:
    values = [1e12 + k for k in (40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)]
    path = tmp_path / "in.csv"
    path.write_text(
        "客户编号,客户名称,年销售额\n" + "".join(f"K{i},客户{i},{v:.0f}\n" for i, v in enumerate(values))
    )
    (tmp_path / "c.toml").write_text(
        '[[criteria]]\nfield = "annual_sales"\nweight = 1\nnormalize = "minmax"\n'
        '[tiers]\nmethod = "computed-abc"\nvalue = "annual_sales"\n'
        '[[tiers.levels]]\nlabel = "A"\n[[tiers.levels]]\nlabel = "B"\n[[tiers.levels]]\nlabel = "C"\n'
    )
    result = run(
        "score", path, "-c", tmp_path / "c.toml", "-o", tmp_path / "out.xlsx", "--json", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    note = next(w for w in json.loads(result.stdout)["warnings"] if w.startswith("computed ABC value limits"))
    shown = [float(x) for x in note.split(": ", 1)[1].split(", ")]
    expected = computed_abc_tiers(values, [f"K{i}" for i in range(len(values))]).limits
    assert shown == list(expected)
    assert all(x in values for x in shown)  # each limit is exactly one customer's value, not "1e+12"


# -- the terminal -----------------------------------------------------------------------------------------------------


def extreme_workbook(tmp_path: Path, normalize: str) -> tuple[Path, Path]:
    values = ["1e308", "1.5e308", "1.7976931348623157e308", "-1.7976931348623157e308", "5e-324", "0", "1e154"]
    path = tmp_path / "in.csv"
    path.write_text(
        "客户编号,客户名称,毛利,满意度\n" + "".join(f"K{i},客户{i},{v},{v}\n" for i, v in enumerate(values))
    )
    more = "\nbins = [-1e300, 0.0, 1e300]\npoints = [0, 40, 60, 100]" if normalize == "bins" else ""
    toml = tmp_path / "c.toml"
    toml.write_text(
        f'[[criteria]]\nfield = "gross_profit"\nweight = 1\nnormalize = "{normalize}"{more}\n'
        f'[[criteria]]\nfield = "satisfaction"\nweight = 1\ndirection = "lower"\nnormalize = "{normalize}"{more}\n'
        '[tiers]\nmethod = "quantile"\n'
        '[[tiers.levels]]\nlabel = "A"\n[[tiers.levels]]\nlabel = "B"\n[[tiers.levels]]\nlabel = "C"\n'
    )
    return path, toml


@pytest.mark.parametrize("normalize", ["minmax", "log-minmax", "rank", "zscore", "bins"])
def test_score_grades_values_near_1e308_and_prints_no_numpy_warning(tmp_path: Path, normalize: str) -> None:
    path, toml = extreme_workbook(tmp_path, normalize)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would now be an internal error, exit 70
        result = run("score", path, "-c", toml, "-o", tmp_path / "out.xlsx", "--json")
    assert result.exit_code == 0, result.output
    assert "RuntimeWarning" not in result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert rows["scored"] == rows["read"] == 7


def test_the_terminal_of_a_real_run_shows_no_numpy_warning(tmp_path: Path) -> None:
    # A separate process: the warnings numpy prints go to the real stderr, once per place, whatever ran before.
    path, toml = extreme_workbook(tmp_path, "zscore")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kactier",
            "score",
            str(path),
            "-c",
            str(toml),
            "-o",
            str(tmp_path / "o.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr
    assert "7 graded" in done.stdout or "7 个" in done.stdout or "评级 7" in done.stdout, done.stdout


# -- the acceptance's property: every normalisation over finite floats -------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)
extremes = st.sampled_from([BIGGEST, -BIGGEST, 1e308, -1e308, 1e154, SMALLEST, -SMALLEST, 0.0, -0.0, 1e-310])
anything = st.one_of(finite, extremes)


def column_for(normalize: str) -> st.SearchStrategy[list[float]]:
    values = st.floats(0, 100) | st.sampled_from([0.0, SMALLEST, 100.0]) if normalize == "score" else anything
    if normalize == "vector":  # a value below 0 is set aside before (tests/test_aggregation.py)
        values = anything.map(abs)
    return st.lists(values, min_size=1, max_size=20)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NORMALIZATIONS), st.sampled_from(["higher", "lower"]), st.data())
def test_every_normalisation_gives_finite_ordered_points_within_0_and_100(
    normalize: str, direction: str, data: st.DataObject
) -> None:
    values = np.asarray(data.draw(column_for(normalize)), dtype=float)
    points = points_of(values.tolist(), normalize, direction)
    assert np.isfinite(points).all()
    assert ((points >= 0.0) & (points <= 100.0)).all()
    # ordered like the values: a larger value never gets fewer points (more, when lower is better), equal values
    # equal points (bins ignore the direction: their points say it all)
    sign = -1.0 if direction == "lower" and normalize != "bins" else 1.0
    order = np.argsort(values, kind="stable")
    ordered_values, ordered_points = values[order], sign * points[order]
    assert (np.diff(ordered_points) >= 0).all(), (values, points)
    same = ordered_values[1:] == ordered_values[:-1]
    assert (np.diff(ordered_points)[same] == 0).all()


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(NORMALIZATIONS),
    st.sampled_from(["manual", "entropy", "critic"]),
    st.sampled_from(["thresholds", "quantile"]),
    st.data(),
)
def test_every_row_is_graded_or_reported(
    normalize: str, weights: str, method: str, data: st.DataObject
) -> None:
    fields = ["purchasing_power"] if normalize == "score" else SIGNED
    column = column_for(normalize)
    rows_of = st.lists(st.tuples(*[column.map(lambda v: v[0]) for _ in fields]), min_size=1, max_size=15)
    drawn = data.draw(rows_of)
    directions = ["higher", "lower"]
    chosen = config(
        *(criterion(normalize, f, d) for f, d in zip(fields, directions, strict=False)),
        weights=weights,
        method=method,
    )
    cells = [[*row, ""] if normalize != "score" else ["", "", *row] for row in drawn]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = graded_table(cells, chosen)
        refusal: str | None
        try:
            scores = score_customers(table, chosen)
        except DataError as exc:  # only the workbook-level refusal of data-driven weights is allowed
            refusal = exc.key
        else:
            refusal = None
    if refusal is not None:
        assert weights != "manual"
        assert refusal == "data.weights"
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grades = grade_customers(table, scores, chosen)
    reported = {i.row for i in [*table.issues, *scores.issues, *grades.issues] if i.excludes_row}
    for index, row in enumerate(table.excel_rows.tolist()):
        graded = bool(scores.graded[index]) and np.isfinite(scores.score[index]) and grades.tier[index] >= 0
        assert graded or row in reported, (row, drawn)
        if graded:
            assert 0.0 <= scores.score[index] <= 100.0
