"""Tier assignment: pure functions from scores or values to tier indexes.

Conventions shared by every function here:

* A tier is an index: ``0`` is the best tier (A), ``k - 1`` the last one. ``-1`` means *ungraded*: the
  customer's score or value is NaN (missing), so it takes part in no share, count or rank.
* Inputs are 1-D float arrays (anything :func:`numpy.asarray` turns into one). Customer ids, where asked
  for, are the tie-breaker (ascending string order, i.e. Unicode code point order as Python compares
  ``str``) and must be unique; rows with the same id are the caller's problem to report first.
* Every function gives the same tier for the same ``(id, value)`` pair whatever order the rows come in.
* Bad arguments raise :class:`TieringError` (a :class:`ValueError`). Data problems that belong to a row
  (a negative sales value, say) are reported by the caller, which excludes the row before calling.

All work is done with numpy column operations (argsort/lexsort, cumsum, searchsorted); there is no Python
loop over customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MAX_TIERS",
    "UNGRADED",
    "ComputedAbc",
    "TieringError",
    "competition_rank",
    "computed_abc_tiers",
    "pareto_tiers",
    "percentile",
    "quantile_tiers",
    "threshold_tiers",
]

#: Tier index given to customers whose score/value is NaN.
UNGRADED = -1
#: Largest number of tiers (A..G) the rules accept; the smallest is 2.
MAX_TIERS = 7

# Relative slack for comparisons of float sums against a boundary (see pareto_tiers / threshold_tiers):
# sums of n doubles carry a relative rounding error of roughly n * 2**-53 (~1e-16 each), so 1e-12 absorbs
# that for any realistic customer count while being far below any difference a person could mean.
_REL_TOL = 1e-12

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class TieringError(ValueError):
    """Arguments a tiering rule cannot work with (bad cuts, negative values, mismatched ids...)."""


@dataclass(frozen=True, eq=False)
class ComputedAbc:
    """Result of :func:`computed_abc_tiers`.

    ``limits`` are the value limits ``(ab_limit, bc_limit)``: tier A is ``value > ab_limit``, tier B is
    ``bc_limit <= value <= ab_limit``, tier C is ``value < bc_limit`` (and every zero value). A limit is
    ``inf`` when its class above is empty and both are NaN when there is no curve (no graded customer,
    or every value is zero). ``tiers`` has one entry per input row (0, 1, 2, or -1 for NaN).
    ``eq=False`` because numpy arrays do not compare to a single bool.
    """

    limits: tuple[float, float]
    tiers: IntArray


# --------------------------------------------------------------------------------------------------
# validation helpers


def _as_vector(data: ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TieringError(f"{name} must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise TieringError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def _id_rank(ids: Sequence[str], n: int) -> IntArray:
    """Rank of each id in ascending string order (0-based); raises on a length mismatch or duplicates.

    An object array keeps Python ``str`` comparison (a numpy ``U`` array would drop trailing NULs).
    """
    if len(ids) != n:
        raise TieringError(f"got {len(ids)} customer ids for {n} values")
    id_arr = np.empty(n, dtype=object)
    id_arr[:] = list(ids)
    try:
        order = np.argsort(id_arr, kind="stable")
    except TypeError as exc:
        raise TieringError(f"customer ids must all be strings: {exc}") from None
    in_order = id_arr[order]
    dup = np.flatnonzero(in_order[1:] == in_order[:-1])
    if dup.size:
        shown = ", ".join(repr(v) for v in in_order[dup[:5]])
        raise TieringError(f"customer ids must be unique; repeated: {shown}")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank


def _check_values(values: FloatArray, name: str) -> None:
    """Values for share-based rules: finite (or NaN for ungraded) and not negative."""
    if np.isinf(values).any():
        raise TieringError(f"{name} must be finite; found an infinite value")
    negative = np.flatnonzero(values < 0)
    if negative.size:
        raise TieringError(
            f"{name} must not be negative (found {negative.size}, first at position {int(negative[0])}); "
            "report and exclude those rows before tiering"
        )


def _check_parameters(params: Sequence[float], name: str) -> FloatArray:
    arr = _as_vector(params, name)
    if not 1 <= arr.size <= MAX_TIERS - 1:
        raise TieringError(
            f"{name} needs 1 to {MAX_TIERS - 1} entries (2 to {MAX_TIERS} tiers), got {arr.size}"
        )
    if not np.isfinite(arr).all():
        raise TieringError(f"{name} must be finite numbers, got {arr.tolist()}")
    return arr


def _tiers_from_counts(boundaries: IntArray, m: int) -> IntArray:
    """Tier of each sorted position ``0..m-1`` given the cumulative counts of tiers ``0..k-2``."""
    return np.searchsorted(boundaries, np.arange(m), side="right").astype(np.int64)


# --------------------------------------------------------------------------------------------------
# threshold


def threshold_tiers(scores: ArrayLike, minimums: Sequence[float]) -> IntArray:
    """Tier by fixed minimum scores (e.g. ``[85, 70]``: A >= 85, B >= 70, else C).

    Rule: ``minimums`` are the lowest scores of tiers ``0..k-2``, strictly decreasing; a customer gets
    the best tier whose minimum it reaches, and the last tier ``k-1`` otherwise. A score *equal* to a
    minimum belongs to the higher tier. "Equal" allows a relative slack of 1e-12 (``score >= m - 1e-12 *
    max(1, |m|)``) so that a weighted score that should be exactly 85 but computes as 84.99999999999999
    still reaches 85; no score a person could type is that close to a minimum without being equal to it.
    NaN score -> ``-1`` (ungraded); ``+inf``/``-inf`` go to the first/last tier.

    Source: the usual fixed-cut scoring grade (score cards); the boundary rule is this project's.
    The result is monotone: raising a score never lowers its tier.
    """
    s = _as_vector(scores, "scores")
    mins = _check_parameters(minimums, "minimums")
    if (np.diff(mins) >= 0).any():
        raise TieringError(f"minimums must be strictly decreasing (best tier first), got {mins.tolist()}")
    effective = mins - _REL_TOL * np.maximum(1.0, np.abs(mins))
    # Number of minimums the score fails to reach = tier index (k <= 6 columns, so this is cheap).
    below: NDArray[np.bool_] = s[:, np.newaxis] < effective[np.newaxis, :]
    tiers: IntArray = np.count_nonzero(below, axis=1).astype(np.int64)
    tiers[np.isnan(s)] = UNGRADED
    return tiers


# --------------------------------------------------------------------------------------------------
# pareto (classic ABC analysis)


def pareto_tiers(values: ArrayLike, ids: Sequence[str], cuts: Sequence[float] = (0.8, 0.95)) -> IntArray:
    """Classic ABC (Pareto) analysis on cumulative value shares.

    Rule: sort customers by value descending, equal values by customer id ascending (string order).
    Tier 0 (A) is the *smallest* set of top customers whose cumulative value reaches (>=) ``cuts[0]`` of
    the total, so the customer whose value crosses 80 % is in A. Tier 1 (B) takes the following customers
    until the cumulative share reaches ``cuts[1]``, and so on for ``k-1`` strictly increasing cuts in
    ``(0, 1]`` (2..7 tiers); the rest is the last tier. Equal values can therefore fall on both sides of a
    cut; the id order decides, so the result does not depend on the row order.

    * A customer with value 0 always goes to the last tier, even where the cumulative share would put it
      inside a cut (it adds nothing). All values zero -> everyone in the last tier.
    * Shares are computed in units of the largest value, so huge (~1e308) or subnormal values work.
    * NaN -> ``-1`` (ungraded, excluded from the total). Negative or infinite values raise
      :class:`TieringError`: the caller reports such rows and excludes them before calling.
    * Floating point: shares are compared as ``cum >= cut * total * (1 - 1e-12)``. Without the slack a
      customer that reaches exactly 80 % can miss it by one rounding step: for values 3.05, 1.23, 1.07
      the first two make exactly 4.28 = 80 % of 5.35, but the floating-point running sum comes out just
      below 0.8 times the floating-point total, which would pull 1.07 into A too. Cumulative sums err by
      about n * 1e-16 relative, so 1e-12 absorbs that without changing any share a person could tell
      apart (the price: a set short of a cut by less than 1e-12 of the total counts as reaching it).

    Source: the ABC inventory classification (Pareto principle, 80/15/5 of value), as in standard
    operations-management texts; the cut handling and tie/zero rules are this project's.
    """
    v = _as_vector(values, "values")
    rank = _id_rank(ids, v.size)
    cut_arr = _check_parameters(cuts, "cuts")
    if (cut_arr <= 0).any() or (cut_arr > 1).any() or (np.diff(cut_arr) <= 0).any():
        raise TieringError(f"cuts must be strictly increasing shares in (0, 1], got {cut_arr.tolist()}")
    _check_values(v, "values")

    last = cut_arr.size
    tiers = np.full(v.size, UNGRADED, dtype=np.int64)
    graded = np.flatnonzero(~np.isnan(v))
    if graded.size == 0:
        return tiers
    gv = v[graded]
    order = np.lexsort((rank[graded], -gv))  # value descending, then id ascending
    sorted_v = gv[order]
    if sorted_v[0] <= 0.0:  # all zero
        tiers[graded] = last
        return tiers
    # Sum in units of the largest value: the shares are the same, but the sum can neither overflow
    # (two values near 1.8e308) nor lose the precision of subnormal values (5e-324 each).
    cum = np.cumsum(sorted_v / sorted_v[0])
    total = float(cum[-1])
    targets = cut_arr * total * (1.0 - _REL_TOL)
    # count of customers in tiers 0..j = 1 + first position whose cumulative value reaches cut j
    counts = np.searchsorted(cum, targets, side="left").astype(np.int64) + 1
    sorted_tiers = _tiers_from_counts(np.minimum(counts, sorted_v.size), sorted_v.size)
    sorted_tiers[sorted_v == 0.0] = last
    tiers[graded[order]] = sorted_tiers
    return tiers


# --------------------------------------------------------------------------------------------------
# quantile


def quantile_tiers(scores: ArrayLike, ids: Sequence[str], shares: Sequence[float] = (0.2, 0.3)) -> IntArray:
    """Tier by share of customers: the top ``shares[0]`` of customers -> 0, the next ``shares[1]`` -> 1...

    Rule: rank graded customers by score descending (ties by id ascending). Tier sizes are set on the
    *cumulative* shares: tiers ``0..j`` hold the first ``round(n * (shares[0] + ... + shares[j]))``
    customers, rounding to the nearest whole customer with halves rounded **up** (n = 10, 20 % -> 2;
    n = 5, 10 % -> 1; n = 2, 20 % -> 0, so small groups can leave a tier empty). Rounding the cumulative
    share keeps the last tier at "the rest" and each boundary as close as possible to what was asked.

    Ties: equal scores are never split. Every customer whose score equals the score of the last customer
    inside a tier (the boundary customer) joins that better tier, so a tier can grow past its share (and
    swallow a following tier entirely). As a consequence the ids never change a tier here; they are taken
    for the shared contract (uniqueness check, same signature as :func:`pareto_tiers`).

    ``shares`` are 1..6 positive numbers summing to at most 1 (2..7 tiers); the last tier takes the rest.
    NaN score -> ``-1`` (ungraded, not counted in n).

    Source: percentile/quantile grading (e.g. "top 20 % of customers are A"); rounding and tie rules are
    this project's.
    """
    s = _as_vector(scores, "scores")
    rank = _id_rank(ids, s.size)
    share_arr = _check_parameters(shares, "shares")
    cumulative = np.cumsum(share_arr)
    if (share_arr <= 0).any() or cumulative[-1] > 1.0 + 1e-9:
        raise TieringError(f"shares must be positive and sum to at most 1, got {share_arr.tolist()}")

    tiers = np.full(s.size, UNGRADED, dtype=np.int64)
    graded = np.flatnonzero(~np.isnan(s))
    m = graded.size
    if m == 0:
        return tiers
    gs = s[graded]
    order = np.lexsort((rank[graded], -gs))
    neg_sorted = -gs[order]  # ascending
    # half-up rounding; the 1e-12 slack keeps e.g. 10 * 0.35 = 3.4999999999999996 a half
    counts = np.floor(m * cumulative * (1.0 + _REL_TOL) + 0.5).astype(np.int64)
    counts = np.minimum(counts, m)
    # extend each boundary over customers tied with its boundary customer (position count-1)
    boundary_scores = neg_sorted[np.maximum(counts - 1, 0)]
    tied_through = np.searchsorted(neg_sorted, boundary_scores, side="right").astype(np.int64)
    counts = np.where(counts > 0, tied_through, 0)
    tiers[graded[order]] = _tiers_from_counts(counts, m)
    return tiers


# --------------------------------------------------------------------------------------------------
# ranks


def competition_rank(scores: ArrayLike) -> IntArray:
    """Standard competition rank ("1224"): 1 + number of graded customers with a strictly higher score.

    Equal scores share the smallest rank and the next rank skips accordingly (10, 9, 9, 8 -> 1, 2, 2, 4).
    NaN -> 0, meaning unranked; NaN scores are not counted.

    Source: standard competition ranking, as in sports tables and spreadsheet ``RANK``/``RANK.EQ``
    with descending order.
    """
    s = _as_vector(scores, "scores")
    ranks = np.zeros(s.size, dtype=np.int64)
    graded = ~np.isnan(s)
    ascending = np.sort(s[graded])
    at_most = np.searchsorted(ascending, s[graded], side="right")
    ranks[graded] = ascending.size - at_most + 1
    return ranks


def percentile(scores: ArrayLike) -> FloatArray:
    """Percentile of each score among graded customers: ``100 * (count of scores <= s) / n``.

    n is the number of graded (non-NaN) scores; ties count in full, so equal scores share one
    percentile, the best customer has 100 and no graded customer has 0 (the lowest of n distinct scores
    has 100/n). NaN -> NaN.

    Source: the "at or below" definition of percentile rank (the weak empirical CDF, ``F(s) = P(S <= s)``),
    as in ``scipy.stats.percentileofscore(kind="weak")``.
    """
    s = _as_vector(scores, "scores")
    out = np.full(s.size, np.nan, dtype=np.float64)
    graded = ~np.isnan(s)
    ascending = np.sort(s[graded])
    if ascending.size:
        at_most = np.searchsorted(ascending, s[graded], side="right")
        out[graded] = 100.0 * at_most / ascending.size
    return out


# --------------------------------------------------------------------------------------------------
# computed ABC analysis (Ultsch & Lötsch 2015)


def _fmm_spline(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cubic interpolating spline with Forsythe-Malcolm-Moler end conditions, as R's ``spline()`` default.

    Returns per-knot coefficients ``b, c, d`` so that on ``[x[i], x[i+1]]`` the spline is
    ``y[i] + b[i] t + c[i] t**2 + d[i] t**3`` with ``t = u - x[i]`` (the last knot gets the last interval's
    ``d`` and the end slope, as R stores it). End conditions (FMM, "Computer Methods for Mathematical
    Computations", 1977): the spline's third derivative on the first/last interval equals that of the
    cubic through the first/last four points; with 3 points that cubic is the parabola (third derivative
    0) and with 2 points the spline is the straight line. Solved for the second derivatives ``M`` as a
    tridiagonal system.
    """
    n = x.size
    h = np.diff(x)
    delta = np.diff(y) / h
    if n == 2:
        b = np.full(2, delta[0])
        return b, np.zeros(2), np.zeros(2)
    if n >= 4:
        dd2 = np.diff(delta) / (x[2:] - x[:-2])
        dd3 = np.diff(dd2) / (x[3:] - x[:-3])
        first3, last3 = float(dd3[0]), float(dd3[-1])
    else:
        first3 = last3 = 0.0
    bands = np.zeros((3, n))  # rows: super-diagonal, diagonal, sub-diagonal (solve_banded layout)
    rhs = np.zeros(n)
    bands[1, 1:-1] = 2.0 * (h[:-1] + h[1:])
    bands[0, 2:] = h[1:]
    bands[2, :-2] = h[:-1]
    rhs[1:-1] = 6.0 * np.diff(delta)
    # (M[1] - M[0]) / h[0] = 6 f[x0..x3], scaled by h[0]**2 like R's C code
    bands[1, 0], bands[0, 1], rhs[0] = -h[0], h[0], 6.0 * h[0] * h[0] * first3
    bands[2, -2], bands[1, -1], rhs[-1] = -h[-1], h[-1], 6.0 * h[-1] * h[-1] * last3
    from scipy.linalg import solve_banded  # imported here: scipy costs start-up time every run would pay

    m2 = solve_banded((1, 1), bands, rhs)
    b = np.empty(n)
    b[:-1] = delta - h * (2.0 * m2[:-1] + m2[1:]) / 6.0
    b[-1] = delta[-1] + h[-1] * (m2[-2] + 2.0 * m2[-1]) / 6.0
    c = m2 / 2.0
    d = np.empty(n)
    d[:-1] = np.diff(m2) / (6.0 * h)
    d[-1] = d[-2]
    return b, c, d


def _spline_eval(
    x: FloatArray, y: FloatArray, coef: tuple[FloatArray, FloatArray, FloatArray], u: FloatArray, deriv: int
) -> FloatArray:
    """Value (``deriv=0``) or slope (``deriv=1``) of a :func:`_fmm_spline` at ``u``.

    Like R, a point beyond the last knot uses the last knot's coefficients and one before the first
    uses the first interval; a point on a knot uses the interval starting there.
    """
    b, c, d = coef
    i = np.clip(np.searchsorted(x, u, side="right") - 1, 0, x.size - 1)
    t = u - x[i]
    if deriv == 0:
        out: FloatArray = y[i] + t * (b[i] + t * (c[i] + t * d[i]))
    else:
        out = b[i] + t * (2.0 * c[i] + 3.0 * t * d[i])
    return out


def _abc_points(sorted_desc: FloatArray) -> tuple[float, float]:
    """Efforts ``(x_A, x_C)`` of the A/B and B/C limits on the ABC curve of ``sorted_desc`` (sum > 0).

    Mirrors ``ABCcurve`` + ``ABCanalysis`` of the R package ABCanalysis (see computed_abc_tiers).
    """
    n = sorted_desc.size
    with np.errstate(over="ignore"):
        cum = np.cumsum(sorted_desc)
    if not np.isfinite(cum[-1]) or sorted_desc[0] < np.finfo(np.float64).tiny:
        # Overflowing sum or subnormal values: sum in units of the largest value instead (same shares).
        # Only then, so that ordinary data goes through exactly R's arithmetic.
        cum = np.cumsum(sorted_desc / sorted_desc[0])
    # the curve through (0, 0) and (i/n, cumulative share of the i largest values)
    x = np.concatenate(([0.0], np.arange(1, n + 1) / n))
    y = np.concatenate(([0.0], cum / cum[-1]))
    step = 0.01 if n < 101 else 0.001
    grid_size = round(1.0 / step) + 1
    effort = np.minimum(np.arange(grid_size) * step, 1.0)  # R: seq(0, 1, by = step)
    yield_ = _spline_eval(x, y, _fmm_spline(x, y), effort, deriv=0)
    # R: once the interpolated yield reaches 1 it is held at 1 (removes spline overshoot at the tail)
    reached = np.flatnonzero(yield_ >= 1.0)
    if reached.size and reached[0] < grid_size - 1:
        yield_[reached[0] :] = 1.0
    # R: splinefun(Effort, Yield)(1:n/n, deriv = 1) -- the slope is sampled at k/grid_size, k = 1..grid_size,
    # i.e. just right of the grid point with the same index; reproduced as is (it moves the break-even
    # point by less than one grid step).
    slope_at = np.arange(1, grid_size + 1) / grid_size
    slope = _spline_eval(effort, yield_, _fmm_spline(effort, yield_), slope_at, deriv=1)

    pareto = int(np.argmin(effort * effort + (1.0 - yield_) ** 2))  # nearest to (0, 1); first minimum
    break_even = int(np.argmin(np.abs(slope - 1.0)))  # dABC/dx == 1; first minimum
    if effort[break_even] < effort[pareto]:
        a_index, bx = break_even, float(effort[pareto])
    else:
        a_index, bx = pareto, float(effort[break_even])
    submarginal = int(np.argmin((bx - effort) ** 2 + (1.0 - yield_) ** 2))  # nearest to (bx, 1)
    return float(effort[a_index]), float(effort[submarginal])


def computed_abc_tiers(values: ArrayLike, ids: Sequence[str]) -> ComputedAbc:
    """Computed ABC analysis: A/B/C limits taken from the shape of the ABC curve, not fixed percentages.

    Source: Ultsch A., Lötsch J. (2015) "Computed ABC Analysis for Rational Selection of Most Informative
    Variables in Multivariate Data", PLoS ONE 10(6): e0129767, doi:10.1371/journal.pone.0129767, and its
    reference R package ABCanalysis (Thrun, Lötsch, Ultsch; functions ``ABCcurve`` and ``ABCanalysis``).

    Rule, as the R package computes it:

    1. ABC curve: values sorted descending; effort ``x = i/n`` (share of customers), yield ``y`` =
       cumulative share of the total, starting at (0, 0). It is interpolated with R's default cubic
       spline (``spline()``, FMM end conditions) on a grid of step 0.01 (n < 101) or 0.001; once the
       interpolated yield reaches 1 it is held at 1.
    2. Pareto point: the grid point nearest (Euclidean) to the ideal point (0, 1).
       Break-even point: the grid point where the slope ``dy/dx`` of the interpolated curve is closest
       to 1. The nearer (smaller effort) of the two is the A/B limit ``x_A``; the other one's effort is
       ``B_x``.
    3. Submarginal point: the grid point nearest to ``(B_x, 1)``; its effort ``x_C`` is the B/C limit.
    4. Value limits (as in the ABCanalysis development version that returns ``ABLimit``/``BCLimit``):
       ``ab_limit`` = the ``round(x_A * n)``-th largest value, ``bc_limit`` = the ``round(x_C * n)``-th
       largest (R's ``round``: halves to even). A: ``value > ab_limit``; B: ``bc_limit <= value <=
       ab_limit``; C: ``value < bc_limit``. The customer at the A/B position itself is therefore in B, and
       equal values are never split. If a position rounds to 0 that limit is ``inf`` (class above empty).

    Where this differs from R, deliberately:

    * NaN -> ``-1`` and is left out of the curve and of n (R counts NaN as a zero on the curve).
      Negative or infinite values raise :class:`TieringError` (R turns negatives into zeros).
    * Zero values are part of the curve and of n like in R, but always go to C (R puts them in B when
      ``bc_limit`` is itself 0). No graded value or all values zero -> limits ``(nan, nan)``, every graded
      customer in C (R fails on a zero total).
    * If ``bc_limit > ab_limit`` (the submarginal point before the A/B limit; rare), A wins, then B, then
      C, where R would list a customer in two classes.
    * CRAN release 1.2.1 assigns classes by position (``i/n < x_A``) instead of by value, which can split
      equal values; the value rule above follows the later package version.
    * The spline is re-implemented here; results agree with R up to floating-point rounding, which can
      only matter where two grid points are equally near a target. Checked against R 4.2.2 running the
      package functions on the examples in the tests.

    The ids are only checked (length, uniqueness): the value rule makes the result independent of them.
    With very few customers the curve has little shape and the limits mean little.
    """
    v = _as_vector(values, "values")
    _id_rank(ids, v.size)
    _check_values(v, "values")
    tiers = np.full(v.size, UNGRADED, dtype=np.int64)
    graded = ~np.isnan(v)
    gv = v[graded]
    if gv.size == 0 or not (gv > 0).any():
        tiers[graded] = 2
        return ComputedAbc(limits=(float("nan"), float("nan")), tiers=tiers)
    sorted_desc = np.sort(gv)[::-1]
    n = sorted_desc.size
    x_a, x_c = _abc_points(sorted_desc)

    def limit_at(effort: float) -> float:
        position = int(np.round(effort * n))  # numpy and R both round halves to even
        return float(sorted_desc[position - 1]) if position >= 1 else float("inf")

    ab_limit, bc_limit = limit_at(x_a), limit_at(x_c)
    graded_tiers = np.where(gv > ab_limit, 0, np.where(gv >= bc_limit, 1, 2)).astype(np.int64)
    graded_tiers[gv == 0.0] = 2
    tiers[graded] = graded_tiers
    return ComputedAbc(limits=(ab_limit, bc_limit), tiers=tiers)
