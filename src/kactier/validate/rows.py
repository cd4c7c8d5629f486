"""From raw cells to a validated customer table.

Steps: name the columns (blank and duplicate headers get a stated name), map headers to canonical fields, set aside
rows that are not data (blank, total, repeated header), read each field's cells as its kind (numbers typed as text,
dates as text or serials), then validate every row against a pydantic model built for the fields present. Every
problem becomes a :class:`~kactier.problems.RowIssue`; none stops the run. Workbook-level problems (a required
column missing, two columns naming one field) raise :class:`~kactier.errors.WorkbookError`.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field as PydanticField
from pydantic import TypeAdapter, ValidationError

from ..config.models import Config
from ..errors import WorkbookError
from ..fields import FIELD_BY_KEY, REQUIRED, STAGE_INDEX, STAGES, Kind, has_cjk, normalize_header
from ..i18n import Lang
from ..problems import Action, IssueCode, RowIssue
from ..read.workbook import FlaggedCell, RawSheet, header_matches, row_text
from .values import excel_serial_to_date, id_text, parse_date, parse_number

TOTAL_WORDS = frozenset(("合计", "总计", "總計", "合計", "total", "totals", "grand total"))
_LONGEST_TOTAL_CELL = 24  # longer text is a name, not a total label (cheap test before NFKC)
_NUMERIC_KINDS = (Kind.NUMBER, Kind.MONEY, Kind.SIGNED_MONEY, Kind.COUNT, Kind.SCORE)
_MAX_EXACT_INTEGER = 1e15  # Excel keeps 15 significant digits; longer numeric ids may have lost digits
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

    @property
    def excel_rows(self) -> NDArray:
        """Excel row number of each data row."""
        return self.frame["excel_row"].to_numpy()


def resolve_lang(requested: str, headers: list[Any]) -> Lang:
    """``zh`` or ``en``; ``auto`` follows the language of the input headers."""
    if requested in ("zh", "en"):
        return "zh" if requested == "zh" else "en"
    return "zh" if any(isinstance(h, str) and has_cjk(h) for h in headers) else "en"


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def name_columns(raw: RawSheet, lang: Lang) -> tuple[list[str], list[RowIssue]]:
    """A unique, non-blank output name per column; each renaming is reported."""
    names: list[str] = []
    issues: list[RowIssue] = []
    seen: set[str] = set()
    for index, cell in enumerate(raw.headers):
        text = id_text(cell) if not isinstance(cell, str) else cell
        name = (text or "").strip()
        letter = column_letter(raw.first_column + index)
        if not name:
            name = f"列{letter}" if lang == "zh" else f"Column {letter}"
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


def map_fields(raw: RawSheet, names: list[str], config: Config) -> dict[str, int]:
    """Canonical field -> column index; a criterion that names a header directly maps to that column."""
    where = f"{raw.path}: sheet {raw.sheet!r}, header row {raw.header_row}"
    mapping: dict[str, int] = {}
    for index, cell in enumerate(raw.headers):
        if not isinstance(cell, str):
            continue
        found = header_matches([cell])
        for key in found:
            if key in mapping:
                first = names[mapping[key]]
                raise WorkbookError(
                    f"{where}: columns {first!r} and {names[index]!r} both mean "
                    f"{FIELD_BY_KEY[key].zh} / {FIELD_BY_KEY[key].en}; rename or delete one of them"
                )
            mapping[key] = index
    folded = {normalize_header(n): i for i, n in enumerate(names)}
    for key in config.scored_keys():
        if key not in mapping and normalize_header(key) in folded:
            mapping[key] = folded[normalize_header(key)]
    missing = [k for k in REQUIRED if k not in mapping]
    if missing:
        labels = ", ".join(f"{FIELD_BY_KEY[k].zh} / {FIELD_BY_KEY[k].en}" for k in missing)
        raise WorkbookError(
            f"{where}: required column missing: {labels}; add it or rename the column that holds it"
        )
    absent = [k for k in config.scored_keys() if k not in mapping]
    if absent:
        labels = ", ".join(
            f"{FIELD_BY_KEY[k].zh} / {FIELD_BY_KEY[k].en}" if k in FIELD_BY_KEY else repr(k) for k in absent
        )
        raise WorkbookError(
            f"{where}: the config {config.name!r} scores columns this sheet does not have: {labels}; "
            "add them, or choose another preset (`kactier presets`) or --config"
        )
    return mapping


def _classify_rows(raw: RawSheet, mapping: dict[str, int]) -> tuple[list[int], list[RowIssue]]:
    """Data rows, and the rows set aside as blank, total or repeated header."""
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
    if _is_total_word(row[id_col]):
        return True
    if row[id_col] != "":
        return False
    first = next((c for c in row if c != ""), "")
    return _is_total_word(row[name_col]) or _is_total_word(first)


def _is_total_word(cell: Any) -> bool:
    """Exactly a total word ("合计", "Total:", "ＴＯＴＡＬ"), not any text that merely contains one."""
    if not isinstance(cell, str) or len(cell) > _LONGEST_TOTAL_CELL:
        return False
    folded = cell if cell.isascii() else unicodedata.normalize("NFKC", cell)  # NFKC keeps ASCII as it is
    return folded.strip().rstrip(":").strip().casefold() in TOTAL_WORDS


@dataclass(slots=True)
class _Reader:
    """Reads one column's cells as a field kind, collecting issues."""

    column: str
    excel_rows: list[int]
    issues: list[RowIssue]
    date1904: bool = False  # serial numbers count from 1904-01-01 (the workbook's date system)
    percent_points: bool = False  # a 0-100 score: a percent is read as points

    def report(self, i: int, value: Any, code: IssueCode, action: Action, detail: str = "") -> None:
        self.issues.append(RowIssue(self.excel_rows[i], self.column, value, code, action, detail))

    def numbers(self, cells: list[Any]) -> NDArray:
        if set(map(type, cells)) <= {float, int}:  # real numbers only (not bool): nothing to read or report
            return np.asarray(cells, dtype=np.float64) if cells else np.full(0, np.nan)
        out = np.full(len(cells), np.nan)
        for i, cell in enumerate(cells):
            kind = type(cell)
            if kind is float or kind is int:
                out[i] = cell
            elif cell == "":
                continue
            elif kind is str:
                value, assumption = parse_number(cell)
                if value is None:
                    self.report(i, cell, IssueCode.NOT_A_NUMBER, Action.VALUE_MISSING)
                else:
                    if self.percent_points and cell.rstrip().endswith(("%", "％")):
                        value *= 100  # "85%" in a 0-100 score is 85 points
                        assumption = f"{value:g}"
                    out[i] = value
                    if assumption:
                        self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, assumption)
            else:
                self.report(i, cell, IssueCode.NOT_A_NUMBER, Action.VALUE_MISSING)
        return out

    def dates(self, cells: list[Any]) -> list[dt.date | None]:
        if set(map(type, cells)) == {dt.date}:  # real date cells only: nothing to read or report
            return list(cells)
        out: list[dt.date | None] = [None] * len(cells)
        for i, cell in enumerate(cells):
            if cell == "":
                continue
            if isinstance(cell, dt.datetime):
                out[i] = cell.date()
            elif isinstance(cell, dt.date):
                out[i] = cell
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                out[i] = excel_serial_to_date(float(cell), self.date1904)
                if out[i] is None:
                    self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
                else:
                    self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, str(out[i]))
            elif isinstance(cell, str):
                out[i], assumption = parse_date(cell)
                if out[i] is None:
                    self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
                else:
                    self.report(i, cell, IssueCode.VALUE_COERCED, Action.VALUE_COERCED, assumption)
            else:
                self.report(i, cell, IssueCode.NOT_A_DATE, Action.VALUE_MISSING)
        return out

    def ids(self, cells: list[Any]) -> list[str | None]:
        out = [id_text(c) for c in cells]
        if float in set(map(type, cells)):  # only a number can have lost digits
            for i, cell in enumerate(cells):
                if isinstance(cell, float) and abs(cell) >= _MAX_EXACT_INTEGER:
                    self.report(i, cell, IssueCode.LONG_NUMERIC_ID, Action.VALUE_KEPT)
        return out

    def texts(self, cells: list[Any]) -> list[str | None]:
        return [None if c == "" else (c if isinstance(c, str) else id_text(c)) for c in cells]

    def stages(self, cells: list[Any]) -> list[str | None]:
        out: list[str | None] = []
        expected = " / ".join(names[0] for names in STAGES.values())
        for i, cell in enumerate(cells):
            if cell == "":
                out.append(None)
                continue
            stage = STAGE_INDEX.get(normalize_header(cell))
            if stage is None:
                self.report(i, cell, IssueCode.UNKNOWN_STAGE, Action.VALUE_KEPT, expected)
            out.append(stage)
        return out


def _field_models(keys: list[str]) -> dict[str, TypeAdapter[list[Any]]]:
    """Per field present, a pydantic model of its column of values with the field's allowed range.

    Together they are the customer row model: a row is valid when each of its fields is. Checking a column at a
    time gives the same errors as checking a row at a time, without building a dict per row.
    """
    models: dict[str, TypeAdapter[list[Any]]] = {}
    for key in keys:
        spec = FIELD_BY_KEY.get(key)
        if key == "customer_id":
            models[key] = TypeAdapter(list[Annotated[str, PydanticField(min_length=1)]])
        elif spec is not None and spec.kind in _NUMERIC_KINDS:
            low = (
                spec.low
                if spec.low is not None
                else (None if spec.kind in (Kind.NUMBER, Kind.SIGNED_MONEY) else 0)
            )
            models[key] = TypeAdapter(list[Annotated[float, PydanticField(ge=low, le=spec.high)]])
    return models


def validate_rows(raw: RawSheet, config: Config, lang: str = "auto") -> CustomerTable:
    """Validate the rows of ``raw`` for ``config``; see the module docstring."""
    resolved = resolve_lang(lang, raw.headers)
    names, issues = name_columns(raw, resolved)
    issues = raw.issues + issues
    mapping = map_fields(raw, names, config)
    row_indexes, skipped = _classify_rows(raw, mapping)
    issues += skipped
    excel_rows = [raw.first_row + i for i in row_indexes]
    columns: dict[str, Any] = {"excel_row": np.asarray(excel_rows, dtype=np.int64)}
    criterion_keys = set(config.scored_keys())
    every_row = len(row_indexes) == len(raw.rows)  # the usual case: no row set aside
    for key, col in mapping.items():
        pick = itemgetter(col)
        cells = list(map(pick, raw.rows)) if every_row else [pick(raw.rows[i]) for i in row_indexes]
        spec = FIELD_BY_KEY.get(key)
        kind = spec.kind if spec is not None else Kind.NUMBER  # a criterion named by its header
        points = spec is not None and spec.kind is Kind.SCORE and spec.high == 100
        reader = _Reader(names[col], excel_rows, issues, raw.date1904, points)
        if raw.flagged_cells or (points and raw.percent_cells):
            excludes = key in criterion_keys or kind is Kind.ID
            cells = _as_given(cells, reader, raw, row_indexes if not every_row else None, col, excludes)
        if kind is Kind.ID:
            columns[key] = reader.ids(cells)
        elif kind in _NUMERIC_KINDS:
            columns[key] = reader.numbers(cells)
        elif kind is Kind.DATE:
            columns[key] = reader.dates(cells)
        elif kind is Kind.STAGE:
            columns[key] = reader.stages(cells)
        else:
            columns[key] = reader.texts(cells)
    if raw.flagged_cells:
        _flagged_elsewhere(raw, row_indexes, set(mapping.values()), names, excel_rows, issues)
    frame = pd.DataFrame(columns)
    excluded = np.zeros(len(frame), dtype=bool)
    # A value we could not read in a criterion column is not silently scored as missing: the row waits for a fix.
    criterion_columns = {names[mapping[k]] for k in criterion_keys}
    for issue_index, issue in enumerate(issues):
        if issue.code in (IssueCode.NOT_A_NUMBER, IssueCode.NOT_A_DATE) and issue.column in criterion_columns:
            issues[issue_index] = _with_action(issue, Action.ROW_EXCLUDED)

    def original(index: int, key: str) -> Any:
        return raw.rows[row_indexes[index]][mapping[key]]

    issues += _validate_constraints(frame, mapping, names, criterion_keys, original)
    issues += _duplicate_ids(frame, names[mapping["customer_id"]])
    issues += _missing_names(frame, names[mapping["customer_name"]])
    position = {row: i for i, row in enumerate(excel_rows)}
    for issue in issues:
        if issue.excludes_row and issue.row in position:
            excluded[position[issue.row]] = True
    return CustomerTable(raw, resolved, names, mapping, row_indexes, frame, excluded, issues)


def _as_given(
    cells: list[Any], reader: _Reader, raw: RawSheet, row_indexes: list[int] | None, col: int, excludes: bool
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


def _validate_constraints(
    frame: pd.DataFrame,
    mapping: dict[str, int],
    names: list[str],
    criterion_keys: set[str],
    original: Callable[[int, str], Any],
) -> list[RowIssue]:
    """Check every row against the pydantic row model; out-of-range values become issues."""
    keys = [k for k in mapping if k == "customer_id" or k in FIELD_BY_KEY]
    errors: list[tuple[int, int, str, str]] = []  # (row index, field order, field, error type)
    for order, (key, model) in enumerate(_field_models(keys).items()):
        values = frame[key]
        if key == "customer_id":
            checked, positions = values.tolist(), None
        else:
            numbers = values.to_numpy(dtype=np.float64)
            present = ~np.isnan(numbers)  # a blank value is allowed everywhere: only values are checked
            positions = np.flatnonzero(present)
            checked = numbers[present].tolist()
        try:
            model.validate_python(checked)
        except ValidationError as exc:
            for err in exc.errors():
                at = int(err["loc"][0])
                errors.append((at if positions is None else int(positions[at]), order, key, err["type"]))
    if not errors:
        return []
    errors.sort()  # row by row, fields in column order, as a row model reports them
    issues = []
    excel_rows = frame["excel_row"].to_numpy()
    for index, _, key, error_type in errors:
        value = original(index, key)
        row = int(excel_rows[index])
        if key == "customer_id":
            issues.append(RowIssue(row, names[mapping[key]], None, IssueCode.MISSING_ID, Action.ROW_EXCLUDED))
            continue
        spec = FIELD_BY_KEY[key]
        negative = error_type == "greater_than_equal" and spec.kind is not Kind.SCORE
        code = IssueCode.NEGATIVE_VALUE if negative else IssueCode.OUT_OF_RANGE
        detail = "" if negative else f"{_fmt(spec.low)}–{_fmt(spec.high)}"
        action = Action.ROW_EXCLUDED if key in criterion_keys else Action.VALUE_MISSING
        if action is Action.VALUE_MISSING:
            frame.at[index, key] = np.nan
        issues.append(RowIssue(row, names[mapping[key]], value, code, action, detail))
    return issues


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _duplicate_ids(frame: pd.DataFrame, column: str) -> list[RowIssue]:
    """Every repeat of a customer id after its first row."""
    ids = frame["customer_id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    if not dup.any():
        return []
    first_row = frame.loc[ids.notna()].groupby("customer_id", sort=False)["excel_row"].first()
    return [
        RowIssue(int(r), column, i, IssueCode.DUPLICATE_ID, Action.ROW_EXCLUDED, str(int(first_row[i])))
        for r, i in zip(frame.loc[dup, "excel_row"], ids[dup], strict=True)
    ]


def _missing_names(frame: pd.DataFrame, column: str) -> list[RowIssue]:
    missing = frame["customer_name"].isna() & frame["customer_id"].notna()
    return [
        RowIssue(int(r), column, None, IssueCode.MISSING_NAME, Action.VALUE_KEPT)
        for r in frame.loc[missing, "excel_row"]
    ]
