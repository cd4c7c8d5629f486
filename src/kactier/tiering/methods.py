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
loop over customers. The computed ABC analysis, under the same conventions, is in
:mod:`kactier.tiering.computed_abc`; ranks and percentiles of scores are in :mod:`kactier.scoring.rank`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import TieringError
from ..scoring.rank import as_vector

__all__ = [
    "MAX_TIERS",
    "UNGRADED",
    "TieringError",
    "check_values",
    "id_rank",
    "pareto_tiers",
    "quantile_counts",
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

# --------------------------------------------------------------------------------------------------
# validation helpers


def id_rank(ids: Sequence[str], n: int) -> IntArray:
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


def check_values(values: FloatArray, name: str) -> None:
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
    arr = as_vector(params, name)
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
    s = as_vector(scores, "scores")
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
    v = as_vector(values, "values")
    rank = id_rank(ids, v.size)
    cut_arr = _check_parameters(cuts, "cuts")
    if (cut_arr <= 0).any() or (cut_arr > 1).any() or (np.diff(cut_arr) <= 0).any():
        raise TieringError(f"cuts must be strictly increasing shares in (0, 1], got {cut_arr.tolist()}")
    check_values(v, "values")

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


def quantile_counts(m: int, shares: ArrayLike) -> IntArray:
    """Customers in tiers ``0..j`` for each ``j`` before ties: ``round(m · cumulative share)``, halves up, at most
    ``m`` (the rule of :func:`quantile_tiers`)."""
    cumulative = np.cumsum(np.asarray(shares, dtype=np.float64))
    # half-up rounding; the 1e-12 slack keeps e.g. 10 * 0.35 = 3.4999999999999996 a half
    counts = np.floor(m * cumulative * (1.0 + _REL_TOL) + 0.5).astype(np.int64)
    return np.minimum(counts, m)


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
    s = as_vector(scores, "scores")
    rank = id_rank(ids, s.size)
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
    counts = quantile_counts(m, share_arr)
    # extend each boundary over customers tied with its boundary customer (position count-1)
    boundary_scores = neg_sorted[np.maximum(counts - 1, 0)]
    tied_through = np.searchsorted(neg_sorted, boundary_scores, side="right").astype(np.int64)
    counts = np.where(counts > 0, tied_through, 0)
    tiers[graded[order]] = _tiers_from_counts(counts, m)
    return tiers
