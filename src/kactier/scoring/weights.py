"""Criterion weights for multi-criteria scoring: manual, entropy, CRITIC and AHP.

Pure functions on numpy arrays (no I/O, no pandas). Each one either returns a float64 vector of finite,
non-negative weights summing to 1, or raises :class:`WeightError` whose message says what is wrong with the
input, so the CLI can show it as it is.

Shared conventions of the objective methods (:func:`entropy_weights`, :func:`critic_weights`):

* ``matrix`` has one row per alternative (customer) and one column per criterion, raw values, nothing missing.
* ``higher_is_better[j]`` is the direction of criterion ``j``. Both methods start with the direction-aware
  min–max normalisation ``x'_ij = (x_ij - min_i x_ij) / (max_i x_ij - min_i x_ij)`` when higher is better and
  ``x'_ij = (max_i x_ij - x_ij) / (max_i x_ij - min_i x_ij)`` when lower is better, so every non-constant
  column spans exactly [0, 1].
* A column is *constant* when its range is at most ``1e-12`` times its largest absolute value (spreadsheet
  rounding noise such as ``0.1 + 0.2`` vs ``0.3`` must not be stretched into a full 0-to-1 spread). A
  constant column cannot tell customers apart: its normalised values are all 0 and its weight is exactly 0.
  If every column is constant there is nothing to weight and :class:`WeightError` is raised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..errors import WeightError

__all__ = [
    "SAATY_RANDOM_INDEX",
    "AhpResult",
    "WeightError",
    "ahp_weights",
    "critic_weights",
    "entropy_weights",
    "manual_weights",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

SAATY_RANDOM_INDEX: Final[dict[int, float]] = {
    # Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill: mean consistency index of random reciprocal
    # matrices. n = 1, 2 are 0 because every reciprocal matrix of that size is consistent.
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    # The 1980 table stops at 10 but ahp_weights accepts up to 15 criteria. These are Saaty's later estimates,
    # Theory and Applications of the Analytic Network Process (RWS, 2005) p. 31, as transcribed by the AHPy
    # library (PhilipGriffith/AHPy, random_index='saaty'); not checked against the book itself.
    11: 1.52,
    12: 1.54,
    13: 1.56,
    14: 1.58,
    15: 1.59,
}

_AHP_MAX_N: Final = 15
_RECIPROCAL_RTOL: Final = 1e-6
# Relative to a column's largest magnitude; see the module docstring.
_CONSTANT_RTOL: Final = 1e-12
# CRITIC's total information below this fraction of sum(sigma) is rounding residue of r = 1, not conflict.
_LOCKSTEP_RTOL: Final = 1e-12


# eq=False: a generated __eq__ / __hash__ would compare / hash the ndarray field, which fails.
@dataclass(frozen=True, eq=False)
class AhpResult:
    """Outcome of :func:`ahp_weights`.

    ``weights`` (read-only) is the normalised principal eigenvector, ``lambda_max`` the principal eigenvalue,
    ``ci = (lambda_max - n) / (n - 1)`` Saaty's consistency index, ``random_index`` RI(n) from
    :data:`SAATY_RANDOM_INDEX` and ``cr = ci / RI(n)`` the consistency ratio (Saaty's rule of thumb accepts
    ``cr <= 0.10``). For n <= 2 every reciprocal matrix is consistent, so ``ci`` and ``cr`` are exactly 0.0.
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    random_index: float


def manual_weights(raw: Sequence[float]) -> FloatArray:
    """Normalise user-given weights to sum 1: ``w_j = raw_j / sum_k raw_k``.

    Direct rating (point allocation) needs no paper beyond the normalisation itself; any positive scale works
    (percentages, points, 1–10 marks), and scaling every weight by the same positive constant changes nothing.

    Raises :class:`WeightError` for an empty list, a NaN or infinite weight, a negative weight, or weights
    that are all zero.
    """
    values = np.asarray(raw, dtype=np.float64)
    if values.ndim != 1:
        raise WeightError(
            f"manual weights must be a flat list of numbers, one per criterion; got shape {values.shape}"
        )
    if values.size == 0:
        raise WeightError("no manual weights were given; give one number per criterion")
    not_finite = np.flatnonzero(~np.isfinite(values))
    if not_finite.size:
        j = int(not_finite[0])
        what = "not a number (NaN)" if math.isnan(values[j]) else "infinite"
        raise WeightError(f"manual weight {j + 1} is {what}; weights must be finite numbers", index=(j,))
    negative = np.flatnonzero(values < 0)
    if negative.size:
        j = int(negative[0])
        raise WeightError(
            f"manual weight {j + 1} is negative ({values[j]:g}); weights must be zero or positive", index=(j,)
        )
    largest = values.max()
    if largest == 0:
        raise WeightError("all manual weights are zero; at least one weight must be positive")
    # Dividing by the largest weight first keeps the sum finite even for weights near the float64 maximum.
    scaled = values / largest
    weights: FloatArray = scaled / scaled.sum()
    return weights


def entropy_weights(matrix: NDArray[np.float64], higher_is_better: Sequence[bool]) -> FloatArray:
    """Entropy weight method (熵权法), the variant with direction-aware min–max normalisation first.

    With ``m`` rows (customers) and ``x'`` the normalised matrix (see the module docstring):

    * ``p_ij = x'_ij / sum_i x'_ij``
    * ``e_j = -1/ln(m) * sum_i p_ij ln p_ij``  (entropy, in [0, 1])
    * ``d_j = 1 - e_j``  (degree of divergence)
    * ``w_j = d_j / sum_k d_k``

    Zeros: ``0·ln 0 := 0`` (its limit); the logarithm is taken only where ``p_ij > 0`` and no epsilon is added
    to ``x'``, so min–max's zeros (every non-constant column has at least one) do not bias ``p``. A constant
    column has all ``x'`` equal to 0, so ``p`` is undefined; it is given ``e_j = 1``, ``d_j = 0``, weight 0.

    Sources: Shannon (1948), "A mathematical theory of communication", Bell System Technical Journal 27;
    entropy as an objective criterion weight in Hwang & Yoon (1981), Multiple Attribute Decision Making:
    Methods and Applications, Springer, and Zeleny (1982), Multiple Criteria Decision Making, McGraw-Hill.
    Many published examples skip the min–max step and take ``p`` as shares of the raw (positive) values;
    the steps after min–max (:func:`_entropy_step`) are checked against such examples in the tests.

    Raises :class:`WeightError` for fewer than 2 rows, a non-2-D matrix, a non-finite value, a
    ``higher_is_better`` of the wrong length, or when every column is constant.
    """
    values, directions = _checked_matrix(matrix, higher_is_better, "entropy weighting")
    normalised, constant = _min_max(values, directions)
    _reject_all_constant(constant, "entropy weighting")
    return _entropy_step(normalised, constant)


def critic_weights(matrix: NDArray[np.float64], higher_is_better: Sequence[bool]) -> FloatArray:
    """CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

    With ``x'`` the normalised matrix (see the module docstring):

    * ``sigma_j`` = sample standard deviation of column ``j`` of ``x'`` (ddof = 1)
    * ``r_jk`` = Pearson correlation of columns ``j`` and ``k`` of ``x'``
    * ``C_j = sigma_j * sum_k (1 - r_jk)``  (information: contrast times conflict with the other criteria)
    * ``w_j = C_j / sum_k C_k``

    ddof: every column has the same ``m`` rows, so population and sample deviations differ by the common
    factor ``sqrt(m / (m - 1))``, which cancels in ``w``; implementations using ``np.std`` (ddof = 0),
    such as the scikit-criteria reference checked in the tests, give the same weights.

    A constant column has ``sigma_j = 0`` and so weight 0, and its (undefined) correlation with every other
    column is taken as 0. Note what that convention implies: each other column ``k`` then gains ``sigma_k`` of
    information, so adding a constant column can shift the others' weights slightly. With a single criterion
    the weight is 1.

    Source: Diakoulaki, Mavrotas & Papayannakis (1995), "Determining objective weights in multiple criteria
    problems: the CRITIC method", Computers & Operations Research 22(7), 763–770.

    Raises :class:`WeightError` for fewer than 2 rows, a non-2-D matrix, a non-finite value, a
    ``higher_is_better`` of the wrong length, when every column is constant, or when every criterion moves in
    lockstep with all the others (all correlations 1: no conflict, so ``sum C = 0``).
    """
    values, directions = _checked_matrix(matrix, higher_is_better, "CRITIC weighting")
    normalised, constant = _min_max(values, directions)
    _reject_all_constant(constant, "CRITIC weighting")
    if values.shape[1] == 1:
        return np.ones(1, dtype=np.float64)
    sigma = normalised.std(axis=0, ddof=1)
    centred = normalised - normalised.mean(axis=0)
    lengths = np.sqrt((centred * centred).sum(axis=0))
    # A constant column is all zeros here, so its unit vector is zero and r_jk = 0 for it, as documented.
    unit = centred / np.where(constant, 1.0, lengths)
    correlation = np.clip(unit.T @ unit, -1.0, 1.0)
    np.fill_diagonal(correlation, 1.0)
    information = sigma * (1.0 - correlation).sum(axis=1)
    total = information.sum()
    if total <= _LOCKSTEP_RTOL * sigma.sum():
        raise WeightError(
            "CRITIC weighting cannot weight these criteria: after normalisation every criterion moves in "
            "lockstep with all the others (correlation 1), so none adds information; use entropy or manual "
            "weights"
        )
    weights: FloatArray = information / total
    return weights


def ahp_weights(pairwise: NDArray[np.float64]) -> AhpResult:
    """Analytic Hierarchy Process priorities from a pairwise comparison matrix (eigenvector method).

    ``a_ij`` says how much more important criterion ``i`` is than criterion ``j`` (Saaty's 1–9 scale, though
    any positive ratio is accepted). The matrix must be square with 1 <= n <= 15, positive, with ones on the
    diagonal and reciprocal, ``a_ji = 1 / a_ij`` within a relative tolerance of 1e-6.

    * ``w`` = principal right eigenvector, ``A w = lambda_max w``, scaled so ``sum_i w_i = 1`` (all positive
      by Perron's theorem for positive matrices)
    * ``CI = (lambda_max - n) / (n - 1)``  (0 for n <= 2)
    * ``CR = CI / RI(n)``, RI from :data:`SAATY_RANDOM_INDEX`  (0 for n <= 2)

    Sources: Saaty (1977), "A scaling method for priorities in hierarchical structures", Journal of
    Mathematical Psychology 15(3), 234–281; Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill;
    Saaty (2008), "Decision making with the analytic hierarchy process", International Journal of Services
    Sciences 1(1), 83–98.

    Raises :class:`WeightError` naming the offending cell (row and column counted from 1) for a non-finite,
    zero or negative entry, a diagonal entry other than 1, or a broken reciprocal pair; and for a matrix that
    is not square or has more than 15 criteria.
    """
    a = np.asarray(pairwise, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise WeightError(f"AHP needs a square pairwise comparison matrix (n × n); got shape {a.shape}")
    n = a.shape[0]
    if not 1 <= n <= _AHP_MAX_N:
        raise WeightError(f"AHP needs between 1 and {_AHP_MAX_N} criteria; the pairwise matrix has {n}")
    _check_pairwise_cells(a)

    eigenvalues, eigenvectors = np.linalg.eig(a)
    # For a positive matrix the Perron root is real, simple and strictly the largest in modulus, hence also
    # the one with the largest real part; other eigenvalues may be complex.
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    principal = np.asarray(eigenvectors[:, k].real, dtype=np.float64)
    # eig returns the eigenvector with an arbitrary sign; dividing by the sum fixes both sign and scale.
    weights = principal / principal.sum()
    if not (np.all(np.isfinite(weights)) and np.all(weights > 0)):
        raise WeightError("AHP could not find an all-positive principal eigenvector for this pairwise matrix")
    weights.setflags(write=False)

    random_index = SAATY_RANDOM_INDEX[n]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lambda_max - n) / (n - 1)
        cr = ci / random_index
    return AhpResult(weights=weights, lambda_max=lambda_max, ci=ci, cr=cr, random_index=random_index)


def _checked_matrix(
    matrix: NDArray[np.float64], higher_is_better: Sequence[bool], method: str
) -> tuple[FloatArray, BoolArray]:
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2:
        raise WeightError(
            f"{method} needs a 2-D matrix (rows = customers, columns = criteria); got {values.ndim}-D input"
        )
    rows, columns = values.shape
    if columns == 0:
        raise WeightError(f"{method} needs at least one criterion column; the matrix has none")
    if rows < 2:
        raise WeightError(f"{method} needs at least 2 rows (customers) to see how criteria vary; got {rows}")
    directions = _directions(higher_is_better, columns, method)
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        i, j = int(bad[0, 0]), int(bad[0, 1])
        raise WeightError(
            f"{method} needs finite numbers; row {i + 1}, column {j + 1} is {values[i, j]}", index=(i, j)
        )
    return values, directions


def _directions(higher_is_better: Sequence[bool], columns: int, method: str) -> BoolArray:
    flags = list(higher_is_better)
    if len(flags) != columns:
        raise WeightError(
            f"{method} got {len(flags)} higher-is-better flags for {columns} criteria; give one per criterion"
        )
    for j, flag in enumerate(flags):
        # A 1/-1 direction convention (common in MCDM code) would silently read -1 as True.
        if not isinstance(flag, bool | np.bool_):
            raise TypeError(f"higher_is_better[{j}] must be a bool, got {flag!r}")
    return np.array(flags, dtype=np.bool_)


def _min_max(values: FloatArray, directions: BoolArray) -> tuple[FloatArray, BoolArray]:
    """Direction-aware min–max to [0, 1]; constant columns come back as all zeros, flagged in the mask."""
    magnitude = np.abs(values).max(axis=0)
    # Min–max is invariant to positive scaling; scaling each column to [-1, 1] first keeps max - min finite
    # for values near the float64 limit and turns the constant-column test into an absolute one.
    scaled = values / np.where(magnitude > 0, magnitude, 1.0)
    low = scaled.min(axis=0)
    high = scaled.max(axis=0)
    span = high - low
    constant = span <= _CONSTANT_RTOL
    divisor = np.where(constant, 1.0, span)
    normalised = np.where(directions, scaled - low, high - scaled) / divisor
    normalised[:, constant] = 0.0
    return normalised, constant


def _entropy_step(nonnegative: FloatArray, constant: BoolArray) -> FloatArray:
    """Entropy weights of an already normalised, non-negative matrix (the steps after min–max).

    ``p_ij = x_ij / sum_i x_ij``, ``e_j = -1/ln(m) * sum_i p_ij ln p_ij`` with ``0·ln 0 := 0``,
    ``d_j = 1 - e_j``, ``w_j = d_j / sum_k d_k``; columns flagged ``constant`` get ``e_j = 1``. Every other
    column must have a positive sum and at least one must be unflagged. Kept apart from the min–max step so
    that published examples of the variant that skips min–max (shares of the raw values) can check it.
    """
    totals = nonnegative.sum(axis=0)
    p = nonnegative / np.where(constant, 1.0, totals)
    log_p = np.log(p, out=np.zeros_like(p), where=p > 0)
    entropy = -(p * log_p).sum(axis=0) / math.log(nonnegative.shape[0])
    entropy[constant] = 1.0
    # e_j <= 1 in exact arithmetic; clip so rounding cannot produce a weight of -1e-17.
    divergence = np.clip(1.0 - entropy, 0.0, None)
    weights: FloatArray = divergence / divergence.sum()
    return weights


def _reject_all_constant(constant: BoolArray, method: str) -> None:
    if constant.all():
        raise WeightError(
            f"{method} cannot weight these criteria: every criterion column is constant (all customers have "
            "the same value), so none of them tells customers apart"
        )


def _check_pairwise_cells(a: FloatArray) -> None:
    def first(mask: BoolArray) -> tuple[int, int] | None:
        hits = np.argwhere(mask)
        return (int(hits[0, 0]), int(hits[0, 1])) if hits.size else None

    if (cell := first(~np.isfinite(a))) is not None:
        i, j = cell
        raise WeightError(f"AHP pairwise matrix: row {i + 1}, column {j + 1} is {a[i, j]}", index=cell)
    if (cell := first(a <= 0)) is not None:
        i, j = cell
        raise WeightError(
            f"AHP pairwise matrix: row {i + 1}, column {j + 1} is {a[i, j]:g}; comparisons must be positive",
            index=cell,
        )
    diagonal = np.diag(a)
    off_one = np.flatnonzero(np.abs(diagonal - 1.0) > _RECIPROCAL_RTOL)
    if off_one.size:
        i = int(off_one[0])
        raise WeightError(
            f"AHP pairwise matrix: row {i + 1}, column {i + 1} is {a[i, i]:g}; a criterion compared with "
            "itself must be 1",
            index=(i, i),
        )
    # a_ij * a_ji = 1 + delta, with |delta| the relative error of a_ji against 1 / a_ij.
    broken = np.triu(np.abs(a * a.T - 1.0) > _RECIPROCAL_RTOL, k=1)
    if (cell := first(broken)) is not None:
        i, j = cell
        raise WeightError(
            f"AHP pairwise matrix is not reciprocal at row {i + 1}, column {j + 1}: it is {a[i, j]:g} but "
            f"row {j + 1}, column {i + 1} is {a[j, i]:g}; it should be 1/{a[i, j]:g} = {1.0 / a[i, j]:.6g}",
            index=cell,
        )
