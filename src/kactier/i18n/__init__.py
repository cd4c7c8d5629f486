"""Every label and message kactier shows, in Chinese and English, through one mechanism.

A text has a key and one wording per language; :func:`text` picks the wording and fills its ``{fields}``. The
wordings are data, one table per area: :mod:`.labels` (added columns, sheets and settings), :mod:`.issues` (row
problems and what was done about them), :mod:`.config_sheet` (the Config sheet's help) and :mod:`.template`
(template notes). A text the user gives per language in a config (``{zh = "...", en = "..."}``) is picked by
:func:`localized`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .cli import CLI
from .config_sheet import CONFIG_SHEET
from .errors import ERRORS
from .headers import HEADERS
from .issues import ISSUES
from .labels import LABELS
from .template import TEMPLATE
from .terminal import TERMINAL

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, Lang] = ("zh", "en")
Text = str | dict[Lang, str]  # a text given once, or per language


def _merge(*tables: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for table in tables:
        repeated = catalog.keys() & table.keys()
        if repeated:
            raise RuntimeError(f"text keys defined twice: {sorted(repeated)}")  # a programming error
        catalog.update(table)
    return catalog


CATALOG = _merge(LABELS, ISSUES, CONFIG_SHEET, TEMPLATE, HEADERS, TERMINAL, ERRORS, CLI)


def text(key: str, lang: Lang, /, **fields: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` placeholders filled from ``fields``."""
    zh, en = CATALOG[key]
    wording = zh if lang == "zh" else en
    return wording.format(**fields) if fields else wording


def wordings(key: str) -> tuple[str, str]:
    """Both wordings of ``key``, Chinese first: for readers that accept a label in either language."""
    return CATALOG[key]


def localized(value: Text, lang: str) -> str:
    """Pick ``value`` in ``lang`` when it is given per language, falling back to the other language."""
    if isinstance(value, str):
        return value
    return value.get("zh" if lang == "zh" else "en") or next(iter(value.values()), "")
