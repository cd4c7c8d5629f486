"""Reading one part of a zip package safely: whole, in chunks cut at element ends, or only inflated to verify it.

Every read goes through :mod:`zipfile`, which checks each part's size and CRC against the zip directory as it
inflates, so a part that claims fewer bytes than it holds is caught. An XML part whose prolog declares a
``<!DOCTYPE`` (the door to entity attacks) is refused, and a part kactier parses whole is parsed with defusedxml.
"""

from __future__ import annotations

import threading
import zipfile
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from queue import Full, Queue
from typing import Any

from defusedxml import ElementTree as SafeET

from ..errors import InputError
from .limits import MAX_PARSED_BYTES
from .sniff import why

CHUNK = 4 * 1024**2
# what zipfile raises on a damaged part, or one whose sizes lie
READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error)
_XML_PARTS = (".xml", ".rels", ".vml")


def read_member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """The whole of part ``name`` (at most :data:`MAX_PARSED_BYTES`), its size and CRC checked (and an XML part's
    prolog); a damaged or oversized part is an :class:`InputError`."""
    try:
        if archive.getinfo(name).file_size > MAX_PARSED_BYTES:
            raise InputError("input.part_too_big", path=path, part=name, max_size=MAX_PARSED_BYTES)
        with archive.open(name) as handle:
            data = handle.read(MAX_PARSED_BYTES + 1)
    except KeyError:
        raise InputError("input.part_missing", path=path, part=name) from None
    except READ_ERRORS as exc:
        raise InputError("input.part_sizes_lie", path=path, part=name, reason=why(exc)) from None
    if name.endswith(_XML_PARTS):
        check_prolog(path, name, data[:65536])
    return data


def read_small_member(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The first ``limit`` bytes of part ``name`` (a small part such as ``mimetype``)."""
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except READ_ERRORS as exc:
        raise InputError("input.part_damaged", path=path, part=name, reason=why(exc)) from None


def verify_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate part ``info`` without keeping it: its size and CRC are checked as it is read (so a part that claims
    fewer bytes than it holds is caught), and an XML part's prolog."""
    for number, block in enumerate(_blocks(path, archive, info)):
        if number == 0 and info.filename.endswith(_XML_PARTS):
            check_prolog(path, info.filename, block[:65536])


def check_prolog(path: Path, name: str, head: bytes) -> None:
    """Refuse XML whose prolog declares a DOCTYPE (entity expansion, external entities): Excel never writes one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        start = head.find(b"<", position)
        if start < 0 or head[start : start + 2] not in (b"<?", b"<!"):
            return
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            position = end + 3
        elif head.startswith(b"<?", start):
            end = head.find(b"?>", start + 2)
            position = end + 2
        else:  # <!DOCTYPE, <!ENTITY or other declarations
            raise InputError("input.part_entities", path=path, part=name)
        if end < 0:
            return  # a prolog longer than the head: the XML parser will refuse what follows


def parse_xml(path: Path, archive: zipfile.ZipFile, name: str) -> Any:
    """Part ``name`` parsed with defusedxml (DTDs forbidden), or None when the zip has no such part."""
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    data = read_member(path, archive, name)
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml/expat raise several types for one cause: the XML is not well formed
        raise InputError("input.part_bad_xml", path=path, part=name, reason=why(exc)) from None


def part_chunks(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, boundary: bytes
) -> Generator[bytes, None, None]:
    """The decompressed part in pieces of about :data:`CHUNK` bytes, each cut after ``boundary`` (a row end) so
    that no element a check looks at is split; size and CRC are checked as the part is read. A large part is
    inflated in a helper thread (zlib releases the GIL), so inflating overlaps the checks."""
    blocks = (
        _blocks(path, archive, info)
        if info.file_size <= 2 * CHUNK
        else _threaded(_blocks(path, archive, info))
    )
    pending = b""
    for block in blocks:
        cut = block.rfind(boundary)
        if cut >= 0:
            cut += len(boundary)
            yield b"".join((pending, memoryview(block)[:cut])) if pending else block[:cut]
            pending = block[cut:]
            continue
        pending += block
        if len(pending) < 16 * CHUNK:
            continue
        cut = pending.rfind(b"<")  # no boundary in 64 MiB: cut before any tag instead
        if cut <= 0:
            yield pending  # one text of 64 MiB: the long-text check reports it
            pending = b""
            continue
        yield pending[:cut]
        pending = pending[cut:]
    if pending:
        yield pending


def _blocks(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(CHUNK)
                if not block:
                    return
                yield block
    except READ_ERRORS as exc:
        raise InputError("input.part_sizes_lie", path=path, part=info.filename, reason=why(exc)) from None


_Item = bytes | BaseException | None  # a block, the exception that stopped the blocks, or None at the end


def _threaded(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """``blocks`` produced by a helper thread, two ahead at most; its exception is raised here."""
    queue: Queue[_Item] = Queue(maxsize=2)
    stop = threading.Event()
    worker = threading.Thread(
        target=_produce, args=(blocks, queue, stop), name="kactier-inflate", daemon=True
    )
    worker.start()
    try:
        while True:
            item = queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _produce(blocks: Iterator[bytes], queue: Queue[_Item], stop: threading.Event) -> None:
    """The helper thread: every block onto ``queue``, then None, or the exception that stopped the blocks."""
    try:
        for block in blocks:
            if not _put(queue, stop, block):
                return
        _put(queue, stop, None)
    except BaseException as exc:  # handed to the consumer, which raises it
        _put(queue, stop, exc)


def _put(queue: Queue[_Item], stop: threading.Event, item: _Item) -> bool:
    """Put ``item`` on ``queue``, waiting for room; False when the consumer stopped first."""
    while not stop.is_set():
        try:
            queue.put(item, timeout=0.1)
            return True
        except Full:
            continue
    return False
