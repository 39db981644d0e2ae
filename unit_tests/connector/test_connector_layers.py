"""The connector's layers, as docs/architecture.md tables them: a module imports only from its own layer or the
ones below it, and no modules import each other in a circle. Read with `ast` from the package's files, so a new
module that no layer names fails here. Imports for type annotations only (under TYPE_CHECKING) are left aside."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = "source_zendesk_support"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

# lowest first; a module may import from its own layer and the layers above it in this list
LAYERS = [
    ("foundation", {"foundation.*"}),
    ("config", {"config.*"}),
    ("http", {"http.*"}),
    ("records", {"records.*"}),
    ("sync", {"sync.*"}),
    ("paging", {"paging.*"}),
    ("streams", {"streams.*"}),
    ("registry", {"registry.*"}),
    ("state", {"state.*"}),
    ("source", {"source", "run", "input_files", "state_file", "__init__"}),
]


def module_names() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
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


def _type_checking_only(tree: ast.AST) -> set:
    """The nodes under `if TYPE_CHECKING:`: imports for annotations, never run."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            for child in node.body:
                skipped.update(id(inner) for inner in ast.walk(child))
    return skipped


def imports_of(module: str) -> set[str]:
    """The package's modules that `module` imports when it runs (at any depth of its code, lazy imports included)."""
    path = source_of(module)
    package = (
        module.split(".")[:-1]
        if path.name != "__init__.py"
        else [part for part in module.split(".") if part != "__init__"]
    )
    known = set(module_names())
    tree = ast.parse(path.read_text())
    skipped = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}".lstrip(".") for alias in node.names]
        else:
            continue
        for target in targets:
            name = target[len(PACKAGE) + 1 :] if target.startswith(PACKAGE + ".") else target
            if name in known and name != module:
                found.add(name)
    return found


def test_every_module_imports():
    for module in module_names():
        importlib.import_module(PACKAGE if module == "__init__" else f"{PACKAGE}.{module}")


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
    """The reader sees imports where there are some, and skips those made for annotations only."""
    assert {"config.model", "http.rate_budget", "sync.page_share"} <= imports_of("sync.context")
    assert "streams.spec" not in imports_of("sync.context")  # under TYPE_CHECKING
    assert "http.retry_policy" in imports_of("paging.exports")
    assert (
        layer_of("streams.base") > layer_of("paging.exports") > layer_of("sync.page_permits") > layer_of("http.answer")
    )


def test_the_table_is_the_architecture_pages():
    """Each layer's row in docs/architecture.md names the layer (the page and this test change together)."""
    page = (ROOT.parent / "docs" / "architecture.md").read_text()
    for name, _ in LAYERS:
        assert f"| {name} |" in page, f"docs/architecture.md has no row for the layer '{name}'"
