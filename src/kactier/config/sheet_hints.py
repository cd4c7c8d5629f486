"""What to enter: the hint that ends a Config sheet error, for each place in the config (English, as every
error message is)."""

from __future__ import annotations

from typing import Any

# What to enter, for a problem found by the config model at a given place.
HINTS: dict[str, str] = {
    "name": "enter a short name",
    "weights": "choose manual, entropy, critic or ahp",
    "method": "choose thresholds, pareto, quantile or computed-abc",
    "value": "enter the data column whose share decides the tier, such as 年销售额 / Annual Sales",
    "score_decimals": "enter a whole number from 0 to 6",
    "provisional_months": "enter a whole number of months from 0 to 120",
    "criteria": "each data column may be a criterion once, and manual weights need one above 0",
    "criteria.field": "enter the data sheet's column header",
    "criteria.weight": "enter a number of 0 or more",
    "criteria.direction": "choose higher or lower",
    "criteria.normalize": "choose score, minmax, log-minmax, rank, zscore or bins",
    "criteria.missing": "choose zero, median, exclude or reject",
    "criteria.bins": "enter increasing cut points separated by commas, e.g. 100000, 500000",
    "criteria.points": "enter one more 0–100 value than cut points, separated by commas, e.g. 20, 60, 100",
    "tiers": "check the tier rows: 2 to 7 tiers with unique names",
    "tiers.label": "enter a tier name of up to 20 characters, unique in the table",
    "tiers.min_score": "enter a score from 0 to 100, decreasing from the first tier; leave the last tier empty",
    "tiers.cut": "enter a share between 0% and 100%, increasing downwards; leave the last tier empty",
    "tiers.share": "enter a share between 0% and 100% for each tier but the last, together under 100%",
    "tiers.color": "enter a colour written #RRGGBB, such as #C6EFCE",
    "tiers.follow_up_days": "enter a whole number of days from 1 to 3660",
    "ahp": "enter one row and one column per criterion, in the criteria's order; cells are numbers or 1/3",
    "ahp.allow": "enter yes or no",
}


def hint_for(loc: tuple[Any, ...]) -> str:
    """What to enter at a config location such as ("tiers", "levels", 2, "color")."""
    names = [str(part) for part in loc if not isinstance(part, int)]
    if names[:2] == ["tiers", "levels"]:
        names = ["tiers", *names[2:]]
    if names[:1] == ["tiers"] and len(names) == 2 and names[1] in HINTS:  # method, value, provisional_months
        names = names[1:]
    for size in range(len(names), 0, -1):
        key = ".".join(names[:1] + names[1:size][-1:]) if size > 1 else names[0]
        if key in HINTS:
            return HINTS[key]
    return "see the note on the column header"
