"""Layers: no import cycle between itamctl's modules or packages, and no upward import (issue 10).

The imports are read with :mod:`ast`, top level and function level alike (a
lazy import is still a dependency; only ``if TYPE_CHECKING:`` imports are
left out), so a cycle fails here before it bites at run time. ARCHITECTURE.md describes the layers.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "itamctl"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Module -> the itamctl modules it imports (``from a import b`` counts ``a.b`` when that is a module)."""
    modules = modules or _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in modules else base)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _package(module: str, modules: dict[str, Path]) -> str:
    """The package a module belongs to; a top-level module (``itamctl.pipeline``) is a node of its own."""
    if modules[module].name == "__init__.py":
        return module
    parent = module.rpartition(".")[0]
    return module if parent == "itamctl" else parent


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read():
    graph = imports()
    assert "itamctl.model" in graph["itamctl.pipeline"]
    assert "itamctl.rules" in graph["itamctl.pipeline"]


def test_no_import_cycle_between_modules():
    assert cycles(imports()) == []


def test_no_import_cycle_between_packages():
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, targets in imports(modules).items():
        source = _package(module, modules)
        for target in targets:
            dest = _package(target, modules)
            # a package may use its own modules, and a module its parent package's
            if dest != source and not dest.startswith(source + ".") and not source.startswith(dest + "."):
                graph.setdefault(source, set()).add(dest)
    assert cycles(graph) == []


def test_cycles_are_detected():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_a_broken_import_in_a_site_report_is_an_error_not_an_empty_page(monkeypatch, tmp_path):
    import pytest

    from itamctl.model import Registry, Settings
    from itamctl.site import reports

    def broken(registry, as_of):
        from itamctl.no_such_module import nothing  # noqa: F401

    monkeypatch.setitem(reports.COLLECTORS, "broken", broken)
    with pytest.raises(ImportError):
        reports.collect(Registry(tmp_path, Settings()), None, ["broken"])


_ROW = re.compile(r"^\| (?P<layer>[^|]+?) \| (?P<modules>[^|]+) \|", re.M)


def layer_table() -> dict[str, tuple[int, str]]:
    """ARCHITECTURE.md's layer table: module or package (``render/``) -> (rank, layer name), lowest first."""
    text = (REPO_ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    table: dict[str, tuple[int, str]] = {}
    rows = [m for m in _ROW.finditer(section) if m["layer"] not in ("layer", "---")]
    for rank, row in enumerate(rows):
        for spec in re.findall(r"`([^`]+)`", row["modules"]):
            table[spec] = (rank, row["layer"])
    return table


def layer_of(module: str, table: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """The layer of ``itamctl.x.y``: the longest entry naming it (``x/y``, ``x/``; ``__init__`` is ``itamctl``)."""
    path = module.removeprefix("itamctl").lstrip(".").replace(".", "/") or "__init__"
    best = None
    for spec, layer in table.items():
        name = spec.rstrip("/")
        named = path == name or (spec.endswith("/") and path.startswith(spec))
        if named and (best is None or len(spec) > len(best[0])):
            best = (spec, layer)
    return best[1] if best else None


def test_every_module_has_a_layer_in_architecture_md():
    table = layer_table()
    assert len({layer for _, layer in table.values()}) >= 8, table
    assert [m for m in _modules() if layer_of(m, table) is None] == []


def test_lower_layers_never_import_higher_ones():
    table = layer_table()
    upward = []
    for module, targets in imports().items():
        rank, layer = layer_of(module, table)
        for target in targets:
            target_rank, target_layer = layer_of(target, table)
            if target_rank > rank:
                upward.append(f"{module} ({layer}) imports {target} ({target_layer})")
    assert upward == []


def test_an_upward_import_is_found():
    table = {"model": (0, "model"), "render/": (1, "output")}
    assert layer_of("itamctl.render.costs", table) == (1, "output")
    assert layer_of("itamctl.model", table) == (0, "model")
    assert layer_of("itamctl.modelines", table) is None


def test_the_suite_runs_the_cli_through_run_cli_only():
    """One harness: ``CliRunner`` appears in tests/conftest.py and nowhere else."""
    users = sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "tests").rglob("*.py")
                   if p.name != "conftest.py" and "CliRunner" in p.read_text(encoding="utf-8")
                   and p != Path(__file__))
    assert users == []
