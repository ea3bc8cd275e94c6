"""The tools' virtualenvs are the tools' own: pinned, built once, and blind to Accord."""

from __future__ import annotations

from tests.tools.venvs import TOOLS, tool_venv


def test_a_tool_runs_from_its_own_virtualenv_and_cannot_import_accord() -> None:
    venv = tool_venv("stix2-validator")
    result = venv.python_code(
        "import importlib.util, sys, stix2validator\n"
        "print(sys.prefix)\n"
        "print(importlib.util.find_spec('accord') is None)\n")
    assert result.returncode == 0, result.stderr
    prefix, accord_missing = result.stdout.split()
    assert prefix == str(venv.root)
    assert accord_missing == "True"


def test_every_tool_has_a_pinned_requirements_file() -> None:
    from tests.tools.venvs import REQUIREMENTS_DIR
    for tool in TOOLS:
        lines = [line for line in (REQUIREMENTS_DIR / f"{tool}.txt").read_text().splitlines()
                 if line.strip() and not line.startswith("#")]
        assert lines and all("==" in line for line in lines), tool
