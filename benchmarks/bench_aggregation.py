"""Aggregation benchmark: what TOPSIS and the weighted product cost beside the weighted sum.

One seeded table of customers (annual sales, gross profit, orders, payment days) is validated once; then
:func:`kactier.scoring.engine.score_customers` runs under the ``entropy-topsis`` preset's criteria with each
``aggregation`` (``vector`` normalisation for TOPSIS, ``minmax`` for the other two, entropy weights for all), and
the best of ``--repeat`` wall times is printed per method. Only the scoring step is timed: reading, validation,
tiers and the workbook are the same for every method (``bench_score.py`` times whole runs).

Usage::

    python benchmarks/bench_aggregation.py                      # 200,000 customers, best of 3
    python benchmarks/bench_aggregation.py --customers 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.read.cells import RawSheet
from kactier.scoring.engine import score_customers
from kactier.validate.rows import CustomerTable, validate_rows

HEADERS = ["客户编号", "客户名称", "年销售额", "毛利", "交易次数", "回款天数"]


def table_of(customers: int, config: Config) -> CustomerTable:
    """A validated table of ``customers`` seeded random customers."""
    rng = np.random.default_rng(2026)
    sales = rng.lognormal(13, 1.2, customers).round(2)
    profit = (sales * rng.uniform(0.05, 0.4, customers)).round(2)
    orders = rng.integers(1, 200, customers)
    days = rng.integers(5, 150, customers)
    cells = [
        [f"K{i:07d}", f"客户{i}", float(s), float(p), int(o), int(d)]
        for i, (s, p, o, d) in enumerate(zip(sales, profit, orders, days, strict=True))
    ]
    return validate_rows(RawSheet(Path("bench.xlsx"), "客户信息", 1, HEADERS, cells), config)


def config_for(aggregation: str) -> Config:
    """The entropy-topsis preset under ``aggregation`` (minmax where vector would not be allowed)."""
    preset = load_preset("entropy-topsis")
    normalize = "vector" if aggregation == "topsis" else "minmax"
    criteria = [c.model_copy(update={"normalize": normalize}) for c in preset.criteria]
    return preset.model_copy(update={"aggregation": aggregation, "criteria": criteria})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = table_of(args.customers, config_for("weighted-sum"))
    print(f"{args.customers:,} customers, 4 criteria, entropy weights; best of {args.repeat}")
    for aggregation in ("weighted-sum", "weighted-product", "topsis"):
        config = config_for(aggregation)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            score_customers(table, config)
            times.append(time.perf_counter() - start)
        print(f"  {aggregation:<17} {min(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
