"""A Config sheet cut into its sections (each from its title to the first blank row), and a table's header row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Phrase
from ..fields import normalize_header
from ..i18n import text
from .sheet_cells import Where, blank, cell_at
from .sheet_layout import SECTIONS, shown, spellings


@dataclass(slots=True)
class Section:
    """One section of a Config sheet: the row of its title and the rows below it, up to the first blank row."""

    title_row: int
    rows: list[int]  # sheet row indexes of the section's body


def split_sections(rows: list[list[Any]], marker: int, where: Where) -> dict[str, Section]:
    """The sections below the ``marker`` row by key; the criteria and tiers sections must be there."""
    titles = spellings({key: (label,) for key, label in SECTIONS.items()})
    titles_shown = ", ".join(f"{text(k, 'zh')} / {text(k, 'en')}" for k in SECTIONS.values())
    sections: dict[str, Section] = {}
    index = marker + 1
    while index < len(rows) and not (  # free text (the hint) until the first section title
        isinstance(cell_at(rows[index], 0), str) and normalize_header(cell_at(rows[index], 0)) in titles
    ):
        index += 1
    while index < len(rows):
        row = rows[index]
        if all(blank(c) for c in row):
            index += 1
            continue
        first = cell_at(row, 0)
        key = titles.get(normalize_header(first)) if isinstance(first, str) else None
        if key is None:
            raise where.error(
                where.ref(index, 0),
                Phrase("config_sheet.not_a_section", title=first),
                Phrase("config_sheet.fix_section", titles=titles_shown),
            )
        if key in sections:
            raise where.error(
                where.ref(index, 0),
                Phrase("config_sheet.second_section", title=first),
                Phrase("config_sheet.keep_one_section"),
            )
        body = index + 1
        end = body
        while end < len(rows) and not all(blank(c) for c in rows[end]):
            end += 1
        sections[key] = Section(index, list(range(body, end)))
        index = end
    for needed in ("criteria", "tiers"):
        if needed not in sections:
            label = f"{text(SECTIONS[needed], 'zh')} / {text(SECTIONS[needed], 'en')}"
            raise where.error(
                where.ref(marker, 0),
                Phrase("config_sheet.no_section", label=label),
                Phrase("config_sheet.fix_no_section"),
            )
    return sections


def table_columns(
    rows: list[list[Any]], where: Where, section: Section, groups: Mapping[str, tuple[str, ...]], name: Phrase
) -> dict[str, int]:
    """Column key -> column index from the header row of a table section (its first row); ``name`` is the table's
    name in messages."""
    if not section.rows:
        raise where.error(
            where.ref(section.title_row + 1, 0),
            Phrase("config_sheet.no_table_header", table=name),
            Phrase("config_sheet.fix_table_header", headers=shown(groups)),
        )
    row = section.rows[0]
    index = spellings(groups)
    columns: dict[str, int] = {}
    for column, cell in enumerate(rows[row]):
        if blank(cell):
            continue
        key = index.get(normalize_header(cell)) if isinstance(cell, str) else None
        if key is None:
            raise where.error(
                where.ref(row, column),
                Phrase("config_sheet.not_a_column", header=cell, table=name),
                Phrase("config_sheet.fix_column", headers=shown(groups)),
            )
        if key in columns:
            raise where.error(
                where.ref(row, column),
                Phrase("config_sheet.second_column", header=cell),
                Phrase("config_sheet.delete_one"),
            )
        columns[key] = column
    return columns


def setting_rows(
    rows: Sequence[list[Any]], section: Section, settings: Mapping[str, tuple[str, ...]], where: Where
) -> Iterator[tuple[int, str, Any]]:
    """Each row of a settings ``section`` as (row, TOML key, label as written); a label that names none of
    ``settings`` stops the read at its cell, listing the labels it may have."""
    index = spellings(settings)
    for row in section.rows:
        label = cell_at(rows[row], 0)
        key = index.get(normalize_header(label)) if isinstance(label, str) else None
        if key is None:
            raise where.error(
                where.ref(row, 0),
                Phrase("config_sheet.not_a_setting", label=label),
                Phrase("config_sheet.fix_setting", settings=shown(settings)),
            )
        yield row, key, label
