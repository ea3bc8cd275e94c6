"""The offline bundle installs Accord into a fresh virtual environment with no index access,
and (with issue 6's envelope commands) signals move to it by file and match there."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.main import get_command

from accord.cli import app
from accord.cooperation.bundle import build_bundle
from accord.errors import Conflict, Invalid

UN_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "un_consolidated_sample.xml"
# No configuration (so no index or find-links from it) and no index: only the bundle.
OFFLINE = {**{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
           "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "",
           "PYTHONNOUSERSITE": "1", "PYTHON": sys.executable}


def test_a_bundle_goes_into_a_new_or_empty_folder_only(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(Conflict, match="not an empty folder"):
        build_bundle(tmp_path / "used")
    with pytest.raises(Invalid, match="no file"):
        build_bundle(tmp_path / "new", data_files=[tmp_path / "missing.xml"])


@dataclass
class OfflineNode:
    """A bundle, and the node installed from it into a fresh venv with no index."""

    bundle: Path
    install_log: str
    accord: Callable[..., str]


def _runner(executable: Path, db: Path, home: Path) -> Callable[..., str]:
    def run(*args: str) -> str:
        done = subprocess.run([str(executable), "--db", f"sqlite:///{db}", *args],
                              env={**OFFLINE, "ACCORD_HOME": str(home)},
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout
    return run


@pytest.fixture(scope="module")
def offline_node(tmp_path_factory: pytest.TempPathFactory) -> OfflineNode:
    """Build the bundle once (pip wheel, from pip's warm cache) and install it offline."""
    folder = tmp_path_factory.mktemp("offline")
    bundle = folder / "bundle"
    build_bundle(bundle, data_files=[UN_SAMPLE])
    venv = folder / "node-venv"
    done = subprocess.run([str(bundle / "install.sh"), str(venv), "--no-compile"],
                          env=OFFLINE, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return OfflineNode(bundle, done.stdout,
                       _runner(venv / "bin" / "accord", folder / "node.sqlite3", folder / "h"))


@pytest.mark.slow
def test_the_bundle_installs_into_a_fresh_venv_with_no_index_and_the_node_runs(
    offline_node: OfflineNode
) -> None:
    pins = (offline_node.bundle / "requirements.txt").read_text().splitlines()
    assert pins and all("--hash=sha256:" in p for p in pins)
    assert any(p.startswith("accord==") for p in pins)
    assert "accord 0.1.0" in offline_node.install_log
    offline_node.accord("init")
    imported = offline_node.accord("entity", "import",
                                   str(offline_node.bundle / "data" / UN_SAMPLE.name))
    assert "added" in imported and "Entities: 0 added" not in imported


@pytest.mark.slow
def test_signals_move_by_envelope_file_to_the_air_gapped_node_and_match_there(
    offline_node: OfflineNode, tmp_path: Path
) -> None:
    commands = get_command(app).commands  # type: ignore[attr-defined]
    if "export" not in commands or "import" not in commands:
        # SEAM (issue 6): `accord export --taxii-envelope` / `accord import` live on the
        # federation branch; the lead removes this skip when merging both.
        pytest.skip("needs issue 6's envelope commands (accord export/import)")
    source = _runner(Path(sys.executable).with_name("accord"), tmp_path / "a.sqlite3",
                     tmp_path / "ha")
    source("init")
    source("partner", "add", "Agency North", "--kind", "agency", "--country", "FR")
    source("bank", "add", "north-media", "--owner", "Agency North", "--tlp", "GREEN")
    value = "f" * 32 + "0" * 32
    source("signal", "add", "north-media", "pdq", value, "--quality", "90")
    envelope = offline_node.bundle / "data" / "inbox" / "north.json"
    source("export", "--taxii-envelope", str(envelope))
    offline_node.accord("import", str(envelope))
    near = "f" * 32 + "0" * 31 + "1"
    assert value in offline_node.accord("match", f"pdq:{near}")
