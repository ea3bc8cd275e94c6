"""Every free text the API stores or shares is refused when it holds personal data.

One edge per entry point: a name or a phone number in the field is a 422
problem+json naming the field and the kind found (never the value); a bulk
import rejects the row and keeps the rest; a TAXII post skips the object and
records it among the status's failures. ``content_ref`` stays the platform's
opaque id: held to printable characters, never scanned.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from accord.curation import signals
from accord.exchange.stix_common import EXTENSION_ID
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys

NAME = "uploaded by Rustam Karimov"
PHONE = "tip line +44 20 7946 0958"
MD5 = "a" * 32


def _refused(response: Any, field: str, kind: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["detail"].startswith(f"the {field} looks like it holds personal data: {kind}")
    for value in ("Karimov", "Rustam", "7946"):
        assert value not in response.text
    return body


def _add(api: TestClient, keys: Keys, value: str = MD5, **fields: str) -> Any:
    return api.post("/api/v1/banks/a-images/signals", headers=keys.curator_a,
                    json={"signal_type": "md5", "value": value, **fields})


def test_a_signal_rationale_or_source_reference_with_personal_data_is_a_422(
        api: TestClient, keys: Keys, db: Database) -> None:
    _refused(_add(api, keys, rationale=NAME), "rationale", "a personal name")
    _refused(_add(api, keys, source_ref=PHONE), "source reference", "a phone number")
    assert signals.signal_list(db, Actor.operator(), bank="a-images") == []
    assert _add(api, keys, rationale="poster of the 2024 campaign").status_code == 201


def test_a_bulk_import_rejects_the_row_with_personal_data_and_keeps_the_rest(
        api: TestClient, keys: Keys, db: Database) -> None:
    body = ("signal_type,signal_value,rationale\n"
            f"md5,{'1' * 32},campaign poster\n"
            f"md5,{'2' * 32},{NAME}\n"
            f"md5,{'3' * 32},\n")
    response = api.post("/api/v1/banks/a-images/signals/import?format=csv",
                        headers={**keys.curator_a, "Content-Type": "text/csv"}, content=body)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["imported"], report["error_count"]) == (2, 1)
    assert report["errors"][0]["line"] == 3
    assert "the rationale looks like it holds personal data" in report["errors"][0]["message"]
    assert "Karimov" not in response.text
    stored = {s.value for s in signals.signal_list(db, Actor.operator(), bank="a-images")}
    assert stored == {"1" * 32, "3" * 32}


def _indicator(number: int, value: str, description: str, source_ref: str = ""
               ) -> dict[str, Any]:
    """An indicator with Accord's extension (whose description is the signal's rationale)."""
    return {"type": "indicator", "spec_version": "2.1",
            "id": f"indicator--{number:08d}-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "pattern": f"[file:hashes.MD5 = '{value}']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z", "description": description,
            "extensions": {EXTENSION_ID: {"extension_type": "property-extension",
                                          "signal_type": "md5", "value": value,
                                          "source_ref": source_ref}}}


def test_a_taxii_post_skips_an_indicator_with_personal_data_and_records_it(
        api: TestClient, keys: Keys, db: Database) -> None:
    roots = api.get("/taxii2/api/collections/", headers={**keys.curator_a,
                                                        "Accept": MEDIA_TYPE_TAXII}).json()
    channel = next(c["id"] for c in roots["collections"] if c["title"] == "Channel ab")
    named = _indicator(1, "4" * 32, "Seen with Mr Haddad")
    phoned = _indicator(3, "6" * 32, "Campaign poster", source_ref=PHONE)
    clean = _indicator(2, "5" * 32, "Campaign poster, 2024")
    response = api.post(f"/taxii2/api/collections/{channel}/objects/",
                        content=json.dumps({"objects": [named, phoned, clean]}),
                        headers={**keys.curator_a, "Accept": MEDIA_TYPE_TAXII,
                                 "Content-Type": MEDIA_TYPE_TAXII})
    assert response.status_code == 202, response.text
    status = response.json()
    assert (status["success_count"], status["failure_count"]) == (1, 2)
    failures = {f["id"]: f["message"] for f in status["failures"]}
    assert "the rationale looks like it holds personal data" in failures[named["id"]]
    assert "the source reference looks like" in failures[phoned["id"]]
    assert "Haddad" not in response.text and "7946" not in response.text
    stored = [s.value for s in signals.signal_list(db, Actor.operator(), bank="a-images")]
    assert stored == ["5" * 32]


def test_a_retraction_reason_and_an_opinion_note_with_personal_data_are_422s(
        api: TestClient, keys: Keys) -> None:
    signal = _add(api, keys).json()
    retract = api.post(f"/api/v1/signals/{signal['id']}/retract", headers=keys.curator_a,
                       json={"reason": f"asked by {NAME}"})
    _refused(retract, "retraction reason", "a personal name")
    opinion = api.post(f"/api/v1/signals/{signal['id']}/opinions", headers=keys.reviewer_b,
                       json={"kind": "disagree", "note": f"call {PHONE}"})
    _refused(opinion, "opinion note", "a phone number")
    assert api.get(f"/api/v1/signals/{signal['id']}/opinions",
                   headers=keys.reviewer_b).json() == []
    assert api.get(f"/api/v1/signals/{signal['id']}",
                   headers=keys.curator_a).json()["status"] == "active"


def test_a_bank_description_with_personal_data_is_a_422(api: TestClient, keys: Keys) -> None:
    made = api.post("/api/v1/banks", headers=keys.curator_a,
                    json={"name": "a-video", "description": "curated by john.doe@example.org"})
    _refused(made, "bank description", "an e-mail address")
    assert "a-video" not in [b["name"] for b in api.get("/api/v1/banks",
                                                         headers=keys.curator_a).json()]


def _match(api: TestClient, keys: Keys, content_ref: str) -> Any:
    query = {"signal_type": "md5", "value": MD5, "content_ref": content_ref}
    deadline = time.monotonic() + 10
    while True:
        found = api.post("/api/v1/match", headers=keys.reviewer_b, json=query)
        if found.status_code != 200 or found.json().get("match_ids") or \
                time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_verdict_rationale_with_personal_data_is_a_422_and_content_ref_stays_opaque(
        api: TestClient, keys: Keys) -> None:
    assert _add(api, keys).status_code == 201
    hidden = _match(api, keys, "upload\u200b-7")
    assert hidden.status_code == 400 and "printable characters" in hidden.json()["detail"]
    found = _match(api, keys, "upload-7f3a")
    [match_id] = found.json()["match_ids"]
    verdict = api.post(f"/api/v1/matches/{match_id}/verdict", headers=keys.reviewer_b,
                       json={"decision": "reject", "rationale": f"a photo of {NAME}"})
    _refused(verdict, "rationale", "a personal name")
    reported = api.post(f"/api/v1/matches/{match_id}/verdict", headers=keys.reviewer_b,
                        json={"decision": "reject", "rationale": f"call {PHONE}",
                              "false_positive": True})
    _refused(reported, "rationale", "a phone number")  # refused before the opinion is filed
    signal_id = api.get("/api/v1/signals", headers=keys.curator_a).json()["signals"][0]["id"]
    assert api.get(f"/api/v1/signals/{signal_id}/opinions", headers=keys.curator_a).json() == []
    done = api.post(f"/api/v1/matches/{match_id}/verdict", headers=keys.reviewer_b,
                    json={"decision": "reject", "rationale": "a news report quoting it"})
    assert done.status_code == 201, done.text


def test_an_incident_import_rejects_a_row_naming_a_person_and_keeps_the_rest(
        api: TestClient, keys: Keys) -> None:
    text = ("eventid,iyear,imonth,iday,country_txt,city,gname,attacktype1_txt,targtype1_txt\n"
            "1,2024,3,15,Freedonia,Port City,Example Front,Armed Assault,Business\n"
            "2,2024,3,16,Freedonia,house of Mr Karimov,,Armed Assault,Business\n"
            "3,2024,3,17,Freedonia,North Town,,Armed Assault,Business\n")
    response = api.post("/api/v1/incidents/import?tlp=GREEN", content=text,
                        headers={**keys.curator_a, "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["imported"] == 2
    [error] = report["errors"]
    assert error["row"] == 3 and "the city looks like it holds personal data" in error["message"]
    assert "Karimov" not in response.text
