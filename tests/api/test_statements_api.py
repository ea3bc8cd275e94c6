"""``/api/v1/incidents/{id}/statements``: a partner records its own statement; refusals
are problem details, never a 500; others see it only with its opt-in and as its TLP allows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.incidents import service
from accord.reports.transparency import set_report_opt_in
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys

OP = Actor.operator()
FIELDS = {"iyear": "2026", "imonth": "3", "iday": "14", "country_txt": "France",
          "attacktype1_txt": "Bombing/Explosion", "targtype1_txt": "Transportation",
          "eventid": "202603140001"}
BODY = {"kind": "condemnation", "spoken_at": "2026-03-14T06:00:00Z", "language": "fr",
        "url": "https://agency-a.example/press/1", "text": "We condemn this attack."}


def _incident(db: Database, tlp: str = "GREEN", channel: str | None = None) -> int:
    return service.incident_add(db, OP, FIELDS, service.Sharing("Agency A", tlp, channel)).id


def test_a_curator_records_its_partners_statement_with_its_hours(
        api: TestClient, keys: Keys, db: Database) -> None:
    found = _incident(db)
    made = api.post(f"/api/v1/incidents/{found}/statements", json=BODY,
                    headers=keys.curator_a)
    assert made.status_code == 201, made.text
    assert made.json()["speaker"] == "Agency A" and made.json()["hours_after"] == 6.0
    listed = api.get(f"/api/v1/incidents/{found}/statements", headers=keys.curator_a).json()
    assert [s["kind"] for s in listed] == ["condemnation"]


def test_refusals_are_problem_details(api: TestClient, keys: Keys, db: Database) -> None:
    found = _incident(db)
    url = f"/api/v1/incidents/{found}/statements"
    other = api.post(url, json={**BODY, "partner": "Platform B"}, headers=keys.curator_a)
    assert other.status_code == 403 and "another partner" in other.json()["detail"]
    named = api.post(url, json={**BODY, "text": "Call us on +33 6 12 34 56 78."},
                     headers=keys.curator_a)
    assert named.status_code == 422 and "phone number" in named.json()["detail"]
    naive = api.post(url, json={**BODY, "spoken_at": "2026-03-14T06:00:00"},
                     headers=keys.curator_a)
    assert naive.status_code == 400 and "time zone" in naive.json()["detail"]
    assert api.post(url, json={**BODY, "language": "not a tag"},
                    headers=keys.curator_a).status_code == 400


def test_others_see_it_with_the_opt_in_and_only_as_its_tlp_allows(
        api: TestClient, keys: Keys, db: Database) -> None:
    found = _incident(db, "AMBER", "ab")
    assert api.post(f"/api/v1/incidents/{found}/statements", json=BODY,
                    headers=keys.curator_a).status_code == 201
    url = f"/api/v1/incidents/{found}/statements"
    assert api.get(url, headers=keys.reader_b).json() == []  # not opted in yet
    set_report_opt_in(db, OP, "Agency A", True)
    assert len(api.get(url, headers=keys.reader_b).json()) == 1  # channel ab
    assert api.get(url, headers=keys.admin_c).status_code == 404  # may not see the incident
