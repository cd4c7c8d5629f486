"""The review meeting's round trip: a graded workbook scored again.

A workbook kactier wrote carries, after the input's columns, the columns kactier added (points, score, rank,
percentile, tier, marks, action, follow-up, and with history the previous tier and the change). The review edits
调整级别 / 调整原因 (input columns) and the workbook is scored again. The added columns are recognised by their exact
headers in the run's language (with the `` (2)`` suffix older versions gave them) when all of score, rank,
percentile, tier, marks, action and follow-up are there, which no ordinary customer sheet has: they are dropped
before validation and written afresh, and the tiers they carried are "the tiers before the review", which the
Changes sheet and the previous-tier column compare this run with (:func:`review_changes`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from ..config.models import Config
from ..history.changes import REVIEW_RUN_ID, TierChanges, compare_tiers
from ..history.records import PastGrade, PreviousRun, RunInfo
from ..i18n import Lang, text
from ..read.cells import FlaggedCell, RawSheet
from ..report.added import ADDED_KEYS, AT_RISK_KEYS, HISTORY_KEYS, SEGMENT_KEYS, added_headers, shown_points
from ..report.explain_columns import EXPLAIN_KEYS, STABILITY_KEYS
from ..scoring.engine import Scores
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from ..values import id_text

_SUFFIX = re.compile(r" \((\d+)\)$")


@dataclass(frozen=True, slots=True)
class Carried:
    """What a graded workbook carried in kactier's own columns, per row of the sheet read (``raw.rows``)."""

    raw: RawSheet  # the sheet read without kactier's own columns
    tiers: list[str | None]  # the tier label as written
    scores: list[float | None]
    follow_ups: list[dt.date | None]


def own_columns(raw: RawSheet, config: Config, lang: Lang) -> Carried | None:
    """The sheet without kactier's own added columns, and what they carried; None when ``raw`` is not a graded
    workbook (it lacks one of the score, rank, percentile, tier, marks, action and follow-up headers)."""
    known = {name: key for name, key in zip(_own_headers(config, lang), _own_keys(config), strict=True)}
    known.update(
        {text(key, lang): key for key in SEGMENT_KEYS}
    )  # [segments] columns, whatever this config says
    known.update(
        {text(key, lang): key for key in AT_RISK_KEYS}
    )  # 预警, whenever the run had an early warning
    # Why, Points to next tier, Best lever and Tier stability, which a run adds or not
    known.update({text(key, lang): key for key in (*EXPLAIN_KEYS, *STABILITY_KEYS)})
    found: dict[int, tuple[str, int]] = {}  # column index -> (key, suffix number)
    for index, header in enumerate(raw.headers):
        if not isinstance(header, str):
            continue
        match = _SUFFIX.search(header)
        base, n = (header[: match.start()], int(match.group(1))) if match else (header, 1)
        if base in known:
            found[index] = (known[base], n)
    if not set(ADDED_KEYS) <= {key for key, _ in found.values()}:
        return None
    latest: dict[str, tuple[int, int]] = {}  # key -> (suffix number, column) of the last run's column
    for index, (key, n) in found.items():
        if key not in latest or n > latest[key][0]:
            latest[key] = (n, index)
    return Carried(
        _without(raw, set(found)),
        [_label(row[latest["tier"][1]]) for row in raw.rows],
        [_number(row[latest["score"][1]]) for row in raw.rows],
        [_date(row[latest["next_follow_up"][1]]) for row in raw.rows],
    )


def carried_as_of(carried: Carried, config: Config) -> dt.date | None:
    """The as-of date the workbook was graded on, from its follow-up dates (follow-up = as-of + the tier's days);
    None when no row has both a known tier and a follow-up date."""
    index = {level.label: level.follow_up_days for level in config.tiers.levels}
    found: Counter[dt.date] = Counter()
    for label, follow_up in zip(carried.tiers, carried.follow_ups, strict=True):
        days = index.get(label) if label is not None else None
        if days is not None and follow_up is not None:
            found[follow_up - dt.timedelta(days=days)] += 1
    return found.most_common(1)[0][0] if found else None


def review_changes(
    carried: Carried, table: CustomerTable, scores: Scores, grades: Grades, config: Config
) -> TierChanges:
    """This run's tiers against the ones the workbook carried, as a :class:`TierChanges` whose previous run is the
    workbook itself (id :data:`REVIEW_RUN_ID`); each changed row names the override reason of its customer."""
    labels = [level.label for level in config.tiers.levels]
    frame = table.frame
    ids = frame["customer_id"].tolist()
    names = frame["customer_name"].tolist() if "customer_name" in frame else [None] * len(ids)
    before: dict[str, PastGrade] = {}
    for position, row in enumerate(table.row_indexes):
        cid = ids[position]
        if cid is not None and cid not in before:
            before[cid] = PastGrade(carried.tiers[row], carried.scores[row], names[position])
    run = RunInfo(REVIEW_RUN_ID, "", carried.raw.path.name, "", config.name, tuple(labels), "")
    changes = compare_tiers(
        ids, names, grades.tier.tolist(), scores.score.tolist(), labels, PreviousRun(run, before)
    )
    if "override_reason" in frame:
        reasons: dict[str, str] = {}
        for cid, reason in zip(ids, frame["override_reason"].tolist(), strict=True):
            said = id_text(reason) if isinstance(reason, str | int | float) and reason == reason else None
            if cid is not None and said and cid not in reasons:
                reasons[cid] = said
        changes.rows = [replace(r, reason=reasons.get(r.customer_id)) for r in changes.rows]
    return changes


def _own_headers(config: Config, lang: Lang) -> list[str]:
    return added_headers(config, lang, [], history=True)


def _own_keys(config: Config) -> list[str]:
    segments = SEGMENT_KEYS if config.segments is not None else ()
    return [*(f"points:{c.key}" for c in shown_points(config)), *ADDED_KEYS, *HISTORY_KEYS, *segments]


def _without(raw: RawSheet, dropped: set[int]) -> RawSheet:
    """``raw`` without the columns ``dropped`` (cell positions renumbered)."""
    kept = [i for i in range(len(raw.headers)) if i not in dropped]
    moved = {old: new for new, old in enumerate(kept)}
    rows = [[row[i] for i in kept] for row in raw.rows]
    return replace(
        raw,
        headers=[raw.headers[i] for i in kept],
        rows=rows,
        percent_cells=frozenset((r, moved[c]) for r, c in raw.percent_cells if c in moved),
        flagged_cells=sum(isinstance(cell, FlaggedCell) for row in rows for cell in row)
        if raw.flagged_cells
        else 0,
        header_groups={moved[c]: g for c, g in raw.header_groups.items() if c in moved},
    )


def _label(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
