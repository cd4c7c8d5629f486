"""From raw cells to a validated customer table.

Steps: name the columns (blank and duplicate headers get a stated name), map headers to canonical fields, set aside
rows that are not data (blank, total, repeated header), read each field's cells as its kind (numbers typed as text,
dates as text or serials), then validate every row against a pydantic model built for the fields present. Every
problem becomes a :class:`~kactier.problems.RowIssue`; none stops the run. Workbook-level problems (a required
column missing, two columns naming one field) raise :class:`~kactier.errors.WorkbookError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from ..config.models import Config
from ..excel import column_letters
from ..fields import FIELD_BY_KEY, Kind, has_cjk
from ..i18n import Lang, is_traditional
from ..problems import Action, IssueCode, RowIssue
from ..read.cells import FlaggedCell, RawSheet
from ..values import id_text
from .cells import ColumnReader
from .constraints import duplicate_ids, missing_names, validate_constraints
from .data_rows import classify_rows
from .mapping import HeaderMapping, map_fields

NDArray = np.ndarray[Any, Any]


@dataclass(slots=True)
class CustomerTable:
    """The validated customers: one frame row per data row, in sheet order."""

    raw: RawSheet
    lang: Lang
    column_names: list[str]  # output header per input column (unique, non-blank)
    field_columns: dict[str, int]  # canonical key (or criterion header) -> input column index
    row_indexes: list[int]  # index into ``raw.rows`` of each data row
    frame: pd.DataFrame  # parsed fields, plus "excel_row"
    excluded: NDArray
    issues: list[RowIssue] = field(default_factory=list)
    mappings: list[HeaderMapping] = field(default_factory=list)  # every header -> field mapping used

    @property
    def excel_rows(self) -> NDArray:
        """Excel row number of each data row."""
        return self.frame["excel_row"].to_numpy()


def resolve_lang(requested: str, headers: list[Any]) -> Lang:
    """``zh``, ``zh-Hant`` or ``en``; ``auto`` follows the input headers: Chinese when one has a CJK character,
    Traditional when one has a character OpenCC writes otherwise in Simplified. ``--lang zh`` keeps a Traditional
    input's script."""
    if requested == "en":
        return "en"
    if requested != "zh" and not any(isinstance(h, str) and has_cjk(h) for h in headers):
        return "en"
    return "zh-Hant" if is_traditional(headers) else "zh"


def name_columns(raw: RawSheet, lang: Lang) -> tuple[list[str], list[RowIssue]]:
    """A unique, non-blank output name per column; each renaming is reported."""
    names: list[str] = []
    issues: list[RowIssue] = []
    seen: set[str] = set()
    for index, cell in enumerate(raw.headers):
        text = id_text(cell) if not isinstance(cell, str) else cell
        name = (text or "").strip()
        letter = column_letters(raw.first_column + index + 1)
        if not name:
            name = f"Column {letter}" if lang == "en" else f"列{letter}"
        base, n = name, 2
        while name.casefold() in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name.casefold())
        names.append(name)
        if name != cell:
            issues.append(
                RowIssue(raw.header_row, letter, cell, IssueCode.HEADER_RENAMED, Action.COLUMN_RENAMED, name)
            )
    return names, issues


def validate_rows(
    raw: RawSheet,
    config: Config,
    lang: str = "auto",
    *,
    prepared_rows: bool = False,
    columns: Mapping[str, str] | None = None,
) -> CustomerTable:
    """Validate the rows of ``raw`` for ``config``; see the module docstring. ``prepared_rows``: the sheet is a
    template's table, whose blank rows are rows not filled in yet (not reported). ``columns`` (field -> header, from
    ``--map``) win over the config's ``[columns]`` and over header matching (:mod:`.mapping`)."""
    resolved = resolve_lang(lang, raw.headers)
    names, issues = name_columns(raw, resolved)
    issues = raw.issues + issues
    mapped = map_fields(raw, names, config, resolved, columns)
    mapping = mapped.columns
    row_indexes, skipped = classify_rows(raw, mapping, prepared_rows=prepared_rows)
    issues += skipped
    excel_rows = [raw.first_row + i for i in row_indexes]
    criterion_keys = set(config.scored_keys())
    columns = _read_fields(raw, names, mapping, row_indexes, criterion_keys, issues)
    if raw.flagged_cells:
        _flagged_elsewhere(raw, row_indexes, set(mapping.values()), names, excel_rows, issues)
    frame = frame_of(columns)
    _exclude_unreadable_criteria(issues, {names[mapping[k]] for k in criterion_keys})

    def original(index: int, key: str) -> Any:
        return raw.rows[row_indexes[index]][mapping[key]]

    issues += validate_constraints(frame, mapping, names, criterion_keys, original)
    issues += duplicate_ids(frame, names[mapping["customer_id"]])
    issues += missing_names(frame, names[mapping["customer_name"]])
    excluded = _excluded_rows(issues, excel_rows)
    return CustomerTable(raw, resolved, names, mapping, row_indexes, frame, excluded, issues, mapped.used)


def frame_of(columns: dict[str, Any]) -> pd.DataFrame:
    """The columns as a frame, each text column holding the very Python objects read. pandas 3 would infer its
    ``str`` dtype for them, which with pyarrow installed copies every text into Arrow memory (over 200 MB more at
    a full sheet) and without it turns ``None`` into NaN."""
    return pd.DataFrame(
        {
            key: values
            if isinstance(values, np.ndarray) and values.dtype != object
            else pd.Series(values, dtype=object)
            for key, values in columns.items()
        }
    )


def _read_fields(
    raw: RawSheet,
    names: list[str],
    mapping: dict[str, int],
    row_indexes: list[int],
    criterion_keys: set[str],
    issues: list[RowIssue],
) -> dict[str, Any]:
    """The frame's columns: ``excel_row``, then each mapped field's cells of the data rows read as its kind."""
    excel_rows = [raw.first_row + i for i in row_indexes]
    columns: dict[str, Any] = {"excel_row": np.asarray(excel_rows, dtype=np.int64)}
    every_row = len(row_indexes) == len(raw.rows)  # the usual case: no row set aside
    for key, col in mapping.items():
        pick = itemgetter(col)
        cells = list(map(pick, raw.rows)) if every_row else [pick(raw.rows[i]) for i in row_indexes]
        spec = FIELD_BY_KEY.get(key)
        kind = spec.kind if spec is not None else Kind.NUMBER  # a criterion named by its header
        points = spec is not None and spec.kind is Kind.SCORE and spec.high == 100
        reader = ColumnReader(names[col], excel_rows, issues, raw.date1904, points)
        if raw.flagged_cells or (points and raw.percent_cells):
            excludes = key in criterion_keys or kind is Kind.ID
            cells = _as_given(cells, reader, raw, row_indexes if not every_row else None, col, excludes)
        columns[key] = reader.read(cells, kind)
    return columns


def _exclude_unreadable_criteria(issues: list[RowIssue], criterion_columns: set[str]) -> None:
    """Turn each unreadable number or date in a criterion column into an issue that excludes its row."""
    # A value we could not read in a criterion column is not silently scored as missing: the row waits for a fix.
    for issue_index, issue in enumerate(issues):
        if issue.code in (IssueCode.NOT_A_NUMBER, IssueCode.NOT_A_DATE) and issue.column in criterion_columns:
            issues[issue_index] = _with_action(issue, Action.ROW_EXCLUDED)


def _excluded_rows(issues: list[RowIssue], excel_rows: list[int]) -> NDArray:
    """True for each data row (at ``excel_rows``) that an issue excludes."""
    excluded = np.zeros(len(excel_rows), dtype=bool)
    position = {row: i for i, row in enumerate(excel_rows)}
    for issue in issues:
        if issue.excludes_row and issue.row in position:
            excluded[position[issue.row]] = True
    return excluded


def _as_given(
    cells: list[Any],
    reader: ColumnReader,
    raw: RawSheet,
    row_indexes: list[int] | None,
    col: int,
    excludes: bool,
) -> list[Any]:
    """Cells the field readers should not see as they are: an error value or a formula without a value (reported,
    then blank), and in a 0-100 score a percent cell holding 0.85, read as 85 points."""
    out = list(cells)
    for i, cell in enumerate(cells):
        if isinstance(cell, FlaggedCell):
            action = Action.ROW_EXCLUDED if excludes else Action.VALUE_MISSING
            reader.report(i, str(cell), cell.code, action, str(cell))
            out[i] = ""
        elif not reader.percent_points:
            continue
        elif (
            type(cell) in (float, int)
            and (i if row_indexes is None else row_indexes[i], col) in raw.percent_cells
        ):
            out[i] = cell * 100
            reader.report(
                i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, f"{cell * 100:g} ({cell:.0%})"
            )
    return out


def _flagged_elsewhere(
    raw: RawSheet,
    row_indexes: list[int],
    mapped: set[int],
    names: list[str],
    excel_rows: list[int],
    issues: list[RowIssue],
) -> None:
    """Error values and formulas without a value in the columns no field reads: reported, kept as text."""
    for position, index in enumerate(row_indexes):
        for col, cell in enumerate(raw.rows[index]):
            if col not in mapped and isinstance(cell, FlaggedCell):
                issues.append(
                    RowIssue(
                        excel_rows[position], names[col], str(cell), cell.code, Action.VALUE_KEPT, str(cell)
                    )
                )


def _with_action(issue: RowIssue, action: Action) -> RowIssue:
    return RowIssue(issue.row, issue.column, issue.value, issue.code, action, issue.detail)
