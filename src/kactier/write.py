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
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .config import Config, localized
from .errors import OutputExistsError, OutputIOError
from .grading import Grades
from .i18n import text
from .problems import Lang, RowIssue
from .scoring import Scores
from .validate import CustomerTable
from .weights import ahp_weights

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
_MAX_WIDTH = 48
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 of the 1900 date system (exact for dates after 1900-03-01)
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

    @property
    def issues(self) -> list[RowIssue]:
        """Every row problem, from reading, validation and scoring."""
        return [*self.table.issues, *self.scores.issues, *self.grades.issues]


def write_report(path: Path, report: Report, *, force: bool) -> None:
    """Write ``report`` to ``path`` atomically; an existing file is replaced only with ``force``."""
    with atomic_output(path, force=force) as temporary:
        book = xlsxwriter.Workbook(str(temporary), _WORKBOOK_OPTIONS)
        _Writer(book, report).write()
        try:
            book.close()
        except OSError as exc:
            raise OutputIOError(
                f"{path}: cannot write ({exc.strerror or exc}); check the disk and permissions"
            ) from None


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
        if path.exists() and not force:
            raise OutputExistsError(f"{path}: appeared while writing; use --force to replace it")
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputIOError(
            f"{path}: cannot write ({exc.strerror or exc}); the previous file is untouched"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


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
        names = self._sheet_names()
        self._data_sheet(self.book.add_worksheet(names[0]))
        self._summary_sheet(self.book.add_worksheet(names[1]))
        self._issues_sheet(self.book.add_worksheet(names[2]))
        self._config_sheet(self.book.add_worksheet(names[3]))

    def _sheet_names(self) -> list[str]:
        fixed = [text(key, self.lang) for key in ("sheet_summary", "sheet_issues", "sheet_config")]
        data = self.report.table.raw.sheet[:31]
        if data.casefold() in {f.casefold() for f in fixed}:
            data = (data[:28] + " (1)")[:31]
        return [data, *fixed]

    # -- data sheet ---------------------------------------------------------------------------------------------

    def _data_sheet(self, sheet: Worksheet) -> None:
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
        added += [text(k, lang) for k in keys]
        headers = [*table.column_names, *added]
        first = len(table.column_names) + len(shown_points)  # the score column
        rows = table.raw.rows
        write_cell = self._cell_writer(sheet)
        write_number, write_string = sheet.write_number, sheet.write_string
        labels = [level.label for level in levels]
        actions = [localized(level.action, lang) for level in levels]
        marks = self._tier_marks()
        points = [report.scores.points[c.key].tolist() for c in shown_points]
        score, rank = report.scores.score.tolist(), report.scores.rank.tolist()
        pct, tiers = report.scores.percentile.tolist(), grades.tier.tolist()
        # Excel date serials computed once: cheaper than a date conversion per cell.
        follow_ups = [None if d is None else (d - _EXCEL_EPOCH).days for d in grades.follow_up]
        not_graded, see_issues = text("not_graded", lang), text("see_issues", lang)
        for out_row, (position, source) in enumerate(enumerate(table.row_indexes), start=1):
            for column, value in enumerate(rows[source]):
                if value != "":
                    write_cell(out_row, column, value)
            level = tiers[position]
            if level < 0:
                write_string(out_row, first + 3, not_graded, self.ungraded)
                write_string(out_row, first + 5, see_issues)
                continue
            for offset, values in enumerate(points, start=first - len(points)):
                write_number(out_row, offset, values[position], self.mean)
            write_number(out_row, first, score[position], self.score)
            write_number(out_row, first + 1, rank[position])
            write_number(out_row, first + 2, pct[position] / 100.0, self.percent)
            write_string(out_row, first + 3, labels[level], self.tier_formats[level])
            if marks[position]:
                write_string(out_row, first + 4, marks[position])
            write_string(out_row, first + 5, actions[level])
            follow_up = follow_ups[position]
            if follow_up is not None:
                write_number(out_row, first + 6, follow_up, self.date)
        sheet.add_table(
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
        for column, header in enumerate(table.column_names):
            sheet.set_column(column, column, _width([header, *(r[column] for r in sample)]))
        for column, header in enumerate(added, start=len(table.column_names)):
            values = actions if column == first + 5 else []
            sheet.set_column(column, column, _width([header, "2026-01-01", *values]))

    def _tier_marks(self) -> list[str]:
        """暂定 / Provisional and 人工调整 / Override marks per row."""
        grades, lang = self.report.grades, self.lang
        provisional, override = text("provisional", lang), text("override", lang)
        joiner = "、" if lang == "zh" else ", "
        return [
            joiner.join(m for m, on in ((override, o), (provisional, p)) if on)
            for o, p in zip(grades.overridden.tolist(), grades.provisional.tolist(), strict=True)
        ]

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

    # -- summary ------------------------------------------------------------------------------------------------

    def _summary_sheet(self, sheet: Worksheet) -> None:
        report, lang = self.report, self.lang
        sheet.write_string(0, 0, text("summary_title", lang), self.title)
        sheet.write_string(2, 0, text("run_facts", lang), self.bold)
        row = 3
        for key, value in report.facts:
            sheet.write_string(row, 0, text(key, lang))
            self._cell_writer(sheet)(row, 1, value)
            row += 1
        row += 1
        sheet.write_string(row, 0, text("by_tier", lang), self.bold)
        row += 1
        headers = [
            text(k, lang) for k in ("tier", "customers", "share", "mean_score", "min_score", "max_score")
        ]
        headers += [text("action", lang), text("service_level", lang)]
        sheet.write_row(row, 0, headers, self.header)
        levels = report.config.tiers.levels
        counts = report.grades.counts(len(levels))
        graded_total = sum(counts)
        tiers, score = report.grades.tier, report.scores.score
        for index, level in enumerate(levels):
            row += 1
            members = score[tiers == index]
            sheet.write_string(row, 0, level.label, self.tier_formats[index])
            sheet.write_number(row, 1, counts[index])
            sheet.write_number(row, 2, counts[index] / graded_total if graded_total else 0.0, self.percent)
            if members.size:
                sheet.write_number(row, 3, float(members.mean()), self.mean)
                sheet.write_number(row, 4, float(members.min()), self.score)
                sheet.write_number(row, 5, float(members.max()), self.score)
            sheet.write_string(row, 6, localized(level.action, lang))
            sheet.write_string(row, 7, localized(level.service_level, lang))
        row += 1
        sheet.write_string(row, 0, text("total", lang), self.bold)
        sheet.write_number(row, 1, graded_total, self.bold)
        if graded_total:
            sheet.write_number(row, 2, 1.0, self.percent)
            graded_scores = score[tiers >= 0]
            sheet.write_number(row, 3, float(np.mean(graded_scores)), self.mean)
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 5, 14)
        sheet.set_column(6, 6, 60)

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
        if issues:
            sheet.add_table(
                0,
                0,
                len(issues),
                len(headers) - 1,
                {
                    "name": "Issues",
                    "style": "Table Style Light 15",
                    "columns": [{"header": h, "header_format": self.header} for h in headers],
                },
            )
            sheet.freeze_panes(1, 0)
        else:
            sheet.write_row(0, 0, headers, self.header)
            sheet.write_string(1, 0, text("no_issues", lang))
        for column, width in enumerate((8, 18, 24, 24, 60, 22)):
            sheet.set_column(column, column, width)

    def _method_facts(self) -> list[tuple[str, Any]]:
        """The parameters of the tier and weight methods, so the Config sheet reproduces the run."""
        config, grades = self.report.config, self.report.grades
        tiers = config.tiers
        facts: list[tuple[str, Any]] = []
        if tiers.uses_value:
            facts.append(("tier_value", tiers.value))
        if tiers.method == "pareto":
            facts.append(("cuts", ", ".join(f"{c:g}" for c in tiers.effective_cuts())))
        if tiers.method == "quantile":
            facts.append(("shares", ", ".join(f"{s:g}" for s in tiers.effective_shares())))
        if grades.limits:
            facts.append(("abc_limits", ", ".join(f"{x:g}" for x in grades.limits)))
        if config.ahp is not None:
            ahp = ahp_weights(np.asarray(config.ahp.matrix, dtype=float))
            matrix = "; ".join(", ".join(f"{c:.6g}" for c in row) for row in config.ahp.matrix)
            facts += [("ahp_matrix", matrix), ("ahp_lambda_max", ahp.lambda_max), ("ahp_cr", ahp.cr)]
        return facts

    # -- config -------------------------------------------------------------------------------------------------

    def _config_sheet(self, sheet: Worksheet) -> None:
        report, lang = self.report, self.lang
        config = report.config
        write_cell = self._cell_writer(sheet)
        rows: list[tuple[str, Any]] = [
            ("config_name", config.name),
            ("description", localized(config.description, lang)),
            ("weight_method", config.weights),
            ("tier_method", config.tiers.method),
            *self._method_facts(),
            ("score_decimals", config.score_decimals),
            ("provisional_months", config.tiers.provisional_months),
            *report.config_facts,
        ]
        for row, (key, value) in enumerate(rows):
            sheet.write_string(row, 0, text(key, lang), self.bold)
            write_cell(row, 1, value)
        row = len(rows) + 1
        sheet.write_string(row, 0, text("criteria", lang), self.bold)
        row += 1
        keys = ("criterion", "field", "weight_given", "weight_used", "direction", "normalize", "missing")
        sheet.write_row(row, 0, [text(k, lang) for k in keys], self.header)
        for criterion in config.criteria:
            row += 1
            used = report.scores.weights[criterion.key]
            values = [criterion.display(lang), criterion.field, criterion.weight, used, criterion.direction]
            sheet.write_row(row, 0, [*values, criterion.normalize, criterion.missing])
        row += 2
        sheet.write_string(row, 0, text("tiers", lang), self.bold)
        row += 1
        tier_keys = ("tier", "min_score", "color", "action", "service_level", "follow_up_days")
        sheet.write_row(row, 0, [text(k, lang) for k in tier_keys], self.header)
        for index, level in enumerate(config.tiers.levels):
            row += 1
            sheet.write_string(row, 0, level.label, self.tier_formats[index])
            if level.min_score is not None:
                sheet.write_number(row, 1, level.min_score)
            sheet.write_string(row, 2, level.color)
            sheet.write_string(row, 3, localized(level.action, lang))
            sheet.write_string(row, 4, localized(level.service_level, lang))
            if level.follow_up_days is not None:
                sheet.write_number(row, 5, level.follow_up_days)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 2, 16)
        sheet.set_column(3, 3, 50)
        sheet.set_column(4, 6, 14)


def _width(values: Sequence[Any]) -> float:
    """A column width that fits the sampled values; CJK characters count double."""
    longest = 0
    for value in values:
        if value == "" or value is None:
            continue
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in shown))
    return float(min(max(longest + 2, 8), _MAX_WIDTH))
