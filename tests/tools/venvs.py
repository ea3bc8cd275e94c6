"""The third-party tools partners run, each in a virtualenv of its own.

Interop tests must show that the *other* tool reads what Accord writes and writes what
Accord reads, so each tool runs as its own process from its own virtualenv, with the
pinned requirements in ``tests/tools/<tool>.txt`` and nothing of Accord's installed.

A virtualenv is built once per requirements file and Python version and kept under
``$ACCORD_TOOL_VENVS`` (default ``~/.cache/accord/tool-venvs``); a later run reuses it.
Building needs the package registry (CI has it). Where it is unreachable the test fails
with pip's message, unless ``ACCORD_TOOL_VENVS_OPTIONAL=1`` is set, which turns that into
a skip with the reason: for a laptop offline, never for CI.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIREMENTS_DIR = Path(__file__).resolve().parent
TOOLS = ("threatexchange", "pymisp", "misp-stix", "medallion", "stix2-validator")


def _cache_root() -> Path:
    raw = os.environ.get("ACCORD_TOOL_VENVS", "")
    return Path(raw) if raw else Path.home() / ".cache" / "accord" / "tool-venvs"


@dataclass(frozen=True)
class ToolVenv:
    """A built virtualenv for one tool: its interpreter and its console scripts."""

    name: str
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def script(self, name: str) -> Path:
        """A console script the tool installed (e.g. ``threatexchange``, ``medallion``)."""
        path = self.root / "bin" / name
        if not path.exists():
            raise FileNotFoundError(f"{self.name}'s virtualenv has no script {name!r}")
        return path

    def run(self, *args: str | os.PathLike[str], timeout: float = 300,
            cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a command with this virtualenv first on PATH; never Accord's packages.

        The working directory defaults to the virtualenv itself, so a ``-c`` snippet does
        not find Accord's source through the current directory.
        """
        full_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
        full_env["PATH"] = f"{self.root / 'bin'}{os.pathsep}{full_env.get('PATH', '')}"
        full_env["VIRTUAL_ENV"] = str(self.root)
        full_env.update(env or {})
        return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                              timeout=timeout, cwd=cwd or self.root, env=full_env, input=input,
                              check=False)

    def python_code(self, code: str, *args: str, timeout: float = 300,
                    cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a Python snippet in the tool's interpreter."""
        return self.run(self.python, "-c", code, *args, timeout=timeout, cwd=cwd, env=env)


def _key(requirements: Path) -> str:
    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def tool_venv(name: str) -> ToolVenv:
    """The tool's virtualenv, built on first use (under a file lock, so parallel runs share)."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}; requirements exist for {', '.join(TOOLS)}")
    requirements = REQUIREMENTS_DIR / f"{name}.txt"
    root = _cache_root() / f"{name}-{_key(requirements)}"
    done = root / ".accord-built"
    if done.exists():
        return ToolVenv(name, root)
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            _build(name, root, requirements)
            done.write_text("ok\n")
    return ToolVenv(name, root)


def _build(name: str, root: Path, requirements: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    steps = [[sys.executable, "-m", "venv", str(root)],
             [str(root / "bin" / "python"), "-m", "pip", "install", "-q",
              "--disable-pip-version-check", "-r", str(requirements)]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, timeout=1200,
                                check=False)
        if result.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            reason = (f"could not build the {name} virtualenv ({' '.join(step[:4])}…): "
                      f"{(result.stderr or result.stdout).strip()[-1500:]}")
            if os.environ.get("ACCORD_TOOL_VENVS_OPTIONAL") == "1":
                pytest.skip(reason)
            pytest.fail(reason, pytrace=False)
