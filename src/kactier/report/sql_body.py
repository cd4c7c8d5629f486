"""A sheet body rendered by DuckDB: the ``<row>`` elements of lines kept in DuckDB, built in SQL on DuckDB's
threads and written to the sheet's XML as bytes (:meth:`~kactier.report.bulk.BulkWorksheet.set_body_source`).

The Orders sheet of a big order sheet read column by column (:mod:`kactier.orders.sheet_columnar`) is millions of
cells that are in DuckDB already. Made Python values and rendered by :mod:`.bulk_cells`, they took most of the
write step; SQL builds the same XML with no Python object per cell. Each cell is encoded as :mod:`.bulk_cells`
encodes it (tests/test_sql_body.py compares the two byte for byte, with the shared strings):

* a number with 16 significant digits (DuckDB's ``format('{:.16G}')`` is printf's, as Python's is), NaN and ±inf
  as XlsxWriter's errors;
* a date or date and time (a TIMESTAMP) as its serial, computed as :func:`kactier.excel.serials_1900` computes
  it, with the first of its formats at midnight and the second with a time of day;
* a bool as ``t="b"``;
* text inline, except a column of repeated text, which goes to the shared strings by the counts of
  :func:`.bulk_cells.shared_texts`, and text that needs escaping or truncating: Python renders that (rare) cell
  (:func:`.bulk_cells.text_tail`), in the order the Python renderer meets it.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from .bulk import BLOCK_ROWS, BulkWorksheet
from .bulk_cells import MAX_SHARED_LENGTH, SHARED_SAMPLE, needs_tail, repeats_enough, text_tail

if TYPE_CHECKING:
    import duckdb

TEXT, NUMBER, DATE, BOOL = "text", "number", "date", "bool"
BATCH_ROWS = 2 * 122_880  # rows fetched at a time: two of DuckDB's row groups, rendered side by side
_AHEAD = 2  # batches rendered at once, beside the one being written
# A text that may need more than a plain <t> (bulk_cells decides): an XML-special or control character, a literal
# _xHHHH_, or whitespace (as Python's \s) at an end
_MAYBE_SPECIAL = (
    r"[&<>\x{00}-\x{08}\x{0b}-\x{1f}\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"
    r"|^[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]|[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]$"
)
_BODY = "kactier_body"


@dataclass(frozen=True, slots=True)
class SqlColumn:
    """One column of the body: its cells' values in SQL over the body's source (NULL for an empty cell).

    ``formats`` are the formats its cells take: the first unless ``pick`` (SQL, 0-based) chooses one per row; a
    date column's second format is for the cells with a time of day. ``None`` is the column's format from
    ``set_column``, as for any cell without a format."""

    column: int
    value: str
    kind: str  # TEXT, NUMBER, DATE (a TIMESTAMP) or BOOL
    formats: tuple[Format | None, ...] = (None,)
    pick: str | None = None


class SqlBody:
    """The body rows ``first_row`` … ``first_row + rows - 1`` of a sheet, from ``source``: a SQL relation with
    the body row ``i`` (0-based, one per row, in order) and whatever the columns' values refer to."""

    def __init__(
        self,
        db: duckdb.DuckDBPyConnection,
        source: str,
        first_row: int,
        rows: int,
        columns: Sequence[SqlColumn],
    ) -> None:
        self.db, self.source, self.first_row, self.rows = db, source, first_row, rows
        self.columns = sorted(columns, key=lambda c: c.column)

    def write(self, sheet: BulkWorksheet, out: IO[str]) -> None:
        """Write every row of the body to ``out`` (a text file; its bytes are written when it has them)."""
        db = self.db  # its own views (the source's) are seen by it alone, not by a cursor of it
        cells = _Cells(self, sheet, db)
        try:
            rendered = cells.prepared()
            row = f"""concat('<row r="', n, '">', {", ".join(rendered)}, '</row>')"""
            numbered = f"SELECT *, CAST(i + {self.first_row + 1} AS VARCHAR) AS n FROM {_BODY}"
            query = f"SELECT encode({row}) FROM ({numbered} WHERE i >= $1 AND i < $2)"
            with contextlib.closing(_batches(db, query, self.rows, cells.lookups)) as batches:
                for batch in batches:
                    _write_bytes(out, batch)
        finally:
            cells.drop()


class _Cells:
    """The body table of one :meth:`SqlBody.write` (values as ``v{k}``, picks as ``p{k}``, Python's rendering
    of a rare text as ``t{k}``) and the SQL of each column's cells. A column of shared strings names its texts'
    indexes through an ENUM of its texts: parameter ``$3``, ``$4`` … (:attr:`lookups`) lists them in its order."""

    def __init__(self, body: SqlBody, sheet: BulkWorksheet, cursor: duckdb.DuckDBPyConnection) -> None:
        self.body, self.sheet, self.cursor = body, sheet, cursor
        self.styles: list[list[str]] = []
        self.shared: dict[int, dict[str, str]] = {}  # a shared column's texts and their indexes
        self.lookups: list[list[str]] = []  # the indexes of each shared column's texts, in its ENUM's order
        self.tails: dict[int, pd.DataFrame] = {}

    def prepared(self) -> list[str]:
        """Make the body table and return the SQL of each column's cells."""
        columns, cursor = self.body.columns, self.cursor
        values = [f"({c.value}) AS v{k}" for k, c in enumerate(columns)]
        values += [f"({_pick(c, f'({c.value})')}) AS p{k}" for k, c in enumerate(columns) if _picks(c)]
        staged = f"{_BODY}_staged"
        cursor.execute(
            f"CREATE OR REPLACE TABLE {staged} AS SELECT i, {', '.join(values)} FROM ({self.body.source})"
        )
        self.styles = [self._styles(staged, k, c) for k, c in enumerate(columns)]
        texts = [k for k, c in enumerate(columns) if c.kind == TEXT]
        for k in texts:
            if self._shares(staged, k):
                self._share(staged, k)
        self._rare_texts(staged, [k for k in texts if k not in self.shared])
        if not self.tails:
            cursor.execute(f"ALTER TABLE {staged} RENAME TO {_BODY}")
        else:  # the rare texts' cells, by row (a join: the rows are put back in order)
            for k, table in self.tails.items():
                cursor.register(f"{_BODY}_t{k}", table)
            joins = " ".join(f"LEFT JOIN {_BODY}_t{k} ON b.i = {_BODY}_t{k}.i" for k in self.tails)
            extra = ", ".join(f"{_BODY}_t{k}.tail AS t{k}" for k in self.tails)
            cursor.execute(
                f"CREATE OR REPLACE TABLE {_BODY} AS SELECT b.*, {extra} FROM {staged} b {joins} ORDER BY b.i"
            )
            cursor.execute(f"DROP TABLE {staged}")
            for k in self.tails:
                cursor.unregister(f"{_BODY}_t{k}")
        for k, indexes in self.shared.items():
            cursor.register(f"{_BODY}_x", pd.DataFrame({"t": list(indexes)}))
            cursor.execute(f"CREATE TYPE {_BODY}_e{k} AS ENUM (SELECT t FROM {_BODY}_x)")
            cursor.unregister(f"{_BODY}_x")
            order = cursor.execute(f"SELECT enum_range(NULL::{_BODY}_e{k})").fetchall()[0][0]
            self.lookups.append([indexes[t] for t in order])
        return [self._cell(k, c) for k, c in enumerate(columns)]

    def drop(self) -> None:
        """Drop the body table and the ENUMs."""
        self.cursor.execute(f"DROP TABLE IF EXISTS {_BODY}_staged")
        self.cursor.execute(f"DROP TABLE IF EXISTS {_BODY}")
        for k in self.shared:
            self.cursor.execute(f"DROP TYPE IF EXISTS {_BODY}_e{k}")

    def _styles(self, staged: str, k: int, column: SqlColumn) -> list[str]:
        """The ``s`` attribute of each of column ``k``'s formats; those its cells take are looked up in the order
        they first appear, as the Python renderer looks them up (a format's index is given when first asked)."""
        styles = [""] * len(column.formats)
        used = [0]
        if _picks(column):
            used = [int(p) for (p,) in self.cursor.execute(
                f"SELECT p{k} FROM {staged} GROUP BY p{k} ORDER BY min(i)"
            ).fetchall()]  # fmt: skip
        for p in used:
            styles[p] = self.sheet.style_attribute(column.formats[p], column.column)
        return styles

    def _shares(self, staged: str, k: int) -> bool:
        """Whether text column ``k`` goes to the shared strings: the counts of ``shared_texts``."""
        v = f"v{k}"
        found = self.cursor.execute(
            f"SELECT count({v}), count(DISTINCT {v}) + CAST(bool_or({v} IS NULL) AS INTEGER), count(*) "
            f"FROM {staged} WHERE i < {SHARED_SAMPLE}"
        ).fetchall()[0]
        sample_texts, sample_distinct, sample = (int(x or 0) for x in found)
        if not sample_texts or not repeats_enough(sample_distinct, sample):
            return False
        distinct, cells, longest = (
            int(x or 0)
            for x in self.cursor.execute(
                f"SELECT count(DISTINCT {v}), count(*), max(length({v})) FROM {staged} WHERE {v} <> ''"
            ).fetchall()[0]
        )
        return bool(distinct) and repeats_enough(distinct, cells) and longest <= MAX_SHARED_LENGTH

    def _share(self, staged: str, k: int) -> None:
        """Add column ``k``'s texts to the shared strings, in order of first appearance, each for its uses."""
        v = f"v{k}"
        found = self.cursor.execute(
            f"SELECT {v}, count(*) FROM {staged} WHERE {v} <> '' GROUP BY {v} ORDER BY min(i)"
        ).fetchall()
        indexes: dict[str, str] = {}
        for text, uses in found:
            index = self.sheet.shared_index(text, int(uses))
            if index is None:  # the workbook has no shared-string table: the first text says so
                return
            indexes[text] = str(index)
        self.shared[k] = indexes

    def _rare_texts(self, staged: str, columns: list[int]) -> None:
        """Python's rendering of each text (in ``columns``) that needs more than a plain ``<t>``, met in the
        order the Python renderer meets them (block by block, column by column, row by row): one that goes to
        the shared strings is added then."""
        met: list[tuple[int, int, int, str, int]] = []
        for order, k in enumerate(columns):
            v, pick = f"v{k}", f"p{k}" if _picks(self.body.columns[k]) else "0"
            found = self.cursor.execute(
                f"SELECT i, {v}, {pick} FROM {staged} "
                f"WHERE regexp_matches({v}, '{_MAYBE_SPECIAL}') OR length({v}) > {MAX_SHARED_LENGTH}"
            ).fetchall()
            met += [(i // BLOCK_ROWS, order, i, text, p) for i, text, p in found if needs_tail(text)]
        rendered: dict[int, tuple[list[int], list[str]]] = {}
        for _, order, i, text, p in sorted(met):
            k = columns[order]
            rows, tails = rendered.setdefault(k, ([], []))
            rows.append(i)
            tails.append(text_tail(self.styles[k][p], text, self.sheet))
        self.tails = {k: pd.DataFrame({"i": rows, "tail": tails}) for k, (rows, tails) in rendered.items()}

    def _cell(self, k: int, column: SqlColumn) -> str:
        """SQL: the ``<c>`` element of column ``k``'s cell, NULL for an empty one."""
        ref = f"""'<c r="{xl_col_to_name(column.column)}', n, '"'"""
        styles = self.styles[k]
        s = f"[{', '.join(map(_literal, styles))}][p{k} + 1]" if _picks(column) else _literal(styles[0])
        v = f"v{k}"
        if column.kind == TEXT:
            if k in self.shared:
                lookup = f"${3 + list(self.shared).index(k)}[enum_code(CAST({v} AS {_BODY}_e{k})) + 1]"
                return (
                    f"""CASE WHEN {v} <> '' THEN concat({ref}, {s}, ' t="s"><v>', {lookup}, '</v></c>') END"""
                )
            tail = f"WHEN t{k} IS NOT NULL THEN concat({ref}, t{k}) " if k in self.tails else ""
            inline = f"""concat({ref}, {s}, ' t="inlineStr"><is><t>', {v}, '</t></is></c>')"""
            return f"CASE {tail}WHEN {v} <> '' THEN {inline} END"
        if column.kind == BOOL:
            flag = f"CASE WHEN {v} THEN '1' ELSE '0' END"
            return (
                f"""CASE WHEN {v} IS NOT NULL THEN concat({ref}, {s}, ' t="b"><v>', {flag}, '</v></c>') END"""
            )
        number = _serial(v) if column.kind == DATE else v
        infinite = f"""concat({ref}, {s}, ' t="e"><f>', CASE WHEN {number} > 0 THEN '1/0' ELSE '-1/0' END, '</f><v>#DIV/0!</v></c>')"""
        return (
            f"CASE WHEN {v} IS NULL THEN NULL "
            f"""WHEN isnan({number}) THEN concat({ref}, {s}, ' t="e"><f>#NUM!</f><v>#NUM!</v></c>') """
            f"WHEN isinf({number}) THEN {infinite} "
            f"""ELSE concat({ref}, {s}, '><v>', format('{{:.16G}}', {number}), '</v></c>') END"""
        )


def _picks(column: SqlColumn) -> bool:
    """Whether the cells of ``column`` take one of several formats."""
    return column.pick is not None or (column.kind == DATE and len(column.formats) > 1)


def _pick(column: SqlColumn, value: str) -> str:
    """SQL: which of its formats a cell of ``column`` (its value ``value``) takes; a date takes its second
    format when it has a time of day (an empty cell takes the first, as the Python renderer's list says)."""
    if column.pick is not None:
        return column.pick
    return f"CASE WHEN {value} IS NOT NULL AND {value} <> date_trunc('day', {value}) THEN 1 ELSE 0 END"


def _serial(v: str) -> str:
    """SQL: the Excel serial (1900 date system) of the TIMESTAMP ``v``, as ``serials_1900`` computes it: whole
    days since 1899-12-31 plus the fraction of the day, one more after the 1900 leap-year bug's 29 February."""
    day = 86_400_000_000
    micros = f"(epoch_us({v}) - epoch_us(TIMESTAMP '1899-12-31'))"
    rest = f"((({micros} % {day}) + {day}) % {day})"
    serial = (
        f"(CAST(({micros} - {rest}) // {day} AS DOUBLE) + (CAST({rest} // 1000000 AS DOUBLE) "
        f"+ CAST({rest} % 1000000 AS DOUBLE) / CAST(1000000 AS DOUBLE)) / CAST(86400 AS DOUBLE))"
    )
    return f"(CASE WHEN {serial} > 59 THEN {serial} + 1 ELSE {serial} END)"


def _batches(
    db: duckdb.DuckDBPyConnection, query: str, rows: int, lookups: list[list[str]]
) -> Generator[Sequence[bytes], None, None]:
    """The rendered rows, a batch at a time, in order: :data:`_AHEAD` batches are rendered and fetched on
    threads of their own (each with a cursor of ``db``) while this one is written."""
    starts = list(range(0, rows, BATCH_ROWS))
    own = threading.local()
    cursors: list[duckdb.DuckDBPyConnection] = []

    def fetch(start: int) -> Sequence[bytes]:
        cursor = getattr(own, "cursor", None)
        if cursor is None:
            cursor = own.cursor = db.cursor()
            cursors.append(cursor)
        cursor.execute(query, [start, start + BATCH_ROWS, *lookups])
        found: Any = next(iter(cursor.fetchnumpy().values()))
        return found.tolist()  # type: ignore[no-any-return]

    try:
        with ThreadPoolExecutor(max_workers=_AHEAD, thread_name_prefix="kactier-rows") as pool:
            pending = deque(pool.submit(fetch, start) for start in starts[:_AHEAD])
            for number in range(len(starts)):
                batch = pending.popleft().result()
                if number + _AHEAD < len(starts):
                    pending.append(pool.submit(fetch, starts[number + _AHEAD]))
                yield batch
    finally:
        for cursor in cursors:
            cursor.close()


def _write_bytes(out: IO[str], rows: Sequence[bytes]) -> None:
    """Write UTF-8 ``rows`` to the text file ``out``: to its bytes when it has them."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(b"".join(rows).decode("utf-8"))
        return
    out.flush()
    buffer.writelines(rows)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
