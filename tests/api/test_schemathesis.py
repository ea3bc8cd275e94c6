"""Property-based: every operation in the OpenAPI document, fed generated data, as real members.

Schemathesis reads the app's own OpenAPI document and generates requests for
every operation: valid ones from the schemas, and invalid ones (wrong types,
missing fields, out-of-range numbers). Whatever it sends, the API must never
answer 5xx, must answer with a documented status in the documented shape, and
must answer every client error as problem+json. Runs are derandomized, so a failure reproduces.

The document is read from an app that is never started (building the document
touches no database); each test then sends its requests to a started app over
a fresh database. ``schemathesis.pytest.from_fixture`` would load it from a
fixture instead, but it sets ``Node._nodeid``, which pytest 9.2 no longer has.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accord.app import create_app
from accord.config import Settings
from tests.api.conftest import Keys

# The bulk import takes JSON lines as a plain string body; send them as text/plain is sent.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = schemathesis.openapi.from_dict(
    create_app(Settings(database_url="sqlite://")).openapi())
# A generated bank name never names the node's bank, so adding and importing signals
# would only ever meet a 404; aim them at the bank that exists.
schema.config.update(parameters={"path.bank": "a-images"})


@pytest.fixture
def app(settings: Settings, keys: Keys) -> Iterator[FastAPI]:
    """An app over a node with partners, members and a shared bank; schemathesis starts it
    on the first request and stops it when the test ends."""
    yield create_app(Settings(home=settings.home, database_url=settings.database_url,
                              refresh_interval_seconds=0.05))


def problem_details_for_client_errors(ctx: CheckContext, response: Response, case: Case
                                      ) -> None:
    """Every 4xx is ``application/problem+json`` with ``status``, ``title`` and ``detail``."""
    if not 400 <= response.status_code < 500:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/problem+json"), (
        f"{response.status_code} answered as {content_type!r}, not problem+json")
    body = response.json()
    assert body["status"] == response.status_code, body
    assert body["title"] and body["detail"], body


@pytest.mark.parametrize("member", ["curator_a", "reviewer_b"])
@schema.parametrize()
# The node (``app`` and its database) is shared by an operation's examples on purpose:
# what one request creates, the next may find, as in real use.
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_operation_answers_5xx_or_a_bare_error(
    case: Case, app: FastAPI, keys: Keys, member: str
) -> None:
    # The document declares bearer auth, so schemathesis makes up a token; send the member's.
    case.headers = {**(case.headers or {}), **getattr(keys, member)}
    response = case.call_and_validate(app=app, checks=[
        not_a_server_error, content_type_conformance, response_headers_conformance,
        response_schema_conformance, status_code_conformance,
        problem_details_for_client_errors])
    assert response.status_code != 401, "the member's key was not sent"
