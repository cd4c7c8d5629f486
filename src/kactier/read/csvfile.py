"""CSV files: the encoding and the delimiter decided from the content.

Encodings, in order: a byte-order mark (UTF-8, UTF-16), else UTF-8 if the bytes are valid UTF-8, else GBK (read
as GB18030, its superset, as Excel on a Chinese Windows writes it). Delimiter: the one of ``,`` ``;`` tab ``|``
that splits the most of the first lines, most consistently (a title line above the header splits on none). Every cell is text as written, except plain numbers (``1234``,
``-5.5``; no leading zero, at most 15 digits) which become numbers as Excel would read them (``00123`` and long
ids stay text), and ISO dates (``2024-03-05``, ``2024-03-05 14:30:00``), the form a CSV file writes dates in, which
become dates as Excel reads them (:func:`csv_cell`). What was assumed is returned so that it can be reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..excel import MAX_CELL_TEXT, MAX_ROWS
from ..i18n import Note
from .rows import read_rest

MAX_CSV_BYTES = 1024**3
_CHUNK = 1024**2
_DELIMITERS = (",", "\t", ";", "|")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "vertical_bar"}  # term.delimiter.<name>
# What csv_cell reads as a number or a date; the DuckDB order path (kactier.orders.columnar) casts the same forms.
PLAIN_NUMBER = r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
ISO_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)
_ISO = re.compile(rf"{ISO_DATE}|{ISO_DATETIME}")


def read_csv(path: Path) -> tuple[list[list[Any]], str]:
    """The rows of the CSV file at ``path`` (each as wide as the widest) and how it was read
    ("CSV, UTF-8, comma-separated"). The file is read as a stream: memory follows the rows kept. A file certainly holding
    more rows than Excel is refused after a count of its newlines, before any row is parsed; a file that may hold
    them stops at the first row too many."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError("input.csv_too_big", path=path, size=size)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if size > MAX_ROWS and _certainly_too_many_rows(path, head):  # a record takes a byte at least
        raise InputError("input.csv_too_many_rows", path=path, max_rows=MAX_ROWS)
    for encoding, name in _encodings(head):
        try:
            return _read(path, encoding, name)
        except UnicodeDecodeError as exc:
            failure = exc
    raise InputError("input.csv_encoding", path=path, byte=failure.start)


def _certainly_too_many_rows(path: Path, head: bytes) -> bool:
    """True when the file holds more records than Excel's rows, told without parsing it (memory: one chunk).

    Counted in binary chunks: in UTF-8 and GB18030 the bytes of a newline (0x0A) and of a quote (0x22) never occur
    inside another character (UTF-16 is not counted). The newlines bound the records from above, since a quoted
    field may hold newlines; without any quote every newline ends a record, so the count is exact. With quotes
    and more newlines than rows, the records are counted by the csv parser itself, keeping none of them. Only a
    certain excess is refused; anything else is read as usual (which stops at the first row too many).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    newlines = quotes = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            newlines += chunk.count(b"\n")
            if not quotes:  # whether there is a quote at all is what matters
                quotes = chunk.count(b'"')
    if newlines <= MAX_ROWS:
        return False  # the last line may lack its newline: at most MAX_ROWS + 1 records, the parse decides
    return not quotes or any(_records_beyond(path, encoding, MAX_ROWS) for encoding, _ in _encodings(head))


def _records_beyond(path: Path, encoding: str, limit: int) -> bool:
    """True when the csv parser finds more than ``limit`` records in the file, each discarded as read."""
    csv.field_size_limit(4 * MAX_CELL_TEXT)
    with path.open(encoding=encoding, newline="") as text:
        try:
            delimiter = _delimiter(text.read(65536))
            text.seek(0)
            return sum(1 for _ in itertools.islice(csv.reader(text, delimiter=delimiter), limit + 1)) > limit
        except (csv.Error, UnicodeDecodeError):
            return False  # malformed, or not this encoding: the real read says what


def _encodings(head: bytes) -> list[tuple[str, str]]:
    """The encodings to try, in order, from the file's first bytes."""
    if head.startswith(b"\xef\xbb\xbf"):
        return [("utf-8-sig", "UTF-8 with BOM")]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [("utf-16", "UTF-16")]
    return [("utf-8", "UTF-8"), ("gb18030", "GBK")]


def _read(path: Path, encoding: str, name: str) -> tuple[list[list[Any]], str]:
    csv.field_size_limit(4 * MAX_CELL_TEXT)
    rows: list[list[Any]] = []
    read = [0]  # records read so far, for the line of a malformed one
    with path.open(encoding=encoding, newline="") as text:
        delimiter = _delimiter(text.read(65536))
        text.seek(0)
        try:
            # repeated texts (a region, an owner) shared as the workbook reader shares them
            read_rest(_records(path, csv.reader(text, delimiter=delimiter), read), rows, 0)
        except csv.Error as exc:
            raise InputError(
                "input.csv_malformed", path=path, line=read[0] + 1, reason=exc, max_text=MAX_CELL_TEXT
            ) from None
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend([""] * (width - len(row)))
    return rows, _how(name, delimiter)


def _records(path: Path, records: Iterator[list[str]], read: list[int]) -> Iterator[list[Any]]:
    """Each record as cells (plain numbers as numbers), counted in ``read``; too many records are refused."""
    for number, record in enumerate(records, 1):
        if number > MAX_ROWS:
            raise InputError("input.csv_too_many_rows", path=path, max_rows=MAX_ROWS)
        read[0] = number
        yield [_cell(path, number, column, value) for column, value in enumerate(record)]


def _delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0, 0)
    for delimiter in _DELIMITERS:
        counts = [n for n in (line.count(delimiter) for line in lines) if n]
        if not counts:
            continue
        # splits the most lines (a title line above the header splits on none), the same number of times each,
        # into the most fields
        score = (len(counts), -len(set(counts)), max(counts))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _cell(path: Path, line: int, column: int, value: str) -> Any:
    if len(value) > MAX_CELL_TEXT and len(value.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
        raise InputError(
            "input.csv_long_field",
            path=path,
            line=line,
            field=column + 1,
            length=len(value),
            max_text=MAX_CELL_TEXT,
        )
    return csv_cell(value)


def csv_cell(value: str) -> Any:
    """A CSV field as a cell: a plain number as a number, an ISO date (or date and time, to the second) as a date,
    anything else as the text written."""
    if _PLAIN_NUMBER.fullmatch(value):
        return int(value) if "." not in value else float(value)
    if _ISO.fullmatch(value):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
        except ValueError:  # 2024-02-30: text, reported as not a date where a date is expected
            return value
    return value


@dataclass(frozen=True, slots=True)
class CsvHead:
    """The first records of a CSV file, and how the file is to be read."""

    rows: list[list[Any]]  # the first records, as cells (csv_cell)
    encoding: str  # a Python codec
    delimiter: str
    how: str  # "CSV, UTF-8, comma-separated", as the READ_AS issue words it


def csv_head(path: Path, records: int) -> CsvHead:
    """The first ``records`` records of the CSV file at ``path``, with the encoding and delimiter found as
    :func:`read_csv` finds them; the rest of the file is not read."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    failure: UnicodeDecodeError | None = None
    for encoding, name in _encodings(head):
        try:
            csv.field_size_limit(4 * MAX_CELL_TEXT)
            with path.open(encoding=encoding, newline="") as text:
                delimiter = _delimiter(text.read(65536))
                text.seek(0)
                try:
                    found = list(itertools.islice(csv.reader(text, delimiter=delimiter), records))
                except csv.Error as exc:
                    raise InputError(
                        "input.csv_malformed", path=path, line=1, reason=exc, max_text=MAX_CELL_TEXT
                    ) from None
        except UnicodeDecodeError as exc:
            failure = exc
            continue
        rows = [[_cell(path, n, c, v) for c, v in enumerate(record)] for n, record in enumerate(found, 1)]
        return CsvHead(rows, encoding, delimiter, _how(name, delimiter))
    assert failure is not None
    raise InputError("input.csv_encoding", path=path, byte=failure.start)


def _how(name: str, delimiter: str) -> str:
    separator = Note(f"term.delimiter.{_DELIMITER_NAMES[delimiter]}")
    encoding = Note("term.encoding.utf8_bom") if name == "UTF-8 with BOM" else name
    return Note("term.csv_read_as", encoding=encoding, delimiter=separator)  # worded in the run's language


def sheet_name(path: Path) -> str:
    """A valid Excel sheet name for the data read from ``path`` (its stem, cleaned)."""
    name = re.sub(r"[\[\]:*?/\\]", "_", path.stem).strip("'")[:31].strip()
    return name or "Sheet1"
