"""The explanation in ``--json``: a ``stability`` object (with ``--stability``) and, with ``--json-rows``, a
``customers`` list holding every graded customer's tier, score, Why, points to next tier, best lever and stability.

Field names: ``why`` and ``best_lever`` are the cell texts in the run's language; ``lever`` is the same lever as data
(``criterion``: the criterion's key, or the value field for tiers by value; ``gain``; ``to``: the points after;
``approximate``), None where there is none; ``no_single_criterion`` is true when no single criterion reaches the
tier above; ``stability`` is the share of draws (None for tiers by value or without ``--stability``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tiering.explain import LEVER_VALUE, NO_CRITERION
from ..tiering.explain_text import lever_texts, why_texts
from .output import GradedRun


def explain_json(graded: GradedRun, *, rows: bool) -> dict[str, Any]:
    """``{"stability": ...}`` and, with ``rows``, ``{"customers": [...]}``, for the ``--json`` object."""
    extra = graded.extra
    if extra is None:
        return {}
    labels = [level.label for level in graded.config.tiers.levels]
    stability = extra.stability
    out: dict[str, Any] = {"stability": None}
    if stability is not None:
        tier = np.asarray(extra.explanation.tier)
        low = stability.borderline
        out["stability"] = {
            "draws": stability.draws,
            "independent_of_weights": stability.by_value,
            "computed": not (stability.by_value or stability.not_computed),
            "borderline": {label: int((low & (tier == i)).sum()) for i, label in enumerate(labels)},
        }
    if rows:
        out["customers"] = _customers(graded, labels)
    return out


def _customers(graded: GradedRun, labels: list[str]) -> list[dict[str, Any]]:
    extra = graded.extra
    assert extra is not None  # checked by the caller
    explanation, config, lang = extra.explanation, graded.config, graded.table.lang
    why = why_texts(explanation, config, lang, extra.value_name)
    lever = lever_texts(explanation, config, lang, extra.value_name)
    keys = [c.key for c in config.criteria]
    ids = graded.table.frame["customer_id"].tolist()
    share = extra.stability.share.tolist() if extra.stability is not None else [math.nan] * len(ids)
    low = extra.stability.borderline.tolist() if extra.stability is not None else [False] * len(ids)
    computed = graded.grades.computed.tolist()
    out = []
    for i, tier in enumerate(explanation.tier.tolist()):
        if tier < 0:
            continue
        out.append(
            {
                "row": int(graded.table.excel_rows[i]),
                "customer_id": ids[i],
                "tier": labels[tier],
                "computed_tier": labels[computed[i]] if computed[i] >= 0 else None,
                "score": _number(graded.scores.score[i]),
                "why": why[i],
                "points_to_next_tier": _number(explanation.gap[i]),
                "next_tier": labels[explanation.target[i]] if explanation.target[i] >= 0 else None,
                "best_lever": lever[i],
                "lever": _lever(explanation, i, keys, config.tiers.value_key),
                "no_single_criterion": bool(explanation.unreachable[i]),
                "stability": _number(share[i]),
                "borderline": bool(low[i]),
            }
        )
    return out


def _lever(explanation: Any, i: int, keys: list[str], value_key: str) -> dict[str, Any] | None:
    index = int(explanation.lever[i])
    if index == NO_CRITERION:
        return None
    return {
        "criterion": value_key if index == LEVER_VALUE else keys[index],
        "gain": _number(explanation.lever_gain[i]),
        "to": _number(explanation.lever_to[i]),
        "approximate": bool(explanation.approximate[i]),
    }


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number
