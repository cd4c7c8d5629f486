"""The grade explanations and tier stability in words, in the report's language: one cell text per row.

- Why: ``交易频次 92 分高于 A 级均值；合作历史 60 分偏低`` / ``Frequency 92, above the A mean; History 60, low``:
  the first reason names the tier mean it is measured against, the second is short. Points are shown with at most
  one decimal. By value: ``按年销售额分级：1,234,567，占总额 3.2%``.
- Best lever: ``交易频次 +12.5 分（至 92.5）`` (by value: ``年销售额 +250,000``), with ``（约）`` / `` (approx.)``
  when approximate; ``单项无法达到`` / ``no single criterion reaches it`` when no criterion can close the gap.
- Tier stability: the share of draws (a fraction; the data sheet shows it as a percentage), or ``不受权重影响`` /
  ``independent of weights`` for tiers by value (``TOPSIS 下未计算`` / ``not computed under TOPSIS``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..config.models import Config
from ..i18n import Lang, text
from .explain import LEVER_VALUE, NO_CRITERION, Explanation
from .stability import Stability

_CHUNK = 65536  # rows turned into Python values at a time


def points_text(points: float) -> str:
    """Points with at most one decimal: 92, 92.5."""
    return f"{round(points, 1):g}"


def value_text(value: float) -> str:
    """A value with thousands separators, decimals only when it has them: 1,234,567 or 1,234.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def why_texts(explanation: Explanation, config: Config, lang: Lang, value_name: str = "") -> list[str | None]:
    """The Why cell of every row (None where not graded)."""
    labels = [level.label for level in config.tiers.levels]
    if explanation.by_value:
        return _why_by_value(explanation, lang, value_name)
    names = [c.display(lang) for c in config.criteria]
    joiner = text("why.join", lang)
    wordings = {
        (place, up): text(("why.first_" if place == 0 else "why.then_") + ("above" if up else "below"), lang)
        for place in (0, 1)
        for up in (False, True)
    }

    @functools.cache  # points shown repeat (one decimal): one wording per (place, tier, criterion, points, sign)
    def part(place: int, tier: int, index: int, shown: float, up: bool) -> str:
        return wordings[place, up].format(name=names[index], points=points_text(shown), tier=labels[tier])

    at_mean = {tier: text("why.at_mean", lang, tier=label) for tier, label in enumerate(labels)}
    points = np.round(explanation.reason_points, 1)  # as shown, so that the wordings repeat
    said: dict[tuple[Any, ...], str] = {}  # a wording that repeats is one str: each distinct Why is held once
    out: list[str | None] = []
    columns = (explanation.tier, *explanation.reasons.T, *points.T, *explanation.reason_above.T)
    for tier, first, then, p0, p1, a0, a1 in _rows(columns):
        if tier < 0:
            out.append(None)
        elif first == NO_CRITERION:
            out.append(at_mean[tier])
        elif then == NO_CRITERION:
            out.append(part(0, tier, first, p0, a0))
        else:
            key = (tier, first, p0, a0, then, p1, a1)
            if (why := said.get(key)) is None:
                why = said[key] = part(0, tier, first, p0, a0) + joiner + part(1, tier, then, p1, a1)
            out.append(why)
    return out


def _why_by_value(explanation: Explanation, lang: Lang, value_name: str) -> list[str | None]:
    values = explanation.value.tolist() if explanation.value is not None else []
    shares = explanation.value_share.tolist() if explanation.value_share is not None else []
    key = "why.by_value_in_group" if explanation.grouped else "why.by_value"
    out: list[str | None] = []
    for tier, value, share in zip(explanation.tier.tolist(), values, shares, strict=True):
        if tier < 0 or value != value:
            out.append(None)
            continue
        shown = f"{share:.1%}" if share == share else "–"
        out.append(text(key, lang, name=value_name, value=value_text(value), share=shown))
    return out


def lever_texts(
    explanation: Explanation, config: Config, lang: Lang, value_name: str = ""
) -> list[str | None]:
    """The Best lever cell of every row (None where the gap is blank)."""
    names = [c.display(lang) for c in config.criteria]
    approx = text("lever.approximate", lang)
    none = text("lever.none", lang)

    @functools.cache  # one str per distinct lever, however many rows share it
    def said(lever: int, gain: float, after: float, approximate: bool) -> str:
        if lever == LEVER_VALUE:
            return text("lever.value", lang, name=value_name, gain=value_text(gain)) + approx
        wording = text("lever.points", lang, name=names[lever], gain=points_text(gain), to=points_text(after))
        return wording + (approx if approximate else "")

    out: list[str | None] = []
    columns = (
        explanation.lever,
        explanation.lever_gain,
        explanation.lever_to,
        explanation.approximate,
        explanation.unreachable,
    )
    for lever, gain, after, approximate, unreachable in _rows(columns):
        if unreachable:
            out.append(none)
        elif lever == NO_CRITERION:
            out.append(None)
        else:
            out.append(said(lever, gain, after, approximate))
    return out


def _rows(columns: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The rows of equal-length 1-D arrays as tuples of Python values, made :data:`_CHUNK` rows at a time (a
    million rows are never all Python lists at once)."""
    size = len(columns[0])
    for start in range(0, size, _CHUNK):
        yield from zip(*(column[start : start + _CHUNK].tolist() for column in columns), strict=True)


def gap_values(explanation: Explanation) -> list[float | None]:
    """The Points to next tier cell of every row: a number, or None (blank)."""
    return [None if math.isnan(g) else g for g in explanation.gap.tolist()]


def stability_values(stability: Stability, graded: list[bool], lang: Lang) -> list[Any]:
    """The Tier stability cell of every row: the share kept (a fraction), the by-value wording, or None."""
    if stability.by_value or stability.not_computed:
        said = text("stability.by_value" if stability.by_value else "stability.topsis", lang)
        return [said if g else None for g in graded]
    return [None if not g or s != s else s for s, g in zip(stability.share.tolist(), graded, strict=True)]
