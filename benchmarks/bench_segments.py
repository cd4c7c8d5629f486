"""Benchmark: what ``[segments]`` adds to grading (SPEC §14; issue 17).

Builds ``--rows`` customers in memory (the customer sheet of ``bench_score.py`` plus 距上次购买天数), validates and
scores them once with the ``rfm`` preset, then times, in this process (best of ``--repeat``):

* **tiers**: ``grade_customers`` with the ``rfm`` preset (no segments);
* **rfm**: the same with ``rfm-segments`` (the eight RFM segments after the tiers);
* **matrix**: the same with a 3 × 3 matrix (Pareto on 年销售额 × thresholds on 交易次数);
* **segment columns**: the two added columns' values (label and action per row).

Usage::

    python benchmarks/bench_segments.py --rows 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

from bench_score import HEADER, SEED, fake_row

from kactier.config.models import Config
from kactier.config.presets import load_preset
from kactier.read.cells import RawSheet
from kactier.report.added import segment_values
from kactier.scoring.engine import score_customers
from kactier.tiering.grade import grade_customers
from kactier.validate.rows import validate_rows


def best(repeat: int, work: Any) -> float:
    """The shortest of ``repeat`` runs of ``work()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(SEED)
    rows = [[*fake_row(rng, i), rng.randint(0, 365)] for i in range(args.rows)]
    raw = RawSheet(Path("bench.xlsx"), "客户信息", 1, [*HEADER, "距上次购买天数"], rows)
    plain = load_preset("rfm")
    table = validate_rows(raw, plain)
    scores = score_customers(table, plain)
    matrix = plain.model_dump(exclude_none=True) | {
        "segments": {
            "method": "matrix",
            "rows": {"method": "pareto", "value": "annual_sales"},
            "columns": {"method": "thresholds", "value": "orders", "minimums": [40, 10]},
        }
    }
    configs = {"tiers": plain, "rfm": load_preset("rfm-segments"), "matrix": Config.model_validate(matrix)}
    print(f"{args.rows:,} customers, best of {args.repeat}:")
    timings = {}
    for name, config in configs.items():
        timings[name] = best(args.repeat, lambda c=config: grade_customers(table, scores, c))
        print(f"  grade_customers ({name}): {timings[name]:.3f} s")
    for name in ("rfm", "matrix"):
        print(f"  segments ({name}) add {timings[name] - timings['tiers']:.3f} s")
    grades = grade_customers(table, scores, configs["rfm"])
    print(f"  segment columns: {best(args.repeat, lambda: segment_values(grades, 'zh')):.3f} s")


if __name__ == "__main__":
    main()
