"""A body rendered by DuckDB (:mod:`kactier.report.sql_body`) is byte for byte the body the Python renderer
(:mod:`kactier.report.bulk_cells`) writes from the same values, shared strings included: numbers, NaN and ±inf,
dates and times (before 1900's leap-year bug, after it, with a time of day), bools, blanks, plain text, text that
needs escaping or cutting (in the order Python meets it), columns of repeated text, and per-row formats; and the
Orders sheet of a big order sheet is the same whichever renders it."""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from conftest import write_workbook

import kactier.orders.sheet_columnar as sheet_columnar
import kactier.report.sql_body as sql_body
from kactier.excel import serials_1900
from kactier.orders.kept import ColumnarLines
from kactier.pipeline.options import RunOptions
from kactier.pipeline.run import score_workbook
from kactier.report.bulk import ArrayColumn, BodyColumn, add_bulk_worksheet
from kactier.report.sql_body import SqlBody, SqlColumn

LONG = "长" * 20_000  # past the 16,383 characters any text may have without a check of its length in UTF-16
CUT = "𠀀" * 17_000  # 34,000 UTF-16 units: cut to Excel's 32,767
SPECIAL = [
    "A&B",
    "<tag>",
    " lead",
    "trail ",
    "_x0041_",
    "ctl\x01x",
    "\u3000全角",
    "ok\nline",
    "x\ufffe",
    LONG,
    CUT,
]


def _values(rows: int, seed: int) -> dict[str, list[Any]]:
    rng = random.Random(seed)
    start = dt.datetime(1899, 12, 20)
    stamps: list[dt.datetime | None] = []
    for n in range(rows):
        if n % 13 == 0:
            stamps.append(None)
        elif n % 5 == 0:  # with a time of day, to the microsecond
            stamps.append(
                start + dt.timedelta(days=rng.randrange(50_000), microseconds=rng.randrange(86_400_000_000))
            )
        else:
            stamps.append(
                start + dt.timedelta(days=rng.choice([0, 10, 11, 12, 59, 60, 61, 70, rng.randrange(50_000)]))
            )
    numbers: list[float | None] = []
    for n in range(rows):
        pick = n % 9
        numbers.append(
            None if pick == 0
            else [float("nan"), float("inf"), float("-inf"), -0.0, 1e20, 1 / 3, 0.1 + 0.2][n % 7] if pick == 1
            else round(rng.uniform(-1e6, 1e6), 2) if pick < 6
            else rng.uniform(-1, 1) * 10 ** rng.randrange(-30, 30)
        )  # fmt: skip
    names = [f"客户{rng.randrange(rows)}" for _ in range(rows)]  # hardly repeat
    for n in range(0, rows, 97):
        names[n] = SPECIAL[(n // 97) % len(SPECIAL)]  # text Python renders, some of it more than once
    regions = [rng.choice(["华东", "华南", "", "西南", None, "A&B"]) for _ in range(rows)]  # repeated: shared
    # the first 1,024 cells hardly repeat, the rest do: not shared, as the sample says
    late = [f"早{n}" if n < 1024 else rng.choice(["晚", "晚&"]) for n in range(rows)]
    flags = [None if n % 10 == 0 else n % 3 == 0 for n in range(rows)]
    status = [rng.randrange(5) for _ in range(rows)]
    return {"name": names, "region": regions, "late": late, "stamp": stamps, "amount": numbers, "flag": flags,
            "status": status}  # fmt: skip


def _xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml")}


def _workbook(path: Path, fill: Any) -> dict[str, bytes]:
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    sheet = add_bulk_worksheet(book, "订单明细")
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "stamp": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "status": [None, book.add_format({"bg_color": "#FFEB9C"}), None, book.add_format({"bg_color": "#FFC7CE"}),
                   book.add_format({"bg_color": "#EDEDED"})],
    }  # fmt: skip
    sheet.write_row(0, 0, ["名称", "地区", "后来", "日期", "金额", "加急", "状态"])
    sheet.set_column(4, 4, 12, book.add_format({"num_format": "#,##0.00"}))  # a column format the cells take
    fill(sheet, formats)
    book.close()
    return _xml(path)


LABELS = ["窗口内", "窗口前", "晚于截止日", "无效", "跳过"]


def _python_body(values: dict[str, list[Any]]) -> Any:
    def fill(sheet: Any, formats: dict[str, Any]) -> None:
        stamps = np.array([np.datetime64(s, "us") if s else np.datetime64("NaT") for s in values["stamp"]])
        blank = np.isnat(stamps)
        timed = (stamps != stamps.astype("datetime64[D]")) & ~blank
        serials = np.where(blank, np.nan, serials_1900(np.where(blank, np.datetime64(0, "us"), stamps)))
        status = values["status"]
        sheet.set_body(1, len(status), [
            BodyColumn(0, values["name"]),
            BodyColumn(1, values["region"]),
            BodyColumn(2, values["late"]),
            BodyColumn(3, ArrayColumn(serials, ~blank), [formats["stamp"] if t else formats["date"] for t in timed]),
            BodyColumn(4, values["amount"]),
            BodyColumn(5, values["flag"]),
            BodyColumn(6, [LABELS[s] for s in status], [formats["status"][s] for s in status]),
        ])  # fmt: skip

    return fill


def _sql_body(values: dict[str, list[Any]]) -> Any:
    db = duckdb.connect()
    frame = pd.DataFrame({"i": np.arange(len(values["status"]), dtype=np.int64), **values})
    frame["stamp"] = pd.to_datetime(frame["stamp"])
    frame["flag"] = frame["flag"].astype("boolean")
    frame["amount"] = [None if v is None else repr(v) for v in values["amount"]]  # NaN kept, not made NULL
    db.register("lines", frame)

    def fill(sheet: Any, formats: dict[str, Any]) -> None:
        labels = ", ".join(f"'{label}'" for label in LABELS)
        columns = [
            SqlColumn(0, "name", sql_body.TEXT),
            SqlColumn(1, "region", sql_body.TEXT),
            SqlColumn(2, "late", sql_body.TEXT),
            SqlColumn(3, "stamp", sql_body.DATE, (formats["date"], formats["stamp"])),
            SqlColumn(4, "CAST(amount AS DOUBLE)", sql_body.NUMBER),
            SqlColumn(5, "flag", sql_body.BOOL),
            SqlColumn(6, f"[{labels}][status + 1]", sql_body.TEXT, tuple(formats["status"]), "status"),
        ]
        rows = len(values["status"])
        sheet.set_body_source(1, rows, (0, 6), SqlBody(db, "SELECT * FROM lines", 1, rows, columns))

    return fill


@pytest.mark.parametrize(("rows", "batch"), [(30, 7), (20_000, 4096), (20_000, sql_body.BATCH_ROWS)])
def test_duckdb_renders_the_body_python_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, batch: int
) -> None:
    """Several batches (the next rendered while one is written), and rare texts in several blocks of rows."""
    monkeypatch.setattr(sql_body, "BATCH_ROWS", batch)
    values = _values(rows, rows)
    python = _workbook(tmp_path / "python.xlsx", _python_body(values))
    sql = _workbook(tmp_path / "sql.xlsx", _sql_body(values))
    assert sql["xl/sharedStrings.xml"] == python["xl/sharedStrings.xml"]
    assert sql["xl/worksheets/sheet1.xml"] == python["xl/worksheets/sheet1.xml"]
    if (
        rows > 1024
    ):  # the cases are there: shared, errors, times, long text inline, escaped and cut text shared
        sheet, strings = python["xl/worksheets/sheet1.xml"], python["xl/sharedStrings.xml"].decode()
        for marker in (
            b't="s"',
            b"#DIV/0!",
            b"-1/0",
            b"#NUM!",
            b't="b"',
            LONG.encode(),
            ("<t>" + "𠀀" * 16_383 + "</t>").encode(),
        ):
            assert marker in sheet, marker[:20]
        serials = [float(v) for v in re.findall(rb'<c r="D[0-9]+" s="[0-9]+"><v>([^<]+)</v>', sheet)]
        assert min(serials) < 0  # before 1899-12-31
        assert any(1 <= v < 60 for v in serials)  # before the leap-year bug's 29 February
        assert any(v != int(v) for v in serials)  # a time of day
        for text in ("A&amp;B", "&lt;tag&gt;", "_x005F_x0041_", "ctl_x0001_x", "晚&amp;"):
            assert text in strings, text


@pytest.mark.parametrize("rare", [True, False])
def test_the_orders_sheet_is_the_same_whichever_renders_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rare: bool
) -> None:
    """A big order sheet's Orders sheet, rendered by DuckDB and by Python from the same lines: the same bytes,
    with texts that need escaping (``rare``) or none."""
    monkeypatch.setattr(sheet_columnar, "COLUMNAR_FROM", 0)
    rng = random.Random(20261202)
    rows: list[list[Any] | None] = [
        ["订单号", "客户编号", "客户名称", "所在地区", "订单日期", "订单金额", "加急"]
    ]
    for n in range(2500):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        when = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))) if n % 7 == 0 else day
        name = rng.choice(["甲&乙", " 前空格", "普通"]) if rare and n % 50 == 0 else f"客户{n % 300}"
        rows.append([f"SO{n:06d}", f"KH{rng.randrange(300):04d}", name, rng.choice(["华东", "华南", None]), when,
                     round(rng.uniform(-200, 20000), 2), bool(n % 3)])  # fmt: skip
    path = write_workbook(tmp_path / "orders.xlsx", rows)
    now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    written = {}
    for name in ("sql", "python"):
        if name == "python":
            monkeypatch.setattr(ColumnarLines, "typed_source", lambda self: None)
        out = tmp_path / f"{name}.xlsx"
        score_workbook(path, RunOptions(orders=True, output=out, force=True, now=now))
        with zipfile.ZipFile(out) as package:
            written[name] = {n: package.read(n) for n in package.namelist() if n.startswith("xl/")}
    assert written["sql"] == written["python"]
    orders_sheet = max(written["sql"].values(), key=len)
    assert orders_sheet.count(b"<row ") == 2501
