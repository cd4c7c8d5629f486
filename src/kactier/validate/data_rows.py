"""Which rows below the header are customers: blank, total and repeated-header rows are set aside (and reported)."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..fields import normalize_header
from ..problems import Action, IssueCode, RowIssue
from ..read.cells import RawSheet, row_text

TOTAL_WORDS = frozenset(("合计", "总计", "總計", "合計", "total", "totals", "grand total"))
_LONGEST_TOTAL_CELL = 24  # longer text is a name, not a total label (cheap test before NFKC)


def classify_rows(
    raw: RawSheet, mapping: dict[str, int], *, prepared_rows: bool = False
) -> tuple[list[int], list[RowIssue]]:
    """Data rows, and the rows set aside as blank, total or repeated header.

    With ``prepared_rows`` (a template kactier wrote, whose table holds empty rows ready to fill in) a blank row is
    set aside without an issue: it is a row not filled in yet, not a problem."""
    header_key = [normalize_header(h) for h in raw.headers]
    id_col, name_col = mapping["customer_id"], mapping["customer_name"]
    id_header = header_key[id_col]
    keep: list[int] = []
    issues: list[RowIssue] = []
    for index, row in enumerate(raw.rows):
        cell = row[id_col]
        # Most rows have an id that is neither a total word nor the id header: decide those without the checks
        # that fold text (the slow part on a million rows).
        if cell != "" and (not isinstance(cell, str) or _plainly_an_id(cell, id_header)):
            keep.append(index)
            continue
        excel_row = raw.first_row + index
        if all(c == "" for c in row):
            if prepared_rows:
                continue
            issues.append(RowIssue(excel_row, None, None, IssueCode.BLANK_ROW_SKIPPED, Action.ROW_SKIPPED))
        elif _is_total(row, id_col, name_col):
            issues.append(
                RowIssue(excel_row, None, row_text(row), IssueCode.TOTAL_ROW_SKIPPED, Action.ROW_SKIPPED)
            )
        elif (
            isinstance(cell, str)
            and normalize_header(cell) == id_header
            and [normalize_header(c) for c in row] == header_key
        ):
            issues.append(
                RowIssue(
                    excel_row, None, row_text(row), IssueCode.REPEATED_HEADER_SKIPPED, Action.ROW_SKIPPED
                )
            )
        else:
            keep.append(index)
    return keep, issues


def _plainly_an_id(cell: str, id_header: str) -> bool:
    """True when the text ``cell`` can be neither a total word nor the (folded) id header ``id_header``.

    For ASCII text NFKC changes nothing, so both tests reduce to cheap ones; other text takes the full checks.
    """
    if not cell.isascii():
        return False
    if cell.strip().rstrip(":").strip().casefold() in TOTAL_WORDS:
        return False
    return not id_header.isascii() or normalize_header(cell) != id_header


def _is_total(row: list[Any], id_col: int, name_col: int) -> bool:
    """A total row has no customer id (or 合计/总计/Total in its place) and names itself so in the name column or
    its first cell. A customer that happens to be called "Total" keeps its id and stays a customer."""
    if is_total_word(row[id_col]):
        return True
    if row[id_col] != "":
        return False
    first = next((c for c in row if c != ""), "")
    return is_total_word(row[name_col]) or is_total_word(first)


def is_total_word(cell: Any) -> bool:
    """Exactly a total word ("合计", "Total:", "ＴＯＴＡＬ"), not any text that merely contains one."""
    if not isinstance(cell, str) or len(cell) > _LONGEST_TOTAL_CELL:
        return False
    folded = cell if cell.isascii() else unicodedata.normalize("NFKC", cell)  # NFKC keeps ASCII as it is
    return folded.strip().rstrip(":").strip().casefold() in TOTAL_WORDS
