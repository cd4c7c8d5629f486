"""Grading a pandas DataFrame, for notebooks: the same validation and engine as ``kactier score``."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from ..config.models import Config
from ..config.precedence import DEFAULT_PRESET, choose_config
from ..problems import RowIssue
from ..read.cells import RawSheet
from ..report.added import added_headers, added_values
from ..report.explain_columns import explained
from ..scoring.engine import score_customers
from ..tiering.explain import explain_grades
from ..tiering.grade import grade_customers
from ..tiering.stability import tier_stability
from ..validate.rows import validate_rows

FRAME_SHEET = "DataFrame"  # the sheet name a frame's problems are reported under


class Graded(NamedTuple):
    """What :func:`grade` returns: the frame with the added columns, and the row problems.

    ``issues`` name rows as a sheet would (the header is row 1): ``row`` n is ``frame.iloc[n - 2]``.
    """

    frame: pd.DataFrame
    issues: list[RowIssue]


def grade(
    frame: pd.DataFrame,
    preset: str | None = None,
    config: Config | None = None,
    *,
    as_of: dt.date | None = None,
    lang: str = "auto",
    stability: int | None = None,
) -> Graded:
    """Grade the customers of ``frame``, whose columns are named as a workbook's headers would be.

    ``config`` wins over ``preset``; the default is the key-account preset. Returns a copy of ``frame`` (its index
    kept) with the columns ``kactier score`` adds (points, score, rank, percentile, tier, marks, action, next
    follow-up, then 评级说明 / Why, 距上一级差距 / Points to next tier and 提升建议 / Best lever) and the row
    problems, as :class:`Graded`. ``stability`` (a number of draws, e.g. 1000) adds 级别稳定度 / Tier stability, the
    share of perturbed weight vectors that keep each customer's tier (borderline ones are marked among the tier
    marks). Rows that are not data (blank, a total row, a repeated header) stay in the frame with the added columns
    empty; ``as_of`` (default: today) dates provisional marks and follow-ups.

    Example::

        graded, issues = kactier.grade(pd.read_excel("customers.xlsx"), preset="key-account")
    """
    chosen = choose_config(config, None, preset, DEFAULT_PRESET).config
    raw = RawSheet(Path(FRAME_SHEET), FRAME_SHEET, 1, [str(c) for c in frame.columns], _rows(frame))
    table = validate_rows(raw, chosen, lang)
    scores = score_customers(table, chosen)
    grades = grade_customers(table, scores, chosen, as_of or dt.date.today())
    extra = explained(
        table,
        chosen,
        explain_grades(table, scores, grades, chosen),
        tier_stability(scores, grades, chosen, stability) if stability else None,
    )
    headers = added_headers(chosen, table.lang, table.column_names, extra=extra)
    out = frame.copy()
    positions = table.row_indexes
    for header, values in zip(headers, added_values(scores, grades, chosen, table.lang, extra), strict=True):
        column: list[Any] = [None] * len(frame)
        for position, value in zip(positions, values, strict=True):
            column[position] = value
        out[header] = column
    issues = sorted(
        [*table.issues, *scores.issues, *grades.issues], key=lambda i: (i.row or 0, i.column or "")
    )
    return Graded(out, issues)


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    """The frame's cells as a sheet reader gives them: missing values as None, timestamps as datetimes, numpy
    scalars as Python numbers."""
    return [[_cell(value) for value in row] for row in frame.itertuples(index=False, name=None)]


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
