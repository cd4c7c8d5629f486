"""Customer segments (``[segments]``), computed after the tiers over the graded customers.

RFM (``method = "rfm"``), the classic eight-segment model of Chinese CRM practice (RFM 客户价值分析): each of
recency R (距上次购买天数), frequency F (交易次数) and monetary value M (年销售额) is *high* or *low* against its
mean over the graded customers that have all three (``split = "median"``: its median). R is high when the days since
the last purchase are at or below the mean (recent); F and M are high when at or above it. A value equal to the
split is high, with a relative slack of 1e-12 (``x >= m − 1e-12·max(1, |m|)``, the other way round for R) so that a
mean that floating point puts one rounding step off a value still counts as equal. The segments, by (R, F, M):

=====  ==============  ====================  =====  ==============  ====================
R F M  segment         English               R F M  segment         English
=====  ==============  ====================  =====  ==============  ====================
H H H  重要价值客户    Important value       H H L  一般价值客户    General value
H L H  重要发展客户    Important development H L L  一般发展客户    General development
L H H  重要保持客户    Important retention   L H L  一般保持客户    General retention
L L H  重要挽留客户    Important win-back    L L L  一般挽留客户    General win-back
=====  ==============  ====================  =====  ==============  ====================

Matrix (``method = "matrix"``): each dimension is graded by its own tier method (:mod:`.methods`,
:mod:`.computed_abc`) on a field's values or on the weighted mean of criteria's 0–100 points (the run's weights
over those criteria, renormalised); the cell is the row level's label and the column level's label (``A1``).

A graded customer that lacks a value a segment needs gets no segment and a ``segment_missing`` issue naming what is
missing; a customer that is not graded gets no segment (its reason is already in the Issues sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..config.models import Config
from ..config.segment_models import Dimension, SegmentLevel, Segments, segment_levels
from ..errors import ConfigError, Phrase
from ..fields import FIELD_BY_KEY
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..scoring.engine import Scores
from ..validate.mapping import quoted
from ..validate.rows import CustomerTable
from .computed_abc import computed_abc_tiers
from .methods import pareto_tiers, quantile_tiers, threshold_tiers

NDArray = np.ndarray[Any, Any]
_REL_TOL = 1e-12  # as in .methods: a value one rounding step off the split is on it


@dataclass(slots=True)
class Segmentation:
    """Every data row's segment (an index into ``levels``; −1 = none) and how the segments were found."""

    method: str
    index: NDArray
    levels: list[SegmentLevel]
    splits: tuple[float, float, float] | None = None  # rfm: the R, F and M values split at
    grid: tuple[list[str], list[str]] | None = None  # matrix: the row and the column labels
    issues: list[RowIssue] = field(default_factory=list)

    def counts(self) -> list[int]:
        """Customers per segment, in segment order."""
        chosen = self.index[self.index >= 0]
        return [int(n) for n in np.bincount(chosen, minlength=len(self.levels))[: len(self.levels)]]


def segment_customers(
    table: CustomerTable, scores: Scores, config: Config, tier: NDArray
) -> Segmentation | None:
    """The segment of every data row under ``config.segments`` (None without it); ``tier`` is the final tier per
    row (−1 = not graded), whose graded customers are the ones segmented."""
    segments = config.segments
    if segments is None:
        return None
    for key in segments.field_keys():
        _check_column(table, key)
    graded = np.asarray(tier) >= 0
    if segments.method == "rfm":
        return _rfm(table, segments, graded)
    return _matrix(table, scores, segments, graded)


def rfm_index(
    r: NDArray, f: NDArray, m: NDArray, split: str = "mean"
) -> tuple[NDArray, tuple[float, float, float]]:
    """The RFM segment index (into :data:`~kactier.config.segment_models.RFM_SEGMENTS`) per customer, −1 where a
    value is NaN, and the three split values (NaN when no customer has all three values).

    The splits are the mean (or median) of each of R, F and M over the customers that have all three; the index is
    M low × 4 + R low × 2 + F low × 1 (0 = high-high-high = 重要价值客户 … 7 = 一般挽留客户).
    """
    values = np.column_stack([np.asarray(v, dtype=float) for v in (r, f, m)])
    complete = ~np.isnan(values).any(axis=1)
    index = np.full(len(values), -1, dtype=np.int64)
    if not complete.any():
        return index, (float("nan"),) * 3
    present = values[complete]
    centre = np.median(present, axis=0) if split == "median" else present.mean(axis=0)
    slack = _REL_TOL * np.maximum(1.0, np.abs(centre))
    r_low = (
        present[:, 0] > centre[0] + slack[0]
    )  # more days since the last purchase than the split: not recent
    f_low = present[:, 1] < centre[1] - slack[1]
    m_low = present[:, 2] < centre[2] - slack[2]
    index[complete] = m_low.astype(np.int64) * 4 + r_low.astype(np.int64) * 2 + f_low.astype(np.int64)
    return index, (float(centre[0]), float(centre[1]), float(centre[2]))


def _rfm(table: CustomerTable, segments: Segments, graded: NDArray) -> Segmentation:
    names = [_header_text(key) for key in segments.field_keys()]
    columns = [_values(table, key) for key in segments.field_keys()]
    for column in columns:
        column[~graded] = np.nan
    index, splits = rfm_index(columns[0], columns[1], columns[2], split=segments.split)
    issues = _missing_issues(table, graded & (index < 0), names, columns)
    return Segmentation("rfm", index, segment_levels(segments), splits=splits, issues=issues)


def _matrix(table: CustomerTable, scores: Scores, segments: Segments, graded: NDArray) -> Segmentation:
    assert segments.rows is not None
    assert segments.columns is not None
    ids = [str(v) for v in table.frame["customer_id"].tolist()]
    found, keys = [], []
    for dimension in (segments.rows, segments.columns):
        key = _dimension_keys(table, scores, dimension)
        key[~graded] = np.nan
        keys.append(key)
        found.append(_dimension_levels(dimension, key, ids))
    rows, columns = found
    width = segments.columns.level_count()
    index = np.where((rows >= 0) & (columns >= 0), rows * width + columns, -1).astype(np.int64)
    names = [", ".join(_header_text(k) for k in d.keys) for d in (segments.rows, segments.columns)]
    issues = _missing_issues(table, graded & (index < 0), names, keys)
    grid = (segments.rows.level_labels(True), segments.columns.level_labels(False))
    return Segmentation("matrix", index, segment_levels(segments), grid=grid, issues=issues)


def _dimension_keys(table: CustomerTable, scores: Scores, dimension: Dimension) -> NDArray:
    """What a dimension grades per row: the field's values, or the weighted mean of the criteria's points."""
    if dimension.value is not None:
        return _values(table, dimension.keys[0])
    points = np.column_stack([scores.points[k].to_numpy(dtype=float) for k in dimension.keys])
    weights = np.asarray([scores.weights.get(k, 0.0) for k in dimension.keys], dtype=float)
    if weights.sum() <= 0:  # criteria without weight in this run: count them equally
        weights = np.ones(len(dimension.keys))
    present = ~np.isnan(points)
    total = (np.where(present, points, 0.0) * weights).sum(axis=1)
    weight = (present * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def _dimension_levels(dimension: Dimension, keys: NDArray, ids: list[str]) -> NDArray:
    """The level of every row on one dimension (−1 where its key is NaN), by the dimension's tier method."""
    levels = dimension.level_count()
    result = np.full(len(keys), -1, dtype=np.int64)
    present = np.flatnonzero(~np.isnan(keys))
    if present.size == 0:
        return result
    chosen, chosen_ids = keys[present], [ids[i] for i in present.tolist()]
    if dimension.method == "thresholds":
        result[present] = threshold_tiers(chosen, dimension.minimums or [])
    elif dimension.method == "pareto":
        cuts = dimension.cuts or _even(levels, 0.8, 0.95)
        result[present] = pareto_tiers(np.maximum(chosen, 0.0), chosen_ids, cuts)
    elif dimension.method == "quantile":
        shares = dimension.shares or ([0.2, 0.3] if levels == 3 else [1 / levels] * (levels - 1))
        result[present] = quantile_tiers(chosen, chosen_ids, shares)
    else:
        result[present] = computed_abc_tiers(np.maximum(chosen, 0.0), chosen_ids).tiers
    return result


def _even(levels: int, first: float, last: float) -> list[float]:
    """Pareto cuts for ``levels`` levels: 80% / 95% for three, as the tiers' defaults are."""
    if levels == 2:
        return [first]
    return [round(first + (last - first) * i / (levels - 2), 4) for i in range(levels - 1)]


def _values(table: CustomerTable, key: str) -> NDArray:
    """A field's values per row as floats (NaN where blank or not a number)."""
    if key in table.frame:
        cells: list[Any] = table.frame[key].tolist()
    else:
        column = _column_index(table, key)
        assert column is not None  # checked first by _check_column
        cells = [table.raw.rows[i][column] for i in table.row_indexes]
    numbers = [None if isinstance(c, bool) else c for c in cells]
    return np.array(pd.to_numeric(pd.Series(numbers, dtype=object), errors="coerce"), dtype=float)


def _column_index(table: CustomerTable, key: str) -> int | None:
    if key in table.field_columns:
        return table.field_columns[key]
    folded = key.strip().casefold()
    return next((i for i, name in enumerate(table.column_names) if name.strip().casefold() == folded), None)


def _check_column(table: CustomerTable, key: str) -> None:
    """A ConfigError naming the header when the sheet has no column for ``key``."""
    if key in table.frame or _column_index(table, key) is not None:
        return
    raw = table.raw
    error = ConfigError(
        "segments.no_column",
        where=Phrase("where.header", path=raw.path, sheet=raw.sheet, row=raw.header_row),
        header=_header_text(key),
        headers=quoted(table.column_names),
    )
    error.lang = table.lang
    raise error


def _header_text(key: str) -> str:
    known = FIELD_BY_KEY.get(key)
    return f"{known.label('zh')} / {known.label('en')}" if known is not None else key


def _missing_issues(
    table: CustomerTable, rows: NDArray, names: list[str], columns: list[NDArray]
) -> list[RowIssue]:
    """One ``segment_missing`` issue per graded customer left without a segment, naming what it lacks."""
    issues = []
    for position in np.flatnonzero(rows).tolist():
        lacking = [name for name, values in zip(names, columns, strict=True) if np.isnan(values[position])]
        note = Note("note.segment_missing", fields="; ".join(lacking))
        row = int(table.excel_rows[position])
        issues.append(RowIssue(row, None, None, IssueCode.SEGMENT_MISSING, Action.NOT_SEGMENTED, note))
    return issues
