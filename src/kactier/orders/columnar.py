"""Order exports checked and totalled in DuckDB: the rules of :mod:`kactier.orders.lines`, in SQL.

SQL reads the values as a CSV file writes them (plain numbers, ISO dates, ids as text: the forms
:func:`kactier.read.csvfile.csv_cell` reads without an assumption) and Python only the other cells: a date typed
``2024/3/5``, an amount typed ``¥1,234`` or ``12.5万``, an id of spaces. Each of those is read by the same
:class:`~kactier.validate.cells.ColumnReader` as a workbook's cells, so both paths report the same issues on the same
lines, and its value goes back to SQL. The rows set aside (blank, total and repeated header rows) are told by
:class:`~kactier.orders.lines.SetAside` on the few rows that may be one: a blank id, or an id that is a total word
or the header. Lines are numbered as the file numbers them (:mod:`kactier.orders.scan`); the parts of a folder or
glob follow one another, as the Orders sheet shows them, and the dispositions file gives each line's file and
line. The per-customer totals are the query of :func:`~kactier.orders.aggregate.totals_sql`, run on the table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError, spoken_in
from ..i18n import Lang, Note
from ..problems import Action, IssueCode, RowIssue
from ..validate.cells import ColumnReader
from ..validate.rows import name_columns, resolve_lang
from .aggregate import customer_table, purchase_days_sql, totals_sql, with_history
from .book import OrderBook
from .cell_forms import SQL_TYPE, as_is, blank_id, field_kind, sql_value
from .kept import ColumnarLines
from .lines import DESCRIPTIVE_FIELDS, REQUIRED_ORDER_FIELDS, SetAside, order_fields
from .listed import Listed, excluding
from .scan import LoadedParts, OrderEngine, load_parts, order_parts
from .window import DEFAULT_WINDOW_MONTHS, Window

if TYPE_CHECKING:
    import duckdb


_CHUNK = 262_144  # cells read by Python at a time


def read_order_export(
    source: Path,
    *,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    lang: str = "auto",
) -> OrderBook:
    """Read, check and total an order export of any size: a CSV, TSV or Parquet file, or a folder or glob of
    parts (see the module docstring and :mod:`kactier.orders.book` for the definitions)."""
    if window_months < 1:
        raise ValueError(f"window_months must be at least 1, got {window_months}")
    parts = order_parts(source)
    engine = OrderEngine()
    try:
        loaded = load_parts(engine.db, parts, lang)
        return checked_book(engine, loaded, source, as_of=as_of, window_months=window_months, lang=lang)
    except BaseException:
        engine.close()
        raise


def checked_book(
    engine: OrderEngine,
    loaded: LoadedParts,
    source: Path,
    *,
    as_of: dt.date | None,
    window_months: int,
    lang: str,
) -> OrderBook:
    """The lines loaded into ``raw`` of ``engine`` checked and totalled, kept there for the report (the caller
    closes ``engine`` when this raises)."""
    head = loaded.head
    resolved = resolve_lang(lang, head.headers)
    names, renamed = name_columns(head, resolved)
    with spoken_in(resolved):
        fields, notes = order_fields(head, names)
    checker = _Checker(engine.db, loaded, names, fields)
    checker.set_aside()
    checker.read_fields()
    window, future = checker.window(as_of, window_months, source, head.sheet, resolved)
    if future is not None:
        notes.append(Note("note.future_order", day=future))
    status = checker.status(window)
    customers = checker.customers(window)
    issues = [*head.issues, *renamed, *checker.issues_in_order(window)]
    lines = ColumnarLines(engine, loaded, names, status)
    return OrderBook(head, resolved, names, fields, window, status, customers, issues, notes, lines)


class _Checker:
    """The checks of one export, step by step, its issues kept by kind until :meth:`issues_in_order`."""

    def __init__(
        self, db: duckdb.DuckDBPyConnection, loaded: LoadedParts, names: list[str], fields: dict[str, int]
    ) -> None:
        self.db, self.loaded, self.names, self.fields = db, loaded, names, fields
        self.column = {key: loaded.column(index) for key, index in fields.items()}
        self.form = {key: loaded.form(index) for key, index in fields.items()}
        self.skipped: list[RowIssue] = []
        self.read_issues: dict[str, list[RowIssue]] = {}
        self.listed = Listed()

    def name(self, key: str) -> str:
        return self.names[self.fields[key]]

    # -- rows set aside ------------------------------------------------------------------------------------------

    def set_aside(self) -> None:
        """The blank, total and repeated header rows, told by Python on the rows that may be one."""
        aside = SetAside(self.loaded.head.headers, self.fields)
        c = self.column["customer_id"]
        found = self.db.execute(f"SELECT DISTINCT {c} FROM raw WHERE {c} IS NOT NULL").fetchall()
        header = aside.id_header
        suspects = [
            v for (v,) in found if isinstance(v, str) and (aside.is_total_id(v) or v == header)
        ]  # a total word or the header: only text is either
        self.db.execute("CREATE TABLE suspects AS SELECT unnest(?::VARCHAR[]) AS id", [suspects])
        cells, cell = self.loaded.columns(), self.loaded.cell
        rows = self.db.execute(
            f"SELECT seq, {cells} FROM raw WHERE {c} IS NULL OR CAST({c} AS VARCHAR) IN (SELECT id FROM suspects) "
            "ORDER BY seq"
        ).fetchall()
        aside_seqs: list[int] = []
        for seq, *values in rows:
            issue = aside.issue(["" if v is None else cell(v) for v in values], seq)
            if issue is not None:
                self.skipped.append(issue)
                aside_seqs.append(seq)
        self.db.execute("CREATE TABLE aside AS SELECT unnest(?::BIGINT[]) AS seq", [aside_seqs])

    # -- values --------------------------------------------------------------------------------------------------

    def read_fields(self) -> None:
        """Every field's cells SQL does not read as they are, read by Python into ``fix_<field>``; then ``lines``,
        one typed row per row of ``raw``."""
        keys = (*REQUIRED_ORDER_FIELDS, "order_id", "gross_profit", "payment_days", "paid_date")
        for key in keys:
            if key in self.fields:
                self._read_in_python(key)
        any_aside = self._has_rows("aside")
        selected = [
            "r.seq",
            "r.part",
            "r.rec",
            "a.seq IS NOT NULL AS aside" if any_aside else "false AS aside",
        ]
        joins = ["LEFT JOIN aside a ON a.seq = r.seq"] if any_aside else []
        for key in keys:
            if key not in self.fields:
                continue
            c, kind, form = f"r.{self.column[key]}", field_kind(key), self.form[key]
            fixed = "NULL"
            if self._has_rows(f"fix_{key}"):  # usually none: SQL reads every cell
                joins.append(f"LEFT JOIN fix_{key} ON fix_{key}.seq = r.seq")
                fixed = f"fix_{key}.value"
            value = f"CASE WHEN {as_is(kind, c, form)} THEN {sql_value(kind, c, form)} ELSE {fixed} END"
            selected.append(f"{value} AS {key}")
        for key in DESCRIPTIVE_FIELDS:
            if key in self.fields:
                selected.append(f"r.{self.column[key]} IS NOT NULL AS has_{key}")
        self.db.execute(f"CREATE TABLE lines AS SELECT {', '.join(selected)} FROM raw r {' '.join(joins)}")
        self.db.execute(
            "CREATE VIEW judged AS SELECT *, NOT aside AND customer_id IS NOT NULL AND order_date IS NOT NULL "
            "AND order_amount IS NOT NULL AS valid FROM lines"
        )

    def _has_rows(self, table: str) -> bool:
        return self.db.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone() == (True,)

    def _read_in_python(self, key: str) -> None:
        kind, c, form = field_kind(key), self.column[key], self.form[key]
        issues = self.read_issues.setdefault(key, [])
        self.db.execute(f"CREATE TABLE fix_{key} (seq BIGINT, value {SQL_TYPE[kind]})")
        reading = self.db.cursor()
        reading.execute(
            f"SELECT seq, {c} FROM raw WHERE {c} IS NOT NULL AND NOT {as_is(kind, c, form)} "
            "AND seq NOT IN (SELECT seq FROM aside) ORDER BY seq"
        )
        while chunk := reading.fetchmany(_CHUNK):
            seqs, texts = zip(*chunk, strict=True)
            found: list[RowIssue] = []
            reader = ColumnReader(self.name(key), list(seqs), found, self.loaded.date1904)
            cells = [self.loaded.cell(t) for t in texts]
            values: Any
            if kind == "date":
                values = [None if d is None else d.toordinal() for d in reader.dates(cells)]
            elif kind == "number":
                values = [None if v != v else v for v in reader.numbers(cells).tolist()]
            else:
                values = reader.ids(cells)
            self.listed.add(issues, found)
            frame = pd.DataFrame({"seq": np.asarray(seqs, dtype=np.int64), "value": values})
            self.db.register("fixed", frame)
            self.db.execute(f"INSERT INTO fix_{key} SELECT seq, value FROM fixed")
            self.db.unregister("fixed")

    # -- window, status and totals -------------------------------------------------------------------------------

    def window(
        self, as_of: dt.date | None, months: int, source: Path, sheet: str, lang: Lang
    ) -> tuple[Window, dt.date | None]:
        """The order window, and the last order day when it is after today (with no as-of date given)."""
        last = self.db.execute("SELECT max(order_date) FROM judged WHERE valid").fetchone()
        if last is None or last[0] is None:
            error = DataError("orders.none_readable", path=source, sheet=sheet)
            error.lang = lang
            raise error
        last_day = dt.date.fromordinal(int(last[0]))
        future = last_day if as_of is None and last_day > dt.date.today() else None
        return Window(as_of or last_day, months), future

    def status(self, window: Window) -> np.ndarray[Any, Any]:
        """A :class:`~kactier.orders.lines.LineStatus` per row, in order (and the view ``statused``: every line
        with its status)."""
        end, start = window.as_of.toordinal(), window.start.toordinal()
        self.db.execute(
            "CREATE VIEW statused AS SELECT *, CASE WHEN aside THEN 4 WHEN NOT valid THEN 3 "
            f"WHEN order_date > {end} THEN 2 WHEN order_date > {start} THEN 0 ELSE 1 END AS status FROM judged"
        )
        found = self.db.execute("SELECT status FROM statused ORDER BY seq").fetchnumpy()["status"]
        return np.asarray(found, dtype=np.int8)

    def customers(self, window: Window) -> pd.DataFrame:
        """One row per customer, as :func:`~kactier.orders.aggregate.aggregate_orders` has it."""
        optional: list[str] = [
            k
            for k in ("gross_profit", "payment_days")
            if k in self.fields or (k == "payment_days" and "paid_date" in self.fields)
        ]
        descriptive = [k for k in DESCRIPTIVE_FIELDS if k in self.fields]
        has_order_id = "order_id" in self.fields
        columns = [
            "customer_id AS customer",
            "order_date AS day",
            "order_amount AS amount",
            "CAST(order_date AS BIGINT) * 1099511627776 + seq AS place",  # 2^40: later day, then later line
            "seq AS line_no",
        ]
        if has_order_id:
            columns.append("order_id AS order_code")
        if "gross_profit" in optional:
            columns.append("gross_profit")
        if "payment_days" in optional:
            columns.append(f"{self._payment()} AS payment_days")
        columns += [f"has_{k}" for k in descriptive]
        self.db.execute(
            f"CREATE VIEW keyed AS SELECT {', '.join(columns)} FROM statused WHERE status IN (0, 1)"
        )
        totals = self.db.execute(totals_sql("keyed", window, has_order_id, optional, descriptive)).df()
        history = self.db.execute(purchase_days_sql("keyed")).df()
        ids = pd.Index(totals["customer"].tolist(), dtype=object)
        out = customer_table(totals, ids, self._picked, window, optional, descriptive)
        return with_history(out, totals["customer"], history, window)

    def _payment(self) -> str:
        """SQL: a line's payment days (回款天数, else the days to 回款日期), as :mod:`.lines` reads them."""
        given = "CASE WHEN payment_days >= 0 THEN payment_days END" if "payment_days" in self.fields else None
        derived = (
            "CASE WHEN paid_date IS NOT NULL AND paid_date >= order_date THEN CAST(paid_date - order_date AS DOUBLE) END"
            if "paid_date" in self.fields
            else None
        )
        if given and derived:
            return f"coalesce({given}, {derived})"
        return given or derived or "NULL"

    def _picked(self, key: str, line_numbers: list[int]) -> list[Any]:
        """The texts of field ``key`` on the lines ``line_numbers`` (seq), as :meth:`ColumnReader.texts` reads them."""
        c = self.column[key]
        wanted = pd.DataFrame({"seq": np.asarray(line_numbers, dtype=np.int64)})
        self.db.register("wanted", wanted)
        found = dict(
            self.db.execute(f"SELECT r.seq, r.{c} FROM raw r SEMI JOIN wanted w ON r.seq = w.seq").fetchall()
        )
        self.db.unregister("wanted")
        reader = ColumnReader(self.name(key), [], [])
        return reader.texts([self.loaded.cell(found[n]) for n in line_numbers])

    # -- issues --------------------------------------------------------------------------------------------------

    def issues_in_order(self, window: Window) -> list[RowIssue]:
        """Every issue, in the order :mod:`.lines` finds them on a workbook."""
        dropped = [
            excluding(i) if i.action is Action.VALUE_MISSING else i
            for key in REQUIRED_ORDER_FIELDS
            for i in self.read_issues.get(key, [])
        ]
        out = [*self.skipped, *dropped, *self._blank_required()]
        out += self._listed(
            "order_date", "status = 2", IssueCode.AFTER_AS_OF, Action.LINE_EXCLUDED, f"{window.as_of}"
        )
        out += self._listed(
            "order_amount",
            "status IN (0, 1) AND order_amount < 0",
            IssueCode.REFUND_NETTED,
            Action.VALUE_KEPT,
        )
        out += self.read_issues.get("order_id", [])
        out += self.read_issues.get("gross_profit", [])
        if "payment_days" in self.fields:
            out += self.read_issues.get("payment_days", [])
            out += self._listed(
                "payment_days",
                "NOT aside AND payment_days < 0",
                IssueCode.NEGATIVE_VALUE,
                Action.VALUE_MISSING,
            )
        if "paid_date" in self.fields:
            out += self.read_issues.get("paid_date", [])
            out += self._listed(
                "paid_date",
                "status IN (0, 1) AND paid_date < order_date",
                IssueCode.PAID_BEFORE_ORDER,
                Action.VALUE_MISSING,
            )
        return out + self.listed.beyond()

    def _blank_required(self) -> list[RowIssue]:
        out: list[RowIssue] = []
        c = self.column["customer_id"]
        spaces = self.db.execute(
            f"SELECT r.seq FROM raw r WHERE {blank_id(f'r.{c}', self.form['customer_id'])} "
            "AND r.seq NOT IN (SELECT seq FROM aside) ORDER BY r.seq"
        ).fetchall()
        column = self.name("customer_id")
        self.listed.add(
            out, [RowIssue(n, column, None, IssueCode.MISSING_ID, Action.LINE_EXCLUDED) for (n,) in spaces]
        )
        for key in ("order_date", "order_amount"):
            c = self.column[key]
            column = self.name(key)
            found = self.db.execute(
                f"SELECT seq FROM raw WHERE {c} IS NULL AND seq NOT IN (SELECT seq FROM aside) ORDER BY seq"
            ).fetchall()
            self.listed.add(
                out,
                [
                    RowIssue(n, column, None, IssueCode.ORDER_VALUE_MISSING, Action.LINE_EXCLUDED, column)
                    for (n,) in found
                ],
            )
        return out

    def _listed(
        self, key: str, where: str, code: IssueCode, action: Action, detail: str = ""
    ) -> list[RowIssue]:
        """An issue on each line ``where`` holds, naming field ``key``'s cell as written."""
        c = self.column[key]
        column = self.name(key)
        cursor = self.db.cursor()
        cursor.execute(
            f"SELECT r.seq, r.{c} FROM statused s JOIN raw r ON r.seq = s.seq WHERE {where} ORDER BY s.seq"
        )
        out: list[RowIssue] = []
        while chunk := cursor.fetchmany(_CHUNK):
            found = [RowIssue(n, column, self.loaded.cell(v), code, action, detail) for n, v in chunk]
            self.listed.add(out, found)
        return out
