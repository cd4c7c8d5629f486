"""The Config sheet's ``[segments]``: the 客户细分设置 / Segments section and the 细分单元 / Segment cells table,
written by :func:`write_segments` and read back by :func:`segments_from_sheet`.

Segments section (label in A, value from B on)::

    细分方法 / Segment method      rfm | matrix
    划分依据 / Split at            mean | median                         (rfm)
    R / F / M 字段                 a field or header each                (rfm)
    维度 / Dimension               名称 | 方法 | 字段 | 指标 | 参数 | 级别  (matrix: a header row, then)
    行维度 / Rows                  价值 | pareto | 年销售额 |  | 0.8, 0.95 | A, B, C
    列维度 / Columns               忠诚度 | thresholds | 客户忠诚度评分 |  | 80, 60 | 1, 2, 3

Segment cells: a header row (细分 / Segment key, 名称 / Label, 颜色 / Colour, 建议措施 / Action), then one row per
segment. A graded workbook writes every segment with its label, colour and action in effect, so they can be edited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..errors import Phrase
from ..i18n import Lang, localized, text
from .segment_models import Dimension, Segments, segment_levels
from .sheet_cells import CellReader
from .sheet_layout import OPTIONS, field_key, field_text
from .sheet_sections import Section, setting_rows, table_columns

SEGMENT_SETTINGS: dict[str, tuple[str, ...]] = {
    "method": ("cfg_seg_method",),
    "split": ("cfg_seg_split",),
    "recency": ("cfg_seg_recency",),
    "frequency": ("cfg_seg_frequency",),
    "monetary": ("cfg_seg_monetary",),
    "dimension": ("cfg_seg_dimension",),  # the header row of the two dimension rows; never a value
    "rows": ("cfg_seg_rows",),
    "columns": ("cfg_seg_columns",),
}
DIMENSION_COLUMNS = (
    "name",
    "method",
    "value",
    "criteria",
    "numbers",
    "labels",
)  # B, C, D… of a dimension row
CELL_COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("cfg_seg_key",),
    "label": ("cfg_seg_label",),
    "color": ("color",),
    "action": ("action",),
}
_NAMES_SPLIT = re.compile(
    r"\s*[,，;；、]\s*"
)  # names may hold spaces (Customer Loyalty): only punctuation splits
_DIMENSIONS = ("rows", "columns")
_NUMBERS = {"thresholds": "minimums", "pareto": "cuts", "quantile": "shares"}


def write_segments(sheet: Worksheet, row: int, segments: Segments, lang: Lang, formats: Sequence[Any]) -> int:
    """Both segment sections from ``row`` down (``formats``: section title, label, input, help, header); returns
    the row below the last one written."""
    title, label, cell, note, header = formats
    sheet.write_string(row, 0, text("cfg_segments", lang), title)
    row += 1
    values: dict[str, Any] = {"method": segments.method}
    if segments.method == "rfm":
        values |= {"split": segments.split}
        values |= {k: field_text(getattr(segments, k), lang) for k in ("recency", "frequency", "monetary")}
    lists = {"method": list(OPTIONS["segment_method"]), "split": list(OPTIONS["segment_split"])}
    for key, value in values.items():
        sheet.write_string(row, 0, text(SEGMENT_SETTINGS[key][0], lang), label)
        sheet.write_string(row, 1, value, cell)
        sheet.write_string(row, 2, text(_HELP.get(key, "cfg_help.segments.field"), lang), note)
        if key in lists:
            sheet.data_validation(row, 1, row, 1, {"validate": "list", "source": lists[key]})
        row += 1
    if segments.rows is not None and segments.columns is not None:
        names = [text(f"cfg_seg_dim.{k}", lang) for k in DIMENSION_COLUMNS]
        sheet.write_row(row, 0, [text("cfg_seg_dimension", lang), *names], header)
        sheet.write_comment(
            row, 0, text("cfg_help.segments.dimension", lang), {"author": "kactier", "x_scale": 2.2}
        )
        for key, dimension in (("rows", segments.rows), ("columns", segments.columns)):
            row += 1
            sheet.write_string(row, 0, text(SEGMENT_SETTINGS[key][0], lang), label)
            sheet.write_row(row, 1, _dimension_cells(dimension, lang), cell)
        row += 1
    row += 1
    sheet.write_string(row, 0, text("cfg_segment_cells", lang), title)
    row += 1
    sheet.write_row(row, 0, [text(CELL_COLUMNS[k][0], lang) for k in CELL_COLUMNS], header)
    sheet.write_comment(row, 0, text("cfg_help.segment_cells", lang), {"author": "kactier", "x_scale": 2.2})
    for level in segment_levels(segments):
        row += 1
        sheet.write_row(
            row,
            0,
            [level.key, localized(level.label, lang), level.color, localized(level.action, lang)],
            cell,
        )
    return row + 1


_HELP = {"method": "cfg_help.segments.method", "split": "cfg_help.segments.split"}


def _dimension_cells(dimension: Dimension, lang: Lang) -> list[str]:
    numbers = dimension.minimums or dimension.cuts or dimension.shares
    return [
        localized(dimension.name, lang),
        dimension.method,
        field_text(dimension.value, lang) if dimension.value is not None else "",
        ", ".join(field_text(c, lang) for c in dimension.criteria or []),
        ", ".join(f"{v:g}" for v in numbers) if numbers else "",
        ", ".join(dimension.labels) if dimension.labels else "",
    ]


def segments_from_sheet(reader: CellReader, section: Section, cells: Section | None) -> dict[str, Any]:
    """The ``segments`` mapping of the two sections; each cell's place is recorded for the config model's errors."""
    where = reader.where
    found: dict[str, Any] = {}
    reader.places[("segments",)] = where.ref(section.title_row, 0)
    for row, key, _ in setting_rows(reader.rows, section, SEGMENT_SETTINGS, where):
        if key == "dimension":
            continue
        reader.places[("segments", key)] = where.ref(
            row, 1, row, len(DIMENSION_COLUMNS) if key in _DIMENSIONS else 1
        )
        if key in ("rows", "columns"):
            found[key] = _dimension(reader, row, key)
        elif key == "method":
            found[key] = reader.option(row, 1, "segment_method", "segments")
        elif key == "split":
            found[key] = reader.option(row, 1, "segment_split", "segments")
        else:
            found[key] = field_key(reader.text_value(row, 1))
    if cells is not None:
        found["cells"] = _cells(reader, cells)
    return {k: v for k, v in found.items() if v is not None}


def _dimension(reader: CellReader, row: int, key: str) -> dict[str, Any]:
    """One dimension row: name, method, field, criteria, numbers and labels in columns B to G."""
    get = {name: column for column, name in enumerate(DIMENSION_COLUMNS, start=1)}
    for part, column in get.items():
        reader.places[("segments", key, part)] = reader.where.ref(row, column)
    found: dict[str, Any] = {}
    name = reader.text_value(row, get["name"])
    if name is not None:
        found["name"] = name
    method = reader.option(row, get["method"], "method", "segments") or "thresholds"
    found["method"] = method
    value = reader.text_value(row, get["value"])
    if value is not None:
        found["value"] = field_key(value)
    criteria = reader.text_value(row, get["criteria"])
    if criteria is not None:
        found["criteria"] = [field_key(p) for p in _NAMES_SPLIT.split(criteria) if p]
    numbers = reader.numbers(row, get["numbers"], "segments")
    if numbers is not None:
        found[_NUMBERS.get(method, "minimums")] = numbers
        reader.places[("segments", key, _NUMBERS.get(method, "minimums"))] = reader.where.ref(
            row, get["numbers"]
        )
    labels = reader.text_value(row, get["labels"])
    if labels is not None:
        found["labels"] = [p for p in _NAMES_SPLIT.split(labels) if p]
    return found


def _cells(reader: CellReader, section: Section) -> list[dict[str, Any]]:
    """The segment cells table: one entry per row with a key; blank label, colour or action keep the default."""
    table = Phrase("cfg_segment_cells")
    columns = table_columns(reader.rows, reader.where, section, CELL_COLUMNS, table)
    out: list[dict[str, Any]] = []
    for position, row in enumerate(section.rows[1:]):
        key = reader.text_value(row, columns.get("key"))
        if key is None:
            continue
        for name, column in columns.items():
            reader.places[("segments", "cells", position, name)] = reader.where.ref(row, column)
        entry: dict[str, Any] = {"key": key}
        for name in ("label", "color", "action"):
            value = reader.text_value(row, columns.get(name))
            if value is not None:
                entry[name] = value if name != "color" or value.startswith("#") else f"#{value}"
        out.append(entry)
    return out
