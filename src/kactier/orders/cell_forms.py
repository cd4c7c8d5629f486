"""How SQL reads an order export's cells: the forms it reads as they are, and their values.

A cell is read by SQL when Python would read it the same way without an assumption
(:func:`kactier.read.csvfile.csv_cell`, then :class:`~kactier.validate.cells.ColumnReader`): a plain number, an ISO
date or date and time, an id that csv_cell keeps as text. Any other cell is read by Python
(:mod:`kactier.orders.columnar`).
"""

from __future__ import annotations

from ..read.csvfile import ISO_DATE, PLAIN_NUMBER

_DAY_ONE = "DATE '0001-01-01'"
SPACES_ONLY = r"^[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]*$"  # what str.strip() leaves nothing of
_DECIMAL = r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}"  # a plain number csv_cell reads as a float
_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_DATE_FIELDS = ("order_date", "paid_date")
_NUMBER_FIELDS = ("order_amount", "gross_profit", "payment_days")


def as_is(kind: str, c: str) -> str:
    """SQL: the cell ``c`` is read by SQL as it is (Python reads it the same way, without an assumption)."""
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


def sql_value(kind: str, c: str) -> str:
    """SQL: the value of a cell read as it is."""
    if kind == "date":
        return f"CAST(date_diff('day', {_DAY_ONE}, CAST(CAST({c} AS TIMESTAMP) AS DATE)) + 1 AS INTEGER)"
    if kind == "number":
        return f"CAST({c} AS DOUBLE)"
    return c


def field_kind(key: str) -> str:
    """How a field's cells are read: "date", "number" or "id"."""
    return "date" if key in _DATE_FIELDS else "number" if key in _NUMBER_FIELDS else "id"


SQL_TYPE = {"date": "INTEGER", "number": "DOUBLE", "id": "VARCHAR"}
