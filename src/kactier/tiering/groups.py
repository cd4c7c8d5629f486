"""Customers grouped by a column: ``[tiers] group_by`` (the tier method runs within each value) and the ``per``
column of ``[tiers.capacity]``.

- The column is a canonical field (``region``), a header naming one (``所在地区``), or any header as written;
  a name the sheet does not have is a :class:`~kactier.errors.ConfigError` (exit 78) listing its headers.
- Values are compared as text, trimmed (a number typed as a number reads as it shows, ``1001.0`` → ``1001``);
  a blank value is a group of its own and each graded customer in it is reported (``blank_group``).
- Customers that cannot be graded are in no group: they take no part in any share, count or cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config.models import field_or_header
from ..errors import ConfigError, Phrase
from ..fields import normalize_header
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..validate.mapping import quoted
from ..validate.rows import CustomerTable
from ..values import id_text

NDArray = np.ndarray[Any, Any]
#: A tier method on one set of customers: (keys, ids) -> (tier per customer, any limits it found).
Method = Callable[[NDArray, list[str]], tuple[NDArray, tuple[float, ...]]]


@dataclass(frozen=True, slots=True)
class GroupColumn:
    """The column customers are grouped by: its header in the input and each data row's value ("" = blank)."""

    header: str
    values: list[str]

    def at(self, positions: Sequence[int]) -> GroupColumn:
        """The values of the data rows at ``positions`` only."""
        return GroupColumn(self.header, [self.values[p] for p in positions])


def group_column(table: CustomerTable, name: str, setting: str) -> GroupColumn:
    """The values of the column ``name`` (a field or a header) per data row; ``setting`` names the config key
    in the error raised when the sheet has no such column."""
    key = field_or_header(name)
    if key in table.field_columns and key in table.frame:
        header = table.column_names[table.field_columns[key]]
        return GroupColumn(header, [group_text(v) for v in table.frame[key].tolist()])
    column = _column_named(table, name)
    if column is None:
        raw = table.raw
        error = ConfigError(
            "tiers.no_group_column",
            where=Phrase("where.header", path=raw.path, sheet=raw.sheet, row=raw.header_row),
            setting=setting,
            header=name,
            headers=quoted(table.column_names),
        )
        error.lang = table.lang
        raise error
    rows = table.raw.rows
    return GroupColumn(table.column_names[column], [group_text(rows[i][column]) for i in table.row_indexes])


def _column_named(table: CustomerTable, name: str) -> int | None:
    """The input column whose header (as written, or as output) is ``name``, ignoring case, width and spaces."""
    wanted = normalize_header(name)
    for index, header in enumerate(table.column_names):
        written = table.raw.headers[index] if index < len(table.raw.headers) else None
        if wanted in (normalize_header(header), normalize_header(str(written or ""))):
            return index
    return None


def group_text(value: Any) -> str:
    """A group value as text: trimmed, a whole number without ``.0``, a date as ISO, blank as ""."""
    if value is None or (isinstance(value, float) and value != value):  # NaN: a sparse column
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    shown = id_text(value)
    return shown.strip() if shown is not None else ""


def tiers_by_group(method: Method, keys: NDArray, ids: list[str], groups: Sequence[str]) -> NDArray:
    """``method`` run on each group's customers alone (in sheet order within the group); tiers per customer."""
    result = np.full(len(ids), -1, dtype=np.int64)
    if not ids:
        return result
    codes = np.unique(np.asarray(list(groups), dtype=object), return_inverse=True)[1]
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    for members in np.split(order, starts[1:]):
        chosen, _ = method(keys[members], [ids[i] for i in members.tolist()])
        result[members] = chosen
    return result


def blank_group_issues(
    table: CustomerTable, graded: NDArray, tiers: GroupColumn | None, capacity: GroupColumn | None
) -> list[RowIssue]:
    """One ``blank_group`` note per graded row whose group value is blank (once when both settings use the same
    column)."""
    columns: list[tuple[GroupColumn, str]] = []
    if tiers is not None and capacity is not None and tiers.header == capacity.header:
        columns.append((tiers, "note.group_both"))
    else:
        columns += [
            (c, key) for c, key in ((tiers, "note.group_tiers"), (capacity, "note.group_capacity")) if c
        ]
    rows = table.excel_rows
    issues: list[RowIssue] = []
    for column, key in columns:
        blank = np.flatnonzero(graded & (np.asarray(column.values, dtype=object) == ""))
        issues += [
            RowIssue(int(rows[i]), column.header, None, IssueCode.BLANK_GROUP, Action.VALUE_KEPT, Note(key))
            for i in blank.tolist()
        ]
    return issues
