"""Which column holds which field: explicit mappings, headers matched to fields, ambiguity, and near misses.

Order of precedence: ``--map "HEADER=field"`` (``columns`` here), then ``[columns]`` in the config, then each header
matched by :func:`~kactier.fields.header_candidates` (its name, an alias, a variant), then a criterion that names a
header as written. A header that could name two fields (``合作``, or ``合作年限`` under a group "评分指标（0-100）") is
settled by its values where that is safe: a column of 0-100 values beside other scores is the score; values a score
cannot take make it the other field. Otherwise, when the config needs one of its fields, the run stops and lists the
candidates. Every mapping used is kept (:class:`HeaderMapping`) to be shown on the terminal, the Config sheet and in
``--json``. A required or scored column that is missing stops the run with the sheet's unmatched headers, the
closest of them (:mod:`.near_miss`) and the exact fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..config.models import Config
from ..errors import ConfigError, KactierError, MappingError, Phrase, WorkbookError
from ..fields import (
    FIELD_BY_KEY,
    REQUIRED,
    HeaderMatch,
    Kind,
    Match,
    as_score,
    both_labels,
    fold_header,
    header_candidates,
    marks_score,
    normalize_header,
)
from ..i18n import Lang, is_chinese, join, text
from ..read.cells import FlaggedCell, RawSheet
from .near_miss import closest_headers


@dataclass(frozen=True, slots=True)
class HeaderMapping:
    """One mapping used: the header as written, the field (or criterion) it feeds, and how it was matched."""

    header: str
    field: str
    match: Match

    def as_json(self) -> dict[str, str]:
        """The ``{"header", "field", "match"}`` object of ``--json``'s ``mappings`` list."""
        return {"header": self.header, "field": self.field, "match": self.match.value}

    def line(self, lang: Lang) -> str:
        """One line of the terminal's mapping block."""
        how = text(f"match.{self.match.value}", lang)
        spec = FIELD_BY_KEY.get(self.field)
        name = self.field if spec is None else spec.label(lang)
        return text("mapping.line", lang, header=self.header, field=name, key=self.field, match=how)


def mapping_lines(mappings: Iterable[HeaderMapping], lang: Lang) -> list[str]:
    """The terminal's short block: the headers matched exactly on one line, then one line per other mapping."""
    mappings = list(mappings)
    if not mappings:
        return []
    exact = [m.header for m in mappings if m.match is Match.EXACT]
    lines = [text("mapping.block", lang, title=text("mapping.title", lang))]
    if exact:
        lines.append(text("mapping.exact_line", lang, headers=join(exact, lang)))
    lines += [m.line(lang) for m in mappings if m.match is not Match.EXACT]
    return lines


@dataclass(slots=True)
class FieldMap:
    """Field key (or criterion header) -> column index, and the mappings used, in column order."""

    columns: dict[str, int]
    used: list[HeaderMapping]


class Lines(Phrase):
    """Phrases joined, each worded in the message's language: ``sep`` ``"clause"`` gives the clauses that follow
    an error on its one line ("；" or "; " before each), ``None`` a list in running text (、 or a comma). Worded
    here, not looked up: its key is a placeholder."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: Iterable[Phrase | str], sep: str | None = "clause") -> None:
        super().__init__("mapping.parts")
        self.parts = list(parts)
        self.sep = sep

    def message(self, lang: Lang = "en") -> str:
        worded = [p.message(lang) if isinstance(p, Phrase) else p for p in self.parts]
        if self.sep is None:
            return join(worded, lang)
        sep = ("；" if lang.startswith("zh") else "; ") if self.sep == "clause" else self.sep
        return "".join(sep + w for w in worded)


def quoted(headers: Iterable[str]) -> Lines:
    """Headers in running text: “购买能力指数”、“备注” or '购买能力指数', '备注'."""
    return Lines([_Quote(h) for h in headers], sep=None)


class _Quote(Phrase):
    __slots__ = ()

    def __init__(self, header: str) -> None:
        super().__init__("mapping.parts", header=header)

    def message(self, lang: Lang = "en") -> str:
        header = str(self.fields["header"])
        return f"“{header}”" if is_chinese(lang) else repr(header)


class _Label(Phrase):
    """A field's name in the message's language: 购买力评分（purchasing_power）, or both labels in English."""

    __slots__ = ()

    def __init__(self, key: str) -> None:
        super().__init__("mapping.parts", key=key)

    def message(self, lang: Lang = "en") -> str:
        key = str(self.fields["key"])
        spec = FIELD_BY_KEY.get(key)
        if spec is None or not is_chinese(lang):
            return both_labels(key)
        return f"{spec.label(lang)}（{key}）"


def map_fields(
    raw: RawSheet,
    names: list[str],
    config: Config,
    lang: Lang = "en",
    columns: Mapping[str, str] | None = None,
    *,
    require: bool = True,
) -> FieldMap:
    """Map the columns of ``raw`` to fields for ``config``; ``columns`` (field -> header, from ``--map``) win over
    ``config.columns``, which win over matching. See the module docstring. ``require`` off: a field the sheet lacks
    is not an error (one of several inputs graded together may lack a column the others have)."""
    mapper = _Mapper(raw, names, config, lang)
    mapper.require = require
    try:
        mapper.explicit(config.columns, "config")
        mapper.explicit(columns or {}, "map")
        mapper.automatic()
        mapper.criteria_by_header()
        if require:
            mapper.check_missing()
    except KactierError as error:
        error.lang = lang
        raise
    ordered = sorted(mapper.used, key=lambda m: mapper.columns[m.field])
    return FieldMap(mapper.columns, ordered)


class _Mapper:
    def __init__(self, raw: RawSheet, names: list[str], config: Config, lang: Lang) -> None:
        self.raw, self.names, self.config, self.lang = raw, names, config, lang
        self.where = Phrase("where.header", path=raw.path, sheet=raw.sheet, row=raw.header_row)
        self.columns: dict[str, int] = {}
        self.used: list[HeaderMapping] = []
        self.require = True  # a field named by [columns] or --map that the sheet lacks is an error
        self.explicit_fields: set[str] = set()
        self.explicit_columns: set[int] = set()
        self.needed = [*REQUIRED, *(k for k in config.scored_keys() if k not in REQUIRED)]

    def _take(self, key: str, column: int, how: Match) -> None:
        self.columns[key] = column
        self.used.append(HeaderMapping(self.names[column], key, how))

    # -- [columns] and --map ----------------------------------------------------------------------------------

    def explicit(self, wanted: Mapping[str, str], source: str) -> None:
        """Take each field -> header of ``wanted``; a later source replaces an earlier one's entry."""
        for key, header in wanted.items():
            column = self._column_named(header)
            if column is None and not self.require:
                continue
            if column is None:
                raise self._explicit_error(source, header=header, key=key)
            for other, at in list(self.columns.items()):
                if at == column or other == key:  # --map wins over [columns] for the field and the header
                    del self.columns[other]
                    self.used = [m for m in self.used if m.field != other]
            self._take(key, column, Match.CONFIG)
            self.explicit_fields.add(key)
            self.explicit_columns = set(self.columns.values())

    def _column_named(self, header: str) -> int | None:
        wanted = header.strip()
        for index, (cell, name) in enumerate(zip(self.raw.headers, self.names, strict=True)):
            if wanted in (str(cell).strip(), name):
                return index
        folded = fold_header(wanted)
        found = [i for i, cell in enumerate(self.raw.headers) if folded and fold_header(cell) == folded]
        return found[0] if len(found) == 1 else None

    def _explicit_error(self, source: str, **fields: object) -> KactierError:
        """[columns] (a ConfigError) or --map (a usage error) names a header the sheet does not have."""
        headers = quoted(self._written())
        named_by = Phrase(f"mapping.source_{source}")
        error_class = ConfigError if source == "config" else MappingError
        return error_class(
            "mapping.no_such_header", where=self.where, source=named_by, headers=headers, **fields
        )

    def _written(self) -> list[str]:
        return [name for name, cell in zip(self.names, self.raw.headers, strict=True) if str(cell).strip()]

    # -- matching ---------------------------------------------------------------------------------------------

    def automatic(self) -> None:
        """Match every header not mapped explicitly; settle the ambiguous ones once the others are known."""
        ambiguous: list[tuple[int, HeaderMatch]] = []
        for index, cell in enumerate(self.raw.headers):
            found = self._candidates(index, cell)
            if found is None or index in self.explicit_columns:
                continue
            keys = [k for k in found.candidates if k not in self.explicit_fields]
            if len(found.candidates) > 1:
                ambiguous.append((index, found))
            elif keys:
                self._take_unique(keys[0], index, found.how)
        for index, found in ambiguous:
            self._settle(index, found)

    def _candidates(self, index: int, cell: Any) -> HeaderMatch | None:
        if not isinstance(cell, str) or isinstance(cell, FlaggedCell):
            return None
        found = header_candidates(cell)
        group = self.raw.header_groups.get(index)
        if found is None or group is None or found.score_marked or not marks_score(group):
            return found
        marked = as_score(found)  # under a group such as "评分指标（0-100）"
        if marked is None or marked.candidates == found.candidates:
            return found
        return replace(marked, how=Match.VARIANT)

    def _take_unique(self, key: str, index: int, how: Match) -> None:
        if key in self.columns:
            raise WorkbookError(
                "mapping.two_columns",
                where=self.where,
                first=self.names[self.columns[key]],
                second=self.names[index],
                field=both_labels(key),
            )
        self._take(key, index, how)

    def _settle(self, index: int, found: HeaderMatch) -> None:
        """An ambiguous header: the one candidate still free, or the one its values allow; else an error when the
        config needs one of them."""
        free = [k for k in found.candidates if k not in self.columns]
        if not free:
            return
        key = (
            free[0]
            if len(free) == 1
            else settle_by_values(self._cells(index), free, self._beside_scores(index))
        )
        if key is not None:
            self._take(key, index, found.how)
            return
        if any(k in self.needed for k in free):
            header = self.names[index]
            fixes = Lines([f'--map "{header}={k}"' for k in free], sep=None)
            raise WorkbookError(
                "mapping.ambiguous",
                where=self.where,
                header=header,
                fields=Lines([_Label(k) for k in free], sep=None),
                details=Lines([Phrase("mapping.ambiguous_fix", fixes=fixes)]),
            )

    def _cells(self, index: int) -> list[Any]:
        return [row[index] for row in self.raw.rows]

    def _beside_scores(self, index: int) -> bool:
        beside = {index - 1, index + 1}
        return any(
            column in beside and FIELD_BY_KEY[key].kind is Kind.SCORE
            for key, column in self.columns.items()
            if key in FIELD_BY_KEY
        )

    def criteria_by_header(self) -> None:
        """A criterion (or pareto value) that names a header as written maps to that column."""
        folded = {normalize_header(n): i for i, n in enumerate(self.names)}
        for key in self.config.scored_keys():
            if key not in self.columns and normalize_header(key) in folded:
                self._take(key, folded[normalize_header(key)], Match.CONFIG)

    # -- near misses --------------------------------------------------------------------------------------------

    def check_missing(self) -> None:
        """Stop when a required, then a scored, column is missing: what the sheet has, what is close, the fix."""
        required = [k for k in REQUIRED if k not in self.columns]
        scored = [k for k in self.config.scored_keys() if k not in self.columns]
        if required:
            raise WorkbookError(
                "mapping.required_missing",
                where=self.where,
                fields=Lines([_Label(k) for k in required], sep=None),
                details=self._near_misses(required),
            )
        if scored:
            raise WorkbookError(
                "mapping.scored_missing",
                where=self.where,
                config=self.config.name,
                fields=Lines([_Label(k) for k in scored], sep=None),
                details=self._near_misses(scored),
            )

    def _near_misses(self, missing: list[str]) -> Lines:
        mapped = set(self.columns.values())
        unmatched = [
            name
            for index, (name, cell) in enumerate(zip(self.names, self.raw.headers, strict=True))
            if index not in mapped and str(cell).strip()
        ]
        lines: list[Phrase] = [
            Phrase("mapping.unmatched", headers=quoted(unmatched))
            if unmatched
            else Phrase("mapping.no_unmatched")
        ]
        absent: list[str] = []  # no header is close: one line says to add them all
        for key in missing:
            closest = closest_headers(key, unmatched)
            if not closest:
                absent.append(key)
                continue
            name = _Name(key)
            lines.append(Phrase("mapping.closest", label=name, headers=quoted(closest)))
            lines.append(Phrase("mapping.fix", header=closest[0], label=name, key=key))
        if absent:
            names = Lines([_Name(k, quote=True) for k in absent], sep=None)
            lines.append(Phrase("mapping.fix_add", labels=names, key=absent[0]))
        return Lines(lines)


class _Name(Phrase):
    """A field's own name in the message's language (购买力评分, Purchasing Power); a criterion's header as given."""

    __slots__ = ()

    def __init__(self, key: str, *, quote: bool = False) -> None:
        super().__init__("mapping.parts", key=key, quote=quote)

    def message(self, lang: Lang = "en") -> str:
        key = str(self.fields["key"])
        spec = FIELD_BY_KEY.get(key)
        name = key if spec is None else spec.label(lang)
        return _Quote(name).message(lang) if self.fields["quote"] else name


def settle_by_values(cells: list[Any], candidates: list[str], beside_scores: bool) -> str | None:
    """The one of two ``candidates`` (a 0-100 score and another field) the column's values allow, or None.

    The score, when every number lies within its range, the largest is above half of it (more than any count of
    years), and the column stands beside another score; the other field, when a number lies outside the score's
    range. Text cells are left out; a column without a number settles nothing.
    """
    scores = [k for k in candidates if FIELD_BY_KEY[k].kind is Kind.SCORE]
    others = [k for k in candidates if k not in scores]
    if len(scores) != 1 or len(others) != 1:
        return None
    numbers = _numbers(cells)
    spec = FIELD_BY_KEY[scores[0]]
    low, high = spec.low or 0.0, spec.high or 100.0
    if not numbers:
        return None
    if any(not low <= x <= high for x in numbers):
        return others[0]
    if beside_scores and max(numbers) > high / 2:
        return scores[0]
    return None


def _numbers(cells: list[Any]) -> list[float]:
    numbers: list[float] = []
    for cell in cells:
        if type(cell) in (int, float):
            numbers.append(float(cell))
        elif isinstance(cell, str) and cell.strip():
            try:
                numbers.append(float(cell))
            except ValueError:
                continue
    return numbers
