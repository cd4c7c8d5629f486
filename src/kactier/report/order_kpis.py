"""Key-account KPIs of the order lines, as plain data, for the Summary's key-indicator table and ``--json``;
and the Summary's run facts on the order lines (:func:`order_facts`).

KPIs (:func:`order_kpis`) over the graded customers, overall and per tier, from the customer table of
:func:`kactier.orders.aggregate_orders`; the window is the ``N`` months ending at the as-of date:

- ordering customers: 交易次数 ≥ 1 in the window; new customers: first purchase (首次合作日期) in the window;
- retention = customers with a purchase in both the previous window and this one ÷ customers with a purchase in
  the previous window;
- average order value = Σ 年销售额 ÷ Σ 交易次数 (refunds netted in the sales);
- margin = Σ 毛利 ÷ Σ 年销售额 (needs a profit column);
- annual sales per ordering customer = Σ 年销售额 × 12/N ÷ ordering customers;
- expected lifetime in years = (N/12) ÷ churn, churn = 1 − retention, at most :data:`LIFETIME_CAP_YEARS` (also when
  nobody churned);
- CLV = annual sales per ordering customer × margin × expected lifetime (no discounting).

The repeat purchase rate is the Summary's own KPI over 交易次数 (here: purchases in the window). Per tier, tiers are
this run's: customers who stopped buying sit mostly in the lowest tier, so retention (and lifetime) per tier is
higher in the top tiers partly by construction; the overall figure has no such bias.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..i18n import Lang, text
from ..orders.book import OrderBook
from ..orders.window import Window
from .model import Kpi, KpiKind

NDArray = np.ndarray[Any, Any]
LIFETIME_CAP_YEARS = 10.0


@dataclass(frozen=True, slots=True)
class SegmentKpis:
    """The counts and sums behind the KPIs of one group of customers (a tier, or all graded customers)."""

    customers: int
    ordering: int  # at least one purchase in the window
    repeat: int  # at least two purchases in the window
    new: int  # first purchase in the window
    previous: int  # at least one purchase in the previous window
    retained: int  # purchases in both windows
    sales: float  # Σ 年销售额 (window)
    orders: int  # Σ 交易次数 (window)
    profit: float | None  # Σ 毛利 (window); None without a profit column

    @property
    def repeat_rate(self) -> float | None:
        """Customers with 2+ purchases ÷ customers with 1+, in the window."""
        return self.repeat / self.ordering if self.ordering else None

    @property
    def retention(self) -> float | None:
        """Customers ordering in both windows ÷ customers ordering in the previous one."""
        return self.retained / self.previous if self.previous else None

    @property
    def average_order_value(self) -> float | None:
        """Σ sales ÷ Σ purchases in the window."""
        return self.sales / self.orders if self.orders else None

    @property
    def margin(self) -> float | None:
        """Σ profit ÷ Σ sales in the window."""
        return self.profit / self.sales if self.profit is not None and self.sales > 0 else None

    def annual_value(self, months: int) -> float | None:
        """Sales per ordering customer, scaled to a year."""
        return self.sales * 12 / months / self.ordering if self.ordering else None

    def lifetime_years(self, months: int) -> float | None:
        """(months/12) ÷ (1 − retention), capped at :data:`LIFETIME_CAP_YEARS`."""
        retention = self.retention
        if retention is None:
            return None
        churn = 1.0 - retention
        if churn <= 0:
            return LIFETIME_CAP_YEARS
        return min(LIFETIME_CAP_YEARS, months / 12 / churn)

    def clv(self, months: int) -> float | None:
        """Annual sales per ordering customer × margin × expected lifetime."""
        value, margin, years = self.annual_value(months), self.margin, self.lifetime_years(months)
        if value is None or margin is None or years is None:
            return None
        return value * margin * years


@dataclass(frozen=True, slots=True)
class OrderKpis:
    """KPIs over all graded customers and per tier (in tier order)."""

    window: Window
    overall: SegmentKpis
    per_tier: tuple[SegmentKpis, ...]

    def rows(self, lang: Lang) -> list[Kpi]:
        """The rows of the Summary's key-indicator table, labels and definitions in ``lang``."""
        months = self.window.months
        span = f"{self.window.first_day.isoformat()} – {self.window.as_of.isoformat()}"
        segments = (self.overall, *self.per_tier)
        measures: list[tuple[str, Callable[[SegmentKpis], float | None], KpiKind, int | None]] = [
            ("kpi_ordering", lambda s: float(s.ordering), "count", self.overall.customers),
            ("kpi_new", lambda s: float(s.new), "count", self.overall.customers),
            ("kpi_window_retention", lambda s: s.retention, "percent", self.overall.previous),
            ("kpi_order_value", lambda s: s.average_order_value, "money", self.overall.ordering),
        ]
        if self.overall.profit is not None:
            measures += [
                ("kpi_margin", lambda s: s.margin, "percent", self.overall.ordering),
                ("kpi_annual_value", lambda s: s.annual_value(months), "money", self.overall.ordering),
                ("kpi_lifetime", lambda s: s.lifetime_years(months), "number", self.overall.previous),
                ("kpi_clv", lambda s: s.clv(months), "money", self.overall.ordering),
            ]
        rows = []
        for key, measure, kind, basis in measures:
            overall, *tiers = (measure(s) for s in segments)
            definition = text(f"{key}_def", lang).format(
                span=span, months=months, cap=f"{LIFETIME_CAP_YEARS:g}"
            )
            rows.append(Kpi(text(key, lang), overall, tuple(tiers), kind, basis, definition))
        return rows

    def as_json(self, labels: list[str]) -> dict[str, Any]:
        """KPIs for ``--json``: overall and by tier label."""
        months = self.window.months

        def one(s: SegmentKpis) -> dict[str, Any]:
            return {
                "customers": s.customers,
                "ordering": s.ordering,
                "new": s.new,
                "repeat_rate": s.repeat_rate,
                "retention": s.retention,
                "average_order_value": s.average_order_value,
                "margin": s.margin,
                "annual_value": s.annual_value(months),
                "lifetime_years": s.lifetime_years(months),
                "clv": s.clv(months),
            }

        return {
            "overall": one(self.overall),
            "by_tier": {t: one(s) for t, s in zip(labels, self.per_tier, strict=True)},
        }


def order_kpis(customers: pd.DataFrame, tier: NDArray, levels: int, window: Window) -> OrderKpis:
    """KPIs of the customers of :func:`~kactier.orders.aggregate_orders` (one row each, in order) graded into
    ``tier`` (−1 = not graded, left out); see the module docstring for the definitions."""
    orders = customers["orders"].to_numpy(dtype=np.int64)
    previous = customers["orders_previous"].to_numpy(dtype=np.int64)
    sales = customers["annual_sales"].to_numpy(dtype=float)
    profit = customers["gross_profit"].to_numpy(dtype=float) if "gross_profit" in customers else None
    first = np.array(
        [d is not None and d > window.start for d in customers["first_deal_date"].tolist()], dtype=bool
    )

    def segment(members: NDArray) -> SegmentKpis:
        ordering = members & (orders >= 1)
        return SegmentKpis(
            customers=int(members.sum()),
            ordering=int(ordering.sum()),
            repeat=int((members & (orders >= 2)).sum()),
            new=int((members & first).sum()),
            previous=int((members & (previous >= 1)).sum()),
            retained=int((members & (previous >= 1) & (orders >= 1)).sum()),
            sales=float(sales[members].sum()),
            orders=int(orders[members].sum()),
            profit=None if profit is None else float(np.nansum(profit[members])),
        )

    tier = np.asarray(tier)
    return OrderKpis(window, segment(tier >= 0), tuple(segment(tier == i) for i in range(levels)))


def order_facts(book: OrderBook) -> list[tuple[str, Any]]:
    """The Summary's run facts on the order lines: where they came from, the window, and the rows reconciled
    (read = skipped + invalid + after the as-of date + before the window + in the window)."""
    window, counts = book.window, book.counts
    return [
        (
            "order_sheet",
            f"{book.source.sheet} → {', '.join(p.name for p in book.lines_files) or book.sheet_name}",
        ),
        (
            "order_window",
            text("order_window_value", book.lang).format(
                first=window.first_day.isoformat(), last=window.as_of.isoformat(), months=window.months
            ),
        ),
        ("order_lines_read", counts.read),
        ("order_lines_skipped", counts.skipped),
        ("order_lines_invalid", counts.invalid),
        ("order_lines_after", counts.after_as_of),
        ("order_lines_before", counts.before_window),
        ("order_lines_in_window", counts.in_window),
        ("order_customers", len(book.customers)),
    ]
