"""Every label and message kactier shows, in Chinese and English, through one mechanism.

A text has a key and one wording per language; :func:`text` picks the wording and fills its ``{fields}``. The
wordings are data, one table per area: :mod:`.labels` (added columns, sheets and settings), :mod:`.issues` (row
problems and what was done about them), :mod:`.config_sheet` (the Config sheet's help), :mod:`.template`
(template notes) and :mod:`.terminal` (what the terminal shows). A text the user gives per language in a config
(``{zh = "...", en = "..."}``) is picked by :func:`localized`.

Chinese comes in two scripts. The tables hold Simplified Chinese (``zh``); Traditional Chinese (``zh-Hant``) is made
from it with OpenCC (``s2tw``), never typed a second time. OpenCC is imported only when a Traditional text is
needed, so a run on Simplified or English input does not pay for it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from .aggregation import AGGREGATION
from .cli import CLI
from .config_sheet import CONFIG_SHEET
from .errors import ERRORS
from .explain import EXPLAIN
from .groups import GROUPS
from .headers import HEADERS
from .issues import ISSUES
from .labels import LABELS
from .prediction import PREDICTION
from .run_errors import RUN_ERRORS
from .segments import SEGMENTS
from .split import SPLIT
from .template import TEMPLATE
from .terminal import TERMINAL
from .trends import TRENDS

Lang = Literal["zh", "zh-Hant", "en"]
LANGS: tuple[Lang, Lang] = ("zh", "en")  # the languages the tables are written in (readers accept either)
Text = str | dict[Lang, str]  # a text given once, or per language
# OpenCC: Simplified to Traditional characters as Taiwan writes them (为 → 為), character for character: unlike s2twp
# it swaps no phrases (数据 stays 數據), so t2s reads every label back and a Traditional Config sheet round-trips.
TO_TRADITIONAL = "s2tw"


def _merge(*tables: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for table in tables:
        repeated = catalog.keys() & table.keys()
        if repeated:
            raise RuntimeError(f"text keys defined twice: {sorted(repeated)}")  # a programming error
        catalog.update(table)
    return catalog


CATALOG = _merge(
    LABELS,
    ISSUES,
    CONFIG_SHEET,
    TEMPLATE,
    HEADERS,
    TERMINAL,
    ERRORS,
    RUN_ERRORS,
    CLI,
    GROUPS,
    SPLIT,
    EXPLAIN,
    SEGMENTS,
    PREDICTION,
    AGGREGATION,
    TRENDS,
)


def is_chinese(lang: str) -> bool:
    """True for either Chinese script (``zh``, ``zh-Hant``)."""
    return lang in ("zh", "zh-Hant")


def text(key: str, lang: Lang, /, **fields: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` placeholders filled from ``fields``.

    Fields are filled in after the script conversion: they are data (headers, values, paths) and stay as given.
    """
    wording = _traditional_wording(key) if lang == "zh-Hant" else CATALOG[key][0 if lang == "zh" else 1]
    return wording.format(**fields) if fields else wording


@functools.cache
def _traditional_wording(key: str) -> str:
    return traditional(CATALOG[key][0])


def wordings(key: str) -> tuple[str, str]:
    """Both wordings of ``key``, Chinese first: for readers that accept a label in either language."""
    return CATALOG[key]


def localized(value: Text, lang: str) -> str:
    """Pick ``value`` in ``lang`` when it is given per language, falling back to the other language.

    A Chinese text shown in Traditional Chinese is converted (a text already in Traditional stays as it is)."""
    if isinstance(value, str):
        return value
    chinese = is_chinese(lang)
    picked = value.get("zh" if chinese else "en") or next(iter(value.values()), "")
    return traditional(picked) if lang == "zh-Hant" else picked


def join(items: Iterable[str], lang: str) -> str:
    """A list in running text: 、 between Chinese items, a comma between English ones."""
    return ("、" if is_chinese(lang) else ", ").join(items)


def traditional(wording: str) -> str:
    """``wording`` (Simplified Chinese) in Traditional Chinese, by OpenCC."""
    return _converter(TO_TRADITIONAL).convert(wording) if wording else wording


def simplified(value: str) -> str:
    """``value`` with Traditional characters in Simplified (by OpenCC); text without any comes back unchanged,
    and without loading OpenCC."""
    return _converter("t2s").convert(value) if _maybe_traditional(value) else value


def is_traditional(values: Iterable[Any]) -> bool:
    """True when a text among ``values`` has a character OpenCC writes otherwise in Simplified Chinese."""
    candidates = [v for v in values if isinstance(v, str) and _maybe_traditional(v)]
    if not candidates:
        return False
    to_simplified = _converter("t2s")
    return any(to_simplified.convert(v) != v for v in candidates)


def _maybe_traditional(value: str) -> bool:
    """A cheap test before OpenCC: the characters Simplified Chinese writes differently from Traditional are in
    GB 2312, the Traditional forms are not; so a text whose ideographs GB 2312 all encodes is left alone."""
    if value.isascii():
        return False
    for ch in value:
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                return True
    return False


@functools.cache
def _converter(config: str) -> Any:  # opencc.OpenCC; the package ships no types
    import opencc  # imported here, once: its load costs start-up time only where a script is converted

    return opencc.OpenCC(config)


class Note(str):
    """A note of a run (what it assumed or decided), or an issue's detail: the English wording as the string itself
    (``--json``'s ``warnings``, logs), with the key and fields that show it in another language (:func:`note_text`)."""

    key: str
    fields: dict[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Note:
        made = super().__new__(cls, text(key, "en", **fields))
        made.key, made.fields = key, fields
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle make it again from its key and fields
        return _remade_note, (self.key, self.fields)


def _remade_note(key: str, fields: dict[str, object]) -> Note:
    return Note(key, **fields)


def note_text(note: str, lang: Lang) -> str:
    """A run note in ``lang``: a :class:`Note` is worded again (and so is each field that is a Note); any other
    text is shown as it is."""
    if not isinstance(note, Note):
        return note
    fields = {name: note_text(v, lang) if isinstance(v, Note) else v for name, v in note.fields.items()}
    return text(note.key, lang, **fields)
