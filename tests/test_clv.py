"""BG/NBD and Gamma-Gamma on the order history (SPEC §15; issue 18, items 1 and 2).

The published numbers come from the CDNOW sample (tests/data/cdnow: 2,357 customers of CDNOW's first-quarter 1997
cohort, their 6,919 transactions to June 1998; the file as lifetimes 0.11.3 ships it, from Bruce Hardie's site):

* Fader, Hardie & Lee, "Counting your customers the easy way: an alternative to the Pareto/NBD model", Marketing
  Science 24(2), 2005, section 4: the 39-week calibration period (to 1997-09-30), time in weeks, gives
  r = 0.243, α = 4.414, a = 0.793, b = 2.426.
* Fader, Hardie & Lee, "RFM and CLV: using iso-value curves for customer base analysis", Journal of Marketing
  Research 42(4), 2005 (and Fader & Hardie's note "The Gamma-Gamma model of monetary value", 2013): the mean spend of
  the 946 customers with a repeat purchase in the same period gives p = 6.25, q = 3.74, γ = 15.44.

tests/data/cdnow/lifetimes_reference.csv holds lifetimes 0.11.3's per-customer P(alive), expected purchases and
expected spend on the same calibration data (made by make_reference.py beside it; lifetimes is not a dependency).
Both fits here run from the transactions through kactier's own order reading: a workbook of the 6,919 lines.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run, sheet_values, write_workbook

from kactier.config.prediction_models import Prediction
from kactier.config.presets import load_preset
from kactier.orders import clv
from kactier.orders.book import OrderBook, read_order_sheet
from kactier.orders.clv import (
    MONTH_WEEKS,
    Purchases,
    discounted_value,
    fit_bg_nbd,
    fit_gamma_gamma,
    predict,
)
from kactier.orders.columnar import read_order_export

CDNOW = Path(__file__).parent / "data" / "cdnow"
CALIBRATION_END = dt.date(1997, 9, 30)
PAPER_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PAPER_GG = {"p": 6.25, "q": 3.74, "v": 15.44}
HEADERS = ["订单号", "客户编号", "客户名称", "订单日期", "订单金额"]


def cdnow_lines() -> list[list[object]]:
    """The CDNOW sample's transactions as order lines (one per transaction; ids kept as text)."""
    table = pd.read_csv(
        CDNOW / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master", "id", "date", "cds", "amount"],
        dtype={"id": str, "date": str},
    )
    return [
        [
            f"SO{n:05d}",
            f"C{row.id}",
            f"客户{row.id}",
            dt.datetime.strptime(str(row.date), "%Y%m%d").date(),
            row.amount,
        ]
        for n, row in enumerate(table.itertuples())
    ]


@pytest.fixture(scope="module")
def cdnow_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, OrderBook]:
    path = tmp_path_factory.mktemp("cdnow") / "cdnow_orders.xlsx"
    write_workbook(path, [HEADERS, *cdnow_lines()], sheet="销售订单")
    return path, read_order_sheet(path, as_of=CALIBRATION_END)


def history(book: OrderBook) -> Purchases:
    customers = book.customers
    return Purchases(
        customers["repeat_days"].to_numpy(dtype=float),
        customers["repeat_weeks"].to_numpy(dtype=float),
        customers["age_weeks"].to_numpy(dtype=float),
        np.nan_to_num(customers["repeat_spend"].to_numpy(dtype=float), nan=0.0),
    )


def test_the_published_bg_nbd_and_gamma_gamma_parameters_are_reproduced(
    cdnow_book: tuple[Path, OrderBook],
) -> None:
    _, book = cdnow_book
    seen = history(book)
    assert len(seen.x) == 2357
    model = fit_bg_nbd(seen.x, seen.t_x, seen.T)
    assert model is not None
    for name, published in PAPER_BG.items():
        assert getattr(model, name) == pytest.approx(published, rel=0.01), name
        assert round(getattr(model, name), 3) == published, name  # as the paper rounds
    repeat = (seen.x > 0) & (seen.m > 0)
    assert int(repeat.sum()) == 946
    spend = fit_gamma_gamma(seen.x[repeat], seen.m[repeat])
    assert spend is not None
    for name, published in PAPER_GG.items():
        assert getattr(spend, name) == pytest.approx(published, rel=0.01), name
        assert round(getattr(spend, name), 2) == published, name


def test_p_alive_and_expected_purchases_agree_with_lifetimes_per_customer(
    cdnow_book: tuple[Path, OrderBook],
) -> None:
    _, book = cdnow_book
    reference = pd.read_csv(CDNOW / "lifetimes_reference.csv", dtype={"id": str}).set_index("id")
    seen = history(book)
    ids = [str(i).removeprefix("C") for i in book.customers["customer_id"]]
    ours = reference.loc[ids]
    assert np.array_equal(seen.x, ours["frequency"].to_numpy())  # the same summary, from the lines
    assert np.allclose(seen.t_x, ours["recency"].to_numpy())
    assert np.allclose(seen.T, ours["T"].to_numpy())
    model = fit_bg_nbd(seen.x, seen.t_x, seen.T)
    assert model is not None
    alive = model.p_alive(seen.x, seen.t_x, seen.T)
    assert np.abs(alive - ours["p_alive"].to_numpy()).max() < 0.01
    expected = model.expected(52.0, seen.x, seen.t_x, seen.T)
    assert np.abs(expected - ours["expected_52_weeks"].to_numpy()).max() < 0.01
    repeat = (seen.x > 0) & (seen.m > 0)
    spend = fit_gamma_gamma(seen.x[repeat], seen.m[repeat])
    assert spend is not None
    ours_spend = spend.spend(seen.x[repeat], seen.m[repeat])
    assert np.abs(ours_spend - ours["expected_spend"].to_numpy()[repeat]).max() < 0.01


def test_score_with_orders_adds_the_predictions_and_the_clv_preset_tiers_by_them(
    cdnow_book: tuple[Path, OrderBook], tmp_path: Path
) -> None:
    path, _ = cdnow_book
    out = tmp_path / "clv.xlsx"
    result = run("score", path, "--orders", "--as-of", "1997-09-30", "--preset", "clv", "-o", out, "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert any("BG/NBD fitted" in w and "r=0.243" in w for w in payload["warnings"])
    assert payload["rows"]["scored"] == 2357
    rows = sheet_values(out, 0)
    header = rows[0]
    for label in ("活跃概率", "预计购买次数", "预测价值"):
        assert label in header
    alive = [row[header.index("活跃概率")] for row in rows[1:]]
    assert all(0 <= a <= 1 for a in alive)
    value = [row[header.index("预测价值")] for row in rows[1:]]
    tiers = [row[header.index("客户级别")] for row in rows[1:]]
    by_value: dict[float, set[str]] = {}
    for v, tier in zip(value, tiers, strict=True):
        by_value.setdefault(v, set()).add(tier)
    worst = "A"
    for v in sorted(
        by_value, reverse=True
    ):  # Pareto on the predicted value: a higher value never a lower tier
        assert min(by_value[v]) >= worst, v
        worst = max(worst, *by_value[v])
    assert set(tiers) == {"A", "B", "C"}


def test_a_csv_export_gives_the_same_predictions_as_the_workbook(
    cdnow_book: tuple[Path, OrderBook], tmp_path: Path
) -> None:
    _, book = cdnow_book
    csv = tmp_path / "cdnow.csv"
    frame = pd.DataFrame(cdnow_lines(), columns=HEADERS)
    frame["订单日期"] = [d.isoformat() for d in frame["订单日期"]]
    frame.to_csv(csv, index=False, encoding="utf-8")
    export = read_order_export(csv, as_of=CALIBRATION_END)
    try:
        for column in ("repeat_days", "repeat_weeks", "age_weeks", "repeat_spend"):
            assert np.allclose(
                export.customers[column].to_numpy(dtype=float),
                book.customers[column].to_numpy(dtype=float),
                equal_nan=True,
            ), column
    finally:
        export.close()


def _thin(days: list[list[int]]) -> Purchases:
    """Customers buying on the given days (day numbers from 0), as of day 200."""
    x, t_x, age, m = [], [], [], []
    for bought in days:
        distinct = sorted(set(bought))
        x.append(len(distinct) - 1)
        t_x.append((distinct[-1] - distinct[0]) / 7)
        age.append((200 - distinct[0]) / 7)
        m.append(25.0 if len(distinct) > 1 else 0.0)
    return Purchases(np.array(x, float), np.array(t_x), np.array(age), np.array(m))


@pytest.mark.parametrize(
    "days",
    [
        [[d] for d in range(300)],  # one purchase each
        [[10, 10, 10]] * 300,  # everyone on one day
        [[d, d + 30, d + 60] for d in range(50)],  # only 50 customers
    ],
    ids=["one-purchase-each", "all-on-one-day", "50-customers"],
)
def test_thin_data_gives_a_note_and_blank_columns_never_numbers(days: list[list[int]]) -> None:
    made = predict(_thin(days), 12, 0.10)
    assert np.isnan(made.p_alive).all()
    assert np.isnan(made.expected_orders).all()
    assert np.isnan(made.predicted_clv).all()
    assert [n.key for n in made.notes] == ["note.clv_thin"]  # type: ignore[attr-defined]


def test_a_fit_that_does_not_converge_is_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clv, "fit_bg_nbd", lambda *_: None)
    made = predict(_thin([[d, d + 20] for d in range(150)]), 12, 0.10)
    assert np.isnan(made.p_alive).all()
    assert [n.key for n in made.notes] == ["note.clv_no_fit"]  # type: ignore[attr-defined]


def test_thin_orders_run_grades_and_says_why_the_predictions_are_blank(tmp_path: Path) -> None:
    lines = [
        [f"SO{n}", f"C{n % 20}", f"客户{n % 20}", dt.date(2026, 1, 1 + n % 28), 100.0] for n in range(60)
    ]
    path = write_workbook(tmp_path / "orders.xlsx", [HEADERS, *lines], sheet="销售订单")
    result = run("score", path, "--orders", "-o", tmp_path / "out.xlsx", "--json")
    assert result.exit_code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert any("models need at least 100" in w for w in warnings)
    rows = sheet_values(tmp_path / "out.xlsx", 0)
    at = rows[0].index("活跃概率")
    assert all(row[at] is None for row in rows[1:])


def test_the_horizon_and_discount_rate_come_from_the_config(cdnow_book: tuple[Path, OrderBook]) -> None:
    path, book = cdnow_book
    longer = load_preset("clv").model_copy(update={"prediction": Prediction(months=24, discount_rate=0.0)})
    again = read_order_sheet(path, as_of=CALIBRATION_END)
    again.customer_table(longer)
    book.customer_table(load_preset("clv"))
    assert (again.customers["expected_orders"] > book.customers["expected_orders"]).all()
    assert (again.customers["predicted_clv"] > book.customers["predicted_clv"]).all()
    assert any("24" in note for note in again.notes)
    seen = history(book)
    year = predict(seen, 12, 0.10)
    two = predict(seen, 24, 0.10)
    undiscounted = predict(seen, 12, 0.0)
    known = ~np.isnan(seen.x)
    assert (two.expected_orders[known] > year.expected_orders[known]).all()
    assert (undiscounted.predicted_clv[known] > year.predicted_clv[known]).all()


def test_the_prediction_settings_round_trip_through_the_config_sheet(tmp_path: Path) -> None:
    import openpyxl

    from kactier.config.sheet_reader import read_config_sheet

    config_path = tmp_path / "clv24.toml"
    text = (CDNOW.parent.parent.parent / "templates" / "clv.toml").read_text(encoding="utf-8")
    changed = text.replace("months = 12", "months = 24").replace("0.10", "0.08")
    changed = changed.replace("\n[prediction]\n", "\n[prediction]\nat_risk_below = 0.3\n")
    config_path.write_text(changed, encoding="utf-8")
    for lang in ("zh", "en"):
        form = tmp_path / f"form_{lang}.xlsx"
        made = run("template", "-o", form, "--config", config_path, "--lang", lang)
        assert made.exit_code == 0, made.stderr
        found = read_config_sheet(form)
        assert found is not None
        assert found.config.prediction == Prediction(months=24, discount_rate=0.08, at_risk_below=0.3)
        labels = [row[0] for row in openpyxl.load_workbook(form)[found.sheet].iter_rows(values_only=True)]
        assert ("预测月数" if lang == "zh" else "Prediction months") in labels
    plain = tmp_path / "plain.xlsx"
    assert run("template", "-o", plain, "--preset", "clv").exit_code == 0
    sheet = read_config_sheet(plain)
    assert sheet is not None
    assert sheet.config.prediction == Prediction()
    labels = [row[0] for row in openpyxl.load_workbook(plain)[sheet.sheet].iter_rows(values_only=True)]
    assert "预测月数" not in labels
    assert "Prediction months" not in labels


def test_the_clv_preset_grades_the_shipped_order_example(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "examples" / "orders_zh.xlsx"
    result = run("score", example, "--orders", "--preset", "clv", "-o", tmp_path / "clv.xlsx", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["rows"]["scored"] == payload["orders"]["customers"] == 120
    assert all(count > 0 for count in payload["tier_counts"].values())
    assert any("Gamma-Gamma fitted" in w for w in payload["warnings"])


def test_the_months_side_by_side_are_each_month_alone_and_the_clv_sums_them(
    cdnow_book: tuple[Path, OrderBook],
) -> None:
    # expected_by_month computes each distinct (x, T) once, the months on worker threads: the same numbers as
    # expected() called month by month, and the CLV is lifetimes' discounted sum over them.
    _, book = cdnow_book
    seen = history(book)
    model = fit_bg_nbd(seen.x, seen.t_x, seen.T)
    assert model is not None
    by_month = model.expected_by_month(6, seen.x, seen.t_x, seen.T)
    alone = [model.expected(m * MONTH_WEEKS, seen.x, seen.t_x, seen.T) for m in range(1, 7)]
    assert len(by_month) == 6
    for together, one in zip(by_month, alone, strict=True):
        assert np.allclose(together, one, rtol=1e-12, atol=0)
    assert (np.diff(np.stack(by_month), axis=0) >= 0).all()  # purchases up to a later month: never fewer
    repeat = (seen.x > 0) & (seen.m > 0)
    spend = fit_gamma_gamma(seen.x[repeat], seen.m[repeat])
    assert spend is not None
    monthly = 1.1 ** (1 / 12) - 1
    per = spend.spend(seen.x, seen.m)
    plain = sum(per * (alone[m] - (alone[m - 1] if m else 0)) / (1 + monthly) ** (m + 1) for m in range(6))
    assert np.allclose(discounted_value(by_month, spend, seen, 0.1), plain, rtol=1e-12)


@pytest.mark.parametrize("at", [(0.0, 0.0, 0.0, 0.0), (-1.4, 1.5, -0.2, 0.9), (0.3, 2.3, 1.2, 2.0)])
def test_the_likelihoods_gradients_are_their_derivatives(at: tuple[float, ...]) -> None:
    """The fits follow the analytic gradients: each equals the likelihood's central difference."""
    from kactier.orders.clv import bg_nbd_nll, gamma_gamma_nll

    rng = np.random.default_rng(7)
    x = rng.poisson(3, 400).astype(float)
    T = rng.uniform(20, 80, 400).round()
    t_x = np.where(x > 0, np.minimum(T, rng.uniform(0, 80, 400)).round(), 0.0)
    counts, which = np.unique(x, return_inverse=True)
    weight = rng.integers(1, 4, 400).astype(float)
    point = np.array(at)
    for nll, data, where in (
        (bg_nbd_nll, (counts, which, t_x, T, weight), point),
        (gamma_gamma_nll, (counts[1:], which[x > 0] - 1, rng.gamma(2, 50, int((x > 0).sum())), weight[x > 0]),
         point[:3]),
    ):  # fmt: skip
        value, gradient = nll(where, *data)
        step = 1e-6
        central = np.array([
            (nll(where + step * e, *data)[0] - nll(where - step * e, *data)[0]) / (2 * step)
            for e in np.eye(len(where))
        ])  # fmt: skip
        assert np.isfinite(value)
        assert gradient == pytest.approx(central, rel=1e-5, abs=1e-4)


def test_a_step_to_a_vanishing_scale_is_no_error() -> None:
    """A parameter as small as a float holds (alpha or v taken to 0.0 by a long step) gives a value, not a math
    domain error; the fits stay within e^±50 besides."""
    from kactier.orders.clv import bg_nbd_nll, gamma_gamma_nll

    counts, which = np.array([0.0, 2.0, 5.0]), np.array([0, 1, 2, 1])
    t_x, T, weight = np.array([0.0, 10.0, 30.0, 12.0]), np.array([40.0, 40.0, 50.0, 60.0]), np.ones(4)
    value, gradient = bg_nbd_nll(np.array([0.0, -800.0, 0.0, 0.0]), counts, which, t_x, T, weight)
    assert not np.isnan(value)
    assert not np.isnan(gradient).any()
    value, gradient = gamma_gamma_nll(np.array([0.0, 0.0, -800.0]), counts[1:], np.array([0, 1]),
                                      np.array([20.0, 35.0]), np.ones(2))  # fmt: skip
    assert not np.isnan(value)
    assert not np.isnan(gradient).any()
