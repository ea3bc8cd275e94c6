"""The dependency rule: core packages never import the edges (CLI, API, web) or their frameworks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "accord"
CORE = ("signals", "media", "index", "store", "sharing", "matching", "review", "exchange",
        "incidents", "reports", "curation", "entities", "taxonomy", "cooperation", "audit.py",
        "demo.py",
        "errors.py", "config.py")
FORBIDDEN = ("fastapi", "typer", "jinja2", "starlette", "accord.api", "accord.web",
             "accord.cli")


def _core_files() -> list[Path]:
    files: list[Path] = []
    for part in CORE:
        path = PACKAGE / part
        files.extend(path.rglob("*.py") if path.is_dir() else [path] if path.exists() else [])
    return files


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_modules_do_not_import_the_edges(path: Path) -> None:
    bad = sorted(n for n in _imports(path)
                 if any(n == f or n.startswith(f + ".") for f in FORBIDDEN))
    assert bad == [], f"{path.name} imports {bad}"
