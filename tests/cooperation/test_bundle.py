"""The offline bundle installs Accord into a fresh virtual environment with no index access."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cooperation.bundle import build_bundle
from accord.errors import Conflict, Invalid

UN_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "un_consolidated_sample.xml"


def test_a_bundle_goes_into_a_new_or_empty_folder_only(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(Conflict, match="not an empty folder"):
        build_bundle(tmp_path / "used")
    with pytest.raises(Invalid, match="no file"):
        build_bundle(tmp_path / "new", data_files=[tmp_path / "missing.xml"])


@pytest.mark.slow
def test_the_bundle_installs_into_a_fresh_venv_with_no_index_and_the_node_runs(
    tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    report = build_bundle(bundle, data_files=[UN_SAMPLE])
    pins = (bundle / "requirements.txt").read_text().splitlines()
    assert len(pins) == len(report.wheels) and all("--hash=sha256:" in p for p in pins)
    assert any(p.startswith("accord==") for p in pins)
    # No configuration (so no index or find-links from it) and no index: only the bundle.
    offline = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
               "PIP_FIND_LINKS": "", "PYTHONNOUSERSITE": "1"}
    offline.pop("VIRTUAL_ENV", None)
    offline["PYTHON"] = sys.executable  # the install script builds its venv with this Python
    venv = tmp_path / "node-venv"
    done = subprocess.run([str(bundle / "install.sh"), str(venv), "--no-compile"],
                          env=offline, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "accord 0.1.0" in done.stdout

    def accord(*args: str) -> str:
        run = subprocess.run([str(venv / "bin" / "accord"), "--db",
                              f"sqlite:///{tmp_path / 'node.sqlite3'}", *args],
                             env={**offline, "ACCORD_HOME": str(tmp_path / "home")},
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout

    accord("init")
    accord("entity", "import", str(bundle / "data" / UN_SAMPLE.name))
    assert "UN-SC" in accord("entity", "list")
