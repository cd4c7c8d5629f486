"""More customers than a sheet holds (1,048,575): the graded rows go to ``<stem>.tiered.parquet``, written by DuckDB,
with the data sheet's columns (the input's, then the added ones), and the workbook keeps Summary, Issues and Config.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from .added import added_headers, added_values
from .model import Report


def write_rows_file(report: Report, path: Path) -> None:
    """Write the graded rows of ``report`` to the Parquet file ``path`` (atomically)."""
    import duckdb  # here: only a run this large needs it

    table = report.table
    lang = table.lang
    headers = [
        *table.column_names,
        *added_headers(report.config, lang, table.column_names, extra=report.extra),
    ]
    rows = [table.raw.rows[i] for i in table.row_indexes]
    columns = [_column([row[c] for row in rows]) for c in range(len(table.column_names))]
    columns += [
        _column(list(values))
        for values in added_values(report.scores, report.grades, report.config, lang, report.extra)
    ]
    frame = pd.DataFrame({f"c{i}": column for i, column in enumerate(columns)})
    names = ", ".join(f'c{i} AS "{h.replace(chr(34), chr(34) * 2)}"' for i, h in enumerate(headers))
    partial = path.with_name(f".{path.name}.tmp")
    with duckdb.connect() as db:
        db.register("graded", frame)
        db.execute(
            f"COPY (SELECT {names} FROM graded) TO '{str(partial).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
        )
    partial.replace(path)


def _column(values: list[Any]) -> pd.Series:
    """One column with one type: numbers as floats, dates as dates, anything else as text; blank as null."""
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pd.Series([None if v is None or v == "" else float(v) for v in values], dtype="float64")
    if present and all(isinstance(v, dt.date) for v in present):
        return pd.Series([None if v is None or v == "" else v for v in values], dtype=object)
    return pd.Series([None if v is None or v == "" else str(v) for v in values], dtype=object)
