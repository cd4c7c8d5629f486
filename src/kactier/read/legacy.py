"""Workbooks whose bytes kactier does not check itself (.xls, .xlsb, .ods) are parsed first in a child process.

python-calamine reads these formats too, but a crafted file can make it abort or allocate without bound, and
their binary or XML layouts are not inspected here as an .xlsx is (:mod:`kactier.read.package`,
:mod:`kactier.read.sheet_scan`). So a child process, limited in memory and time, parses every sheet first and
reports each sheet's size and cell count. Only when it comes back whole, with sheets in proportion to their
cells, does kactier parse the file itself: the same bytes, the same parser, so the same outcome, now known to be
safe. It costs a second parse, on formats that are rare and small; the .xlsx fast path never takes it.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from ..errors import InputError, Phrase
from ..excel import MAX_COLUMNS, MAX_ROWS
from .limits import DENSE_FACTOR, DENSE_FLOOR

PROBE_SECONDS = 30
PROBE_MEMORY = 2 * 1024**3  # address space of the child, at most (less when kactier itself is limited)

_PROBE = r"""
import io, json, resource, sys
limit = int(sys.argv[1])
if limit > 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import python_calamine as calamine
data = sys.stdin.buffer.read()
book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
report = []
for meta in book.sheets_metadata:
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        continue  # a chart or macro sheet is never data (and calamine cannot lay out an .xlsb chart sheet)
    name = meta.name
    sheet = book.get_sheet_by_name(name)
    height = width = cells = 0
    for row in sheet.iter_rows():  # one row at a time: a sparse sheet is never held as Python lists
        height += 1
        width = max(width, len(row))
        cells += len(row) - row.count("")
    report.append({"name": name, "rows": height, "columns": width, "cells": cells})
print(json.dumps(report))
"""


def _out_of_memory(returncode: int, said: str) -> bool:
    """True when the child stopped for want of memory: a Python MemoryError, Rust's "memory allocation of N
    bytes failed" (and the abort after it), or a SIGKILL, which on Linux is the out-of-memory killer's signal."""
    return "MemoryError" in said or "memory allocation of" in said or returncode == -signal.SIGKILL


def probe(path: Path, data: bytes | None, what: Phrase) -> None:
    """Parse the workbook (``data``, or the file at ``path``) in a child process; raise :class:`InputError` when
    the child fails, is killed, runs out of time, or finds a sheet that would take far more memory than its data.
    ``what`` names the format in messages (``Phrase("what.xls")``: "legacy .xls workbook")."""
    content = data if data is not None else path.read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limits = [x for x in (soft, hard, PROBE_MEMORY) if x != resource.RLIM_INFINITY and x > 0]
    limit = min(limits) if limits else PROBE_MEMORY
    env = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    }
    try:
        child = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE, str(limit)],
            input=content,
            capture_output=True,
            timeout=PROBE_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError("input.probe_timeout", path=path, what=what, seconds=PROBE_SECONDS) from None
    except OSError as exc:
        raise InputError("input.probe_start", path=path, what=what, reason=exc.strerror or exc) from None
    if child.returncode != 0:
        said = child.stderr.decode("utf-8", "replace")
        if _out_of_memory(child.returncode, said):
            raise InputError("input.probe_memory", path=path, what=what, limit=f"{limit / 1024**3:.1f} GB")
        last = (said.strip().splitlines() or ["stopped"])[-1]
        cause = (
            Phrase("what.reader_stopped", last=last[:160])
            if child.returncode > 0
            else Phrase("what.reader_killed")
        )
        raise InputError("input.probe_failed", path=path, what=what, reason=cause)
    try:
        sheets = json.loads(child.stdout)
    except ValueError:
        raise InputError("input.probe_output", path=path, what=what) from None
    for sheet in sheets:
        rows, columns, cells = int(sheet["rows"]), int(sheet["columns"]), int(sheet["cells"])
        where = Phrase("where.sheet", path=path, sheet=sheet["name"])
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise InputError(
                "input.probe_too_big",
                where=where,
                rows=rows,
                columns=columns,
                max_rows=MAX_ROWS,
                max_columns=MAX_COLUMNS,
            )
        if rows * columns > max(DENSE_FLOOR, DENSE_FACTOR * cells):
            raise InputError("input.probe_sparse", where=where, rows=rows, columns=columns, cells=cells)
