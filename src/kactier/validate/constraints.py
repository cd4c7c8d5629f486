"""Row rules on the parsed customer frame: each field's allowed range (the pydantic row model), repeated customer
ids and missing names. Every breach becomes a :class:`~kactier.problems.RowIssue`."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field as PydanticField
from pydantic import TypeAdapter, ValidationError

from ..fields import FIELD_BY_KEY, Kind
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from .cells import NUMERIC_KINDS


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
        elif spec is not None and spec.kind in NUMERIC_KINDS:
            low = (
                spec.low
                if spec.low is not None
                else (None if spec.kind in (Kind.NUMBER, Kind.SIGNED_MONEY) else 0)
            )
            models[key] = TypeAdapter(list[Annotated[float, PydanticField(ge=low, le=spec.high)]])
    return models


def validate_constraints(
    frame: pd.DataFrame,
    mapping: dict[str, int],
    names: list[str],
    criterion_keys: set[str],
    original: Callable[[int, str], Any],
) -> list[RowIssue]:
    """Check every row against the pydantic row model; out-of-range values become issues.

    ``original(index, key)`` is the cell as given for frame row ``index`` and field ``key`` (what an issue shows).
    An out-of-range value outside the criteria is blanked in ``frame``; in a criterion it excludes the row.
    """
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


def duplicate_ids(frame: pd.DataFrame, column: str) -> list[RowIssue]:
    """Every repeat of a customer id after its first row (excluded), then every id that differs from an earlier
    one only by its Unicode form (kept, both graded: see :func:`lookalike_ids`)."""
    ids = frame["customer_id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    issues = []
    if dup.any():
        first_row = frame.loc[ids.notna()].groupby("customer_id", sort=False)["excel_row"].first()
        issues = [
            RowIssue(int(r), column, i, IssueCode.DUPLICATE_ID, Action.ROW_EXCLUDED, _row(first_row[i]))
            for r, i in zip(frame.loc[dup, "excel_row"], ids[dup], strict=True)
        ]
    return issues + lookalike_ids(frame.loc[ids.notna() & ~dup, ["customer_id", "excel_row"]], column)


def lookalike_ids(frame: pd.DataFrame, column: str) -> list[RowIssue]:
    """Ids that differ from an earlier row's only by Unicode normalisation: composed or decomposed accents (NFC,
    NFD) or full-width forms (``Ｃ００１`` and ``C001``, NFKC). Ids stay exactly as text, so both rows are graded as
    different customers; the later one is flagged as a probable duplicate of the first.

    ``frame`` holds each distinct id once. One pass: an ASCII id is its own NFKC form, so only the others are
    normalised, and the grouping runs only when one of them changes.
    """
    texts = [str(i) for i in frame["customer_id"].tolist()]
    if "".join(texts).isascii():  # the usual sheet: one C-level scan, nothing to normalise
        return []
    changed = {i: n for i in texts if not i.isascii() and (n := unicodedata.normalize("NFKC", i)) != i}
    if not changed:
        return []
    ids = pd.Series(texts, index=frame.index)
    keys = ids.map(changed).fillna(ids)
    later = keys.duplicated(keep="first")
    first_row = frame.groupby(keys.to_numpy(), sort=False)["excel_row"].first()
    return [
        RowIssue(int(r), column, i, IssueCode.LOOKALIKE_ID, Action.VALUE_KEPT, _row(first_row[k]))
        for r, i, k in zip(frame.loc[later, "excel_row"], ids[later], keys[later], strict=True)
    ]


def missing_names(frame: pd.DataFrame, column: str) -> list[RowIssue]:
    """Every row with a customer id but no name (reported; the row is kept)."""
    missing = frame["customer_name"].isna() & frame["customer_id"].notna()
    return [
        RowIssue(int(r), column, None, IssueCode.MISSING_NAME, Action.VALUE_KEPT)
        for r in frame.loc[missing, "excel_row"]
    ]


def _row(row: Any) -> Note:
    """The detail naming the earlier row a customer id repeats (re-addressed to its file when several inputs are
    graded together)."""
    return Note("place.row", row=int(row))
