"""Every error that stops a run speaks the user's language: ``--lang``, else the input's headers, else the locale.

The messages are exact: the Chinese with ``--lang zh``, the English with ``--lang en``; each keeps its exit code.
The last tests check the message table itself (both wordings, the same fields) and that no error in the source is
still raised with an inline English text.
"""

from __future__ import annotations

import ast
import functools
import io
import json
import pickle
import sqlite3
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import EN_HEADERS, WORKED_EXAMPLE, ZH_HEADERS, run, write_workbook
from msoffcrypto.format.ooxml import OOXMLFile
from typer.testing import Result

import kactier.cli.grading
import kactier.errors
import kactier.pipeline.output
from kactier.config.presets import load_preset
from kactier.config.sheet_hints import HINTS
from kactier.config.sheet_writer import write_config_sheet
from kactier.errors import (
    ExitCode,
    HistoryBusyError,
    InputError,
    KactierError,
    Phrase,
    environment_lang,
    error_lang,
)
from kactier.history.store import open_history
from kactier.i18n import CATALOG, traditional
from kactier.i18n.errors import ERRORS as INPUT_ERRORS
from kactier.i18n.run_errors import RUN_ERRORS

PACKAGE = Path(kactier.errors.__file__).resolve().parent
ERRORS = {**INPUT_ERRORS, **RUN_ERRORS}  # the two tables of error messages
PREFIX = {"zh": "kactier：错误： ", "en": "kactier: error: "}


def the_error(result: Result, lang: str) -> str:
    """The one error line of ``result``, without its prefix (which must be the one of ``lang``)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(PREFIX[lang]), lines[0]
    return lines[0].removeprefix(PREFIX[lang])


# -- the inputs that fail, built in code --------------------------------------------------------------------------


def missing_file(tmp_path: Path) -> tuple[list[str | Path], Path]:
    path = tmp_path / "nope.xlsx"
    return ["score", path], path


def not_a_workbook(tmp_path: Path) -> tuple[list[str | Path], Path]:
    path = tmp_path / "binary.xlsx"
    path.write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    return ["score", path], path


def encrypted(tmp_path: Path) -> tuple[list[str | Path], Path]:
    plain = write_workbook(tmp_path / "plain.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    out = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("s3cret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    return ["score", path], path


def no_header(tmp_path: Path) -> tuple[list[str | Path], Path]:
    path = write_workbook(tmp_path / "notes.xlsx", [["备注", "金额"], ["随便写写", 12]])
    return ["score", path], path


def output_exists(tmp_path: Path) -> tuple[list[str | Path], Path]:
    source = write_workbook(tmp_path / "customers.xlsx", [EN_HEADERS, *WORKED_EXAMPLE])
    output = tmp_path / "customers.tiered.xlsx"
    output.write_bytes(b"an earlier result")
    return ["score", source], output


def output_folder_missing(tmp_path: Path) -> tuple[list[str | Path], Path]:
    source = write_workbook(tmp_path / "customers.xlsx", [EN_HEADERS, *WORKED_EXAMPLE])
    output = tmp_path / "gone" / "out.xlsx"
    return ["score", source, "-o", output], output


def config_sheet_cell(tmp_path: Path) -> tuple[list[str | Path], Path]:
    """A Chinese Config sheet whose weight of 购买力评分 reads 很多 (cell 配置!C15 or wherever the writer put it)."""
    path = tmp_path / "customers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet("客户信息")
    for row, values in enumerate([ZH_HEADERS, *WORKED_EXAMPLE]):
        data.write_row(row, 0, values)
    write_config_sheet(book, book.add_worksheet("配置"), load_preset("key-account"), "zh")
    book.close()
    edited = openpyxl.load_workbook(path)
    sheet = edited["配置"]
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == "评分指标")
    column = [c.value for c in rows[start + 1]].index("权重")
    cell = next(r[column] for r in rows[start + 1 :] if r[0].value == "购买力评分")
    cell.value = "很多"
    edited.save(path)
    return ["score", path], Path(f"配置!{cell.coordinate}")


CASES: dict[str, tuple[Callable[[Path], tuple[list[str | Path], Path]], ExitCode, str, str]] = {
    # name: (builder, exit code, Chinese, English); {path} is the path the builder returns
    "missing file": (
        missing_file,
        ExitCode.NO_INPUT,
        "{path}：文件不存在；请检查路径",
        "{path}: no such file; check the path",
    ),
    "not a workbook": (
        not_a_workbook,
        ExitCode.NO_INPUT,
        "{path}：既不是工作簿（.xlsx/.xlsm/.xls/.ods），也不是 CSV 文件；请用 Excel 打开并另存为 .xlsx",
        "{path}: is neither a workbook (.xlsx/.xlsm/.xls/.ods) nor a CSV file; open it in Excel and save it as .xlsx",
    ),
    "encrypted without password": (
        encrypted,
        ExitCode.NO_INPUT,
        "{path}：该工作簿设有密码；请用 --password 提供密码（或设置环境变量 KACTIER_PASSWORD）",
        "{path}: the workbook is password-protected; pass its password with --password (or set KACTIER_PASSWORD)",
    ),
    "no header row": (
        no_header,
        ExitCode.DATA,
        "{path}：在工作表“客户信息”的前 20 行中找不到表头行；"
        "表头需要包含 客户编号、客户名称 / Customer ID, Customer Name 等列（或用 --sheet 指定工作表）",
        "{path}: no header row found in the first 20 rows of sheet '客户信息'; "
        "the header needs columns such as 客户编号、客户名称 / Customer ID, Customer Name (or pick the sheet with --sheet)",
    ),
    "output exists": (
        output_exists,
        ExitCode.CANT_CREATE,
        "{path}：文件已存在；如要覆盖请加 --force，或用 -o 另选文件名",
        "{path}: already exists; use --force to replace it or -o to choose another name",
    ),
    "output folder missing": (
        output_folder_missing,
        ExitCode.CANT_CREATE,
        "{path}：文件夹 {folder} 不存在；请先创建，或用 -o 另选位置",
        "{path}: the folder {folder} does not exist; create it or choose another -o",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_error_is_in_the_language_asked_for(tmp_path: Path, case: str, lang: str) -> None:
    build, code, zh, en = CASES[case]
    arguments, path = build(tmp_path)

    result = run(*arguments, "--lang", lang)

    assert result.exit_code == code, result.output
    expected = (zh if lang == "zh" else en).format(path=path, folder=path.parent)
    assert the_error(result, lang) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_config_sheet_cell_error_names_the_cell_in_the_language_asked_for(
    tmp_path: Path, lang: str
) -> None:
    arguments, cell = config_sheet_cell(tmp_path)
    path = arguments[1]

    result = run(*arguments, "--lang", lang)

    assert result.exit_code == ExitCode.CONFIG, result.output
    expected = {
        "zh": f"{path}：配置表单元格 {cell}：权重“很多”不是数字；请填写 0 或以上的数字",
        "en": f"{path}: Config sheet, cell {cell}: weight '很多' is not a number; enter a number of 0 or more",
    }
    assert the_error(result, lang) == expected[lang]


@pytest.fixture
def held_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A history database another writer keeps locked; kactier waits 0.2 s for it instead of a minute."""
    path = tmp_path / "history.sqlite"
    open_history(path).close()
    monkeypatch.setattr(kactier.pipeline.output, "open_history", functools.partial(open_history, timeout=0.2))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield path
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_locked_history_is_a_temporary_failure_in_the_language_asked_for(
    tmp_path: Path, held_history: Path, lang: str
) -> None:
    source = write_workbook(tmp_path / "customers.xlsx", [EN_HEADERS, *WORKED_EXAMPLE])

    result = run("score", source, "--history", held_history, "--lang", lang)

    assert result.exit_code == ExitCode.TEMPORARY, result.output
    expected = {
        "zh": f"{held_history}：历史数据库被另一次运行锁定超过 0.2 秒；请稍后重新运行",
        "en": f"{held_history}: the history database stayed locked by another run for 0.2 s; re-run later",
    }
    assert the_error(result, lang) == expected[lang]


# -- auto: the headers, then the locale ---------------------------------------------------------------------------


def order_lines(path: Path, headers: list[str]) -> Path:
    """Order lines given to ``score`` as if they were customers: customer C1 on two rows."""
    return write_workbook(
        path, [headers, ["C1", "2026-01-05", 100], ["C2", "2026-01-06", 80], ["C1", "2026-02-01", 90]]
    )


def test_auto_speaks_the_language_of_a_chinese_workbook(tmp_path: Path) -> None:
    path = order_lines(tmp_path / "orders.xlsx", ["客户编号", "订单日期", "订单金额"])

    result = run("score", path)

    assert result.exit_code == ExitCode.DATA, result.output
    assert the_error(result, "zh") == (
        f"{path}：工作表“客户信息”看起来是订单明细，而不是每个客户一行：其中有订单列“订单日期”，"
        f"且客户编号“C1”出现在第 2 行和第 4 行；请加 --orders 按客户汇总订单（kactier score {path} --orders）"
    )


def test_auto_speaks_the_language_of_an_english_workbook_whatever_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    path = order_lines(tmp_path / "orders.xlsx", ["Customer ID", "Order Date", "Order Amount"])

    result = run("score", path)

    assert result.exit_code == ExitCode.DATA, result.output
    assert the_error(result, "en").startswith(f"{path}: sheet '客户信息' looks like order lines")


def test_a_chinese_config_sheet_error_is_in_chinese_by_default(tmp_path: Path) -> None:
    arguments, cell = config_sheet_cell(tmp_path)

    result = run(*arguments)

    assert result.exit_code == ExitCode.CONFIG
    assert the_error(result, "zh").endswith(f"配置表单元格 {cell}：权重“很多”不是数字；请填写 0 或以上的数字")


@pytest.mark.parametrize(
    ("environment", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_before_the_headers_are_read_the_locale_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], lang: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "nope.xlsx"

    result = run("score", path)

    assert result.exit_code == ExitCode.NO_INPUT
    _, _, zh, en = CASES["missing file"]
    assert the_error(result, lang) == (zh if lang == "zh" else en).format(path=path)


def test_lang_wins_over_the_locale_and_the_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    path = order_lines(tmp_path / "orders.xlsx", ["客户编号", "订单日期", "订单金额"])

    result = run("validate", path, "--lang", "en")

    assert the_error(result, "en").startswith(f"{path}: sheet '客户信息' looks like order lines")


def test_traditional_chinese_locale_gets_traditional_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    path = tmp_path / "nope.xlsx"

    result = run("score", path)

    assert result.exit_code == ExitCode.NO_INPUT
    assert result.stderr == f"kactier：錯誤： {path}：{traditional('文件不存在；请检查路径')}\n"
    assert "請檢查路徑" in result.stderr  # made from the Simplified wording by OpenCC


def test_json_error_is_in_the_same_language_as_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "nope.xlsx"

    result = run("score", path, "--json", "--lang", "zh")

    assert result.exit_code == ExitCode.NO_INPUT
    assert json.loads(result.stdout) == {"error": f"{path}：文件不存在；请检查路径", "exit_code": 66}
    assert "\\u" not in result.stdout
    assert the_error(result, "zh") == f"{path}：文件不存在；请检查路径"


def test_batch_reports_each_file_error_in_the_language_asked_for(tmp_path: Path) -> None:
    write_workbook(tmp_path / "good.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()

    result = run("batch", tmp_path / "good.xlsx", broken, "--out-dir", out, "--json", "--lang", "zh")

    assert result.exit_code == ExitCode.NO_INPUT, result.output
    errors = [f.get("error") for f in json.loads(result.stdout)["files"]]
    assert f"{broken}：文件为空（0 字节）；请重新导出或保存工作簿" in errors
    assert (
        f"kactier：错误： {broken}：文件为空（0 字节）；请重新导出或保存工作簿" in result.stderr.splitlines()
    )


@pytest.mark.parametrize(
    ("raised", "code", "zh", "en"),
    [
        (
            RuntimeError("boom"),
            ExitCode.INTERNAL,
            "内部错误：RuntimeError('boom')；请加 --debug 重新运行并报告此问题",
            "internal error: RuntimeError('boom'); re-run with --debug and report it",
        ),
        (
            KeyboardInterrupt(),
            ExitCode.TEMPORARY,
            "已中断；未写入任何文件",
            "interrupted; nothing was written",
        ),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_internal_error_and_ctrl_c_speak_the_language_asked_for(
    worked_example: Path,
    monkeypatch: pytest.MonkeyPatch,
    raised: BaseException,
    code: ExitCode,
    zh: str,
    en: str,
    lang: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(kactier.cli.grading, "score_workbooks", fail)

    result = run("score", worked_example, "--lang", lang)

    assert result.exit_code == code
    assert the_error(result, lang) == (zh if lang == "zh" else en)


# -- the mechanism ------------------------------------------------------------------------------------------------


def test_str_is_english_and_message_is_in_the_language_given() -> None:
    error = InputError("input.unreadable", path=Path("a.xlsx"), reason="Permission denied")

    assert str(error) == "a.xlsx: cannot be read (Permission denied)"
    assert error.message("zh") == "a.xlsx：无法读取（Permission denied）"
    assert error.exit_code == ExitCode.NO_INPUT


def test_a_phrase_inside_a_message_is_worded_in_the_message_language() -> None:
    where = Phrase("where.sheet", path="a.xlsx", sheet="客户")
    error = InputError("input.sheet_no_part", where=where)

    assert (
        str(error)
        == "a.xlsx: sheet '客户' has no part in the workbook; the file is damaged, save it again from Excel"
    )
    assert (
        error.message("zh") == "a.xlsx：工作表“客户”在工作簿中没有对应的部件；文件已损坏，请用 Excel 重新保存"
    )


def test_an_error_crosses_a_process_boundary_with_its_key_fields_and_language() -> None:
    error = HistoryBusyError("history.locked", path=Path("h.sqlite"), seconds=60.0)
    error.lang = "zh"

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is HistoryBusyError
    assert (copy.key, copy.fields, copy.lang, str(copy)) == (error.key, error.fields, "zh", str(error))
    assert copy.exit_code == ExitCode.TEMPORARY


@pytest.mark.parametrize(
    ("environment", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_SG"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
        ({"LANG": "zh_HK.Big5"}, "zh-Hant"),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "zh_CN.UTF-8"}, None),
        ({"LC_ALL": "", "LANG": "en_GB.UTF-8"}, "en"),
        ({}, None),
    ],
)
def test_environment_lang(environment: dict[str, str], lang: str | None) -> None:
    assert environment_lang(environment) == lang


def test_error_lang_prefers_lang_then_the_run_then_the_locale() -> None:
    error = InputError("input.missing", path="a.xlsx")
    chinese = {"LANG": "zh_CN.UTF-8"}
    assert error_lang("en", error, chinese) == "en"
    assert error_lang("auto", error, chinese) == "zh"
    assert error_lang(None, error, {}) == "en"
    error.lang = "en"
    assert error_lang("auto", error, chinese) == "en"
    assert error_lang("zh", error, {}) == "zh"


# -- the message table and the source -----------------------------------------------------------------------------


def fields_of(wording: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(wording) if name is not None}


def test_every_error_message_has_both_wordings_with_the_same_fields() -> None:
    for key, (zh, en) in ERRORS.items():
        assert zh.strip(), key
        assert en.strip(), key
        assert fields_of(zh) == fields_of(en), key
        assert zh == en or any("\u4e00" <= ch <= "\u9fff" for ch in zh), (
            key
        )  # the Chinese is written in Chinese


def _error_classes() -> set[str]:
    return {
        name
        for name, value in vars(kactier.errors).items()
        if isinstance(value, type) and issubclass(value, (KactierError, Phrase))
    }


def _constructions() -> Iterator[tuple[Path, ast.Call, str]]:
    """Every call of an error class (or Phrase) in src/kactier, with the class's name."""
    names = _error_classes()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else ""
                )
                if name in names:
                    yield path, node, name


def _literal_text(node: ast.expr) -> str | None:
    """The literal text of a string or f-string argument (an f-string's constant parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(part.value) for part in node.values if isinstance(part, ast.Constant))
    return None


EXCEPTED: frozenset[str] = frozenset()


def test_no_error_is_raised_with_an_inline_english_message() -> None:
    """An error's first argument is a message key (no spaces), never the English words themselves."""
    inline = [
        f"{path.relative_to(PACKAGE)}:{call.lineno} {name}({ast.unparse(call.args[0])[:60]})"
        for path, call, name in _constructions()
        if path.relative_to(PACKAGE).as_posix() not in EXCEPTED
        and call.args
        and (words := _literal_text(call.args[0])) is not None
        and any(c.isspace() for c in words)
    ]
    assert inline == []


def test_every_message_key_in_the_source_is_in_the_catalog() -> None:
    unknown = [
        f"{path.relative_to(PACKAGE)}:{call.lineno} {call.args[0].value!r}"
        for path, call, _ in _constructions()
        if call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and call.args[0].value not in CATALOG
    ]
    assert unknown == []


def test_every_config_sheet_place_has_a_hint_in_both_languages() -> None:
    assert {key.removeprefix("hint.") for key in ERRORS if key.startswith("hint.")} == {*HINTS, "default"}
