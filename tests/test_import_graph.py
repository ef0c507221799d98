"""The layering the code relies on: `pipelines` is a library that knows nothing of the UI (no streamlit, no
dashboard), and its modules import each other without a cycle, so each can be read, tested and changed on its own.
Every import statement counts, those inside functions too (a deferred import hides a cycle, it does not remove it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINES = Path(__file__).resolve().parents[1] / "pipelines"


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, by its full dotted name (`from pipelines import db` names pipelines.db)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def pipelines_graph() -> dict[str, set[str]]:
    modules = {f"pipelines.{path.stem}": path for path in PIPELINES.glob("*.py") if path.stem != "__init__"}
    return {name: imported_modules(path) & modules.keys() - {name} for name, path in modules.items()}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path a -> b -> ... -> a, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return stack[stack.index(imported):] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_pipelines_import_graph_has_no_cycle() -> None:
    assert cycle_in(pipelines_graph()) is None


def test_the_cycle_finder_finds_a_cycle_of_three() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_in(graph) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("path", sorted(PIPELINES.glob("*.py")), ids=lambda path: path.name)
def test_pipelines_never_imports_streamlit_or_the_dashboard(path: Path) -> None:
    ui = {name for name in imported_modules(path) if name.split(".")[0] in ("streamlit", "dashboard")}
    assert ui == set()


def test_the_cli_and_the_demo_do_not_import_each_other() -> None:
    graph = pipelines_graph()
    assert "pipelines.cli" not in graph["pipelines.demo"]
    assert "pipelines.workflows" in graph["pipelines.demo"]
