"""Every real spreadsheet in tests/data/corpus ends in a clear outcome (SPEC §8; issue 14's acceptance).

For each file, ``kactier score`` runs in a child process limited to 1 GiB of address space and 30 s, and:

* never prints a traceback, never exits 70 or by a signal (an abort, a kill for memory);
* prints nothing on stderr when it grades the file (``--quiet``), else exactly one line, an error of kactier's;
* never gives the "cannot read" exit 66 for a file that calamine or openpyxl reads (tried in a child process
  under the same limits), except where SPEC §8 makes refusing it the rule: :data:`HOSTILE_RULES`.

The children run two at a time (the machine's cores) in one fixture; each file is then its own test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import GIB, limit_to_1_gib

from kactier.errors import ExitCode

CORPUS = Path(__file__).parent / "data" / "corpus"
NOT_SPREADSHEETS = {"README.md", "LICENSE", "LICENSE-MIT.md", "NOTICE"}
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in NOT_SPREADSHEETS)
SECONDS = 30

# Refusals SPEC §8 requires even of a file another reader opens: a zip part whose checksum or size does not
# match the directory (the guard against sizes that lie; calamine does not check), a part listed twice, a
# DOCTYPE (entity attacks), text beyond Excel's 32,767 characters, and a sheet far larger than its cells.
HOSTILE_RULES = (
    "is damaged or its sizes lie",
    "lists a part twice",
    "declares a DOCTYPE",
    "more than Excel's 32,767 per cell",
    "but holds only",
    "although it holds only",
)

_READERS = r"""
import resource, sys, warnings
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
warnings.simplefilter("ignore")
path = sys.argv[1]

def calamine_reads():
    import python_calamine as calamine
    book = calamine.CalamineWorkbook.from_path(path)
    for meta in book.sheets_metadata:
        if meta.typ == calamine.SheetTypeEnum.WorkSheet:
            book.get_sheet_by_name(meta.name).to_python()

def openpyxl_reads():
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass

readers = []
for name, reads in (("calamine", calamine_reads), ("openpyxl", openpyxl_reads)):
    try:
        reads()
    except Exception:
        continue
    readers.append(name)
print(" ".join(readers))
"""


@dataclass(frozen=True)
class Outcome:
    """How one run of kactier on a corpus file ended."""

    code: int
    stderr: str
    seconds: float


def _score(source: Path, folder: Path) -> Outcome:
    started = time.monotonic()
    try:
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "kactier",
                "score",
                str(source),
                "-o",
                str(folder / "out.xlsx"),
                "--quiet",
            ],
            preexec_fn=limit_to_1_gib,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SECONDS,
            env={**os.environ, "LANG": "C.UTF-8", "PYTHONWARNINGS": "ignore"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(-1, f"still running after {SECONDS} s", SECONDS)
    return Outcome(child.returncode, child.stderr, time.monotonic() - started)


def other_readers(source: Path) -> list[str]:
    """The readers among calamine and openpyxl that read ``source`` whole (within 1 GiB and 30 s)."""
    try:
        child = subprocess.run(
            [sys.executable, "-c", _READERS, str(source), str(GIB)],
            capture_output=True,
            text=True,
            timeout=SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return []
    return child.stdout.split() if child.returncode == 0 else []


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Outcome]:
    root = tmp_path_factory.mktemp("corpus")
    folders = [root / str(i) for i in range(len(FILES))]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(FILES, pool.map(_score, FILES, folders), strict=True))


def test_the_corpus_holds_over_a_hundred_real_files() -> None:
    assert len(FILES) >= 100
    for folder in ("calamine", "poi", "sheetjs"):
        assert any(p.parent.name == folder for p in FILES)
        assert any((CORPUS / folder).glob("LICENSE*"))


@pytest.mark.slow
@pytest.mark.parametrize("source", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_a_real_file_ends_in_one_clear_outcome(source: Path, outcomes: dict[Path, Outcome]) -> None:
    outcome = outcomes[source]
    assert outcome.code >= 0, f"killed by signal {-outcome.code}: {outcome.stderr[-500:]}"
    assert outcome.code != ExitCode.INTERNAL, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS
    lines = outcome.stderr.splitlines()
    if outcome.code == ExitCode.OK:
        assert lines == []
        return
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith(("kactier: error: ", "kactier：错误：")), lines[0]
    if outcome.code == ExitCode.NO_INPUT and not any(rule in lines[0] for rule in HOSTILE_RULES):
        readers = other_readers(source)
        assert not readers, f"{', '.join(readers)} read(s) it, but kactier refused it: {lines[0]}"


def main() -> None:
    """``python tests/test_corpus.py``: every file's outcome, grouped by exit code (for the notes)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp) / str(i) for i in range(len(FILES))]
        for folder in folders:
            folder.mkdir()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            found = list(pool.map(_score, FILES, folders))
    by_code: dict[int, list[tuple[Path, Outcome]]] = {}
    for source, outcome in zip(FILES, found, strict=True):
        by_code.setdefault(outcome.code, []).append((source, outcome))
    for code, files in sorted(by_code.items()):
        print(f"exit {code}: {len(files)} files")
        for source, outcome in files:
            print(f"  {source.relative_to(CORPUS)}  {outcome.seconds:.1f} s  {outcome.stderr.strip()[:160]}")
    print(f"slowest: {max(o.seconds for o in found):.1f} s")


if __name__ == "__main__":
    main()
