"""Regenerate the module map in README.md from the package tree (tests/test_docs.py checks it is current).

Each subpackage and module is listed with the first line of its docstring, in the order data flows through them.

Usage: python scripts/module_map.py
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kactier"
README = ROOT / "README.md"
START, END = "<!-- module-map:start -->", "<!-- module-map:end -->"
# The data flow, first to last; packages not named here follow in alphabetical order.
ORDER = [
    "read",
    "config",
    "validate",
    "scoring",
    "tiering",
    "orders",
    "history",
    "report",
    "template",
    "pipeline",
]
ORDER += ["cli", "i18n"]


WIDTH = 84  # characters of a summary, so that the map reads without scrolling
_ROLE = re.compile(r":[a-z]+:`~?\.*([^`]+)`")


def summary(path: Path) -> str:
    """The first sentence of the module's docstring on one line, cut to :data:`WIDTH` at a word."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split("\n\n", 1)[0].split())
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text).replace("``", "")
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(first) <= WIDTH:
        return first
    return first[: first.rfind(" ", 0, WIDTH - 1)].rstrip(",;:") + " …"


def module_map() -> str:
    """The Markdown list: top-level modules, then each subpackage with its modules."""
    lines = ["```text", "src/kactier/"]
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "__init__.py":
            lines.append(f"  {path.name:<22} {summary(path)}")
    packages = sorted(
        (p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()),
        key=lambda p: (ORDER.index(p.name) if p.name in ORDER else len(ORDER), p.name),
    )
    for package in packages:
        lines.append(f"  {package.name + '/':<22} {summary(package / '__init__.py')}")
        for path in sorted(package.glob("*.py")):
            if path.name != "__init__.py":
                lines.append(f"    {path.name:<20} {summary(path)}")
    lines.append("```")
    return "\n".join(lines)


def render(readme: str) -> str:
    """``readme`` with its module map replaced by the current one."""
    block = f"{START}\n{module_map()}\n{END}"
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, readme, flags=re.S)


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README}")
