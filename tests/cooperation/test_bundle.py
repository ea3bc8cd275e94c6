"""The offline bundle installs Accord into a fresh virtual environment with no index access,
and signals move to that air-gapped node as a TAXII envelope file and match there."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.cooperation.bundle import build_bundle
from accord.errors import Conflict, Invalid
from tests.cooperation.offline import NODE, start_offline_build


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
                              env={**NODE, "ACCORD_HOME": str(home)},
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout
    return run


@pytest.fixture(scope="module")
def offline_node(request: pytest.FixtureRequest) -> OfflineNode:
    """The bundle (pip wheel, from pip's warm cache) installed offline into a fresh venv:
    started in the background once collection selected this test (tests/cooperation/offline.py)."""
    build = start_offline_build(request.config)
    steps = build.wait()
    for step in steps:
        assert step.returncode == 0, f"{step.argv}:\n{step.stderr[-2000:]}"
    assert len(steps) == 2, "the offline build was stopped"
    return OfflineNode(build.bundle, steps[-1].stdout,
                       _runner(build.venv / "bin" / "accord", build.folder / "node.sqlite3",
                               build.folder / "h"))


@pytest.mark.slow
def test_air_gapped_round_trip_install_offline_move_signals_by_taxii_envelope_match_there(
    offline_node: OfflineNode, tmp_path: Path
) -> None:
    pins = (offline_node.bundle / "requirements.txt").read_text().splitlines()
    assert pins and all("--hash=sha256:" in p for p in pins)
    assert any(p.startswith("accord==") for p in pins)
    assert "accord 0.1.0" in offline_node.install_log
    # The connected node (this environment) shares a hash and writes it to a file...
    connected = f"sqlite:///{tmp_path / 'connected.sqlite3'}"
    value = "f" * 32 + "0" * 32
    for args in (["init"],
                 ["partner", "add", "Agency North", "--kind", "agency", "--country", "FR"],
                 ["bank", "add", "north-media", "--owner", "Agency North", "--tlp", "GREEN"],
                 ["signal", "add", "north-media", "pdq", value, "--quality", "90"]):
        done = CliRunner().invoke(app, ["--db", connected, *args],
                                  env={"ACCORD_HOME": str(tmp_path / "h")})
        assert done.exit_code == 0, done.output
    # ...as a TAXII 2.1 envelope (the objects a TAXII server would return) in a file...
    moved = offline_node.bundle / "data" / "inbox" / "north.taxii.json"
    exported = CliRunner().invoke(app, ["--db", connected, "export", "--bank", "north-media",
                                        "--taxii-envelope", "-o", str(moved)],
                                  env={"ACCORD_HOME": str(tmp_path / "h")})
    assert exported.exit_code == 0, exported.output
    assert "x-accord-signal:signal_type = 'pdq'" in moved.read_text()
    # ...and the air-gapped node, installed from the bundle alone, imports it and matches.
    offline_node.accord("init")
    offline_node.accord("partner", "add", "Agency North", "--kind", "agency", "--country", "FR")
    offline_node.accord("bank", "add", "from-north", "--owner", "Agency North")
    assert "Imported 1" in offline_node.accord("import", str(moved), "--bank", "from-north",
                                               "--taxii-envelope")
    near = "f" * 32 + "0" * 31 + "1"
    assert value in offline_node.accord("match", f"pdq:{near}")
