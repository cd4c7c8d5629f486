"""Benchmark: many regional workbooks graded together (SPEC §13; issue 16).

Generates ``--files`` workbooks of ``--rows`` customers each (the customer sheet of ``bench_score.py``, ids unique
across the files) in a folder, then times, each in a fresh subprocess with its peak RSS from ``os.wait4``:

* **together**: ``kactier score FOLDER -o all.xlsx`` (every file read, matched and graded as one list);
* **one workbook**: ``kactier score whole.xlsx`` on one workbook holding the same rows (the same grading, read
  from one file): what grading together costs beyond the rows themselves.

Usage::

    python benchmarks/bench_together.py --files 20 --rows 50000 --keep /tmp/tbench --repeat 1
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

from bench_score import HEADER, SEED, SHEET, fake_row, kactier_command, run_once

SCRIPT = os.path.abspath(__file__)


def generate(path: Path, first: int, rows: int, seed: int) -> None:
    """One workbook of ``rows`` customers numbered from ``first`` (runs in a subprocess)."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    for i in range(rows):
        sheet.write_row(i + 1, 0, fake_row(rng, first + i))
    book.close()


def inputs(workdir: Path, files: int, rows: int) -> tuple[Path, Path]:
    """The folder of ``files`` regional workbooks and the one workbook of all their rows (cached)."""
    folder = workdir / f"regions_{files}x{rows}_s{SEED}"
    whole = workdir / f"whole_{files}x{rows}_s{SEED}.xlsx"
    if not folder.exists():
        partial = folder.with_name(folder.name + ".partial")
        partial.mkdir(parents=True, exist_ok=True)
        for n in range(files):
            path = partial / f"region_{n + 1:02d}.xlsx"
            if not path.exists():
                cmd = [
                    sys.executable,
                    SCRIPT,
                    "--generate",
                    str(path),
                    str(n * rows),
                    str(rows),
                    str(SEED + n),
                ]
                subprocess.run(cmd, check=True)
        partial.rename(folder)
    if not whole.exists():
        print(f"generating {whole.name} ...", file=sys.stderr, flush=True)
        cmd = [sys.executable, SCRIPT, "--generate-whole", str(whole), str(files), str(rows)]
        subprocess.run(cmd, check=True)
    return folder, whole


def generate_whole(path: Path, files: int, rows: int) -> None:
    """The rows of every regional workbook, in the same order, in one workbook."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    row = 1
    for n in range(files):
        rng = random.Random(SEED + n)
        for i in range(rows):
            sheet.write_row(row, 0, fake_row(rng, n * rows + i))
            row += 1
    book.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--generate", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--generate-whole", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        path, first, rows, seed = args.generate
        generate(Path(path), int(first), int(rows), int(seed))
        return 0
    if args.generate_whole:
        path, files, rows = args.generate_whole
        generate_whole(Path(path), int(files), int(rows))
        return 0
    args.keep.mkdir(parents=True, exist_ok=True)
    folder, whole = inputs(args.keep, args.files, args.rows)
    cases = {
        "together": ([*kactier_command(), "score", str(folder), "-o"], args.keep / "out_together.xlsx"),
        "one workbook": ([*kactier_command(), "score", str(whole), "-o"], args.keep / "out_whole.xlsx"),
    }
    print(f"{args.files} workbooks x {args.rows:,} rows ({args.files * args.rows:,} customers)")
    print("| contender | seconds | CPU s | peak MiB |")
    print("| --- | --- | --- | --- |")
    for name, (command, out) in cases.items():
        best: tuple[float, float, float] | None = None
        for _ in range(args.repeat):
            seconds, peak, cpu = run_once([*command, str(out), "--force", "--quiet"], out)
            if best is None or seconds < best[0]:
                best = (seconds, max(peak, best[1]) if best else peak, cpu)
        assert best is not None
        print(f"| {name} | {best[0]:.2f} | {best[2]:.2f} | {best[1]:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
