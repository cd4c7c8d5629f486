"""What to enter: the hint that ends a Config sheet error, for each place in the config (worded in
:mod:`kactier.i18n.errors` as ``hint.<place>``, in the error's language)."""

from __future__ import annotations

from typing import Any

from ..errors import Phrase

# The places that have a hint of their own, for a problem found by the config model at a given place.
HINTS: frozenset[str] = frozenset(
    (
        "name",
        "weights",
        "aggregation",
        "method",
        "value",
        "score_decimals",
        "provisional_months",
        "criteria",
        "criteria.field",
        "criteria.weight",
        "criteria.direction",
        "criteria.normalize",
        "criteria.missing",
        "criteria.bins",
        "criteria.points",
        "tiers",
        "tiers.label",
        "tiers.min_score",
        "tiers.cut",
        "tiers.share",
        "tiers.color",
        "tiers.follow_up_days",
        "tiers.capacity",
        "prediction",
        "prediction.months",
        "prediction.discount_rate",
        "prediction.at_risk_below",
        "ahp",
        "ahp.allow",
        "segments",
    )
)


def hint(place: str) -> Phrase:
    """What to enter at ``place`` (one of :data:`HINTS`, such as ``"tiers.min_score"``)."""
    return Phrase(f"hint.{place}" if place in HINTS else "hint.default")


def hint_for(loc: tuple[Any, ...]) -> Phrase:
    """What to enter at a config location such as ("tiers", "levels", 2, "color")."""
    names = [str(part) for part in loc if not isinstance(part, int)]
    if names[:2] == ["tiers", "levels"]:
        names = ["tiers", *names[2:]]
    if names[:1] == ["tiers"] and len(names) == 2 and names[1] in HINTS:  # method, value, provisional_months
        names = names[1:]
    for size in range(len(names), 0, -1):
        key = ".".join(names[:1] + names[1:size][-1:]) if size > 1 else names[0]
        if key in HINTS:
            return hint(key)
    return Phrase("hint.default")
