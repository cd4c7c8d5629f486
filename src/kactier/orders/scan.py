"""Order exports of any size read by DuckDB: a CSV, TSV or Parquet file, or a folder or glob of such parts.

Every part is loaded into one DuckDB table ``raw`` of text: ``part`` (the part's index), ``rec`` (the line as Excel
numbers the rows of that file: for CSV the record number, blank lines included; for Parquet 1 is the header),
``seq`` (the lines in order across the parts) and ``c0`` … ``c{n-1}``, the columns under the header, blank cells as
NULL. The header row is found as in a workbook, on the first records. A CSV part is read with the encoding and
delimiter :mod:`kactier.read.csvfile` finds (GBK and UTF-16 are re-encoded to UTF-8 first, a block at a time); a
Parquet part's columns are written as text the way a CSV file writes them (ISO dates, plain numbers), so that both
are checked by the same rules afterwards (:mod:`kactier.orders.columnar`).

The database lives in a temporary folder with a memory limit and spills to disk beyond it
(:class:`OrderEngine`): memory stays bounded whatever the size of the export.
"""

from __future__ import annotations

import codecs
import csv
import glob
import hashlib
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, WorkbookError, spoken_in
from ..excel import MAX_CELL_TEXT
from ..i18n import Note
from ..problems import Action, IssueCode, RowIssue
from ..read.cells import RawSheet
from ..read.csvfile import csv_cell, csv_head, sheet_name
from ..read.header import HEADER_SEARCH_ROWS, find_header_row, no_header_error, two_row_header
from ..read.sniff import Kind, sniff
from ..read.tidy import title_row_issues
from ..validate.rows import resolve_lang
from .cell_forms import CSV_TEXT

if TYPE_CHECKING:
    import duckdb

PARQUET_MAGIC = b"PAR1"
PART_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")
_HEAD_RECORDS = (
    HEADER_SEARCH_ROWS + 200
)  # records read by Python: the header search, and the width of the lines
_EXTRA_COLUMNS = (
    2  # columns beyond the first records' width that a later line may fill (a trailing delimiter)
)
_MEMORY_LIMIT = "1GB"  # DuckDB's own memory; beyond it, it spills to its temporary folder
_BLOCK = 1 << 22


class OrderEngine:
    """A DuckDB database in a temporary folder of its own (removed by :meth:`close`), with a memory limit beyond
    which DuckDB spills to that folder. The database is a file, not in memory, because DuckDB compresses tables it
    stores: a table in memory spilled 5.7 GB for the 50M lines of a CSV file alone, where the whole database file
    of a 50M-line run takes 2.8 GB."""

    def __init__(self, *, in_memory: bool = False) -> None:
        import duckdb  # here: a run without an order export never loads it

        self.folder = Path(tempfile.mkdtemp(prefix="kactier-orders-"))
        self.db: duckdb.DuckDBPyConnection = duckdb.connect(
            # on disk, compressed: 50M lines take about 2.8 GB; a sheet's million lines at most fit in memory
            ":memory:" if in_memory else str(self.folder / "orders.duckdb"),
            config={
                "memory_limit": _MEMORY_LIMIT,
                "temp_directory": str(self.folder / "spill"),
                "threads": min(4, os.cpu_count() or 1),
                "preserve_insertion_order": True,
            },
        )
        # removed at the latest when the engine is collected or the interpreter exits, even if close() never runs
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def close(self) -> None:
        """Close the database and remove its folder."""
        self.db.close()
        self._remove()


def is_parquet(path: Path) -> bool:
    """True when ``path`` starts like a Parquet file."""
    with path.open("rb") as handle:
        return handle.read(4) == PARQUET_MAGIC


def is_order_export(source: Path) -> bool:
    """True when ``source`` is read as an export by DuckDB: a folder, a glob pattern, a Parquet file or a CSV file
    (told by its content, as :func:`kactier.read.sniff.sniff` tells it, which refuses what is no spreadsheet)."""
    if source.is_dir() or (not source.exists() and glob.has_magic(str(source))):
        return True
    if not source.is_file():
        return False
    if is_parquet(source):
        return True
    with source.open("rb") as handle:
        head = handle.read(65536)
    return sniff(source, head) is Kind.CSV


def is_several_parts(source: Path) -> bool:
    """True when ``source`` names the parts of an export: a folder, or a glob pattern that is not a file's name."""
    return source.is_dir() or (not source.exists() and glob.has_magic(str(source)))


def parts_stamp(source: Path) -> tuple[int, int]:
    """The total size and latest modification time of the parts, to notice one changing while it is read."""
    stats = [part.stat() for part in order_parts(source)]
    return sum(s.st_size for s in stats), max(s.st_mtime_ns for s in stats)


def parts_sha256(source: Path) -> str:
    """SHA-256 of the parts' names and bytes, in order: the identity of the export."""
    digest = hashlib.sha256()
    for part in order_parts(source):
        digest.update(part.name.encode("utf-8") + b"\0")
        with part.open("rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
    return digest.hexdigest()


def parts_output(source: Path) -> Path:
    """Where a run on the parts writes by default: ``<folder>.tiered.xlsx`` beside the folder holding them."""
    folder = source if source.is_dir() else source.parent
    while glob.has_magic(str(folder)):
        folder = folder.parent
    folder = folder.resolve()
    return folder.parent / f"{folder.name}.tiered.xlsx"


def order_parts(source: Path) -> list[Path]:
    """The files of an order export: the file itself; the CSV, TSV and Parquet files of a folder; or the files a
    glob pattern matches, in name order."""
    if source.is_file():
        return [source]
    if source.is_dir():
        parts = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in PART_SUFFIXES)
        if not parts:
            raise InputError("orders.empty_folder", path=source, suffixes=", ".join(PART_SUFFIXES))
        return parts
    if glob.has_magic(str(source)):
        parts = [Path(p) for p in sorted(glob.glob(str(source), recursive=True)) if Path(p).is_file()]
        if not parts:
            raise InputError("orders.no_match", path=source)
        return parts
    raise InputError("input.missing", path=source)


@dataclass(slots=True)
class LoadedParts:
    """The parts loaded into ``raw``, with the header they share."""

    parts: list[Path]
    head: RawSheet  # the first part's header (rows empty), title rows and how it was read in ``issues``
    width: int  # the columns under the header: c{first} … c{first + width - 1}
    first: int = 0
    max_seq: int = (
        0  # the last line's seq: a part's lines follow the previous part's (seq is rec for one file)
    )
    forms: dict[str, str] = field(default_factory=dict)  # a column's form (.cell_forms) when not CSV text
    cell: Callable[[Any], Any] = csv_cell  # a value of ``raw`` as the cell Python reads
    date1904: bool = False  # a workbook's serial dates count from 1904

    def column(self, index: int) -> str:
        """The name in ``raw`` of the ``index``-th column under the header."""
        return f"c{self.first + index}"

    def form(self, index: int) -> str:
        """The form (:mod:`.cell_forms`) of the ``index``-th column's cells in ``raw``."""
        return self.forms.get(self.column(index), CSV_TEXT)

    def columns(self) -> str:
        """Every column under the header, as a SQL list."""
        return ", ".join(self.column(i) for i in range(self.width))


def load_parts(db: duckdb.DuckDBPyConnection, parts: list[Path], lang: str = "auto") -> LoadedParts:
    """Load every part into the table ``raw``; parts must share the first part's header."""
    loaded: LoadedParts | None = None
    for index, part in enumerate(parts):
        head, width, reader = _part_reader(part, db)
        if loaded is None:
            loaded = LoadedParts(parts, head, width)
            columns = ", ".join(f"c{i} VARCHAR" for i in range(width + _EXTRA_COLUMNS))
            db.execute(f"CREATE TABLE raw (part INTEGER, rec BIGINT, seq BIGINT, {columns})")
        elif [str(h) for h in head.headers] != [str(h) for h in loaded.head.headers]:
            raise WorkbookError(
                "orders.parts_differ",
                path=part,
                first=parts[0].name,
                headers=" | ".join(map(str, head.headers)),
                expected=" | ".join(map(str, loaded.head.headers)),
            )
        offset = loaded.max_seq - (head.header_row if index else 0)  # its first line follows the last one's
        with spoken_in(resolve_lang(lang, head.headers)):  # an error now speaks the headers' language
            reader(index, offset, loaded.width)
        last = db.execute("SELECT max(seq) FROM raw").fetchone()
        loaded.max_seq = int(last[0]) if last and last[0] is not None else offset
    assert loaded is not None
    _used_span(db, loaded)
    return loaded


def _used_span(db: duckdb.DuckDBPyConnection, loaded: LoadedParts) -> None:
    """Cut the columns to those holding a header or a value, as :func:`kactier.read.tidy.used_span` cuts a sheet's:
    a value beyond the header's last column gets a column of its own (and a name, as a blank header cell does)."""
    total = loaded.width + _EXTRA_COLUMNS
    counts = db.execute(f"SELECT {', '.join(f'count(c{i})' for i in range(total))} FROM raw").fetchone()
    assert counts is not None
    headers = [*loaded.head.headers, *[""] * _EXTRA_COLUMNS]
    used = [i for i in range(total) if headers[i] != "" or counts[i]]
    start, end = (used[0], used[-1] + 1) if used else (0, 0)
    loaded.first, loaded.width = start, end - start
    loaded.head.headers = headers[start:end]
    loaded.head.first_column = start


def _part_reader(part: Path, db: duckdb.DuckDBPyConnection) -> tuple[RawSheet, int, Any]:
    """The part's header and width, and a function loading it into ``raw`` (returning its blank lines)."""
    if is_parquet(part):
        return _parquet_reader(part, db)
    if not is_order_export(part):  # a workbook among the parts: each part is one export file
        raise InputError("orders.part_not_export", path=part)
    return _csv_reader(part, db)


def _csv_reader(part: Path, db: duckdb.DuckDBPyConnection) -> tuple[RawSheet, int, Any]:
    found = csv_head(part, _HEAD_RECORDS)
    cells = found.rows
    header_index = find_header_row(cells[:HEADER_SEARCH_ROWS])
    name = sheet_name(part)
    if header_index is None:
        raise no_header_error(part, [name], [])
    two_row_header(cells, header_index)
    headers = cells[header_index]
    width = max(len(headers), *(len(r) for r in cells))
    issues = title_row_issues(cells, header_index)
    issues.append(RowIssue(None, None, None, IssueCode.READ_AS, Action.VALUE_KEPT, found.how))
    head = RawSheet(
        path=part,
        sheet=name,
        header_row=header_index + 1,
        headers=[*headers, *[""] * (width - len(headers))],
        rows=[],
        issues=issues,
        source_format="csv",
    )

    def load(index: int, offset: int, columns: int) -> int:
        text = _utf8_copy(part, found.encoding, db)
        blanks = _blank_records(text, found.delimiter)
        fields = columns + _EXTRA_COLUMNS  # a line longer still is refused by DuckDB, with its number
        names = ", ".join(f"'f{i}': 'VARCHAR'" for i in range(fields))
        source = (
            f"read_csv(?, header = false, all_varchar = true, delim = ?, quote = '\"', escape = '\"', "
            f"null_padding = true, parallel = false, auto_detect = false, max_line_size = {8 * MAX_CELL_TEXT}, "
            f"columns = {{{names}}})"
        )
        kept = ", ".join(f"f{i}" for i in range(fields))
        records = f"SELECT row_number() OVER () AS rec, * FROM {source}"
        if blanks:
            # DuckDB does not return blank lines: number the records it returns as the file does (a record comes
            # after the k-th blank line when more than its number - k records come before that line), and put
            # the blank lines among them, so that ``raw`` holds the lines in order
            thresholds = [b - k for k, b in enumerate(blanks, 1)]
            db.execute("CREATE OR REPLACE TABLE blanks AS SELECT unnest(?::BIGINT[]) AS before", [thresholds])
            numbered = (
                f"SELECT n + (SELECT count(*) FROM blanks WHERE before < n) AS rec, * EXCLUDE (n) FROM "
                f"(SELECT row_number() OVER () AS n, * FROM {source})"
            )
            empty = ", ".join(f"NULL::VARCHAR AS f{i}" for i in range(fields))
            records = f"SELECT * FROM ({numbered} UNION ALL SELECT unnest(?::BIGINT[]) AS rec, {empty}) ORDER BY rec"
        arguments = [str(text), found.delimiter, *([blanks] if blanks else [])]
        try:
            db.execute(
                f"INSERT INTO raw SELECT {index}, rec, {offset} + rec, {kept} FROM ({records}) "
                f"WHERE rec > {header_index + 1}",
                arguments,
            )
        except Exception as exc:  # duckdb.Error: a line DuckDB cannot split
            raise _csv_error(part, exc, columns) from None
        if text != part:
            text.unlink(missing_ok=True)
        return len(blanks)

    return head, width, load


def _parquet_reader(part: Path, db: duckdb.DuckDBPyConnection) -> tuple[RawSheet, int, Any]:
    try:
        described = db.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(part)]).fetchall()
    except Exception as exc:  # duckdb.Error: not a Parquet file DuckDB can read
        raise InputError("orders.parquet_damaged", path=part, reason=str(exc).splitlines()[0]) from None
    headers: list[Any] = [row[0] for row in described]
    if find_header_row([headers]) != 0:
        raise no_header_error(part, [part.stem], [])
    issues = [RowIssue(None, None, None, IssueCode.READ_AS, Action.VALUE_KEPT, Note("term.format.parquet"))]
    head = RawSheet(
        path=part,
        sheet=sheet_name(part),
        header_row=1,
        headers=headers,
        rows=[],
        issues=issues,
        source_format="parquet",
    )
    texts = ", ".join(_as_text(name, kind) for name, kind, *_ in described)

    def load(index: int, offset: int, columns: int) -> int:
        db.execute(
            f"INSERT INTO raw (part, rec, seq, {', '.join(f'c{i}' for i in range(columns))}) "
            f"SELECT {index}, file_row_number + 2, {offset} + file_row_number + 2, {texts} "
            "FROM read_parquet(?, file_row_number = true)",
            [str(part)],
        )
        return 0

    return head, len(headers), load


def _as_text(name: str, kind: str) -> str:
    """A Parquet column as the text a CSV file would hold: ISO dates, plain numbers; blank as NULL."""
    column = '"' + name.replace('"', '""') + '"'
    if kind == "DATE":
        return f"strftime({column}, '%Y-%m-%d')"
    if kind.startswith("TIMESTAMP"):
        return f"strftime({column}, '%Y-%m-%d %H:%M:%S')"
    return f"nullif(CAST({column} AS VARCHAR), '')"


def _csv_error(part: Path, exc: BaseException, width: int) -> InputError:
    message = str(exc)
    line = re.search(r"Line: (\d+)", message)
    if "Expected Number of Columns" in message and line is not None:  # far wider than the lines above it
        return InputError("orders.csv_wide_line", path=part, line=int(line[1]), width=width)
    reason = message.splitlines()[0] if message else type(exc).__name__
    return InputError(
        "input.csv_malformed",
        path=part,
        line=int(line[1]) if line else 0,
        reason=reason,
        max_text=MAX_CELL_TEXT,
    )


def _utf8_copy(part: Path, encoding: str, db: duckdb.DuckDBPyConnection) -> Path:
    """``part`` itself when DuckDB reads it as it is (UTF-8, with or without a BOM), else a UTF-8 copy of it in the
    engine's folder."""
    if encoding in ("utf-8", "utf-8-sig"):
        return part
    folder = Path(db.execute("SELECT current_setting('temp_directory')").fetchone()[0]).parent  # type: ignore[index]
    copy = folder / f"{part.stem}.utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with part.open("rb") as source, copy.open("w", encoding="utf-8", newline="") as target:
        try:
            while block := source.read(_BLOCK):
                target.write(decoder.decode(block))
                done += len(block)
            target.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:  # bytes of no encoding further down than the first lines showed
            raise InputError("input.csv_encoding", path=part, byte=done + exc.start) from None
    return copy


def _blank_records(text: Path, delimiter: str) -> list[int]:
    """The record numbers of the blank lines of the UTF-8 file ``text`` (usually none: told from its bytes at once).

    Without a quote in the file every line is a record. With quotes a blank line may be inside a quoted field, so
    the records are counted by the csv parser, as :mod:`kactier.read.csvfile` reads them."""
    blank = False
    tail = b"\n"  # the start of the file is the start of a line
    with text.open("rb") as handle:
        while not blank and (block := handle.read(_BLOCK)):
            joined = tail + block
            blank = b"\n\n" in joined or b"\n\r\n" in joined
            tail = joined[-2:]
    if not blank:
        return []
    with text.open("rb") as handle:
        quoted = any(b'"' in block for block in iter(lambda: handle.read(_BLOCK), b""))
    if not quoted:
        with text.open("rb") as handle:
            return [number for number, line in enumerate(handle, 1) if line in (b"\n", b"\r\n")]
    csv.field_size_limit(4 * MAX_CELL_TEXT)
    with text.open(encoding="utf-8-sig", newline="") as handle:
        return [
            number for number, record in enumerate(csv.reader(handle, delimiter=delimiter), 1) if not record
        ]
