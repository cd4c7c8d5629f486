"""The scoring config as pydantic models: criteria, weights, tiers and the AHP matrix, with their rules.

A config lists criteria (which field, its weight, direction, normalisation and missing-value policy), how weights are
obtained, and the tiers. The models check every rule a config must keep; :mod:`.files` turns their errors into a
:class:`~kactier.errors.ConfigError` naming the file, the key and what is wrong, and :mod:`.presets` loads the
shipped presets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from rapidfuzz import fuzz, process

from ..fields import FIELD_BY_KEY, match_header
from ..i18n import Text, localized, text
from ..scoring.weights import ahp_weights
from .prediction_models import Prediction
from .segment_models import Segments

Direction = Literal["higher", "lower"]
Normalize = Literal["score", "minmax", "log-minmax", "rank", "zscore", "bins", "vector"]
MissingPolicy = Literal["zero", "median", "exclude", "reject"]
WeightMethod = Literal["manual", "entropy", "critic", "ahp"]
Aggregation = Literal["weighted-sum", "topsis", "weighted-product"]
TierMethod = Literal["thresholds", "pareto", "quantile", "computed-abc"]

AHP_MAX_CR = 0.10  # Saaty's limit for an acceptably consistent matrix
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


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
    bins: list[float] | None = Field(
        default=None, description="with normalize = 'bins': increasing cut points"
    )
    points: list[float] | None = Field(
        default=None, description="with normalize = 'bins': one more than bins"
    )

    @model_validator(mode="after")
    def _check_bins(self) -> Criterion:
        if self.normalize != "bins":
            if self.bins is not None or self.points is not None:
                raise ValueError("bins and points belong to normalize = 'bins'")
            return self
        if not self.bins or self.points is None:
            raise ValueError("normalize = 'bins' needs bins (cut points) and points (one more than bins)")
        if any(a >= b for a, b in pairwise(self.bins)):
            raise ValueError(f"bins must increase, got {self.bins}")
        if len(self.points) != len(self.bins) + 1:
            raise ValueError(
                f"points needs {len(self.bins) + 1} values (one more than bins), got {len(self.points)}"
            )
        if any(not 0 <= p <= 100 for p in self.points):
            raise ValueError(f"points must lie within 0–100, got {self.points}")
        return self

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


class Capacity(_Model):
    """[tiers.capacity]: at most ``max[label]`` customers of a tier per value of the ``per`` field (an owner, a
    region, any column); the lowest-ranked above a cap move down one tier (:mod:`kactier.tiering.capacity`)."""

    per: Annotated[str, Field(min_length=1)] = Field(
        description="canonical field key (e.g. owner) or the column header as written"
    )
    max: Annotated[dict[str, Annotated[int, Field(ge=0)]], Field(min_length=1)] = Field(
        description="tier label -> the most customers of that tier per value; the last tier has no cap"
    )

    @property
    def per_key(self) -> str:
        """The canonical key (or header) of the ``per`` column."""
        return field_or_header(self.per)


class Tiers(_Model):
    """How customers are graded into tiers."""

    method: TierMethod = "thresholds"
    value: str = Field(
        default="annual_sales", description="pareto / computed-abc: the field whose value is shared"
    )
    cuts: list[float] | None = Field(
        default=None, description="pareto: cumulative value shares, e.g. [0.8, 0.95]"
    )
    shares: list[float] | None = Field(
        default=None, description="quantile: share of customers per tier but the last"
    )
    provisional_months: Annotated[int, Field(ge=0, le=120)] = 6
    group_by: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="run the tier method within each value of this field or column"
    )
    capacity: Capacity | None = None
    levels: Annotated[list[Tier], Field(min_length=2, max_length=7)]

    @property
    def value_key(self) -> str:
        """The canonical key (or header) of the value column of pareto / computed-abc."""
        return field_or_header(self.value)

    @property
    def group_key(self) -> str | None:
        """The canonical key (or header) of the ``group_by`` column, if any."""
        return field_or_header(self.group_by) if self.group_by is not None else None

    def caps(self) -> dict[int, int]:
        """Tier position -> its capacity per ``capacity.per`` value (empty without [tiers.capacity])."""
        if self.capacity is None:
            return {}
        labels = self.label_index()
        return {labels[label.strip().casefold()]: cap for label, cap in self.capacity.max.items()}

    @property
    def uses_value(self) -> bool:
        """True when tiers follow a value column rather than the composite score."""
        return self.method in ("pareto", "computed-abc")

    def effective_cuts(self) -> list[float]:
        """Pareto cuts, defaulting to 80% / 95% (spread evenly for other tier counts)."""
        return self.cuts if self.cuts is not None else _default_cuts(len(self.levels))

    def effective_shares(self) -> list[float]:
        """Quantile shares, defaulting to the top 20% / next 30% (spread evenly for other tier counts)."""
        if self.shares is not None:
            return self.shares
        if len(self.levels) == 3:
            return [0.2, 0.3]
        return [1 / len(self.levels)] * (len(self.levels) - 1)

    @model_validator(mode="after")
    def _check_levels(self) -> Tiers:
        labels = [level.label for level in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"tier labels must be unique, got {labels}")
        if self.method == "thresholds":
            _check_minimums(self.levels)
        wanted = len(self.levels) - 1
        if self.cuts is not None:
            _check_cuts(self.cuts, self.method, wanted)
        if self.shares is not None:
            _check_shares(self.shares, self.method, wanted)
        if self.method == "computed-abc" and len(self.levels) != 3:
            raise ValueError("method = 'computed-abc' makes exactly three tiers (A, B, C)")
        if self.capacity is not None:
            _check_caps(self.capacity, labels)
        return self

    def label_index(self) -> dict[str, int]:
        """Tier label (case-insensitive) -> position, for overrides."""
        return {level.label.casefold(): i for i, level in enumerate(self.levels)}


def field_or_header(name: str) -> str:
    """A canonical field key as given, a header that names one as its key, any other header as written."""
    return name if name in FIELD_BY_KEY else (match_header(name) or name)


def _check_caps(capacity: Capacity, labels: list[str]) -> None:
    """capacity.max: each key a tier label (any case) once, never the last tier, which takes everyone moved."""
    known = {label.casefold(): i for i, label in enumerate(labels)}
    seen: set[int] = set()
    for label in capacity.max:
        position = known.get(label.strip().casefold())
        if position is None:
            raise ValueError(f"capacity.max names the tier {label!r}; the tiers are {', '.join(labels)}")
        if position == len(labels) - 1:
            raise ValueError(
                f"capacity.max: the last tier ({labels[-1]}) takes everyone moved down; it has no cap"
            )
        if position in seen:
            raise ValueError(f"capacity.max names the tier {label!r} twice")
        seen.add(position)


def check_columns(columns: Mapping[str, str]) -> None:
    """[columns] (and ``--map``): each key a canonical field, each header given and mapped to one field only."""
    seen: dict[str, str] = {}
    for key, header in columns.items():
        if key not in FIELD_BY_KEY:
            near = process.extractOne(key, list(FIELD_BY_KEY), scorer=fuzz.WRatio, score_cutoff=70)
            close = text("mapping.did_you_mean", "en", key=near[0]) if near is not None else ""
            fields = ", ".join(FIELD_BY_KEY)
            raise ValueError(text("mapping.unknown_field", "en", field=key, close=close, fields=fields))
        if not header.strip():
            raise ValueError(f"{key}: give the header as written in the sheet")
        folded = header.strip().casefold()
        if folded in seen:
            raise ValueError(text("mapping.header_twice", "en", header=header, keys=f"{seen[folded]}, {key}"))
        seen[folded] = key


def _check_minimums(levels: list[Tier]) -> None:
    """thresholds: a min_score on every tier but the last, decreasing downwards."""
    minimums = [level.min_score for level in levels[:-1]]
    if any(m is None for m in minimums):
        raise ValueError("every tier but the last needs min_score with method = 'thresholds'")
    values = [float(m) for m in minimums if m is not None]
    if any(a <= b for a, b in pairwise(values)):
        raise ValueError(f"min_score must decrease from the first tier to the last, got {values}")
    if levels[-1].min_score is not None:
        raise ValueError("the last tier takes every remaining customer; remove its min_score")


def _check_cuts(cuts: list[float], method: TierMethod, wanted: int) -> None:
    """pareto: ``wanted`` increasing cumulative shares between 0 and 1."""
    if method != "pareto":
        raise ValueError("cuts belong to method = 'pareto'")
    if len(cuts) != wanted or any(not 0 < c < 1 for c in cuts):
        raise ValueError(f"cuts needs {wanted} shares between 0 and 1 (one per tier but the last)")
    if any(a >= b for a, b in pairwise(cuts)):
        raise ValueError(f"cuts must increase, got {cuts}")


def _check_shares(shares: list[float], method: TierMethod, wanted: int) -> None:
    """quantile: ``wanted`` positive shares of customers summing to less than 1."""
    if method != "quantile":
        raise ValueError("shares belong to method = 'quantile'")
    if len(shares) != wanted or any(s <= 0 for s in shares) or sum(shares) >= 1:
        raise ValueError(f"shares needs {wanted} positive shares summing to less than 1")


def _default_cuts(levels: int) -> list[float]:
    if levels == 3:
        return [0.8, 0.95]
    if levels == 2:
        return [0.8]
    return [round(0.8 + 0.19 * i / (levels - 2), 4) for i in range(levels - 1)]


class Ahp(_Model):
    """The AHP pairwise comparison matrix, rows and columns in criteria order; cells may be fractions ("1/3")."""

    matrix: list[list[float]]
    allow_inconsistent: bool = Field(default=False, description="accept a consistency ratio of 0.10 or more")

    @field_validator("matrix", mode="before")
    @classmethod
    def _fractions(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [[_fraction(c) for c in row] if isinstance(row, list) else row for row in value]
        return value


def _fraction(cell: Any) -> Any:
    """``"1/3"`` -> 0.333…, exactly the reciprocal of 3 (typing 0.333 would not be)."""
    if isinstance(cell, str):
        try:
            return float(Fraction(cell.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{cell!r} is not a number or a fraction like 1/3") from None
    return cell


def _check_segment_criteria(segments: Segments, keys: list[str]) -> None:
    """A matrix dimension on ``criteria`` names criteria of this config (their points are what it grades)."""
    for name, dimension in (("rows", segments.rows), ("columns", segments.columns)):
        if dimension is None or dimension.criteria is None:
            continue
        for given, key in zip(dimension.criteria, dimension.keys, strict=True):
            if key not in keys:
                raise ValueError(
                    f"segments.{name}.criteria names {given!r}, which is not a criterion of this config"
                )


def _check_vector(criteria: list[Criterion], aggregation: Aggregation) -> None:
    """normalize = 'vector' gives x / √Σx², not 0–100 points: it serves TOPSIS only."""
    vector = [c.field for c in criteria if c.normalize == "vector"]
    if vector and aggregation != "topsis":
        raise ValueError(
            "normalize = 'vector' (x / √Σx², not 0–100 points) belongs to aggregation = 'topsis'; "
            f"for {', '.join(vector)} use minmax, or set aggregation = 'topsis'"
        )


class Config(_Model):
    """A complete scoring config."""

    name: str = "custom"
    description: Text = ""
    weights: WeightMethod = "manual"
    aggregation: Aggregation = Field(
        default="weighted-sum",
        description="how the criteria make the score: weighted-sum, topsis, weighted-product",
    )
    ahp: Ahp | None = None
    score_decimals: Annotated[int, Field(ge=0, le=6)] = 2
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    tiers: Tiers
    segments: Segments | None = None
    prediction: Prediction = Field(
        default_factory=Prediction, description="--orders: the BG/NBD and CLV horizon"
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="field key -> the header as written that holds it, winning over header matching",
    )

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: dict[str, str]) -> dict[str, str]:
        check_columns(value)
        return value

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
        self._check_ahp()
        _check_vector(self.criteria, self.aggregation)
        if self.segments is not None:
            _check_segment_criteria(self.segments, keys)
        return self

    def _check_ahp(self) -> None:
        """``weights = "ahp"`` needs a consistent n×n ``[ahp]`` matrix (or ``allow_inconsistent``); no other
        weight method takes one."""
        if self.weights != "ahp":
            if self.ahp is not None:
                raise ValueError("[ahp] belongs to weights = 'ahp'")
            return
        n = len(self.criteria)
        if self.ahp is None:
            raise ValueError("weights = 'ahp' needs an [ahp] table with the pairwise matrix")
        if len(self.ahp.matrix) != n or any(len(row) != n for row in self.ahp.matrix):
            raise ValueError(f"ahp.matrix must be {n}×{n}, one row and column per criterion in order")
        result = ahp_weights(np.asarray(self.ahp.matrix, dtype=float))  # WeightError is a ValueError
        if result.cr >= AHP_MAX_CR and not self.ahp.allow_inconsistent:
            raise ValueError(
                f"ahp.matrix is inconsistent: consistency ratio {result.cr:.3f} >= {AHP_MAX_CR}; revise the "
                "comparisons or set ahp.allow_inconsistent = true"
            )

    def scored_keys(self) -> list[str]:
        """Fields a row needs to be graded: the criteria, and the value column of pareto / computed-abc."""
        keys = [c.key for c in self.criteria]
        if self.tiers.uses_value and self.tiers.value_key not in keys:
            keys.append(self.tiers.value_key)
        return keys
