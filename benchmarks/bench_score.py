"""End-to-end benchmark: ``kactier score`` against bare libraries and pandas.

The contenders each grade the same generated workbook (sheet ``客户信息``,
15 columns, seeded random data) and write an .xlsx file:

* ``kactier``   -- ``kactier score IN -o OUT --force --quiet``
* ``kactier-stability`` -- the same with ``--stability`` (1,000 perturbed weight vectors)
  (``--preset NAME`` grades both with that preset: the default key-account tiers by thresholds;
  ``sales-profit-payment`` by shares of customers, ``entropy-topsis`` by TOPSIS, on the same workbook)
* ``bare``      -- python-calamine read + XlsxWriter ``write_row`` of the same
  cells plus four constant added columns (the floor for this I/O stack)
* ``bare-rust`` -- the same with rustpy-xlsxwriter, a Rust writer that is not
  a kactier dependency: the fastest writer found on PyPI, for reference; it is
  skipped when the package is not installed
* ``bare-rust-all`` -- bare-rust writing every column kactier adds to a key-account run (score, rank,
  percentile, tier, mark, action, follow-up date, why, points to next tier, best lever), with texts as long as
  kactier's: the floor for the cells kactier writes
* ``hand``      -- the analyst's pandas/openpyxl script (read_excel, mean,
  rank, numpy.select, map, to_excel)

Every run is a fresh subprocess, so wall time includes interpreter start-up
and imports, and the peak RSS (``ru_maxrss`` from ``os.wait4``) is the
child's own.  The orchestrating process never imports pandas, openpyxl or
XlsxWriter (input workbooks are generated in a subprocess too): on Linux a
child's ``ru_maxrss`` starts from its parent's high-water mark, so a big
parent would inflate every child's peak.

Usage::

    python benchmarks/bench_score.py                       # 10k, 100k and 1,048,575 rows
    python benchmarks/bench_score.py --rows 10000 --repeat 3
    python benchmarks/bench_score.py --only kactier bare --keep /tmp/kactier-bench
    python benchmarks/bench_score.py --json results.json
    python benchmarks/bench_score.py --rows 100000 --only kactier kactier-stability --preset sales-profit-payment

Each row of the table also shows the CPU time (user + system) of its best run
and the 1-minute load average when that run started: on a shared machine,
wall times taken under load are slower, CPU times much less so.

Internal entry points used by the subprocesses::

    python benchmarks/bench_score.py --generate ROWS OUT
    python benchmarks/bench_score.py --run-bare IN OUT
    python benchmarks/bench_score.py --run-bare-rust IN OUT
    python benchmarks/bench_score.py --run-bare-rust-all IN OUT
    python benchmarks/bench_score.py --run-hand IN OUT
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

CONTENDERS = ("kactier", "kactier-stability", "bare", "bare-rust", "bare-rust-all", "hand")
DEFAULT_ROWS = (10_000, 100_000, 1_048_575)  # 1,048,575 data rows + the header fill Excel's 1,048,576
NOT_INSTALLED = 3  # exit status of a contender whose optional library is missing
SEED = 20240601
EPOCH = datetime.date(2010, 1, 1)
SCRIPT = str(Path(__file__).resolve())
PRESET: list[str] = []  # ["--preset", NAME] for the kactier contenders, from --preset
DATA_VERSION = 1  # bump when the generated data changes, to drop stale caches
SHEET = "客户信息"
HEADER = [
    "客户编号", "客户名称", "所在地区", "所属行业", "负责人",
    "年销售额", "毛利", "交易次数", "回款天数",
    "购买力评分", "交易频次评分", "合作历史评分", "市场影响力评分", "客户忠诚度评分",
    "首次合作日期",
]  # fmt: skip
SCORE_COLUMNS = HEADER[9:14]
ADDED_COLUMNS = ["综合得分", "排名", "客户级别", "建议措施"]
ALL_ADDED_COLUMNS = [
    "综合得分", "排名", "百分位", "客户级别", "级别标记", "建议措施", "下次跟进日期",
    "评级说明", "距上一级差距", "提升建议",
]  # fmt: skip
WHY = "交易频次评分 92 分高于 B 级均值；合作历史评分 60 分偏低"  # as long as kactier's Why cells
LEVER = "购买力评分 +12.5 分（至 92.5）"
ACTIONS = {
    "A": "重点维护，高层定期拜访",
    "B": "保持合作，挖掘增长潜力",
    "C": "常规跟进，评估合作价值",
}

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州"]
CORES = ["华盛", "恒通", "鑫达", "宏远", "金桥", "瑞丰", "天成", "博远", "永泰", "新创"]
TRADES = ["科技", "贸易", "制造", "物流", "医药", "食品", "建材", "电子"]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司"]
REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"]
INDUSTRIES = ["制造业", "批发零售", "信息技术", "医药健康", "物流运输", "建筑工程"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡"
GIVEN = "伟芳娜敏静磊强洋艳勇军杰涛明超华"


@dataclass
class Result:
    """Best-of-N measurement for one contender at one row count."""

    rows: int
    contender: str
    seconds: float | None = None
    peak_mib: float | None = None
    all_seconds: list[float] = field(default_factory=list)
    cpu_seconds: float | None = None  # user + system CPU time of the best run
    all_cpu_seconds: list[float] = field(default_factory=list)
    load: float | None = None  # 1-minute load average when the best run started
    all_loads: list[float] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None


# --------------------------------------------------------------------------
# Input generation (runs in a subprocess)
# --------------------------------------------------------------------------


def fake_row(rng: random.Random, index: int) -> list[Any]:
    """One seeded random customer row matching HEADER."""
    sales = round(rng.uniform(50_000, 50_000_000), 2)
    name = rng.choice(CITIES) + rng.choice(CORES) + rng.choice(TRADES)
    person = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
    quality = rng.gauss(72, 12)  # per-customer level, so all tiers occur
    scores = [min(100, max(0, round(rng.gauss(quality, 8)))) for _ in SCORE_COLUMNS]
    return [
        f"KH{index:07d}", name + rng.choice(SUFFIXES),
        rng.choice(REGIONS), rng.choice(INDUSTRIES), person,
        sales, round(sales * rng.uniform(0.05, 0.35), 2),
        rng.randint(1, 500), rng.randint(0, 180),
        *scores,
        EPOCH + datetime.timedelta(days=rng.randint(0, 5000)),
    ]  # fmt: skip


def generate(rows: int, out: Path) -> None:
    """Write a seeded input workbook with ``rows`` data rows to ``out``."""
    import xlsxwriter

    rng = random.Random(SEED + rows)
    options = {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    workbook = xlsxwriter.Workbook(str(out), options)
    sheet = workbook.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, fake_row(rng, i))
    workbook.close()


def input_path(workdir: Path, rows: int) -> Path:
    """Cached input workbook for ``rows``, generated on first use."""
    path = workdir / f"input_{rows}_s{SEED}_v{DATA_VERSION}.xlsx"
    if path.exists():
        return path
    partial = path.with_suffix(".partial.xlsx")
    print(f"generating {path.name} ...", file=sys.stderr, flush=True)
    cmd = [sys.executable, SCRIPT, "--generate", str(rows), str(partial)]
    subprocess.run(cmd, check=True)
    partial.replace(path)
    return path


# --------------------------------------------------------------------------
# Contenders (b) and (c) (run in subprocesses)
# --------------------------------------------------------------------------


def run_bare(inp: Path, out: Path) -> None:
    """Read with python-calamine, write the same cells + 4 columns, nothing else."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(inp))
    rows = source.get_sheet_by_index(0).to_python()
    workbook = xlsxwriter.Workbook(str(out))
    sheet = workbook.add_worksheet(source.sheet_names[0])
    sheet.write_row(0, 0, [*rows[0], *ADDED_COLUMNS])
    action = ACTIONS["B"]
    for i, row in enumerate(rows[1:], start=1):
        sheet.write_row(i, 0, [*row, 75.0, i, "B", action])
    workbook.close()


def run_bare_rust(inp: Path, out: Path) -> None:
    """Read with python-calamine, write the same cells with rustpy-xlsxwriter (optional)."""
    action = ACTIONS["B"]
    _write_with_rust(inp, out, ADDED_COLUMNS, lambda i, n: [75.0, i, "B", action])


def run_bare_rust_all(inp: Path, out: Path) -> None:
    """bare-rust writing every column kactier adds (``ALL_ADDED_COLUMNS``), constants of kactier's length."""
    action, follow_up = ACTIONS["B"], datetime.datetime(2027, 1, 30)
    _write_with_rust(
        inp,
        out,
        ALL_ADDED_COLUMNS,
        lambda i, n: [75.0, i, 1 - i / n, "B", "", action, follow_up, WHY, 4.5, LEVER],
    )


def _write_with_rust(inp: Path, out: Path, added: list[str], values: Callable[[int, int], list[Any]]) -> None:
    """The input's cells plus ``added`` columns (``values(row number, rows)``), written by rustpy-xlsxwriter."""
    try:  # imported by name: an optional package, not a kactier dependency
        rustpy_xlsxwriter = importlib.import_module("rustpy_xlsxwriter")
    except ImportError:
        print("rustpy-xlsxwriter is not installed", file=sys.stderr)
        sys.exit(NOT_INSTALLED)
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(inp))
    rows = source.get_sheet_by_index(0).to_python()
    header, n = [*rows[0], *added], len(rows) - 1
    rows_out = ([*row, *values(i, n)] for i, row in enumerate(rows[1:], start=1))
    records = (dict(zip(header, row, strict=True)) for row in rows_out)
    rustpy_xlsxwriter.write_worksheet(records, str(out), sheet_name=source.sheet_names[0])


def run_hand(inp: Path, out: Path) -> None:
    """The hand-written analyst script: pandas + openpyxl both ways."""
    import numpy as np
    import pandas as pd

    df = pd.read_excel(inp, sheet_name=0, engine="openpyxl")
    score = df[SCORE_COLUMNS].mean(axis=1).round(2)
    df["综合得分"] = score
    df["排名"] = score.rank(method="min", ascending=False).astype(int)
    df["客户级别"] = np.select([score >= 85, score >= 70], ["A", "B"], default="C")
    df["建议措施"] = df["客户级别"].map(ACTIONS)
    df.to_excel(out, sheet_name=SHEET, index=False, engine="openpyxl")


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------


def kactier_command() -> list[str]:
    """The installed ``kactier`` script beside this interpreter, else ``-m``."""
    script = Path(sys.executable).parent / "kactier"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "kactier"]


def contender_command(name: str, inp: Path, out: Path) -> list[str]:
    """Command line that runs contender ``name`` from ``inp`` to ``out``."""
    if name in ("kactier", "kactier-stability"):
        args = ["score", str(inp), "-o", str(out), "--force", "--quiet", *PRESET]
        return [*kactier_command(), *args, *(["--stability"] if name == "kactier-stability" else [])]
    return [sys.executable, SCRIPT, f"--run-{name}", str(inp), str(out)]


def maxrss_mib(maxrss: int) -> float:
    """Convert ``ru_maxrss`` (KiB on Linux, bytes on macOS) to MiB."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


class NotInstalled(Exception):
    """The contender's optional library is missing."""


def run_once(cmd: list[str], out: Path) -> tuple[float, float, float]:
    """Run ``cmd`` in a fresh process; return (wall seconds, peak MiB, CPU seconds)."""
    out.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode == NOT_INSTALLED and ("--run-bare-rust" in cmd or "--run-bare-rust-all" in cmd):
            raise NotInstalled("rustpy-xlsxwriter is not installed")
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-2000:]
            raise RuntimeError(f"exit {proc.returncode}: {' '.join(cmd)}\n{tail}")
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"no output written: {out}")
    return elapsed, maxrss_mib(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def measure(names: list[str], rows: int, inp: Path, repeat: int) -> list[Result]:
    """Best wall time and highest peak RSS of ``repeat`` runs of each contender, taken in rounds: every contender
    runs once per round, so a host that slows down for a while slows each of them alike."""
    results = {name: Result(rows=rows, contender=name) for name in names}
    peaks: dict[str, list[float]] = {name: [] for name in names}
    for run in range(1, repeat + 1):
        for name in names:
            result = results[name]
            if result.skipped or result.error:
                continue
            out = inp.parent / f"out_{name}_{rows}.xlsx"
            load = os.getloadavg()[0]
            print(
                f"{name} at {rows:,} rows: run {run}/{repeat} (load {load:.2f}) ...",
                file=sys.stderr,
                flush=True,
            )
            try:
                seconds, peak, cpu = run_once(contender_command(name, inp, out), out)
            except NotInstalled as exc:
                result.skipped = str(exc)
                continue
            except (OSError, RuntimeError) as exc:
                result.error = str(exc)
                continue
            result.all_seconds.append(round(seconds, 4))
            result.all_cpu_seconds.append(round(cpu, 3))
            result.all_loads.append(round(load, 2))
            peaks[name].append(peak)
    for name, result in results.items():
        if result.skipped or result.error:
            continue
        best = result.all_seconds.index(min(result.all_seconds))
        result.seconds, result.load = result.all_seconds[best], result.all_loads[best]
        result.cpu_seconds = result.all_cpu_seconds[best]
        result.peak_mib = round(max(peaks[name]), 1)
    return list(results.values())


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def ratio(numerator: float | None, denominator: float | None) -> str:
    """``a/b`` formatted as ``1.23x``, or ``-`` when either side is missing."""
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}x"


def print_table(rows: int, results: list[Result], repeat: int) -> None:
    """Print one row-count's results with ratios to bare, bare-rust and hand."""
    by_name = {r.contender: r.seconds for r in results}
    bare, rust, hand = by_name.get("bare"), by_name.get("bare-rust"), by_name.get("hand")
    print(f"\nrows={rows:,}  (best of {repeat}; load = 1-minute load average when the best run started)")
    print(
        f"{'contender':<10} {'seconds':>9} {'CPU s':>8} {'peak MiB':>9} {'load':>5} "
        f"{'x bare':>8} {'x rust':>8} {'hand/x':>8}"
    )
    for r in results:
        if r.skipped is not None:
            print(f"{r.contender:<10} skipped: {r.skipped}")
            continue
        if r.error is not None:
            lines = r.error.splitlines()
            print(f"{r.contender:<10} FAILED: {lines[0]}")
            if len(lines) > 1:
                print(f"{'':<10} {lines[-1]}")
            continue
        secs, cpu, peak, load = (
            f"{r.seconds:.3f}",
            f"{r.cpu_seconds:.2f}",
            f"{r.peak_mib:.1f}",
            f"{r.load:.2f}",
        )
        vs_bare, vs_rust, vs_hand = ratio(r.seconds, bare), ratio(r.seconds, rust), ratio(hand, r.seconds)
        print(
            f"{r.contender:<10} {secs:>9} {cpu:>8} {peak:>9} {load:>5} {vs_bare:>8} {vs_rust:>8} {vs_hand:>8}"
        )


def versions() -> dict[str, str]:
    """Versions of the packages involved, without importing them."""
    found = {"python": platform.python_version()}
    for dist in ("kactier", "python-calamine", "xlsxwriter", "rustpy-xlsxwriter", "openpyxl", "pandas"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found


def save_json(path: Path, results: list[Result], repeat: int) -> None:
    """Write all results plus environment details to ``path``."""
    own_peak = maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    payload = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "versions": versions(),
        "repeat": repeat,
        "parent_peak_mib": round(own_peak, 1),
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line options (including the internal subprocess modes)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, nargs="+", default=list(DEFAULT_ROWS))
    p.add_argument("--repeat", type=int, default=1, help="runs each; best is kept")
    p.add_argument("--keep", type=Path, help="directory for generated workbooks")
    p.add_argument("--only", choices=CONTENDERS, nargs="+", help="run only these contenders")
    p.add_argument("--json", type=Path, help="also save results to this file")
    p.add_argument("--preset", help="kactier preset for the kactier contenders (default: key-account)")
    internal = p.add_mutually_exclusive_group()
    for flag in ("--run-bare", "--run-bare-rust", "--run-bare-rust-all", "--run-hand", "--generate"):
        internal.add_argument(flag, nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.repeat < 1 or min(args.rows) < 1:
        p.error("--repeat and --rows must be positive")
    return args


def benchmark(args: argparse.Namespace, workdir: Path) -> list[Result]:
    """Run every selected contender for every row count and print tables."""
    names = [n for n in CONTENDERS if n in args.only] if args.only else list(CONTENDERS)
    results: list[Result] = []
    for rows in args.rows:
        inp = input_path(workdir, rows)
        batch = measure(names, rows, inp, args.repeat)
        print_table(rows, batch, args.repeat)
        results.extend(batch)
    return results


def main(argv: list[str] | None = None) -> int:
    """Entry point: dispatch internal modes or run the benchmark."""
    args = parse_args(argv)
    if args.generate:
        generate(int(args.generate[0]), Path(args.generate[1]))
        return 0
    jobs = {
        "run_bare": run_bare,
        "run_bare_rust": run_bare_rust,
        "run_bare_rust_all": run_bare_rust_all,
        "run_hand": run_hand,
    }
    for option, job in jobs.items():
        if getattr(args, option):
            job(*(Path(p) for p in getattr(args, option)))
            return 0
    PRESET[:] = ["--preset", args.preset] if args.preset else []
    with tempfile.TemporaryDirectory(prefix="kactier-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = benchmark(args, workdir.resolve())
    if args.json:
        save_json(args.json, results, args.repeat)
    return 1 if any(r.error for r in results) else 0  # a skipped (not installed) contender is no failure


if __name__ == "__main__":
    sys.exit(main())
