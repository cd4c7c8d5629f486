"""Benchmark: what BG/NBD and Gamma-Gamma cost an ``--orders`` run (SPEC §15; issue 18).

On an order export (a CSV of ``bench_orders.py --format csv``, e.g. 1,000,000 lines for 50,000 customers), in this
process and in order:

* **read**: the export read, checked and totalled by the DuckDB engine, with the purchase-days query the models
  need (:func:`kactier.orders.aggregate.purchase_days_sql`);
* **read, no purchase days**: the same with that query replaced by an empty one (what the models add to reading);
* **models**: both fits and the per-customer predictions (:meth:`OrderBook._predict`, scipy imported there).

Usage::

    python benchmarks/bench_orders.py --format csv --lines 1000000 --customers 50000 --keep /tmp/obench --only duckdb
    python benchmarks/bench_clv.py /tmp/obench/orders_1000000_50000_s20261122_v1.csv --repeat 2
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import kactier.orders.columnar
from kactier.config.prediction_models import Prediction
from kactier.orders.aggregate import purchase_days_sql

columnar: Any = kactier.orders.columnar  # the module whose query this script swaps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    best: dict[str, tuple[float, float]] = {}

    def keep(step: str, started: float, cpu: float) -> None:
        took = (time.perf_counter() - started, time.process_time() - cpu)
        best[step] = min(best.get(step, took), took)

    for _ in range(args.repeat):
        columnar.purchase_days_sql = lambda source: (
            "SELECT customer, 0 AS repeat_days, 0 AS first_day, 0 AS last_day, 0.0 AS repeat_spend "
            f"FROM {source} LIMIT 0"
        )
        started, cpu = time.perf_counter(), time.process_time()
        columnar.read_order_export(args.export).close()
        keep("read, no purchase days", started, cpu)
        columnar.purchase_days_sql = purchase_days_sql
        started, cpu = time.perf_counter(), time.process_time()
        book = columnar.read_order_export(args.export)
        keep("read", started, cpu)
        started, cpu = time.perf_counter(), time.process_time()
        book._predict(Prediction())
        keep("models", started, cpu)
        notes, customers = book.notes[-2:], len(book.customers)
        book.close()
    print(f"{args.export.name}: {customers:,} customers")
    print("| step | seconds | CPU s |")
    print("| --- | --- | --- |")
    for step, (wall, cpu) in best.items():
        print(f"| {step} | {wall:.2f} | {cpu:.2f} |")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
