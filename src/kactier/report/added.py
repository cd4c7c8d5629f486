"""The columns kactier adds to the customers, named and valued once for the data sheet and the DataFrame API.

After the input's own columns: the 0–100 points of each criterion whose points differ from the input, then score,
rank, percentile, tier, marks (override / capacity / provisional), action and next follow-up; with history, the
previous tier and the change. Rows that were not graded get only the tier ("not graded") and the action ("see the Issues sheet").
The input's own cells are written as validation understood them where it read them another way than as given
(:func:`understood_cells`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config.models import Config, Criterion
from ..i18n import Lang, localized, text
from ..problems import IssueCode
from ..scoring.engine import Scores
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from .explain_columns import Explained, borderline_marks, explain_headers, explain_values

ADDED_KEYS = ("score", "rank", "percentile", "tier", "tier_mark", "action", "next_follow_up")
HISTORY_KEYS = ("previous_tier", "tier_change")
SEGMENT_KEYS = ("segment", "segment_action")  # with [segments]: after every other added column
AT_RISK_KEYS = ("at_risk",)  # with an early warning (P(alive), or two past runs): the last added column


def shown_points(config: Config) -> list[Criterion]:
    """The criteria whose 0–100 points get a column: those not already 0–100 points, higher-is-better, as given
    (under TOPSIS every criterion: its column shows the customer's place between its worst and best value)."""
    if config.aggregation == "topsis":
        return list(config.criteria)
    return [c for c in config.criteria if c.normalize != "score" or c.direction == "lower"]


def added_headers(
    config: Config,
    lang: Lang,
    existing: Sequence[str],
    *,
    history: bool = False,
    extra: Explained | None = None,
) -> list[str]:
    """The headers of the added columns in ``lang``, made distinct from the input's ``existing`` headers; with
    ``extra``, the explanation (and stability) columns last."""
    suffix = text("points_suffix", lang)
    added = [f"{c.display(lang)}{'' if lang == 'zh' else ' '}{suffix}" for c in shown_points(config)]
    added += [text(k, lang) for k in (*ADDED_KEYS, *(HISTORY_KEYS if history else ()))]
    added += [text(k, lang) for k in SEGMENT_KEYS] if config.segments is not None else []
    added += explain_headers(lang, extra)
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
    """人工调整 / Override, 容量调整 / Capacity and 暂定 / Provisional marks per row, in that order."""
    names = (text("override", lang), text("capacity", lang), text("provisional", lang))
    joiner = "、" if lang != "en" else ", "
    moved = grades.moved if grades.moved is not None else np.zeros(len(grades.tier), dtype=bool)
    # by override * 4 + capacity * 2 + provisional; an override is never moved, so 6 and 7 do not occur
    marks = [
        joiner.join(n for n, bit in zip(names, (4, 2, 1), strict=True) if code & bit) for code in range(8)
    ]
    codes = (
        grades.overridden.astype(np.int64) * 4
        + moved.astype(np.int64) * 2
        + grades.provisional.astype(np.int64)
    )
    return [marks[code] for code in codes.tolist()]


def added_values(
    scores: Scores, grades: Grades, config: Config, lang: Lang, extra: Explained | None = None
) -> list[list[Any]]:
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
        when_graded(borderline_marks(tier_marks(grades, lang), extra, lang), graded),
        tier_actions(grades, config, lang),
        when_graded(grades.follow_up, graded),
        *segment_values(grades, lang),
        *explain_values(extra, config, lang),
    ]


def segment_values(grades: Grades, lang: Lang) -> list[list[Any]]:
    """With [segments]: each row's segment label and action (blank without a segment, the action "see the Issues
    sheet" for a graded customer left without one); without, no columns."""
    segments = grades.segments
    if segments is None:
        return []
    labels = [localized(level.label, lang) for level in segments.levels]
    actions = [localized(level.action, lang) for level in segments.levels]
    see_issues = text("segment_see_issues", lang)
    chosen = segments.index.tolist()
    graded = (grades.tier >= 0).tolist()
    return [
        [labels[s] if s >= 0 else None for s in chosen],
        [actions[s] if s >= 0 else (see_issues if g else None) for s, g in zip(chosen, graded, strict=True)],
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


def understood_cells(table: CustomerTable) -> dict[int, dict[int, Any]]:
    """The input cells that validation read another way than as given, with the value as understood: by input
    column index, then by data-row position.

    These are the cells of the fields' columns with a ``value_coerced`` issue (a number or a date typed as text, a
    date serial, a percent in a 0–100 score), which keeps the text as typed. A cell whose understood value was set
    aside afterwards (out of range) keeps its value as given. Empty when nothing was coerced, which is the usual
    case: the issues are looked at, not the cells.
    """
    keys = {table.column_names[column]: key for key, column in table.field_columns.items()}
    coerced = [
        (issue.row, keys[issue.column])
        for issue in table.issues
        if issue.code is IssueCode.VALUE_COERCED and issue.column in keys and issue.row is not None
    ]
    if not coerced:
        return {}
    excel_rows = table.excel_rows
    positions = np.searchsorted(excel_rows, [row for row, _ in coerced]).tolist()
    parsed: dict[str, list[Any]] = {}
    out: dict[int, dict[int, Any]] = {}
    for (row, key), position in zip(coerced, positions, strict=True):
        if position >= len(excel_rows) or excel_rows[position] != row:
            continue  # a row that is not data (cannot happen for a field's reading, but never guess)
        if key not in parsed:
            parsed[key] = table.frame[key].tolist()
        value = parsed[key][position]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        out.setdefault(table.field_columns[key], {})[position] = value
    return out
