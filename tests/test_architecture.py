"""The package tree is the architecture: data flows forward through the subpackages, and no module reaches back.

Read from the source with ``ast`` (nothing is imported), so a cycle hidden under ``TYPE_CHECKING`` counts too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kactier.errors
from kactier.errors import KactierError

PACKAGE = Path(kactier.errors.__file__).resolve().parent
MAX_MODULE_LINES = 400
MAX_TOP_LEVEL_MODULES = 10

# The data flow, first to last: a module may import from its own package and from packages before it. Top-level
# modules that every stage uses (version, i18n, errors, excel, problems, fields, values) come first.
FLOW = [
    "version",
    "i18n",  # before errors: an error's message is a text of i18n
    "errors",
    "excel",
    "problems",
    "fields",
    "values",
    "read",
    "scoring.weights",  # the weighting methods are pure arithmetic; the config checks an AHP matrix with them
    "config",
    "validate",
    "scoring",
    "tiering",
    "orders",
    "history",
    "report",
    "template",
    "pipeline",
    "cli",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["kactier", *parts])


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path) -> Iterator[tuple[str, list[str]]]:
    """Every kactier module ``name`` imports (TYPE_CHECKING and function-level imports included), with the names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kactier"):
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            if base.startswith("kactier"):
                yield base, [alias.name for alias in node.names]


def resolve(target: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The modules an import statement loads: ``from pkg import mod`` loads ``pkg.mod``."""
    found = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    return found or ([target] if target in known else [])


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, names in imports(name, path):
            for module in resolve(target, names, known):
                if module != name:
                    edges[name].add(module)
    return edges


def stage(module: str) -> int:
    """The position of ``module`` in :data:`FLOW` (the longest matching prefix)."""
    rest = module.removeprefix("kactier.")
    matches = [i for i, prefix in enumerate(FLOW) if rest == prefix or rest.startswith(prefix + ".")]
    assert matches, f"{module} belongs to no stage of FLOW; add its package there"
    return max(matches, key=lambda i: len(FLOW[i]))


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if nxt == "kactier":
                continue  # the package's own __init__ only re-exports; nothing imports it back
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_data_flows_forward() -> None:
    backward = []
    for name, targets in graph().items():
        if name in ("kactier", "kactier.__main__"):
            continue
        for target in targets:
            if target == "kactier":
                backward.append(f"{name} imports the package root")
            elif stage(target) > stage(name):
                backward.append(f"{name} imports {target}, a later stage")
    assert not backward, "\n".join(sorted(backward))


def test_no_module_imports_another_modules_private_names() -> None:
    known = modules()
    private = []
    for name, path in known.items():
        for target, names in imports(name, path):
            for imported in names:
                if imported.startswith("_") and not imported.startswith("__"):
                    private.append(f"{name} imports {imported} from {target}")
    assert not private, "\n".join(private)


def test_every_error_class_lives_in_errors() -> None:
    elsewhere = []
    for name, path in modules().items():
        if name == "kactier.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id.endswith("Error") for base in node.bases
            ):
                elsewhere.append(f"{name}.{node.name}")
    assert not elsewhere, f"error classes outside kactier.errors: {elsewhere}"


def _subclasses(cls: type) -> Iterator[type]:
    subclasses: list[type] = type.__subclasses__(cls)
    for sub in subclasses:
        yield sub
        yield from _subclasses(sub)


def test_error_classes_are_one_line_with_a_docstring() -> None:
    for cls in _subclasses(KactierError):
        if cls.__module__.startswith("kactier"):
            assert cls.__module__ == "kactier.errors", cls
            assert cls.__doc__, f"{cls.__name__}: give it a docstring"
            assert "\n" not in cls.__doc__.strip(), f"{cls.__name__}: a one-line docstring"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by job"


def test_few_modules_at_the_top_and_every_package_documented() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    for package in PACKAGE.iterdir():
        init = package / "__init__.py"
        if package.is_dir() and init.exists():
            assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), (
                f"{init}: say what it is for"
            )
