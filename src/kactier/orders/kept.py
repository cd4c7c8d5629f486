"""The lines of an order export kept in DuckDB until the report is written: the Orders sheet's rows, or every
line's disposition in a Parquet and a CSV file when no sheet holds them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..read.csvfile import csv_cell
from .scan import LoadedParts, OrderEngine

if TYPE_CHECKING:
    import duckdb

_CHUNK = 262_144  # rows fetched at a time


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
        while chunk := cursor.fetchmany(_CHUNK):
            for row in chunk:
                yield ["" if v is None else csv_cell(v) for v in row]

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
