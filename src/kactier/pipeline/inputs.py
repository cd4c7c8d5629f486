"""The read step: the input's customer (or order) sheet and its Config sheet, and the input's identity on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.sheet_parser import config_from_rows
from ..config.sheet_reader import SheetConfig, find_config_sheet
from ..errors import spoken_in
from ..orders.book import OrderBook, read_order_sheet, reject_order_sheet
from ..orders.columnar import read_order_export
from ..orders.scan import is_order_export, is_several_parts, parts_sha256, parts_stamp
from ..orders.sheet_columnar import copy_while_checking, read_order_workbook
from ..read.cells import RawSheet
from ..read.opening import OpenedInput, open_input
from ..read.sniff import Kind
from ..read.workbook import read_customer_sheet
from ..validate.rows import resolve_lang
from .options import RunOptions
from .together import Combined

INPUT_SUFFIXES = frozenset(
    (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
)  # what a folder's files are read as
OUTPUT_SUFFIX = ".tiered.xlsx"
_ZIP_KINDS = frozenset((Kind.XLSX, Kind.XLSB, Kind.ODS))  # the formats a Config sheet travels in


@dataclass(frozen=True, slots=True)
class InputRead:
    """What the read step found: the sheet of customers (for ``--orders``, the order book and the customer sheet
    made from it) and the workbook's Config sheet, if any."""

    raw: RawSheet
    book: OrderBook | None
    config_sheet: SheetConfig | None
    stamp: tuple[int, int] | None  # the input's size and modification time before it was read
    paths: tuple[Path, ...] = ()  # several inputs graded together: each of them (else empty)
    together: Combined | None = None  # several inputs: how their sheets were combined

    @property
    def as_of(self) -> dt.date | None:
        """The as-of date the input decides: with ``--orders``, the end of the order window."""
        return self.book.window.as_of if self.book is not None else None


def read_input(input_path: Path, options: RunOptions) -> InputRead:
    """Read the customer sheet (or, with ``options.orders``, the order sheet) and the Config sheet of the input,
    opened once: the Config sheet's cells are taken first, and understood once the customer sheet has been read."""
    stamp = input_stamp(input_path)
    if options.orders and is_order_export(input_path):  # CSV, Parquet, a folder or glob of parts: DuckDB
        export = read_order_export(
            input_path, as_of=options.as_of, window_months=options.window_months, lang=options.lang
        )
        return InputRead(export.source, export, None, stamp)
    with open_input(input_path, options.password) as opened:
        if options.orders:  # a big order sheet is cut into parts for its parser as it is checked
            copy_while_checking(opened, options.sheet)
        found = _config_cells(opened, options)
        book: OrderBook | None = None
        if options.orders:
            # a big sheet column by column into DuckDB when it can be read that way exactly, else cell by cell
            book = read_order_workbook(
                opened,
                options.sheet,
                as_of=options.as_of,
                window_months=options.window_months,
                lang=options.lang,
            ) or read_order_sheet(
                opened,
                options.sheet,
                as_of=options.as_of,
                window_months=options.window_months,
                lang=options.lang,
            )
            raw = book.source
        else:
            raw = read_customer_sheet(opened, options.sheet)
            with spoken_in(resolve_lang(options.lang, raw.headers)):
                reject_order_sheet(raw)
    config_sheet = None
    if found is not None:
        name, cells = found
        with spoken_in(
            resolve_lang(options.lang, raw.headers)
        ):  # a Config sheet error speaks the headers' language
            config_sheet = SheetConfig(config_from_rows(cells, path=input_path, sheet=name), name)
    return InputRead(raw, book, config_sheet, stamp)


def _config_cells(opened: OpenedInput, options: RunOptions) -> tuple[str, list[list[Any]]] | None:
    """The Config sheet's name and cells, when the rules may come from it: not with ``--config``, and only from a
    zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) or, with a password, an encrypted one."""
    if options.config is not None or opened.kind is Kind.CSV:
        return None
    if opened.kind not in _ZIP_KINDS and options.password is None:
        return None
    return find_config_sheet(opened)


def input_stamp(path: Path) -> tuple[int, int] | None:
    """Size and modification time, to notice an input that changes while it is read."""
    if is_several_parts(path):
        return parts_stamp(path)
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (of a folder's or glob's order parts: :func:`parts_sha256`), hex."""
    if is_several_parts(path):
        return parts_sha256(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def skip_reason(path: Path, *, named: bool = False) -> str | None:
    """Why ``path`` is not rated, or None to rate it.

    kactier's outputs, Excel's lock files and hidden files are always skipped; a file found in a folder or by a
    glob must also be .xlsx, .xlsm or .csv (a file named on the command line is read whatever its name: the format
    is decided by the content).
    """
    name = path.name
    if name.casefold().endswith(OUTPUT_SUFFIX):
        return "a kactier output"
    if name.startswith("~$"):
        return "an Excel lock file"
    if name.startswith("."):
        return "a hidden file"
    if not named and path.suffix.casefold() not in INPUT_SUFFIXES:
        return "not a .xlsx, .xlsm, .xls, .xlsb, .ods or .csv file"
    return None


def inputs_stamp(paths: Sequence[Path]) -> tuple[int, int] | None:
    """The total size and latest modification time of several inputs as they are now (None when one cannot be
    read): a change to any of them changes it."""
    stamps = [input_stamp(path) for path in paths]
    if any(stamp is None for stamp in stamps):
        return None
    return stamps_together([stamp for stamp in stamps if stamp is not None])


def stamps_together(stamps: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Several inputs' stamps as one: their total size and latest modification time."""
    return sum(size for size, _ in stamps), max(mtime for _, mtime in stamps)
