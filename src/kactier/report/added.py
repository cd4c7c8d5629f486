"""The columns kactier adds to the customers, named and valued once for the data sheet and the DataFrame API.

After the input's own columns: the 0–100 points of each criterion whose points differ from the input, then score,
rank, percentile, tier, marks (provisional / override), action and next follow-up; with history, the previous tier
and the change. Rows that were not graded get only the tier ("not graded") and the action ("see the Issues sheet").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config.models import Config, Criterion
from ..i18n import Lang, localized, text
from ..scoring.engine import Scores
from ..tiering.grade import Grades

ADDED_KEYS = ("score", "rank", "percentile", "tier", "tier_mark", "action", "next_follow_up")
HISTORY_KEYS = ("previous_tier", "tier_change")


def shown_points(config: Config) -> list[Criterion]:
    """The criteria whose 0–100 points get a column: those not already 0–100 points, higher-is-better, as given."""
    return [c for c in config.criteria if c.normalize != "score" or c.direction == "lower"]


def added_headers(config: Config, lang: Lang, existing: Sequence[str], *, history: bool = False) -> list[str]:
    """The headers of the added columns in ``lang``, made distinct from the input's ``existing`` headers."""
    suffix = text("points_suffix", lang)
    added = [f"{c.display(lang)}{'' if lang == 'zh' else ' '}{suffix}" for c in shown_points(config)]
    added += [text(k, lang) for k in (*ADDED_KEYS, *(HISTORY_KEYS if history else ()))]
    return distinct(added, existing)


def when_graded(values: Sequence[Any], graded: Sequence[bool]) -> list[Any]:
    """``values`` with None on the rows that were not graded."""
    return [v if g else None for v, g in zip(values, graded, strict=True)]


def tier_labels(grades: Grades, config: Config, lang: Lang) -> list[str]:
    """Each row's tier label, or "not graded"."""
    labels = [level.label for level in config.tiers.levels]
    not_graded = text("not_graded", lang)
    return [labels[t] if t >= 0 else not_graded for t in grades.tier.tolist()]


def tier_actions(grades: Grades, config: Config, lang: Lang) -> list[str]:
    """Each row's recommended action, or "see the Issues sheet"."""
    actions = [localized(level.action, lang) for level in config.tiers.levels]
    see_issues = text("see_issues", lang)
    return [actions[t] if t >= 0 else see_issues for t in grades.tier.tolist()]


def tier_marks(grades: Grades, lang: Lang) -> list[str]:
    """暂定 / Provisional and 人工调整 / Override marks per row."""
    provisional, override = text("provisional", lang), text("override", lang)
    joiner = "、" if lang == "zh" else ", "
    marks = [
        "",
        provisional,
        override,
        joiner.join((override, provisional)),
    ]  # by override * 2 + provisional
    codes = grades.overridden.astype(np.int64) * 2 + grades.provisional.astype(np.int64)
    return [marks[code] for code in codes.tolist()]


def added_values(scores: Scores, grades: Grades, config: Config, lang: Lang) -> list[list[Any]]:
    """The added columns' values per row, in :func:`added_headers` order (without history), as the data sheet's
    cells hold them: the percentile as a fraction, the follow-up as a date."""
    graded = (grades.tier >= 0).tolist()
    points = [when_graded(scores.points[c.key].tolist(), graded) for c in shown_points(config)]
    return [
        *points,
        when_graded(scores.score.tolist(), graded),
        when_graded(scores.rank.tolist(), graded),
        when_graded((scores.percentile / 100.0).tolist(), graded),
        tier_labels(grades, config, lang),
        when_graded(tier_marks(grades, lang), graded),
        tier_actions(grades, config, lang),
        when_graded(grades.follow_up, graded),
    ]


def distinct(added: list[str], existing: Sequence[str]) -> list[str]:
    """``added`` with " (2)", " (3)"… appended where a name is already taken (Excel table headers must differ).

    Scoring a workbook kactier wrote brings its 综合得分 / Score column back as an input column, kept as it is.
    """
    taken = {name.casefold() for name in existing}
    unique = []
    for name in added:
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name} ({n})"
        taken.add(candidate.casefold())
        unique.append(candidate)
    return unique
