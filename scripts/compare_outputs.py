"""Grade every shipped example and compare the cells with another build's.

A restructuring must not change a single output cell. This script runs ``kactier score`` (with the interpreter it
is started with) on every workbook in ``examples/`` under a few option sets, and dumps each output sheet's cell
values, number formats and fills to one JSON file. Run it once with the old build and once with the new, then
compare the two dumps::

    python scripts/compare_outputs.py dump before.json            # with the old build's interpreter
    python scripts/compare_outputs.py dump after.json
    python scripts/compare_outputs.py compare before.json after.json

The run time goes only into document properties (never a cell), so the dumps of two identical builds are equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2026-06-30"

# (label, example file, extra options): every example with its own rules, plus the presets on the two customer lists
CASES: list[tuple[str, str, list[str]]] = [
    *((p.stem, p.name, []) for p in sorted(EXAMPLES.glob("template_*.xlsx"))),
    *(
        (f"key_accounts_{lang}-{preset}", f"key_accounts_{lang}.xlsx", ["--preset", preset])
        for lang in ("zh", "en")
        for preset in ("key-account", "sales-abc", "sales-profit-payment", "rfm")
    ),
    ("key_accounts_zh-lang-en", "key_accounts_zh.xlsx", ["--lang", "en"]),
    ("orders_zh", "orders_zh.xlsx", ["--orders"]),
]


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def dump_workbook(path: Path) -> dict[str, Any]:
    """Every sheet's cells: value, number format and fill colour, by coordinate."""
    book = openpyxl.load_workbook(path)
    sheets: dict[str, Any] = {}
    for sheet in book.worksheets:
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
                if cell.value is None and fill is None:
                    continue
                cells[cell.coordinate] = [_cell(cell.value), cell.number_format, fill]
        sheets[sheet.title] = {
            "cells": cells,
            "charts": len(getattr(sheet, "_charts", [])),
            "tables": sorted(sheet.tables.keys()),
            "freeze": sheet.freeze_panes,
        }
    return sheets


def dump(target: Path) -> None:
    """Grade every case into a temporary folder and write the cells of every output to ``target``."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kactier-compare-") as tmp:
        for label, name, options in CASES:
            out = Path(tmp) / f"{label}.xlsx"
            command = [sys.executable, "-m", "kactier", "score", str(EXAMPLES / name), "-o", str(out)]
            command += ["--as-of", AS_OF, "--quiet", *options]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            entry: dict[str, Any] = {"exit_code": done.returncode, "stderr": done.stderr.strip()}
            if out.exists():
                entry["sheets"] = dump_workbook(out)
            result[label] = entry
            print(f"{label}: exit {done.returncode}", file=sys.stderr)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    """Print every difference between two dumps; the exit status is 1 when there is one."""
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differences = 0
    for label in sorted(set(old) | set(new)):
        a, b = old.get(label), new.get(label)
        if a == b:
            continue
        if a is None or b is None:
            print(f"{label}: only in {'after' if a is None else 'before'}")
            differences += 1
            continue
        for key in ("exit_code", "stderr"):
            if a[key] != b[key]:
                print(f"{label}: {key} {a[key]!r} -> {b[key]!r}")
                differences += 1
        for sheet in sorted(set(a.get("sheets", {})) | set(b.get("sheets", {}))):
            sa, sb = a.get("sheets", {}).get(sheet, {}), b.get("sheets", {}).get(sheet, {})
            for key in ("charts", "tables", "freeze"):
                if sa.get(key) != sb.get(key):
                    print(f"{label}/{sheet}: {key} {sa.get(key)!r} -> {sb.get(key)!r}")
                    differences += 1
            ca, cb = sa.get("cells", {}), sb.get("cells", {})
            for coordinate in sorted(set(ca) | set(cb)):
                if ca.get(coordinate) != cb.get(coordinate):
                    print(f"{label}/{sheet}!{coordinate}: {ca.get(coordinate)!r} -> {cb.get(coordinate)!r}")
                    differences += 1
    cases = len(set(old) | set(new))
    print(f"{cases} cases compared, {differences} difference(s)")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dump").add_argument("target", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("before", type=Path)
    pair.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.target)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
