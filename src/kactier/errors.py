"""Exit codes and workbook-level errors.

Row problems are data (see :mod:`kactier.problems`); everything that stops a run is a :class:`KactierError`
subclass carrying its exit code. The CLI turns them into one line and that code in exactly one place.

An error is raised with a message key (of :mod:`kactier.i18n.errors` or :mod:`kactier.i18n.run_errors`) and its
fields, so it can be shown in the user's language: ``raise InputError("input.missing", path=path)``. ``str(exc)`` is the English message (the Python
API's), ``exc.message("zh")`` the Chinese one. A field may itself be a :class:`Phrase` (a part of a sentence such as
"sheet 'Customers'"), worded in the message's language.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import IntEnum
from typing import Any, cast, get_args

from .i18n import CATALOG, Lang, text


class ExitCode(IntEnum):
    """Process exit statuses (BSD sysexits where one fits)."""

    OK = 0
    USAGE = 2
    DATA = 65  # --strict with invalid rows, or no valid row at all
    NO_INPUT = 66  # input missing or unreadable
    INTERNAL = 70
    CANT_CREATE = 73  # output exists without --force, or its folder is missing
    IO = 74
    TEMPORARY = 75  # locked, or a file still being written
    CONFIG = 78


EXIT_CODE_HELP = (
    "Exit codes: 0 ok · 2 usage · 65 data error (--strict with invalid rows, or no valid row) · "
    "66 input missing or unreadable · 70 internal error · 73 output cannot be created · 74 I/O error · "
    "75 temporary failure · 78 config error."
)


class Phrase:
    """A part of a message (``Phrase("where.sheet", path=path, sheet=name)``), worded in the message's language."""

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields

    def message(self, lang: Lang = "en") -> str:
        """The phrase in ``lang``."""
        return text(self.key, lang, **_worded(self.fields, lang))

    def __str__(self) -> str:
        return self.message("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.fields!r})"


def _worded(fields: Mapping[str, object], lang: Lang) -> dict[str, object]:
    return {
        name: value.message(lang) if isinstance(value, Phrase) else value for name, value in fields.items()
    }


class KactierError(Exception):
    """A problem that stops the run; its message says what is wrong and what to do.

    ``key`` names the message in the i18n catalog and ``fields`` fill it. ``lang`` is the run's language
    when the run got far enough to know it (the pipeline sets it from the input's headers), else None.
    """

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
        self.lang: Lang | None = None

    def message(self, lang: Lang = "en") -> str:
        """The message in ``lang``. A text that is not a key is a message already worded, shown as given."""
        if self.key not in CATALOG:
            return self.key
        return text(self.key, lang, **_worded(self.fields, lang))

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self) -> tuple[Any, ...]:  # so an error crosses a process boundary with its fields
        return (_rebuilt, (type(self), self.key, self.fields, self.lang))


def _rebuilt(cls: type[KactierError], key: str, fields: dict[str, object], lang: Lang | None) -> KactierError:
    error = cls(key, **fields)
    error.lang = lang
    return error


@contextmanager
def spoken_in(lang: Lang) -> Iterator[None]:
    """Errors raised in the block are shown in ``lang`` (the run's language, once the headers have decided it),
    unless one already knows its language."""
    try:
        yield
    except KactierError as exc:
        if exc.lang is None:
            exc.lang = lang
        raise


SPOKEN: tuple[str, ...] = get_args(Lang)  # the languages a message can be shown in


def environment_lang(environ: Mapping[str, str] = os.environ) -> Lang | None:
    """The language the locale asks for (the first of LC_ALL, LC_MESSAGES, LANG that is set), if kactier speaks it:
    ``zh_TW``/``zh_HK``/``zh_MO`` (and ``zh_Hant``) are Traditional Chinese when kactier has it, other ``zh*`` are
    Chinese, ``en*`` English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if not value:
            continue
        lowered = value.replace("-", "_").casefold()
        if not lowered.startswith("zh"):
            return "en" if lowered.startswith("en") else None
        traditional = lowered.startswith(("zh_tw", "zh_hk", "zh_mo", "zh_hant"))
        return "zh-Hant" if traditional and "zh-Hant" in SPOKEN else "zh"
    return None


def error_lang(
    requested: str | None, exc: KactierError | None = None, environ: Mapping[str, str] = os.environ
) -> Lang:
    """The language to show an error in: ``requested`` (``--lang``) when it names a language; else the run's, as
    the input's headers decided it (``exc.lang``); else the locale's; else English."""
    if requested in SPOKEN:
        return cast(Lang, requested)
    return (exc.lang if exc is not None else None) or environment_lang(environ) or "en"


class InputError(KactierError):
    """The input file is missing, unreadable or not a workbook we can read."""

    exit_code = ExitCode.NO_INPUT


class WorkbookError(KactierError):
    """The workbook is readable but its layout cannot be used (no header, required column missing...)."""

    exit_code = ExitCode.DATA


class MappingError(KactierError):
    """A --map option names a header the sheet does not have, or two fields for one header."""

    exit_code = ExitCode.USAGE


class UsageError(KactierError):
    """The command line asks for something the run cannot do (several inputs with ``--orders``...)."""

    exit_code = ExitCode.USAGE


class DataError(KactierError):
    """The rows cannot produce a result (no valid row, or --strict with invalid rows)."""

    exit_code = ExitCode.DATA


class OutputExistsError(KactierError):
    """The output file exists and --force was not given, or its folder is missing."""

    exit_code = ExitCode.CANT_CREATE


class OutputIOError(KactierError):
    """Writing the output failed part-way; the previous file, if any, is untouched."""

    exit_code = ExitCode.IO


class ConfigError(KactierError):
    """The config (TOML file, preset or Config sheet) is invalid."""

    exit_code = ExitCode.CONFIG


class HistoryError(KactierError):
    """The history database cannot be opened, read or written."""

    exit_code = ExitCode.IO


class HistoryBusyError(HistoryError):
    """Another process kept the history database locked for longer than the busy timeout."""

    exit_code = ExitCode.TEMPORARY


class InputChangedError(KactierError):
    """The input changed while it was read: it is probably still being copied or saved."""

    exit_code = ExitCode.TEMPORARY


class BatchLockedError(KactierError):
    """Another batch run holds the output folder's lock."""

    exit_code = ExitCode.TEMPORARY


class TieringError(ValueError):
    """Arguments a tiering rule cannot work with (bad cuts, negative values, mismatched ids...).

    Raised by ranking (:mod:`kactier.scoring.rank`) and the tier methods (:mod:`kactier.tiering`). Not a
    :class:`KactierError`: it means the caller passed what it should have checked (the pipeline reports and excludes
    such rows first).
    """


class WeightError(ValueError):
    """A weighting method cannot produce weights from this input (:mod:`kactier.scoring.weights`).

    ``index`` is the 0-based position of the offending entry when a single entry is to blame (``(j,)`` for a
    manual weight, ``(row, column)`` for a matrix cell), so a caller can name the criterion or customer; the
    message itself counts from 1, as a spreadsheet user does.
    """

    def __init__(self, message: str, *, index: tuple[int, ...] | None = None) -> None:
        super().__init__(message)
        self.index = index
