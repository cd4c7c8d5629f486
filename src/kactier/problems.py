"""Row problems as data.

A :class:`RowIssue` is what went wrong with one cell or row, where (the row number as Excel shows it and the column
header), the original value, a stable :class:`IssueCode`, and the :class:`Action` taken. Nothing here raises: the
pipeline collects issues and reports them in the Issues sheet, the terminal summary and ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .i18n import CATALOG, Lang, Note, join, note_text, text


class IssueCode(StrEnum):
    """Stable reason codes; tools downstream may match on them."""

    TITLE_ROW_SKIPPED = "title_row_skipped"
    BLANK_ROW_SKIPPED = "blank_row_skipped"
    TOTAL_ROW_SKIPPED = "total_row_skipped"
    REPEATED_HEADER_SKIPPED = "repeated_header_skipped"
    HEADER_RENAMED = "header_renamed"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"
    LOOKALIKE_ID = "lookalike_id"
    LONG_NUMERIC_ID = "long_numeric_id"
    MISSING_NAME = "missing_name"
    MISSING_VALUE = "missing_value"
    NO_CRITERIA = "no_criteria"
    NOT_SCORED = "not_scored"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE_VALUE = "negative_value"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATE = "not_a_date"
    VALUE_COERCED = "value_coerced"
    UNKNOWN_STAGE = "unknown_stage"
    UNKNOWN_TIER = "unknown_tier"
    OVERRIDE_NOT_APPLIED = "override_not_applied"
    CAPACITY_MOVED = "capacity_moved"  # [tiers.capacity] moved the customer down one tier
    BLANK_GROUP = "blank_group"  # a blank value in the group_by or capacity per column
    SEGMENT_MISSING = "segment_missing"  # [segments]: a graded customer lacks a value its segment needs
    ORDER_VALUE_MISSING = "order_value_missing"  # order lines (`--orders`) from here on
    AFTER_AS_OF = "after_as_of"
    REFUND_NETTED = "refund_netted"
    PAID_BEFORE_ORDER = "paid_before_order"
    MORE_LIKE_THESE = "more_like_these"  # an export's issues of one kind beyond those listed
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
    TIER_MOVED = "tier_moved"  # a capacity cap moved the customer down one tier
    NOT_SEGMENTED = "not_segmented"  # [segments]: the customer is graded but in no segment


@dataclass(frozen=True, slots=True)
class Origin:
    """The input file and sheet an issue's row is in, when several inputs are graded together (``index``: the
    input's place in the run, which orders the issues)."""

    index: int
    file: str
    sheet: str


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem: ``row`` is the Excel row number (None for the whole sheet), ``column`` the header text;
    ``origin`` names the input file of the row when several are graded together."""

    row: int | None
    column: str | None
    value: Any
    code: IssueCode
    action: Action
    detail: str = ""
    origin: Origin | None = None

    def message(self, lang: Lang) -> str:
        """The human message in ``lang``."""
        return text(f"issue.{self.code.value}", lang, detail=self._detail(lang))

    def _detail(self, lang: Lang) -> str:
        """The detail, with the value names it holds (lifecycle stages, a missing-value policy) in ``lang``."""
        if isinstance(self.detail, Note):
            return note_text(self.detail, lang)
        if self.code is IssueCode.UNKNOWN_STAGE:
            keys = self.detail.split(" / ")
            if all(f"stage.{k}" in CATALOG for k in keys):
                return join((text(f"stage.{k}", lang) for k in keys), lang)
        elif self.code is IssueCode.MISSING_VALUE and f"missing_policy.{self.detail}" in CATALOG:
            return text(f"missing_policy.{self.detail}", lang)
        return self.detail

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
        place = {"file": self.origin.file, "sheet": self.origin.sheet} if self.origin is not None else {}
        return {
            **place,
            "row": self.row,
            "column": self.column,
            "value": value,
            "code": self.code.value,
            "message": self.message(lang),
            "action": self.action.value,
        }


# -- issues as a person reads them: problems first, repeated notes folded, grouped by column --------------------------

_DROPS = (Action.ROW_EXCLUDED, Action.LINE_EXCLUDED)


def is_problem(issue: RowIssue) -> bool:
    """A real problem: a row or order line left out, or a value given but dropped. Everything else is a note."""
    if issue.action in _DROPS:
        return True
    return issue.action is Action.VALUE_MISSING and issue.value not in (None, "")


def sheet_order(issue: RowIssue) -> tuple[int, int, str]:
    """The sort key of issues in sheet order: input file (when several), row (sheet-wide issues first), column."""
    return (issue.origin.index if issue.origin is not None else 0, issue.row or 0, issue.column or "")


def in_report_order(issues: list[RowIssue]) -> list[RowIssue]:
    """Problems first, then notes; sheet order within each (every issue kept)."""
    return [i for i in issues if is_problem(i)] + [i for i in issues if not is_problem(i)]


@dataclass(frozen=True, slots=True)
class IssueGroup:
    """Issues with the same code and action in the same column: one line on the terminal."""

    code: IssueCode
    column: str | None
    action: Action
    issues: tuple[RowIssue, ...]

    @property
    def problem(self) -> bool:
        """True when the group holds real problems (see :func:`is_problem`)."""
        return is_problem(self.issues[0])

    @property
    def rows(self) -> list[int]:
        """The Excel rows of the group, ascending, each once (of every input file, when several)."""
        return sorted({i.row for i in self.issues if i.row is not None})

    def _where(self, lang: Lang, ranges: int | None) -> str:
        """The group's rows: "row 5", "3 rows: rows 2–4", or with several input files each file's rows."""
        if len(self.issues) == 1 and self.issues[0].row is not None:
            only = self.issues[0]
            place = text("term.row", lang, row=only.row)
            if only.origin is not None:
                return text("term.in_file", lang, file=only.origin.file, rows=place)
            return place
        by_file: dict[str | None, set[int]] = {}
        for issue in self.issues:
            if issue.row is not None:
                by_file.setdefault(issue.origin.file if issue.origin else None, set()).add(issue.row)
        places = [
            rows_text if file is None else text("term.in_file", lang, file=file, rows=rows_text)
            for file, rows in by_file.items()
            for rows_text in [text("term.rows_of", lang, rows=row_ranges(sorted(rows), lang, ranges))]
        ]
        return text(
            "term.rows_folded", lang, count=len(self.issues), rows=text("term.file_sep", lang).join(places)
        )

    def line(self, lang: Lang, ranges: int | None = None) -> str:
        """The group as one line: the message, what was done, and its rows (at most ``ranges`` runs of rows)."""
        first = self.issues[0]
        message = first.message(lang)
        if any(i.detail != first.detail for i in self.issues) and first.row is not None:
            message += text("term.first_shown", lang, row=first.row)
        action = first.action_text(lang)
        if not self.rows:
            return text("term.issue_line_sheet", lang, message=message, action=action)
        where = self._where(lang, ranges)
        return text("term.issue_line", lang, message=message, action=action, where=where)

    def fix(self, lang: Lang) -> str | None:
        """What to do, when the message does not say it already."""
        key = f"fix.{self.code.value}"
        return text("term.fix", lang, fix=text(key, lang)) if key in CATALOG else None


def fold_issues(issues: list[RowIssue]) -> list[IssueGroup]:
    """One group per code, action and column, problems first, each in the order its first issue appears."""
    groups: dict[tuple[IssueCode, str | None, Action], list[RowIssue]] = {}
    for issue in in_report_order(issues):
        groups.setdefault((issue.code, issue.column, issue.action), []).append(issue)
    return [
        IssueGroup(code, column, action, tuple(found)) for (code, column, action), found in groups.items()
    ]


def row_ranges(rows: list[int], lang: Lang, limit: int | None = None) -> str:
    """Ascending ``rows`` as runs: "3–9、12" (zh) or "3–9, 12" (en); past ``limit`` runs, the rest as "等"/"…"."""
    runs: list[str] = []
    start = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        runs.append(str(start) if start == previous else f"{start}–{previous}")
        if row is not None:
            start = previous = row
    shown = text("term.row_sep", lang).join(runs[:limit])
    return text("term.rows_more", lang, rows=shown) if limit is not None and len(runs) > limit else shown


def problem_lines(groups: list[IssueGroup], lang: Lang, ranges: int | None = None) -> list[str]:
    """Problem groups under their column's header, each with what to do; indented for the terminal."""
    by_column: dict[str | None, list[IssueGroup]] = {}
    for group in groups:
        by_column.setdefault(group.column, []).append(group)
    lines: list[str] = []
    for column, found in by_column.items():
        lines.append(f"  {column if column is not None else text('term.sheet_wide', lang)}")
        for group in found:
            lines.append(f"    {group.line(lang, ranges)}")
            fix = group.fix(lang)
            if fix is not None:
                lines.append(f"      {fix}")
    return lines


def note_line(group: IssueGroup, lang: Lang, ranges: int | None = None) -> str:
    """A note group on one line, its column first."""
    column = group.column if group.column is not None else text("term.sheet_wide", lang)
    separator = "：" if lang != "en" else ": "
    return f"  {column}{separator}{group.line(lang, ranges)}"
