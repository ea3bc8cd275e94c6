"""The edges stand side by side: the API and the web UI never import each other.

``accord.app`` composes them over one ``accord.node.Node``; each edge imports the
node and the core, never the other edge and never the composer. The node is below
both: no web framework, no edge. Both web edges take their HTTP statuses from
the one table, ``accord.errors.HTTP_STATUS``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from accord.errors import (
    HTTP_STATUS,
    AccordError,
    Conflict,
    Invalid,
    NotFound,
    TooManyRequests,
    http_status,
)
from accord.media.errors import MediaTooLarge

PACKAGE = Path(__file__).resolve().parent.parent / "accord"
# Each edge (or module) and the packages it must not import.
RULES = {
    "api": ("accord.web", "accord.app", "jinja2"),
    "web": ("accord.api", "accord.app"),
    "node.py": ("accord.api", "accord.web", "accord.cli", "accord.app", "fastapi",
                "starlette", "typer", "jinja2", "uvicorn"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _cases() -> list[tuple[Path, tuple[str, ...]]]:
    cases = []
    for part, forbidden in RULES.items():
        path = PACKAGE / part
        for file in sorted(path.rglob("*.py") if path.is_dir() else [path]):
            cases.append((file, forbidden))
    return cases


@pytest.mark.parametrize(("path", "forbidden"), _cases(),
                         ids=lambda c: str(c.relative_to(PACKAGE)) if isinstance(c, Path) else "")
def test_an_edge_never_imports_the_other_edge(path: Path, forbidden: tuple[str, ...]) -> None:
    bad = sorted(n for n in _imports(path)
                 if any(n == f or n.startswith(f + ".") for f in forbidden))
    assert bad == [], f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_app_factory_is_the_one_module_that_mounts_both_edges() -> None:
    mounting = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                      if {"accord.api.app", "accord.web.mount"} <= _imports(p)
                      or {"accord.api", "accord.web"} <= _imports(p))
    assert mounting == ["app.py"]


def test_an_error_takes_the_status_of_its_nearest_class_in_the_one_table() -> None:
    assert (http_status(Invalid("x")), http_status(NotFound("x")),
            http_status(Conflict("x"))) == (400, 404, 409)
    assert http_status(TooManyRequests("x", retry_after=1)) == 429
    assert http_status(MediaTooLarge("x")) == HTTP_STATUS[Invalid]  # a subclass of Invalid
    assert http_status(AccordError("x")) == 400  # nothing nearer: bad input
    assert all(isinstance(status, int) for status in HTTP_STATUS.values())
