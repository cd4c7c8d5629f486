"""The criteria table of a Config sheet read into criterion mappings, one per row below its header."""

from __future__ import annotations

from typing import Any

from ..errors import Phrase
from .sheet_cells import CellReader
from .sheet_layout import CRITERIA_COLUMNS, field_key, is_default_label, shown
from .sheet_sections import Section, table_columns


def criteria_table(reader: CellReader, section: Section, weights: str) -> list[dict[str, Any]]:
    """The criteria of the table, each cell's place recorded for the config model's errors.

    With ``weights`` manual, every criterion needs a weight of 0 or more.
    """
    where = reader.where
    table = Phrase("what.table_criteria")
    columns = table_columns(reader.rows, where, section, CRITERIA_COLUMNS, table)
    if "field" not in columns:
        raise where.error(
            where.ref(section.rows[0], 0),
            Phrase("config_sheet.no_column", table=table, column=shown(CRITERIA_COLUMNS, ["field"])),
            Phrase("config_sheet.fix_field_column"),
        )
    body = section.rows[1:]
    if not body:
        raise where.error(
            where.ref(section.rows[0] + 1, 0),
            Phrase("config_sheet.no_criterion"),
            Phrase("config_sheet.fix_no_criterion"),
        )
    last_column = max(columns.values())
    reader.places[("criteria",)] = where.ref(body[0], 0, body[-1], last_column)
    criteria: list[dict[str, Any]] = []
    for position, row in enumerate(body):
        for key, column in columns.items():
            reader.places[("criteria", position, key)] = where.ref(row, column)
        reader.places[("criteria", position)] = where.ref(row, 0, row, last_column)
        criteria.append(_criterion(reader, row, columns, weights))
    return criteria


def _criterion(reader: CellReader, row: int, columns: dict[str, int], weights: str) -> dict[str, Any]:
    """One criterion row; blank cells are left out, so the model's defaults apply."""
    get = columns.get
    field = field_key(reader.text_value(row, get("field")))
    if field is None:
        raise reader.fail(row, columns["field"], Phrase("config_sheet.no_data_column"), "criteria.field")
    item: dict[str, Any] = {"field": field}
    weight = _weight(reader, row, columns, weights)
    if weight is not None:
        item["weight"] = weight
    for key in ("direction", "normalize", "missing"):
        chosen = reader.option(row, get(key), key, f"criteria.{key}")
        if chosen is not None:
            item[key] = chosen
    for key in ("bins", "points"):
        values = reader.numbers(row, get(key), f"criteria.{key}")
        if values is not None:
            item[key] = values
    label = reader.text_value(row, get("label"))
    if label is not None and not is_default_label(label, field):
        item["label"] = label
    return item


def _weight(reader: CellReader, row: int, columns: dict[str, int], weights: str) -> float | None:
    """The criterion's weight; with manual weights it must be given and not negative."""
    weight = reader.number(row, columns.get("weight"), "criteria.weight", Phrase("what.weight"))
    if weight is None and weights == "manual":
        column = columns.get("weight", columns["field"])
        raise reader.fail(row, column, Phrase("config_sheet.weight_empty"), "criteria.weight")
    if weight is not None and weight < 0 and weights == "manual":
        raise reader.fail(
            row, columns["weight"], Phrase("config_sheet.weight_negative", weight=weight), "criteria.weight"
        )
    return weight
