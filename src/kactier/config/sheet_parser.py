"""A Config sheet's cells read into a validated :class:`~.models.Config`: the settings and the AHP matrix here, the
criteria and tiers tables in :mod:`.sheet_criteria` and :mod:`.sheet_tiers`; every problem names its cell."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ConfigError, Phrase
from ..fields import normalize_header
from ..i18n import text
from .models import Config
from .sheet_cells import CellReader, Where, blank, cell_at
from .sheet_criteria import criteria_table
from .sheet_hints import hint, hint_for
from .sheet_layout import BOOLEANS, SETTINGS, field_key, marker_row, spellings
from .sheet_sections import Section, setting_rows, split_sections
from .sheet_segments import segments_from_sheet
from .sheet_tiers import tier_table


def config_from_rows(rows: list[list[Any]], *, path: Path, sheet: str) -> Config:
    """Read a Config sheet's cells (rows of values, A1 first) into a validated :class:`Config`."""
    where = Where(path, sheet)
    marker = marker_row(rows)
    if marker is None:
        raise where.error(
            where.ref(0, 0),
            Phrase("config_sheet.no_marker", zh=text("cfg_marker", "zh"), en=text("cfg_marker", "en")),
            Phrase("config_sheet.fix_marker"),
        )
    sections = split_sections(rows, marker, where)
    reader = CellReader(rows, where)
    settings = _settings(reader, sections.get("settings"))
    weights = settings.get("weights", "manual")
    data: dict[str, Any] = {
        key: settings[key]
        for key in ("name", "description", "weights", "aggregation", "score_decimals")
        if key in settings
    }
    prediction = {
        k: settings[s]
        for s, k in (
            ("prediction_months", "months"),
            ("discount_rate", "discount_rate"),
            ("at_risk_below", "at_risk_below"),
        )
        if s in settings
    }
    if prediction:
        data["prediction"] = prediction
    data["criteria"] = criteria_table(reader, sections["criteria"], weights)
    data["tiers"] = tier_table(reader, sections["tiers"], settings)
    if "segments" in sections:
        data["segments"] = segments_from_sheet(reader, sections["segments"], sections.get("segment_cells"))
    if weights == "ahp":
        data["ahp"] = _ahp(reader, sections.get("ahp"))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise _located(exc, reader.places, where) from None


def _located(exc: ValidationError, places: Mapping[tuple[Any, ...], str], where: Where) -> ConfigError:
    """The first problem the config model found, at the most precise cell known for its location."""
    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    loc: tuple[Any, ...] = tuple(err["loc"])
    if not loc and message.startswith("segments."):  # a segment dimension naming criteria the config lacks
        loc = tuple(message.split(" ", 1)[0].split("."))
    elif not loc:  # the whole config: criteria and weights, or the AHP matrix
        loc = ("ahp",) if "ahp" in message and ("ahp",) in places else ("criteria",)
    elif loc == ("tiers",):  # the tier table as a whole: point at the column the message is about
        for word, column in (("min_score", "min_score"), ("cuts", "cuts"), ("shares", "shares")):
            if word in message and ("tiers", column) in places:
                loc = ("tiers", column)
                break
    hint = hint_for(loc)
    while loc and loc not in places:
        loc = loc[:-1]
    return where.error(
        places.get(loc, where.ref(0, 0)), Phrase("config_sheet.as_given", message=message), hint
    )


# Where a setting lives in the config, for the config model's errors (the others are top-level keys).
_PLACES: dict[str, tuple[str, ...]] = {
    "method": ("tiers", "method"),
    "value": ("tiers", "value"),
    "provisional_months": ("tiers", "provisional_months"),
    "group_by": ("tiers", "group_by"),
    "capacity_per": ("tiers", "capacity", "per"),
    "prediction_months": ("prediction", "months"),
    "discount_rate": ("prediction", "discount_rate"),
    "at_risk_below": ("prediction", "at_risk_below"),
}


def _settings(reader: CellReader, section: Section | None) -> dict[str, Any]:
    """The settings section's values by TOML key; blank values are left out."""
    if section is None:
        return {}
    where = reader.where
    found: dict[str, Any] = {}
    for row, key, label in setting_rows(reader.rows, section, SETTINGS, where):
        if key in found:
            raise where.error(
                where.ref(row, 0),
                Phrase("config_sheet.set_twice", label=label),
                Phrase("config_sheet.keep_one_row"),
            )
        reader.places[_PLACES.get(key, (key,))] = where.ref(row, 1)
        found[key] = _setting(reader, row, key)
    return {k: v for k, v in found.items() if v is not None}


def _setting(reader: CellReader, row: int, key: str) -> Any:
    """The value of setting ``key`` in column B of ``row``."""
    if key in ("weights", "aggregation", "method"):
        return reader.option(row, 1, key, key)
    if key in ("score_decimals", "provisional_months", "prediction_months"):
        return reader.whole(row, 1, key, Phrase(SETTINGS[key][0]))
    if key in ("discount_rate", "at_risk_below"):
        return reader.share(row, 1, key, Phrase(SETTINGS[key][0]))
    if key in ("value", "group_by", "capacity_per"):
        return field_key(reader.text_value(row, 1))
    return reader.text_value(row, 1)


def _ahp(reader: CellReader, section: Section | None) -> dict[str, Any]:
    """The AHP matrix section: whether an inconsistent matrix is allowed, and the matrix as written."""
    where = reader.where
    if section is None or not section.rows:
        raise where.error(
            where.ref(section.title_row if section else 0, 0),
            Phrase("config_sheet.no_ahp"),
            Phrase("config_sheet.fix_ahp"),
        )
    body = list(section.rows)
    reader.places[("ahp",)] = where.ref(section.title_row, 0, body[-1], 0)
    allow = False
    first = cell_at(reader.rows[body[0]], 0)
    if isinstance(first, str) and normalize_header(first) in spellings(
        {"allow_inconsistent": ("cfg_ahp_allow",)}
    ):
        allow = _allow(reader, body.pop(0))
    if not body:
        raise where.error(where.ref(section.title_row, 0), Phrase("config_sheet.ahp_empty"), hint("ahp"))
    header = body.pop(0)
    size = sum(1 for c in reader.rows[header][1:] if not blank(c))
    if body:
        reader.places[("ahp",)] = where.ref(body[0], 1, body[-1], max(size, 1))
    matrix: list[list[Any]] = []
    for row in body:
        values: list[Any] = []
        for column in range(1, size + 1):
            cell = cell_at(reader.rows[row], column)
            if blank(cell):
                raise reader.fail(row, column, Phrase("config_sheet.comparison_empty"), "ahp")
            values.append(cell.strip() if isinstance(cell, str) else cell)
        matrix.append(values)
    return {"matrix": matrix, "allow_inconsistent": allow}


def _allow(reader: CellReader, row: int) -> bool:
    """The 允许不一致 / Allow inconsistent answer in column B (blank: no)."""
    cell = reader.text_value(row, 1)
    folded = normalize_header(cell or "no")
    answers = {normalize_header(w): flag for flag, words in BOOLEANS.items() for w in words}
    if folded not in answers:
        raise reader.fail(row, 1, Phrase("config_sheet.not_yes_no", value=cell), "ahp.allow")
    return answers[folded]
