"""The Instructions sheet (说明 / Instructions): how to fill the template in, what each column and each tier
means, how the score and the tiers are computed, and how to change the rules.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..fields import REQUIRED
from ..i18n import localized, text
from .columns import column_note
from .context import TemplateContext
from .rules import method_lines, tier_condition

_STEPS = ("rows", "hover", "formats", "lists", "override", "keep", "run")  # tpl.instr.step.<name>, in order
_CHANGING = ("edit", "precedence", "as_made", "docs")  # tpl.instr.change.<name>, in order


def write_instructions_sheet(context: TemplateContext, sheet: Worksheet) -> None:
    """Write the Instructions to ``sheet``, in the template's language and for its config."""
    row = _title(context, sheet)
    row = _how_to_fill(context, sheet, row)
    row = _columns(context, sheet, row)
    row = _tiers(context, sheet, row)
    row = _heading(context, sheet, row, text("tpl.instr.method", context.lang))
    for line in method_lines(context.config, context.lang):
        sheet.write_string(row, 0, line)
        row += 1
    _changing_rules(context, sheet, row + 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 4, 14)


def _heading(context: TemplateContext, sheet: Worksheet, row: int, title: str) -> int:
    sheet.write_string(row, 0, title, context.formats.section)
    return row + 1


def _title(context: TemplateContext, sheet: Worksheet) -> int:
    """The title and the config's name; returns the next free row."""
    config, lang = context.config, context.lang
    sheet.write_string(0, 0, text("tpl.instr.title", lang), context.formats.title)
    description = localized(config.description, lang)
    sheet.write_string(
        1, 0, f"{text('tpl.instr.rules', lang)}: {config.name}" + (f" — {description}" if description else "")
    )
    return 3


def _how_to_fill(context: TemplateContext, sheet: Worksheet, row: int) -> int:
    lang = context.lang
    row = _heading(context, sheet, row, text("tpl.instr.how", lang))
    sheets = {
        "data_sheet": text("sheet_customers", lang),
        "lists_sheet": text("sheet_lists", lang),
    }
    for number, step in enumerate(_STEPS, start=1):
        sheet.write_string(row, 0, f"{number}. {text(f'tpl.instr.step.{step}', lang, **sheets)}")
        row += 1
    return row + 1


def _columns(context: TemplateContext, sheet: Worksheet, row: int) -> int:
    lang, formats = context.lang, context.formats
    row = _heading(context, sheet, row, text("tpl.instr.columns", lang))
    headers = [text("tpl.instr.column", lang), text("tpl.instr.required", lang), text("tpl.instr.what", lang)]
    sheet.write_row(row, 0, headers, formats.header)
    for column in context.columns:
        row += 1
        sheet.write_string(row, 0, column.header, formats.bold)
        sheet.write_string(row, 1, text("tpl.instr.yes", lang) if column.key in REQUIRED else "")
        sheet.write_string(row, 2, column_note(column, context.config, lang), formats.wrap)
    return row + 2


def _tiers(context: TemplateContext, sheet: Worksheet, row: int) -> int:
    config, lang, formats = context.config, context.lang, context.formats
    row = _heading(context, sheet, row, text("tpl.instr.tiers", lang))
    headers = [
        text("tier", lang),
        text("tpl.instr.condition", lang),
        text("action", lang),
        text("service_level", lang),
        text("follow_up_days", lang),
    ]
    sheet.write_row(row, 0, headers, formats.header)
    for index, level in enumerate(config.tiers.levels):
        row += 1
        fill = context.book.add_format({"bg_color": level.color, "bold": True, "border": 1})
        sheet.write_string(row, 0, level.label, fill)
        sheet.write_string(row, 1, tier_condition(config, index, lang), formats.wrap)
        sheet.write_string(row, 2, localized(level.action, lang), formats.wrap)
        sheet.write_string(row, 3, localized(level.service_level, lang))
        if level.follow_up_days is not None:
            sheet.write_number(row, 4, level.follow_up_days)
    return row + 2


def _changing_rules(context: TemplateContext, sheet: Worksheet, row: int) -> None:
    lang = context.lang
    row = _heading(context, sheet, row, text("tpl.instr.changing", lang))
    config_sheet = text("sheet_config", lang)
    for name in _CHANGING:
        sheet.write_string(row, 0, text(f"tpl.instr.change.{name}", lang, config_sheet=config_sheet))
        row += 1
