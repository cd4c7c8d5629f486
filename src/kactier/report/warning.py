"""The early warning (流失预警) in the workbook: the data sheet's 预警 / At risk column and the Summary's list of the
customers at risk, by sales owner and value at risk (the rule is in :mod:`kactier.tiering.at_risk`).

The list is ordered by owner, the owner with the largest value at risk first (blank owner last), then by value at
risk from the largest (a customer without one last), then by customer id; at most :data:`MAX_AT_RISK_LINES` lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..fields import FIELD_BY_KEY
from ..i18n import Lang, text
from ..tiering.at_risk import AtRisk, value_at_risk
from .added import distinct
from .bulk import BodyColumn
from .context import SheetContext
from .model import Report

MAX_AT_RISK_LINES = 1_000


@dataclass(frozen=True, slots=True)
class AtRiskLine:
    """One customer of the Summary's at-risk list."""

    owner: str | None
    customer_id: str
    customer_name: str | None
    tier: int
    value: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class AtRiskSummary:
    """The Summary's at-risk section: its lines and how many more the data sheet holds."""

    title: str
    headers: list[str]  # (sales owner, when the table has one), id, name, tier, value at risk, why
    has_owner: bool
    lines: list[AtRiskLine]
    more: int


def at_risk_reasons(report: Report, lang: Lang) -> list[str | None]:
    """Each row's reason for being at risk (None: not at risk), in ``lang``."""
    warning = report.at_risk
    if warning is None:
        return [None] * len(report.grades.tier)
    decimals = report.config.score_decimals
    joiner = text("warn_joiner", lang)
    out: list[str | None] = []
    for row, flagged in enumerate(warning.flagged.tolist()):
        if not flagged:
            out.append(None)
            continue
        out.append(joiner.join(_reasons(warning, row, decimals, lang)))
    return out


def _reasons(warning: AtRisk, row: int, decimals: int, lang: Lang) -> list[str]:
    reasons = []
    if warning.low_p_alive[row] and warning.p_alive is not None:
        p_alive = f"{warning.p_alive[row]:.2f}"
        reasons.append(text("warn_p_alive", lang, p_alive=p_alive, threshold=f"{warning.threshold:.2f}"))
    if warning.falling[row] and warning.recent is not None:
        scores = " → ".join(f"{s:.{decimals}f}" for s in warning.recent[row].tolist())
        reasons.append(text("warn_falling", lang, scores=scores))
    return reasons


def at_risk_header(report: Report, lang: Lang, taken: Sequence[str]) -> list[str]:
    """The 预警 / At risk header after the ``taken`` headers, or none without an early warning."""
    return distinct([text("at_risk", lang)], taken) if report.at_risk is not None else []


def at_risk_column(context: SheetContext, column: int) -> list[BodyColumn]:
    """The 预警 / At risk column (the reason on each row at risk) at ``column``, or none without an early warning."""
    if context.report.at_risk is None:
        return []
    bold_red = context.book.add_format({"font_color": "#9C0006", "bold": True})
    return [BodyColumn(column, at_risk_reasons(context.report, context.lang), bold_red)]


def summarize_at_risk(report: Report) -> AtRiskSummary | None:
    """The Summary's at-risk section, or None without an early warning."""
    warning = report.at_risk
    if warning is None:
        return None
    table, lang = report.table, report.table.lang
    frame = table.frame
    flagged = warning.flagged
    key, values = value_at_risk(frame, flagged, np.asarray(report.scores.score, dtype=float))
    owners = frame["owner"].tolist() if "owner" in frame else [None] * len(flagged)
    ids = frame["customer_id"].tolist()
    names = frame["customer_name"].tolist() if "customer_name" in frame else [None] * len(ids)
    reasons = at_risk_reasons(report, lang)
    lines = []
    for row in np.flatnonzero(flagged).tolist():
        value = float(values[row])
        owner = owners[row] if isinstance(owners[row], str) and owners[row] else None
        lines.append(
            AtRiskLine(
                owner,
                ids[row],
                names[row],
                int(report.grades.tier[row]),
                None if math.isnan(value) else value,
                reasons[row] or "",
            )
        )
    lines = _ordered(lines)
    labels = [level.label for level in report.config.tiers.levels]
    return AtRiskSummary(
        text("section_at_risk", lang, tiers="/".join(labels[:2]), threshold=f"{warning.threshold:.2f}"),
        [
            *([_header(report, "owner", lang)] if "owner" in frame else []),
            *(_header(report, k, lang) for k in ("customer_id", "customer_name")),
            text("tier", lang),
            text("at_risk_value", lang, value=_value_label(report, key, lang)),
            text("at_risk_reason", lang),
        ],
        "owner" in frame,
        lines[:MAX_AT_RISK_LINES],
        max(0, len(lines) - MAX_AT_RISK_LINES),
    )


def _ordered(lines: list[AtRiskLine]) -> list[AtRiskLine]:
    totals: dict[str | None, float] = {}
    for line in lines:
        totals[line.owner] = totals.get(line.owner, 0.0) + (line.value or 0.0)

    def order(line: AtRiskLine) -> tuple[Any, ...]:
        owner = line.owner
        return (
            owner is None,
            -totals[owner],
            owner or "",
            line.value is None,
            -(line.value or 0.0),
            line.customer_id,
        )

    return sorted(lines, key=order)


def _value_label(report: Report, key: str, lang: Lang) -> str:
    return text("score", lang) if key == "score" else _header(report, key, lang)


def _header(report: Report, key: str, lang: Lang) -> str:
    """The input's header of field ``key``, else the field's label in ``lang``."""
    table = report.table
    if key in table.field_columns:
        return table.column_names[table.field_columns[key]]
    return FIELD_BY_KEY[key].label(lang)
