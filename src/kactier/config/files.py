"""Config files: TOML text loaded and validated into a :class:`~.models.Config`, and a config dumped back as TOML.

``--config FILE`` and the shipped presets use the same format. Every problem becomes a :class:`ConfigError` naming
the file and, for each problem, a sentence: where it is (criterion 1, tier 2, the [tiers] table: counted from 1, as
in the file), the key, and what is wrong; an unknown key gets the nearest key that place accepts (rapidfuzz).
"""

from __future__ import annotations

import tomllib
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from rapidfuzz import fuzz, process

from ..errors import ConfigError, Phrase
from ..i18n import Lang, is_chinese
from .models import Config

_NEAR_KEY = 70  # rapidfuzz ratio: below this no key is offered as "did you mean"
_LISTS = {"criteria": "cli.config.where_criterion", "levels": "cli.config.where_tier"}
_EXPECTED = {
    "float_parsing": "cli.config.expect_number",
    "float_type": "cli.config.expect_number",
    "int_parsing": "cli.config.expect_integer",
    "int_type": "cli.config.expect_integer",
    "int_from_float": "cli.config.expect_integer",
    "bool_parsing": "cli.config.expect_bool",
    "bool_type": "cli.config.expect_bool",
    "string_type": "cli.config.expect_text",
    "list_type": "cli.config.expect_list",
    "dict_type": "cli.config.expect_table",
    "model_type": "cli.config.expect_table",
    "model_attributes_type": "cli.config.expect_table",
}
_LIMITS = {
    "greater_than_equal": ("cli.config.at_least", "ge"),
    "greater_than": ("cli.config.at_least", "gt"),
    "less_than_equal": ("cli.config.at_most", "le"),
    "less_than": ("cli.config.at_most", "lt"),
    "too_short": ("cli.config.too_few", "min_length"),
    "too_long": ("cli.config.too_many", "max_length"),
}


def config_toml(config: Config, source: str) -> str:
    """The effective config as TOML, defaults filled in (``kactier config show``)."""
    data = config.model_dump(mode="json", exclude_none=True)
    tiers = data["tiers"]
    if config.tiers.method == "pareto":
        tiers["cuts"] = config.tiers.effective_cuts()
    if config.tiers.method == "quantile":
        tiers["shares"] = config.tiers.effective_shares()
    if not config.tiers.uses_value:
        tiers.pop("value", None)
    if not config.columns:
        data.pop("columns", None)
    return f"# effective kactier config, from {source}\n" + tomli_w.dumps(data)


def load_config_file(path: Path) -> Config:
    """Load a TOML config file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("cli.config.not_found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("cli.config.unreadable", path=path, reason=exc) from None
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str) -> Config:
    """Parse and validate config TOML; errors name ``source``, the key and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("cli.config.not_toml", source=source, reason=exc) from None
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str) -> Config:
    """Validate a config mapping; errors name ``source``, the key and the problem."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("cli.config.problems", source=source, problems=config_problems(exc)) from None


class Problems(Phrase):
    """Several problems of one config as one part of a message, each a sentence, in the message's language."""

    def __init__(self, problems: Sequence[Phrase]) -> None:
        super().__init__("cli.config.problems")
        self.problems = list(problems)

    def message(self, lang: Lang = "en") -> str:
        """Every problem in ``lang``, one after the other."""
        return ("；" if is_chinese(lang) else "; ").join(p.message(lang) for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problems, (self.problems,))


def config_problems(exc: ValidationError) -> Problems:
    """Each problem pydantic found, as a sentence (a union's alternatives said once)."""
    seen: set[tuple[Any, ...]] = set()
    problems = []
    for err in exc.errors():
        place = _place(err["loc"])
        if place.loc in seen:
            continue
        seen.add(place.loc)
        problems.append(_sentence(err, place))
    return Problems(problems)


def format_validation_error(exc: ValidationError, lang: Lang = "en") -> str:
    """Every problem of ``exc`` as sentences in ``lang`` (``criterion 1 has an unknown key 'wieght'; did you mean
    'weight'?``)."""
    return config_problems(exc).message(lang)


class _Place:
    """Where a problem is: a phrase for the place, the key (None for the place as a whole) and the model that
    holds the key, and the location pydantic gave, cut before a union's alternative."""

    def __init__(self) -> None:
        self.where = Phrase("cli.config.where_top")
        self.key: str | None = None
        self.holder: type[BaseModel] | None = Config
        self.loc: tuple[Any, ...] = ()
        self.tables: list[str] = []  # the keys of the tables entered: [tiers.capacity], [segments.cells #1]


def _place(loc: Sequence[int | str]) -> _Place:
    place = _Place()
    model: type[BaseModel] | None = Config
    for segment in loc:
        if isinstance(segment, int):
            _enter_item(place, segment)
        elif model is not None:  # a key of the model here (or one it does not know: extra_forbidden)
            if place.key is not None:
                place.tables.append(place.key)
                place.where = Phrase("cli.config.where_table", table=".".join(place.tables))
            place.key, place.holder = segment, model
            known = model.model_fields.get(segment)
            model = _model_in(known.annotation) if known is not None else None
        else:
            break  # the name of a union's alternative ("str", "dict[...]"): not a key
        place.loc = (*place.loc, segment)
    return place


def _enter_item(place: _Place, index: int) -> None:
    """Step into entry ``index`` of the list at ``place.key``: criterion 3, tier 2, or "bins #2"."""
    if place.key in _LISTS:
        place.where = Phrase(_LISTS[place.key], n=index + 1)
        place.key = None
    elif place.key is not None:
        place.key = f"{place.key} #{index + 1}"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds (itself, in a list, or optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _sentence(err: ErrorDetails, place: _Place) -> Phrase:
    kind = err["type"]
    builder = _BUILDERS.get(kind)
    if builder is not None:
        return builder(err, place)
    if kind in _EXPECTED and place.key is not None:
        expected = Phrase(_EXPECTED[kind])
        return Phrase(
            "cli.config.wrong_type", where=place.where, key=place.key, expected=expected, value=_shown(err)
        )
    if kind in _LIMITS and place.key is not None:
        key, bound = _LIMITS[kind]
        limit = (err.get("ctx") or {}).get(bound)
        return Phrase(key, where=place.where, key=place.key, limit=limit, value=_shown(err))
    message = err["msg"].removeprefix("Value error, ")
    if place.key is None:
        return Phrase("cli.config.rule", where=place.where, message=message)
    return Phrase("cli.config.rule_key", where=place.where, key=place.key, message=message)


def _unknown_key(err: ErrorDetails, place: _Place) -> Phrase:
    key = str(err["loc"][-1])
    names = list(place.holder.model_fields) if place.holder is not None else []
    best = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=_NEAR_KEY) if names else None
    if best is None:
        return Phrase("cli.config.unknown_key", where=place.where, key=key)
    return Phrase("cli.config.unknown_key_near", where=place.where, key=key, suggestion=best[0])


def _missing(err: ErrorDetails, place: _Place) -> Phrase:
    return Phrase("cli.config.missing", where=place.where, key=str(err["loc"][-1]))


def _choice(err: ErrorDetails, place: _Place) -> Phrase:
    expected = str((err.get("ctx") or {}).get("expected", "")).replace(" or ", ", ")
    return Phrase("cli.config.choice", where=place.where, key=place.key, choices=expected, value=_shown(err))


def _shown(err: ErrorDetails) -> str:
    value = err.get("input")
    return (
        repr(value)
        if not isinstance(value, (dict, list)) or len(repr(value)) <= 40
        else repr(value)[:40] + "…"
    )


_BUILDERS: dict[str, Callable[[ErrorDetails, _Place], Phrase]] = {
    "extra_forbidden": _unknown_key,
    "missing": _missing,
    "literal_error": _choice,
}
