"""How SQL reads an order export's cells: the forms it reads as they are, and their values.

A column of ``raw`` holds its cells in one form (:data:`CSV_TEXT` unless said otherwise):

* :data:`CSV_TEXT`: text as a CSV file writes it (every CSV part, and Parquet columns written as such text). A
  cell is read by SQL when Python would read it the same way without an assumption
  (:func:`kactier.read.csvfile.csv_cell`, then :class:`~kactier.validate.cells.ColumnReader`): a plain number, an
  ISO date or date and time, an id that csv_cell keeps as text.
* the typed columns of a workbook read into Arrow (:mod:`kactier.orders.sheet_arrow`): :data:`TEXT` (text
  cells, as typed), :data:`NUMBER` (DOUBLE), :data:`DATE` (TIMESTAMP) and :data:`BOOL`. A date cell in a date
  field, a number cell in a number field and a text or whole-number cell in an id field are read by SQL, as
  :class:`~kactier.validate.cells.ColumnReader` reads those cells; any other cell is read by that reader.

Any cell SQL does not read as it is is read by Python (:mod:`kactier.orders.columnar`).
"""

from __future__ import annotations

from ..read.csvfile import ISO_DATE, PLAIN_NUMBER

CSV_TEXT, TEXT, NUMBER, DATE, BOOL = "csv", "text", "number", "date", "bool"
_DAY_ONE = "DATE '0001-01-01'"
SPACES_ONLY = r"^[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]*$"  # what str.strip() leaves nothing of
_DECIMAL = r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}"  # a plain number csv_cell reads as a float
_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_DATE_FIELDS = ("order_date", "paid_date")
_NUMBER_FIELDS = ("order_amount", "gross_profit", "payment_days")
_EXACT_ID = (
    1e15  # a whole number this large may have lost digits (ColumnReader.ids reports it): Python reads it
)
_NATIVE = {"date": DATE, "number": NUMBER}  # the typed form a field of that kind reads as it is


def as_is(kind: str, c: str, form: str = CSV_TEXT) -> str:
    """SQL: the cell ``c`` (in ``form``) is read by SQL as it is (Python reads it the same way, without an
    assumption)."""
    if form != CSV_TEXT:
        return _typed_as_is(kind, c, form)
    if kind == "date":
        return (
            f"((regexp_full_match({c}, '{ISO_DATE}') OR regexp_full_match({c}, '{_DATETIME}')) "
            f"AND {c} NOT LIKE '0000%' AND try_cast({c} AS TIMESTAMP) IS NOT NULL)"
        )
    if kind == "number":
        return f"regexp_full_match({c}, '{PLAIN_NUMBER}')"
    return (  # an id: as written, unless csv_cell makes it a number or a date and time, or it is only spaces
        f"(NOT regexp_full_match({c}, '{_DECIMAL}') AND {c} <> '-0' AND NOT regexp_full_match({c}, '{_DATETIME}') "
        f"AND NOT regexp_matches({c}, '{SPACES_ONLY}'))"
    )


def _typed_as_is(kind: str, c: str, form: str) -> str:
    if kind in _NATIVE:
        return "true" if form == _NATIVE[kind] else "false"
    if form == TEXT:
        return f"NOT regexp_matches({c}, '{SPACES_ONLY}')"
    if form == NUMBER:  # a whole number as an id: its digits, as id_text writes it
        return f"({c} = trunc({c}) AND abs({c}) < {_EXACT_ID:.0f})"
    return "false"


def sql_value(kind: str, c: str, form: str = CSV_TEXT) -> str:
    """SQL: the value of a cell read as it is."""
    if kind == "date":
        timestamp = c if form == DATE else f"CAST({c} AS TIMESTAMP)"
        return f"CAST(date_diff('day', {_DAY_ONE}, CAST({timestamp} AS DATE)) + 1 AS INTEGER)"
    if kind == "number":
        return c if form == NUMBER else f"CAST({c} AS DOUBLE)"
    if form == NUMBER:
        return f"CAST(CAST({c} AS BIGINT) AS VARCHAR)"
    return c


def blank_id(c: str, form: str = CSV_TEXT) -> str:
    """SQL: the id cell ``c`` is blank or only spaces (a line without a customer)."""
    if form in (CSV_TEXT, TEXT):
        return f"({c} IS NULL OR regexp_matches({c}, '{SPACES_ONLY}'))"
    return f"{c} IS NULL"


def field_kind(key: str) -> str:
    """How a field's cells are read: "date", "number" or "id"."""
    return "date" if key in _DATE_FIELDS else "number" if key in _NUMBER_FIELDS else "id"


SQL_TYPE = {"date": "INTEGER", "number": "DOUBLE", "id": "VARCHAR"}
