"""The Lists sheet (列表 / Lists): the dropdown options, one column each, and the named ranges that offer them.

Each dropdown refers to a named range ``OFFSET(first item, COUNTA(whole column) - 1)``, so an item added at
the end of a column is offered at once.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..excel import column_letters
from ..fields import STAGES
from ..i18n import Lang, text
from .context import TemplateContext

# Dropdown columns: field key -> defined name. The Lists headers (``tpl.list.<key>``) name no customer field,
# so the Lists sheet is never taken for the data sheet.
LIST_NAMES: dict[str, str] = {
    "region": "RegionList",
    "industry": "IndustryList",
    "stage": "StageList",
    "override_tier": "TierList",
}
REGIONS: dict[Lang, list[str]] = {
    "zh": ["华东", "华南", "华北", "华中", "西南", "西北", "东北"],
    "en": ["North", "South", "East", "West", "Central"],
}
INDUSTRIES: dict[Lang, list[str]] = {
    "zh": ["制造业", "零售", "医药", "电子", "汽车零部件", "食品饮料", "化工", "物流", "其他"],
    "en": [
        "Manufacturing",
        "Retail",
        "Healthcare",
        "Electronics",
        "Automotive Parts",
        "Food & Beverage",
        "Chemicals",
        "Logistics",
        "Other",
    ],
}


def stage_names(lang: Lang) -> list[str]:
    """The lifecycle stages as the dropdown offers them (Chinese, or English capitalised)."""
    if lang == "zh":
        return [names[0] for names in STAGES.values()]
    return [next(n for n in names if n.isascii()).capitalize() for names in STAGES.values()]


def write_lists_sheet(context: TemplateContext, sheet: Worksheet) -> None:
    """Write the dropdown options to ``sheet`` and define the named range of each."""
    lang = context.lang
    options = {
        "region": REGIONS[lang],
        "industry": INDUSTRIES[lang],
        "stage": stage_names(lang),
        "override_tier": [level.label for level in context.config.tiers.levels],
    }
    quoted = "'" + text("sheet_lists", lang).replace("'", "''") + "'"
    note = text("tpl.lists.note", lang)
    for index, (key, items) in enumerate(options.items()):
        sheet.write_string(0, index, text(f"tpl.list.{key}", lang), context.formats.header)
        tier_note = text("tpl.lists.tier_note", lang)
        sheet.write_comment(
            0,
            index,
            note + (tier_note if key == "override_tier" else ""),
            {"author": "kactier", "x_scale": 2},
        )
        for row, item in enumerate(items, start=1):
            sheet.write_string(row, index, item)
        letter = column_letters(index + 1)
        context.book.define_name(
            LIST_NAMES[key],
            f"=OFFSET({quoted}!${letter}$2,0,0,MAX(1,COUNTA({quoted}!${letter}:${letter})-1),1)",
        )
        sheet.set_column(index, index, 18)
    sheet.freeze_panes(1, 0)
