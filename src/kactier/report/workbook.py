"""Writing the graded workbook with XlsxWriter.

The data sheet holds every input column, in order, with its values as read (text stays text, even when it looks like
a formula: strings_to_formulas, strings_to_urls and strings_to_numbers are off and text is written with
``write_string``), then the added columns. Formats are created once per workbook, never per cell. The file is
written to a temporary name beside the output, flushed to disk and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..config.models import Config
from ..config.sheet import write_config_sheet
from ..errors import OutputExistsError, OutputIOError
from ..excel import date_serial
from ..fields import FIELD_BY_KEY, Kind
from ..history.store import Change, TierChanges
from ..i18n import Lang, localized, text
from ..problems import RowIssue
from ..read.crypto import encrypt_file
from ..scoring.engine import Scores
from ..scoring.weights import ahp_weights
from ..tiering.grade import Grades
from ..validate.rows import CustomerTable
from ..version import __version__
from .bulk import BodyColumn, BulkWorksheet, RowsColumn
from .summary import Kpi, summarize, write_summary

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
_MAX_WIDTH = 48
_WIDTH_SAMPLE = 200


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the workbook shows."""

    table: CustomerTable
    scores: Scores
    grades: Grades
    config: Config
    facts: Sequence[tuple[str, Any]]  # (label key, value) for the Summary's run section
    config_facts: Sequence[tuple[str, Any]]  # (label key, value) for the Config sheet's provenance rows
    changes: TierChanges | None = None  # against the previous run, when there is history
    extra_kpis: Sequence[Kpi] = ()  # more key-indicator rows for the Summary, labels in the report's language
    run_time: dt.datetime | None = None  # in the document properties only, so re-runs give the same cells
    extra_sheets: Sequence[Callable[[Workbook], None]] = ()  # each adds its sheet after the others (订单明细)

    @property
    def issues(self) -> list[RowIssue]:
        """Every row problem, from reading, validation and scoring."""
        return [*self.table.issues, *self.scores.issues, *self.grades.issues]


def write_report(path: Path, report: Report, *, force: bool, password: str | None = None) -> None:
    """Write ``report`` to ``path`` atomically; an existing file is replaced only with ``force``. With
    ``password`` the workbook is encrypted (as Excel's "Encrypt with Password") before it takes its name."""
    # XlsxWriter assembles each sheet's XML in a file of its own before zipping: in a folder of ours, so that an
    # interrupted run (Ctrl-C) leaves none of them behind.
    with (
        atomic_output(path, force=force) as temporary,
        tempfile.TemporaryDirectory(prefix="kactier-") as parts,
    ):
        book = xlsxwriter.Workbook(str(temporary), {**_WORKBOOK_OPTIONS, "tmpdir": parts})
        book.set_properties(_properties(report))
        _Writer(book, report).write()
        try:
            book.close()
        except (OSError, FileCreateError) as exc:  # XlsxWriter wraps the OSError of its own writes
            cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
            reason = getattr(cause, "strerror", None) or cause
            raise OutputIOError(
                f"{path}: cannot write ({reason}); check the disk and permissions; the previous file is untouched"
            ) from None
        if password:
            encrypt_file(temporary, password)


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success fsync it and rename it over ``path``."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputExistsError(f"{path}: the folder {folder} does not exist; create it or choose another -o")
    if path.exists() and not force:
        raise OutputExistsError(
            f"{path}: already exists; use --force to replace it or -o to choose another name"
        )
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputExistsError(f"{path}: cannot create a file in {folder} ({exc.strerror})") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        # mkstemp makes the file private (0600); give it the mode any new file of this user gets
        os.chmod(temporary, _new_file_mode())
        if path.exists() and not force:
            raise OutputExistsError(f"{path}: appeared while writing; use --force to replace it")
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputIOError(
            f"{path}: cannot write ({exc.strerror or exc}); the previous file is untouched"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _new_file_mode() -> int:
    """0666 less the process umask, as ``open()`` would create a file."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_file(path: Path, content: str, *, force: bool) -> None:
    """Write a text file atomically; an existing file is replaced only with ``force``."""
    with atomic_output(path, force=force) as temporary:
        temporary.write_text(content, encoding="utf-8")


class _Writer:
    """One workbook's sheets and formats."""

    def __init__(self, book: Workbook, report: Report) -> None:
        self.book = book
        self.report = report
        self.lang: Lang = report.table.lang
        add = book.add_format
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.date = add({"num_format": "yyyy-mm-dd"})
        self.datetime = add({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time = add({"num_format": "hh:mm:ss"})
        self.type_formats = {
            dt.date: self.date,
            dt.datetime: self.datetime,
            dt.time: self.time,
            dt.timedelta: self.time,
        }
        decimals = report.config.score_decimals
        self.score = add({"num_format": "0." + "0" * decimals if decimals else "0"})
        self.percent = add({"num_format": "0.0%"})
        self.mean = add({"num_format": "0.00"})
        self.tier_formats = [
            add({"bg_color": level.color, "bold": True, "align": "center", "border": 1})
            for level in report.config.tiers.levels
        ]
        self.ungraded = add({"font_color": "#808080", "italic": True, "align": "center"})

    def write(self) -> None:
        names = iter(self._sheet_names())  # in sheet order; Changes only with a previous run
        self._data_sheet(self.book.add_worksheet(next(names), worksheet_class=BulkWorksheet))
        write_summary(self.book, self.book.add_worksheet(next(names)), summarize(self.report))
        if self.report.changes is not None:
            self._changes_sheet(self.book.add_worksheet(next(names)), self.report.changes)
        self._issues_sheet(self.book.add_worksheet(next(names)))
        self._config_sheet(self.book.add_worksheet(next(names)))
        for add_sheet in self.report.extra_sheets:
            add_sheet(self.book)

    def _sheet_names(self) -> list[str]:
        keys = ["sheet_summary", "sheet_changes", "sheet_issues", "sheet_config"]
        if self.report.changes is None:
            keys.remove("sheet_changes")
        fixed = [text(key, self.lang) for key in keys]
        data = self.report.table.raw.sheet[:31]
        if data.casefold() in {f.casefold() for f in fixed}:
            data = (data[:28] + " (1)")[:31]
        return [data, *fixed]

    # -- data sheet ---------------------------------------------------------------------------------------------

    def _data_sheet(self, sheet: BulkWorksheet) -> None:
        report, lang = self.report, self.lang
        table, grades = report.table, report.grades
        levels = report.config.tiers.levels
        shown_points = [c for c in report.config.criteria if c.normalize != "score" or c.direction == "lower"]
        added = [
            f"{c.display(lang)}{'' if lang == 'zh' else ' '}{text('points_suffix', lang)}"
            for c in shown_points
        ]
        keys = (
            "score",
            "rank",
            "percentile",
            "tier",
            "tier_mark",
            "action",
            "next_follow_up",
        )
        history_keys = ("previous_tier", "tier_change") if report.changes is not None else ()
        added += [text(k, lang) for k in (*keys, *history_keys)]
        added = _distinct(added, table.column_names)
        headers = [*table.column_names, *added]
        first = len(table.column_names) + len(shown_points)  # the score column
        rows = table.raw.rows
        labels = [level.label for level in levels]
        actions = [localized(level.action, lang) for level in levels]
        tiers = grades.tier.tolist()
        graded = [level >= 0 for level in tiers]

        def when_graded(values: Sequence[Any]) -> list[Any]:
            return [v if g else None for v, g in zip(values, graded, strict=True)]

        # Whole columns, written by BulkWorksheet when the file is assembled (see sheet_rows): input cells keep
        # their type, dates their format; ungraded rows get only the tier and action cells.
        body = [
            BodyColumn(column, RowsColumn(rows, table.row_indexes, column), type_formats=self.type_formats)
            for column in range(len(table.column_names))
        ]
        for offset, criterion in enumerate(shown_points, start=first - len(shown_points)):
            body.append(
                BodyColumn(offset, when_graded(report.scores.points[criterion.key].tolist()), self.mean)
            )
        percentile = (report.scores.percentile / 100.0).tolist()
        # Excel date serials computed once: cheaper than a date conversion per cell.
        follow_ups = [None if d is None else date_serial(d) for d in grades.follow_up]
        not_graded, see_issues = text("not_graded", lang), text("see_issues", lang)
        body += [
            BodyColumn(first, when_graded(report.scores.score.tolist()), self.score),
            BodyColumn(first + 1, when_graded(report.scores.rank.tolist())),
            BodyColumn(first + 2, when_graded(percentile), self.percent),
            BodyColumn(
                first + 3,
                [labels[t] if t >= 0 else not_graded for t in tiers],
                [self.tier_formats[t] if t >= 0 else self.ungraded for t in tiers],
            ),
            BodyColumn(first + 4, when_graded(self._tier_marks())),
            BodyColumn(first + 5, [actions[t] if t >= 0 else see_issues for t in tiers]),
            BodyColumn(first + 6, when_graded(follow_ups), self.date),
        ]
        history = self._history_cells()
        if history is not None:
            before, moved = history
            body.append(
                BodyColumn(
                    first + 7,
                    [labels[b] if b >= 0 else None for b in before],
                    [self.tier_formats[b] if b >= 0 else None for b in before],
                )
            )
            body.append(BodyColumn(first + 8, [m[0] for m in moved], [m[1] for m in moved]))
        sheet.set_body(1, len(table.row_indexes), body)
        sheet.add_body_table(
            0,
            0,
            max(len(table.row_indexes), 1),
            len(headers) - 1,
            {
                "name": "Customers",
                "style": "Table Style Light 9",
                "columns": [{"header": h, "header_format": self.header} for h in headers],
            },
        )
        id_column = table.field_columns["customer_id"]
        sheet.freeze_panes(1, id_column + 1 if id_column < 3 else 0)
        sample = [rows[i] for i in table.row_indexes[:_WIDTH_SAMPLE]]
        money = self._money_columns()
        for column, header in enumerate(table.column_names):
            width = _width([header, *(r[column] for r in sample)])
            sheet.set_column(column, column, width, money.get(column))
        for column, header in enumerate(added, start=len(table.column_names)):
            values = actions if column == first + 5 else []
            sheet.set_column(column, column, _width([header, "2026-01-01", *values]))
        self._data_sheet_layout(sheet, first, len(table.row_indexes))

    def _history_cells(self) -> tuple[list[int], list[tuple[str, Any]]] | None:
        """Per row: the previous tier index, and the change label with its format (None without history)."""
        changes = self.report.changes
        if changes is None:
            return None
        formats = {
            Change.UP: self.book.add_format({"font_color": "#006100", "bold": True}),
            Change.DOWN: self.book.add_format({"font_color": "#9C0006", "bold": True}),
            Change.NEW: self.book.add_format({"font_color": "#1F4E78"}),
        }
        labels = {change: text(f"change_{change.value}", self.lang) for change in Change}
        cells = [("", None) if c is None else (labels[c], formats.get(c)) for c in changes.change]
        return changes.previous_tier, cells

    def _money_columns(self) -> dict[int, Any]:
        """Input columns holding money, by column index, with a thousands-separated number format."""
        money_format = self.book.add_format({"num_format": "#,##0.00"})
        kinds = (Kind.MONEY, Kind.SIGNED_MONEY)
        return {
            column: money_format
            for key, column in self.report.table.field_columns.items()
            if key in FIELD_BY_KEY and FIELD_BY_KEY[key].kind in kinds
        }

    def _data_sheet_layout(self, sheet: Worksheet, score_column: int, rows: int) -> None:
        """A data bar on the score (0–100) and a print setup: landscape, one page wide, header row repeated."""
        if rows:
            sheet.conditional_format(
                1,
                score_column,
                rows,
                score_column,
                {
                    "type": "data_bar",
                    "bar_color": "#5B9BD5",
                    "data_bar_2010": False,  # the 2007 form: every reader (openpyxl, LibreOffice) knows it
                    "min_type": "num",
                    "min_value": 0,
                    "max_type": "num",
                    "max_value": 100,
                },
            )
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        sheet.set_footer("&L&A&R&P / &N")

    def _tier_marks(self) -> list[str]:
        """暂定 / Provisional and 人工调整 / Override marks per row."""
        grades, lang = self.report.grades, self.lang
        provisional, override = text("provisional", lang), text("override", lang)
        joiner = "、" if lang == "zh" else ", "
        marks = [
            "",
            provisional,
            override,
            joiner.join((override, provisional)),
        ]  # by override * 2 + provisional
        codes = grades.overridden.astype(np.int64) * 2 + grades.provisional.astype(np.int64)
        return [marks[code] for code in codes.tolist()]

    def _cell_writer(self, sheet: Worksheet) -> Callable[[int, int, Any], Any]:
        """A writer that keeps each value's type: text as text, numbers as numbers, dates as dates."""
        write_string, write_number = sheet.write_string, sheet.write_number
        write_boolean, write_datetime = sheet.write_boolean, sheet.write_datetime
        date_format, datetime_format, time_format = self.date, self.datetime, self.time

        def write(row: int, column: int, value: Any) -> Any:
            kind = type(value)
            if kind is str:
                return write_string(row, column, value)
            if kind is float or kind is int:
                return write_number(row, column, value)
            if kind is bool:
                return write_boolean(row, column, value)
            if kind is dt.datetime:
                return write_datetime(row, column, value, datetime_format)
            if kind is dt.date:
                return write_datetime(row, column, value, date_format)
            if kind is dt.time or kind is dt.timedelta:
                return write_datetime(row, column, value, time_format)
            if isinstance(value, int | float):  # numpy scalars
                return write_number(row, column, float(value))
            return write_string(row, column, str(value))

        return write

    # -- changes ------------------------------------------------------------------------------------------------

    def _changes_sheet(self, sheet: Worksheet, changes: TierChanges) -> None:
        """变动 / Changes: every customer up, down, new, not graded now or gone since the previous run."""
        lang, table = self.lang, self.report.table
        labels = [level.label for level in self.report.config.tiers.levels]
        names = [table.column_names[table.field_columns[key]] for key in ("customer_id", "customer_name")]
        keys = ("tier_change", "previous_tier", "tier", "previous_score", "score", "score_change")
        headers = [*names, *(text(k, lang) for k in keys)]
        for row, change in enumerate(changes.rows, start=1):
            sheet.write_string(row, 0, change.customer_id)
            if change.customer_name:
                sheet.write_string(row, 1, change.customer_name)
            sheet.write_string(row, 2, text(f"change_{change.change.value}", lang))
            for column, level in ((3, change.previous_tier), (4, change.tier)):
                if level >= 0:
                    sheet.write_string(row, column, labels[level], self.tier_formats[level])
            for column, value in ((5, change.previous_score), (6, change.score)):
                if value is not None:
                    sheet.write_number(row, column, value, self.score)
            if change.previous_score is not None and change.score is not None:
                sheet.write_number(row, 7, change.score - change.previous_score, self.score)
        self._listing(sheet, headers, len(changes.rows), ("Changes", "Table Style Light 11", "no_changes"), 1)
        for column, width in enumerate((14, 28, 14, 12, 12, 12, 12, 12)):
            sheet.set_column(column, column, width)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)

    # -- issues -------------------------------------------------------------------------------------------------

    def _issues_sheet(self, sheet: Worksheet) -> None:
        lang = self.lang
        issues: list[RowIssue] = sorted(self.report.issues, key=lambda i: (i.row or 0, i.column or ""))
        headers = [text(k, lang) for k in ("row", "column", "value", "code", "message", "taken")]
        write_cell = self._cell_writer(sheet)
        for row, issue in enumerate(issues, start=1):
            if issue.row is not None:
                sheet.write_number(row, 0, issue.row)
            if issue.column is not None:
                sheet.write_string(row, 1, issue.column)
            if issue.value is not None and issue.value != "":
                write_cell(row, 2, issue.value)
            sheet.write_string(row, 3, issue.code.value)
            sheet.write_string(row, 4, issue.message(lang))
            sheet.write_string(row, 5, issue.action_text(lang))
        self._listing(sheet, headers, len(issues), ("Issues", "Table Style Light 15", "no_issues"), 0)
        for column, width in enumerate((8, 18, 24, 24, 60, 22)):
            sheet.set_column(column, column, width)

    def _listing(
        self,
        sheet: Worksheet,
        headers: list[str],
        rows: int,
        table: tuple[str, str, str],
        frozen_columns: int,
    ) -> None:
        """An Excel table over the ``rows`` rows written below ``headers``, or the headers and a "none" line.

        ``table`` is (table name, table style, text key of the line shown when there are no rows).
        """
        name, style, empty_key = table
        if rows:
            columns = [{"header": h, "header_format": self.header} for h in headers]
            sheet.add_table(0, 0, rows, len(headers) - 1, {"name": name, "style": style, "columns": columns})
            sheet.freeze_panes(1, frozen_columns)
        else:
            sheet.write_row(0, 0, headers, self.header)
            sheet.write_string(1, 0, text(empty_key, self.lang))

    def _method_facts(self) -> list[tuple[str, Any]]:
        """What the run computed beyond the config (ABC limits, AHP consistency), for the Config sheet's Run rows."""
        config, grades = self.report.config, self.report.grades
        facts: list[tuple[str, Any]] = []
        if grades.limits:
            facts.append(("abc_limits", ", ".join(f"{x:g}" for x in grades.limits)))
        if config.ahp is not None:
            ahp = ahp_weights(np.asarray(config.ahp.matrix, dtype=float))
            facts += [("ahp_lambda_max", ahp.lambda_max), ("ahp_cr", ahp.cr)]
        return facts

    # -- config -------------------------------------------------------------------------------------------------

    def _config_sheet(self, sheet: Worksheet) -> None:
        """The effective config in the layout `kactier score` reads back (configsheet), then the run's provenance."""
        report = self.report
        write_config_sheet(
            self.book,
            sheet,
            report.config,
            self.lang,
            weights_used=report.scores.weights,
            run_facts=[*report.config_facts, *self._method_facts()],
        )


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


def _distinct(added: list[str], existing: Sequence[str]) -> list[str]:
    """``added`` with " (2)", " (3)"… appended where a name is already taken (Excel table headers must differ).

    Scoring a workbook kactier wrote brings its 综合得分 / Score column back as an input column, kept as it is.
    """
    taken = {name.casefold() for name in existing}
    distinct = []
    for name in added:
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name} ({n})"
        taken.add(candidate.casefold())
        distinct.append(candidate)
    return distinct


def _width(values: Sequence[Any]) -> float:
    """A column width that fits the sampled values; CJK characters count double."""
    longest = 0
    for value in values:
        if value == "" or value is None:
            continue
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in shown))
    return float(min(max(longest + 2, 8), _MAX_WIDTH))
