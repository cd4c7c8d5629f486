"""Composite scores: normalise each criterion to 0–100, apply the missing-value policy, weight, sum, round.

The composite of customer *i* is ``S_i = Σ_j w_j·s_ij / Σ_j w_j`` over the criteria *j* present for *i* (all of them
unless a criterion's policy is ``exclude``), with ``s_ij`` the criterion's 0–100 points and ``w`` the weights after
normalisation to sum 1. ``S_i`` is rounded to ``score_decimals`` before ranking and tiering, so the score a user sees
is the score that was compared. Formulas and sources: docs/methods.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..config.models import Config, Criterion
from ..errors import DataError, WeightError
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..validate.rows import CustomerTable
from .aggregate import PRODUCT_FLOOR, TIED_CLOSENESS, TopsisInput, topsis, weighted_product, weighted_sum
from .rank import competition_rank, percentile
from .weights import ahp_weights, critic_weights, entropy_weights, manual_weights

NDArray = np.ndarray[Any, Any]
NEUTRAL_POINTS = 50.0  # what every customer gets on a criterion that does not tell them apart
CONSTANT_TOLERANCE = 1e-12  # relative spread below which a column counts as constant


@dataclass(slots=True)
class Scores:
    """Per-criterion points, composite score, rank and percentile for every data row (NaN when not graded)."""

    points: pd.DataFrame  # one column per criterion key, 0–100
    score: NDArray
    rank: NDArray  # 1 = best; 0 = not ranked
    percentile: NDArray
    weights: dict[str, float]
    graded: NDArray  # bool: scored (not excluded)
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    topsis: TopsisInput | None = None  # aggregation = "topsis": its input, for other weights


def normalize(values: NDArray, criterion: Criterion) -> tuple[NDArray, str | None]:
    """0–100 points for ``values`` (NaN stays NaN); the second item notes a constant column.

    - ``score``: the value itself (already 0–100).
    - ``minmax``: 100·(x − min)/(max − min).
    - ``log-minmax``: min–max of sign(x)·ln(1 + |x|), for skewed money.
    - ``rank``: percentile rank, 100·(r − 1)/(n − 1) with r the rank from the lowest, ties given their mean rank.
    - ``zscore``: 100·Φ((x − mean)/σ), σ the population standard deviation, Φ the standard normal CDF.
    - ``bins``: the points of the bin the value falls in; a value equal to a cut point belongs to the bin above it.
    - ``vector``: 100·x/√Σx² (Hwang & Yoon 1981), for TOPSIS; values below 0 are set aside before (the engine).

    ``lower`` directions are reversed as 100 − points (not for ``bins``, whose points say it all; for ``vector``
    that is 100·(1 − x/√Σx²), the cost form of Chakraborty & Yeh 2007). A column whose
    graded customers share one value cannot tell them apart: everyone gets :data:`NEUTRAL_POINTS`, and the note
    says so (never NaN).
    """
    scaled, note = normalized_values(values, criterion)
    if note is not None or criterion.direction == "higher" or criterion.normalize == "bins":
        return scaled, note
    return 100.0 - scaled, None


def normalized_values(values: NDArray, criterion: Criterion) -> tuple[NDArray, str | None]:
    """The 0–100 values of :func:`normalize` before the direction is applied (as for ``higher``).

    TOPSIS takes these and finds each criterion's ideal by its direction, rather than reversing the values first.
    """
    method = criterion.normalize
    if method == "bins":
        cuts = np.asarray(criterion.bins or [], dtype=float)  # bins and points: checked by the config model
        points = np.asarray(criterion.points or [], dtype=float)
        index = np.searchsorted(cuts, np.nan_to_num(values), side="right")
        return np.where(np.isnan(values), np.nan, points[index]), None
    if method == "score":
        scaled = values
    else:
        if method == "log-minmax":
            values = np.sign(values) * np.log1p(np.abs(values))
        present = values[~np.isnan(values)]
        if present.size == 0:
            return values, Note("note.no_value", field=criterion.field, policy=criterion.missing)
        if _is_constant(present):
            note = Note("note.constant", field=criterion.field, points=f"{NEUTRAL_POINTS:g}")
            return np.where(np.isnan(values), np.nan, NEUTRAL_POINTS), note
        scaled = _SCALERS[method](values, present)
    return scaled, None


def _is_constant(present: NDArray) -> bool:
    """True when the values span no more than :data:`CONSTANT_TOLERANCE` times their largest magnitude.

    The same tolerance as the weights: values that differ only by float noise are one value. Measured in units of
    the largest magnitude, so the span of ±1e308 cannot overflow and subnormal values keep their precision.
    """
    low, high = float(present.min()), float(present.max())
    largest = max(abs(low), abs(high))
    return largest == 0.0 or high / largest - low / largest <= CONSTANT_TOLERANCE


# Magnitudes inside which the textbook formulas cannot overflow or lose precision to underflow: with at most
# Excel's 1,048,576 rows a sum of squares stays below 1e207, and a non-constant column's largest deviation (above
# 1e-12 of the largest magnitude) squares to more than 1e-224. Outside it the values are divided by their largest
# magnitude first: the points are the same in exact arithmetic (min–max and z-scores do not change when every
# value is scaled by one positive number), and ordinary data keeps exactly the arithmetic of the formulas.
_PLAIN_RANGE = (1e-100, 1e100)


def _in_units_of_largest(values: NDArray, present: NDArray) -> tuple[NDArray, NDArray]:
    """``values`` and ``present`` as they are when their magnitudes are ordinary, else divided by the largest."""
    largest = float(np.abs(present).max())  # > 0: a column of zeros is constant
    if _PLAIN_RANGE[0] <= largest <= _PLAIN_RANGE[1]:
        return values, present
    return values / largest, present / largest


def _minmax(values: NDArray, present: NDArray) -> NDArray:
    values, present = _in_units_of_largest(values, present)
    low, high = present.min(), present.max()
    return np.asarray((values - low) / (high - low) * 100.0)


def _vector(values: NDArray, present: NDArray) -> NDArray:
    """100·x/√Σx², the sum over the values present (all ≥ 0); in units of the largest when that is extreme."""
    values, present = _in_units_of_largest(values, present)
    scaled = values / np.sqrt(np.square(present).sum())
    return np.asarray(np.minimum(scaled, 1.0) * 100.0)  # ≤ 1 but for the last bit of rounding


def _rank(values: NDArray, present: NDArray) -> NDArray:
    ranks = pd.Series(values).rank(method="average", na_option="keep").to_numpy()
    return np.asarray((ranks - 1.0) / (present.size - 1) * 100.0)


def _zscore(values: NDArray, present: NDArray) -> NDArray:
    values, present = _in_units_of_largest(values, present)
    z = (values - present.mean()) / present.std()
    from scipy.special import ndtr  # imported here: scipy costs start-up time every run would pay

    return np.asarray(ndtr(z) * 100.0)


_SCALERS: dict[str, Callable[[NDArray, NDArray], NDArray]] = {
    "minmax": _minmax,
    "log-minmax": _minmax,  # on the logged values
    "rank": _rank,
    "zscore": _zscore,
    "vector": _vector,
}


def round_half_up(values: NDArray, decimals: int) -> NDArray:
    """Round as Excel's ROUND does (84.5 -> 85), not half to even; binary noise below 1e-9 is ignored first."""
    factor = 10.0**decimals
    with np.errstate(invalid="ignore"):
        return np.asarray(np.floor(np.round(values * factor, 9) + 0.5) / factor)


def criterion_weights(config: Config, raw: NDArray, complete: NDArray) -> NDArray:
    """The weights used, summing to 1: manual (normalised), AHP, or computed from the data (entropy, CRITIC).

    Entropy and CRITIC use the raw values of the graded customers with every criterion present.
    """
    if config.weights == "manual":
        return manual_weights([c.weight for c in config.criteria])
    if config.weights == "ahp":
        assert config.ahp is not None  # checked by the config model
        return ahp_weights(np.asarray(config.ahp.matrix, dtype=float)).weights
    higher = [c.direction == "higher" for c in config.criteria]
    method = entropy_weights if config.weights == "entropy" else critic_weights
    try:
        return method(raw[complete], higher)
    except WeightError as exc:
        raise DataError("data.weights", method=config.weights, reason=exc) from None


def score_customers(table: CustomerTable, config: Config) -> Scores:
    """Score every non-excluded row of ``table`` under ``config``."""
    graded = ~table.excluded.copy()
    raw = {c.key: np.where(graded, table.frame[c.key].to_numpy(dtype=float), np.nan) for c in config.criteria}
    grading = _Grading(table, graded)
    _set_aside_unscorable(grading, config, raw)
    points: dict[str, NDArray] = {}
    present: dict[str, NDArray] = {}
    notes: list[str] = []
    excel_rows = table.excel_rows
    for criterion in config.criteria:
        scored, missing, note = _policy_points(raw[criterion.key], graded, criterion)
        if note:
            notes.append(note)
        points[criterion.key] = scored
        present[criterion.key] = ~missing
        column = table.column_names[table.field_columns[criterion.key]]
        grading.issues += [
            RowIssue(int(row), column, None, IssueCode.MISSING_VALUE, Action.VALUE_MISSING, criterion.missing)
            for row in excel_rows[missing]
        ]

    raw_matrix = np.column_stack([raw[c.key] for c in config.criteria])
    weights = criterion_weights(config, raw_matrix, graded & ~np.isnan(raw_matrix).any(axis=1))
    composite, aggregated, given = _composite(grading, config, points, present, weights)
    return Scores(
        points=pd.DataFrame(points),
        score=composite,
        rank=competition_rank(composite),
        percentile=percentile(composite),
        weights={c.key: float(w) for c, w in zip(config.criteria, weights, strict=True)},
        graded=graded,
        issues=grading.issues,
        notes=notes + aggregated,
        topsis=given,
    )


@dataclass(slots=True)
class _Grading:
    """The rows still to be graded, and an issue for each row set aside so far."""

    table: CustomerTable
    graded: NDArray  # bool per data row, narrowed in place: every holder of this array sees each exclusion
    issues: list[RowIssue] = field(default_factory=list)

    def exclude(self, rows: NDArray, key: str, code: IssueCode, detail: str = "") -> None:
        """Set ``rows`` aside, each with an issue showing its value in ``key``."""
        column = self.table.column_names[self.table.field_columns[key]]
        frame, excel_rows = self.table.frame, self.table.excel_rows
        for index in np.flatnonzero(rows).tolist():
            value: Any = frame[key].iat[index]
            shown = None if value is None or value != value else value  # NaN is blank
            self.issues.append(
                RowIssue(int(excel_rows[index]), column, shown, code, Action.ROW_EXCLUDED, detail)
            )
        self.graded &= ~rows

    def no_criteria(self, rows: NDArray) -> None:
        """Report ``rows`` as having no criterion that counts (the caller sets them aside)."""
        self._report(rows, IssueCode.NO_CRITERIA)

    def not_scored(self, rows: NDArray) -> None:
        """Report ``rows`` as having values no score could be computed from (the caller sets them aside)."""
        self._report(rows, IssueCode.NOT_SCORED)

    def _report(self, rows: NDArray, code: IssueCode) -> None:
        for row in self.table.excel_rows[rows]:
            self.issues.append(RowIssue(int(row), None, None, code, Action.ROW_EXCLUDED))


def _set_aside_unscorable(grading: _Grading, config: Config, raw: dict[str, NDArray]) -> None:
    """Rows with no criterion, a score outside 0–100, a value missing under ``reject``, or no usable tier value."""
    graded = grading.graded
    # Rows with no criterion at all cannot be scored, whatever the policies say.
    blank = graded & np.all([np.isnan(raw[c.key]) for c in config.criteria], axis=0)
    grading.no_criteria(blank)
    graded &= ~blank
    for criterion in config.criteria:
        values = raw[criterion.key]
        if criterion.normalize == "score":  # fields known as scores were range-checked in validation already
            out_of_range = graded & ((values < 0) | (values > 100))
            grading.exclude(out_of_range, criterion.key, IssueCode.OUT_OF_RANGE, "0–100")
        if criterion.normalize == "vector":  # x / √Σx² orders values only when none is below 0
            below = Note("detail.vector_nonnegative")
            grading.exclude(graded & (values < 0), criterion.key, IssueCode.OUT_OF_RANGE, below)
        if criterion.missing == "reject":
            grading.exclude(graded & np.isnan(values), criterion.key, IssueCode.MISSING_VALUE, "reject")
    if config.tiers.uses_value:
        values = grading.table.frame[config.tiers.value_key].to_numpy(dtype=float)
        grading.exclude(graded & np.isnan(values), config.tiers.value_key, IssueCode.MISSING_VALUE, "reject")
        grading.exclude(graded & (values < 0), config.tiers.value_key, IssueCode.NEGATIVE_VALUE)


def _policy_points(
    values: NDArray, graded: NDArray, criterion: Criterion
) -> tuple[NDArray, NDArray, str | None]:
    """One criterion's 0–100 points for the graded rows under its missing-value policy.

    Returns the points (NaN for a row not graded, or missing under ``exclude``), the graded rows missing a
    value, and the note :func:`normalize` made, if any.
    """
    values = np.where(graded, values, np.nan)
    missing = graded & np.isnan(values)
    if criterion.missing == "median" and (graded & ~missing).any():
        values = np.where(missing, _median(values[~np.isnan(values)]), values)
    scored, note = normalize(values, criterion)
    if criterion.missing == "zero":
        scored = np.where(missing, 0.0, scored)
    elif criterion.missing == "median":  # no value at all, so no median: neutral points for everyone
        scored = np.where(missing & np.isnan(scored), NEUTRAL_POINTS, scored)
    return scored, missing, note


def _median(present: NDArray) -> float:
    """The median of ``present`` (not empty), as :func:`numpy.median` computes it unless that overflows.

    The mean of the two middle values is ``(a + b) / 2``; for two values near the float64 maximum the sum overflows,
    and then it is ``a / 2 + b / 2``, exact halves with one rounding.
    """
    ordered = np.sort(present)
    middle = ordered.size // 2
    if ordered.size % 2:
        return float(ordered[middle])
    low, high = float(ordered[middle - 1]), float(ordered[middle])
    total = low + high  # Python floats: an overflow is inf, with no numpy warning
    return total / 2 if math.isfinite(total) else low / 2 + high / 2


def _composite(
    grading: _Grading,
    config: Config,
    points: dict[str, NDArray],
    present: dict[str, NDArray],
    weights: NDArray,
) -> tuple[NDArray, list[str], TopsisInput | None]:
    """The score of every row by ``config.aggregation``, rounded; NaN when not graded; the notes it makes; and
    under TOPSIS what it was given.

    Weighted sum ``S_i = Σ_j w_j·s_ij / Σ_j w_j`` and weighted product over the criteria that count for row *i*;
    TOPSIS closeness × 100 (:mod:`.aggregate`), whose points are then each customer's place between the anti-ideal
    (0) and the ideal (100) of each criterion, replaced in ``points``. A row whose only criteria present have zero
    weight is set aside.
    """
    graded = grading.graded
    matrix = np.column_stack([points[c.key] for c in config.criteria])
    mask = np.column_stack([present[c.key] | (c.missing != "exclude") for c in config.criteria])
    grading.no_criteria(graded & ((mask * weights).sum(axis=1) <= 0))  # only zero-weight criteria are present
    graded &= (mask * weights).sum(axis=1) > 0
    notes: list[str] = []
    given = None
    if config.aggregation == "topsis":
        composite, given = _topsis(config, points, matrix, mask & graded[:, None], weights, notes)
    elif config.aggregation == "weighted-product":
        composite = weighted_product(matrix, mask, weights)
        notes.append(Note("note.weighted_product", floor=f"{PRODUCT_FLOOR:g}"))
    else:
        composite = weighted_sum(matrix, mask, weights)
    # Every normalisation gives finite points for a value present; should one ever fail to, the row is reported
    # and set aside rather than shown as graded without a score.
    grading.not_scored(graded & ~np.isfinite(composite))
    graded &= np.isfinite(composite)
    return np.where(graded, round_half_up(composite, config.score_decimals), np.nan), notes, given


def _topsis(
    config: Config,
    points: dict[str, NDArray],
    matrix: NDArray,
    counts: NDArray,
    weights: NDArray,
    notes: list[str],
) -> tuple[NDArray, TopsisInput]:
    """TOPSIS closeness × 100 on the values before their direction (and that input); ``points`` become the places
    shown."""
    unreversed = [c.direction == "higher" or c.normalize == "bins" for c in config.criteria]
    values = np.where(unreversed, matrix, 100.0 - matrix)  # the reversal of normalize() undone: r_ij itself
    higher = np.asarray(unreversed)  # bins are points already, best highest, whatever the direction says
    result = topsis(values, higher, counts, weights)
    for index, criterion in enumerate(config.criteria):
        points[criterion.key] = np.where(np.isnan(matrix[:, index]), np.nan, result.places[:, index])
    notes.append(Note("note.topsis"))
    tied = int(result.tied.sum())
    if tied:
        notes.append(Note("note.topsis_tied", count=tied, score=f"{TIED_CLOSENESS * 100:g}"))
    return result.score, TopsisInput(values, higher, counts)
