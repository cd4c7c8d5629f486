"""The explanation and stability columns of the data sheet and the DataFrame API: 评级说明 / Why, 距上一级差距 /
Points to next tier, 提升建议 / Best lever, and with ``--stability`` 级别稳定度 / Tier stability.

They come after every other added column. A borderline customer (stability below 0.8) is also marked 临界 /
borderline among the tier marks (:func:`borderline_marks`). The rules are in :mod:`kactier.tiering.explain` and
:mod:`kactier.tiering.stability`, the wordings in :mod:`kactier.tiering.explain_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..config.models import Config
from ..i18n import Lang, text
from ..tiering.explain import Explanation
from ..tiering.explain_text import gap_values, lever_texts, stability_values, why_texts
from ..tiering.stability import Stability
from ..validate.rows import CustomerTable

EXPLAIN_KEYS = ("why", "tier_gap", "best_lever")
STABILITY_KEYS = ("tier_stability",)


@dataclass(frozen=True, slots=True)
class Explained:
    """A run's explanation, its stability (with ``--stability``) and the header of the tier value column."""

    explanation: Explanation
    stability: Stability | None = None
    value_name: str = ""  # pareto / computed-abc: the value column's header, as Why and Best lever name it

    def at(self, positions: Sequence[int]) -> Explained:
        """The rows at ``positions`` only (an owner's workbook of ``kactier split``)."""
        stability = self.stability
        if stability is not None:
            stability = replace(stability, share=stability.share[list(positions)])
        return Explained(self.explanation.at(positions), stability, self.value_name)


def explained(
    table: CustomerTable, config: Config, explanation: Explanation, stability: Stability | None = None
) -> Explained:
    """``explanation`` and ``stability`` with the header of the tier value column of ``table``."""
    key = config.tiers.value_key
    name = table.column_names[table.field_columns[key]] if key in table.field_columns else key
    return Explained(explanation, stability, name)


def explain_headers(lang: Lang, extra: Explained | None) -> list[str]:
    """The headers of the explanation columns (and stability) in ``lang``; none without an explanation."""
    if extra is None:
        return []
    return [text(k, lang) for k in (*EXPLAIN_KEYS, *(STABILITY_KEYS if extra.stability else ()))]


def explain_values(extra: Explained | None, config: Config, lang: Lang) -> list[list[Any]]:
    """The explanation columns' values per row, in :func:`explain_headers` order: texts, the gap as a number, the
    stability as a fraction (or the by-value wording)."""
    if extra is None:
        return []
    explanation = extra.explanation
    columns: list[list[Any]] = [
        why_texts(explanation, config, lang, extra.value_name),
        gap_values(explanation),
        lever_texts(explanation, config, lang, extra.value_name),
    ]
    if extra.stability is not None:
        graded = (explanation.tier >= 0).tolist()
        columns.append(stability_values(extra.stability, graded, lang))
    return columns


def borderline_marks(marks: Sequence[str], extra: Explained | None, lang: Lang) -> list[str]:
    """``marks`` with 临界 / borderline added where the customer's tier stability is below 0.8."""
    if extra is None or extra.stability is None:
        return list(marks)
    said = text("borderline", lang)
    joiner = "、" if lang != "en" else ", "
    return [
        f"{mark}{joiner if mark else ''}{said}" if low else mark
        for mark, low in zip(marks, extra.stability.borderline.tolist(), strict=True)
    ]
