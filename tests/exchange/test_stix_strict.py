"""What Accord writes passes ``stix2-validator --strict``, run as its own command from its
own virtualenv (``tests/tools/stix2-validator.txt``): file exports, TAXII pages, push
envelopes and the crisis report bundle.

One check is disabled, and only that one: ``uuid-check`` (code 103, "SDOs SHOULD use
UUIDv4"). Accord's ids are UUIDv5s of the record on its node, deliberately
(``docs/stix-mapping.md``, *Stable ids*): the same record always has the same id, so a peer
that syncs twice gets a new version, never a duplicate. The test shows that this check
is the only one that fires without the flag.
"""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.exchange import files, sync
from accord.exchange.crisis_report import crisis_bundle
from accord.exchange.indicator import IndicatorRenderer, indicator_to_signal
from accord.exchange.taxii import service as taxii
from accord.exchange.taxii.pages import PageQuery
from accord.incidents import crisis
from accord.incidents import service as incidents
from accord.incidents.tables import text_table
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.signals import get_signal_type, signal_type_names
from accord.store.database import Database
from tests.tools.venvs import tool_venv

OP = Actor.operator()
UUID_CHECK = "uuid-check"


@pytest.fixture
def node(db: Database, settings: Settings) -> Database:
    """Agency A shares a bank in channel ab with Platform B: a signal of every type, GREEN
    and AMBER, a retracted one, and a crisis on that bank."""
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    service.channel_add(db, OP, "ab", "Agency A")
    service.channel_join(db, OP, "ab", "Platform B")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER", channel="ab")
    added = [signals.signal_add(db, OP, "a-images", SignalInput(
        name, get_signal_type(name).examples()[0], tlp="GREEN" if n % 2 else None),
        settings) for n, name in enumerate(signal_type_names())]
    assert added
    gone = signals.signal_add(db, OP, "a-images", SignalInput("md5", "1" * 32), settings)
    signals.signal_retract(db, OP, gone.id, "not terrorist content")
    incidents.incident_import(db, OP, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2026,3,1,Freedonia,Armed Assault,Business\n"),
        incidents.Sharing("Agency A", "AMBER", "ab"))
    crisis.activate(db, OP, settings, 1, "a-images", "ab", ["mass-casualty"])
    return db


def _exports(db: Database, settings: Settings, folder: Path) -> dict[str, Path]:
    """Each kind of STIX Accord writes, as a file: bundles as they are, envelopes' objects
    in a bundle (the validator reads STIX, and an envelope is TAXII)."""
    written: dict[str, Path] = {}

    def keep(name: str, data: dict[str, Any]) -> dict[str, Any]:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        written[name] = path
        return data

    def as_bundle(objects: list[dict[str, Any]]) -> dict[str, Any]:
        return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}

    out = io.StringIO()
    files.export_file(db, OP, "a-images", out, "stix", settings)
    keep("file-bundle", json.loads(out.getvalue()))
    out = io.StringIO()
    files.export_file(db, OP, "a-images", out, "taxii-envelope", settings)
    keep("file-envelope", as_bundle(json.loads(out.getvalue())["objects"]))

    service.member_add(db, OP, "Platform B", "sync-b", "sync")
    reader = Actor("sync-b", partner_id=2, role=Role.SYNC)
    listing = taxii.list_collections(db, reader, settings)["collections"]
    (channel,) = [c for c in listing if c["title"] == "Channel ab"]
    page = taxii.get_objects(db, reader, settings, channel["id"], PageQuery(limit=1000))
    keep("taxii-page", as_bundle(page.body["objects"]))

    (bank,) = banks.bank_list(db, "Agency A")
    rows, _ = sync._push_rows(db, bank.id, None, 0, 1000)  # what a push to a peer sends
    renderer = IndicatorRenderer(settings.resolved_node_id())
    keep("push", as_bundle([renderer.indicator(r) for r in rows]))

    keep("crisis-report", crisis_bundle(db, OP, 1, settings))
    return written


def _validate(paths: list[Path], *disabled: str) -> str:
    venv = tool_venv("stix2-validator")
    args = ["--strict", "--version", "2.1", "--no-cache"]
    if disabled:
        args += ["--disable", ",".join(disabled)]
    done = venv.run(venv.script("stix2_validator"), *args, *map(str, paths))
    return f"rc={done.returncode}\n{done.stdout}{done.stderr}"


def _references(obj: object) -> set[str]:
    """Every id an object refers to (``*_ref`` and ``*_refs`` properties, at any depth)."""
    found: set[str] = set()
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key.endswith("_ref") and isinstance(value, str):
                found.add(value)
            elif key.endswith("_refs") and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            else:
                found |= _references(value)
    elif isinstance(obj, list):
        for item in obj:
            found |= _references(item)
    return found


def test_every_export_passes_the_strict_validator_but_for_the_uuid_version_check(
        node: Database, settings: Settings, tmp_path: Path) -> None:
    exports = _exports(node, settings, tmp_path)
    paths = list(exports.values())

    strict = _validate(paths, UUID_CHECK)

    assert strict.startswith("rc=0"), strict
    assert "[!]" not in strict and "[X]" not in strict, strict
    # Without the flag, the deterministic ids are all that the strict run objects to.
    everything = _validate(paths)
    findings = [line.strip() for line in everything.splitlines()
                if line.startswith(" ") and line.strip()[:3] in ("[X]", "[!]")]
    assert findings, everything
    assert all("{103}" in line and "UUIDv4" in line for line in findings), "\n".join(
        line for line in findings if "{103}" not in line)


def test_every_bundle_holds_each_object_it_references(
        node: Database, settings: Settings, tmp_path: Path) -> None:
    exports = _exports(node, settings, tmp_path)
    for name in ("file-bundle", "crisis-report"):
        bundle = json.loads(exports[name].read_text())
        present = {o["id"] for o in bundle["objects"]}
        missing = _references(bundle) - present
        assert not missing, f"{name} references {sorted(missing)} it does not contain"
        types = {o["type"] for o in bundle["objects"]}
        assert {"identity", "marking-definition", "extension-definition"} <= types


def test_what_accord_wrote_before_and_writes_now_reads_as_the_same_signal() -> None:
    """Old exports and older nodes' pages use ``pattern_type: accord-<type>``; the reader
    keeps reading them, with or without Accord's extension."""
    value = get_signal_type("pdq").examples()[0]
    base = {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--0a5e6e6c-25d3-4a5c-9c3c-8b8c2b1f6a11",
            "created": "2026-03-01T12:00:00.000Z", "modified": "2026-03-01T12:00:00.000Z",
            "valid_from": "2026-03-01T12:00:00.000Z"}
    old = {**base, "pattern_type": "accord-pdq", "pattern": value}
    new = {**base, "pattern_type": "stix", "pattern_version": "2.1",
           "pattern": f"[x-accord-signal:signal_type = 'pdq' AND "
                      f"x-accord-signal:value = '{value}']"}
    assert indicator_to_signal(old).signal == indicator_to_signal(new).signal
    assert indicator_to_signal(new).signal.signal_type == "pdq"
    assert indicator_to_signal(new).signal.value == value
