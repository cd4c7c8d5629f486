"""From order lines to one row per customer: ``kactier score ORDERS.xlsx --orders``.

An order sheet has one row per order (or per order line): customer id, order date and amount (订单金额), and
optionally order id (订单号), profit (毛利), customer name, region, industry, sales owner, payment days (回款天数) or
paid date (回款日期). :func:`read_order_sheet` reads and checks every line (problems become
:class:`~kactier.problems.RowIssue` values with the order sheet's row numbers),
:func:`~kactier.orders.aggregate.aggregate_orders` turns the counted lines into one row per customer with one SQL
query (DuckDB), and :meth:`OrderBook.customer_table` hands that table to the ordinary validate → score → grade → write
steps. Definitions (docs/methods.md §11):

- As-of date ``T``: ``--as-of``, default the last order date. Lines dated after ``T`` are not counted (reported).
- Window: the ``N`` calendar months ending at ``T``, ``start < date ≤ T`` with ``start = months_before(T, N)``;
  the previous window is ``months_before(T, 2N) < date ≤ start``.
- A refund is a line with a negative amount: it nets the sales of its window and is never a purchase.
- 年销售额 = Σ amount in the window; 交易次数 = purchases in the window (distinct 订单号 when the sheet has one,
  else lines); 距上次购买天数 = ``T`` − the last purchase ever; 首次合作日期 = the first purchase ever;
  最近购买日期 = the last purchase; 毛利 = Σ profit in the window; 平均客单价 = 年销售额 / 交易次数;
  回款天数 = mean over the window's lines that have one; name, region, industry and owner: the most recent
  non-empty value (by order date, then sheet row). A customer with no order in the window has zero sales,
  orders and profit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ..config.models import Config
from ..config.prediction_models import Prediction
from ..errors import DataError, WorkbookError, spoken_in
from ..excel import MAX_ROWS
from ..fields import FIELD_BY_KEY, both_labels
from ..i18n import Lang, Note, text
from ..problems import IssueCode, RowIssue
from ..read.cells import RawSheet
from ..read.header import header_matches
from ..read.opening import OpenedInput
from ..read.workbook import read_customer_sheet
from ..validate.rows import CustomerTable, name_columns, resolve_lang, validate_rows
from ..values import id_text
from .aggregate import CUSTOMER_FIELDS, aggregate_orders
from .clv import Purchases, predict
from .lines import LineCounts, OrderLines, order_fields
from .window import DEFAULT_WINDOW_MONTHS, Window

if TYPE_CHECKING:
    from .kept import TypedLines

NDArray = np.ndarray[Any, Any]


class KeptLines(Protocol):
    """The lines of an export kept in DuckDB (:class:`kactier.orders.columnar.ColumnarLines`)."""

    def rows(self) -> Iterator[list[Any]]:
        """Every row below the header, as cells, in order."""
        ...

    def sheet_columns(self, rows: int | None = None) -> list[Sequence[Any]]:
        """Every column below the header (or its first ``rows``), as the Orders sheet's cells (None for a
        blank)."""
        ...

    def typed_source(self) -> TypedLines | None:
        """The lines as SQL with their cells as typed (a big sheet's); None when they are not held so."""
        ...

    def origins(self) -> list[tuple[str, int]] | None:
        """Each line's file and line in it, when the export has several parts; else None."""
        ...

    def export(self, paths: list[Path], labels: list[str], headers: tuple[str, str, str]) -> None:
        """Write every line's disposition to ``paths`` (Parquet, then CSV)."""
        ...

    def close(self) -> None:
        """Let go of them."""
        ...


ORDERS_PRESET = "rfm"  # the default preset with --orders: recency, frequency and monetary value
ORDER_SIGNALS = ("order_date", "order_amount", "order_id", "paid_date")  # columns only an order sheet has


@dataclass(slots=True)
class OrderBook:
    """An order sheet as read, checked and totalled per customer."""

    source: RawSheet  # the order sheet's cells as read
    lang: Lang
    column_names: list[str]  # a unique, non-blank name per source column
    fields: dict[str, int]  # canonical field -> source column
    window: Window
    status: NDArray  # LineStatus per row of ``source.rows``
    customers: pd.DataFrame  # :func:`aggregate_orders`
    issues: list[RowIssue]  # order-line problems as found; kept naming the Orders sheet ("订单明细!订单日期")
    notes: list[str] = field(default_factory=list)
    lines: KeptLines | None = None  # an export read by DuckDB (``source.rows`` is then empty)
    lines_files: list[Path] = field(default_factory=list)  # where the lines went when no sheet holds them
    counts: LineCounts = field(init=False)  # from ``status``

    def __post_init__(self) -> None:
        self.counts = LineCounts.of(self.status)
        sheet = text("sheet_orders", self.lang)  # a line's issue names the Orders sheet: 订单明细!订单日期
        self.issues = [in_orders_sheet(issue, sheet) for issue in self.issues]

    @property
    def fits_a_sheet(self) -> bool:
        """True when the Orders sheet can hold every row below the header, at its own row number."""
        return self.source.header_row + len(self.status) <= MAX_ROWS

    def rows(self) -> Iterable[list[Any]]:
        """Every row below the order sheet's header, as cells, in order."""
        return self.source.rows if self.lines is None else self.lines.rows()

    def close(self) -> None:
        """Let go of the lines kept in DuckDB, if any."""
        if self.lines is not None:
            self.lines.close()

    @property
    def sheet_name(self) -> str:
        """The output sheet that keeps the order lines, at their source row numbers."""
        return text("sheet_orders", self.lang)

    def customer_sheet(self) -> RawSheet:
        """The customer table as a sheet of cells, header in row 1: what validation reads."""
        keys = [k for k in CUSTOMER_FIELDS if k in self.customers or k == "customer_name"]
        columns = [
            _cells(self.customers[k]) if k in self.customers else [""] * len(self.customers) for k in keys
        ]
        return RawSheet(
            path=self.source.path,
            sheet=text("sheet_order_customers", self.lang),
            header_row=1,
            headers=[FIELD_BY_KEY[k].label(self.lang) for k in keys],
            rows=[list(row) for row in zip(*columns, strict=True)],
        )

    def customer_table(self, config: Config) -> CustomerTable:
        """The customers validated for ``config``, the order-line problems listed first among the issues; first,
        the order-history models give each customer P(alive), expected purchases and predicted CLV."""
        self._predict(config.prediction)
        available = {k for k in CUSTOMER_FIELDS if k in self.customers or k == "customer_name"}
        absent = [k for k in config.scored_keys() if k not in available]
        if absent:
            labels = ", ".join(both_labels(k) for k in absent)
            have = ", ".join(both_labels(k) for k in CUSTOMER_FIELDS if k in available)
            raise WorkbookError(
                "orders.config_fields", path=self.source.path, config=config.name, labels=labels, have=have
            )
        table = validate_rows(self.customer_sheet(), config, self.lang)
        if "customer_name" not in self.fields:  # no name column at all: one note, not one issue per customer
            table.issues = [i for i in table.issues if i.code is not IssueCode.MISSING_NAME]
        table.issues = [*self.issues, *table.issues]
        return table

    def _predict(self, spec: Prediction) -> None:
        """Add the :data:`~.clv.PREDICTED_FIELDS` to the customers (once), and the notes of the fit."""
        customers = self.customers
        if "p_alive" in customers or "repeat_days" not in customers:
            return
        history = Purchases(
            customers["repeat_days"].to_numpy(dtype=float),
            customers["repeat_weeks"].to_numpy(dtype=float),
            customers["age_weeks"].to_numpy(dtype=float),
            np.nan_to_num(customers["repeat_spend"].to_numpy(dtype=float), nan=0.0),
        )
        made = predict(history, spec.months, spec.discount_rate)
        customers["p_alive"] = made.p_alive
        customers["expected_orders"] = made.expected_orders
        customers["predicted_clv"] = made.predicted_clv
        self.notes += made.notes

    def as_json(self) -> dict[str, Any]:
        """The ``orders`` object of ``--json``."""
        return {
            "sheet": self.source.sheet,
            "header_row": self.source.header_row,
            "as_of": self.window.as_of.isoformat(),
            "window_months": self.window.months,
            "window_first_day": self.window.first_day.isoformat(),
            "lines": self.counts.as_dict(),
            "customers": len(self.customers),
        }


def _cells(values: pd.Series) -> list[Any]:
    """Column values as sheet cells: plain Python numbers and dates, "" for a blank, whole counts as int."""
    cells = values.tolist()
    whole = values.name in ("orders", "recency_days")
    return ["" if v is None or v != v else (int(v) if whole else v) for v in cells]  # v != v: NaN


def read_order_sheet(
    source: Path | OpenedInput,
    sheet: str | None = None,
    *,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    lang: str = "auto",
    password: str | None = None,
) -> OrderBook:
    """Read, check and total the order sheet of the workbook at ``source`` (a path, or an input opened by
    :func:`~kactier.read.opening.open_input`); see the module docstring."""
    if window_months < 1:
        raise ValueError(f"window_months must be at least 1, got {window_months}")
    path = source.path if isinstance(source, OpenedInput) else source
    raw = read_customer_sheet(source, sheet, password=password)
    resolved = resolve_lang(lang, raw.headers)
    names, renamed = name_columns(raw, resolved)
    with spoken_in(resolved):
        fields, notes = order_fields(raw, names)
    lines = OrderLines.of(raw, names, fields, renamed)
    required = lines.required()
    if not required.valid.any():
        error = DataError("orders.none_readable", path=path, sheet=raw.sheet)
        error.lang = resolved
        raise error
    last_day = dt.date.fromordinal(int(required.day[required.valid].max()))
    window = Window(as_of or last_day, window_months)
    if as_of is None and last_day > dt.date.today():
        notes.append(Note("note.future_order", day=last_day))
    status, counted = lines.counted(required, window)
    customers = aggregate_orders(counted, window)
    return OrderBook(raw, resolved, names, fields, window, status, customers, lines.issues, notes)


def in_orders_sheet(issue: RowIssue, sheet: str) -> RowIssue:
    """An order-line problem names the output sheet that keeps the line: ``订单明细!订单日期``."""
    column = sheet if issue.column is None else f"{sheet}!{issue.column}"
    return RowIssue(issue.row, column, issue.value, issue.code, issue.action, issue.detail)


def reject_order_sheet(raw: RawSheet) -> None:
    """Stop with a clear message when a sheet given as one row per customer holds order lines.

    Order lines: the sheet has an order column (order date, amount, order id or paid date) and a customer id that
    appears on more than one row.
    """
    found = header_matches(raw.headers)
    signals = [k for k in ORDER_SIGNALS if k in found]
    if not signals or "customer_id" not in found:
        return
    column = found["customer_id"]
    header = raw.headers[column]
    seen: dict[str, int] = {}
    for index, row in enumerate(raw.rows):
        key = id_text(row[column])
        if key is None or key == header:
            continue
        first = seen.setdefault(key, index)
        if first != index:
            raise WorkbookError(
                "orders.looks_like_orders",
                path=raw.path,
                sheet=raw.sheet,
                column=raw.headers[found[signals[0]]],
                customer=key,
                first=raw.first_row + first,
                second=raw.first_row + index,
            )
