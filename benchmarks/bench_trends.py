"""Benchmark: what the trends across runs and the early warning cost a run with history (SPEC §15; issue 18).

Records ``--runs`` past runs of ``--customers`` customers in a fresh history database (scores drifting from run to
run, a lifecycle stage each), then times, in this process, the work a run with history adds before it is written:

* **trend**: :func:`kactier.history.trends.trend_since` (the past runs, their tier counts and mean scores computed
  by SQLite, each customer's score in the last runs, the previous run's stages);
* **warning + conversion**: the early warning (P(alive) and the last two runs) and the conversion per owner.

Usage::

    python benchmarks/bench_trends.py --customers 200000 --runs 6
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from kactier.history.records import NewRun
from kactier.history.store import config_fingerprint, open_history
from kactier.history.trends import conversion, trend_since
from kactier.tiering.at_risk import at_risk

STAGES = np.array(["prospect", "target", "intent", "active", "churned"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    from kactier.config.presets import load_preset

    config = load_preset("key-account")
    labels = tuple(level.label for level in config.tiers.levels)
    rng = np.random.default_rng(7)
    ids = [f"K{i:07d}" for i in range(args.customers)]
    owners = rng.choice([f"owner{i}" for i in range(40)], args.customers).tolist()
    with tempfile.TemporaryDirectory() as folder:
        store = open_history(Path(folder) / "h.sqlite")
        score = rng.uniform(40, 100, args.customers)
        started = time.perf_counter()
        for run in range(args.runs):
            score = np.clip(score + rng.normal(0, 5, args.customers), 0, 100)
            tier = np.where(score >= 85, 0, np.where(score >= 70, 1, 2))
            stages = rng.choice(STAGES, args.customers).tolist()
            meta = NewRun(
                "c.xlsx",
                f"{run:064d}",
                config.name,
                config_fingerprint(config),
                labels,
                dt.date(2026, 1 + run % 12, 1),
                dt.datetime.now(dt.UTC),
                "bench",
            )
            store.record_run(
                meta, zip(ids, ids, score.tolist(), [labels[t] for t in tier], stages, strict=True)
            )
        print(
            f"recorded {args.runs} runs of {args.customers:,} customers in {time.perf_counter() - started:.1f} s"
        )
        score = np.clip(score + rng.normal(0, 5, args.customers), 0, 100)
        tier = np.where(score >= 85, 0, np.where(score >= 70, 1, 2))
        frame = pd.DataFrame(
            {"customer_id": ids, "owner": owners, "stage": rng.choice(STAGES, args.customers)}
        )
        graded = SimpleNamespace(
            table=SimpleNamespace(frame=frame),
            scores=SimpleNamespace(score=pd.Series(score)),
            grades=SimpleNamespace(tier=tier, as_of=dt.date(2026, 12, 31)),
            config=config,
        )
        started = time.perf_counter()
        trend = trend_since(store, "c.xlsx", "f" * 64, graded)
        took = time.perf_counter() - started
        assert trend is not None
        print(f"trend: {took:.2f} s ({len(trend.points)} points)")
        started = time.perf_counter()
        recent = trend.recent_scores(ids, score.tolist(), 3)
        warning = at_risk(tier, rng.uniform(0, 1, args.customers), recent)
        rows = conversion(trend, ids, owners, frame["stage"].tolist())
        took = time.perf_counter() - started
        print(
            f"warning + conversion: {took:.2f} s ({int(warning.flagged.sum()):,} at risk, {len(rows)} owner rows)"
        )
        store.close()


if __name__ == "__main__":
    main()
