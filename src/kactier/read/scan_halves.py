"""The first pass over a big sheet's XML (:mod:`kactier.read.sheet_scan`) on two cores.

The checks of a chunk are byte operations and regular expressions that hold the GIL, so threads cannot share
them; a forked process can. Both processes inflate the whole part (a deflate stream is read in order), and
each checks every other chunk: this one the even chunks, the child the odd ones, reading the file through its
own handle. The child reports the extent of its chunks (last row and column, cells counted), whether one had a
cell without a position and whether one had rare markup; this process takes the larger extent and either flag.
Anything the child refuses or fails at (a text too long, a fork the system refuses) makes :func:`first_pass_in_two`
return None, and the caller checks every chunk itself, so a refusal is worded as it always is.

As in :mod:`kactier.report.bulk_split`, SIGINT and SIGTERM are held off around the fork and for the child's life,
the collector does not run in the child, and the child ends with ``os._exit``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import sys
import warnings
import zipfile
from collections.abc import Callable
from typing import NoReturn

from .package import Package, SheetEntry
from .sheet_copies import SheetCopies
from .sheet_extent import Extent
from .sheet_facts import SheetFacts

TWO_CORES_FROM = 32 * 1024**2  # bytes of sheet XML; below, one process checks them in well under a second
_Pass = Callable[
    [Package, SheetEntry, zipfile.ZipInfo, SheetFacts, tuple[int, int] | None, SheetCopies | None],
    tuple[Extent | None, bool],
]


def worth_it(info: zipfile.ZipInfo) -> bool:
    """True for a big sheet on Linux with two cores this process may use."""
    if info.file_size < TWO_CORES_FROM or not sys.platform.startswith("linux"):
        return False
    return len(os.sched_getaffinity(0)) >= 2


def first_pass_in_two(
    package: Package,
    entry: SheetEntry,
    info: zipfile.ZipInfo,
    facts: SheetFacts,
    check: _Pass,
    copies: SheetCopies | None = None,
) -> tuple[Extent | None, bool] | None:
    """``check`` over the even chunks here and the odd ones in a forked child, merged; None when the child did
    not finish its half. This process, which reads every chunk, writes them to ``copies``."""
    read_end, write_end = os.pipe()
    freezing = gc.get_freeze_count() == 0  # the collector must not walk (and so copy) the pages the two share
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    if freezing:
        gc.freeze()
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns of any fork beside other threads
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        _child(package, entry, info, check, (read_end, write_end))
    reaped = pid < 0
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(write_end)
        if pid < 0:
            return None
        extent, unplaced = check(package, entry, info, facts, (0, 2), copies)
        with os.fdopen(read_end, "rb", closefd=False) as pipe:
            said = pipe.read().split()
        _, status = os.waitpid(pid, 0)
        reaped = True
        if extent is None or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or len(said) != 5:
            return None
        row, column, cells, other_unplaced, rare = (int(n) for n in said)
        extent.max_row, extent.max_column = max(extent.max_row, row), max(extent.max_column, column)
        extent.cells += cells
        facts.rare = facts.rare or bool(rare)
        return extent, unplaced or bool(other_unplaced)
    finally:
        if not reaped:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        os.close(read_end)
        if freezing:
            gc.unfreeze()


def _child(
    package: Package, entry: SheetEntry, info: zipfile.ZipInfo, check: _Pass, pipe: tuple[int, int]
) -> NoReturn:
    """Check the odd chunks through a handle of its own (the parent's shares its file offset) and report."""
    status = 1
    try:
        os.close(pipe[0])
        gc.disable()
        name = package.zip.filename
        own = zipfile.ZipFile(name) if isinstance(name, str) else package.zip  # bytes in memory: its own copy
        found = SheetFacts()
        extent, unplaced = check(
            dataclasses.replace(package, zip=own), entry, own.getinfo(info.filename), found, (1, 2), None
        )
        if extent is not None:
            row, column, cells = extent.result()
            os.write(pipe[1], b"%d %d %d %d %d" % (row, column, cells, unplaced, found.rare))
        status = 0
    finally:
        os._exit(status)
