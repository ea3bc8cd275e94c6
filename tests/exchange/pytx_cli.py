"""Drive the real python-threatexchange CLI (``threatexchange``) from its own virtualenv.

Each ``PytxCli`` has a state folder of its own (``TX_STATEDIR``), with pytx's tlsh
and vpdq extensions enabled, so it knows every signal type HMA deployments use. The
vpdq extension imports the ``vpdq`` C++ binding, which needs ffmpeg's headers to build;
the tests only use its pure-Python value parser and serialiser
(``extensions/vpdq/vpdq_util.py``), so a stub module stands in for the binding.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.tools.venvs import ToolVenv, tool_venv

EXTENSIONS = ("threatexchange.extensions.tlsh", "threatexchange.extensions.vpdq.manifest")
VPDQ_STUB = '''"""Stands in for the vpdq binding: pytx's vpdq value code needs only its names."""


class VpdqFeature:
    pass


def computeHash(*args, **kwargs):
    raise RuntimeError("this stub cannot hash videos")
'''


@dataclass
class PytxCli:
    """One pytx installation: its virtualenv, state folder and stub folder."""

    venv: ToolVenv
    state: Path
    stubs: Path

    @classmethod
    def make(cls, root: Path) -> PytxCli:
        stubs = root / "stubs"
        stubs.mkdir(parents=True)
        (stubs / "vpdq.py").write_text(VPDQ_STUB)
        cli = cls(tool_venv("threatexchange"), root / "state", stubs)
        for extension in EXTENSIONS:
            cli.ok("config", "extensions", "add", extension)
        return cli

    def env(self) -> dict[str, str]:
        return {"TX_STATEDIR": str(self.state), "PYTHONPATH": str(self.stubs),
                "PYTHONUTF8": "1"}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.venv.run(self.venv.script("threatexchange"), *args, env=self.env())

    def ok(self, *args: str) -> str:
        """Run a command that must succeed; its standard output."""
        result = self(*args)
        assert result.returncode == 0, f"threatexchange {' '.join(args)}: {result.stderr}"
        return result.stdout

    def python(self, code: str, stdin: str = "") -> str:
        """Run ``code`` in pytx's interpreter (stubs on the path); its standard output."""
        result = self.venv.run(self.venv.python, "-c", code, env=self.env(), input=stdin)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def load_file(self, path: Path, collab: str = "accord") -> set[tuple[str, str]]:
        """Fetch ``path`` through a ``local_file`` collab; the ``(type, signal)`` pytx holds.

        The index rebuild is skipped: pytx's text_tlsh has no index class, so rebuilding
        fails on its signals (a pytx limitation; fetching and storing them works).
        """
        self.ok("config", "collab", "edit", "local_file", "--create", "--filename",
                str(path), collab)
        self.ok("fetch", "--skip-index-rebuild")
        return {(kind, value) for kind, _, value in
                (line.partition(" ") for line in self.ok("dataset", "-P", "-S").splitlines())
                if value}
