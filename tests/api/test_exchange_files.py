"""/api/v1/banks/{bank}/files/import and /export: the formats of accord import/export."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys

OP = Actor.operator()


def test_a_curator_exports_an_envelope_and_imports_it_into_another_bank(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    signals.signal_add(db, OP, "a-images", SignalInput("md5", "1" * 32), settings)
    signals.signal_add(db, OP, "a-images", SignalInput("md5", "2" * 32, tlp="RED"), settings)
    banks.bank_add(db, OP, "a-copy", "Agency A", default_tlp="GREEN")
    exported = api.get("/api/v1/banks/a-images/files/export",
                       params={"format": "taxii-envelope"}, headers=keys.curator_a)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/taxii+json")
    assert "2" * 32 not in exported.text  # RED never leaves, even to its owner's exports
    imported = api.post("/api/v1/banks/a-copy/files/import",
                        params={"format": "taxii-envelope"}, content=exported.content,
                        headers=keys.curator_a)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 1
    assert [s.value for s in signals.signal_list(db, OP, bank="a-copy")] == ["1" * 32]


def test_importing_into_another_partners_bank_or_a_bad_file_is_refused(
        api: TestClient, keys: Keys) -> None:
    body = json.dumps({"more": False, "objects": []}).encode()
    other = api.post("/api/v1/banks/a-images/files/import", params={"format": "taxii-envelope"},
                     content=body, headers=keys.admin_b)
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"
    bad = api.post("/api/v1/banks/a-images/files/import", params={"format": "stix"},
                   content=b"{not json", headers=keys.curator_a)
    assert bad.status_code == 400 and "not JSON" in bad.json()["detail"]
    unknown = api.get("/api/v1/banks/a-images/files/export", params={"format": "xlsx"},
                      headers=keys.curator_a)
    assert unknown.status_code == 422


def test_a_misp_event_whose_attributes_are_not_a_list_is_a_400(api: TestClient,
                                                               keys: Keys) -> None:
    for event in ({"Attribute": 5}, {"Attribute": [], "Object": 5}):
        answer = api.post("/api/v1/banks/a-images/files/import", params={"format": "misp"},
                          content=json.dumps({"Event": event}).encode(),
                          headers=keys.curator_a)
        assert answer.status_code == 400, answer.text
        assert "not a list" in answer.json()["detail"]
