"""What every sheet writer of a template shares: the workbook, the config, the language, the data sheet's
columns and the cell formats, made once per workbook.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from ..config.models import Config
from ..i18n import Lang
from .columns import TemplateColumn, number_format, template_columns


@dataclass(frozen=True, slots=True)
class TemplateFormats:
    """The template's cell formats; ``columns`` maps a column key to its number format (None: General)."""

    header: Format
    required_header: Format
    bold: Format
    title: Format
    section: Format
    wrap: Format
    columns: dict[str, Format | None]


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """One template workbook being written."""

    book: Workbook
    config: Config
    lang: Lang
    columns: list[TemplateColumn]
    formats: TemplateFormats


def template_context(book: Workbook, config: Config, lang: Lang) -> TemplateContext:
    """The columns of ``config``'s template and the formats of ``book``."""
    columns = template_columns(config, lang)
    add = book.add_format
    header = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
    required_header = add(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F8CBAD", "border": 1}
    )
    bold = add({"bold": True})
    title = add({"bold": True, "font_size": 14})
    section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
    wrap = add({"text_wrap": True, "valign": "top"})
    column_formats: dict[str, Format | None] = {}
    for column in columns:
        shown = number_format(column)
        column_formats[column.key] = add({"num_format": shown}) if shown else None
    formats = TemplateFormats(header, required_header, bold, title, section, wrap, column_formats)
    return TemplateContext(book, config, lang, columns, formats)
