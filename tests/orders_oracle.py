"""An independent per-customer aggregation of order lines, with pandas groupby: the oracle the DuckDB query of
:mod:`kactier.orders.aggregate` is checked against (it was kactier's own engine before the query).

The definitions of each column (年销售额, 交易次数, 距上次购买天数, ...) are in :mod:`kactier.orders.book` and
docs/methods.md §11.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kactier.orders.aggregate import CUSTOMER_FIELDS, HISTORY_COLUMNS
from kactier.orders.lines import DESCRIPTIVE_FIELDS
from kactier.orders.window import Window


def pandas_aggregate(lines: pd.DataFrame, window: Window) -> pd.DataFrame:
    """One row per customer id (sorted) from order lines; the definitions are in :mod:`kactier.orders.book`.

    ``lines`` has ``customer_id``, ``day`` (``date.toordinal()``), ``amount`` and ``excel_row``, and optionally
    ``order_id``, ``gross_profit``, ``payment_days`` and the descriptive fields; lines dated after the as-of date
    are ignored. The result has the :data:`CUSTOMER_FIELDS` the lines allow, plus ``orders_previous`` (purchases
    in the previous window) and ``window_lines`` (lines in the window, refunds included).
    """
    end, start, previous = (
        window.as_of.toordinal(),
        window.start.toordinal(),
        window.previous_start.toordinal(),
    )
    lines = lines.loc[lines["day"] <= end]
    # Customers and order ids as integer codes once: every groupby below then groups small integers, not text.
    codes, ids = pd.factorize(lines["customer_id"], sort=True)
    keyed = pd.DataFrame(
        {"customer": codes, "day": lines["day"].to_numpy(), "amount": lines["amount"].to_numpy()}
    )
    if "order_id" in lines:
        order_codes = pd.factorize(lines["order_id"])[0]
        keyed["order"] = np.where(order_codes >= 0, order_codes, np.nan)  # a line without an order id: NaN
    for key in ("gross_profit", "payment_days"):
        if key in lines:
            keyed[key] = lines[key].to_numpy(dtype=float)
    customers = pd.RangeIndex(len(ids))
    day = keyed["day"]
    purchase = keyed["amount"] >= 0
    in_window = day > start
    in_previous = (day > previous) & ~in_window
    by_window = keyed.loc[in_window].groupby("customer")
    out = pd.DataFrame({"customer_id": ids}, index=customers)
    out["window_lines"] = by_window.size().reindex(customers, fill_value=0)
    out["orders"] = _purchases(keyed.loc[purchase & in_window]).reindex(customers, fill_value=0)
    out["orders_previous"] = _purchases(keyed.loc[purchase & in_previous]).reindex(customers, fill_value=0)
    out["annual_sales"] = by_window["amount"].sum().reindex(customers, fill_value=0.0)
    by_purchase = keyed.loc[purchase].groupby("customer")["day"]
    first, last = by_purchase.min().reindex(customers), by_purchase.max().reindex(customers)
    out["first_deal_date"] = _dates(first)
    out["last_order_date"] = _dates(last)
    out["recency_days"] = (end - last).astype(float)
    if "gross_profit" in keyed:
        profit = by_window["gross_profit"].sum(min_count=1).reindex(customers)
        out["gross_profit"] = profit.where(out["window_lines"] > 0, 0.0)
    orders = out["orders"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["avg_order_value"] = np.where(orders > 0, out["annual_sales"].to_numpy() / orders, np.nan)
    if "payment_days" in keyed:
        out["payment_days"] = by_window["payment_days"].mean().reindex(customers)
    descriptive = [k for k in DESCRIPTIVE_FIELDS if k in lines]
    if descriptive:
        texts = pd.DataFrame({k: lines[k].to_numpy(dtype=object) for k in descriptive})
        texts["customer"] = codes
        # by date, then sheet row: the last non-empty value of each column is the most recent
        order = np.lexsort((lines["excel_row"].to_numpy(), keyed["day"].to_numpy()))
        latest = texts.iloc[order].groupby("customer")[descriptive].last().reindex(customers)
        for key in descriptive:
            out[key] = latest[key].astype(object).where(latest[key].notna(), None)
    # what the order-history models are fitted on: purchase days (each day's purchases summed) up to the as-of date
    daily = keyed.loc[purchase].groupby(["customer", "day"])["amount"].sum().reset_index()
    first_day = daily.groupby("customer")["day"].transform("min")
    by_customer = daily.groupby("customer")
    out["repeat_days"] = (by_customer.size() - 1).reindex(customers).astype(float)
    out["repeat_weeks"] = ((last - first) / 7).astype(float)
    out["age_weeks"] = ((end - first) / 7).astype(float)
    out["repeat_spend"] = (
        daily.loc[daily["day"] > first_day].groupby("customer")["amount"].mean().reindex(customers)
    )
    columns = [k for k in CUSTOMER_FIELDS if k in out] + ["orders_previous", "window_lines", *HISTORY_COLUMNS]
    return out[columns]


def _purchases(lines: pd.DataFrame) -> pd.Series:
    """Purchases per customer: distinct order ids, each line without an order id counting as one."""
    by_customer = lines.groupby("customer")
    if "order" not in lines:
        return by_customer.size()
    without_id = lines["order"].isna().groupby(lines["customer"]).sum()
    return by_customer["order"].nunique() + without_id


def _dates(days: pd.Series) -> list[dt.date | None]:
    return [None if d != d else dt.date.fromordinal(int(d)) for d in days.tolist()]
