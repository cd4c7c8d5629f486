"""Issue 13 item 8, batch for cron: every format score reads is picked up from a folder, an argument list with no
workbook exits 66, ``--json`` is versioned with its start time and each file's issues (docs/batch-json.md), and
Ctrl-C leaves no new history database behind."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import WORKED_EXAMPLE, ZH_HEADERS, libreoffice_convert, run, sheet_values, write_workbook

from kactier.errors import ExitCode
from kactier.history.store import HistoryStore
from kactier.pipeline.batch import find_inputs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "batch-json.md"
# C003: its purchasing power is not a number
ROWS: list[list[Any]] = [ZH_HEADERS, *WORKED_EXAMPLE, ["C003", "坏数据", "很高", 80, 75, 85, 95]]


def incoming(tmp_path: Path) -> tuple[Path, Path]:
    folder, graded = tmp_path / "incoming", tmp_path / "graded"
    folder.mkdir()
    graded.mkdir()
    write_workbook(folder / "east.xlsx", ROWS)
    return folder, graded


# -- .xls / .xlsb / .ods ----------------------------------------------------------------------------------------------


def test_every_format_score_reads_is_picked_up_from_a_folder(tmp_path: Path) -> None:
    folder, graded = incoming(tmp_path)
    alone = json.loads(run("score", folder / "east.xlsx", "-o", tmp_path / "one.xlsx", "--json").stdout)
    for suffix in (".xls", ".xlsb", ".ods", ".XLS"):
        shutil.copy(folder / "east.xlsx", folder / f"east-{suffix[1:]}{suffix}")  # read by content, not name

    found, missing, skipped = find_inputs([str(folder)])

    assert sorted(p.name for p in found) == sorted(
        ["east.xlsx", "east-xls.xls", "east-xlsb.xlsb", "east-ods.ods", "east-XLS.XLS"]
    )
    assert missing == []
    assert skipped == []
    batch = run("batch", folder, "--out-dir", graded, "--json")
    assert batch.exit_code == ExitCode.OK, batch.output
    files = json.loads(batch.stdout)["files"]
    assert len(files) == 5
    for entry in files:
        assert (entry["rows"], entry["tier_counts"]) == (alone["rows"], alone["tier_counts"]), entry["input"]


@pytest.mark.slow
def test_real_xls_and_ods_in_a_folder_are_graded_as_score_grades_them(tmp_path: Path) -> None:
    folder, graded = incoming(tmp_path)
    source = folder / "east.xlsx"
    converted = tmp_path / "converted"
    converted.mkdir()
    for fmt in ("xls", "ods"):  # LibreOffice cannot write .xlsb; its pick-up is tested above
        done = libreoffice_convert(source, fmt, converted)
        assert done.returncode == 0, done.stderr
    source.unlink()
    for path in converted.iterdir():  # one stem each: east-xls.xls -> east-xls.tiered.xlsx
        shutil.copy(path, folder / f"east-{path.suffix[1:]}{path.suffix}")

    batch = run("batch", folder, "--out-dir", graded, "--as-of", "2026-06-30", "--json")

    assert batch.exit_code == ExitCode.OK, batch.output
    files = json.loads(batch.stdout)["files"]
    assert sorted(Path(f["input"]).suffix for f in files) == [".ods", ".xls"]
    for entry in files:
        single = tmp_path / f"single{Path(entry['input']).suffix}.xlsx"
        alone = run("score", entry["input"], "-o", single, "--as-of", "2026-06-30", "--json")
        assert alone.exit_code == ExitCode.OK, alone.output
        scored = json.loads(alone.stdout)
        assert entry["rows"] == scored["rows"] == {"read": 3, "scored": 2, "invalid": 1, "skipped": 0}
        assert entry["tier_counts"] == scored["tier_counts"]
        assert entry["issue_list"] == scored["issue_list"]
        assert sheet_values(entry["output"], 0) == sheet_values(single, 0)


# -- nothing to grade -------------------------------------------------------------------------------------------------


def test_arguments_that_hold_no_workbook_exit_66_with_a_message(tmp_path: Path) -> None:
    empty, graded = tmp_path / "empty", tmp_path / "graded"
    empty.mkdir()
    graded.mkdir()
    (empty / "notes.txt").write_text("not a workbook", encoding="utf-8")
    (empty / "old.tiered.xlsx").write_bytes(b"x")

    folder = run("batch", empty, "--out-dir", graded)
    named = run("batch", empty / "old.tiered.xlsx", "--out-dir", graded, "--json")
    chinese = run("batch", empty, "--out-dir", graded, "--lang", "zh")

    assert folder.exit_code == ExitCode.NO_INPUT
    assert (
        f"{empty}: holds no workbook (.xlsx, .xlsm, .xls, .xlsb, .ods, .csv); check the folder"
        in folder.stderr
    )
    assert named.exit_code == ExitCode.NO_INPUT
    assert json.loads(named.stdout) == {
        "error": f"nothing to grade: no workbook among {empty / 'old.tiered.xlsx'}; give workbooks, folders or "
        "glob patterns",
        "exit_code": 66,
    }
    assert chinese.exit_code == ExitCode.NO_INPUT
    assert f"{empty}：文件夹里没有可评级的工作簿" in chinese.stderr
    assert not (graded / "kactier-history.sqlite").exists()


# -- --json -----------------------------------------------------------------------------------------------------------


def documented_keys() -> set[str]:
    """Every key docs/batch-json.md names (in code quotes: a table's first column, or inside its meaning)."""
    return set(re.findall(r"`([a-z_0-9]+)`", DOCS.read_text(encoding="utf-8")))


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def test_json_has_a_schema_version_the_start_time_and_each_files_issues_all_documented(
    tmp_path: Path,
) -> None:
    folder, graded = incoming(tmp_path)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    before = dt.datetime.now().astimezone().replace(microsecond=0)

    result = run("batch", folder, "--out-dir", graded, "--as-of", "2026-06-30", "--json")
    alone = run("score", folder / "east.xlsx", "-o", tmp_path / "one.xlsx", "--as-of", "2026-06-30", "--json")

    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1
    started = dt.datetime.fromisoformat(payload["started_at"])
    assert started.utcoffset() is not None
    assert before <= started <= dt.datetime.now().astimezone()
    by_name = {Path(f["input"]).name: f for f in payload["files"]}
    assert by_name["broken.xlsx"]["issue_list"] == []
    east = by_name["east.xlsx"]
    assert east["issue_list"] == json.loads(alone.stdout)["issue_list"]
    assert [(i["row"], i["code"], i["value"]) for i in east["issue_list"]] == [(4, "not_a_number", "很高")]
    undocumented = keys_of(payload) - documented_keys() - set(east["weights"]) - set(east["tier_counts"])
    assert undocumented == set(), "document these keys in docs/batch-json.md"


# -- Ctrl-C -----------------------------------------------------------------------------------------------------------


def test_ctrl_c_before_anything_is_recorded_leaves_no_new_history_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, graded = incoming(tmp_path)
    database = graded / "kactier-history.sqlite"

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(HistoryStore, "record_run", interrupted)
        first = run("batch", folder, "--out-dir", graded, "--force")
    assert first.exit_code == ExitCode.TEMPORARY
    assert sorted(p.name for p in graded.iterdir() if p.name.startswith("kactier-history")) == []

    assert run("batch", folder, "--out-dir", graded, "--force", "--quiet").exit_code == ExitCode.OK
    assert database.is_file()
    write_workbook(folder / "east.xlsx", ROWS[:-1])  # changed: a new run to record
    with monkeypatch.context() as patch:
        patch.setattr(HistoryStore, "record_run", interrupted)
        again = run("batch", folder, "--out-dir", graded, "--force")
    assert again.exit_code == ExitCode.TEMPORARY
    assert database.is_file()  # not this run's to remove: it existed before
    assert run("history", "C001", "--out-dir", graded).exit_code == ExitCode.OK
