"""Regenerate the CLI reference in README.md from `--help` (tests/test_docs.py checks it is current).

Usage: python scripts/cli_reference.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from kactier.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def command_names() -> list[str]:
    """Every command and sub-command (``config init``), in help order."""
    names: list[str] = []

    def walk(command: Any, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            names.append(" ".join([*prefix, name]))
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return names


def reference() -> str:
    """The Markdown block: the root help, then each command's help."""
    runner = CliRunner()
    parts = []
    for args in ([], *(name.split() for name in command_names())):
        shown = " ".join(["kactier", *args, "--help"])
        result = runner.invoke(app, [*args, "--help"], prog_name="kactier")
        parts.append(f"### `{shown}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def render(readme: str) -> str:
    """``readme`` with its reference block replaced by the current one."""
    block = f"{START}\n\n{reference()}\n{END}"
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, readme, flags=re.S)


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
