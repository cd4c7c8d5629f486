"""Row problems as data.

A :class:`RowIssue` is what went wrong with one cell or row, where (the row number as Excel shows it and the column
header), the original value, a stable :class:`IssueCode`, and the :class:`Action` taken. Nothing here raises: the
pipeline collects issues and reports them in the Issues sheet, the terminal summary and ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .i18n import Lang, text


class IssueCode(StrEnum):
    """Stable reason codes; tools downstream may match on them."""

    TITLE_ROW_SKIPPED = "title_row_skipped"
    BLANK_ROW_SKIPPED = "blank_row_skipped"
    TOTAL_ROW_SKIPPED = "total_row_skipped"
    REPEATED_HEADER_SKIPPED = "repeated_header_skipped"
    HEADER_RENAMED = "header_renamed"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"
    LONG_NUMERIC_ID = "long_numeric_id"
    MISSING_NAME = "missing_name"
    MISSING_VALUE = "missing_value"
    NO_CRITERIA = "no_criteria"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE_VALUE = "negative_value"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATE = "not_a_date"
    VALUE_COERCED = "value_coerced"
    UNKNOWN_STAGE = "unknown_stage"
    UNKNOWN_TIER = "unknown_tier"
    OVERRIDE_NOT_APPLIED = "override_not_applied"
    ORDER_VALUE_MISSING = "order_value_missing"  # order lines (`--orders`) from here on
    AFTER_AS_OF = "after_as_of"
    REFUND_NETTED = "refund_netted"
    PAID_BEFORE_ORDER = "paid_before_order"
    READ_AS = "read_as"  # how a file or sheet was read (messy and hostile input) from here on
    CELL_ERROR = "cell_error"
    FORMULA_NO_VALUE = "formula_no_value"
    MERGED_FILLED = "merged_filled"
    HIDDEN_ROWS = "hidden_rows"
    HIDDEN_COLUMN = "hidden_column"
    HIDDEN_SHEET = "hidden_sheet"


class Action(StrEnum):
    """What kactier did about a problem."""

    ROW_SKIPPED = "row_skipped"  # not a data row; not in the data sheet
    ROW_EXCLUDED = "row_excluded"  # kept in the data sheet, not scored or tiered
    VALUE_MISSING = "value_missing"  # the value is treated as missing
    VALUE_COERCED = "value_coerced"  # the value was read as shown in the message
    VALUE_KEPT = "value_kept"  # reported only; the value is used as given
    COLUMN_RENAMED = "column_renamed"  # the header is written under another name
    LINE_EXCLUDED = "line_excluded"  # an order line left out of every per-customer figure


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem: ``row`` is the Excel row number (None for the whole sheet), ``column`` the header text."""

    row: int | None
    column: str | None
    value: Any
    code: IssueCode
    action: Action
    detail: str = ""

    def message(self, lang: Lang) -> str:
        """The human message in ``lang``."""
        return text(f"issue.{self.code.value}", lang, detail=self.detail)

    def action_text(self, lang: Lang) -> str:
        """The action taken, in ``lang``."""
        return text(f"action.{self.action.value}", lang)

    @property
    def excludes_row(self) -> bool:
        """True when the row is kept in the output but not graded."""
        return self.action is Action.ROW_EXCLUDED

    def as_dict(self, lang: Lang) -> dict[str, Any]:
        """A JSON-ready view."""
        value = (
            self.value
            if isinstance(self.value, str | int | float | bool) or self.value is None
            else str(self.value)
        )
        return {
            "row": self.row,
            "column": self.column,
            "value": value,
            "code": self.code.value,
            "message": self.message(lang),
            "action": self.action.value,
        }
