"""The `kactier score` command line: every exit code, --json, --quiet, the other commands and the worked example.

Everything goes through ``typer.testing.CliRunner`` on :data:`kactier.cli.app`; workbooks are built in code
(:func:`conftest.write_workbook`) and read back by cell value with openpyxl.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer
from conftest import EN_HEADERS, WORKED_EXAMPLE, ZH_HEADERS, run, sheet_values, write_workbook
from typer.testing import Result

import kactier
import kactier.cli
import kactier.cli.grading
from kactier.config.presets import preset_text
from kactier.errors import ExitCode

# templates/key-account.toml
TIER_COLOURS = {"A": "C6EFCE", "B": "FFEB9C", "C": "D9D9D9"}


def one_json_object(result: Result) -> dict[str, Any]:
    """stdout must be exactly one JSON object."""
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict), result.stdout
    return payload


def assert_one_error_line(result: Result, *needles: str) -> None:
    """An error is one actionable line on stderr, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    assert lines[0].startswith(("kactier: error: ", "kactier：错误： ")), lines[0]  # English or Chinese
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def fill_rgb(cell: Any) -> str:
    """The cell's solid fill colour as RRGGBB."""
    assert cell.fill.fill_type == "solid", f"{cell.coordinate} has no solid fill"
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def header_index(rows: list[list[Any]], name: str) -> int:
    return rows[0].index(name)


@pytest.fixture
def invalid_row_workbook(tmp_path: Path) -> Path:
    """One good customer and one with a score of 105 (outside 0–100)."""
    return write_workbook(
        tmp_path / "one_bad.xlsx",
        [ZH_HEADERS, WORKED_EXAMPLE[0], ["C003", "坏数据公司", 105, 80, 80, 80, 80]],
    )


# -- 0: ok --------------------------------------------------------------------------------------------------------


def test_ok_writes_default_output_beside_input_and_leaves_input_untouched(worked_example: Path) -> None:
    before = worked_example.read_bytes()

    result = run("score", worked_example)

    assert result.exit_code == ExitCode.OK, result.output
    output = worked_example.with_name("customers.tiered.xlsx")
    assert output.is_file()
    assert worked_example.read_bytes() == before
    assert folder_listing(worked_example.parent) == ["customers.tiered.xlsx", "customers.xlsx"]
    assert str(output) in result.stdout  # the summary names the output, unbroken, for logs and copy-paste


def test_ok_with_explicit_output(worked_example: Path, tmp_path: Path) -> None:
    output = tmp_path / "graded.xlsx"

    result = run("score", worked_example, "-o", output)

    assert result.exit_code == ExitCode.OK, result.output
    assert output.is_file()
    assert not worked_example.with_name("customers.tiered.xlsx").exists()


def test_the_output_gets_the_usual_file_mode_not_a_private_one(worked_example: Path, tmp_path: Path) -> None:
    output = tmp_path / "graded.xlsx"
    old = os.umask(0o022)
    try:
        result = run("score", worked_example, "-o", output)
    finally:
        os.umask(old)

    assert result.exit_code == ExitCode.OK, result.output
    assert output.stat().st_mode & 0o777 == 0o644


def test_a_graded_output_can_be_graded_again(worked_example: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert run("score", worked_example, "-o", first).exit_code == ExitCode.OK

    result = run("score", first, "-o", second)

    assert result.exit_code == ExitCode.OK, result.output
    header = sheet_values(second)[0]
    # kactier's own added columns are recognised and written afresh, with the tiers before as the previous tier
    assert header.count("综合得分") == 1
    assert "综合得分 (2)" not in header
    assert header[: len(ZH_HEADERS)] == ZH_HEADERS
    assert header[-5:] == ["上次级别", "级别变化", "评级说明", "距上一级差距", "提升建议"]


# -- 2: usage -----------------------------------------------------------------------------------------------------


def test_unknown_option_is_a_usage_error(worked_example: Path) -> None:
    result = run("score", worked_example, "--no-such-option")

    assert result.exit_code == ExitCode.USAGE
    assert "--no-such-option" in result.output
    assert not worked_example.with_name("customers.tiered.xlsx").exists()


def test_bad_lang_is_a_usage_error(worked_example: Path) -> None:
    result = run("score", worked_example, "--lang", "fr")

    assert result.exit_code == ExitCode.USAGE
    assert "--lang" in result.output
    assert "'fr'" in result.output
    assert not worked_example.with_name("customers.tiered.xlsx").exists()


def test_a_usage_error_with_json_is_one_json_object_too(worked_example: Path) -> None:
    result = run("score", worked_example, "--json", "--lang", "fr")

    assert result.exit_code == ExitCode.USAGE
    assert json.loads(result.stdout) == {
        "error": "Invalid value for --lang: 'fr' is not one of auto, zh, en",
        "exit_code": 2,
    }
    assert "Usage: kactier score" in result.stderr


def test_json_after_the_end_of_options_is_not_an_option(worked_example: Path) -> None:
    result = run("score", "--lang", "fr", "--", "--json")

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""


def test_missing_input_argument_is_a_usage_error() -> None:
    result = run("score")

    assert result.exit_code == ExitCode.USAGE


# -- 65: data error -----------------------------------------------------------------------------------------------


def test_strict_with_an_invalid_row_is_a_data_error(invalid_row_workbook: Path) -> None:
    result = run("score", invalid_row_workbook, "--strict")

    assert result.exit_code == ExitCode.DATA, result.output
    assert_one_error_line(result, "--strict")
    assert not invalid_row_workbook.with_name("one_bad.tiered.xlsx").exists()


def test_without_strict_an_invalid_row_is_reported_not_fatal(invalid_row_workbook: Path) -> None:
    result = run("score", invalid_row_workbook, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = one_json_object(result)
    assert payload["rows"] == {"read": 2, "scored": 1, "invalid": 1, "skipped": 0}
    assert payload["exit_code"] == 0


def test_no_gradable_row_is_a_data_error(tmp_path: Path) -> None:
    source = write_workbook(
        tmp_path / "hopeless.xlsx",
        [
            ZH_HEADERS,
            ["C001", "超范围公司", 150, 80, 80, 80, 80],
            [None, "无编号公司", 80, 80, 80, 80, 80],
            ["C003", "坏数字公司", "很多", 80, 80, 80, 80],
        ],
    )

    result = run("score", source)

    assert result.exit_code == ExitCode.DATA, result.output
    first, *problems = result.stderr.strip().splitlines()  # one error line, then the top problems by column
    assert first.endswith("没有一行能评级"), first
    assert problems[0] == "  购买力评分"
    assert "validate" not in result.stderr
    assert not source.with_name("hopeless.tiered.xlsx").exists()


# -- 66: input missing or unreadable ------------------------------------------------------------------------------


def test_missing_input_file(tmp_path: Path) -> None:
    result = run("score", tmp_path / "nowhere.xlsx")

    assert result.exit_code == ExitCode.NO_INPUT
    assert_one_error_line(result, "nowhere.xlsx")
    assert folder_listing(tmp_path) == []


def test_missing_input_is_reported_as_missing_even_when_an_old_output_exists(tmp_path: Path) -> None:
    # A monthly re-run whose input path is wrong must say the input is missing (66), not that last month's
    # output exists (73): the latter sends the operator to --force, which then fails anyway.
    old_output = tmp_path / "nowhere.tiered.xlsx"
    old_output.write_bytes(b"last month")

    result = run("score", tmp_path / "nowhere.xlsx")

    assert result.exit_code == ExitCode.NO_INPUT, (
        f"missing input with an existing output gave exit {result.exit_code}: {result.stderr.strip()}"
    )
    assert_one_error_line(result, "nowhere.xlsx")
    assert old_output.read_bytes() == b"last month"


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    source = tmp_path / "notes.xlsx"
    source.write_text("客户编号,客户名称\nC001,ABC公司\n", encoding="utf-8")

    result = run("score", source)

    assert result.exit_code == ExitCode.NO_INPUT
    assert_one_error_line(result, "notes.xlsx")
    assert folder_listing(tmp_path) == ["notes.xlsx"]


def test_zero_byte_file(tmp_path: Path) -> None:
    source = tmp_path / "empty.xlsx"
    source.touch()

    result = run("score", source)

    assert result.exit_code == ExitCode.NO_INPUT
    assert_one_error_line(result, "empty")
    assert folder_listing(tmp_path) == ["empty.xlsx"]


# -- 70: internal error -------------------------------------------------------------------------------------------


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom in the core")


def test_internal_error_is_one_line_without_traceback(
    worked_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kactier.cli.grading, "score_workbooks", _explode)

    result = run("score", worked_example)

    assert result.exit_code == ExitCode.INTERNAL
    assert result.stdout == ""
    assert_one_error_line(result, "boom in the core", "--debug")


def test_internal_error_with_debug_shows_the_traceback(
    worked_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kactier.cli.grading, "score_workbooks", _explode)

    result = run("--debug", "score", worked_example)

    assert result.exit_code == ExitCode.INTERNAL
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom in the core" in result.stderr


def test_internal_error_with_json(worked_example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kactier.cli.grading, "score_workbooks", _explode)

    result = run("score", worked_example, "--json")

    assert result.exit_code == ExitCode.INTERNAL
    payload = one_json_object(result)
    assert payload["exit_code"] == ExitCode.INTERNAL
    assert "boom in the core" in payload["error"]


# -- 75: temporary failure --------------------------------------------------------------------------------------


def test_interrupt_is_a_temporary_failure_and_writes_nothing(
    worked_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(kactier.cli.grading, "score_workbooks", interrupted)

    result = run("score", worked_example)

    assert result.exit_code == ExitCode.TEMPORARY
    assert_one_error_line(result, "interrupted")
    assert folder_listing(worked_example.parent) == ["customers.xlsx"]


# -- 73: output cannot be created ---------------------------------------------------------------------------------


def test_existing_output_without_force_is_left_alone(worked_example: Path) -> None:
    output = worked_example.with_name("customers.tiered.xlsx")
    output.write_bytes(b"previous run")

    result = run("score", worked_example)

    assert result.exit_code == ExitCode.CANT_CREATE
    assert_one_error_line(result, "--force")
    assert output.read_bytes() == b"previous run"
    assert folder_listing(worked_example.parent) == ["customers.tiered.xlsx", "customers.xlsx"]


def test_existing_output_with_force_is_replaced(worked_example: Path) -> None:
    output = worked_example.with_name("customers.tiered.xlsx")
    output.write_bytes(b"previous run")

    result = run("score", worked_example, "--force")

    assert result.exit_code == ExitCode.OK, result.output
    rows = sheet_values(output, 0)
    assert rows[1][:2] == ["C001", "ABC公司"]
    assert folder_listing(worked_example.parent) == ["customers.tiered.xlsx", "customers.xlsx"]


def test_output_folder_missing(worked_example: Path, tmp_path: Path) -> None:
    result = run("score", worked_example, "-o", tmp_path / "no" / "such" / "out.xlsx")

    assert result.exit_code == ExitCode.CANT_CREATE
    assert_one_error_line(result, "does not exist")
    assert not (tmp_path / "no").exists()


def test_output_that_is_a_folder_cannot_be_created(worked_example: Path, tmp_path: Path) -> None:
    # A folder where the output file should go is "output cannot be created" (73), with or without --force;
    # it is not an I/O failure part-way through writing (74).
    folder = tmp_path / "graded"
    folder.mkdir()

    for extra in ([], ["--force"]):
        result = run("score", worked_example, "-o", folder, *extra)

        assert result.exit_code == ExitCode.CANT_CREATE, (
            f"-o <existing folder> {' '.join(extra)} gave exit {result.exit_code}: {result.stderr.strip()}"
        )
        assert folder.is_dir()
        assert folder_listing(folder) == []


@pytest.mark.parametrize("force", [False, True])
def test_output_is_the_input_itself(worked_example: Path, force: bool) -> None:
    before = worked_example.read_bytes()

    result = run("score", worked_example, "-o", worked_example, *(["--force"] if force else []))

    assert result.exit_code == ExitCode.CANT_CREATE
    assert_one_error_line(result, "input")
    assert worked_example.read_bytes() == before
    assert folder_listing(worked_example.parent) == ["customers.xlsx"]


# -- 74: I/O error ------------------------------------------------------------------------------------------------


def test_failed_rename_keeps_the_previous_output_and_leaves_no_temp_file(
    worked_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("score", worked_example).exit_code == ExitCode.OK
    output = worked_example.with_name("customers.tiered.xlsx")
    previous = output.read_bytes()
    previous_cells = sheet_values(output, 0)

    def disk_full(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kactier.report.output.os.replace", disk_full)
    result = run("score", worked_example, "--force", "--lang", "en")
    monkeypatch.undo()

    assert result.exit_code == ExitCode.IO, result.output
    assert_one_error_line(result, "No space left on device")
    assert output.read_bytes() == previous
    assert sheet_values(output, 0) == previous_cells
    assert folder_listing(worked_example.parent) == ["customers.tiered.xlsx", "customers.xlsx"]


# -- 78: config error ---------------------------------------------------------------------------------------------


def test_broken_toml_config(worked_example: Path, tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text('name = "unterminated\n[[criteria]\n', encoding="utf-8")

    result = run("score", worked_example, "--config", config)

    assert result.exit_code == ExitCode.CONFIG
    assert_one_error_line(result, "broken.toml", "TOML")
    assert not worked_example.with_name("customers.tiered.xlsx").exists()


def test_config_with_an_unknown_key_names_it(worked_example: Path, tmp_path: Path) -> None:
    text = preset_text("key-account").replace("weight = 1\n", "wieght = 1\n", 1)
    assert "wieght" in text
    config = tmp_path / "typo.toml"
    config.write_text(text, encoding="utf-8")

    result = run("score", worked_example, "--config", config)

    assert result.exit_code == ExitCode.CONFIG
    assert_one_error_line(
        result, "typo.toml", "criterion 1 has an unknown key 'wieght' (did you mean 'weight'?)"
    )
    assert not worked_example.with_name("customers.tiered.xlsx").exists()


def test_config_file_missing(worked_example: Path, tmp_path: Path) -> None:
    result = run("score", worked_example, "--config", tmp_path / "absent.toml")

    assert result.exit_code == ExitCode.CONFIG
    assert_one_error_line(result, "absent.toml")


def test_unknown_preset(worked_example: Path) -> None:
    result = run("score", worked_example, "--preset", "no-such-preset")

    assert result.exit_code == ExitCode.USAGE
    assert "unknown preset 'no-such-preset'" in result.stderr
    assert "key-account" in result.stderr  # names what is available


# -- --json and --quiet -------------------------------------------------------------------------------------------


def test_json_summary(worked_example: Path) -> None:
    result = run("score", worked_example, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = one_json_object(result)
    assert {"input", "output", "sha256", "rows", "tier_counts", "exit_code", "warnings"} <= payload.keys()
    assert payload["input"] == str(worked_example)
    assert payload["output"] == str(worked_example.with_name("customers.tiered.xlsx"))
    assert payload["sha256"] == hashlib.sha256(worked_example.read_bytes()).hexdigest()
    assert payload["rows"] == {"read": 2, "scored": 2, "invalid": 0, "skipped": 0}
    assert payload["tier_counts"] == {"A": 1, "B": 1, "C": 0}
    assert payload["exit_code"] == 0
    assert isinstance(payload["warnings"], list)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("missing", ExitCode.NO_INPUT),
        ("exists", ExitCode.CANT_CREATE),
        ("preset", ExitCode.USAGE),
        ("strict", ExitCode.DATA),
    ],
)
def test_json_on_error_is_one_object(
    worked_example: Path, invalid_row_workbook: Path, case: str, code: ExitCode
) -> None:
    args: list[str | Path] = ["score", worked_example, "--json"]
    if case == "strict":
        args = ["score", invalid_row_workbook, "--json", "--strict"]
    elif case == "missing":
        args[1] = worked_example.with_name("absent.xlsx")
    elif case == "exists":
        worked_example.with_name("customers.tiered.xlsx").write_bytes(b"previous")
    else:
        args += ["--preset", "nope"]

    result = run(*args)

    assert result.exit_code == code
    payload = one_json_object(result)
    assert payload["exit_code"] == code
    assert isinstance(payload["error"], str)
    assert payload["error"]


def test_quiet_prints_nothing_on_success(worked_example: Path) -> None:
    result = run("score", worked_example, "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == ""
    assert worked_example.with_name("customers.tiered.xlsx").is_file()


def test_quiet_still_reports_errors(tmp_path: Path) -> None:
    result = run("score", tmp_path / "absent.xlsx", "--quiet")

    assert result.exit_code == ExitCode.NO_INPUT
    assert "absent.xlsx" in result.stderr


# -- validate, presets, --version, help ---------------------------------------------------------------------------


def test_validate_clean_workbook(worked_example: Path) -> None:
    result = run("validate", worked_example)

    assert result.exit_code == ExitCode.OK, result.output
    assert folder_listing(worked_example.parent) == ["customers.xlsx"]


def test_validate_invalid_row(invalid_row_workbook: Path) -> None:
    result = run("validate", invalid_row_workbook, "--json")

    assert result.exit_code == ExitCode.DATA, result.output
    payload = one_json_object(result)
    assert payload["exit_code"] == ExitCode.DATA
    assert payload["rows"]["invalid"] == 1
    assert payload["output"] is None
    assert folder_listing(invalid_row_workbook.parent) == ["one_bad.xlsx"]


def test_presets_lists_key_account() -> None:
    result = run("presets")

    assert result.exit_code == ExitCode.OK, result.output
    assert "key-account" in result.stdout


def test_version() -> None:
    result = run("--version")

    assert result.exit_code == ExitCode.OK
    assert result.stdout.strip() == f"kactier {kactier.__version__}"


def _commands() -> dict[str, Any]:
    """Every registered command and command group, by its words on the command line ("config init")."""
    found: dict[str, Any] = {}

    def walk(group: Any, prefix: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            found[" ".join((*prefix, name))] = command
            if hasattr(command, "commands"):
                walk(command, (*prefix, name))

    walk(typer.main.get_command(kactier.cli.app), ())
    return found


def test_the_documented_commands_are_registered() -> None:
    assert {"score", "validate", "presets"} <= set(_commands())


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help(name: str) -> None:
    command = _commands()[name]
    summary = (command.help or "").strip()
    assert summary, f"`kactier {name}` has no help text"

    result = run(*name.split(), "--help")

    assert result.exit_code == ExitCode.OK, result.output
    assert "Example:" in result.stdout, f"`kactier {name} --help` shows no example"
    assert summary.split("\n")[0][:30] in " ".join(result.stdout.split())


def test_root_help_mentions_the_exit_codes() -> None:
    result = run("--help")

    assert result.exit_code == ExitCode.OK
    text = " ".join(result.stdout.split())
    assert "Exit codes" in text
    for code in ExitCode:
        assert f"{int(code)} " in text, f"exit code {int(code)} is not documented in --help"


# -- the worked example -------------------------------------------------------------------------------------------


def test_worked_example_scores_tiers_and_formats(worked_example: Path) -> None:
    result = run("score", worked_example)
    assert result.exit_code == ExitCode.OK, result.output

    book = openpyxl.load_workbook(worked_example.with_name("customers.tiered.xlsx"))
    assert book.sheetnames[0] == "客户信息"
    assert "汇总" in book.sheetnames
    assert "问题" in book.sheetnames
    data = book["客户信息"]
    rows = [list(r) for r in data.iter_rows(values_only=True)]
    assert rows[0][: len(ZH_HEADERS)] == ZH_HEADERS
    score, tier = header_index(rows, "综合得分"), header_index(rows, "客户级别")
    assert "排名" in rows[0]
    assert "建议措施" in rows[0]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["ABC公司"][score] == pytest.approx(85)
    assert by_name["ABC公司"][tier] == "A"
    assert by_name["XYZ公司"][score] == pytest.approx(81)
    assert by_name["XYZ公司"][tier] == "B"
    for row_number, row in enumerate(rows[1:], start=2):
        assert row[: len(ZH_HEADERS)] in WORKED_EXAMPLE
        assert fill_rgb(data.cell(row_number, tier + 1)) == TIER_COLOURS[row[tier]]

    assert len(data.tables) == 1
    table = next(iter(data.tables.values()))
    assert table.autoFilter is not None
    assert table.ref.startswith("A1:")
    assert table.ref.endswith(str(len(rows)))
    assert data.freeze_panes is not None
    assert openpyxl.utils.cell.coordinate_from_string(data.freeze_panes)[1] == 2  # header row frozen
    assert data.freeze_panes == "B2"  # and the id column (A)


def test_english_headers_give_english_labels(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "en.xlsx", [EN_HEADERS, *WORKED_EXAMPLE], sheet="Customers")

    result = run("score", source)

    assert result.exit_code == ExitCode.OK, result.output
    book = openpyxl.load_workbook(tmp_path / "en.tiered.xlsx")
    assert "Summary" in book.sheetnames
    assert "Issues" in book.sheetnames
    header = [c.value for c in book["Customers"][1]]
    assert header[: len(EN_HEADERS)] == EN_HEADERS
    assert {"Score", "Rank", "Tier", "Action"} <= set(header)
    tiers = [row[header.index("Tier")] for row in book["Customers"].iter_rows(min_row=2, values_only=True)]
    assert tiers == ["A", "B"]


def test_lang_zh_forces_chinese_labels(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "en.xlsx", [EN_HEADERS, *WORKED_EXAMPLE], sheet="Customers")

    result = run("score", source, "--lang", "zh")

    assert result.exit_code == ExitCode.OK, result.output
    book = openpyxl.load_workbook(tmp_path / "en.tiered.xlsx")
    assert "汇总" in book.sheetnames
    assert "问题" in book.sheetnames
    assert "Summary" not in book.sheetnames
    header = [c.value for c in book["Customers"][1]]
    assert header[: len(EN_HEADERS)] == EN_HEADERS  # the input's own headers are never translated
    assert {"综合得分", "排名", "客户级别", "建议措施"} <= set(header)
    assert "Score" not in header


def test_lang_en_forces_english_labels(worked_example: Path) -> None:
    result = run("score", worked_example, "--lang", "en")

    assert result.exit_code == ExitCode.OK, result.output
    book = openpyxl.load_workbook(worked_example.with_name("customers.tiered.xlsx"))
    assert {"Summary", "Issues"} <= set(book.sheetnames)
    header = [c.value for c in book["客户信息"][1]]
    assert {"Score", "Rank", "Tier", "Action"} <= set(header)


def test_the_input_is_never_touched_even_on_error(invalid_row_workbook: Path) -> None:
    before = invalid_row_workbook.read_bytes()
    stat = os.stat(invalid_row_workbook)

    run("score", invalid_row_workbook, "--strict")
    run("score", invalid_row_workbook)

    assert invalid_row_workbook.read_bytes() == before
    assert os.stat(invalid_row_workbook).st_mtime_ns == stat.st_mtime_ns


def test_smaller_zips_the_same_cells_harder(tmp_path: Path) -> None:
    rows = [[f"C{i:05d}", f"公司{i % 50}", 60 + i % 40, 70, 65 + i % 30, 80, 75] for i in range(3000)]
    source = write_workbook(tmp_path / "many.xlsx", [ZH_HEADERS, *rows])
    fast, small = tmp_path / "fast.xlsx", tmp_path / "small.xlsx"

    assert run("score", source, "-o", fast, "--quiet").exit_code == ExitCode.OK
    assert run("score", source, "-o", small, "--quiet", "--smaller").exit_code == ExitCode.OK

    assert small.stat().st_size < 0.9 * fast.stat().st_size
    for sheet in range(3):
        assert sheet_values(small, sheet) == sheet_values(fast, sheet)
