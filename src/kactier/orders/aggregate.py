"""From counted order lines to one row per customer: one SQL query, run by DuckDB.

The definitions of each column (年销售额, 交易次数, 距上次购买天数, ...) are in :mod:`kactier.orders.book` and
docs/methods.md §11. Customers and order ids are made small integer codes first (pandas ``factorize``), so the
query groups and counts integers only; a descriptive field (name, region, industry, owner) is taken from the line
the query picks (the most recent one with a value), so its value stays exactly as read. The query is standard SQL
(aggregates with ``FILTER``, ``arg_max``), as a warehouse engine runs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .clv import PREDICTED_FIELDS, WEEK_DAYS
from .lines import DESCRIPTIVE_FIELDS
from .window import Window

# The customer table built from the orders, in column order; the fields a config can score with --orders.
CUSTOMER_FIELDS = (
    "customer_id",
    *DESCRIPTIVE_FIELDS,
    "first_deal_date",
    "last_order_date",
    "recency_days",
    "orders",
    "annual_sales",
    "gross_profit",
    "avg_order_value",
    "payment_days",
    *PREDICTED_FIELDS,
)
HISTORY_COLUMNS = (
    "repeat_days",
    "repeat_weeks",
    "age_weeks",
    "repeat_spend",
)  # what the models are fitted on
_ROW_SPAN = 10**10  # a line's place in time: day * _ROW_SPAN + its row, so the later row wins on the same day


def aggregate_orders(lines: pd.DataFrame, window: Window) -> pd.DataFrame:
    """One row per customer id (sorted) from order lines; the definitions are in :mod:`kactier.orders.book`.

    ``lines`` has ``customer_id``, ``day`` (``date.toordinal()``), ``amount`` and ``excel_row``, and optionally
    ``order_id``, ``gross_profit``, ``payment_days`` and the descriptive fields; lines dated after the as-of date
    are ignored. The result has the :data:`CUSTOMER_FIELDS` the lines allow, plus ``orders_previous`` (purchases
    in the previous window) and ``window_lines`` (lines in the window, refunds included).
    """
    lines = lines.loc[lines["day"] <= window.as_of.toordinal()]
    codes, ids = pd.factorize(lines["customer_id"], sort=True)
    keyed = pd.DataFrame(
        {
            "customer": codes,
            "day": lines["day"].to_numpy(dtype=np.int64),
            "amount": lines["amount"].to_numpy(dtype=float),
            "place": lines["day"].to_numpy(dtype=np.int64) * _ROW_SPAN
            + lines["excel_row"].to_numpy(dtype=np.int64),
        }
    )
    has_order_id = "order_id" in lines
    if has_order_id:
        order_codes = pd.factorize(lines["order_id"])[0]
        keyed["order_code"] = pd.array(np.where(order_codes >= 0, order_codes, -1), dtype="Int64")
        keyed.loc[order_codes < 0, "order_code"] = pd.NA  # a line without an order id
    optional = [k for k in ("gross_profit", "payment_days") if k in lines]
    for key in optional:
        keyed[key] = lines[key].to_numpy(dtype=float)
    descriptive = [k for k in DESCRIPTIVE_FIELDS if k in lines]
    for key in descriptive:
        keyed[f"has_{key}"] = lines[key].notna().to_numpy()
    keyed["line_no"] = np.arange(len(keyed), dtype=np.int64)
    totals, history = _query(keyed, window, has_order_id, optional, descriptive)

    def picked(key: str, line_numbers: list[int]) -> list[Any]:
        values = lines[key].to_numpy(dtype=object)
        return [values[n] for n in line_numbers]

    out = customer_table(totals, ids, picked, window, optional, descriptive)
    return with_history(out, totals["customer"], history, window)


def _query(
    keyed: pd.DataFrame, window: Window, has_order_id: bool, optional: list[str], descriptive: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-customer totals of ``keyed`` (integer codes), ordered by customer code, and their purchase days
    (:func:`purchase_days_sql`)."""
    import duckdb  # here, not at the top: a customer-sheet run never pays for loading it

    sql = totals_sql("keyed", window, has_order_id, optional, descriptive)
    with duckdb.connect(config={"threads": 1}) as connection:
        connection.register("keyed", keyed)
        result: pd.DataFrame = connection.execute(sql).df()
        history: pd.DataFrame = connection.execute(purchase_days_sql("keyed")).df()
    return result, history


def purchase_days_sql(source: str) -> str:
    """The query of each customer's purchase days in the counted lines of ``source`` (as :func:`totals_sql`'s):
    the first and last purchase day, the repeat purchases (distinct purchase days after the first) and their mean
    spend (each day's amounts summed). A purchase is a line of amount ≥ 0, as 交易次数 counts them.

    The sums are exact (decimals to 1e-10), so they do not depend on the order DuckDB's threads add the lines in:
    the Gamma-Gamma fit on them is ill-conditioned when spend hardly varies, and a last-digit difference would
    move its predictions."""
    return (
        "WITH days AS (SELECT customer, day, sum(CAST(amount AS DECIMAL(38, 10))) AS spend FROM "
        f"{source} WHERE amount >= 0 GROUP BY customer, day), "
        "firsts AS (SELECT customer, day, spend, min(day) OVER (PARTITION BY customer) AS first FROM days) "
        "SELECT customer, count(*) - 1 AS repeat_days, min(day) AS first_day, max(day) AS last_day, "
        "CAST(sum(spend) FILTER (WHERE day > first) AS DOUBLE) / count(*) FILTER (WHERE day > first) "
        "AS repeat_spend FROM firsts GROUP BY customer"
    )


def with_history(
    out: pd.DataFrame, customers: pd.Series, history: pd.DataFrame, window: Window
) -> pd.DataFrame:
    """``out`` (one row per customer of ``customers``, in order) with the :data:`HISTORY_COLUMNS` the models are
    fitted on, up to the as-of date; NaN for a customer without a purchase."""
    found = history.set_index("customer").reindex(pd.Index(customers))
    first = found["first_day"].to_numpy(dtype=float)
    out["repeat_days"] = found["repeat_days"].to_numpy(dtype=float)
    out["repeat_weeks"] = (found["last_day"].to_numpy(dtype=float) - first) / WEEK_DAYS
    out["age_weeks"] = (window.as_of.toordinal() - first) / WEEK_DAYS
    out["repeat_spend"] = found["repeat_spend"].to_numpy(dtype=float)
    return out


def totals_sql(
    source: str, window: Window, has_order_id: bool, optional: list[str], descriptive: list[str]
) -> str:
    """The query of the per-customer totals of the counted lines in the relation ``source``, ordered by customer.

    ``source`` has ``customer`` (any type that sorts as the ids should), ``day`` (``date.toordinal()``),
    ``amount``, ``place`` (orders the lines in time: later day, then later line), ``line_no``, and, as the lines
    allow, ``order_code`` (NULL for a line without an order id), ``gross_profit``, ``payment_days`` and a
    ``has_<field>`` flag per descriptive field."""
    start, previous = window.start.toordinal(), window.previous_start.toordinal()
    in_window, in_previous = f"day > {start}", f"day > {previous} AND day <= {start}"
    purchases = (
        "count(DISTINCT order_code) FILTER (WHERE amount >= 0 AND {w}) "
        "+ count(*) FILTER (WHERE amount >= 0 AND {w} AND order_code IS NULL)"
        if has_order_id
        else "count(*) FILTER (WHERE amount >= 0 AND {w})"
    )
    columns = [
        "customer",
        f"count(*) FILTER (WHERE {in_window}) AS window_lines",
        f"{purchases.format(w=in_window)} AS orders",
        f"{purchases.format(w=in_previous)} AS orders_previous",
        f"coalesce(fsum(amount) FILTER (WHERE {in_window}), 0.0) AS annual_sales",
        "min(day) FILTER (WHERE amount >= 0) AS first_day",
        "max(day) FILTER (WHERE amount >= 0) AS last_day",
    ]
    if "gross_profit" in optional:
        columns.append(f"fsum(gross_profit) FILTER (WHERE {in_window}) AS gross_profit")
    if "payment_days" in optional:
        columns.append(f"avg(payment_days) FILTER (WHERE {in_window}) AS payment_days")
    columns += [f"arg_max(line_no, place) FILTER (WHERE has_{k}) AS latest_{k}" for k in descriptive]
    return f"SELECT {', '.join(columns)} FROM {source} GROUP BY customer ORDER BY customer"


def customer_table(
    totals: pd.DataFrame,
    ids: Any,
    picked: Callable[[str, list[int]], list[Any]],
    window: Window,
    optional: list[str],
    descriptive: list[str],
) -> pd.DataFrame:
    """The totals (:func:`totals_sql`) as the customer table: ids, dates, ratios and the descriptive values of the
    lines picked (``picked(field, line numbers)``: the field's values on those lines)."""
    end = window.as_of.toordinal()
    out = pd.DataFrame({"customer_id": ids}, index=pd.RangeIndex(len(ids)))
    for key in ("window_lines", "orders", "orders_previous"):
        out[key] = totals[key].to_numpy(dtype=np.int64)
    out["annual_sales"] = totals["annual_sales"].to_numpy(dtype=float)
    first = totals["first_day"].to_numpy(dtype=float)
    last = totals["last_day"].to_numpy(dtype=float)
    out["first_deal_date"] = _dates(first)
    out["last_order_date"] = _dates(last)
    out["recency_days"] = end - last
    if "gross_profit" in optional:
        profit = totals["gross_profit"].to_numpy(dtype=float)
        out["gross_profit"] = np.where(out["window_lines"].to_numpy() > 0, profit, 0.0)
    orders = out["orders"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["avg_order_value"] = np.where(orders > 0, out["annual_sales"].to_numpy() / orders, np.nan)
    if "payment_days" in optional:
        out["payment_days"] = totals["payment_days"].to_numpy(dtype=float)
    for key in descriptive:
        latest = totals[f"latest_{key}"].to_numpy(dtype=float).tolist()
        found = iter(picked(key, [int(p) for p in latest if p == p]))  # p != p: no line has one
        out[key] = [None if p != p else next(found) for p in latest]
    columns = [k for k in CUSTOMER_FIELDS if k in out] + ["orders_previous", "window_lines"]  # models: later
    return out[columns]


def _dates(days: np.ndarray[Any, Any]) -> list[dt.date | None]:
    return [None if d != d else dt.date.fromordinal(int(d)) for d in days.tolist()]
