"""Issue 13 item 7, command line polish: -h and shell completion, --as-of in the forms data takes, -o must be .xlsx,
--preset case-insensitive with a suggestion, config-file errors as numbered sentences with the nearest key, the
config file named on the terminal, a read-only output folder, and `kactier history` finding batch's database."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run, sheet_values

from kactier.cli.options import as_of_date
from kactier.config.files import parse_config
from kactier.config.presets import load_preset, preset_names, preset_text
from kactier.errors import ConfigError, ExitCode

COMMANDS = [
    [],
    ["score"],
    ["validate"],
    ["template"],
    ["batch"],
    ["history"],
    ["presets"],
    ["config"],
    ["config", "init"],
    ["config", "show"],
]
DATE_FORMS = ["2026-11-30", "2026/11/30", "2026.11.30", "2026年11月30日", "20261130"]
FORMS_NAMED = "2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 20261130"


# -- 1. -h and shell completion -----------------------------------------------------------------------------------


def test_h_is_help_on_every_command_and_the_root_help_offers_shell_completion() -> None:
    for command in COMMANDS:
        short, long = run(*command, "-h"), run(*command, "--help")
        assert short.exit_code == ExitCode.OK, (command, short.output)
        assert short.stdout == long.stdout, command
        assert "-h, --help" in short.stdout, command
    root = run("-h").stdout
    assert "--install-completion" in root
    assert "--show-completion" in root


# -- 2. --as-of -------------------------------------------------------------------------------------------------------


def test_as_of_takes_every_date_form_data_takes_and_a_bad_date_names_them(worked_example: Path) -> None:
    assert {as_of_date(form) for form in DATE_FORMS} == {dt.date(2026, 11, 30)}
    cells = []
    for n, form in enumerate(DATE_FORMS):
        output = worked_example.with_name(f"out{n}.xlsx")
        result = run("score", worked_example, "-o", output, "--as-of", form, "--quiet")
        assert result.exit_code == ExitCode.OK, (form, result.output)
        cells.append(sheet_values(output, 0))
    assert all(c == cells[0] for c in cells)  # the same as-of date, however it was written

    bad = run("score", worked_example, "--as-of", "30/11/2026")
    assert bad.exit_code == ExitCode.USAGE
    assert f"'30/11/2026' is not a date; write it as one of {FORMS_NAMED}" in bad.stderr
    chinese = run("validate", worked_example, "--as-of", "2026-13-01", "--lang", "zh")
    assert chinese.exit_code == ExitCode.USAGE
    assert "「2026-13-01」不是日期，请写成以下任一种：2026-11-30、2026/11/30" in chinese.stderr


# -- 3. -o must be .xlsx --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.csv", "out.xls", "out"])
def test_an_output_that_is_not_xlsx_is_a_usage_error(worked_example: Path, name: str) -> None:
    target = worked_example.with_name(name)

    result = run("score", worked_example, "-o", target)

    assert result.exit_code == ExitCode.USAGE
    stem = worked_example.with_name("out.xlsx")
    assert f"'{target}' does not end in .xlsx; kactier writes an Excel workbook, so use e.g. -o {stem}" in (
        result.stderr
    )
    assert not target.exists()
    template = run("template", "-o", target)
    assert template.exit_code == ExitCode.USAGE
    assert "does not end in .xlsx" in template.stderr
    upper = worked_example.with_name("OUT.XLSX")
    assert run("score", worked_example, "-o", upper, "--quiet").exit_code == ExitCode.OK


# -- 4. --preset ----------------------------------------------------------------------------------------------------


def test_preset_is_case_insensitive_and_an_unknown_one_is_a_usage_error_with_a_suggestion(
    worked_example: Path, tmp_path: Path
) -> None:
    graded = run("score", worked_example, "--preset", "Key-Account", "--json")
    assert graded.exit_code == ExitCode.OK, graded.output
    assert json.loads(graded.stdout)["config_source"] == "preset key-account"
    assert load_preset("RFM") == load_preset("rfm")

    available = ", ".join(sorted(preset_names()))
    near = f"unknown preset 'keyacount'; did you mean key-account? Available: {available} (see `kactier presets`)"
    for command in (
        ["score", worked_example],
        ["validate", worked_example],
        ["template", "-o", tmp_path / "t.xlsx"],
        ["batch", worked_example, "--out-dir", tmp_path],
        ["config", "init", "-o", tmp_path / "k.toml"],
        ["config", "show"],
    ):
        result = run(*command, "--preset", "keyacount")
        assert result.exit_code == ExitCode.USAGE, (command, result.output)
        assert near in result.stderr, command
    assert not (tmp_path / "t.xlsx").exists()
    chinese = run("score", worked_example, "--preset", "rfn", "--lang", "zh")
    assert "没有名为「rfn」的预设，是不是要用 rfm？" in chinese.stderr
    with pytest.raises(ConfigError, match=r"unknown preset 'sales'; did you mean sales-abc\?"):
        load_preset("sales")


# -- 5. config-file errors --------------------------------------------------------------------------------------------


def test_config_errors_are_numbered_from_one_suggest_the_key_and_read_as_sentences(
    worked_example: Path, tmp_path: Path
) -> None:
    text = preset_text("key-account")
    second = text.index("weight = 1\n", text.index("weight = 1\n") + 1)  # the second criterion's weight
    broken = text[:second] + "wieght" + text[second + len("weight") :]
    broken = broken.replace("min_score = 85", "min_score = 'high'")
    config = tmp_path / "typo.toml"
    config.write_text(broken, encoding="utf-8")

    result = run("score", worked_example, "--config", config)

    assert result.exit_code == ExitCode.CONFIG
    line = result.stderr.strip()
    assert (
        f"{config}: criterion 2 has an unknown key 'wieght' (did you mean 'weight'?); "
        "tier 1: 'min_score' must be a number, not 'high'"
    ) in line
    for raw in ("criteria.1", "Extra inputs", "Input should be", "levels.0"):
        assert raw not in line
    with pytest.raises(ConfigError) as raised:
        parse_config("[[criteria]]\nfeild = 'orders'\n[tiers]\nlevels = [{label = 'A'}]", "my.toml")
    assert str(raised.value) == (
        "my.toml: criterion 1 needs the key 'field'; criterion 1 has an unknown key 'feild' "
        "(did you mean 'field'?); the [tiers] table: 'levels' needs at least 2 entries"
    )
    assert raised.value.message("zh") == (
        "my.toml：第 1 个指标（criteria）缺少必填的键「field」；第 1 个指标（criteria）中有未知的键「feild」"
        "（是不是要写 field？）；[tiers] 表的「levels」至少要有 2 项"
    )


def test_the_terminal_and_json_name_the_config_file(worked_example: Path, tmp_path: Path) -> None:
    config = tmp_path / "rules.toml"
    config.write_text(preset_text("key-account"), encoding="utf-8")

    shown = run("score", worked_example, "--config", config, "--lang", "en")
    payload = json.loads(run("validate", worked_example, "--config", config, "--json").stdout)

    assert shown.exit_code == ExitCode.OK, shown.output
    assert shown.stdout.splitlines()[0] == f"config file: {config}"
    assert payload["config_source"] == f"config 'key-account' from {config}"
    chinese = run("validate", worked_example, "--config", config, "--lang", "zh")
    assert chinese.stdout.splitlines()[0] == f"配置文件：{config}"


# -- 6. a read-only output folder -------------------------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nobody may write in (root may write anywhere, so for root ``os.access`` says what a user sees)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        real = os.access

        def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
            if Path(path) == folder and mode & os.W_OK:
                return False
            return real(path, mode)

        monkeypatch.setattr(os, "access", access)
    yield folder
    folder.chmod(0o755)


def test_a_read_only_output_folder_says_what_to_do(worked_example: Path, read_only: Path) -> None:
    advice = (
        f"{read_only}: this folder cannot be written to; choose a folder you can write to, or fix its permissions "
        f"(e.g. chmod u+w {read_only})"
    )

    score = run("score", worked_example, "-o", read_only / "out.xlsx")
    batch = run("batch", worked_example, "--out-dir", read_only)

    assert score.exit_code == ExitCode.CANT_CREATE
    assert advice in score.stderr
    assert batch.exit_code == ExitCode.CANT_CREATE
    assert advice in batch.stderr
    chinese = run("score", worked_example, "-o", read_only / "out.xlsx", "--lang", "zh")
    assert chinese.exit_code == ExitCode.CANT_CREATE
    assert f"{read_only}：该文件夹不可写入；请换一个有写入权限的文件夹，或修改它的权限" in chinese.stderr
    assert list(read_only.iterdir()) == []


# -- 7. kactier history finds batch's database --------------------------------------------------------------------


def test_history_finds_the_database_in_out_dir_and_says_what_is_missing(
    worked_example: Path, tmp_path: Path
) -> None:
    graded = tmp_path / "graded"
    graded.mkdir()
    assert run("batch", worked_example, "--out-dir", graded, "--quiet").exit_code == ExitCode.OK

    found = run("history", "C001", "--out-dir", graded, "--json")
    unknown = run("history", "C00l", "--out-dir", graded)
    missing = run("history", "C001", "--out-dir", tmp_path)

    assert found.exit_code == ExitCode.OK, found.output
    assert json.loads(found.stdout)["history"] == str(graded / "kactier-history.sqlite")
    assert [r["tier"] for r in json.loads(found.stdout)["runs"]] == ["A"]
    assert unknown.exit_code == ExitCode.DATA
    assert "no run lists customer 'C00l' (1 run(s) recorded); did you mean C001" in unknown.stderr
    assert missing.exit_code == ExitCode.NO_INPUT
    assert (
        f"{tmp_path / 'kactier-history.sqlite'}: no history database here; "
        "`kactier batch INPUT... --out-dir DIR` writes one in DIR"
    ) in missing.stderr
    assert not (tmp_path / "kactier-history.sqlite").exists()
    by_file = run("history", "C002", "--history", graded / "kactier-history.sqlite", "--out-dir", tmp_path)
    assert by_file.exit_code == ExitCode.OK, by_file.output  # --history wins over --out-dir
