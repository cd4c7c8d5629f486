"""The data sheet's columns: which fields a template asks for, their headers, notes and number formats.

Basic information (客户编号 … 客户状态) comes first, then the config's criteria (and the tier value column of
pareto / computed-abc), then 调整级别 / 调整原因.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.models import Config
from ..fields import FIELD_BY_KEY, Kind
from ..i18n import CATALOG, Lang, text

BASIC_FIELDS = ("customer_id", "customer_name", "region", "industry", "owner", "first_deal_date", "stage")
OVERRIDE_FIELDS = ("override_tier", "override_reason")

_NUMBER_FORMATS = {
    Kind.ID: "@",
    Kind.DATE: "yyyy-mm-dd",
    Kind.MONEY: "#,##0.00",
    Kind.SIGNED_MONEY: "#,##0.00",
    Kind.SCORE: "0",
}


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of the data sheet."""

    key: str  # a canonical field key, or the header of a criterion that names no field
    header: str
    kind: Kind | None  # None: a criterion column that names no canonical field (read as a number)


def template_columns(config: Config, lang: Lang) -> list[TemplateColumn]:
    """The data sheet's columns: basic information, the criteria (and the tier value column), the override."""
    keys = [*BASIC_FIELDS]
    keys += [k for k in config.scored_keys() if k not in keys and k not in OVERRIDE_FIELDS]
    keys += OVERRIDE_FIELDS
    columns = []
    for key in keys:
        known = FIELD_BY_KEY.get(key)
        columns.append(
            TemplateColumn(key, known.label(lang) if known else key, known.kind if known else None)
        )
    return columns


def field_label(field: str, lang: Lang) -> str:
    """The header of ``field`` in ``lang``, or ``field`` itself when it names no canonical field."""
    known = FIELD_BY_KEY.get(field)
    return known.label(lang) if known else field


def number_format(column: TemplateColumn) -> str | None:
    """The Excel number format of ``column``'s cells (None: General)."""
    return _NUMBER_FORMATS.get(column.kind) if column.kind is not None else None


def column_note(column: TemplateColumn, config: Config, lang: Lang) -> str:
    """What to enter in ``column``: the note on its header, also shown in the Instructions."""
    key = f"tpl.note.{column.key}"
    note = text(key, lang) if key in CATALOG else ""
    criterion = next((c for c in config.criteria if c.key == column.key), None)
    if criterion is not None:
        direction = text(f"tpl.direction.{criterion.direction}", lang)
        note += text("tpl.note.criterion", lang, direction=direction)
    elif column.key == config.tiers.value_key and config.tiers.uses_value:
        note += text("tpl.note.value_column", lang)
    if not note:
        note = text("tpl.note.other", lang)
    return note
