"""Many data rows in an XlsxWriter worksheet, rendered column by column when the file is assembled.

XlsxWriter stores every cell written through its API as a Python object and turns each into XML one by one at
``close()``: about 4 µs and 200 bytes per cell, so a 1,048,575-row sheet of 25 columns costs minutes and gigabytes.
:class:`BulkWorksheet` takes the body of a sheet as whole columns instead (:meth:`BulkWorksheet.set_body`) and writes
their ``<c>`` elements in blocks of rows straight into the sheet's XML, with the same cell encoding XlsxWriter uses
(:mod:`kactier.report.bulk_cells`). A column of repeated text (a tier, a region, an action) goes to the shared-string
table, each distinct text once; other plain text is written inline, as XlsxWriter's constant-memory mode does; text
that needs escaping goes to the shared strings too, which XlsxWriter escapes and every reader decodes. A big body is
rendered on two cores (:mod:`kactier.report.bulk_split`) and zipped on them (:mod:`kactier.report.package_zip`).
Everything else on the sheet (header, column widths and formats, table, conditional formats, panes, print setup)
goes through XlsxWriter's public API as usual.

This module is the only one in kactier that relies on XlsxWriter internals (pinned below 3.4 in pyproject.toml).
tests/test_sheet_rows.py compares the cells with those written through XlsxWriter's API, and
tests/test_xlsxwriter_internals.py names each internal that an upgrade removed or changed: the sheet's
``_write_sheet_data`` step; the shared-string table (its sorted list and counts), added to while the sheet is
assembled; the table dict that :meth:`BulkWorksheet.add_body_table` widens after creating the table on its first data
row (``add_table`` records every cell of its range in a dict to detect overlaps: 27 million entries for a full sheet;
the body cannot overlap anything, as this class writes it); and the workbook's ``constant_memory`` switch, turned on
for one sheet by :func:`add_constant_memory_worksheet`; and the ``ZipFile`` name of ``xlsxwriter.workbook``, which
:func:`deflate_level` swaps for one with a ``compresslevel`` while a workbook closes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from typing import IO, Any, Protocol

import xlsxwriter.workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .bulk_cells import column_cells, shared_cells, shared_texts
from .bulk_split import ParentNeeded, in_child, render_blocks
from .package_zip import PackageZip

# deflate level of a graded workbook: a 100,000-row run takes a quarter less CPU than at zlib's default (6), and
# its file is about 25% larger
FAST_LEVEL = 1
SMALL_LEVEL = 6  # with --smaller: zlib's default, the level XlsxWriter (and most writers) use
_ZIP_SWAP = threading.Lock()
BLOCK_ROWS = 8192  # rows rendered at a time: bounds the memory of the XML text


@dataclass(frozen=True, slots=True)
class BodyColumn:
    """One column of the body: a value per row (``None`` or ``""`` leaves the cell empty) and its format.

    ``format`` is one format for the whole column, or one per row; a cell without a format takes the column's
    format from ``set_column``, as XlsxWriter does. ``type_formats`` overrides it for values of a type (a date
    format for ``datetime.date`` cells in a column of mixed types, say).
    """

    column: int
    values: Sequence[Any]
    format: Format | Sequence[Format | None] | None = None
    type_formats: Mapping[type, Format] | None = None


class BodySource(Protocol):
    """A body that renders its own rows (:meth:`BulkWorksheet.set_body_source`), as :mod:`.bulk_cells` encodes
    them: given the sheet (for its styles and shared strings) once the file is assembled."""

    def write(self, sheet: BulkWorksheet, out: IO[str]) -> None:
        """Write every ``<row>`` of the body to ``out``, in order."""


@dataclass(frozen=True, slots=True)
class _Body:
    first_row: int
    rows: int
    columns: tuple[BodyColumn, ...]
    source: BodySource | None = None


class BulkWorksheet(Worksheet):  # type: ignore[misc]  # XlsxWriter's classes are not typed for subclassing
    """An XlsxWriter worksheet whose body rows are given as columns; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self._body: _Body | None = None
        # Text added to the shared strings while the sheet is assembled, with its index.
        self._late_strings: dict[str, int] = {}

    def set_body(self, first_row: int, rows: int, columns: Sequence[BodyColumn]) -> None:
        """Rows ``first_row`` .. ``first_row + rows - 1`` hold ``columns``; nothing else may be written there."""
        if self.constant_memory:  # that mode assembles the sheet without the step this class replaces
            raise ValueError(f"{self.name!r}: a BulkWorksheet cannot be in constant_memory mode")
        for column in columns:
            if len(column.values) != rows:
                raise ValueError(f"column {column.column}: {len(column.values)} values for {rows} rows")
        self._body = _Body(first_row, rows, tuple(sorted(columns, key=lambda c: c.column)))
        if rows and columns:
            self._claim(first_row, rows, min(c.column for c in columns), max(c.column for c in columns))

    def set_body_source(
        self, first_row: int, rows: int, columns: tuple[int, int], source: BodySource
    ) -> None:
        """Rows ``first_row`` .. ``first_row + rows - 1``, in the ``columns`` (first, last), are rendered by
        ``source``; nothing else may be written there."""
        if self.constant_memory:
            raise ValueError(f"{self.name!r}: a BulkWorksheet cannot be in constant_memory mode")
        self._body = _Body(first_row, rows, (), source)
        if rows:
            self._claim(first_row, rows, *columns)

    def _claim(self, first_row: int, rows: int, first_column: int, last_column: int) -> None:
        if self._check_dimensions(first_row, first_column) or self._check_dimensions(
            first_row + rows - 1, last_column
        ):
            raise ValueError(f"{rows} rows from row {first_row + 1} do not fit in a worksheet")

    def add_body_table(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict[str, Any]
    ) -> None:
        """``add_table`` over the header row ``first_row`` and the body, without a dict entry per cell."""
        small_last = min(last_row, first_row + 1)
        if self.add_table(first_row, first_col, small_last, last_col, options) != 0:
            raise ValueError(f"table {options.get('name')!r} was refused; see the warning above")
        if last_row > small_last:
            table = self.tables[-1]
            table["range"] = xl_range(first_row, first_col, last_row, last_col)
            table["a_range"] = table["range"]  # no total row in these tables
            if "autofilter" in table:
                table["autofilter"] = table["range"]

    def _write_sheet_data(self) -> None:
        body = self._body
        if body is None or body.rows == 0:
            super()._write_sheet_data()
            return
        self._check_body_is_ours(body)
        self._xml_start_tag("sheetData")
        if self.dim_rowmin is not None and self.dim_rowmin < body.first_row:
            last: int = self.dim_rowmax  # type: ignore[has-type]  # untyped in XlsxWriter
            self.dim_rowmax = body.first_row - 1  # XlsxWriter writes its own rows, above the body
            try:
                self._write_rows()
            finally:
                self.dim_rowmax = last
        if body.source is not None:
            body.source.write(self, self.fh)
            self._xml_end_tag("sheetData")
            return
        styles = self._styles(body)
        shared = [shared_texts(column.values, self) for column in body.columns]
        blocks = [
            range(start, min(start + BLOCK_ROWS, body.rows)) for start in range(0, body.rows, BLOCK_ROWS)
        ]
        render = functools.partial(_render_rows, body, styles, shared, self)
        render_blocks(blocks, render, self.fh, body.rows * len(body.columns))
        self._xml_end_tag("sheetData")

    def style_attribute(self, cell_format: Format | None, column: int) -> str:
        """The ``s`` attribute of a body cell in ``column`` with ``cell_format`` (``""`` for the default format);
        a cell without one takes the column's format from ``set_column``, as XlsxWriter does."""
        if cell_format is None:
            info = self.col_info.get(column)
            cell_format = info.column_format if info is not None else None
        index = cell_format._get_xf_index() if cell_format is not None else 0
        return f' s="{index}"' if index else ""

    def date_serial(self, value: Any) -> float:
        """An Excel serial for a date, datetime, time or timedelta, in the workbook's date system."""
        serial: float = self._convert_date_time(value)
        return serial

    def shared_index(self, text: str, uses: int = 1) -> int | None:
        """The index of ``text`` in the shared strings, added now for ``uses`` cells; None if the workbook declares
        no such table."""
        table = self.str_table
        if in_child():  # a forked renderer cannot add to the parent's table: the parent renders this block
            raise ParentNeeded(text)
        if not table.count:  # the package lists its shared strings before the sheets are assembled
            return None
        index = self._late_strings.get(text)
        if index is None:
            index = self._late_strings[text] = table.unique_count
            table.unique_count += 1
            table.string_array.append(text)
        table.count += uses
        return int(index)

    def _check_body_is_ours(self, body: _Body) -> None:
        below = body.first_row
        clash = [r for r, cells in self.table.items() if r >= below and cells]
        clash += [r for r in self.row_info if r >= below]
        clash += [r for r in self.comments if r >= below]
        if clash:
            raise RuntimeError(
                f"row {min(clash) + 1} is in the body of {self.name!r}; write it through set_body"
            )

    def _styles(self, body: _Body) -> list[tuple[Iterator[str] | Sequence[str], dict[type, str]]]:
        """Per column, the ``s`` attribute of each cell (``""`` for the default format), and by value type."""
        attribute = self.style_attribute
        styles: list[tuple[Iterator[str] | Sequence[str], dict[type, str]]] = []
        for column in body.columns:
            by_type = {kind: attribute(f, column.column) for kind, f in (column.type_formats or {}).items()}
            if column.format is None or isinstance(column.format, Format):
                styles.append((repeat(attribute(column.format, column.column)), by_type))
            else:
                known: dict[int, str] = {}
                per_row = []
                for cell_format in column.format:
                    key = id(cell_format)
                    if key not in known:
                        known[key] = attribute(cell_format, column.column)
                    per_row.append(known[key])
                styles.append((per_row, by_type))
        return styles


@contextmanager
def deflate_level(level: int) -> Iterator[None]:
    """Zip the workbooks XlsxWriter closes meanwhile at deflate ``level`` (1 fastest … 9 smallest).

    XlsxWriter opens its ``ZipFile`` without a ``compresslevel``, so zlib's default (6) applies, and it has no
    option for it; the name its workbook module calls is swapped for one that passes ``level`` and deflates big
    parts on every core (:class:`~kactier.report.package_zip.PackageZip`; one workbook at a time: the swap is
    process-wide)."""
    with _ZIP_SWAP:
        original = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = functools.partial(PackageZip, compresslevel=level)
        try:
            yield
        finally:
            xlsxwriter.workbook.ZipFile = original


def add_bulk_worksheet(book: Workbook, name: str) -> BulkWorksheet:
    """A new :class:`BulkWorksheet` named ``name``, added to ``book`` like any other sheet."""
    sheet: BulkWorksheet = book.add_worksheet(name, worksheet_class=BulkWorksheet)
    return sheet


def add_constant_memory_worksheet(book: Workbook, name: str) -> Worksheet:
    """A new worksheet in XlsxWriter's constant-memory mode, whatever the mode of ``book``'s other sheets.

    Each of its rows goes to a temporary file as soon as a later row is written, so rows must be written in order.
    XlsxWriter offers the mode only for a whole workbook; a sheet takes it from the workbook when it is added.
    """
    constant = book.constant_memory
    book.constant_memory = True
    try:
        sheet: Worksheet = book.add_worksheet(name)
    finally:
        book.constant_memory = constant
    return sheet


def _render_rows(
    body: _Body,
    styles: list[tuple[Iterator[str] | Sequence[str], dict[type, str]]],
    shared: list[dict[str, str] | None],
    sheet: BulkWorksheet,
    rows: range,
) -> str:
    """The ``<row>`` elements of the body rows ``rows`` (``shared``: per column, the shared-string index of each of
    its texts, for a column of repeated text)."""
    start, end = rows.start, rows.stop
    numbers = [str(body.first_row + 1 + i) for i in range(start, end)]
    cells = []
    for column, (style, by_type), shown in zip(body.columns, styles, shared, strict=True):
        row_styles = style[start:end] if isinstance(style, Sequence) else style
        values, letter = column.values[start:end], xl_col_to_name(column.column)
        if shown is not None:
            cells.append(shared_cells(letter, numbers, values, row_styles, shown))
        else:
            cells.append(column_cells(letter, numbers, values, row_styles, by_type, sheet))
    return "".join([f'<row r="{n}">{"".join(row)}</row>' for n, *row in zip(numbers, *cells, strict=True)])


class RowsColumn(Sequence[Any]):
    """Column ``column`` of the rows ``rows[i]`` for ``i`` in ``indexes``, read a slice at a time (no copy)."""

    def __init__(self, rows: Sequence[Sequence[Any]], indexes: Sequence[int], column: int) -> None:
        self._rows, self._indexes, self._column = rows, indexes, column

    def __len__(self) -> int:
        return len(self._indexes)

    def __getitem__(self, key: Any) -> Any:
        rows, column = self._rows, self._column
        if isinstance(key, slice):
            return [rows[i][column] for i in self._indexes[key]]
        return rows[self._indexes[key]][column]


class ArrayColumn(Sequence[Any]):
    """The values of a numpy array, None where ``keep`` (a boolean array) is false, made Python numbers a slice at
    a time: a million-row column is never held as a list of a million floats (32 MB each)."""

    def __init__(self, values: Any, keep: Any) -> None:
        if len(values) != len(keep):
            raise ValueError(f"{len(values)} values for {len(keep)} rows")
        self._values, self._keep = values, keep

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            kept = self._keep[key].tolist()
            return [v if k else None for v, k in zip(self._values[key].tolist(), kept, strict=True)]
        return self._values[key].item() if self._keep[key] else None
