"""The offline node of ``test_bundle.py``: a bundle built and installed in the background.

Building the bundle (``pip wheel``: about 30 s, most of it pip reading the index) and
installing it offline into a fresh venv (about 20 s) run in subprocesses that this
process only waits for. ``conftest.py`` starts them as soon as collection has selected a
test that needs the node, so on the suite's second core they run beside the tests before
it, and the test's fixture waits for what is left. Same bundle, same install, same
checks; only when they run changes.

The node's environment has no ``PYTHONPATH``: the test runner's (the source tree, which
holds ``accord.egg-info`` once ``pip wheel`` has built it) would tell the fresh venv's pip
that Accord is already installed, and ``install.sh`` would find no ``accord`` command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

# No configuration (so no index or find-links from it), no index, nothing of the test
# runner's path: only the bundle.
OFFLINE = {**{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
           "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "",
           "PYTHONNOUSERSITE": "1", "PYTHON": sys.executable}
# The node writes bytecode on its first command, so its next ones start faster.
NODE = {k: v for k, v in OFFLINE.items() if k != "PYTHONDONTWRITEBYTECODE"}
BUILD = ("import sys, pathlib, accord.cooperation.bundle as b; "
         "b.build_bundle(pathlib.Path(sys.argv[1]))")


@dataclass(frozen=True)
class Step:
    """One finished command: what ran, its exit status and output."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class OfflineBuild:
    """``build_bundle`` into ``folder/bundle``, then ``install.sh folder/node-venv``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bundle = folder / "bundle"
        self.venv = folder / "node-venv"
        self.steps: list[Step] = []
        self._process: subprocess.Popen[str] | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="offline-bundle", daemon=True)

    def start(self) -> OfflineBuild:
        self._thread.start()
        return self

    def wait(self) -> list[Step]:
        """The steps once both ran (or the first failed)."""
        self._thread.join()
        return self.steps

    def stop(self) -> None:
        """End a build still running (a session stopped early) and remove the folder."""
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        if self._thread.ident is not None:
            self._thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self) -> None:
        plan = [((sys.executable, "-c", BUILD, str(self.bundle)), dict(os.environ)),
                ((str(self.bundle / "install.sh"), str(self.venv), "--no-compile"), OFFLINE)]
        for argv, env in plan:
            with self._lock:
                if self._stopped:
                    return
                self._process = subprocess.Popen(argv, env=env, text=True,
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = self._process.communicate()
            self.steps.append(Step(argv, self._process.returncode, out, err))
            if self._process.returncode != 0:
                return


OFFLINE_BUILD = pytest.StashKey[OfflineBuild]()


def start_offline_build(config: pytest.Config) -> OfflineBuild:
    """The offline node's bundle and install (tests/cooperation/offline.py), started once."""
    if OFFLINE_BUILD not in config.stash:
        build = OfflineBuild(Path(tempfile.mkdtemp(prefix="accord-offline-"))).start()
        config.stash[OFFLINE_BUILD] = build
        config.add_cleanup(build.stop)
    return config.stash[OFFLINE_BUILD]
