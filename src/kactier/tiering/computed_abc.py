"""Computed ABC analysis (Ultsch & Lötsch 2015): A/B/C limits taken from the shape of the ABC curve.

Follows the conventions of :mod:`kactier.tiering.methods` (tier indexes, ``-1`` for NaN, :class:`TieringError` for
bad arguments). The curve is interpolated with a re-implementation of R's default cubic spline, so the limits agree
with the reference R package ABCanalysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..scoring.rank import as_vector
from .methods import UNGRADED, check_values, id_rank

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


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


def limit_text(limit: float) -> str:
    """A value limit as people read it, with every digit needed to tell it from its neighbours.

    The shortest text that reads back as the same float (``repr``), without a trailing ``.0``: 1e12 is
    ``1000000000000`` and 1e12 + 1 is ``1000000000001`` (``:g`` would show both as ``1e+12``); an empty class
    above is ``inf``.
    """
    shown = repr(float(limit))
    return shown.removesuffix(".0")


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
    v = as_vector(values, "values")
    id_rank(ids, v.size)
    check_values(v, "values")
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
