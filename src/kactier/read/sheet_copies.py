"""Copies of a big sheet's package in parts, written from the chunks its first pass reads, for a reader that
parses the parts side by side (:mod:`kactier.orders.sheet_arrow`).

The first pass over a sheet's XML (:mod:`kactier.read.sheet_scan`) inflates every chunk of it; :class:`SheetCopies`
writes those chunks into ``parts`` copies of the package as they go by (on a thread of its own: writing and its
CRC release the GIL the checks hold), so that the sheet is not inflated again to be cut. Each copy holds the sheet's XML from its start through its first :data:`HEAD_ROWS` rows (where the
header is looked for; the sheet's ``<dimension>`` claim left out) and then about one ``parts``-th of the rows
after them, in order (the first copy: the rows from the start), with the parts calamine needs beside it
(workbook, relationships, styles, shared strings) and no other sheet or media. A copy is parsed only once the
pass has checked every chunk: each then holds nothing but checked XML.

A chunk that does not end a row (a text of 64 MiB cut before a tag) or a sheet whose first chunk does not hold
its first rows leaves no copies (:attr:`SheetCopies.parts` is None), and the reader reads the sheet another way.
"""

from __future__ import annotations

import queue
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .header import HEADER_SEARCH_ROWS
from .package import Package, SheetEntry
from .sheet_facts import sheet_info
from .zip_parts import read_member

HEAD_ROWS = HEADER_SEARCH_ROWS  # rows each copy starts with: the header is one of them
_DIMENSION = re.compile(rb"<dimension\b[^>]*>")
_LEFT_OUT = ("xl/worksheets/", "xl/chartsheets/", "xl/media/", "xl/drawings/", "xl/charts/", "xl/pivot")
_ROW_END = b"</row>"
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')
_HEAD_AT_MOST = 64 << 20  # bytes of XML the head rows may take
_AHEAD = 4  # chunks handed to the writing thread and not yet written


@dataclass(frozen=True, slots=True)
class SheetPart:
    """A copy of the package holding part of a sheet's rows."""

    path: Path
    first_row: int  # the Excel row of its first row after the head rows (the first copy: of its first row)


class SheetCopies:
    """Copies of sheet ``entry``'s package in parts (see the module docstring), in a folder of their own that
    :meth:`close` removes."""

    def __init__(self, package: Package, entry: SheetEntry, parts: int) -> None:
        self.package, self.entry, self.count = package, entry, parts
        self._share = sheet_info(package, entry).file_size / parts  # bytes of XML per copy
        self.folder = Path(tempfile.mkdtemp(prefix="kactier-parts-"))
        self.parts: list[SheetPart] | None = None  # once a pass has written them all
        self.head_rows: list[int] = []  # the Excel rows of the first chunk's row elements
        self._jobs: queue.Queue[Callable[[Any], Any] | None] | None = None  # for the writing thread
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._done: list[SheetPart] = []
        self._top = b""
        self._written = 0
        self._failed = False
        self._gathered: bytes | None = None  # the first chunks, until they hold the head rows

    def restart(self) -> None:
        """A pass over the sheet begins: what an earlier one wrote is dropped."""
        self._drain()
        for path in self.folder.glob("part*.xlsx"):
            path.unlink()
        self.parts, self.head_rows, self._done, self._top, self._failed = None, [], [], b"", False

    def add(self, chunk: bytes, first: bool) -> None:
        """The next chunk of the sheet's XML (``first``: its first), cut after a row end."""
        if first:
            self._gathered = b""
        if self._failed:
            return
        rows_start = 0
        if self._gathered is not None:  # the XML through the head rows, in as many chunks as it takes
            chunk = self._gathered + chunk
            found = self._head(chunk)
            if found is None:
                self._gathered = chunk
                self._failed = len(chunk) > _HEAD_AT_MOST
                return
            if found < 0:
                self._failed = True
                return
            self._gathered = None
            rows_start = found
        end = chunk.rfind(_ROW_END)
        rows = chunk[rows_start : end + len(_ROW_END)] if end >= rows_start else b""
        rest = chunk[end + len(_ROW_END) :] if end >= 0 else chunk[rows_start:]
        if rest.strip() and not rest.lstrip().startswith(b"</sheetData"):  # not a row end: no copies
            self._failed = True
            return
        if rows:
            self._write(rows)

    def finish(self) -> None:
        """The pass read the whole sheet: the copies are complete once written."""
        if not self._drain() and not self._failed and self._done and self._gathered is None:
            self.parts = list(self._done)

    def close(self) -> None:
        """Remove the copies."""
        self._drain()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _head(self, first: bytes) -> int | None:
        """Note the head rows of the sheet's first chunks; where the first copy's rows start (after the
        ``<sheetData>`` tag); None when they end before the head rows do, -1 when they hold no rows."""
        start = first.find(b"<sheetData")
        opened = first.find(b">", start) + 1
        if start < 0 or opened <= 0 or first[opened - 2 : opened] == b"/>":
            return -1 if start >= 0 or len(first) > _HEAD_AT_MOST else None
        prelude = _DIMENSION.sub(b"", first[:start], count=1)
        head_end = None
        rows = []
        for row in _ROW_NUMBER.finditer(first, opened):
            rows.append(int(row.group(1)))
            if rows[-1] > HEAD_ROWS:
                head_end = row.start()
                break
        if head_end is None:
            return None
        self.head_rows = rows
        self._top = prelude + first[start:head_end]  # the later copies start with the head rows
        self._start_part(self.folder / "part0.xlsx", prelude + first[start:opened], self.head_rows[0])
        return opened

    def _write(self, rows: bytes) -> None:
        if self._written >= self._share and len(self._done) < self.count:
            match = _ROW_NUMBER.search(rows)
            if match is None or int(match.group(1)) <= HEAD_ROWS:
                self._failed = True
                return
            self._start_part(self.folder / f"part{len(self._done)}.xlsx", self._top, int(match.group(1)))
        self._later(lambda writer: writer.write(rows))
        self._written += len(rows)

    def _start_part(self, path: Path, top: bytes, first_row: int) -> None:
        """The next copy, begun with ``top`` (the one before it closed)."""
        package, entry = self.package, self.entry
        self._later(lambda writer: writer.close() if writer is not None else None)
        self._later(lambda _: PartWriter(package, entry, path, top))
        self._done.append(SheetPart(path, first_row))
        self._written = 0

    def _later(self, job: Callable[[Any], Any]) -> None:
        """Run ``job`` on the writing thread, after those before it: given the copy being written, it returns
        the copy to write next (a write returns None: the same)."""
        if self._jobs is None:
            self._jobs = queue.Queue(maxsize=_AHEAD)
            self._thread = threading.Thread(target=self._work, args=(self._jobs,), name="kactier-copies")
            self._thread.start()
        self._jobs.put(job)

    def _work(self, jobs: queue.Queue[Callable[[Any], Any] | None]) -> None:
        writer: PartWriter | None = None
        try:
            while (job := jobs.get()) is not None:
                if self._error is None:
                    writer = job(writer) or writer
            if writer is not None:
                writer.close()
        except BaseException as exc:  # a disk full, say: no copies (the sheet is read another way)
            self._error = exc
            while jobs.get() is not None:
                pass

    def _drain(self) -> bool:
        """Wait for the copies to be written; True when writing one failed."""
        if self._jobs is not None and self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
        self._jobs, self._thread = None, None
        failed, self._error = self._error is not None, None
        return failed


class PartWriter:
    """One copy of the package being written: the other parts calamine needs copied, then ``top`` and the rows
    of the sheet's XML as they come, closed by :meth:`close`."""

    def __init__(self, package: Package, entry: SheetEntry, path: Path, top: bytes) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_STORED)
        copy_others(package, entry, self._zip)
        self._sheet: IO[bytes] = self._zip.open(entry.part or "", "w", force_zip64=True)
        self._sheet.write(top)

    def write(self, rows: bytes) -> None:
        """Rows of the sheet's XML, whole row elements."""
        self._sheet.write(rows)

    def close(self) -> None:
        """Close the sheet's XML and the package."""
        self._sheet.write(b"</sheetData></worksheet>")
        self._sheet.close()
        self._zip.close()


def copy_others(package: Package, entry: SheetEntry, copy: zipfile.ZipFile) -> None:
    """The parts calamine needs beside sheet ``entry`` (workbook, relationships, styles, shared strings) into
    ``copy``; the other sheets and any media are left out."""
    for member in package.zip.infolist():
        name = member.filename
        if name != entry.part and not name.startswith(_LEFT_OUT) and not name.endswith("/"):
            copy.writestr(name, read_member(package.path, package.zip, name))
