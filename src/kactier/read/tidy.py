"""Tidying the cells of a sheet once read: blanks that are not blank flagged, merged ranges filled down, rows above
the header and hidden rows and columns reported, and the rows cut to the columns in use."""

from __future__ import annotations

from typing import Any

from ..excel import column_letters
from ..problems import Action, IssueCode, RowIssue
from .cells import ErrorCell, UncalculatedFormula, row_text
from .sheet_facts import SheetFacts


def flag_cells(cells: list[list[Any]], facts: SheetFacts) -> int:
    """Put error values and formulas without a value where calamine left blanks; how many were put."""
    count = 0
    for flagged, kind in ((facts.error_cells, ErrorCell), (facts.uncalculated, UncalculatedFormula)):
        for (r, c), text in flagged.items():
            while r >= len(cells):
                cells.append([])
            row = cells[r]
            if c >= len(row):
                row.extend([""] * (c + 1 - len(row)))
            if row[c] == "":
                row[c] = kind(text)
                count += 1
    return count


def fill_merged(
    cells: list[list[Any]], header: int, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[RowIssue]:
    """Fill each merged range that starts below the header down its first column; banners above are titles."""
    issues = []
    for (r0, c0), (r1, c1) in sorted(merged):
        if r0 <= header or r1 <= r0 or r0 >= len(cells) or c0 >= len(cells[r0]):
            continue
        value = cells[r0][c0]
        if value == "":
            continue
        filled = 0
        for r in range(r0 + 1, min(r1, len(cells) - 1) + 1):
            row = cells[r]
            if c0 >= len(row):
                row.extend([""] * (c0 + 1 - len(row)))
            if row[c0] == "":
                row[c0] = value
                filled += 1
        if filled:
            ref = f"{column_letters(c0 + 1)}{r0 + 1}:{column_letters(c1 + 1)}{r1 + 1}"
            column = cells[header][c0] if c0 < len(cells[header]) else ""
            label = column if isinstance(column, str) and column else column_letters(c0 + 1)
            issues.append(RowIssue(r0 + 1, label, value, IssueCode.MERGED_FILLED, Action.VALUE_COERCED, ref))
    return issues


def title_row_issues(cells: list[list[Any]], header: int) -> list[RowIssue]:
    """One issue for each non-empty row above the header row (a title, a banner): skipped, and said so."""
    return [
        RowIssue(index + 1, None, row_text(row), IssueCode.TITLE_ROW_SKIPPED, Action.ROW_SKIPPED)
        for index, row in enumerate(cells[:header])
        if any(cell != "" for cell in row)
    ]


def hidden_issues(facts: SheetFacts, header: int, start: int, end: int, headers: list[Any]) -> list[RowIssue]:
    """The hidden rows below the header (one issue per block of them) and the hidden columns in [start, end)."""
    issues = []
    rows = sorted(r for r in set(facts.hidden_rows) if r > header + 1)
    blocks: list[list[int]] = []
    for r in rows:
        if blocks and r == blocks[-1][1] + 1:
            blocks[-1][1] = r
        else:
            blocks.append([r, r])
    for first, last in blocks:
        span = str(first) if first == last else f"{first}–{last}"
        issues.append(RowIssue(first, None, None, IssueCode.HIDDEN_ROWS, Action.VALUE_KEPT, span))
    for column in sorted(set(facts.hidden_columns)):
        if start < column <= end:
            name = headers[column - 1] if column - 1 < len(headers) else ""
            label = name if isinstance(name, str) and name else column_letters(column)
            issues.append(RowIssue(None, label, None, IssueCode.HIDDEN_COLUMN, Action.VALUE_KEPT))
    return issues


def used_span(headers: list[Any], body: list[list[Any]]) -> tuple[int, int]:
    """The columns [start, end) holding a header or any value; wholly empty columns at either edge hold nothing."""
    used = [i for i, cell in enumerate(headers) if cell != ""]
    start, end = (used[0], used[-1] + 1) if used else (len(headers), 0)
    if start == 0 and end == len(headers) and all(len(row) == end for row in body):
        return start, end  # the header spans every column of the sheet: nothing beyond it on either side
    for row in body:
        for i in range(len(row) - 1, end - 1, -1):
            if row[i] != "":
                end = i + 1
                break
        for i in range(min(start, len(row))):
            if row[i] != "":
                start = i
                break
    return start, max(start, end)


def fit_all(rows: list[list[Any]], start: int, end: int) -> list[list[Any]]:
    """Every row cut or padded, in place, to the columns [start, end); calamine's rows usually are exactly that
    already. In place, so that a million rows are not held twice."""
    if start == 0 and all(len(row) == end for row in rows):
        return rows
    width = end - start
    for row in rows:
        del row[end:]
        del row[:start]
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows


def fit(row: list[Any], start: int, end: int) -> list[Any]:
    """A copy of ``row`` cut or padded to the columns [start, end)."""
    part = row[start:end]
    return part if len(part) == end - start else part + [""] * (end - start - len(part))
