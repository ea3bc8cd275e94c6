"""The HTTP API: authentication, roles, matching, curation, and problem details for bad input."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
NEAR = PDQ[:-2] + "23"  # 0x22 -> 0x23: 1 bit away


def problem(response: Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def add(api: TestClient, keys: Keys, kind: str, value: str, **extra: object) -> int:
    r = api.post("/api/v1/banks/a-images/signals", headers=keys.curator_a,
                 json={"signal_type": kind, "value": value, **extra})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def wait_for(check: object, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the change did not reach the API in time"
        time.sleep(0.02)


def test_health_readiness_metrics_and_openapi(api: TestClient) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json()["status"] == "ready"
    assert api.get("/metrics").status_code == 403  # the test client is no loopback client
    document = api.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["apiKey"]["description"]}
    assert document["paths"]["/api/v1/match"]["post"]["security"] == [{"apiKey": []}]
    assert "security" not in document["paths"]["/healthz"]["get"]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_requests_without_a_valid_key_are_refused(api: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    body = problem(api.post("/api/v1/match", headers=headers,
                            json={"signal_type": "md5", "value": "a" * 32}), 401)
    assert "API key" in str(body["detail"])


def test_a_revoked_key_stops_working_within_a_second(
    api: TestClient, keys: Keys, db: Database
) -> None:
    query = {"signal_type": "md5", "value": "a" * 32}
    assert api.post("/api/v1/match", headers=keys.reviewer_b, json=query).status_code == 200
    service.key_revoke(db, Actor.operator(), keys.revocable[:12])
    wait_for(lambda: api.post("/api/v1/match", headers=keys.reviewer_b,
                              json=query).status_code == 401, 1.0)


def test_roles_are_enforced(api: TestClient, keys: Keys) -> None:
    body = problem(api.post("/api/v1/banks", headers=keys.reader_b, json={"name": "x"}), 403)
    assert "may not create banks" in str(body["detail"])
    problem(api.post("/api/v1/banks/a-images/signals", headers=keys.reviewer_b,
                     json={"signal_type": "md5", "value": "a" * 32}), 403)


def test_a_platform_matches_what_is_shared_with_it_and_an_outsider_does_not(
    api: TestClient, keys: Keys
) -> None:
    sid = add(api, keys, "pdq", PDQ, labels=["behaviour:recruitment"])
    query = {"signal_type": "pdq", "value": NEAR}
    wait_for(lambda: api.post("/api/v1/match", headers=keys.reviewer_b, json=query)
             .json()["matches"])
    [hit] = api.post("/api/v1/match", headers=keys.reviewer_b, json=query).json()["matches"]
    assert (hit["signal_id"], hit["distance"], hit["bank"], hit["labels"]) == (
        sid, 1, "a-images", ["behaviour:recruitment"])
    assert api.post("/api/v1/match", headers=keys.admin_c, json=query).json()["matches"] == []
    assert api.get("/api/v1/signals", headers=keys.admin_c).json()["signals"] == []


def test_batches_answer_each_query_in_order(api: TestClient, keys: Keys) -> None:
    add(api, keys, "md5", "b" * 32)
    queries = [{"signal_type": "md5", "value": "B" * 32}, {"signal_type": "pdq", "value": "zz"},
               {"signal_type": "md5", "value": "c" * 32}]
    wait_for(lambda: api.post("/api/v1/match/batch", headers=keys.reviewer_b,
                              json={"queries": queries}).json()["results"][0]["matches"])
    results = api.post("/api/v1/match/batch", headers=keys.reviewer_b,
                       json={"queries": queries}).json()["results"]
    assert [len(r["matches"]) for r in results] == [1, 0, 0]
    assert "invalid pdq value" in results[1]["error"]
    too_many = {"queries": [{"signal_type": "md5", "value": "a" * 32}] * 10_001}
    problem(api.post("/api/v1/match/batch", headers=keys.reviewer_b, json=too_many), 400)


@pytest.mark.parametrize(("body", "status", "words"), [
    ('{"signal_type": "pdq", "value": ', 422, "JSON"),
    ('{"signal_type": "pdq", "value": 42}', 422, "string"),
    ('{"signal_type": "pdq"}', 422, "value"),
    ('{"signal_type": "pdq", "value": "xyz"}', 400, "invalid pdq value"),
    ('{"signal_type": "pdq", "value": "' + "a" * 63 + '"}', 400, "got 63"),
    ('{"signal_type": "sha1", "value": "abc"}', 400, "unknown signal type"),
    ('{"signal_type": "md5", "value": "' + "a" * 32 + '", "extra": 1}', 422, "extra"),
])
def test_bad_match_requests_get_problem_details(
    api: TestClient, keys: Keys, body: str, status: int, words: str
) -> None:
    response = api.post("/api/v1/match", headers={**keys.reviewer_b,
                                                  "Content-Type": "application/json"},
                        content=body)
    assert words.lower() in str(problem(response, status)).lower()


MD5 = '{"signal_type": "md5", "value": "' + "a" * 32 + '"}'


@pytest.mark.parametrize(("body", "words"), [
    ('{"queries": [' + MD5 + ', ', "JSON"),
    ('[' + MD5 + ']', "object"),
    ('{"queries": []}', "at least 1"),
    ('{"queries": [' + MD5 + '], "more": 1}', "extra"),
    ('{"queries": [' + MD5 + ', {"signal_type": "md5"}]}', "value"),
    ('{"queries": [' + MD5 + ', {"signal_type": "md5", "value": 7}]}', "string"),
    ('{"queries": [' + MD5 + ', {"signal_type": "md5", "value": "a", "x": 1}]}', "extra"),
    ('{"queries": [{"signal_type": "md5", "value": "a\\u0000"}]}', "NUL"),
    ('{"queries": [{"signal_type": "' + "p" * 31 + '", "value": "a"}]}', "30"),
])
def test_malformed_batches_get_the_same_problem_details_as_single_matches(
    api: TestClient, keys: Keys, body: str, words: str
) -> None:
    response = api.post("/api/v1/match/batch", headers={**keys.reviewer_b,
                                                        "Content-Type": "application/json"},
                        content=body)
    assert words.lower() in str(problem(response, 422)).lower()


def test_an_oversize_body_is_refused_before_it_is_read(api: TestClient, keys: Keys) -> None:
    big = b'{"queries": [' + b"0" * (33 * 1024 * 1024) + b"]}"
    problem(api.post("/api/v1/match/batch", headers={**keys.reviewer_b,
                                                     "Content-Type": "application/json"},
                     content=big), 413)


def test_uploads_are_hashed_and_matched(api: TestClient, keys: Keys) -> None:
    text = " ".join(f"line {i} of a generated pamphlet used only in tests" for i in range(60))
    hashed = api.post("/api/v1/hash", headers=keys.reviewer_b,
                      files={"file": ("pamphlet.txt", text.encode(), "text/plain")})
    assert hashed.status_code == 200, hashed.text
    kinds = {s["signal_type"]: s["value"] for s in hashed.json()["signals"]}
    assert {"md5", "sha256", "text_tlsh"} <= set(kinds)
    add(api, keys, "md5", kinds["md5"])
    wait_for(lambda: any(r["matches"] for r in api.post(
        "/api/v1/match/file", headers=keys.reviewer_b,
        files={"file": ("x.txt", text.encode())}).json()["results"]))
    empty = api.post("/api/v1/hash", headers=keys.reviewer_b, files={"file": ("e.jpg", b"")})
    problem(empty, 400)


def test_curation_over_http(api: TestClient, keys: Keys) -> None:
    created = api.post("/api/v1/banks", headers=keys.curator_a,
                       json={"name": "a-urls", "default_tlp": "GREEN"})
    assert created.status_code == 201 and created.json()["auto_action"] is False
    csv = "signal_type,signal_value,labels\nurl,https://example.org/a,content:url\nurl,nope,\n"
    report = api.post("/api/v1/banks/a-urls/signals/import", headers=keys.curator_a,
                      content=csv.encode())
    assert report.json()["imported"] == 1 and report.json()["errors"][0]["line"] == 3
    page = api.get("/api/v1/signals", headers=keys.reviewer_b,
                   params={"bank": "a-urls", "limit": 1}).json()
    sid = page["signals"][0]["id"]
    opinion = api.post(f"/api/v1/signals/{sid}/opinions", headers=keys.reviewer_b,
                       json={"kind": "disagree", "note": "a news site"})
    assert opinion.status_code == 201
    retracted = api.post(f"/api/v1/signals/{sid}/retract", headers=keys.curator_a,
                         json={"reason": "agreed"})
    assert retracted.json()["status"] == "retracted"
    problem(api.get("/api/v1/signals/999999", headers=keys.curator_a), 404)
    problem(api.post("/api/v1/banks", headers=keys.curator_a,
                     json={"name": "a-urls"}), 409)


def test_every_response_carries_a_request_id(api: TestClient, keys: Keys) -> None:
    r = api.get("/api/v1/taxonomy", headers={**keys.reviewer_b, "X-Request-Id": "trace-1"})
    assert r.headers["x-request-id"] == "trace-1"
    assert any(e["label"] == "behaviour:recruitment" for e in r.json()["entries"])
