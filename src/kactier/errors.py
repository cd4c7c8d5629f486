"""Exit codes and workbook-level errors.

Row problems are data (see :mod:`kactier.problems`); everything that stops a run is a :class:`KactierError`
subclass carrying its exit code. The CLI turns them into one line and that code in exactly one place.
"""

from __future__ import annotations

from enum import IntEnum


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


class KactierError(Exception):
    """A problem that stops the run; its message says what is wrong and what to do."""

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(KactierError):
    """The input file is missing, unreadable or not a workbook we can read."""

    exit_code = ExitCode.NO_INPUT


class WorkbookError(KactierError):
    """The workbook is readable but its layout cannot be used (no header, required column missing...)."""

    exit_code = ExitCode.DATA


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
