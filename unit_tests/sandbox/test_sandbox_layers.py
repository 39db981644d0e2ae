"""The sandbox's layers: every module imports, a module imports only from its own layer or the ones below it,
and no modules import each other in a circle. Read with `ast` from the package's files, so a new module
that no layer names fails here."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = "zendesk_sandbox"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

# lowest first; a module may import from its own layer and the layers above it in this list
LAYERS = [
    ("foundation", {"foundation.*"}),
    ("data", {"data.*"}),
    ("paging", {"paging.*"}),
    ("handlers", {"support.*", "add_ons.*"}),
    ("tables", {"tables.*"}),
    ("server", {"server.*", "launcher", "cli", "__main__"}),
]


def module_names() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.append(".".join(parts))
    return names


def layer_of(module: str) -> int:
    for rank, (_, members) in enumerate(LAYERS):
        if module in members or any(
            m.endswith(".*") and (module == m[:-2] or module.startswith(m[:-1])) for m in members
        ):
            return rank
    raise AssertionError(f"{module} is in no layer of LAYERS: add it to the one it belongs to")


def source_of(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports_of(module: str) -> set[str]:
    """The package's modules that `module` imports (at any depth of its code, lazy imports included)."""
    path = source_of(module)
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    known = set(module_names())
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            name = target[len(PACKAGE) + 1 :] if target.startswith(PACKAGE + ".") else target
            if name in known and name != module:
                found.add(name)
    return found


def test_every_module_imports():
    for module in module_names():
        if module == "__main__":  # importing it runs the command line
            continue
        importlib.import_module(f"{PACKAGE}.{module}")


@pytest.mark.parametrize("module", module_names())
def test_no_module_imports_upward(module):
    upward = {other for other in imports_of(module) if layer_of(other) > layer_of(module)}
    assert not upward, f"{module} ({LAYERS[layer_of(module)][0]}) imports from a higher layer: {sorted(upward)}"


def test_no_import_cycles():
    graph = {module: imports_of(module) for module in module_names()}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module) :] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for other in sorted(graph[module]):
            visit(other, path + [module])
        done.add(module)

    for module in graph:
        visit(module, [])


def test_the_checks_can_fail():
    """The reader sees a cycle and an upward import where there is one (data/account.py imported add_ons/gates.py)."""
    assert "data.periodic" in imports_of("data.tickets")
    assert layer_of("add_ons.gates") > layer_of("data.account")
