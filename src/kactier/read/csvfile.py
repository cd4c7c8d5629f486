"""CSV files: the encoding and the delimiter decided from the content.

Encodings, in order: a byte-order mark (UTF-8, UTF-16), else UTF-8 if the bytes are valid UTF-8, else GBK (read
as GB18030, its superset, as Excel on a Chinese Windows writes it). Delimiter: the one of ``,`` ``;`` tab ``|``
that splits the first lines most consistently. Every cell is text as written, except plain numbers (``1234``,
``-5.5``; no leading zero, at most 15 digits) which become numbers as Excel would read them: ``00123`` and long
ids stay text. What was assumed is returned so that it can be reported.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..excel import MAX_CELL_TEXT, MAX_ROWS
from ..i18n import Note

MAX_CSV_BYTES = 1024**3
_DELIMITERS = (",", "\t", ";", "|")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "vertical_bar"}  # term.delimiter.<name>
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")


def read_csv(path: Path) -> tuple[list[list[Any]], str]:
    """The rows of the CSV file at ``path`` (each as wide as the widest) and how it was read
    ("CSV, UTF-8, comma-separated"). The file is read as a stream: memory follows the rows kept, and a file of
    more rows than Excel holds stops at the first row too many."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError("input.csv_too_big", path=path, size=size)
    with path.open("rb") as handle:
        head = handle.read(65536)
    for encoding, name in _encodings(head):
        try:
            return _read(path, encoding, name)
        except UnicodeDecodeError as exc:
            failure = exc
    raise InputError("input.csv_encoding", path=path, byte=failure.start)


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
    with path.open(encoding=encoding, newline="") as text:
        delimiter = _delimiter(text.read(65536))
        text.seek(0)
        try:
            for number, record in enumerate(csv.reader(text, delimiter=delimiter), 1):
                if number > MAX_ROWS:
                    raise InputError("input.csv_too_many_rows", path=path, max_rows=MAX_ROWS)
                rows.append([_cell(path, number, column, value) for column, value in enumerate(record)])
        except csv.Error as exc:
            raise InputError(
                "input.csv_malformed", path=path, line=len(rows) + 1, reason=exc, max_text=MAX_CELL_TEXT
            ) from None
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend([""] * (width - len(row)))
    separator = Note(f"term.delimiter.{_DELIMITER_NAMES[delimiter]}")
    encoding = Note("term.encoding.utf8_bom") if name == "UTF-8 with BOM" else name
    return rows, Note(
        "term.csv_read_as", encoding=encoding, delimiter=separator
    )  # worded in the run's language


def _delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        score = (min(counts), -len(set(counts)))  # splits every line, and the same number of times
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
    if _PLAIN_NUMBER.fullmatch(value):
        return int(value) if "." not in value else float(value)
    return value


def sheet_name(path: Path) -> str:
    """A valid Excel sheet name for the data read from ``path`` (its stem, cleaned)."""
    name = re.sub(r"[\[\]:*?/\\]", "_", path.stem).strip("'")[:31].strip()
    return name or "Sheet1"
