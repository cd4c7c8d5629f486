"""Orders benchmark: ``kactier score --orders`` on a million order lines.

The input is one generated sheet ``销售订单`` of order lines (seeded random data, 9 columns: 订单号, 客户编号,
客户名称, 所在地区, 所属行业, 订单日期, 订单金额, 毛利, 回款日期) for a fixed number of customers over three
years ending on :data:`LAST_DAY`; about 1% of the lines are refunds (negative amounts). Three contenders:

* ``kactier``  -- ``kactier score IN --orders -o OUT --force --quiet`` (read, check, total per customer, grade,
  write the customers, Summary, Issues, Config and the Orders sheet with every line)
* ``validate`` -- ``kactier validate IN --orders --quiet``: the same without writing anything
* ``bare``     -- python-calamine read + XlsxWriter (constant memory) copy of the same cells: the floor for the
  Orders sheet alone
* ``duckdb``   -- the plain DuckDB aggregation (SPEC §9's baseline): fastexcel (when installed; else
  python-calamine) reads the sheet into Arrow, DuckDB
  totals it per customer over the 12 months ending at the last order date (sales, distinct orders, profit, first
  and last purchase, recency, payment days, the latest name and region), and XlsxWriter writes that customer
  table; no checks, no grading, no Orders sheet

As in ``bench_score.py`` (whose helpers this script uses), every run is a fresh subprocess whose wall time and
peak RSS (``ru_maxrss`` from ``os.wait4``) are recorded, and this process never imports pandas or XlsxWriter.
The machine may be shared, so the 1-minute load average is recorded before and after each run.

With ``--format csv`` or ``--format parquet`` the input is an export of the same columns written by DuckDB
(:func:`generate_export`: customers drawn uniformly by a hash of the line, 1% refunds), and the DuckDB baseline
reads the file itself (``read_csv`` in parallel with detected types, or ``read_parquet``); ``bare`` applies to
xlsx only.

Usage::

    python benchmarks/bench_orders.py                         # 1,000,000 lines, 50,000 customers
    python benchmarks/bench_orders.py --format csv --lines 5000000 --customers 100000
    python benchmarks/bench_orders.py --lines 100000 --customers 5000 --repeat 3
    python benchmarks/bench_orders.py --only kactier --json orders.json

Generated workbooks are cached in ``benchmarks/data/`` (``--keep DIR`` to choose another folder).

Internal entry points used by the subprocesses::

    python benchmarks/bench_orders.py --generate LINES CUSTOMERS OUT
    python benchmarks/bench_orders.py --run-bare IN OUT
    python benchmarks/bench_orders.py --run-duckdb IN OUT
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench_score import (
    CITIES,
    CORES,
    INDUSTRIES,
    REGIONS,
    SUFFIXES,
    TRADES,
    kactier_command,
    maxrss_mib,
    versions,
)

CONTENDERS = ("kactier", "validate", "bare", "duckdb")
SEED = 20261122
DATA_VERSION = 1  # bump when the generated data changes, to drop stale caches
SCRIPT = str(Path(__file__).resolve())
DATA_DIR = Path(__file__).resolve().parent / "data"
SHEET = "销售订单"
HEADER = [
    "订单号",
    "客户编号",
    "客户名称",
    "所在地区",
    "所属行业",
    "订单日期",
    "订单金额",
    "毛利",
    "回款日期",
]
LAST_DAY = datetime.date(2026, 10, 31)
DAYS = 3 * 365  # orders spread over the three years up to LAST_DAY
REFUND_SHARE = 0.01


@dataclass
class Result:
    """Best-of-N measurement for one contender."""

    lines: int
    customers: int
    contender: str
    seconds: float | None = None
    peak_mib: float | None = None
    cpu_seconds: float | None = None  # user + system CPU of the best run: less sensitive to a busy machine
    all_seconds: list[float] = field(default_factory=list)
    all_cpu_seconds: list[float] = field(default_factory=list)
    load_before: list[float] = field(default_factory=list)  # 1-minute load average before each run
    load_after: list[float] = field(default_factory=list)
    error: str | None = None


# --------------------------------------------------------------------------
# Input generation (runs in a subprocess)
# --------------------------------------------------------------------------


def customer_profiles(rng: random.Random, customers: int) -> list[tuple[str, str, str, str, float, int, int]]:
    """Per customer: id, name, region, industry, order weight, first and last active day (offsets).

    Weights are lognormal, so a few customers place many orders; a fifth stop buying before the last year
    and a tenth start within it, so the window, the previous window, retention and new customers all matter.
    """
    profiles = []
    for k in range(customers):
        name = rng.choice(CITIES) + rng.choice(CORES) + rng.choice(TRADES) + rng.choice(SUFFIXES)
        start, end = 0, DAYS - 1
        roll = rng.random()
        if roll < 0.2:
            end = rng.randint(30, DAYS - 366)  # churned before the last year
        elif roll < 0.3:
            start = rng.randint(DAYS - 365, DAYS - 30)  # new in the last year
        weight = rng.lognormvariate(0, 1.2)
        profiles.append(
            (f"KH{k + 1:06d}", name, rng.choice(REGIONS), rng.choice(INDUSTRIES), weight, start, end)
        )
    return profiles


def generate(lines: int, customers: int, out: Path) -> None:
    """Write a seeded order workbook of ``lines`` order lines for ``customers`` customers to ``out``."""
    import xlsxwriter

    rng = random.Random(SEED + lines + customers)
    profiles = customer_profiles(rng, customers)
    # every customer orders at least once; the rest of the lines follow the weights
    picks = list(range(customers)) + rng.choices(
        range(customers), [p[4] for p in profiles], k=lines - customers
    )
    rng.shuffle(picks)  # unsorted, as exports often are
    first_day = LAST_DAY - datetime.timedelta(days=DAYS - 1)
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = workbook.add_worksheet(SHEET)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for row, k in enumerate(picks, start=1):
        cid, name, region, industry, _, start, end = profiles[k]
        day = first_day + datetime.timedelta(days=rng.randint(start, end))
        amount = round(rng.lognormvariate(8.5, 1.0), 2)
        if rng.random() < REFUND_SHARE:
            amount = -round(amount * rng.uniform(0.1, 1.0), 2)
        sheet.write_string(row, 0, f"SO{row:08d}")
        sheet.write_row(row, 1, (cid, name, region, industry))
        sheet.write_datetime(row, 5, day, date_format)
        sheet.write_number(row, 6, amount)
        sheet.write_number(row, 7, round(amount * rng.uniform(0.08, 0.35), 2))
        if amount > 0 and rng.random() < 0.9:
            sheet.write_datetime(row, 8, day + datetime.timedelta(days=rng.randint(0, 120)), date_format)
    workbook.close()


_EXPORT_SQL = """
SELECT 'SO' || lpad(CAST(i AS VARCHAR), 9, '0') AS 订单号,
       'KH' || lpad(CAST(c AS VARCHAR), 6, '0') AS 客户编号,
       '客户' || CAST(c AS VARCHAR) || '有限公司' AS 客户名称,
       ['华东', '华南', '华北', '西南', '华中'][1 + c % 5] AS 所在地区,
       ['制造', '零售', '医药', '能源'][1 + c % 4] AS 所属行业,
       DATE '{last}' - CAST(hash(i, 2) % {days} AS INTEGER) AS 订单日期,
       CASE WHEN hash(i, 3) % 100 = 0 THEN -1 ELSE 1 END * round(100 + hash(i, 4) % 1000000 / 100.0, 2) AS 订单金额,
       round(hash(i, 5) % 30000 / 100.0, 2) AS 毛利,
       CASE WHEN hash(i, 6) % 10 > 0
            THEN DATE '{last}' - CAST(hash(i, 2) % {days} AS INTEGER) + CAST(hash(i, 7) % 120 AS INTEGER) END AS 回款日期
FROM (SELECT i, CAST(hash(i, 1) % {customers} AS BIGINT) AS c FROM range(1, {lines} + 1) t(i))
"""


def generate_export(lines: int, customers: int, out: Path) -> None:
    """Write a seeded CSV or Parquet order export (by ``out``'s suffix) with DuckDB: the xlsx generator's columns,
    customers drawn by a hash of the line (uniform), 1% refunds, 90% of lines with a paid date. DuckDB writes it
    in seconds, where a Python loop would take minutes at 50M lines."""
    import duckdb

    query = _EXPORT_SQL.format(last=LAST_DAY.isoformat(), days=DAYS, customers=customers, lines=lines)
    options = "(FORMAT parquet)" if out.suffix == ".parquet" else "(FORMAT csv, HEADER)"
    duckdb.connect().execute(f"COPY ({query}) TO '{out}' {options}")


def input_path(workdir: Path, lines: int, customers: int, fmt: str = "xlsx") -> Path:
    """Cached input (an xlsx workbook, or a CSV or Parquet export), generated on first use."""
    path = workdir / f"orders_{lines}_{customers}_s{SEED}_v{DATA_VERSION}.{fmt}"
    if path.exists():
        return path
    partial = path.with_suffix(f".partial.{fmt}")
    print(f"generating {path.name} ...", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, SCRIPT, "--generate", str(lines), str(customers), str(partial)], check=True
    )
    partial.replace(path)
    return path


# --------------------------------------------------------------------------
# Contender "bare" (runs in a subprocess)
# --------------------------------------------------------------------------


def run_bare(inp: Path, out: Path) -> None:
    """Read with python-calamine, write the same cells with XlsxWriter in constant-memory mode, nothing else."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(inp))
    rows = source.get_sheet_by_index(0).to_python()
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = workbook.add_worksheet(source.sheet_names[0])
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    workbook.close()


_DUCKDB_TOTALS = """
WITH lines AS (
    SELECT 客户编号 AS id, 客户名称 AS name, 所在地区 AS region, CAST(订单日期 AS DATE) AS day,
           CAST(订单金额 AS DOUBLE) AS amount, CAST(毛利 AS DOUBLE) AS profit, 订单号 AS order_id,
           CAST(回款日期 AS DATE) - CAST(订单日期 AS DATE) AS pay_days, row_number() OVER () AS line
    FROM orders
), bounds AS (SELECT max(day) AS as_of, max(day) - INTERVAL 12 MONTH AS start FROM lines)
SELECT id,
       arg_max(name, (day, line)) FILTER (WHERE name IS NOT NULL) AS name,
       arg_max(region, (day, line)) FILTER (WHERE region IS NOT NULL) AS region,
       min(day) FILTER (WHERE amount >= 0) AS first_deal,
       max(day) FILTER (WHERE amount >= 0) AS last_order,
       any_value(as_of) - max(day) FILTER (WHERE amount >= 0) AS recency_days,
       count(DISTINCT order_id) FILTER (WHERE amount >= 0 AND day > start) AS orders,
       coalesce(sum(amount) FILTER (WHERE day > start), 0) AS sales,
       sum(profit) FILTER (WHERE day > start) AS profit,
       avg(pay_days) FILTER (WHERE day > start) AS payment_days
FROM lines, bounds
GROUP BY id
ORDER BY id
"""


def _orders_table(inp: Path) -> Any:
    """The order sheet as a table DuckDB scans: Arrow from fastexcel when it is installed (the fastest reader,
    not a kactier dependency), else pandas from python-calamine."""
    try:
        import fastexcel
    except ImportError:
        import pandas as pd
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(inp)).get_sheet_by_index(0).to_python()
        orders = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
        for column in ("订单日期", "回款日期"):
            orders[column] = pd.to_datetime(orders[column].replace("", None))
        for column in ("订单金额", "毛利"):
            orders[column] = pd.to_numeric(orders[column].replace("", None))
        return orders
    return fastexcel.read_excel(str(inp)).load_sheet(0).to_arrow()


def run_duckdb(inp: Path, out: Path) -> None:
    """fastexcel (or calamine) → DuckDB per-customer totals → XlsxWriter: the baseline for the order path."""
    import duckdb
    import xlsxwriter

    connection = duckdb.connect()
    if inp.suffix == ".csv":  # DuckDB reads the file itself, in parallel, with the types it detects
        connection.execute(f"CREATE VIEW orders AS SELECT * FROM read_csv('{inp}')")
    elif inp.suffix == ".parquet":
        connection.execute(f"CREATE VIEW orders AS SELECT * FROM read_parquet('{inp}')")
    else:
        connection.register("orders", _orders_table(inp))
    totals = connection.execute(_DUCKDB_TOTALS).fetchall()
    header = [d[0] for d in connection.description or []]
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = workbook.add_worksheet("客户汇总")
    sheet.write_row(0, 0, header)
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for i, row in enumerate(totals, start=1):
        for j, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(i, j, value, dates)
            elif value is not None:
                sheet.write(i, j, value)
    workbook.close()


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------


def contender_command(name: str, inp: Path, out: Path) -> list[str]:
    """Command line that runs contender ``name`` on ``inp`` (writing ``out`` where it writes)."""
    if name == "kactier":
        return [*kactier_command(), "score", str(inp), "--orders", "-o", str(out), "--force", "--quiet"]
    if name == "validate":
        return [*kactier_command(), "validate", str(inp), "--orders", "--quiet"]
    return [sys.executable, SCRIPT, f"--run-{name}", str(inp), str(out)]


def run_once(cmd: list[str], out: Path | None) -> tuple[float, float, float]:
    """Run ``cmd`` in a fresh process; return (wall seconds, peak MiB, CPU seconds). ``out`` must be written when
    given; ``validate`` exits 65 when the data has problems, which is a result, not a failure."""
    if out is not None:
        out.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 65) or (code == 65 and out is not None):
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-2000:]
            raise RuntimeError(f"exit {code}: {' '.join(cmd)}\n{tail}")
    if out is not None and (not out.exists() or out.stat().st_size == 0):
        raise RuntimeError(f"no output written: {out}")
    return elapsed, maxrss_mib(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def measure(names: list[str], lines: int, customers: int, inp: Path, repeat: int) -> list[Result]:
    """Best wall time and highest peak RSS of ``repeat`` runs of each contender, with the load around each, taken
    in rounds (every contender once per round) so that a host that slows down for a while slows each alike."""
    results = {name: Result(lines=lines, customers=customers, contender=name) for name in names}
    peaks: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            result = results[name]
            if result.error is not None:
                continue
            out = inp.parent / f"out_orders_{name}_{lines}_{inp.suffix[1:]}.xlsx"
            try:
                result.load_before.append(round(os.getloadavg()[0], 2))
                seconds, peak, cpu = run_once(
                    contender_command(name, inp, out), None if name == "validate" else out
                )
            except (OSError, RuntimeError) as exc:
                result.error = str(exc)
                continue
            result.load_after.append(round(os.getloadavg()[0], 2))
            result.all_seconds.append(round(seconds, 3))
            result.all_cpu_seconds.append(round(cpu, 3))
            peaks[name].append(peak)
    for name, result in results.items():
        if result.error is None:
            result.seconds = min(result.all_seconds)
            result.cpu_seconds = result.all_cpu_seconds[result.all_seconds.index(result.seconds)]
            result.peak_mib = round(max(peaks[name]), 1)
    return list(results.values())


def print_table(results: list[Result], repeat: int) -> None:
    """Print the results, one line per contender, with the load average around the runs."""
    first = results[0]
    print(
        f"\nlines={first.lines:,}  customers={first.customers:,}  (best of {repeat}; cpus={os.cpu_count()})"
    )
    print(f"{'contender':<10} {'seconds':>9} {'CPU s':>9} {'peak MiB':>9}  load before → after")
    for r in results:
        if r.error is not None:
            print(f"{r.contender:<10} FAILED: {r.error.splitlines()[0]}")
            continue
        loads = ", ".join(f"{a:.2f} → {b:.2f}" for a, b in zip(r.load_before, r.load_after, strict=True))
        print(f"{r.contender:<10} {r.seconds:>9.2f} {r.cpu_seconds:>9.2f} {r.peak_mib:>9.1f}  {loads}")


def save_json(path: Path, results: list[Result], repeat: int) -> None:
    """Write all results plus environment details to ``path``."""
    payload: dict[str, Any] = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "versions": versions(),
        "repeat": repeat,
        "parent_peak_mib": round(maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), 1),
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line options (including the internal subprocess modes)."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--lines", type=int, default=1_000_000)
    p.add_argument("--customers", type=int, default=50_000)
    p.add_argument("--repeat", type=int, default=1, help="runs each; best is kept")
    p.add_argument(
        "--keep", type=Path, default=DATA_DIR, help="folder for the generated workbook and outputs"
    )
    p.add_argument("--only", nargs="+", choices=CONTENDERS, help="the contenders to run (default: all)")
    p.add_argument("--format", choices=("xlsx", "csv", "parquet"), default="xlsx", help="the input's format")
    p.add_argument("--json", type=Path, help="also save results to this file")
    internal = p.add_mutually_exclusive_group()
    internal.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    internal.add_argument("--run-bare", nargs=2, help=argparse.SUPPRESS)
    internal.add_argument("--run-duckdb", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.repeat < 1 or not 1 <= args.customers <= args.lines:
        p.error("--repeat must be positive and --customers between 1 and --lines")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point: dispatch internal modes or run the benchmark."""
    args = parse_args(argv)
    if args.generate:
        lines, customers, out = int(args.generate[0]), int(args.generate[1]), Path(args.generate[2])
        (generate if out.suffix == ".xlsx" else generate_export)(lines, customers, out)
        return 0
    if args.run_bare:
        run_bare(Path(args.run_bare[0]), Path(args.run_bare[1]))
        return 0
    if args.run_duckdb:
        run_duckdb(Path(args.run_duckdb[0]), Path(args.run_duckdb[1]))
        return 0
    workdir = args.keep.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    inp = input_path(workdir, args.lines, args.customers, args.format)
    names = args.only or [c for c in CONTENDERS if c != "bare" or args.format == "xlsx"]
    results = measure(names, args.lines, args.customers, inp, args.repeat)
    print_table(results, args.repeat)
    if args.json:
        save_json(args.json, results, args.repeat)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
