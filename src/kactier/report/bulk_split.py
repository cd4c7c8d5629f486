"""A big sheet body rendered on two cores: a forked child renders the later half of its blocks of rows while this
process renders the first half.

Rendering ``<c>`` elements is pure Python and holds the GIL, so threads cannot share the work; a forked process can,
and copies nothing up front: it reads the body from memory it shares with the parent, copy-on-write. The child
writes its blocks, UTF-8, to an unnamed temporary file beside the sheet's XML, and the parent appends that file after
its own blocks, so the sheet is byte for byte what one process renders. A block the child cannot render on its own
(text that must join the parent's shared-string table, :class:`ParentNeeded`) stops it there: the parent renders
that block and the rest. Any other failure of the child (an exception, a signal, a fork the system refuses) leaves
all of its blocks to the parent, so the worst case is the time one process takes.

The fork is used on Linux with two or more usable cores, for a body of :data:`PARALLEL_FROM` to
:data:`PARALLEL_UP_TO` cells (past it, the pages the child copies cost more memory than a full sheet may take). A
forked child has only the thread that forked, so a lock another thread held at that moment stays held in it: the
child therefore touches nothing another thread may hold (the terminal's progress display, DuckDB's workers). It
renders with its own objects, writes to its own file, does no garbage collection (which would touch, and so copy,
every page of the parent's objects), no output and no exit handlers.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, NoReturn

from .package_zip import usable_cores

PARALLEL_FROM = 400_000  # cells; below, a fork (about 10 ms, and the pages the child touches) is not worth it
# cells; above, one process renders: the child copies each memory page it reads from (reference counts are writes),
# 614 MiB beside the parent's 1,333 MiB for a full 1,048,575-row customer sheet (27M cells), past SPEC §9's 1.5 GB
PARALLEL_UP_TO = 12_000_000
_in_child = False


class ParentNeeded(Exception):
    """A block needs state only the parent may change (the workbook's shared-string table)."""


def in_child() -> bool:
    """True in a forked renderer."""
    return _in_child


def render_blocks(blocks: Sequence[range], render: Callable[[range], str], out: IO[str], cells: int) -> None:
    """Write ``render(block)`` for each of ``blocks`` to ``out``, in order: the later half in a forked child when
    the body (``cells`` cells) is big enough and the machine has a core to spare."""
    if len(blocks) < 2 or not _may_fork(cells):
        for block in blocks:
            out.write(render(block))
        return
    half = (len(blocks) + 1) // 2
    with _forked(blocks[half:], render, _folder_of(out)) as child:
        for block in blocks[:half]:
            out.write(render(block))
        done = child.join(out)
    for block in blocks[half + done :]:
        out.write(render(block))


def _may_fork(cells: int) -> bool:
    if not PARALLEL_FROM <= cells <= PARALLEL_UP_TO:
        return False
    if not sys.platform.startswith("linux"):
        return False
    return usable_cores() >= 2


class _Child:
    """A forked renderer: its process, the pipe it reports on and the file it writes to."""

    def __init__(self, pid: int, report: int, part: IO[bytes]) -> None:
        self.pid, self.report, self.part = pid, report, part
        self.reaped = False

    def join(self, out: IO[str]) -> int:
        """Wait for the child, append what it rendered to ``out``, and return how many blocks that was."""
        if self.pid < 0:
            return 0
        with os.fdopen(self.report, "rb", closefd=False) as pipe:
            said = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not said:
            return 0
        done, size = (int(n) for n in said.split())
        self.part.seek(0)
        if size:
            out.flush()
            target = getattr(out, "buffer", None)
            if target is not None:
                _copy(self.part, target, size)
            else:  # a text stream without bytes underneath (XlsxWriter's in-memory mode)
                out.write(self.part.read(size).decode("utf-8"))
        return done


def _copy(source: IO[bytes], target: Any, size: int) -> None:
    """``size`` bytes of ``source`` to the binary stream ``target``."""
    left = size
    while left:
        chunk = source.read(min(left, 1 << 22))
        if not chunk:
            raise OSError(f"the rendered part ended {left} bytes early")
        target.write(chunk)
        left -= len(chunk)


@contextlib.contextmanager
def _forked(blocks: Sequence[range], render: Callable[[range], str], folder: str | None) -> Iterator[_Child]:
    """A child rendering ``blocks``; it is killed if this process stops waiting for it.

    Ctrl-C (SIGINT) and SIGTERM are held off around the fork: the child keeps them held for its whole life, so an
    interrupt can never run this process's clean-up a second time in the child (which would delete the output's
    temporary file, or flush the workbook's buffered XML twice); the parent takes them again once it is ready to
    kill the child."""
    with tempfile.TemporaryFile(dir=folder, prefix="kactier-rows-") as part:
        read_end, write_end = os.pipe()
        # While the child runs, this process's collector must not walk (and so copy) the pages the two share:
        # everything alive is frozen until the child is done, unless a freeze is on already.
        freezing = gc.get_freeze_count() == 0
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        if freezing:
            gc.freeze()
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns of any fork beside other threads: see above
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            _child_main(blocks, render, part, (read_end, write_end))
        child = _Child(pid, read_end, part)
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(write_end)
            child.reaped = pid < 0  # no fork: the parent renders everything
            yield child
        finally:
            if not child.reaped:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            os.close(child.report)
            if freezing:
                gc.unfreeze()


def _child_main(
    blocks: Sequence[range], render: Callable[[range], str], part: IO[bytes], pipe: tuple[int, int]
) -> NoReturn:
    """The child: render ``blocks`` into ``part`` and report on the pipe's write end how many and their size;
    it ends with ``os._exit``, whatever happens, so none of the parent's clean-up runs here."""
    global _in_child
    status = 1
    try:
        os.close(pipe[0])
        _in_child = True
        gc.disable()
        done = size = 0
        for block in blocks:
            try:
                data = render(block).encode("utf-8")
            except ParentNeeded:
                break
            part.write(data)
            done += 1
            size += len(data)
        part.flush()
        os.write(pipe[1], f"{done} {size}".encode())
        status = 0
    finally:
        os._exit(status)


def _folder_of(out: IO[str]) -> str | None:
    """The folder of the file ``out`` writes to (the workbook's temporary folder), or None for the default."""
    name = getattr(out, "name", None)
    return os.path.dirname(name) if isinstance(name, str) and os.path.isabs(name) else None
