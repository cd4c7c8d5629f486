"""Order lines totalled per customer (``kactier score --orders``): checked against a plain-Python computation.

The expected figures are computed here with loops over the lines, one customer at a time, from the definitions in
docs/methods.md §11 (window ``start < date ≤ as-of``, refunds netted but not purchases, distinct order ids, the most
recent non-empty descriptive value); the month arithmetic is re-derived independently by stepping back one month at
a time. Generated data puts lines on the boundary days of both windows, includes refunds, multi-line orders,
customers with no order in the window and lines after the as-of date, and is never sorted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from conftest import write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orders_oracle import pandas_aggregate

from kactier.config.presets import load_preset
from kactier.errors import DataError, WorkbookError
from kactier.orders.aggregate import aggregate_orders
from kactier.orders.book import read_order_sheet, reject_order_sheet
from kactier.orders.lines import LineStatus
from kactier.orders.window import Window, months_before
from kactier.problems import Action, IssueCode
from kactier.read.workbook import read_customer_sheet
from kactier.report.order_kpis import LIFETIME_CAP_YEARS, order_kpis

ZH_ORDER_HEADERS = ["订单号", "客户编号", "客户名称", "所在地区", "订单日期", "订单金额", "毛利", "回款天数"]
AS_OF = dt.date(2024, 6, 30)


# -- an independent computation -----------------------------------------------------------------------------------


def step_back(day: dt.date, months: int) -> dt.date:
    """``day`` minus ``months`` months, one month at a time: same day number, or the month's last day when ``day``
    is the last day of its month or the target month is shorter."""
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    year, month = day.year, day.month
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if month_end else min(day.day, last))


def expected_customers(lines: list[dict[str, Any]], as_of: dt.date, months: int) -> dict[str, dict[str, Any]]:
    """Per customer id, the figures kactier must produce, by loops over the lines."""
    start, previous = step_back(as_of, months), step_back(as_of, 2 * months)
    out: dict[str, dict[str, Any]] = {}
    for line in sorted(lines, key=lambda x: (x["date"], x["row"])):
        if line["date"] > as_of:
            continue
        c = out.setdefault(
            line["id"],
            {"sales": 0.0, "lines": 0, "keys": set(), "prev": set(), "first": None, "last": None,
             "profit": [], "pay": [], "name": None, "region": None},
        )  # fmt: skip
        purchase = line["amount"] >= 0
        key = line.get("order") or ("row", line["row"])
        if line["date"] > start:
            c["sales"] += line["amount"]
            c["lines"] += 1
            if line.get("profit") is not None:
                c["profit"].append(line["profit"])
            if line.get("pay") is not None:
                c["pay"].append(line["pay"])
            if purchase:
                c["keys"].add(key)
        elif line["date"] > previous and purchase:
            c["prev"].add(key)
        if purchase:
            c["first"] = c["first"] or line["date"]
            c["last"] = line["date"]
        for text in ("name", "region"):
            if line.get(text):
                c[text] = line[text]
    result = {}
    for cid, c in out.items():
        orders = len(c["keys"])
        result[cid] = {
            "annual_sales": c["sales"],
            "orders": orders,
            "orders_previous": len(c["prev"]),
            "first_deal_date": c["first"],
            "last_order_date": c["last"],
            "recency_days": None if c["last"] is None else (as_of - c["last"]).days,
            "gross_profit": sum(c["profit"]) if c["profit"] else (0.0 if c["lines"] == 0 else None),
            "avg_order_value": c["sales"] / orders if orders else None,
            "payment_days": sum(c["pay"]) / len(c["pay"]) if c["pay"] else None,
            "customer_name": c["name"],
            "region": c["region"],
        }
    return result


def random_lines(
    rng: random.Random, n: int, as_of: dt.date, months: int, after: bool = False
) -> list[dict[str, Any]]:
    """Unsorted order lines for 12 customers: boundary days, refunds, zero amounts, multi-line orders, blanks.

    Customers K09–K11 only order before the window; with ``after`` some lines fall after the as-of date.
    """
    start, previous = step_back(as_of, months), step_back(as_of, 2 * months)
    one = dt.timedelta(days=1)
    boundaries = [start, start + one, as_of, as_of - one, previous, previous + one, previous - one]
    if after:
        boundaries += [as_of + one]
    oldest = step_back(as_of, 3 * months)
    lines: list[dict[str, Any]] = []
    for row in range(2, n + 2):
        cid = f"K{rng.randrange(12):02d}"
        if cid >= "K09":
            day = oldest + dt.timedelta(days=rng.randrange((start - oldest).days + 1))
        elif rng.random() < 0.4:
            day = rng.choice(boundaries)
        else:
            span = (as_of - oldest).days + (20 if after else 0)
            day = oldest + dt.timedelta(days=rng.randrange(span + 1))
        roll = rng.random()
        amount = (
            round(-rng.uniform(1, 500), 2)
            if roll < 0.12
            else 0.0
            if roll < 0.15
            else round(rng.uniform(1, 5000), 2)
        )
        if rng.random() < 0.3 and lines:  # another line of an earlier order of the same customer
            same = [x for x in lines if x["id"] == cid and x["order"]]
            order = rng.choice(same)["order"] if same else f"SO{row}"
        else:
            order = f"SO{row}" if rng.random() < 0.9 else None
        lines.append(
            {
                "row": row,
                "order": order,
                "id": cid,
                "name": rng.choice([f"{cid}公司", f"{cid}有限公司", None]),
                "region": rng.choice(["华东", "华南", None]),
                "date": day,
                "amount": amount,
                "profit": None if rng.random() < 0.2 else round(amount * 0.2, 2),
                "pay": None if rng.random() < 0.3 else float(rng.randrange(0, 120)),
            }
        )
    return lines


def lines_frame(lines: list[dict[str, Any]]) -> pd.DataFrame:
    """The lines as :func:`aggregate_orders` takes them."""
    return pd.DataFrame(
        {
            "excel_row": [x["row"] for x in lines],
            "customer_id": [x["id"] for x in lines],
            "day": [x["date"].toordinal() for x in lines],
            "amount": [x["amount"] for x in lines],
            "order_id": [x["order"] for x in lines],
            "gross_profit": [np.nan if x["profit"] is None else x["profit"] for x in lines],
            "payment_days": [np.nan if x["pay"] is None else x["pay"] for x in lines],
            "customer_name": [x["name"] for x in lines],
            "region": [x["region"] for x in lines],
        }
    )


def as_sheet_rows(lines: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [x["order"], x["id"], x["name"], x["region"], x["date"], x["amount"], x["profit"], x["pay"]]
        for x in lines
    ]


def close(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return bool(a == b)


def assert_matches(frame: pd.DataFrame, expected: dict[str, dict[str, Any]]) -> None:
    assert frame["customer_id"].tolist() == sorted(expected)
    for record in frame.to_dict("records"):
        want = expected[record["customer_id"]]
        for key, value in want.items():
            got = record.get(key)
            if isinstance(got, float) and math.isnan(got):
                got = None
            assert close(value, got), f"{record['customer_id']} {key}: expected {value!r}, got {got!r}"


# -- the window ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 6, 30), 12, dt.date(2023, 6, 30)),  # month end → month end: whole calendar months
        (dt.date(2024, 6, 30), 1, dt.date(2024, 5, 31)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),  # clamped to a leap February
        (dt.date(2023, 3, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
        (dt.date(2023, 2, 28), 1, dt.date(2023, 1, 31)),  # the last day of February is a month end
        (dt.date(2024, 6, 15), 12, dt.date(2023, 6, 15)),
        (dt.date(2024, 1, 15), 2, dt.date(2023, 11, 15)),  # across the year
        (dt.date(2024, 5, 30), 3, dt.date(2024, 2, 29)),  # not a month end, clamped
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected
    assert step_back(day, months) == expected  # the test's own arithmetic agrees on the worked cases


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.integers(1, 60))
def test_months_before_agrees_with_stepping_back_month_by_month(day: dt.date, months: int) -> None:
    assert months_before(day, months) == step_back(day, months)


def test_window_is_the_months_ending_at_as_of_with_start_excluded() -> None:
    window = Window(AS_OF, 12)
    assert window.start == dt.date(2023, 6, 30)
    assert window.first_day == dt.date(2023, 7, 1)
    assert window.previous_start == dt.date(2022, 6, 30)


# -- aggregation against the loops ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "as_of", "months"), [(1, AS_OF, 12), (2, dt.date(2024, 3, 15), 6), (3, AS_OF, 1)]
)
def test_aggregate_orders_matches_the_loops(seed: int, as_of: dt.date, months: int) -> None:
    lines = random_lines(random.Random(seed), 400, as_of, months, after=True)
    frame = aggregate_orders(lines_frame(lines), Window(as_of, months))
    expected = expected_customers(lines, as_of, months)
    assert_matches(frame, expected)
    # the cases the data was built for are present
    assert any(e["orders"] == 0 for e in expected.values()), "a customer without an order in the window"
    assert any(x["amount"] < 0 for x in lines)
    assert any(x["date"] == step_back(as_of, months) for x in lines), "a line on the day before the window"
    assert any(x["date"] == as_of for x in lines)


def test_boundary_days_fall_on_the_right_side() -> None:
    start = dt.date(2023, 6, 30)
    lines = [
        {"row": 2, "order": "A", "id": "C1", "date": start, "amount": 10.0},  # last day before the window
        {
            "row": 3,
            "order": "B",
            "id": "C1",
            "date": start + dt.timedelta(days=1),
            "amount": 20.0,
        },  # first day
        {"row": 4, "order": "C", "id": "C1", "date": AS_OF, "amount": 40.0},  # the as-of day: in
        {
            "row": 5,
            "order": "D",
            "id": "C1",
            "date": AS_OF + dt.timedelta(days=1),
            "amount": 80.0,
        },  # after: out
        {
            "row": 6,
            "order": "E",
            "id": "C1",
            "date": dt.date(2022, 6, 30),
            "amount": 160.0,
        },  # before previous
        {"row": 7, "order": "F", "id": "C1", "date": dt.date(2022, 7, 1), "amount": 320.0},  # previous window
    ]
    frame = aggregate_orders(pd.DataFrame(lines).rename(columns={"row": "excel_row", "id": "customer_id",
                                                                 "order": "order_id"}).assign(
        day=lambda f: [d.toordinal() for d in f["date"]]).drop(columns="date"), Window(AS_OF, 12))  # fmt: skip
    row = frame.iloc[0]
    assert row["annual_sales"] == 60.0
    assert row["orders"] == 2
    assert row["orders_previous"] == 2  # 2022-07-01 and 2023-06-30
    assert row["recency_days"] == 0.0
    assert row["first_deal_date"] == dt.date(2022, 6, 30)


def test_refunds_net_sales_but_are_not_purchases() -> None:
    lines = [
        {"excel_row": 2, "customer_id": "C1", "day": dt.date(2024, 1, 10).toordinal(), "amount": 100.0},
        {"excel_row": 3, "customer_id": "C1", "day": dt.date(2024, 6, 1).toordinal(), "amount": -30.0},
        {"excel_row": 4, "customer_id": "C2", "day": dt.date(2024, 2, 1).toordinal(), "amount": -5.0},
    ]
    frame = aggregate_orders(pd.DataFrame(lines), Window(AS_OF, 12)).set_index("customer_id")
    assert frame.loc["C1", "annual_sales"] == 70.0
    assert frame.loc["C1", "orders"] == 1
    assert frame.loc["C1", "last_order_date"] == dt.date(2024, 1, 10)  # the refund is not the last purchase
    assert frame.loc["C1", "avg_order_value"] == 70.0
    assert frame.loc["C2", "orders"] == 0  # only a refund: in the table, no purchase, no recency
    assert frame.loc["C2", "annual_sales"] == -5.0
    assert math.isnan(frame["recency_days"].tolist()[1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            st.integers(-420, 30),  # days from the as-of date
            st.floats(-1000, 1000, allow_nan=False).map(lambda x: round(x, 2)),
            st.sampled_from([None, "O1", "O2", "O3"]),
        ),
        min_size=1,
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_aggregation_property_loops_and_row_order(
    raw: list[tuple[str, int, float, str | None]], rng: random.Random
) -> None:
    lines: list[dict[str, Any]] = [
        {"row": i + 2, "id": cid, "date": AS_OF + dt.timedelta(days=offset), "amount": amount, "order": order,
         "profit": None, "pay": None, "name": None, "region": None}
        for i, (cid, offset, amount, order) in enumerate(raw)
    ]  # fmt: skip
    window = Window(AS_OF, 12)
    expected = expected_customers(lines, AS_OF, 12)
    if not expected:  # every line after the as-of date
        assert aggregate_orders(lines_frame(lines), window).empty
        return
    frame = aggregate_orders(lines_frame(lines), window)
    assert_matches(frame, expected)
    shuffled = lines[:]
    rng.shuffle(shuffled)
    again = aggregate_orders(lines_frame(shuffled), window)
    pd.testing.assert_frame_equal(frame, again, check_exact=False, rtol=1e-9)
    in_window = sum(x["amount"] for x in lines if window.start < x["date"] <= AS_OF)
    assert math.isclose(frame["annual_sales"].sum(), in_window, rel_tol=1e-9, abs_tol=1e-6)


# -- reading an order sheet -----------------------------------------------------------------------------------------


def test_read_order_sheet_matches_the_loops_on_a_workbook(tmp_path: Path) -> None:
    lines = random_lines(random.Random(7), 300, AS_OF, 12)
    path = write_workbook(tmp_path / "orders.xlsx", [ZH_ORDER_HEADERS, *as_sheet_rows(lines)], sheet="订单")
    book = read_order_sheet(path)
    assert book.window == Window(max(x["date"] for x in lines), 12)  # default as-of: the last order date
    assert_matches(book.customers, expected_customers(lines, book.window.as_of, 12))
    assert book.counts.read == len(lines) == book.counts.in_window + book.counts.before_window
    refunds = [i.row for i in book.issues if i.code is IssueCode.REFUND_NETTED]
    assert refunds == [x["row"] for x in lines if x["amount"] < 0]


def test_as_of_and_window_months(tmp_path: Path) -> None:
    lines = random_lines(random.Random(11), 200, dt.date(2024, 3, 15), 6, after=True)
    path = write_workbook(tmp_path / "orders.xlsx", [ZH_ORDER_HEADERS, *as_sheet_rows(lines)])
    book = read_order_sheet(path, as_of=dt.date(2024, 3, 15), window_months=6)
    assert_matches(book.customers, expected_customers(lines, dt.date(2024, 3, 15), 6))
    late = sorted(x["row"] for x in lines if x["date"] > dt.date(2024, 3, 15))
    assert late, "the data has lines after the as-of date"
    reported = sorted(i.row or 0 for i in book.issues if i.code is IssueCode.AFTER_AS_OF)
    assert reported == late
    assert all(i.action is Action.LINE_EXCLUDED for i in book.issues if i.code is IssueCode.AFTER_AS_OF)
    assert book.counts.after_as_of == len(late)
    status = book.status.tolist()
    assert [r for r, s in enumerate(status, start=2) if s == LineStatus.AFTER_AS_OF] == late


def test_row_problems_have_the_order_sheet_row_numbers_and_counts_reconcile(tmp_path: Path) -> None:
    d = dt.date
    rows: list[list[Any] | None] = [
        ZH_ORDER_HEADERS,
        ["O1", "C1", "甲", "华东", d(2024, 1, 5), 100.0, 20.0, 30],  # row 4
        ["O2", None, "乙", "华东", d(2024, 1, 6), 50.0, None, None],  # 5: no customer id
        ["O3", "C2", "丙", "华南", "2024-13-01", 50.0, None, None],  # 6: not a date
        ["O4", "C2", "丙", "华南", d(2024, 2, 1), "很多", None, None],  # 7: not a number
        ["O5", "C2", "丙", "华南", None, 60.0, None, None],  # 8: no date
        ["O6", "C2", "丙", "华南", d(2024, 2, 2), None, None, None],  # 9: no amount
        ["O7", "C2", "丙", "华南", "2024/2/3", "¥1,200.50", None, -5],  # 10: text read, payment days negative
        ["O8", "C1", "甲", "华东", d(2024, 3, 1), -40.0, -8.0, None],  # 11: a refund
        None,  # 12: blank
        ZH_ORDER_HEADERS,  # 13: repeated header
        ["合计", None, None, None, None, 1270.5, None, None],  # 14: total
    ]
    path = write_workbook(tmp_path / "orders.xlsx", rows, title=["2024 年销售订单", ""])
    book = read_order_sheet(path)
    assert book.source.header_row == 3
    found = {(i.row, i.code) for i in book.issues}
    assert {
        (1, IssueCode.TITLE_ROW_SKIPPED),
        (5, IssueCode.MISSING_ID),
        (6, IssueCode.NOT_A_DATE),
        (7, IssueCode.NOT_A_NUMBER),
        (8, IssueCode.ORDER_VALUE_MISSING),
        (9, IssueCode.ORDER_VALUE_MISSING),
        (10, IssueCode.VALUE_COERCED),
        (10, IssueCode.NEGATIVE_VALUE),
        (11, IssueCode.REFUND_NETTED),
        (12, IssueCode.BLANK_ROW_SKIPPED),
        (13, IssueCode.REPEATED_HEADER_SKIPPED),
        (14, IssueCode.TOTAL_ROW_SKIPPED),
    } <= found
    excluded = {i.row for i in book.issues if i.action is Action.LINE_EXCLUDED}
    assert excluded == {5, 6, 7, 8, 9}
    by_code = {i.code: i for i in book.issues}
    assert by_code[IssueCode.NOT_A_DATE].column == "订单明细!订单日期"
    assert by_code[IssueCode.NOT_A_DATE].value == "2024-13-01"
    assert by_code[IssueCode.TITLE_ROW_SKIPPED].column == "订单明细"
    counts = book.counts
    assert (counts.read, counts.skipped, counts.invalid, counts.in_window) == (11, 3, 5, 3)
    assert (
        counts.read
        == counts.skipped + counts.invalid + counts.after_as_of + counts.before_window + counts.in_window
    )
    customers = book.customers.set_index("customer_id")
    assert customers.loc["C2", "annual_sales"] == 1200.5
    assert math.isnan(customers["payment_days"].tolist()[1])  # the negative value is treated as missing
    assert customers.loc["C1", "annual_sales"] == 60.0


def test_error_values_drop_a_line_only_where_a_required_value_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("订单")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["客户编号", "订单日期", "订单金额", "客户名称"])
    for row in (1, 2, 3):
        sheet.write_datetime(row, 1, dt.datetime(2024, 1, row), date_format)
    sheet.write_row(1, 0, ["C1"])
    sheet.write_number(1, 2, 10.0)
    sheet.write_formula(1, 3, "=NA()", None, "#N/A")  # row 2: a name that is an error value: blank name
    sheet.write_formula(2, 0, "=NA()", None, "#N/A")  # row 3: the id is an error value: not counted
    sheet.write_number(2, 2, 5.0)
    sheet.write_string(3, 0, "C1")
    sheet.write_formula(3, 2, "=1/0", None, "#DIV/0!")  # row 4: the amount is an error value: not counted
    book.close()

    orders = read_order_sheet(path)

    found = {(i.row, i.code, i.action) for i in orders.issues}
    assert found == {
        (2, IssueCode.CELL_ERROR, Action.VALUE_MISSING),
        (3, IssueCode.CELL_ERROR, Action.LINE_EXCLUDED),
        (4, IssueCode.CELL_ERROR, Action.LINE_EXCLUDED),
    }
    assert orders.customers["customer_id"].tolist() == ["C1"]  # no customer called "#N/A"
    assert orders.customers["customer_name"].tolist() == [None]
    assert orders.customers["annual_sales"].tolist() == [10.0]


def test_paid_date_gives_payment_days(tmp_path: Path) -> None:
    d = dt.date
    rows: list[list[Any]] = [
        ["客户编号", "订单日期", "订单金额", "回款日期"],
        ["C1", d(2024, 1, 1), 10.0, d(2024, 1, 31)],  # 30 days
        ["C1", d(2024, 2, 1), 10.0, d(2024, 2, 11)],  # 10 days
        ["C1", d(2024, 3, 1), 10.0, None],  # not paid yet: left out of the mean
        ["C1", d(2024, 4, 1), 10.0, d(2024, 3, 1)],  # paid before ordered: reported, left out
    ]
    book = read_order_sheet(write_workbook(tmp_path / "o.xlsx", rows))
    assert book.customers.loc[0, "payment_days"] == 20.0
    early = [i for i in book.issues if i.code is IssueCode.PAID_BEFORE_ORDER]
    assert [(i.row, i.action) for i in early] == [(5, Action.VALUE_MISSING)]


def test_sales_column_is_taken_as_the_amount_when_there_is_no_amount_column(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Order ID", "Customer ID", "Customer Name", "Order Date", "Sales", "Profit"],
            ["CA-1", "AB-100", "Alpha", dt.date(2024, 5, 1), 261.96, 41.91],
            ["CA-2", "AB-100", "Alpha", dt.date(2024, 5, 2), 731.94, 219.58]]  # fmt: skip
    book = read_order_sheet(write_workbook(tmp_path / "superstore.xlsx", rows, sheet="Orders"))
    assert book.lang == "en"
    assert math.isclose(book.customers["annual_sales"].tolist()[0], 993.9)
    assert any("'Sales' is taken as each order's amount" in note for note in book.notes)
    sheet = book.customer_sheet()
    assert sheet.sheet == "Customers"
    assert sheet.headers[:2] == ["Customer ID", "Customer Name"]


def test_workbook_level_problems(tmp_path: Path) -> None:
    no_amount = write_workbook(
        tmp_path / "a.xlsx", [["客户编号", "客户名称", "订单日期"], ["C1", "甲", dt.date(2024, 1, 1)]]
    )
    with pytest.raises(
        WorkbookError, match=r"required column missing for order lines: 订单金额 / Order Amount"
    ):
        read_order_sheet(no_amount)
    two_dates = write_workbook(tmp_path / "b.xlsx", [["客户编号", "订单日期", "下单日期", "金额"]])
    with pytest.raises(WorkbookError, match="both mean 订单日期 / Order Date"):
        read_order_sheet(two_dates)
    nothing = write_workbook(tmp_path / "c.xlsx", [["客户编号", "订单日期", "金额"], ["C1", "不详", 5]])
    with pytest.raises(DataError, match="no order line has a customer id, an order date and an amount"):
        read_order_sheet(nothing)


def test_a_config_needing_fields_the_orders_cannot_give_is_refused(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["客户编号", "订单日期", "金额"], ["C1", dt.date(2024, 1, 1), 5.0]]
    book = read_order_sheet(write_workbook(tmp_path / "o.xlsx", rows))
    with pytest.raises(WorkbookError, match=r"scores 购买力评分 / Purchasing Power.*--preset rfm"):
        book.customer_table(load_preset("key-account"))
    with pytest.raises(WorkbookError, match="毛利 / Gross Profit"):  # no profit column in this sheet
        book.customer_table(load_preset("sales-profit-payment"))
    table = book.customer_table(load_preset("rfm"))
    assert table.column_names[:2] == ["客户编号", "客户名称"]
    assert not [
        i for i in table.issues if i.code is IssueCode.MISSING_NAME
    ]  # no name column: no issue per row


# -- KPIs -----------------------------------------------------------------------------------------------------------


def test_order_kpis_match_the_loops() -> None:
    lines = random_lines(random.Random(5), 500, AS_OF, 12)
    window = Window(AS_OF, 12)
    customers = aggregate_orders(lines_frame(lines), window)
    rng = random.Random(9)
    tier = np.array([rng.choice([-1, 0, 1, 2]) for _ in range(len(customers))])
    kpis = order_kpis(customers, tier, 3, window)
    start, previous = step_back(AS_OF, 12), step_back(AS_OF, 24)
    ids = customers["customer_id"].tolist()

    def purchases(cid: str, low: dt.date, high: dt.date) -> int:
        keys = {
            x["order"] or x["row"]
            for x in lines
            if x["id"] == cid and low < x["date"] <= high and x["amount"] >= 0
        }
        return len(keys)

    for members, got in [(tier >= 0, kpis.overall), *((tier == t, kpis.per_tier[t]) for t in range(3))]:
        chosen = [cid for cid, m in zip(ids, members, strict=True) if m]
        now = {cid: purchases(cid, start, AS_OF) for cid in chosen}
        before = {cid: purchases(cid, previous, start) for cid in chosen}
        sales = sum(x["amount"] for x in lines if x["id"] in chosen and start < x["date"] <= AS_OF)
        profit = sum(x["profit"] or 0.0 for x in lines if x["id"] in chosen and start < x["date"] <= AS_OF)
        first = {cid: min(x["date"] for x in lines if x["id"] == cid and x["amount"] >= 0) for cid in chosen}
        ordering = sum(1 for n in now.values() if n >= 1)
        assert got.customers == len(chosen)
        assert got.ordering == ordering
        assert got.new == sum(1 for cid in chosen if first[cid] > start)
        assert got.repeat_rate == (sum(1 for n in now.values() if n >= 2) / ordering if ordering else None)
        was = [cid for cid in chosen if before[cid] >= 1]
        retention = sum(1 for cid in was if now[cid] >= 1) / len(was) if was else None
        assert got.retention == retention
        assert close(got.average_order_value, sales / sum(now.values()) if sum(now.values()) else None)
        margin = profit / sales if sales > 0 else None
        assert close(got.margin, margin)
        if retention is not None and ordering and margin is not None:
            years = LIFETIME_CAP_YEARS if retention == 1 else min(LIFETIME_CAP_YEARS, 1 / (1 - retention))
            assert close(got.lifetime_years(12), years)
            assert close(got.clv(12), sales / ordering * margin * years)


def test_lifetime_is_capped_and_clv_uses_annualised_sales() -> None:
    from kactier.report.order_kpis import SegmentKpis

    loyal = SegmentKpis(customers=4, ordering=4, repeat=2, new=0, previous=4, retained=4, sales=1200.0, orders=8,
                        profit=300.0)  # fmt: skip
    assert loyal.lifetime_years(6) == LIFETIME_CAP_YEARS  # nobody churned
    assert loyal.annual_value(6) == 1200.0 * 2 / 4  # six months of sales, scaled to a year
    assert loyal.clv(6) == 600.0 * 0.25 * LIFETIME_CAP_YEARS
    leaky = SegmentKpis(customers=4, ordering=2, repeat=0, new=0, previous=4, retained=1, sales=100.0, orders=2,
                        profit=None)  # fmt: skip
    assert leaky.lifetime_years(12) == pytest.approx(1 / 0.75)
    assert leaky.lifetime_years(6) == pytest.approx(0.5 / 0.75)  # a churn rate per half year
    assert leaky.clv(12) is None  # no profit column, no margin


# -- telling an order sheet from a customer sheet -----------------------------------------------------------------


def test_an_order_sheet_given_as_customers_is_refused_with_a_hint(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["客户编号", "客户名称", "订单日期", "订单金额"],
            ["C1", "甲", dt.date(2024, 1, 1), 5.0], ["C2", "乙", dt.date(2024, 1, 2), 6.0],
            ["C1", "甲", dt.date(2024, 1, 3), 7.0]]  # fmt: skip
    raw = read_customer_sheet(write_workbook(tmp_path / "o.xlsx", rows))
    with pytest.raises(WorkbookError, match=r"looks like order lines.*'C1' is on rows 2 and 4.*--orders"):
        reject_order_sheet(raw)


@pytest.mark.parametrize(
    "rows",
    [
        [
            ["客户编号", "客户名称", "年销售额"],
            ["C1", "甲", 5.0],
            ["C1", "甲", 6.0],
        ],  # duplicates, no order column
        [
            ["客户编号", "客户名称", "最近购买日期"],
            ["C1", "甲", dt.date(2024, 1, 1)],
            ["C1", "甲", dt.date(2024, 1, 1)],
        ],
        [
            ["客户编号", "客户名称", "订单金额"],
            ["C1", "甲", 5.0],
            ["C2", "乙", 6.0],
        ],  # an order column, ids unique
    ],
)
def test_customer_sheets_are_not_mistaken_for_orders(tmp_path: Path, rows: list[list[Any]]) -> None:
    reject_order_sheet(read_customer_sheet(write_workbook(tmp_path / "c.xlsx", rows)))


def test_the_sql_engine_matches_the_pandas_oracle_on_many_lines() -> None:
    """200,000 lines of 5,000 customers: DuckDB's query gives the pandas groupby's table, cell for cell."""
    rng = np.random.default_rng(7)
    n = 200_000
    as_of = dt.date(2026, 6, 30)
    days = as_of.toordinal() - rng.integers(-10, 3 * 365, n)
    amounts = np.round(rng.lognormal(7, 1.2, n), 2) * np.where(rng.random(n) < 0.08, -1, 1)

    def some_missing(values: Any, share: float) -> list[Any]:
        return [None if gone else v for gone, v in zip(rng.random(n) < share, list(values), strict=True)]

    orders = some_missing(rng.integers(0, n // 2, n).astype(str), 0.1)
    lines = pd.DataFrame(
        {
            "excel_row": np.arange(2, n + 2),
            "customer_id": [f"C{c:05d}" for c in rng.integers(0, 5000, n)],
            "day": days,
            "amount": amounts,
            "order_id": orders,
            "gross_profit": np.where(rng.random(n) < 0.2, np.nan, np.round(amounts * 0.3, 2)),
            "payment_days": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 120, n).astype(float)),
            "customer_name": some_missing((f"公司{i % 777}" for i in range(n)), 0.3),
            "region": some_missing(rng.choice(["华东", "华南", "华北"], n), 0.5),
        }
    )
    window = Window(as_of, 12)

    sql, oracle = aggregate_orders(lines, window), pandas_aggregate(lines, window)

    assert list(sql.columns) == list(oracle.columns)
    assert len(sql) > 4900
    for column in sql.columns:
        left, right = sql[column].tolist(), oracle[column].tolist()
        if sql[column].dtype.kind == "f":
            np.testing.assert_allclose(np.asarray(left), np.asarray(right), rtol=1e-12, equal_nan=True)
        else:
            assert left == right, column


def write_orders_csv(path: Path, rows: list[list[Any]]) -> Path:
    """The rows as an exported CSV file: dates in ISO form, blanks empty, numbers as Python prints them."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
            )
    return path


def test_a_csv_export_gives_the_workbooks_totals_issues_and_counts(tmp_path: Path) -> None:
    """The same order lines through both readers: the same customers, refunds, late lines and counts."""
    as_of = dt.date(2024, 3, 15)
    lines = random_lines(random.Random(23), 300, as_of, 6, after=True)
    rows = [ZH_ORDER_HEADERS, *as_sheet_rows(lines)]
    books = [
        read_order_sheet(write_workbook(tmp_path / "orders.xlsx", rows), as_of=as_of, window_months=6),
        read_order_sheet(write_orders_csv(tmp_path / "orders.csv", rows), as_of=as_of, window_months=6),
    ]
    expected = expected_customers(lines, as_of, 6)
    for book in books:
        assert_matches(book.customers, expected)
    xlsx, csv_book = books
    assert csv_book.counts == xlsx.counts
    assert csv_book.status.tolist() == xlsx.status.tolist()
    for code in (IssueCode.REFUND_NETTED, IssueCode.AFTER_AS_OF):
        assert [i.row for i in csv_book.issues if i.code is code] == [
            i.row for i in xlsx.issues if i.code is code
        ]
