"""Bugs the schemathesis run found: each answered 5xx, or an error the document did not describe."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.api.test_api import problem

TOO_BIG = [2**31, 2**63]  # past PostgreSQL's INTEGER, and past SQLite's 64-bit integer


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize("path", [
    "/api/v1/signals/{n}", "/api/v1/signals/{n}/opinions", "/api/v1/matches/{n}",
    "/api/v1/webhooks/{n}/deliveries", "/api/v1/signals?after={n}",
    "/api/v1/review/queue?after={n}",
])
def test_an_id_past_the_integer_range_is_invalid_not_a_server_error(
    api: TestClient, keys: Keys, path: str, number: int
) -> None:
    body = problem(api.get(path.format(n=number), headers=keys.reviewer_b), 422)
    assert "less than or equal to 2147483647" in str(body["detail"])


@pytest.mark.parametrize("url", [
    "/api/v1/signals?status=%00", "/api/v1/signals?label=a%00b",
    "/api/v1/signals?bank=a%00", "/api/v1/entities/qde%00",
])
def test_a_nul_in_the_url_is_refused_before_it_reaches_the_database(
    api: TestClient, keys: Keys, url: str
) -> None:
    response = api.get(url, headers=keys.curator_a)
    assert "NUL" in str(problem(response, 400)["detail"])


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/banks", {"name": "b-images", "description": "a\u0000b"}),
    ("/api/v1/webhooks", {"url": "https://example.org/hook", "events": ["*", "\u0000"]}),
    ("/api/v1/match", {"signal_type": "md5", "value": "a" * 32, "content_ref": "\u0000"}),
])
def test_a_nul_in_a_json_body_is_invalid_on_every_backend(
    api: TestClient, keys: Keys, path: str, body: dict[str, object]
) -> None:
    response = api.post(path, headers=keys.curator_a, json=body)
    assert "NUL" in str(problem(response, 422)["detail"])


def test_the_openapi_document_describes_errors_as_problem_details(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert {"title", "status", "detail"} <= set(
        document["components"]["schemas"]["Problem"]["required"])
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for code in ("4XX", "5XX", *(["422"] if "422" in operation["responses"] else [])):
                content = operation["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)


def test_the_openapi_document_describes_metrics_and_the_import_body(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert list(paths["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    imported = paths["/api/v1/banks/{bank}/signals/import"]["post"]["requestBody"]
    assert set(imported["content"]) == {"text/csv", "application/x-ndjson"}
