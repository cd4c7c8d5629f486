"""One language end to end: every terminal path of every command, on a Chinese and on an English input, scanned for
words of the other language; and a Traditional Chinese workbook answered in Traditional Chinese.

On Chinese output an English word is 3 or more ASCII letters; file paths, sheet names, field keys, numbers, options
(``--json``), the tool's name and the preset's name are not words. On English output any CJK character is stray,
except in the input's own data (headers, names, sheet names), which are removed before the scan.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EN_HEADERS, HANT_HEADERS, WORKED_EXAMPLE, ZH_HEADERS, run, write_workbook
from rich.console import Console
from rich.progress import Progress

from kactier.cli.render_tables import ProgressDisplay
from kactier.errors import ExitCode
from kactier.i18n import traditional

ZH_ENV = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
EN_ENV = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
NOT_WORDS = re.compile(
    r"--[a-z-]+|`[^`]*`|\bkactier( [a-z]+)?\b|key-account|sales-abc|sales-profit-payment|entropy-topsis|rfm-segments|\brfm\b|\bclv\b|\b(ABC|RFM|CSV|UTF|BOM|GBK|TOPSIS|BG/NBD|Gamma-Gamma)\b"
)  # options, commands, the tool's and the presets' names, and acronyms Chinese text writes as they are
EN_DATA = [["C001", "Acme Ltd", 90, 80, 75, 85, 95], ["C002", "Globex", 80, 75, 80, 90, 80]]


def english_words(output: str, *data: str) -> list[str]:
    """ASCII words of 3+ letters in Chinese output, once paths, data and the tool's own names are taken out."""
    output = re.sub(
        r"/[^\s；：，。、（）]+|[^\s；：，。、（）]+\.(xlsx|csv|sqlite)\b", " ", output
    )  # paths, files
    for value in sorted(data, key=len, reverse=True):
        output = output.replace(value, " ")
    return re.findall(r"[A-Za-z]{3,}", NOT_WORDS.sub(" ", output))


def chinese_characters(output: str, *data: str) -> list[str]:
    """CJK characters in English output, once the input's own data is taken out."""
    for value in sorted(data, key=len, reverse=True):
        output = output.replace(value, " ")
    return re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", output)


# -- inputs --------------------------------------------------------------------------------------------------------------

ZH_DATA_WORDS = [*ZH_HEADERS, "客户信息", "customers", "ABC公司", "XYZ公司", "无名公司", "坏数字"]
EN_DATA_WORDS = ["Customers", "customers", "Acme Ltd", "Globex", "Initech"]


def zh_inputs(folder: Path) -> dict[str, Any]:
    good = write_workbook(folder / "好.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    noted = write_workbook(
        folder / "有问题.xlsx",
        [
            ZH_HEADERS,
            *WORKED_EXAMPLE,
            ["C003", "", 101, 80, 75, 85, 95],
            ["C004", "无名公司", 70, None, 70, 70, 70],
        ],
    )
    hopeless = write_workbook(folder / "全坏.xlsx", [ZH_HEADERS, ["C001", "坏数字", "很多", 80, 80, 80, 80]])
    return {"good": good, "noted": noted, "hopeless": hopeless, "csv": [ZH_HEADERS, *WORKED_EXAMPLE]}


def en_inputs(folder: Path) -> dict[str, Any]:
    def book(name: str, rows: list[list[object]]) -> Path:
        return write_workbook(folder / name, [EN_HEADERS, *rows], sheet="Customers")

    return {
        "good": book("good.xlsx", EN_DATA),
        "noted": book(
            "noted.xlsx",
            [*EN_DATA, ["C003", "", 101, 80, 75, 85, 95], ["C004", "Initech", 70, None, 70, 70, 70]],
        ),
        "hopeless": book("hopeless.xlsx", [["C001", "Initech", "lots", 80, 80, 80, 80]]),
        "csv": [EN_HEADERS, *EN_DATA],
    }


def every_output(
    folder: Path, inputs: dict[str, Any], env: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """(what, text) for every terminal path of every command."""
    outputs: list[tuple[str, str]] = []

    def record(what: str, *args: str | Path, code: int | None = None) -> None:
        result = run(*args, env=env)
        if code is not None:
            assert result.exit_code == code, (what, result.output)
        outputs.append((what, result.stdout + result.stderr))

    record("score ok", "score", inputs["good"], "--as-of", "2026-06-30", code=ExitCode.OK)
    record("score notes", "score", inputs["noted"], "--as-of", "2026-06-30", code=ExitCode.OK)
    record("score nothing graded", "score", inputs["hopeless"], code=ExitCode.DATA)
    record("validate ok", "validate", inputs["good"], code=ExitCode.OK)
    record("validate problems", "validate", inputs["noted"], code=ExitCode.DATA)
    record("validate nothing graded", "validate", inputs["hopeless"], code=ExitCode.DATA)
    batch_in = folder / "batch-in"
    batch_in.mkdir()
    for name in ("good", "noted"):
        (batch_in / inputs[name].name).write_bytes(inputs[name].read_bytes())
    out = folder / "graded"
    out.mkdir()
    record("batch", "batch", batch_in, "--out-dir", out, "--as-of", "2026-06-30")
    record("batch again", "batch", batch_in, "--out-dir", out, "--as-of", "2026-07-31", "--force")
    record("history", "history", "C001", "--history", out / "kactier-history.sqlite", code=ExitCode.OK)
    record("presets", "presets", code=ExitCode.OK)
    record("template", "template", "-o", folder / "form.xlsx", "--lang", lang, code=ExitCode.OK)
    record("unfilled template", "score", folder / "form.xlsx", code=ExitCode.DATA)
    record("config init", "config", "init", "-o", folder / "rules.toml", code=ExitCode.OK)
    csv_file = folder / "customers.csv"
    csv_file.write_text(
        "\n".join(",".join(str(c) for c in row) for row in inputs["csv"]), encoding="utf-8-sig"
    )
    record("csv", "validate", csv_file, code=ExitCode.OK)
    return outputs


def progress_labels(lang: str) -> list[str]:
    with Progress(console=Console(file=io.StringIO())) as progress:
        display = ProgressDisplay(progress, lang)  # type: ignore[arg-type]
        labels = [progress.tasks[0].description]
        for stage in ("read", "validate", "score", "grade", "write", "history"):
            display.stage(stage)
            labels.append(progress.tasks[0].description)
        display.file(1, 1, Path("x.xlsx"))
        labels.append(progress.tasks[0].description)
    return labels


# -- the scans -------------------------------------------------------------------------------------------------------------


def test_a_chinese_input_gets_chinese_on_every_terminal_path(tmp_path: Path) -> None:
    outputs = every_output(tmp_path, zh_inputs(tmp_path), ZH_ENV, "zh")
    stray = {what: words for what, text in outputs if (words := english_words(text, *ZH_DATA_WORDS))}
    assert stray == {}, "\n\n".join(text for what, text in outputs if what in stray)
    everything = "\n".join(text for _, text in outputs)
    for wording in (
        "共读取",
        "已写入",
        "需要处理的问题",
        "没有一行能评级",
        "还没有填写客户",
        "首次运行",
        "运行时间",
    ):
        assert wording in everything


def test_an_english_input_gets_english_on_every_terminal_path(tmp_path: Path) -> None:
    outputs = every_output(tmp_path, en_inputs(tmp_path), EN_ENV, "en")
    stray = {what: chars for what, text in outputs if (chars := chinese_characters(text, *EN_DATA_WORDS))}
    assert stray == {}, "\n\n".join(text for what, text in outputs if what in stray)


def test_lang_zh_speaks_chinese_for_an_english_input(tmp_path: Path) -> None:
    source = en_inputs(tmp_path)["noted"]
    result = run("validate", source, "--lang", "zh", env=EN_ENV)
    assert english_words(result.stdout, *EN_HEADERS, *EN_DATA_WORDS) == [], result.stdout
    assert "共读取 4 行" in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_labels_speak_the_language(lang: str) -> None:
    labels = progress_labels(lang)
    if lang == "zh":
        assert labels == ["准备中", "读取", "校验", "评分", "分级", "写入", "记录历史", "完成"]
    else:
        assert labels == [
            "starting",
            "reading",
            "validating",
            "scoring",
            "grading",
            "writing",
            "recording history",
            "done",
        ]


def test_an_english_workbook_lists_the_lifecycle_stages_in_english(tmp_path: Path) -> None:
    source = write_workbook(
        tmp_path / "stages.xlsx",
        [[*EN_HEADERS, "Lifecycle Stage"], [*EN_DATA[0], "dormant"], [*EN_DATA[1], "active"]],
        sheet="Customers",
    )
    result = run("validate", source, "--json")
    stage = [i for i in json.loads(result.stdout)["issue_list"] if i["code"] == "unknown_stage"]
    assert [i["message"] for i in stage] == [
        "unknown lifecycle stage; expected one of: non-customer, prospect, target, intent, active, churned"
    ]


def test_every_english_issue_message_is_free_of_chinese() -> None:
    from kactier.i18n.issues import ISSUES

    assert {key: en for key, (_, en) in ISSUES.items() if chinese_characters(en)} == {}


# -- Traditional Chinese ---------------------------------------------------------------------------------------------------


def simplified_only(output: str) -> list[str]:
    """Characters that OpenCC writes otherwise in Traditional Chinese (so only Simplified Chinese uses them)."""
    return sorted({ch for ch in output if "\u4e00" <= ch <= "\u9fff" and traditional(ch) != ch})


def test_a_traditional_workbook_is_answered_in_traditional_chinese(tmp_path: Path) -> None:
    rows = [
        ["C001", "甲公司", 90, 80, 75, 85, 95],
        ["C002", "乙公司", 80, 75, 80, 90, 80],
        ["C003", "", 101, 80, 75, 85, 95],
    ]
    source = write_workbook(tmp_path / "繁體.xlsx", [HANT_HEADERS, *rows], sheet="客戶資料")
    result = run("score", source, "--as-of", "2026-06-30", env=EN_ENV)
    assert result.exit_code == ExitCode.OK, result.output
    out = result.stdout
    assert "共讀取 3 行" in out
    assert "已寫入" in out
    assert "缺少客戶名稱" in out
    assert simplified_only(out.replace(str(tmp_path), "")) == [], out
    book = openpyxl.load_workbook(tmp_path / "繁體.tiered.xlsx", read_only=True)
    assert "問題" in book.sheetnames
    header = next(book["客戶資料"].iter_rows(max_row=1, values_only=True))
    assert "綜合得分" in header
    assert "客戶級別" in header
    assert simplified_only("".join(book.sheetnames) + "".join(str(h) for h in header if h)) == []


def test_traditional_wording_is_made_from_the_simplified_table() -> None:
    from kactier.i18n import text

    assert text("term.wrote", "zh-Hant") == traditional(text("term.wrote", "zh")) == "已寫入"


def test_the_script_is_told_from_the_headers() -> None:
    from kactier.validate.rows import resolve_lang

    assert resolve_lang("auto", HANT_HEADERS) == "zh-Hant"
    assert resolve_lang("auto", ZH_HEADERS) == "zh"
    assert resolve_lang("auto", EN_HEADERS) == "en"
    assert resolve_lang("zh", HANT_HEADERS) == "zh-Hant"  # --lang zh keeps the input's script
    assert resolve_lang("zh", EN_HEADERS) == "zh"
    assert resolve_lang("en", HANT_HEADERS) == "en"


def test_opencc_loads_only_for_traditional_chinese(tmp_path: Path) -> None:
    simplified = write_workbook(tmp_path / "简.xlsx", [ZH_HEADERS, *WORKED_EXAMPLE])
    hant = write_workbook(tmp_path / "繁.xlsx", [HANT_HEADERS, *WORKED_EXAMPLE])
    probe = (
        "import sys\nfrom pathlib import Path\nfrom kactier.pipeline.run import score_workbook\n"
        "from kactier.pipeline.options import RunOptions\n"
        "score_workbook(Path(sys.argv[1]), RunOptions(write=False))\nprint('opencc' in sys.modules)\n"
    )
    loaded = [
        subprocess.run(
            [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        for path in (simplified, hant)
    ]
    assert loaded == ["False", "True"]


def test_a_traditional_output_reads_back_with_its_config_sheet(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "繁體.xlsx", [HANT_HEADERS, *WORKED_EXAMPLE], sheet="客戶資料")
    assert run("score", source, "--as-of", "2026-06-30").exit_code == ExitCode.OK
    again = run("validate", tmp_path / "繁體.tiered.xlsx", "--as-of", "2026-06-30")
    assert again.exit_code == ExitCode.OK, again.output
    # kactier's own Traditional Config sheet is read back
    assert "提示：按工作簿中的配置表“配置”評級" in again.stdout
