"""The ``[segments]`` table of a config: customer segments computed after the tiers.

- ``method = "rfm"``: the eight classic RFM segments (重要价值客户 … 一般挽留客户) from recency, frequency and
  monetary value, each split at its mean (or ``split = "median"``) over the graded customers.
- ``method = "matrix"``: two dimensions, ``[segments.rows]`` and ``[segments.columns]``, each a small tier spec on a
  field (or on a set of criteria, the weighted mean of their 0–100 points); a customer's cell is its row level's
  label followed by its column level's label (A1 … C3).

``[[segments.cells]]`` gives a cell (an RFM segment by its key, e.g. ``important-value``, or a matrix cell, e.g.
``A1``) its own label, colour and action. The rules are computed in :mod:`kactier.tiering.segments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..fields import FIELD_BY_KEY, match_header
from ..i18n import Text, wordings

SegmentMethod = Literal["rfm", "matrix"]
DimensionMethod = Literal["thresholds", "pareto", "quantile", "computed-abc"]
Split = Literal["mean", "median"]

#: The eight RFM segments in order; the index of a customer's segment is M low × 4 + R low × 2 + F low × 1.
RFM_SEGMENTS = (
    "important-value",
    "important-development",
    "important-retention",
    "important-win-back",
    "general-value",
    "general-development",
    "general-retention",
    "general-win-back",
)
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MAX_LEVELS = 7


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _field_key(name: str) -> str:
    return name if name in FIELD_BY_KEY else (match_header(name) or name)


class Dimension(_Model):
    """One dimension of a segment matrix: a tier method on a field's values, or on the mean points of criteria."""

    name: Text = ""
    method: DimensionMethod = "thresholds"
    value: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="the field or header whose values the method grades"
    )
    criteria: Annotated[list[str], Field(min_length=1)] | None = Field(
        default=None,
        description="criterion fields: the method grades the weighted mean of their 0–100 points",
    )
    minimums: list[float] | None = Field(
        default=None, description="thresholds: the lowest value of each level but the last, decreasing"
    )
    cuts: list[float] | None = Field(
        default=None, description="pareto: cumulative value shares, e.g. [0.8, 0.95]"
    )
    shares: list[float] | None = Field(
        default=None, description="quantile: share of customers per level but the last"
    )
    labels: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=10)]], Field(min_length=2)] | None
    ) = None

    @model_validator(mode="after")
    def _check(self) -> Dimension:
        if (self.value is None) == (self.criteria is None):
            raise ValueError("give either value (a field) or criteria (a list of criterion fields), not both")
        given = {"minimums": self.minimums, "cuts": self.cuts, "shares": self.shares}
        own = {"thresholds": "minimums", "pareto": "cuts", "quantile": "shares"}.get(self.method)
        for key, values in given.items():
            if values is not None and key != own:
                raise ValueError(f"{key} does not belong to method = {self.method!r}")
        if self.method == "thresholds" and self.minimums is None:
            raise ValueError(
                "method = 'thresholds' needs minimums (the lowest value of each level but the last)"
            )
        levels = self.level_count()
        if not 2 <= levels <= _MAX_LEVELS:
            raise ValueError(f"a dimension has 2 to {_MAX_LEVELS} levels, got {levels}")
        if self.labels is not None and len(self.labels) != levels:
            raise ValueError(f"labels needs {levels} entries (one per level), got {len(self.labels)}")
        if self.labels is not None and len({label.casefold() for label in self.labels}) != levels:
            raise ValueError(f"labels must be unique, got {self.labels}")
        _check_parameters(self)
        return self

    def level_count(self) -> int:
        """How many levels the dimension has: one more than its minimums, cuts or shares, else its labels, else 3."""
        if self.method == "computed-abc":
            return 3
        for values in (self.minimums, self.cuts, self.shares):
            if values is not None:
                return len(values) + 1
        return len(self.labels) if self.labels is not None else 3

    def level_labels(self, letters: bool) -> list[str]:
        """The labels given, else A, B, C… (``letters``) or 1, 2, 3…"""
        if self.labels is not None:
            return list(self.labels)
        count = self.level_count()
        return [chr(ord("A") + i) if letters else str(i + 1) for i in range(count)]

    @property
    def keys(self) -> list[str]:
        """The canonical key (or header) of the value, or of each criterion."""
        return (
            [_field_key(self.value)]
            if self.value is not None
            else [_field_key(c) for c in self.criteria or []]
        )


def _check_parameters(dimension: Dimension) -> None:
    """Minimums decreasing; cuts increasing within (0, 1); shares positive, summing to less than 1."""
    if dimension.minimums is not None and any(a <= b for a, b in pairwise(dimension.minimums)):
        raise ValueError(f"minimums must decrease from the first level to the last, got {dimension.minimums}")
    if dimension.cuts is not None:
        cuts = dimension.cuts
        if any(not 0 < c < 1 for c in cuts) or any(a >= b for a, b in pairwise(cuts)):
            raise ValueError(f"cuts must be increasing shares between 0 and 1, got {cuts}")
    if dimension.shares is not None:
        shares = dimension.shares
        if any(s <= 0 for s in shares) or sum(shares) >= 1:
            raise ValueError(f"shares must be positive and sum to less than 1, got {shares}")


class SegmentCell(_Model):
    """One segment's own label, colour and action: an RFM segment by its key, a matrix cell by its name (A1)."""

    key: Annotated[str, Field(min_length=1)]
    label: Text | None = None
    color: str | None = None
    action: Text | None = None

    @field_validator("color")
    @classmethod
    def _hex_color(cls, value: str | None) -> str | None:
        if value is not None and not _HEX_COLOR.match(value):
            raise ValueError(f"colour must be written #RRGGBB, got {value!r}")
        return value.upper() if value is not None else None


class Segments(_Model):
    """How customers are segmented after they are graded (``[segments]``)."""

    method: SegmentMethod
    split: Split = Field(default="mean", description="rfm: split R, F and M at their mean or median")
    recency: Annotated[str, Field(min_length=1)] = Field(
        default="recency_days", description="rfm: R, lower is better"
    )
    frequency: Annotated[str, Field(min_length=1)] = Field(
        default="orders", description="rfm: F, higher is better"
    )
    monetary: Annotated[str, Field(min_length=1)] = Field(
        default="annual_sales", description="rfm: M, higher is better"
    )
    rows: Dimension | None = None
    columns: Dimension | None = None
    cells: list[SegmentCell] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Segments:
        if self.method == "matrix":
            if self.rows is None or self.columns is None:
                raise ValueError("method = 'matrix' needs [segments.rows] and [segments.columns]")
        elif self.rows is not None or self.columns is not None:
            raise ValueError("[segments.rows] and [segments.columns] belong to method = 'matrix'")
        known = self.cell_keys()
        folded = {k.casefold(): k for k in known}
        seen: set[str] = set()
        for cell in self.cells:
            name = cell.key.strip().casefold()
            if name not in folded:
                raise ValueError(f"cells names the segment {cell.key!r}; the segments are {', '.join(known)}")
            if name in seen:
                raise ValueError(f"cells names the segment {cell.key!r} twice")
            seen.add(name)
        return self

    def cell_keys(self) -> list[str]:
        """Every segment's key, in order: the eight RFM keys, or the matrix cells row by row (A1, A2, … C3)."""
        if self.method == "rfm":
            return list(RFM_SEGMENTS)
        assert self.rows is not None
        assert self.columns is not None
        return [r + c for r in self.rows.level_labels(True) for c in self.columns.level_labels(False)]

    def cell(self, key: str) -> SegmentCell | None:
        """The ``[[segments.cells]]`` entry of ``key`` (any case), if given."""
        return next((c for c in self.cells if c.key.strip().casefold() == key.casefold()), None)

    def field_keys(self) -> list[str]:
        """The fields (or headers) the segments read from the customers' columns (not criteria points)."""
        if self.method == "rfm":
            return [_field_key(name) for name in (self.recency, self.frequency, self.monetary)]
        return [k for d in (self.rows, self.columns) if d is not None and d.value is not None for k in d.keys]


#: The RFM segments' fills: light, so their black text reads, and told apart at a glance (greens for the valuable
#: ones, warm colours for those at risk, grey for the last).
RFM_COLORS = ("#C6EFCE", "#DDEBF7", "#FFEB9C", "#FFC7CE", "#E2EFDA", "#E4DFEC", "#FCE4D6", "#EDEDED")
# Matrix cells without a colour of their own: from green (best row and column) through yellow to grey (worst).
_HEAT = ("#C6EFCE", "#FFEB9C", "#EDEDED")


@dataclass(frozen=True, slots=True)
class SegmentLevel:
    """One segment: its key (``important-value``, ``A1``), label, fill colour and action."""

    key: str
    label: Text
    color: str
    action: Text


def segment_levels(segments: Segments) -> list[SegmentLevel]:
    """The segments in order, each with the label, colour and action its ``[[segments.cells]]`` entry gives, else
    the defaults: the RFM names, palette and actions; a matrix cell's own name, a heat colour and no action."""
    keys = segments.cell_keys()
    levels = []
    for position, key in enumerate(keys):
        if segments.method == "rfm":
            label: Text = _both(f"segment.{key}")
            color, action = RFM_COLORS[position], _both(f"segment_do.{key}")
        else:
            assert segments.rows is not None
            assert segments.columns is not None
            rows, columns = segments.rows.level_count(), segments.columns.level_count()
            label, color, action = key, _heat(divmod(position, columns), rows, columns), ""
        cell = segments.cell(key)
        if cell is not None:
            label = cell.label if cell.label is not None else label
            color = cell.color if cell.color is not None else color
            action = cell.action if cell.action is not None else action
        levels.append(SegmentLevel(key, label, color, action))
    return levels


def _heat(cell: tuple[int, int], rows: int, columns: int) -> str:
    """A default fill for matrix cell (row, column): green at the best corner, yellow in the middle, grey last."""
    spread = (cell[0] + cell[1]) / max(rows + columns - 2, 1)
    low, high, t = (_HEAT[0], _HEAT[1], spread * 2) if spread <= 0.5 else (_HEAT[1], _HEAT[2], spread * 2 - 1)
    mixed = [round(int(low[i : i + 2], 16) * (1 - t) + int(high[i : i + 2], 16) * t) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _both(key: str) -> Text:
    zh, en = wordings(key)
    return {"zh": zh, "en": en}
