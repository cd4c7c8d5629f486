"""Composite scores: normalise each criterion to 0–100, apply the missing-value policy, weight, sum, round.

The composite of customer *i* is ``S_i = Σ_j w_j·s_ij / Σ_j w_j`` over the criteria *j* present for *i* (all of them
unless a criterion's policy is ``exclude``), with ``s_ij`` the criterion's 0–100 points and ``w`` the weights after
normalisation to sum 1. ``S_i`` is rounded to ``score_decimals`` before ranking and tiering, so the score a user sees
is the score that was compared. Formulas and sources: docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .config import Config, Criterion
from .problems import Action, IssueCode, RowIssue
from .tiering import competition_rank, percentile
from .validate import CustomerTable
from .weights import manual_weights

NDArray = np.ndarray[Any, Any]
NEUTRAL_POINTS = 50.0  # what every customer gets on a criterion that does not tell them apart


@dataclass(slots=True)
class Scores:
    """Per-criterion points, composite score, rank and percentile for every data row (NaN when not graded)."""

    points: pd.DataFrame  # one column per criterion key, 0–100
    score: NDArray
    rank: NDArray  # 1 = best; 0 = not ranked
    percentile: NDArray
    weights: dict[str, float]
    weight_method: str
    graded: NDArray  # bool: scored (not excluded)
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def normalize(values: NDArray, criterion: Criterion) -> tuple[NDArray, str | None]:
    """0–100 points for ``values`` (NaN stays NaN); the second item notes a constant column.

    ``score``: the value itself (``lower``: 100 − value). ``minmax``: 100·(x − min)/(max − min), reversed for
    ``lower``. A column with one distinct value gives every customer :data:`NEUTRAL_POINTS`.
    """
    present = values[~np.isnan(values)]
    higher = criterion.direction == "higher"
    if criterion.normalize == "score":
        return (values if higher else 100.0 - values), None
    low, high = (float(present.min()), float(present.max())) if present.size else (0.0, 0.0)
    if high == low:
        note = f"{criterion.field}: every graded customer has the same value ({low:g}); each gets {NEUTRAL_POINTS:g}"
        return np.where(np.isnan(values), np.nan, NEUTRAL_POINTS), note
    scaled = (values - low) / (high - low) * 100.0
    return (scaled if higher else 100.0 - scaled), None


def score_customers(table: CustomerTable, config: Config) -> Scores:
    """Score every non-excluded row of ``table`` under ``config``."""
    frame = table.frame
    graded = ~table.excluded.copy()
    issues: list[RowIssue] = []
    notes: list[str] = []
    excel_rows = table.excel_rows
    columns = {c.key: table.column_names[table.field_columns[c.key]] for c in config.criteria}
    raw = {c.key: np.where(graded, frame[c.key].to_numpy(dtype=float), np.nan) for c in config.criteria}

    # Rows with no criterion at all cannot be scored, whatever the policies say.
    blank = graded & np.all([np.isnan(raw[c.key]) for c in config.criteria], axis=0)
    for row in excel_rows[blank]:
        issues.append(RowIssue(int(row), None, None, IssueCode.NO_CRITERIA, Action.ROW_EXCLUDED))
    graded &= ~blank

    points: dict[str, NDArray] = {}
    present: dict[str, NDArray] = {}
    for criterion in config.criteria:
        values = np.where(graded, raw[criterion.key], np.nan)
        missing = graded & np.isnan(values)
        if criterion.missing == "median" and missing.any():
            values = np.where(missing, np.nanmedian(values) if (graded & ~missing).any() else 0.0, values)
        scored, note = normalize(values, criterion)
        if note:
            notes.append(note)
        if criterion.missing == "zero":
            scored = np.where(missing, 0.0, scored)
        points[criterion.key] = scored
        present[criterion.key] = ~missing
        for row in excel_rows[missing]:
            issues.append(_missing_issue(int(row), columns[criterion.key], criterion))
        if criterion.missing == "reject":
            graded &= ~missing

    weights = manual_weights([c.weight for c in config.criteria])
    matrix = np.column_stack([points[c.key] for c in config.criteria])
    mask = np.column_stack([present[c.key] | (c.missing != "exclude") for c in config.criteria])
    weight_sum = (mask * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = np.where(mask, matrix * weights, 0.0).sum(axis=1) / weight_sum
    composite = np.where(graded, np.round(composite, config.score_decimals), np.nan)
    return Scores(
        points=pd.DataFrame(points),
        score=composite,
        rank=competition_rank(composite),
        percentile=percentile(composite),
        weights={c.key: float(w) for c, w in zip(config.criteria, weights, strict=True)},
        weight_method=config.weights,
        graded=graded,
        issues=issues,
        notes=notes,
    )


def _missing_issue(row: int, column: str, criterion: Criterion) -> RowIssue:
    action = Action.ROW_EXCLUDED if criterion.missing == "reject" else Action.VALUE_MISSING
    return RowIssue(row, column, None, IssueCode.MISSING_VALUE, action, criterion.missing)
