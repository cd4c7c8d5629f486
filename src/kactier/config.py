"""The scoring config: pydantic models, presets and TOML loading.

A config lists criteria (which field, its weight, direction, normalisation and missing-value policy), how weights are
obtained, and the tiers. Presets are plain commented TOML files shipped in ``templates/`` (the ``kactier.presets``
package data); ``--config FILE`` loads the same format. Every problem becomes a :class:`ConfigError` naming the file,
the key and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .fields import FIELD_BY_KEY, match_header

Text = str | dict[Literal["zh", "en"], str]
Direction = Literal["higher", "lower"]
Normalize = Literal["score", "minmax", "log-minmax", "rank", "zscore", "bins"]
MissingPolicy = Literal["zero", "median", "exclude", "reject"]
WeightMethod = Literal["manual"]
TierMethod = Literal["thresholds"]

_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def localized(text: Text, lang: str) -> str:
    """Pick ``text`` in ``lang`` when it is given per language, falling back to the other language."""
    if isinstance(text, str):
        return text
    return text.get("zh" if lang == "zh" else "en") or next(iter(text.values()), "")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    """One scoring criterion."""

    field: str = Field(
        description="canonical field key (e.g. purchasing_power) or the column header as written"
    )
    weight: float = 1.0
    direction: Direction = "higher"
    normalize: Normalize = "score"
    missing: MissingPolicy = "zero"
    label: Text | None = None

    @property
    def key(self) -> str:
        """The canonical field key when ``field`` names one, else the header text itself."""
        if self.field in FIELD_BY_KEY:
            return self.field
        return match_header(self.field) or self.field

    def display(self, lang: str) -> str:
        """The criterion's name in ``lang``."""
        if self.label is not None:
            return localized(self.label, lang)
        known = FIELD_BY_KEY.get(self.key)
        return known.label(lang) if known else self.field


class Tier(_Model):
    """One tier: label, minimum score (thresholds), colour and what it means for the account."""

    label: Annotated[str, Field(min_length=1, max_length=20)]
    min_score: float | None = None
    color: str = "#D9D9D9"
    action: Text = ""
    service_level: Text = ""
    follow_up_days: Annotated[int, Field(ge=1, le=3660)] | None = None

    @field_validator("color")
    @classmethod
    def _hex_color(cls, value: str) -> str:
        if not _HEX_COLOR.match(value):
            raise ValueError(f"colour must be written #RRGGBB, got {value!r}")
        return value.upper()


class Tiers(_Model):
    """How customers are graded into tiers."""

    method: TierMethod = "thresholds"
    provisional_months: Annotated[int, Field(ge=0, le=120)] = 6
    levels: Annotated[list[Tier], Field(min_length=2, max_length=7)]

    @model_validator(mode="after")
    def _check_levels(self) -> Tiers:
        labels = [level.label for level in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"tier labels must be unique, got {labels}")
        if self.method == "thresholds":
            minimums = [level.min_score for level in self.levels[:-1]]
            if any(m is None for m in minimums):
                raise ValueError("every tier but the last needs min_score with method = 'thresholds'")
            values = [float(m) for m in minimums if m is not None]
            if any(a <= b for a, b in pairwise(values)):
                raise ValueError(f"min_score must decrease from the first tier to the last, got {values}")
            if self.levels[-1].min_score is not None:
                raise ValueError("the last tier takes every remaining customer; remove its min_score")
        return self

    def label_index(self) -> dict[str, int]:
        """Tier label (case-insensitive) -> position, for overrides."""
        return {level.label.casefold(): i for i, level in enumerate(self.levels)}


class Config(_Model):
    """A complete scoring config."""

    name: str = "custom"
    description: Text = ""
    weights: WeightMethod = "manual"
    score_decimals: Annotated[int, Field(ge=0, le=6)] = 2
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    tiers: Tiers

    @model_validator(mode="after")
    def _check_criteria(self) -> Config:
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError(f"each field may be a criterion once, got {keys}")
        if self.weights == "manual":
            if any(c.weight < 0 for c in self.criteria):
                raise ValueError("manual weights must not be negative")
            if sum(c.weight for c in self.criteria) <= 0:
                raise ValueError("manual weights must not all be zero")
        return self


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    folder = resources.files("kactier.presets")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_text(name: str) -> str:
    """The TOML text of a shipped preset."""
    if name not in preset_names():
        raise ConfigError(
            f"unknown preset {name!r}; available: {', '.join(preset_names())} (see `kactier presets`)"
        )
    return (resources.files("kactier.presets") / f"{name}.toml").read_text(encoding="utf-8")


def load_preset(name: str) -> Config:
    """Load a shipped preset by name."""
    return parse_config(preset_text(name), source=f"preset {name}")


def load_config_file(path: Path) -> Config:
    """Load a TOML config file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str) -> Config:
    """Parse and validate config TOML; errors name ``source``, the key and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str) -> Config:
    """Validate a config mapping; errors name ``source``, the key and the problem."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {format_validation_error(exc)}") from None


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``key.path: message``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)
