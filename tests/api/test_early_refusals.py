"""A request refused before any route runs (a NUL in the URL, a body over the limit) gets
byte for byte the error a route would send: problem details from ``problem_at``, and under
``/taxii2/`` the TAXII error message from ``taxii_error`` (one builder each)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.api.problems import problem_at
from accord.api.routers.taxii import taxii_error
from tests.api.conftest import Keys

NUL = "the URL holds a NUL character (%00), which no name or value may"


def test_a_taxii_refusal_is_the_taxii_routes_own_error_message(api: TestClient,
                                                               keys: Keys) -> None:
    answer = api.get("/taxii2/?next=%00", headers=keys.curator_a)
    expected = taxii_error(400, "Invalid request", NUL)
    assert answer.status_code == 400
    assert answer.content == expected.body
    assert answer.headers["content-type"] == expected.media_type
    assert answer.headers["x-request-id"]


def test_an_api_refusal_is_the_problem_the_handlers_send(api: TestClient, keys: Keys) -> None:
    answer = api.get("/api/v1/signals?status=%00", headers=keys.curator_a)
    request_id = answer.headers["x-request-id"]
    expected = problem_at("/api/v1/signals", request_id, 400, "Invalid request", NUL)
    assert answer.status_code == 400 and answer.content == expected.body
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["content-length"]) == len(expected.body)
