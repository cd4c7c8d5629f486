"""The Summary's borderline section (with ``--stability``): per tier, the customers whose tier stability is below
0.8, their share of the tier, and the least stable of them (up to :data:`LISTED` each, lowest first, equal shares
by customer id)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xlsxwriter.worksheet import Worksheet

from ..i18n import Lang, text
from ..tiering.stability import BORDERLINE
from .model import Report

LISTED = 10  # customers named per tier


@dataclass(frozen=True, slots=True)
class BorderlineRow:
    """One tier's borderline customers."""

    label: str
    count: int
    share: float | None  # of the tier's customers
    lowest: str  # "C001 客户甲 (47.6%)、…", least stable first


@dataclass(frozen=True, slots=True)
class BorderlineSection:
    """The section's title and rows, or only a note when nothing was computed (tiers by value, TOPSIS)."""

    title: str
    rows: list[BorderlineRow]
    note: str = ""


def borderline_section(report: Report) -> BorderlineSection | None:
    """The borderline section of ``report``, None without ``--stability``."""
    extra = report.extra
    if extra is None or extra.stability is None:
        return None
    stability, lang = extra.stability, report.table.lang
    title = text("stability_section", lang, limit=f"{BORDERLINE:g}", draws=f"{stability.draws:,}")
    if stability.by_value or stability.not_computed:
        return BorderlineSection(
            title, [], text("stability_by_value" if stability.by_value else "stability_topsis", lang)
        )
    tier = np.asarray(extra.explanation.tier)
    frame = report.table.frame
    ids = [str(v) for v in frame["customer_id"].tolist()]
    names = frame["customer_name"].tolist() if "customer_name" in frame else [None] * len(ids)
    low = stability.borderline & (tier >= 0)
    rows = []
    for index, level in enumerate(report.config.tiers.levels):
        members = tier == index
        chosen = np.flatnonzero(low & members)
        order = sorted(chosen.tolist(), key=lambda i: (float(stability.share[i]), ids[i]))
        shown = [_customer(ids[i], names[i], float(stability.share[i])) for i in order[:LISTED]]
        more = len(order) - LISTED
        joiner = "、" if lang != "en" else "; "
        listed = joiner.join(shown) + (f"{joiner}… (+{more})" if more > 0 else "")
        total = int(members.sum())
        rows.append(BorderlineRow(level.label, len(order), len(order) / total if total else None, listed))
    return BorderlineSection(title, rows)


def _customer(cid: str, name: Any, share: float) -> str:
    said = f"{cid} {name}" if isinstance(name, str) and name.strip() else cid
    return f"{said} ({share:.1%})"


def write_borderline(
    sheet: Worksheet, row: int, section: BorderlineSection, lang: Lang, formats: dict[str, Any]
) -> int:
    """Write ``section`` from ``row`` (its title); returns the last row written. ``formats``: section, header,
    count, share, note, and tiers (a list in tier order)."""
    sheet.write_string(row, 0, section.title, formats["section"])
    row += 1
    if not section.rows:
        sheet.write_string(row, 0, section.note, formats["note"])
        return row
    headers = [text(k, lang) for k in ("tier", "borderline_count", "borderline_share", "borderline_lowest")]
    sheet.write_row(row, 0, headers, formats["header"])
    for index, line in enumerate(section.rows):
        row += 1
        sheet.write_string(row, 0, line.label, formats["tiers"][index])
        sheet.write_number(row, 1, line.count, formats["count"])
        if line.share is not None:
            sheet.write_number(row, 2, line.share, formats["share"])
        sheet.write_string(row, 3, line.lowest)
    return row
