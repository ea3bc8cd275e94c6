"""The core packages for hashing import no edge code (CLI, API, web UI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ACCORD = Path(__file__).resolve().parents[2] / "accord"
EDGES = ("fastapi", "typer", "jinja2", "accord.api", "accord.web", "accord.cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("signals", EDGES), ("media", (*EDGES, "accord.signals"))],
)
def test_core_package_imports_no_edge(package: str, forbidden: tuple[str, ...]) -> None:
    for path in sorted((ACCORD / package).rglob("*.py")):
        bad = {n for n in _imports(path) if n.startswith(forbidden)}
        assert not bad, f"{path.relative_to(ACCORD)} imports {sorted(bad)}"
