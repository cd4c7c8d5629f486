"""The lines of an order export (or of a big order sheet) kept in DuckDB until the report is written: the Orders
sheet's rows, or every line's disposition in a Parquet and a CSV file when no sheet holds them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..excel import serials_1900
from ..read.csvfile import csv_cell
from .cell_forms import CSV_TEXT, DATE, TEXT
from .scan import LoadedParts, OrderEngine

if TYPE_CHECKING:
    import duckdb

_CHUNK = 262_144  # rows fetched at a time


@dataclass(frozen=True, slots=True)
class TypedLines:
    """Lines kept in DuckDB as SQL for the Orders sheet's body (:class:`~kactier.report.sql_body.SqlBody`)."""

    db: duckdb.DuckDBPyConnection
    # ``i`` (each line's place, from 0), ``status`` and the cells ``cell0``, ``cell1`` … as typed
    relation: str
    forms: list[str]  # each cell column's form (:mod:`.cell_forms`)


@dataclass(slots=True)
class ColumnarLines:
    """The order lines of an export, kept in DuckDB until the report is written."""

    engine: OrderEngine
    loaded: LoadedParts
    names: list[str]
    status: np.ndarray[Any, Any]  # LineStatus per line, in order

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        """The database holding ``raw`` and ``lines``."""
        return self.engine.db

    def origins(self) -> list[tuple[str, int]] | None:
        """Each line's file and line number in that file, in order, when the export has several parts (with one,
        the Orders sheet's row numbers are the file's own); else None."""
        if len(self.loaded.parts) < 2:
            return None
        names = [p.name for p in self.loaded.parts]
        found = self.db.execute("SELECT part, rec FROM raw ORDER BY seq").fetchall()
        return [(names[part], rec) for part, rec in found]

    def rows(self) -> Iterator[list[Any]]:
        """Every row below the header, in order, as cells (blank as ""), for the Orders sheet."""
        cursor = self.db.cursor()
        cursor.execute(f"SELECT {self.loaded.columns()} FROM raw ORDER BY seq")
        cell = self.loaded.cell
        while chunk := cursor.fetchmany(_CHUNK):
            for row in chunk:
                yield ["" if v is None else cell(v) for v in row]

    def sheet_columns(self, rows: int | None = None) -> list[Sequence[Any]]:
        """Every column below the header (or its first ``rows``), in order, as the Orders sheet's cells (None for
        a blank), each held as one array and made Python values a slice at a time; a text that repeats down a
        column is one str."""
        return [self._sheet_column(i, rows) for i in range(self.loaded.width)]

    def typed_source(self) -> TypedLines | None:
        """The lines as SQL for the Orders sheet's body; None when a column holds CSV text (Python reads its
        cells) or the lines come from several files."""
        forms = [self.loaded.form(i) for i in range(self.loaded.width)]
        if len(self.loaded.parts) > 1 or CSV_TEXT in forms:
            return None
        marks = pd.DataFrame({"i": np.arange(len(self.status), dtype=np.int64), "status": self.status})
        self.db.register("kactier_marks", marks)
        cells = ", ".join(f"r.{self.loaded.column(i)} AS cell{i}" for i in range(self.loaded.width))
        return TypedLines(
            self.db, f"SELECT m.i, m.status, {cells} FROM raw r POSITIONAL JOIN kactier_marks m", forms
        )

    def _sheet_column(self, index: int, rows: int | None) -> Sequence[Any]:
        c, form = self.loaded.column(index), self.loaded.form(index)
        limit = f" LIMIT {int(rows)}" if rows is not None else ""
        values: Any = self.db.execute(f"SELECT {c} FROM raw ORDER BY seq{limit}").fetchnumpy()[c]
        data, blank = np.ma.getdata(values), np.ma.getmaskarray(values)
        if form == DATE:
            return DateColumn(data, blank)
        if form in (TEXT, CSV_TEXT):  # each distinct text one str (a region, a name), decoded once
            texts_or_none = np.array(data, dtype=object)
            texts_or_none[blank] = None
            codes, uniques = pd.factorize(texts_or_none)
            if form == CSV_TEXT or len(uniques) * 2 <= len(codes):
                texts = [csv_cell(t) for t in uniques] if form == CSV_TEXT else list(uniques)
                table = np.empty(len(texts) + 1, dtype=object)  # the last one, at -1, is None: a blank
                table[: len(texts)] = texts
                texts_or_none = table[codes]
            return SheetColumn(texts_or_none, None, _as_list)
        return SheetColumn(data, blank, _as_list)

    def export(self, paths: list[Path], labels: list[str], headers: tuple[str, str, str]) -> None:
        """Every line's disposition to ``paths`` (a Parquet file, then a CSV file in UTF-8 with a BOM, for Excel),
        each with the file and line number, the line's cells as written and what became of it.
        ``labels`` names each :class:`~kactier.orders.lines.LineStatus`, ``headers`` the file, line and status
        columns."""
        file_header, line_header, status_header = (_quoted(h) for h in headers)
        parts = ", ".join(f"'{p.name.replace(chr(39), chr(39) * 2)}'" for p in self.loaded.parts)
        label = ", ".join(f"'{x.replace(chr(39), chr(39) * 2)}'" for x in labels)
        cells = ", ".join(
            f"r.{self.loaded.column(i)} AS {_quoted(name)}" for i, name in enumerate(self.names)
        )
        # raw holds the lines in order, as the statuses are: paired by position, with no join or sort to spill
        self.db.register("statuses", pd.DataFrame({"status": self.status}))
        query = (
            f"SELECT [{parts}][r.part + 1] AS {file_header}, r.rec AS {line_header}, {cells}, "
            f"[{label}][s.status + 1] AS {status_header} FROM raw r POSITIONAL JOIN statuses s"
        )
        # a Parquet file written already: the next file is read from it, in parallel, not the query run again
        written: Path | None = None
        for path in paths:
            partial = path.with_name(f".{path.name}.tmp")
            source = f"({query})" if written is None else f"read_parquet('{_literal(written)}')"
            if path.suffix == ".parquet":
                self.db.execute(f"COPY (SELECT * FROM {source}) TO '{_literal(partial)}' (FORMAT parquet)")
                partial.replace(path)
                written = path
                continue
            marked = _BOM + headers[0]  # the first header starts with the BOM: the file then does
            if _PLAIN_HEADER.fullmatch(headers[0]):
                select = f"SELECT {file_header} AS {_quoted(marked)}, * EXCLUDE ({file_header}) FROM {source}"
            else:
                select = f"SELECT * FROM {source}"
            self.db.execute(f"COPY ({select}) TO '{_literal(partial)}' (FORMAT csv, HEADER)")
            if not _PLAIN_HEADER.fullmatch(headers[0]):
                _prepend_bom(partial)
            partial.replace(path)

    def close(self) -> None:
        """Remove the database."""
        self.engine.close()


class SheetColumn(Sequence[Any]):
    """The values of one array as cells, None where ``blank`` is true, converted a slice at a time by
    ``convert`` (the array's slice and the blank flags of it, or None when the array holds None for a blank)."""

    def __init__(self, data: Any, blank: Any, convert: Callable[[Any, Any], list[Any]]) -> None:
        self._data, self._blank, self._convert = data, blank, convert

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return self._convert(self._data[key], None if self._blank is None else self._blank[key])
        return self[key : key + 1][0] if 0 <= key < len(self) else self._data[key]


class DateColumn(SheetColumn):
    """A column of dates and times: as cells, dates at midnight and dates and times otherwise; and as Excel
    serials (:attr:`serials`, NaN for a blank) with the cells that have a time of day (:attr:`timed`)."""

    def __init__(self, data: Any, blank: Any) -> None:
        super().__init__(data, blank, _as_dates)
        self.blank = blank
        self.timed = (data != data.astype("datetime64[D]")) & ~blank
        self.serials = np.where(blank, np.nan, serials_1900(data))


def _as_list(data: Any, blank: Any) -> list[Any]:
    values = data.tolist()
    if blank is None or not blank.any():
        return values  # type: ignore[no-any-return]
    return [None if b else v for v, b in zip(values, blank.tolist(), strict=True)]


def _as_dates(data: Any, blank: Any) -> list[Any]:
    """Timestamps as python-calamine gives them: a date at midnight, else a date and time."""
    days = data.astype("datetime64[D]")
    values: list[Any] = days.tolist()
    timed = (data != days) & ~blank
    for i in np.flatnonzero(timed).tolist():
        values[i] = data[i].astype("datetime64[us]").item()
    for i in np.flatnonzero(blank).tolist():
        values[i] = None
    return values


_BOM = "\ufeff"
# a header the CSV writer leaves unquoted, so that a BOM put before it starts the file
_PLAIN_HEADER = re.compile(r"[^\s,\"'\n\r\ufeff][^,\"\n\r]*")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _prepend_bom(path: Path) -> None:
    """Put a UTF-8 byte-order mark before the CSV file's text, so that Excel opens it as UTF-8."""
    with_bom = path.with_name(path.name + ".bom")
    with path.open("rb") as source, with_bom.open("wb") as target:
        target.write(b"\xef\xbb\xbf")
        while block := source.read(1 << 22):
            target.write(block)
    with_bom.replace(path)
