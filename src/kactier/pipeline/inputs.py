"""The read step: the input's customer (or order) sheet and its Config sheet, and the input's identity on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.sheet_parser import config_from_rows
from ..config.sheet_reader import SheetConfig, find_config_sheet
from ..errors import spoken_in
from ..orders.book import OrderBook, read_order_sheet, reject_order_sheet
from ..orders.columnar import read_order_export
from ..orders.scan import is_order_export, is_several_parts, parts_sha256, parts_stamp
from ..read.cells import RawSheet
from ..read.opening import OpenedInput, open_input
from ..read.sniff import Kind
from ..read.workbook import read_customer_sheet
from ..validate.rows import resolve_lang
from .options import RunOptions

_ZIP_KINDS = frozenset((Kind.XLSX, Kind.XLSB, Kind.ODS))  # the formats a Config sheet travels in


@dataclass(frozen=True, slots=True)
class InputRead:
    """What the read step found: the sheet of customers (for ``--orders``, the order book and the customer sheet
    made from it) and the workbook's Config sheet, if any."""

    raw: RawSheet
    book: OrderBook | None
    config_sheet: SheetConfig | None
    stamp: tuple[int, int] | None  # the input's size and modification time before it was read

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
        found = _config_cells(opened, options)
        book: OrderBook | None = None
        if options.orders:
            book = read_order_sheet(
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
