"""Writing the graded workbook with XlsxWriter: open it, add each sheet in order, close it atomically.

Sheets, in order: the customer data (:mod:`.data_sheet`), Summary (:mod:`.summary_sheet`), Changes (with a previous
run) and Issues (:mod:`.listing`), Config (:mod:`kactier.config.sheet_writer`), then the report's extra sheets
(Orders). Text is never turned into formulas, links or numbers (strings_to_formulas, strings_to_urls and
strings_to_numbers are off). The file is written to a temporary name beside the output, flushed to disk and renamed
(:mod:`.output`), so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..config.sheet_writer import write_config_sheet, write_mapping_section
from ..errors import OutputIOError
from ..i18n import text
from ..read.crypto import encrypt_file
from ..scoring.weights import ahp_weights
from ..tiering.computed_abc import limit_text
from ..version import __version__
from .bulk import FAST_LEVEL, SMALL_LEVEL, add_bulk_worksheet, deflate_level
from .context import SheetContext, sheet_context
from .data_sheet import write_data_sheet
from .listing import write_changes_sheet, write_issues_sheet
from .model import Report
from .output import atomic_output
from .rows_file import write_rows_file
from .summary_data import summarize
from .summary_sheet import write_summary

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


def write_report(
    path: Path, report: Report, *, force: bool, password: str | None = None, smaller: bool = False
) -> None:
    """Write ``report`` to ``path`` atomically; an existing file is replaced only with ``force``. With
    ``password`` the workbook is encrypted (as Excel's "Encrypt with Password") before it takes its name. The
    package is zipped fast (deflate level 1), or harder with ``smaller`` (level 6: a quarter smaller, slower)."""
    # XlsxWriter assembles each sheet's XML in a file of its own before zipping: in a folder of ours, so that an
    # interrupted run (Ctrl-C) leaves none of them behind. The temporary folder is looked up first: Python probes
    # it with a file of its own the first time, which Ctrl-C could otherwise leave behind once the output exists.
    tempfile.gettempdir()
    with _parts_folder() as parts, atomic_output(path, force=force) as temporary:
        book = xlsxwriter.Workbook(str(temporary), {**_WORKBOOK_OPTIONS, "tmpdir": parts})
        book.set_properties(_properties(report))
        _write_sheets(book, report)
        try:
            with deflate_level(SMALL_LEVEL if smaller else FAST_LEVEL):
                book.close()
        except (OSError, FileCreateError) as exc:  # XlsxWriter wraps the OSError of its own writes
            cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
            reason = getattr(cause, "strerror", None) or cause
            raise OutputIOError("output.close_failed", path=path, reason=reason) from None
        if password:
            encrypt_file(temporary, password)


def _parts_folder() -> tempfile.TemporaryDirectory[str]:
    """The folder XlsxWriter writes the parts in, made before the output's temporary file and with Ctrl-C held
    off until it is registered for removal: an interrupt can land anywhere but inside that step."""
    held = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if not held:
        return tempfile.TemporaryDirectory(prefix="kactier-")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        return tempfile.TemporaryDirectory(prefix="kactier-")
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _write_sheets(book: Workbook, report: Report) -> None:
    """Every sheet of ``report``, in order."""
    context = sheet_context(book, report)
    names = iter(_sheet_names(report))  # in sheet order; Changes only with a previous run
    if report.rows_file is None:
        write_data_sheet(context, add_bulk_worksheet(book, next(names)))
    else:
        next(names)
        write_rows_file(report, report.rows_file)
    write_summary(book, book.add_worksheet(next(names)), summarize(report))
    if report.changes is not None:
        write_changes_sheet(context, book.add_worksheet(next(names)), report.changes)
    write_issues_sheet(context, book.add_worksheet(next(names)))
    _config_sheet(context, book.add_worksheet(next(names)))
    for add_sheet in report.extra_sheets:
        add_sheet(book)


def _sheet_names(report: Report) -> list[str]:
    keys = ["sheet_summary", "sheet_changes", "sheet_issues", "sheet_config"]
    if report.changes is None:
        keys.remove("sheet_changes")
    lang = report.table.lang
    fixed = [text(key, lang) for key in keys]
    data = report.table.raw.sheet[:31]
    if data.casefold() in {f.casefold() for f in fixed}:
        data = (data[:28] + " (1)")[:31]
    return [data, *fixed]


def _config_sheet(context: SheetContext, sheet: Worksheet) -> None:
    """The effective config in the layout `kactier score` reads back (configsheet), then the run's provenance."""
    report = context.report
    row = write_config_sheet(
        context.book,
        sheet,
        report.config,
        context.lang,
        weights_used=report.scores.weights,
        run_facts=[*report.config_facts, *_method_facts(report)],
    )
    mappings = [(m.header, m.field, m.match.value) for m in report.table.mappings]
    write_mapping_section(context.book, sheet, context.lang, row + 1, mappings)


def _method_facts(report: Report) -> list[tuple[str, Any]]:
    """What the run computed beyond the config (ABC limits, AHP consistency), for the Config sheet's Run rows."""
    config, grades = report.config, report.grades
    facts: list[tuple[str, Any]] = []
    if grades.limits:
        facts.append(("abc_limits", ", ".join(limit_text(x) for x in grades.limits)))
    if config.ahp is not None:
        ahp = ahp_weights(np.asarray(config.ahp.matrix, dtype=float))
        facts += [("ahp_lambda_max", ahp.lambda_max), ("ahp_cr", ahp.cr)]
    return facts


def _properties(report: Report) -> dict[str, Any]:
    """Document properties: the run time lives here, never in a cell, so re-runs give the same cells."""
    properties: dict[str, Any] = {
        "title": text("summary_title", report.table.lang),
        "subject": report.table.raw.path.name,
        "comments": f"kactier {__version__}",
    }
    if report.run_time is not None:
        properties["created"] = report.run_time.astimezone(dt.UTC)  # XlsxWriter writes it as UTC ("Z")
        properties["comments"] += f", run {report.run_time.isoformat(timespec='seconds')}"
    return properties
