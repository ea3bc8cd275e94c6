"""Cooperation routes call the same services as the CLI: requests, designations, programmes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.entities import service as entities
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys


def _entity(db: Database) -> None:
    entities.entity_add(db, Actor.operator(), entities.EntityInput(
        "qde-902", "Example Network", designations=(
            entities.parse_designation("UN-SC:QDe.902:2014-01-01"),
            entities.parse_designation("KE-NAT:KE-2:2015-01-01:2020-01-01"))))


def test_a_request_is_sent_refused_for_personal_data_and_answered_over_http(
    api: TestClient, keys: Keys, db: Database
) -> None:
    _entity(db)
    body = {"to": "Platform B", "purpose": "clarify-designation-basis",
            "refs": ["entity:qde-902"], "text": "Contact him on +33 6 12 34 56 78"}
    refused = api.post("/api/v1/requests", json=body, headers=keys.curator_a)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "a phone number" in refused.json()["detail"]
    assert "12 34 56 78" not in refused.text
    no_ref = api.post("/api/v1/requests", json={**body, "refs": [], "text": ""},
                      headers=keys.curator_a)
    assert no_ref.status_code == 400
    assert "must reference at least one Accord object" in no_ref.json()["detail"]
    sent = api.post("/api/v1/requests", json={**body, "text": "On what basis was it listed?"},
                    headers=keys.curator_a)
    assert sent.status_code == 201, sent.text
    rid = sent.json()["id"]
    assert api.get(f"/api/v1/requests/{rid}", headers=keys.admin_c).status_code == 404
    answered = api.post(f"/api/v1/requests/{rid}/answer", headers=keys.reviewer_b,
                        json={"answer": "We follow the UN listing."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert answered.json()["hours_to_answer"] >= 0
    stats = api.get("/api/v1/requests/statistics", headers=keys.reader_b,
                    params={"start": "2000-01-01", "end": "2100-01-01"}).json()
    assert (stats["sent"], stats["answered"]) == (1, 1)


def test_the_designation_view_and_programme_activation_over_http(
    api: TestClient, keys: Keys, db: Database
) -> None:
    _entity(db)
    view = api.get("/api/v1/entities/qde-902/designations", headers=keys.reader_b).json()
    assert view["listed_by"] == ["UN-SC"] and view["delisted_by"] == ["KE-NAT"]
    assert view["divergent"] is True
    created = api.post("/api/v1/programmes", headers=keys.curator_a, json={
        "title": "Legal framework support", "beneficiary": "Outsider C", "area": "legal",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "indicators": ["law reviewed"]})
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    early = api.post(f"/api/v1/programmes/{pid}/status", headers=keys.curator_a,
                     json={"status": "active"})
    assert early.status_code == 409 and "assessment" in early.json()["detail"]
    api.post(f"/api/v1/programmes/{pid}/assessment", headers=keys.curator_a,
             json={"summary": "Due diligence recorded: oversight in place."})
    assert api.post(f"/api/v1/programmes/{pid}/status", headers=keys.curator_a,
                    json={"status": "active"}).json()["status"] == "active"


def test_the_policy_over_http_reports_and_sets_the_callers_consent(
    api: TestClient, keys: Keys
) -> None:
    url = "/api/v1/auto-action-policy"
    assert api.get(url, headers=keys.reader_b).json() == {
        "sources": ["UN-SC"], "allow_auto_action": False}
    refused = api.put(url, headers=keys.reader_b, json={"allow_auto_action": True})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    set_ = api.put(url, headers=keys.admin_b, json={"sources": ["UN-SC", "EU"],
                                                    "allow_auto_action": True})
    assert set_.status_code == 200 and set_.json() == {
        "sources": ["EU", "UN-SC"], "allow_auto_action": True}
    kept = api.put(url, headers=keys.admin_b, json={"sources": ["UN-SC"]})
    assert kept.json() == {"sources": ["UN-SC"], "allow_auto_action": True}
    bad = api.put(url, headers=keys.admin_b, json={"allow_auto_action": "perhaps"})
    assert bad.status_code == 422
    assert api.get(url, headers=keys.admin_c).json()["allow_auto_action"] is False
