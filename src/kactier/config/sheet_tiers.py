"""The tiers table of a Config sheet read into the tiers mapping: one level per row, best first, with the minimum
scores (thresholds), cumulative shares (pareto) or shares of customers (quantile) checked cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Phrase
from .sheet_cells import CellReader
from .sheet_hints import hint
from .sheet_layout import TIER_COLUMNS, shown
from .sheet_sections import Section, table_columns


@dataclass(frozen=True, slots=True)
class _Shares:
    """A column of shares, one per tier but the last: its column key, config key, hint and name in messages."""

    column: str
    key: str
    hint: str
    what: Phrase


_CUTS = _Shares("cut", "cuts", "tiers.cut", Phrase("what.cumulative_share"))
_QUANTILE = _Shares("share", "shares", "tiers.share", Phrase("what.customer_share"))
_SHARES_OF_METHOD = {"pareto": _CUTS, "quantile": _QUANTILE}


@dataclass(frozen=True, slots=True)
class _TierRow:
    """One tier row as read: the level mapping, its minimum score, and its shares by column key."""

    level: dict[str, Any]
    minimum: float | None
    shares: dict[str, float | None]
    cap: int | None = None


def tier_table(reader: CellReader, section: Section, settings: dict[str, Any]) -> dict[str, Any]:
    """The tiers mapping of the table, with the tier settings (method, value, provisional months) of ``settings``;
    each cell's place is recorded for the config model's errors."""
    where = reader.where
    table = Phrase("what.table_tiers")
    columns = table_columns(reader.rows, where, section, TIER_COLUMNS, table)
    if "label" not in columns:
        raise where.error(
            where.ref(section.rows[0], 0),
            Phrase("config_sheet.no_column", table=table, column=shown(TIER_COLUMNS, ["label"])),
            Phrase("config_sheet.fix_label_column"),
        )
    body = section.rows[1:]
    method = settings.get("method", "thresholds")
    _record_places(reader, body, columns)
    read = [_tier_row(reader, row, columns, method) for row in body]
    if method == "thresholds" and body:
        _check_minimums(reader, body, [t.minimum for t in read], columns.get("min_score"))
    tiers: dict[str, Any] = {"levels": [t.level for t in read]}
    for key in ("method", "value", "provisional_months", "group_by"):
        if key in settings:
            tiers[key] = settings[key]
    capacity = _capacity(reader, body, read, columns, settings.get("capacity_per"))
    if capacity is not None:
        tiers["capacity"] = capacity
    shares = _SHARES_OF_METHOD.get(method)
    if shares is not None and shares.column in columns:
        column = columns[shares.column]
        given = [(row, t.shares[shares.column]) for row, t in zip(body, read, strict=True)]
        found = _per_tier(reader, given, column, shares)
        if found is not None:
            tiers[shares.key] = found
            reader.places[("tiers", shares.key)] = _column_ref(reader, body, column)
    return tiers


def _record_places(reader: CellReader, body: list[int], columns: dict[str, int]) -> None:
    """The cell of every config location of the table, for the config model's errors."""
    where = reader.where
    last_column = max(columns.values())
    if body:
        reader.places[("tiers",)] = where.ref(body[0], 0, body[-1], last_column)
        reader.places[("tiers", "levels")] = reader.places[("tiers",)]
    for position, row in enumerate(body):
        for key, column in columns.items():
            reader.places[("tiers", "levels", position, key)] = where.ref(row, column)
        reader.places[("tiers", "levels", position)] = where.ref(row, 0, row, last_column)


def _tier_row(reader: CellReader, row: int, columns: dict[str, int], method: str) -> _TierRow:
    """One tier row; blank cells are left out of the level, so the model's defaults apply."""
    get = columns.get
    label = reader.text_value(row, columns["label"])
    if label is None:
        raise reader.fail(row, columns["label"], Phrase("config_sheet.tier_no_name"), "tiers.label")
    level: dict[str, Any] = {"label": label}
    minimum = reader.number(row, get("min_score"), "tiers.min_score", Phrase("what.minimum_score"))
    if method == "thresholds" and minimum is not None:
        level["min_score"] = minimum
    shares = {s.column: reader.share(row, get(s.column), s.hint, s.what) for s in (_CUTS, _QUANTILE)}
    level.update(_looks(reader, row, columns))
    days = reader.whole(row, get("follow_up_days"), "tiers.follow_up_days", Phrase("what.follow_up_days"))
    if days is not None:
        level["follow_up_days"] = days
    cap = reader.whole(row, get("capacity"), "tiers.capacity", Phrase("cfg_capacity"))
    return _TierRow(level, minimum, shares, cap)


def _capacity(
    reader: CellReader, body: list[int], read: list[_TierRow], columns: dict[str, int], per: str | None
) -> dict[str, Any] | None:
    """[tiers.capacity] from the 容量上限按 / Capacity per setting and the tiers' 容量上限 / Capacity cap cells; None
    when neither is given (one without the other is left to the config model to name)."""
    caps = {t.level["label"]: t.cap for t in read if t.cap is not None}
    if not caps and per is None:
        return None
    if "capacity" in columns and body:
        reader.places[("tiers", "capacity")] = _column_ref(reader, body, columns["capacity"])
        reader.places[("tiers", "capacity", "max")] = reader.places[("tiers", "capacity")]
    found: dict[str, Any] = {"max": caps} if caps else {}
    if per is not None:
        found["per"] = per
    return found


def _looks(reader: CellReader, row: int, columns: dict[str, int]) -> dict[str, str]:
    """The tier's colour (``#`` added when left out), action and service level, where given."""
    found: dict[str, str] = {}
    color = reader.text_value(row, columns.get("color"))
    if color is not None:
        found["color"] = color if color.startswith("#") else f"#{color}"
    for key in ("action", "service_level"):
        value = reader.text_value(row, columns.get(key))
        if value is not None:
            found[key] = value
    return found


def _check_minimums(
    reader: CellReader, body: list[int], minimums: list[float | None], column: int | None
) -> None:
    """thresholds: a minimum on every tier but the last, decreasing downwards; the cell that breaks it."""
    place = "tiers.min_score"
    if column is None:
        raise reader.where.error(
            reader.where.ref(body[0] - 1, 0),
            Phrase("config_sheet.thresholds_column", column=shown(TIER_COLUMNS, ["min_score"])),
            hint(place),
        )
    reader.places[("tiers", "min_score")] = _column_ref(reader, body, column)
    previous: float | None = None
    for row, minimum in zip(body[:-1], minimums[:-1], strict=True):
        if minimum is None:
            raise reader.fail(row, column, Phrase("config_sheet.min_empty"), place)
        if previous is not None and minimum >= previous:
            problem = Phrase("config_sheet.min_not_below", minimum=minimum, previous=previous)
            raise reader.fail(row, column, problem, place)
        previous = minimum
    if minimums[-1] is not None:
        raise reader.fail(body[-1], column, Phrase("config_sheet.min_last"), place)


def _column_ref(reader: CellReader, body: list[int], column: int) -> str:
    return reader.where.ref(body[0], column, body[-1], column)


def _per_tier(
    reader: CellReader, values: list[tuple[int, float | None]], column: int, shares: _Shares
) -> list[float] | None:
    """One value per tier but the last, or None when the column is empty (the method's defaults)."""
    given = [v for _, v in values[:-1]]
    if all(v is None for v in given):
        return None
    for row, value in values[:-1]:
        if value is None:
            raise reader.fail(row, column, Phrase("config_sheet.share_empty", what=shares.what), shares.hint)
    last_row, last = values[-1]
    if last is not None and last < 0.9999:
        problem = Phrase("config_sheet.share_last", what=shares.what)
        raise reader.fail(last_row, column, problem, shares.hint)
    return [float(v) for v in given if v is not None]
