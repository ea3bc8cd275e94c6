"""A JSON body nested 100,000 deep is refused on every JSON entry point, never a 500.

The API answers 400, or 422 where it reads the body against a schema (as for any body
that is not JSON); TAXII answers 400 with a TAXII error.

Python's json parser recurses once per level; deep enough, it raises RecursionError,
which used to reach the error handler as an internal error.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import Keys

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"objects":' + DEEP + b"}"


def _json_operations(api: TestClient) -> list[tuple[str, str]]:
    document = api.get("/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return found


def test_every_json_route_of_the_api_answers_a_too_deep_body_with_a_400_problem(
        api: TestClient, keys: Keys) -> None:
    operations = _json_operations(api)
    assert len(operations) > 10
    wrong = []
    for method, path in operations:
        for body in (DEEP, DEEP_OBJECT):
            answer = api.request(method, path, content=body, headers={
                **keys.curator_a, "Content-Type": "application/json"})
            if answer.status_code not in (400, 422) or not answer.headers[
                    "content-type"].startswith("application/problem+json"):
                wrong.append((method, path, answer.status_code, answer.text[:120]))
    assert wrong == []


def test_taxii_answers_a_too_deep_envelope_with_a_taxii_error(api: TestClient,
                                                             keys: Keys) -> None:
    roots = api.get("/taxii2/", headers={**keys.curator_a,
                                         "Accept": "application/taxii+json;version=2.1"})
    root = roots.json()["api_roots"][0]
    collections = api.get(f"{root}collections/", headers={
        **keys.curator_a, "Accept": "application/taxii+json;version=2.1"}).json()
    target = next(c["id"] for c in collections["collections"] if c["title"] == "Channel ab")
    answer = api.post(f"{root}collections/{target}/objects/", content=DEEP_OBJECT, headers={
        **keys.curator_a, "Accept": "application/taxii+json;version=2.1",
        "Content-Type": "application/taxii+json;version=2.1"})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/taxii+json")
    assert "deep" in answer.json()["description"]
