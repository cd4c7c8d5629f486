"""From order lines to one row per customer: ``kactier score ORDERS.xlsx --orders``.

An order sheet has one row per order (or per order line): customer id, order date and amount (订单金额), and
optionally order id (订单号), profit (毛利), customer name, region, industry, sales owner, payment days (回款天数) or
paid date (回款日期). :func:`read_order_sheet` reads and checks every line (problems become
:class:`~kactier.problems.RowIssue` values with the order sheet's row numbers), :func:`aggregate_orders` turns the
counted lines into one row per customer with pandas groupby, and :meth:`OrderBook.customer_table` hands that table
to the ordinary validate → score → grade → write steps. Definitions (docs/methods.md §11):

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

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config.models import Config
from ..errors import DataError, WorkbookError
from ..fields import FIELD_BY_KEY, match_header, normalize_header
from ..i18n import Lang, text
from ..problems import Action, IssueCode, RowIssue
from ..read.workbook import FlaggedCell, RawSheet, header_matches, read_customer_sheet, row_text
from ..validate.rows import CustomerTable, _is_total_word, _Reader, name_columns, resolve_lang, validate_rows
from ..validate.values import id_text

NDArray = np.ndarray[Any, Any]

DEFAULT_WINDOW_MONTHS = 12
ORDERS_PRESET = "rfm"  # the default preset with --orders: recency, frequency and monetary value
REQUIRED_ORDER_FIELDS = ("customer_id", "order_date", "order_amount")
DESCRIPTIVE_FIELDS = ("customer_name", "region", "industry", "owner")
ORDER_SIGNALS = ("order_date", "order_amount", "order_id", "paid_date")  # columns only an order sheet has
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
)


class LineStatus(IntEnum):
    """What became of one row below the order sheet's header."""

    IN_WINDOW = 0
    BEFORE_WINDOW = 1  # counted for recency, first deal and the previous window
    AFTER_AS_OF = 2
    INVALID = 3  # no customer id, order date or amount that can be read
    SKIPPED = 4  # blank, total or repeated header row


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months.

    The same day of the month, clamped to the target month's length; the last day of a month maps to the last
    day of the target month, so a window ending at a month's end is whole calendar months
    (2024-06-30 → 2024-05-31, 2024-03-31 → 2024-02-29, 2024-02-29 minus 12 → 2023-02-28, 2024-06-15 → 2024-05-15).
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Window:
    """The ``months`` calendar months ending at ``as_of``: ``start < date ≤ as_of`` (``start`` excluded)."""

    as_of: dt.date
    months: int = DEFAULT_WINDOW_MONTHS

    @property
    def start(self) -> dt.date:
        """The day before the window's first day."""
        return months_before(self.as_of, self.months)

    @property
    def previous_start(self) -> dt.date:
        """The day before the previous window's first day (that window ends at :attr:`start`)."""
        return months_before(self.as_of, 2 * self.months)

    @property
    def first_day(self) -> dt.date:
        """The window's first day."""
        return self.start + dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class LineCounts:
    """The order sheet's rows below the header, reconciled: ``read`` is the sum of the other five."""

    read: int
    skipped: int
    invalid: int
    after_as_of: int
    before_window: int
    in_window: int

    @classmethod
    def of(cls, status: NDArray) -> LineCounts:
        """Counts from a :class:`LineStatus` per row."""
        n = np.bincount(status, minlength=len(LineStatus))
        return cls(
            read=int(status.size),
            skipped=int(n[LineStatus.SKIPPED]),
            invalid=int(n[LineStatus.INVALID]),
            after_as_of=int(n[LineStatus.AFTER_AS_OF]),
            before_window=int(n[LineStatus.BEFORE_WINDOW]),
            in_window=int(n[LineStatus.IN_WINDOW]),
        )

    def as_dict(self) -> dict[str, int]:
        """A JSON-ready view."""
        return {
            "read": self.read,
            "skipped": self.skipped,
            "invalid": self.invalid,
            "after_as_of": self.after_as_of,
            "before_window": self.before_window,
            "in_window": self.in_window,
        }


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
    issues: list[RowIssue]  # order-line problems; their column reads "<orders sheet>!<header>"
    counts: LineCounts
    notes: list[str] = field(default_factory=list)

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
        """The customers validated for ``config``, the order-line problems listed first among the issues."""
        available = {k for k in CUSTOMER_FIELDS if k in self.customers or k == "customer_name"}
        absent = [k for k in config.scored_keys() if k not in available]
        if absent:
            labels = ", ".join(_label(k) for k in absent)
            have = ", ".join(_label(k) for k in CUSTOMER_FIELDS if k in available)
            raise WorkbookError(
                f"{self.source.path}: the config {config.name!r} scores {labels}, which order lines do not give; "
                f"with --orders the customers have: {have}; use --preset rfm, sales-abc or "
                "sales-profit-payment, or a --config over these fields"
            )
        table = validate_rows(self.customer_sheet(), config, self.lang)
        if "customer_name" not in self.fields:  # no name column at all: one note, not one issue per customer
            table.issues = [i for i in table.issues if i.code is not IssueCode.MISSING_NAME]
        table.issues = [*self.issues, *table.issues]
        return table

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


def _label(key: str) -> str:
    spec = FIELD_BY_KEY.get(key)
    return f"{spec.zh} / {spec.en}" if spec is not None else repr(key)


def _cells(values: pd.Series) -> list[Any]:
    """Column values as sheet cells: plain Python numbers and dates, "" for a blank, whole counts as int."""
    cells = values.tolist()
    whole = values.name in ("orders", "recency_days")
    return ["" if v is None or v != v else (int(v) if whole else v) for v in cells]  # v != v: NaN


def read_order_sheet(
    path: Path,
    sheet: str | None = None,
    *,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    lang: str = "auto",
    password: str | None = None,
) -> OrderBook:
    """Read, check and total the order sheet of the workbook at ``path`` (see the module docstring)."""
    if window_months < 1:
        raise ValueError(f"window_months must be at least 1, got {window_months}")
    raw = read_customer_sheet(path, sheet, password=password)
    resolved = resolve_lang(lang, raw.headers)
    names, renamed = name_columns(raw, resolved)
    fields, notes = _order_fields(raw, names)
    keep, skipped = _data_rows(raw, fields)
    excel_rows = [raw.first_row + i for i in keep]
    issues: list[RowIssue] = [*raw.issues, *renamed, *skipped]

    columns = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in raw.headers]

    def cells(key: str) -> list[Any]:
        column = columns[fields[key]]
        return list(column) if len(keep) == len(column) else [column[i] for i in keep]

    def reader(key: str, into: list[RowIssue]) -> _Reader:
        return _Reader(names[fields[key]], excel_rows, into, raw.date1904)

    def read(key: str, into: list[RowIssue]) -> tuple[list[Any], _Reader]:
        """The column's cells, error values (``#N/A``) reported and blanked, and a reader reporting into ``into``."""
        found, column_reader = cells(key), reader(key, into)
        return (_unflagged(found, column_reader) if raw.flagged_cells else found), column_reader

    dropped: list[RowIssue] = []  # an unreadable id, date or amount: the line is not counted
    id_cells, id_reader = read("customer_id", dropped)
    date_cells, date_reader = read("order_date", dropped)
    amount_cells, amount_reader = read("order_amount", dropped)
    ids = np.asarray(id_reader.ids(id_cells), dtype=object)
    day = _ordinals(date_reader.dates(date_cells))
    amount = amount_reader.numbers(amount_cells)
    issues += [_excluding(i) if i.action is Action.VALUE_MISSING else i for i in dropped]
    blank = {key: cells(key) for key in REQUIRED_ORDER_FIELDS}  # as given: an error value is not a blank
    issues += _blank_required(blank, {k: names[fields[k]] for k in REQUIRED_ORDER_FIELDS}, excel_rows)
    valid = pd.notna(ids) & (day > 0) & ~np.isnan(amount)
    if not valid.any():
        raise DataError(
            f"{path}: sheet {raw.sheet!r}: no order line has a customer id, an order date and an amount that can "
            f"be read; run `kactier validate {path} --orders` to see why"
        )
    last_day = dt.date.fromordinal(int(day[valid].max()))
    window = Window(as_of or last_day, window_months)
    if as_of is None and last_day > dt.date.today():
        notes.append(f"the last order date {last_day} is in the future; check it, or pass --as-of")
    end, start = window.as_of.toordinal(), window.start.toordinal()
    after = valid & (day > end)
    used = valid & ~after
    date_column, amount_column = names[fields["order_date"]], names[fields["order_amount"]]
    issues += [
        RowIssue(
            excel_rows[i],
            date_column,
            date_cells[i],
            IssueCode.AFTER_AS_OF,
            Action.LINE_EXCLUDED,
            f"{window.as_of}",
        )
        for i in np.flatnonzero(after).tolist()
    ]
    issues += [
        RowIssue(excel_rows[i], amount_column, amount_cells[i], IssueCode.REFUND_NETTED, Action.VALUE_KEPT)
        for i in np.flatnonzero(used & (amount < 0)).tolist()
    ]
    lines: dict[str, Any] = {"excel_row": np.asarray(excel_rows, dtype=np.int64)}
    lines.update(customer_id=ids, day=day, amount=amount)
    _optional_columns(lines, lambda key: read(key, issues), fields, day, used)
    status = np.full(len(raw.rows), LineStatus.SKIPPED, dtype=np.int8)
    status[keep] = np.select(
        [~valid, after, day > start],
        [LineStatus.INVALID, LineStatus.AFTER_AS_OF, LineStatus.IN_WINDOW],
        LineStatus.BEFORE_WINDOW,
    )
    frame = pd.DataFrame(lines).loc[used]
    customers = aggregate_orders(frame, window)
    sheet_name = text("sheet_orders", resolved)
    return OrderBook(
        source=raw,
        lang=resolved,
        column_names=names,
        fields=fields,
        window=window,
        status=status,
        customers=customers,
        issues=[_in_sheet(issue, sheet_name) for issue in issues],
        counts=LineCounts.of(status),
        notes=notes,
    )


def _order_fields(raw: RawSheet, names: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical field -> source column, checked; and notes on how columns were taken."""
    where = f"{raw.path}: sheet {raw.sheet!r}, header row {raw.header_row}"
    mapping: dict[str, int] = {}
    for index, cell in enumerate(raw.headers):
        key = match_header(cell) if isinstance(cell, str) else None
        if key is None:
            continue
        if key in mapping:
            raise WorkbookError(
                f"{where}: columns {names[mapping[key]]!r} and {names[index]!r} both mean {_label(key)}; "
                "rename or delete one of them"
            )
        mapping[key] = index
    notes: list[str] = []
    if (
        "order_amount" not in mapping and "annual_sales" in mapping
    ):  # an export whose amount column says 销售额 / Sales
        mapping["order_amount"] = mapping.pop("annual_sales")
        notes.append(f"column {names[mapping['order_amount']]!r} is taken as each order's amount")
    missing = [k for k in REQUIRED_ORDER_FIELDS if k not in mapping]
    if missing:
        raise WorkbookError(
            f"{where}: required column missing for order lines: {', '.join(_label(k) for k in missing)}; "
            "add it or rename the column that holds it"
        )
    if "payment_days" in mapping and "paid_date" in mapping:
        notes.append(
            f"payment days are read from {names[mapping['payment_days']]!r} where it has a value, "
            f"else counted from {names[mapping['paid_date']]!r}"
        )
    return mapping, notes


def _data_rows(raw: RawSheet, fields: dict[str, int]) -> tuple[list[int], list[RowIssue]]:
    """Indexes of the order lines, and the rows set aside as blank, total or repeated header."""
    id_col = fields["customer_id"]
    name_col = fields.get("customer_name")
    id_header = raw.headers[id_col]
    header_key = [normalize_header(h) for h in raw.headers]
    width = len(raw.headers)
    keep: list[int] = []
    issues: list[RowIssue] = []
    totals: dict[str, bool] = {}
    for index, row in enumerate(raw.rows):
        cell = row[id_col]
        code = None
        if cell == "":
            if row.count("") == width:
                code = IssueCode.BLANK_ROW_SKIPPED
            elif _is_total_word(next(c for c in row if c != "")) or (
                name_col is not None and _is_total_word(row[name_col])
            ):
                code = IssueCode.TOTAL_ROW_SKIPPED
        elif type(cell) is str:
            total = totals.get(cell)
            if total is None:  # ids repeat on many lines: each is checked once
                total = totals[cell] = _is_total_word(cell)
            if total:
                code = IssueCode.TOTAL_ROW_SKIPPED
            elif cell == id_header and [normalize_header(c) for c in row] == header_key:
                code = IssueCode.REPEATED_HEADER_SKIPPED
        if code is None:
            keep.append(index)
        else:
            text = None if code is IssueCode.BLANK_ROW_SKIPPED else row_text(row)
            issues.append(RowIssue(raw.first_row + index, None, text, code, Action.ROW_SKIPPED))
    return keep, issues


def _ordinals(dates: list[dt.date | None]) -> NDArray:
    """Day numbers (``date.toordinal()``, from 1); 0 for no date."""
    return np.fromiter((0 if d is None else d.toordinal() for d in dates), dtype=np.int64, count=len(dates))


def _excluding(issue: RowIssue) -> RowIssue:
    return RowIssue(issue.row, issue.column, issue.value, issue.code, Action.LINE_EXCLUDED, issue.detail)


def _blank_required(
    cells: dict[str, list[Any]], names: dict[str, str], excel_rows: list[int]
) -> list[RowIssue]:
    """A line without a customer id, order date or amount (a blank cell, or an id of spaces) is not counted."""
    issues = [
        RowIssue(excel_rows[n], names["customer_id"], None, IssueCode.MISSING_ID, Action.LINE_EXCLUDED)
        for n, cell in enumerate(cells["customer_id"])
        if cell == "" or (type(cell) is str and not cell.strip())
    ]
    for key in ("order_date", "order_amount"):
        column = names[key]
        issues += [
            RowIssue(excel_rows[n], column, None, IssueCode.ORDER_VALUE_MISSING, Action.LINE_EXCLUDED, column)
            for n, cell in enumerate(cells[key])
            if cell == ""
        ]
    return issues


def _unflagged(cells: list[Any], reader: _Reader) -> list[Any]:
    """Error values and formulas without a value reported (the line is not counted when ``reader`` drops lines),
    then blank."""
    out = list(cells)
    for i, cell in enumerate(cells):
        if isinstance(cell, FlaggedCell):
            reader.report(i, str(cell), cell.code, Action.VALUE_MISSING, str(cell))
            out[i] = ""
    return out


def _optional_columns(
    lines: dict[str, Any],
    read: Callable[[str], tuple[list[Any], _Reader]],
    fields: dict[str, int],
    day: NDArray,
    used: NDArray,
) -> None:
    """Order id, profit, payment days and the descriptive texts, each where the sheet has it."""
    if "order_id" in fields:
        cells, reader = read("order_id")
        lines["order_id"] = np.asarray(reader.ids(cells), dtype=object)
    if "gross_profit" in fields:
        cells, reader = read("gross_profit")
        lines["gross_profit"] = reader.numbers(cells)
    payment = None
    if "payment_days" in fields:
        cells, reader = read("payment_days")
        payment = reader.numbers(cells)
        negative = np.flatnonzero(payment < 0).tolist()
        for index in negative:
            reader.report(index, cells[index], IssueCode.NEGATIVE_VALUE, Action.VALUE_MISSING)
        payment[negative] = np.nan
    if "paid_date" in fields:
        cells, reader = read("paid_date")
        paid = _ordinals(reader.dates(cells))
        derived = np.where(paid > 0, paid - day, np.nan).astype(float)
        early = used & (derived < 0)
        for index in np.flatnonzero(early).tolist():
            reader.report(index, cells[index], IssueCode.PAID_BEFORE_ORDER, Action.VALUE_MISSING)
        derived[early | (day == 0)] = np.nan
        payment = derived if payment is None else np.where(np.isnan(payment), derived, payment)
    if payment is not None:
        lines["payment_days"] = payment
    for key in DESCRIPTIVE_FIELDS:
        if key in fields:
            cells, reader = read(key)
            lines[key] = reader.texts(cells)


def _in_sheet(issue: RowIssue, sheet: str) -> RowIssue:
    """An order-line problem names the output sheet that keeps the line: ``订单明细!订单日期``."""
    column = sheet if issue.column is None else f"{sheet}!{issue.column}"
    return RowIssue(issue.row, column, issue.value, issue.code, issue.action, issue.detail)


def aggregate_orders(lines: pd.DataFrame, window: Window) -> pd.DataFrame:
    """One row per customer id (sorted) from order lines; the definitions are in the module docstring.

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
    columns = [k for k in CUSTOMER_FIELDS if k in out] + ["orders_previous", "window_lines"]
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
                f"{raw.path}: sheet {raw.sheet!r} looks like order lines, not one row per customer: it has the "
                f"order column {raw.headers[found[signals[0]]]!r} and customer id {key!r} is on rows "
                f"{raw.first_row + first} and {raw.first_row + index}; add --orders to total the orders per "
                f"customer (kactier score {raw.path} --orders)"
            )
