"""A bank's import history from the command line and over HTTP: the same core list the
bank's page shows (``import_history``)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import Keys, api, keys
from tests.cli.test_node_cli import _setup
from tests.conftest import CliRun

__all__ = ["api", "keys"]  # the fixtures the API test takes
ROWS = "signal_type,signal_value\nmd5," + "a" * 32 + "\nmd5," + "b" * 32 + "\npdq,nope\n"


def test_accord_bank_imports_lists_each_import_newest_first(cli: CliRun,
                                                             tmp_path: Path) -> None:
    _setup(cli)
    path = tmp_path / "hashes.csv"
    path.write_text(ROWS)
    assert cli("--as", "alice", "signal", "import", "a-images", str(path)).exit_code == 1
    cli("--as", "alice", "signal", "import", "a-images", str(path))
    shown = cli("--as", "alice", "bank", "imports", "a-images")
    assert shown.exit_code == 0, shown
    lines = [line for line in shown.stdout.splitlines() if "hashes.csv" in line]
    assert len(lines) == 2
    assert [c.split() for c in lines[0].split("│")[6:10]] == [["0"], ["2"], ["1"], ["done"]]
    assert [c.split() for c in lines[1].split("│")[6:10]] == [["2"], ["0"], ["1"], ["done"]]
    hidden = cli("--as", "pia", "bank", "imports", "a-images")  # the bank is in pia's channel
    assert hidden.exit_code == 2 and "no bank 'a-images'" in hidden.stderr


def test_the_api_lists_a_banks_imports_to_its_own_partner_only(api: TestClient,
                                                                keys: Keys) -> None:
    sent = api.post("/api/v1/banks/a-images/signals/import", content=ROWS,
                    headers=keys.curator_a)
    assert sent.status_code == 200, sent.text
    [kept] = api.get("/api/v1/banks/a-images/imports", headers=keys.curator_a).json()
    assert (kept["actor"], kept["filename"], kept["state"]) == ("ada", "api-upload.csv", "done")
    assert (kept["imported"], kept["rejected"]) == (2, 1)
    theirs = api.get("/api/v1/banks/a-images/imports", headers=keys.reviewer_b)
    missing = api.get("/api/v1/banks/no-such/imports", headers=keys.reviewer_b)
    assert theirs.status_code == missing.status_code == 404
