"""Template workbooks: the customer form a manager hands out, with the grading rules inside it.

``kactier template`` writes four sheets:

- the data sheet (客户信息 / Customers): basic information (客户编号 … 客户状态), the config's criteria and
  调整级别 / 调整原因, each header with a note saying what to enter, data validation on every column, an Excel
  table, a frozen header, widths and number formats; ``example`` fills in sample customers (:mod:`.customers`,
  :mod:`.columns`, :mod:`.examples`);
- 说明 / Instructions: how to fill it in, what each tier means, how the score and the tiers are computed
  (:mod:`.instructions`, :mod:`.rules`);
- 配置 / Config: the config as editable cells (:mod:`kactier.config.sheet_writer`), which ``kactier score``
  reads back;
- 列表 / Lists: the dropdown options, one column each, offered through named ranges (:mod:`.lists`).

Only the data sheet has a header row that names customer fields, so ``kactier score`` reads it and no other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ..config.models import Config
from ..config.sheet_writer import write_config_sheet
from ..errors import OutputIOError
from ..excel import MAX_DATA_ROWS
from ..i18n import Lang, localized, text
from ..report.output import atomic_output
from .context import TemplateContext, template_context
from .customers import write_customers_sheet
from .examples import example_customers
from .instructions import write_instructions_sheet
from .lists import write_lists_sheet

DEFAULT_ROWS = 200
MAX_ROWS = MAX_DATA_ROWS  # Excel's last row, less the header
_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    """What a template holds: its language, how many rows are prepared, whether samples fill them."""

    lang: Lang = "zh"
    rows: int = DEFAULT_ROWS
    example: bool = False


def default_template_name(config: Config) -> str:
    """``kactier-template-<preset>.xlsx``."""
    return f"kactier-template-{config.name}.xlsx"


def write_template(
    path: Path,
    config: Config,
    options: TemplateOptions | None = None,
    *,
    force: bool = False,
    created: dt.datetime | None = None,
) -> None:
    """Write a template workbook for ``config`` to ``path`` (atomically; an existing file only with ``force``).

    ``options.rows`` empty rows are prepared (table, validation); ``options.example`` fills the first of them
    with sample customers. ``created`` fixes the document's creation time, so the same arguments give the same
    bytes.
    """
    options = options or TemplateOptions()
    rows, lang = options.rows, options.lang
    if not 1 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}, got {rows}")
    with atomic_output(path, force=force) as temporary:
        book = xlsxwriter.Workbook(str(temporary), _WORKBOOK_OPTIONS)
        properties: dict[str, Any] = {
            "title": f"kactier template: {config.name}",
            "comments": localized(config.description, lang),
        }
        if created is not None:
            properties["created"] = created
        book.set_properties(properties)
        _write_sheets(template_context(book, config, lang), rows, options.example)
        try:
            book.close()
        except OSError as exc:
            raise OutputIOError("output.template_failed", path=path, reason=exc.strerror or exc) from None


def _write_sheets(context: TemplateContext, rows: int, example: bool) -> None:
    book, config, lang = context.book, context.config, context.lang
    data = book.add_worksheet(text("sheet_customers", lang))
    instructions = book.add_worksheet(text("sheet_instructions", lang))
    config_sheet = book.add_worksheet(text("sheet_config", lang))
    lists = book.add_worksheet(text("sheet_lists", lang))
    write_lists_sheet(context, lists)
    samples = example_customers(config, lang) if example else []
    write_customers_sheet(context, data, max(rows, len(samples)), samples)
    write_instructions_sheet(context, instructions)
    write_config_sheet(book, config_sheet, config, lang)
    data.activate()
