"""The engine names no signal type: each type's declared index kind decides everything.

A plug-in type is matched without editing the engine, so no module of the
engine (nor the scan, nor the index kinds) may compare against, or look up, a
literal signal type name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from accord.signals import signal_type_names

ROOT = Path(__file__).resolve().parents[2] / "accord"
ENGINE = sorted(p for p in [*(ROOT / "matching").glob("*.py"), *(ROOT / "index").glob("*.py")]
                if p.name != "service.py")


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings}


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_engine_module_names_a_signal_type(path: Path) -> None:
    assert _string_constants(path) & set(signal_type_names()) == set()
