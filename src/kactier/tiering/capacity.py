"""Capacity caps: at most so many customers of a tier per value of a field (``[tiers.capacity]``).

Rule (a pure function, :func:`capacity_tiers`): within each value of the ``per`` column, tiers are visited from the
best down. When a capped tier holds more customers than its cap, the lowest-ranked of its movable customers move
down one tier, as many as it is over its cap; the customers moved join the next tier before its cap is checked,
so a move that overfills the next tier cascades (the lowest-ranked of that tier move down too, which may be a
customer just moved). The last tier has no cap.

* Rank: the tier method's order, best first: the score for ``thresholds`` / ``quantile``, the value for ``pareto``
  / ``computed-abc``, higher first, equal ones by customer id ascending (the rank rule of
  :mod:`kactier.scoring.rank`). The lowest-ranked is the lowest score (value), and of equal ones the largest id.
* Fixed customers (overrides) are never moved but count toward the cap of their tier: a cap of 5 with two
  overrides in A leaves room for three computed A customers. When the fixed ones alone exceed a cap, every movable
  customer of that tier moves down and the tier stays over its cap.
* Ungraded customers (tier −1) take no part. A blank ``per`` value is a value like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import TieringError
from ..scoring.rank import as_vector
from .methods import id_rank

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def rank_order(keys: ArrayLike, ids: Sequence[str]) -> IntArray:
    """Position of each customer in the method's order (0 = best): ``keys`` descending, then id ascending; NaN
    keys come last."""
    k = as_vector(keys, "keys")
    rank = id_rank(ids, k.size)
    order = np.lexsort((rank, np.where(np.isnan(k), np.inf, -k)))
    position = np.empty(k.size, dtype=np.int64)
    position[order] = np.arange(k.size, dtype=np.int64)
    return position


def capacity_tiers(
    tiers: ArrayLike,
    position: ArrayLike,
    groups: Sequence[str],
    fixed: ArrayLike,
    caps: Mapping[int, int],
    levels: int,
) -> IntArray:
    """The tiers after the caps (``caps``: tier index -> most customers per group, for tiers ``0..levels-2``);
    see the module docstring.

    ``position`` is each customer's place in the method's order (0 = best, as :func:`rank_order` gives),
    ``groups`` the ``per`` value of each customer, ``fixed`` True where the customer must not move (overrides).
    """
    result = np.asarray(tiers, dtype=np.int64).copy()
    place = np.asarray(position, dtype=np.int64)
    kept = np.asarray(fixed, dtype=bool)
    if not (result.size == place.size == kept.size == len(groups)):
        raise TieringError("tiers, positions, groups and fixed marks must have one entry per customer")
    if not caps or result.size == 0:
        return result
    if min(caps.values()) < 0 or not all(0 <= tier < levels - 1 for tier in caps):
        raise TieringError(
            f"caps must be >= 0, on tiers 0..{levels - 2} (the last has none), got {dict(caps)}"
        )
    graded = np.flatnonzero(result >= 0)
    codes = np.unique(np.asarray(list(groups), dtype=object)[graded], return_inverse=True)[1]
    order = graded[np.lexsort((place[graded], codes))]  # by group, best first within each
    starts = np.flatnonzero(np.r_[True, np.diff(np.sort(codes)) != 0])
    for members in np.split(order, starts[1:]):
        _cap_group(result, members, kept, caps)
    return result


def _cap_group(result: IntArray, members: IntArray, kept: BoolArray, caps: Mapping[int, int]) -> None:
    """Apply the caps to one group's ``members`` (best first), tier by tier from the best down."""
    for tier in sorted(caps):
        inside = members[result[members] == tier]
        excess = inside.size - caps[tier]
        if excess <= 0:
            continue
        movable = inside[~kept[inside]]
        result[movable[max(movable.size - excess, 0) :]] += 1
