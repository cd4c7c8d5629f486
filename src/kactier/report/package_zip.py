"""The graded workbook's zip, its big parts deflated on every core.

XlsxWriter zips each part of the package in turn, one zlib stream on one core: for a 100,000-row sheet, 84 MB of
XML and a tenth of the run. :class:`PackageZip` (the ``ZipFile`` that :func:`kactier.report.bulk.deflate_level`
gives XlsxWriter) deflates a part of :data:`PIECE` bytes or more in pieces on worker threads, as pigz does: each
piece is deflated on its own and ends on a byte boundary (``Z_SYNC_FLUSH``), and an empty final block ends the
stream, so the pieces laid end to end are one valid deflate stream that every unzip reads. zlib releases the GIL
while it works, so the pieces of one part are compressed side by side while this thread reads the next one and
``zipfile`` adds up its CRC.

A piece cannot refer back into the piece before it, which costs a few bytes per 4 MB piece; the file is otherwise
as small as the deflater makes it at the same level. At the fast levels (1 to 3) the pieces are deflated by ISA-L
(:mod:`isal.isal_zlib`, zlib's interface): for a million-row sheet, level 1 takes a quarter of zlib's time and the
file is as small (82 MB against zlib's 84 MB for 461 MB of XML). Without it (a platform it has no build for), and
at the higher levels, zlib deflates them.

``zipfile`` takes its compressor when a member is opened for writing; it is swapped for :class:`_Pieces` there
(``_ZipWriteFile._compressor``, the one ``zipfile`` internal used here: tests/test_package_zip.py fails when the
pieces are not used). Everything else (the header, the sizes, the CRC, ZIP64) is ``zipfile``'s own work.
"""

from __future__ import annotations

import os
import types
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

_fast_zlib: types.ModuleType
try:
    from isal import isal_zlib as _fast_zlib
except ImportError:  # no build of ISA-L for this platform: zlib, as fast as it goes
    _fast_zlib = zlib

PIECE = 4 << 20  # bytes deflated at a time by one thread; a part smaller than this is zipped as zipfile does
FAST_LEVELS = range(0, 4)  # the levels ISA-L deflates at (its 0 to 3)
_AHEAD = 3  # pieces in flight at most (read, being deflated, deflated and not yet written)


class PackageZip(ZipFile):
    """A ``ZipFile`` whose :meth:`write` deflates a big file in pieces on worker threads."""

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        kind = self.compression if compress_type is None else compress_type
        if kind != ZIP_DEFLATED or usable_cores() < 2 or os.path.getsize(filename) < 2 * PIECE:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        zinfo = ZipInfo.from_file(filename, arcname)
        zinfo.compress_type = ZIP_DEFLATED
        level = self.compresslevel if compresslevel is None else compresslevel
        with open(filename, "rb") as source, ThreadPoolExecutor(usable_cores(), "kactier-zip") as pool:
            pieces = _Pieces(pool, zlib.Z_DEFAULT_COMPRESSION if level is None else level)
            with self.open(zinfo, "w") as member:
                member._compressor = pieces  # type: ignore[attr-defined]  # see the module docstring
                while chunk := source.read(PIECE):
                    member.write(chunk)


class _Pieces:
    """A compressor with zlib's ``compress``/``flush`` interface that deflates each chunk on a worker thread and
    returns the chunks deflated so far, in order."""

    def __init__(self, pool: ThreadPoolExecutor, level: int) -> None:
        self.pool, self.level = pool, level
        self.pending: deque[Future[bytes]] = deque()

    def compress(self, data: bytes) -> bytes:
        self.pending.append(self.pool.submit(_deflate_piece, data, self.level))
        done = []
        while self.pending and (len(self.pending) >= _AHEAD or self.pending[0].done()):
            done.append(self.pending.popleft().result())
        return b"".join(done)

    def flush(self) -> bytes:
        done = [future.result() for future in self.pending]
        self.pending.clear()
        ender = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        return b"".join(done) + ender.flush(zlib.Z_FINISH)  # an empty final block ends the stream


def _deflate_piece(data: bytes, level: int) -> bytes:
    """``data`` as raw deflate blocks ending on a byte boundary, with no final block."""
    deflater: Any = deflater_for(level)
    compressor = deflater.compressobj(level, deflater.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(deflater.Z_SYNC_FLUSH)  # type: ignore[no-any-return]


def deflater_for(level: int) -> Any:
    """The module (zlib's interface) that deflates a piece at ``level``."""
    return _fast_zlib if level in FAST_LEVELS else zlib


def usable_cores() -> int:
    """Threads to deflate with: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
