"""Opening an input once for a run: its format decided by content, a workbook decrypted, its package checked, and
calamine's handle on it, together in one :class:`OpenedInput`.

The format is decided by the file's content, never its name (:func:`~kactier.read.sniff.sniff`): .xlsx/.xlsm
(read with python-calamine after :mod:`kactier.read.package` has checked the package, and
:mod:`kactier.read.sheet_scan` each sheet before calamine parses it), .xls/.xlsb/.ods (parsed first in a child
process, :mod:`kactier.read.legacy`), CSV (read by :mod:`kactier.read.csvfile` with the customer sheet), and
password-protected workbooks (decrypted in memory, :mod:`kactier.read.crypto`). Everything else ends in an
:class:`~kactier.errors.InputError`.

A run opens its input once: the Config sheet and the customer sheet are read from one :class:`OpenedInput`,
which checks each sheet at most once and keeps what it found.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import TracebackType
from typing import Any

import python_calamine as calamine

from ..errors import InputError, Phrase
from . import biff, legacy, sheet_scan
from .package import Package, SheetEntry, open_package
from .repack import calamine_copy
from .sheet_copies import SheetCopies
from .sheet_facts import SheetFacts
from .sniff import Kind, sniff, why

_HEAD_BYTES = 65536
_SUFFIXES = {
    Kind.XLSX: (".xlsx", ".xlsm", ".xltx", ".xltm"),
    Kind.XLSB: (".xlsb",),
    Kind.ODS: (".ods",),
    Kind.XLS: (".xls",),
}
_WORKBOOK_SUFFIXES = frozenset(suffix for suffixes in _SUFFIXES.values() for suffix in suffixes)
# the formats probed in a child process first (:mod:`kactier.read.legacy`), as messages and issues name them
FORMAT_NAMES = {
    Kind.XLSB: "Excel binary (.xlsb) workbook",
    Kind.ODS: "OpenDocument spreadsheet",
    Kind.XLS: "legacy .xls workbook",
}
_FORMAT_PHRASES = {Kind.XLSB: Phrase("what.xlsb"), Kind.ODS: Phrase("what.ods"), Kind.XLS: Phrase("what.xls")}


def check_input(path: Path) -> bytes:
    """The first bytes of ``path``, or an :class:`InputError` saying why it cannot be read."""
    return _head(path, 8)


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise InputError("input.missing", path=path) from None
    except IsADirectoryError:
        raise InputError("input.folder", path=path) from None
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None


class OpenedInput:
    """An input opened for reading by :func:`open_input`: its :attr:`path` and format (:attr:`kind`), calamine's
    workbook and, for an .xlsx, the checked package (:attr:`package`).

    Each sheet is checked for safety at most once, and what the check found is kept here, so the Config sheet and
    the customer sheet are read from one open at the cost of one check each. A CSV file holds no workbook:
    :meth:`sheet_names` is empty and :func:`~kactier.read.workbook.read_customer_sheet` reads the file itself.
    Reading the customer sheet uses the input up (it is closed once the sheet has been read), so read any other
    sheet first. Use it as a context manager, or call :meth:`close`.
    """

    __slots__ = (
        "_book",
        "_book_closed",
        "_checked",
        "_closed",
        "_copies",
        "direct",
        "kind",
        "package",
        "path",
    )

    def __init__(
        self,
        path: Path,
        kind: Kind,
        book: calamine.CalamineWorkbook | None = None,
        package: Package | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.package = package
        self._book = book
        self._checked: dict[str, SheetFacts] = {}
        self._copies: dict[str, SheetCopies] = {}
        self._book_closed = False
        self._closed = False
        self.direct = False  # calamine reads the file itself (not decrypted, nor copied: any reader may)

    def __enter__(self) -> OpenedInput:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def book(self) -> calamine.CalamineWorkbook:
        """calamine's workbook; an error for a CSV file (which has none) and once the workbook has been closed."""
        if self._book is None:
            raise InputError("input.csv_not_workbook", path=self.path)
        if self._book_closed:
            raise self._closed_error()
        return self._book

    @property
    def date1904(self) -> bool:
        """True when the workbook counts date serials from 1904 (known for an .xlsx only)."""
        return self.package.date1904 if self.package is not None else False

    def sheet_names(self) -> list[str]:
        """The names of the workbook's sheets, in order, as calamine lists them; [] for a CSV file."""
        if self._book is None:
            return []
        return list(self.book.sheet_names)

    def entry(self, name: str) -> SheetEntry | None:
        """Sheet ``name`` as the checked package lists it; None for other formats, or a name it does not list."""
        if self.package is None:
            return None
        return next((e for e in self.package.sheets if e.name == name), None)

    def check_sheet(self, name: str) -> SheetFacts | None:
        """Make sure sheet ``name`` is safe to parse: an .xlsx sheet is scanned (once: what the scan found is kept
        and returned); other formats were probed when they were opened (None)."""
        entry = self.entry(name)
        if entry is None or self.package is None:
            return None
        facts = self._checked.get(name)
        if facts is None:
            if self._closed:
                raise self._closed_error()
            copies = self._copies.get(name)
            facts = self._checked[name] = sheet_scan.check_sheet(self.package, entry, copies)
        return facts

    def copy_in_parts(self, name: str, parts: int) -> SheetCopies | None:
        """Have the check of sheet ``name`` (not checked yet) write its XML into ``parts`` copies of the package
        as it reads it (:class:`~kactier.read.sheet_copies.SheetCopies`, removed when this input is closed);
        None when the sheet was checked already or is not an .xlsx sheet."""
        entry = self.entry(name)
        if entry is None or self.package is None or name in self._checked or self._closed:
            return None
        copies = self._copies.get(name)
        if copies is None:
            copies = self._copies[name] = SheetCopies(self.package, entry, parts)
        return copies

    def copies(self, name: str) -> SheetCopies | None:
        """The copies the check of sheet ``name`` wrote (:meth:`copy_in_parts`), if it was asked to."""
        return self._copies.get(name)

    def check_all_sheets(self) -> None:
        """Check every worksheet, as :func:`open_workbook` does, so that any of them may be parsed safely."""
        if self._book is None:
            return
        for meta in self.book.sheets_metadata:
            if meta.typ == calamine.SheetTypeEnum.WorkSheet:
                self.check_sheet(meta.name)

    def sheet_cells(self, name: str, max_rows: int) -> list[list[Any]]:
        """The first ``max_rows`` rows of sheet ``name`` as calamine reads them (from row 1 and column A), the sheet
        checked first. calamine's errors (a sheet it cannot read) are raised as they are, for the caller to word."""
        self.check_sheet(name)
        cells: list[list[Any]] = self.book.get_sheet_by_name(name).to_python(
            skip_empty_area=False, nrows=max_rows
        )
        return cells

    def close_book(self) -> None:
        """Let calamine free what it holds for the workbook (shared strings, the open file); once only."""
        if not self._book_closed:
            self._book_closed = True
            if self._book is not None:
                self._book.close()

    def close(self) -> None:
        """Close calamine's workbook and the package; calling it again does nothing."""
        self._closed = True
        self.close_book()
        for copies in self._copies.values():
            copies.close()
        self._copies.clear()
        if self.package is not None:
            self.package.close()

    def _closed_error(self) -> RuntimeError:
        return RuntimeError(
            f"{self.path}: the workbook has been closed (its customer sheet has been read); "
            "read any other sheet before the customer sheet"
        )


def open_input(path: Path, password: str | None = None) -> OpenedInput:
    """Open the input at ``path`` for reading, deciding its format by its content, not its name; ``password``
    opens a password-protected workbook. A CSV file gives an :class:`OpenedInput` of kind CSV, holding no
    workbook; CSV text saved with a workbook name is refused."""
    head = _head(path, _HEAD_BYTES)
    kind = sniff(path, head)
    if kind is Kind.CSV:
        if path.suffix.lower() in _WORKBOOK_SUFFIXES:
            raise InputError("input.csv_named_workbook", path=path, csv_name=path.with_suffix(".csv").name)
        return OpenedInput(path, Kind.CSV)
    return _open(path, password, kind)


def open_workbook(path: Path, password: str | None = None) -> calamine.CalamineWorkbook:
    """Open ``path`` as a workbook, deciding the format by its content, not its name; every worksheet is checked
    (:mod:`kactier.read.sheet_scan`) before it is returned, so any sheet of it may be parsed safely."""
    opened = _open(path, password, sniff(path, _head(path, _HEAD_BYTES)))
    try:
        opened.check_all_sheets()
    except BaseException:
        opened.close()
        raise
    if opened.package is not None:
        opened.package.close()
    return opened.book


def reader_failed(exc: BaseException) -> bool:
    """True for what calamine raises on a file it cannot read (a Rust panic arrives as a BaseException)."""
    return isinstance(exc, calamine.CalamineError | ValueError | OSError | OverflowError | RuntimeError) or (
        type(exc).__name__ == "PanicException"
    )


def _open(path: Path, password: str | None, kind: Kind) -> OpenedInput:
    """The workbook at ``path``, of ``kind`` as sniffed: decrypted, its package checked (or the file probed in a
    child process), and opened by calamine. A CSV file is refused."""
    data: bytes | None = None
    if kind is Kind.OLE:
        kind, data = _open_ole(path, password)
    if kind is Kind.CSV:
        raise InputError("input.csv_not_workbook", path=path)
    package: Package | None = None
    if kind is Kind.XLSX:
        kind, package = _check_package(path, data)
    if kind is Kind.ODS:
        from .crypto import refuse_encrypted_ods

        refuse_encrypted_ods(path, data if data is not None else path, password)
    if kind is Kind.XLS:
        biff.check_extents(path, data)  # a sparse sheet refused before any parser lays it out
    if kind in FORMAT_NAMES:
        legacy.probe(path, data, _FORMAT_PHRASES[kind])
    book, direct = _calamine_open(path, kind, data, package)
    opened = OpenedInput(path, kind, book, package)
    opened.direct = direct
    return opened


def _open_ole(path: Path, password: str | None) -> tuple[Kind, bytes | None]:
    """What an OLE file holds (an encrypted workbook is decrypted in memory)."""
    from .crypto import open_ole

    kind, data = open_ole(path, password)
    if data is not None and kind is Kind.XLSX and not data.startswith(b"PK"):
        raise InputError("input.decrypted_not_xlsx", path=path)
    return kind, data


def _check_package(path: Path, data: bytes | None) -> tuple[Kind, Package | None]:
    """The zip at ``path`` (or the decrypted ``data``) checked: its real kind, and the package for an .xlsx."""
    package = open_package(path, data if data is not None else path)
    if package.kind is not Kind.XLSX:
        package.close()
        return package.kind, None
    return package.kind, package


def _calamine_open(
    path: Path, kind: Kind, data: bytes | None, package: Package | None
) -> tuple[calamine.CalamineWorkbook, bool]:
    """calamine's workbook for the checked file, and whether it reads the file itself (from its path, as it is);
    a file calamine cannot read is an :class:`InputError`."""
    if package is not None:
        data = calamine_copy(package) or data
    try:
        if data is None and path.suffix.lower() in _SUFFIXES.get(kind, ()):
            return calamine.CalamineWorkbook.from_path(str(path)), True
        # decrypted, or a name that does not say what the content is: calamine decides by extension
        return calamine.CalamineWorkbook.from_filelike(
            io.BytesIO(data if data is not None else path.read_bytes())
        ), False
    except BaseException as exc:
        if not reader_failed(exc):
            raise
        if package is not None:
            package.close()
        raise InputError("input.calamine", path=path, reason=why(exc)) from None
