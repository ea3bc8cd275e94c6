"""``accord import`` / ``accord export`` in the ecosystem's formats, and the matching API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun

OP = Actor.operator()
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
VALUES = {"md5": "1" * 32, "sha256": "2" * 64, "url": "https://example.org/propaganda",
          "pdq": PDQ}


def _node(db: Database, settings: Settings) -> dict[str, int]:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.channel_add(db, OP, "eu", "Agency A")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER", channel="eu")
    banks.bank_add(db, OP, "copy", "Agency A", default_tlp="GREEN")
    ids = {kind: signals.signal_add(db, OP, "a-images", SignalInput(
        kind, value, quality=100 if kind == "pdq" else None), settings).id
        for kind, value in VALUES.items()}
    ids["red"] = signals.signal_add(db, OP, "a-images", SignalInput("md5", "3" * 32, tlp="RED"),
                                    settings).id
    return ids


def _values(db: Database, bank: str, status: str = "active") -> set[str]:
    return {s.value for s in signals.signal_list(db, OP, bank=bank, status=status)}


@pytest.mark.parametrize(("fmt", "kinds"), [
    ("hma", {"md5", "sha256", "url", "pdq"}), ("tat", {"md5", "sha256", "pdq"}),
    ("misp", {"md5", "sha256", "url", "pdq"}), ("stix", {"md5", "sha256", "url", "pdq"}),
    ("taxii-envelope", {"md5", "sha256", "url", "pdq"}),
])
def test_export_then_import_carries_every_signal_the_format_can_hold_and_never_red(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path, fmt: str,
        kinds: set[str]) -> None:
    _node(db, settings)
    path = tmp_path / f"out.{fmt}"
    exported = cli("export", "--bank", "a-images", "--format", fmt, "-o", str(path))
    assert exported.exit_code == 0, exported.stderr
    assert "3" * 32 not in path.read_text()
    imported = cli("import", str(path), "--bank", "copy", "--format", fmt)
    assert imported.exit_code == 0, imported.stderr + imported.stdout
    assert _values(db, "copy") == {VALUES[k] for k in kinds}
    again = cli("import", str(path), "--bank", "copy", "--format", fmt)
    assert f"{len(kinds)} already present" in again.stdout


def test_an_envelope_carries_retractions_to_an_air_gapped_node(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path,
        sqlite_template: Path) -> None:
    ids = _node(db, settings)
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(sqlite_template, other)
    other_url = f"sqlite:///{other}"
    copy = Database(other_url)
    service.partner_add(copy, OP, "Platform B", "platform", "IE")
    banks.bank_add(copy, OP, "copy", "Platform B", default_tlp="AMBER")
    first = tmp_path / "first.json"
    assert cli("export", "--bank", "a-images", "--taxii-envelope", "-o", str(first)
               ).exit_code == 0
    assert cli("import", str(first), "--bank", "copy", "--taxii-envelope",
               db_url=other_url).exit_code == 0
    signals.signal_retract(db, OP, ids["md5"], "mistake")
    second = tmp_path / "second.json"
    cli("export", "--bank", "a-images", "--taxii-envelope", "-o", str(second))
    result = cli("import", str(second), "--bank", "copy", "--taxii-envelope", db_url=other_url)
    assert result.exit_code == 0 and "1 retracted" in result.stdout
    assert VALUES["md5"] in _values(copy, "copy", "retracted")
    assert VALUES["md5"] not in _values(copy, "copy")
    copy.dispose()


@pytest.mark.parametrize(("content", "fmt", "message"), [
    ("{not json", "stix", "not JSON"),
    ('{"type": "bundle", "id": "bundle--1", "objects": 5}', "stix", "'objects' list"),
    ('{"more": false, "objects": []}', "stix", "not a STIX bundle"),
    ('{"type": "bundle", "objects": []}', "taxii-envelope", "not a TAXII envelope"),
    ("signal_type,signal_value\nmd5,1\n", "csv", "not known"),
])
def test_a_file_that_cannot_be_read_is_a_clear_error(cli: CliRun, db: Database,
                                                     settings: Settings, tmp_path: Path,
                                                     content: str, fmt: str,
                                                     message: str) -> None:
    _node(db, settings)
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = cli("import", str(path), "--bank", "copy", "--format", fmt)
    assert result.exit_code == 2
    assert message in result.stderr
    assert _values(db, "copy") == set()


def test_bad_objects_in_an_envelope_are_named_and_the_rest_imported(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    good = {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--11111111-1111-4111-8111-111111111111",
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "pattern": "[file:hashes.MD5 = '" + "9" * 32 + "']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z"}
    bad = {**good, "id": "indicator--22222222-2222-4222-8222-222222222222",
           "pattern_type": "sigma"}
    path = tmp_path / "env.json"
    path.write_text(json.dumps({"more": False, "objects": [good, bad, {"type": "x-thing"}]}))
    result = cli("import", str(path), "--bank", "copy", "--taxii-envelope")
    assert result.exit_code == 1
    assert bad["id"] in result.stderr and "sigma" in result.stderr
    assert _values(db, "copy") == {"9" * 32}


def test_an_oversize_envelope_is_refused_before_anything_is_stored(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _node(db, settings)
    monkeypatch.setenv("ACCORD_TAXII_MAX_ENVELOPE_BYTES", "2048")
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"objects": [{"type": "x-pad", "pad": "x" * 4096}]}))
    result = cli("import", str(path), "--bank", "copy", "--taxii-envelope")
    assert result.exit_code == 2 and "over the limit" in result.stderr


def test_export_to_a_file_that_cannot_be_written_is_a_clear_error(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    target = tmp_path / "no-such-folder" / "x.csv"
    result = cli("export", "--bank", "a-images", "--format", "hma", "-o", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}" in result.stderr and "Traceback" not in result.stderr
    assert not target.parent.exists()


def test_a_bundle_the_stix_library_chokes_on_is_reported_by_object_id(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    broken = {"type": "indicator", "spec_version": "2.1",
              "id": "indicator--11111111-1111-4111-8111-111111111111",
              "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
              "pattern": "[file:hashes.MD5 = '" + "a" * 32 + "']", "pattern_type": "stix",
              "valid_from": "2024-01-01T00:00:00Z", "extensions": 5}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"type": "bundle",
                                "id": "bundle--11111111-1111-4111-8111-111111111111",
                                "objects": [broken]}))
    result = cli("import", str(path), "--bank", "copy", "--format", "stix")
    assert result.exit_code == 1
    assert broken["id"] in result.stderr and "1 bad" in result.stdout
    assert _values(db, "copy") == set()


@pytest.mark.parametrize("peer", ["99999999999999999999", "²"])
def test_syncing_a_peer_id_that_is_no_row_id_says_no_such_peer(cli: CliRun, db: Database,
                                                                peer: str) -> None:
    result = cli("sync", peer)
    assert result.exit_code == 2
    assert "no peer" in result.stderr
