"""Python's cyclic garbage collector during a run: paused while the input is read, and kept off what was read.

A read builds a list for every row (a million of them for a full sheet), none of them in a cycle, and each full
collection walks every one: at 100,000 rows about 0.7 s of CPU in a 9 s run. So the collector is paused while the
input is read, and what was read is then frozen (``gc.freeze``: moved where collections do not look) until the run
ends. Nothing is kept longer for it: an object is freed by its reference count as always, and cyclic garbage made
after the read is collected as always.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def read_then_frozen() -> Iterator[Callable[[], None]]:
    """Pause the collector until the ``settle()`` this yields is called (once the input is read): every object
    alive then is frozen and the collector runs again. When the block ends, what was frozen is unfrozen (unless
    something was frozen before the block: that freeze is not this run's to undo)."""
    was_on = gc.isenabled()
    owns = gc.get_freeze_count() == 0
    gc.disable()
    settled = False

    def settle() -> None:
        nonlocal settled
        if settled:
            return
        settled = True
        if owns:
            gc.freeze()
        if was_on:
            gc.enable()

    try:
        yield settle
    finally:
        settle()
        if owns:
            gc.unfreeze()
