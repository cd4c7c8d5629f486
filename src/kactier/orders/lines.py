"""Reading and classifying the order lines of an order sheet.

Which column holds which field (:func:`order_fields`), which rows are order lines (blank, total and repeated-header
rows are set aside), each line's customer id, order date and amount, and what becomes of each line
(:class:`LineStatus`: counted in the window, before it, after the as-of date, or not readable). Every problem is a
:class:`~kactier.problems.RowIssue` with the order sheet's row number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Phrase, WorkbookError
from ..fields import both_labels, match_header, normalize_header
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..read.cells import FlaggedCell, RawSheet, row_text
from ..validate.cells import ColumnReader
from ..validate.data_rows import is_total_word
from ..validate.rows import frame_of
from .window import Window

NDArray = np.ndarray[Any, Any]

REQUIRED_ORDER_FIELDS = ("customer_id", "order_date", "order_amount")
DESCRIPTIVE_FIELDS = ("customer_name", "region", "industry", "owner")


class LineStatus(IntEnum):
    """What became of one row below the order sheet's header."""

    IN_WINDOW = 0
    BEFORE_WINDOW = 1  # counted for recency, first deal and the previous window
    AFTER_AS_OF = 2
    INVALID = 3  # no customer id, order date or amount that can be read
    SKIPPED = 4  # blank, total or repeated header row


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


def order_fields(raw: RawSheet, names: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical field -> source column, checked; and notes on how columns were taken."""
    where = Phrase("where.header", path=raw.path, sheet=raw.sheet, row=raw.header_row)
    mapping: dict[str, int] = {}
    for index, cell in enumerate(raw.headers):
        key = match_header(cell) if isinstance(cell, str) else None
        if key is None:
            continue
        if key in mapping:
            raise WorkbookError(
                "workbook.same_field",
                where=where,
                first=names[mapping[key]],
                second=names[index],
                field=both_labels(key),
            )
        mapping[key] = index
    notes: list[str] = []
    if (
        "order_amount" not in mapping and "annual_sales" in mapping
    ):  # an export whose amount column says 销售额 / Sales
        mapping["order_amount"] = mapping.pop("annual_sales")
        notes.append(Note("note.amount_column", column=names[mapping["order_amount"]]))
    missing = [k for k in REQUIRED_ORDER_FIELDS if k not in mapping]
    if missing:
        raise WorkbookError(
            "orders.missing_columns", where=where, labels=", ".join(both_labels(k) for k in missing)
        )
    if "payment_days" in mapping and "paid_date" in mapping:
        notes.append(
            Note("note.payment_days", days=names[mapping["payment_days"]], paid=names[mapping["paid_date"]])
        )
    return mapping, notes


@dataclass(frozen=True, slots=True)
class RequiredValues:
    """Customer id, order day and amount of each order line, as read; ``valid`` where all three could be."""

    ids: NDArray  # str, or None
    day: NDArray  # ``date.toordinal()``; 0 for no date
    amount: NDArray  # NaN for no amount
    date_cells: list[Any]
    amount_cells: list[Any]
    valid: NDArray


@dataclass(slots=True)
class OrderLines:
    """The rows of an order sheet that are order lines, read column by column.

    ``issues`` collects every problem in the order they are found, starting with those of ``raw`` and the
    renamed columns given to :meth:`of`.
    """

    raw: RawSheet
    names: list[str]  # a unique, non-blank name per source column
    fields: dict[str, int]  # canonical field -> source column
    keep: list[int]  # index into ``raw.rows`` of each order line
    excel_rows: list[int]  # Excel row of each order line
    issues: list[RowIssue]
    columns: list[tuple[Any, ...]]  # the cells of ``raw.rows``, by column

    @classmethod
    def of(
        cls, raw: RawSheet, names: list[str], fields: dict[str, int], renamed: list[RowIssue]
    ) -> OrderLines:
        """The order lines of ``raw``, the rows set aside reported after ``raw.issues`` and ``renamed``."""
        keep, skipped = _data_rows(raw, fields)
        excel_rows = [raw.first_row + i for i in keep]
        columns = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in raw.headers]
        return cls(raw, names, fields, keep, excel_rows, [*raw.issues, *renamed, *skipped], columns)

    def cells(self, key: str) -> list[Any]:
        """The cells of field ``key`` on the order lines, as given."""
        column = self.columns[self.fields[key]]
        return list(column) if len(self.keep) == len(column) else [column[i] for i in self.keep]

    def read(self, key: str, into: list[RowIssue]) -> tuple[list[Any], ColumnReader]:
        """The column's cells, error values (``#N/A``) reported and blanked, and a reader reporting into ``into``."""
        found = self.cells(key)
        column_reader = ColumnReader(self.names[self.fields[key]], self.excel_rows, into, self.raw.date1904)
        return (_unflagged(found, column_reader) if self.raw.flagged_cells else found), column_reader

    def required(self) -> RequiredValues:
        """Customer id, order date and amount of every line; a line missing one that can be read is not counted."""
        dropped: list[RowIssue] = []  # an unreadable id, date or amount: the line is not counted
        id_cells, id_reader = self.read("customer_id", dropped)
        date_cells, date_reader = self.read("order_date", dropped)
        amount_cells, amount_reader = self.read("order_amount", dropped)
        ids = np.asarray(id_reader.ids(id_cells), dtype=object)
        day = _ordinals(date_reader.dates(date_cells))
        amount = amount_reader.numbers(amount_cells)
        self.issues += [_excluding(i) if i.action is Action.VALUE_MISSING else i for i in dropped]
        blank = {
            key: self.cells(key) for key in REQUIRED_ORDER_FIELDS
        }  # as given: an error value is not a blank
        required_names = {k: self.names[self.fields[k]] for k in REQUIRED_ORDER_FIELDS}
        self.issues += _blank_required(blank, required_names, self.excel_rows)
        valid = pd.notna(ids) & (day > 0) & ~np.isnan(amount)
        return RequiredValues(ids, day, amount, date_cells, amount_cells, valid)

    def counted(self, required: RequiredValues, window: Window) -> tuple[NDArray, pd.DataFrame]:
        """A :class:`LineStatus` per row of the sheet, and the lines counted (not after the as-of date)."""
        day, amount, valid = required.day, required.amount, required.valid
        end, start = window.as_of.toordinal(), window.start.toordinal()
        after = valid & (day > end)
        used = valid & ~after
        date_column, amount_column = (
            self.names[self.fields["order_date"]],
            self.names[self.fields["order_amount"]],
        )
        self.issues += [
            RowIssue(
                self.excel_rows[i],
                date_column,
                required.date_cells[i],
                IssueCode.AFTER_AS_OF,
                Action.LINE_EXCLUDED,
                f"{window.as_of}",
            )
            for i in np.flatnonzero(after).tolist()
        ]
        self.issues += [
            RowIssue(
                self.excel_rows[i],
                amount_column,
                required.amount_cells[i],
                IssueCode.REFUND_NETTED,
                Action.VALUE_KEPT,
            )
            for i in np.flatnonzero(used & (amount < 0)).tolist()
        ]
        lines: dict[str, Any] = {"excel_row": np.asarray(self.excel_rows, dtype=np.int64)}
        lines.update(customer_id=required.ids, day=day, amount=amount)
        _optional_columns(lines, lambda key: self.read(key, self.issues), self.fields, day, used)
        status = np.full(len(self.raw.rows), LineStatus.SKIPPED, dtype=np.int8)
        status[self.keep] = np.select(
            [~valid, after, day > start],
            [LineStatus.INVALID, LineStatus.AFTER_AS_OF, LineStatus.IN_WINDOW],
            LineStatus.BEFORE_WINDOW,
        )
        return status, frame_of(lines).loc[used]


def _data_rows(raw: RawSheet, fields: dict[str, int]) -> tuple[list[int], list[RowIssue]]:
    """Indexes of the order lines, and the rows set aside as blank, total or repeated header."""
    aside = SetAside(raw.headers, fields)
    id_col, id_header, totals = aside.id_col, aside.id_header, aside.totals
    keep: list[int] = []
    issues: list[RowIssue] = []
    for index, row in enumerate(raw.rows):
        cell = row[id_col]
        # the usual line, a million times over: an id seen before that is no total word nor the header
        if (type(cell) is not str and cell != "") or (totals.get(cell) is False and cell != id_header):
            keep.append(index)
            continue
        issue = aside.issue(row, raw.first_row + index)
        if issue is None:
            keep.append(index)
        else:
            issues.append(issue)
    return keep, issues


class SetAside:
    """Which rows below an order sheet's header are not order lines: blank rows, total rows (合计, 总计, Total) and
    repeated header rows."""

    def __init__(self, headers: list[Any], fields: dict[str, int]) -> None:
        self.id_col = fields["customer_id"]
        self.name_col = fields.get("customer_name")
        self.id_header = headers[self.id_col]
        self.header_key = [normalize_header(h) for h in headers]
        self.width = len(headers)
        self.totals: dict[str, bool] = {}  # ids repeat on many lines: each is checked once

    def is_total_id(self, cell: str) -> bool:
        """True when the id ``cell`` is a total word."""
        total = self.totals.get(cell)
        if total is None:
            total = self.totals[cell] = is_total_word(cell)
        return total

    def code(self, row: list[Any]) -> IssueCode | None:
        """Why ``row`` is not an order line, or None when it is one."""
        cell = row[self.id_col]
        if cell == "":
            if row.count("") == self.width:
                return IssueCode.BLANK_ROW_SKIPPED
            if is_total_word(next(c for c in row if c != "")) or (
                self.name_col is not None and is_total_word(row[self.name_col])
            ):
                return IssueCode.TOTAL_ROW_SKIPPED
        elif type(cell) is str:
            if self.is_total_id(cell):
                return IssueCode.TOTAL_ROW_SKIPPED
            if cell == self.id_header and [normalize_header(c) for c in row] == self.header_key:
                return IssueCode.REPEATED_HEADER_SKIPPED
        return None

    def issue(self, row: list[Any], excel_row: int) -> RowIssue | None:
        """The issue of ``row`` (at ``excel_row``) when it is set aside, else None."""
        code = self.code(row)
        if code is None:
            return None
        text = None if code is IssueCode.BLANK_ROW_SKIPPED else row_text(row)
        return RowIssue(excel_row, None, text, code, Action.ROW_SKIPPED)


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


def _unflagged(cells: list[Any], reader: ColumnReader) -> list[Any]:
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
    read: Callable[[str], tuple[list[Any], ColumnReader]],
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
