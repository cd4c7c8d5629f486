"""The README stays true: its CLI reference is the current --help, its module map the current tree, its Python
example runs, and its commands are the ones CI runs."""

import importlib.util
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str) -> Any:  # loaded from scripts/, which is not a package
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli_reference() -> Any:
    return _script("cli_reference")


def test_readme_module_map_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _script("module_map").render(readme) == readme, "run: python scripts/module_map.py"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- python-example:start -->", 1)[1].split("<!-- python-example:end -->", 1)[0]
    code = block.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "key_accounts_zh.xlsx", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    assert (tmp_path / "graded.xlsx").is_file()


def test_readme_cli_reference_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _cli_reference().render(readme) == readme, "run: python scripts/cli_reference.py"


def test_every_command_is_in_the_reference_with_help_text() -> None:
    module = _cli_reference()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in module.command_names():
        block = readme.split(f"### `kactier {name} --help`", 1)[1].split("###", 1)[0]
        usage, _, rest = block.partition("\n\n  ")
        assert "Usage: kactier" in usage
        assert rest.split("\n", 1)[0].strip(), f"{name} has no help text"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick, flags=re.S)
    assert len(commands) == 2
    assert "kactier score examples/key_accounts_zh.xlsx" in commands[0]
    assert "pytest" in commands[1]
    assert "[test]" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command:start" in ci
    assert "test-command:end" in ci


def _bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_chinese_readme_is_linked_and_gives_the_same_commands() -> None:
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "(README.zh-CN.md)" in english
    quick_en = _bash_blocks(english.split("## Quick start", 1)[1].split("\n## ", 1)[0])
    quick_zh = _bash_blocks(chinese.split("## 快速开始", 1)[1].split("\n## ", 1)[0])
    assert quick_zh == quick_en
    for block in _bash_blocks(
        chinese
    ):  # every other command shown in Chinese is one the English README shows
        for line in block.splitlines():
            assert line in english, f"README.zh-CN.md shows a command the English README does not: {line}"
