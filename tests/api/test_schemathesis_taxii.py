"""Property-based: every TAXII 2.1 route, fed generated data, as real members.

The TAXII routes are not in the node's OpenAPI document (TAXII has its own
specification), so this test describes them in a small OpenAPI document of its own,
taken from the TAXII 2.1 specification's endpoints and filters, and lets
schemathesis generate requests: query filters of every type (``added_after``,
``limit``, ``next``, ``match[...]``), object ids, status ids, envelopes with
arbitrary JSON. Whatever it sends, the server must never answer 5xx, and every
error must be a TAXII error message (``application/taxii+json``, with a ``title``),
as TAXII clients expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error

from accord.app import create_app
from accord.config import Settings
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from tests.api.conftest import Keys

_TEXT = {"type": "string", "maxLength": 300}
_FILTERS: list[dict[str, Any]] = [
    {"name": "added_after", "in": "query", "schema": _TEXT},
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "next", "in": "query", "schema": _TEXT},
    {"name": "match[id]", "in": "query", "schema": _TEXT},
    {"name": "match[type]", "in": "query", "schema": _TEXT},
    {"name": "match[version]", "in": "query", "schema": _TEXT},
    {"name": "match[spec_version]", "in": "query", "schema": _TEXT},
]
_COLLECTION = {"name": "collection_id", "in": "path", "required": True, "schema": _TEXT}
_OBJECT = {"name": "object_id", "in": "path", "required": True, "schema": _TEXT}
_ANSWER = {"default": {"description": "a TAXII resource or error message"}}
_ENVELOPE = {"required": True, "content": {MEDIA_TYPE_TAXII: {"schema": {
    "type": "object", "properties": {"objects": {"type": "array", "maxItems": 5, "items": {
        "type": "object"}}, "more": {"type": "boolean"}}}}}}
ROOT = "/taxii2/api/collections/{collection_id}"
TAXII_DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Accord TAXII 2.1 routes", "version": "2.1"},
    "paths": {
        "/taxii2/": {"get": {"responses": _ANSWER}},
        "/taxii2/api/": {"get": {"responses": _ANSWER}},
        "/taxii2/api/collections/": {"get": {"responses": _ANSWER}},
        f"{ROOT}/": {"get": {"parameters": [_COLLECTION], "responses": _ANSWER}},
        f"{ROOT}/objects/": {
            "get": {"parameters": [_COLLECTION, *_FILTERS], "responses": _ANSWER},
            "post": {"parameters": [_COLLECTION], "requestBody": _ENVELOPE,
                     "responses": _ANSWER}},
        f"{ROOT}/objects/{{object_id}}/": {
            "get": {"parameters": [_COLLECTION, _OBJECT, *_FILTERS], "responses": _ANSWER},
            "delete": {"parameters": [_COLLECTION, _OBJECT, *_FILTERS[3:]],
                       "responses": _ANSWER}},
        f"{ROOT}/objects/{{object_id}}/versions/": {
            "get": {"parameters": [_COLLECTION, _OBJECT, *_FILTERS], "responses": _ANSWER}},
        f"{ROOT}/manifest/": {
            "get": {"parameters": [_COLLECTION, *_FILTERS], "responses": _ANSWER}},
        "/taxii2/api/status/{status_id}/": {"get": {"parameters": [
            {"name": "status_id", "in": "path", "required": True, "schema": _TEXT}],
            "responses": _ANSWER}},
    },
}
schemathesis.serializer.alias(MEDIA_TYPE_TAXII, "application/json")
schema = schemathesis.openapi.from_dict(TAXII_DOCUMENT)


@pytest.fixture
def app(settings: Settings, keys: Keys) -> Iterator[FastAPI]:
    yield create_app(Settings(home=settings.home, database_url=settings.database_url,
                              refresh_interval_seconds=0.05))


@pytest.fixture
def collection(settings: Settings, keys: Keys) -> str:
    """The id of a collection the members may read and write (the "ab" channel's), read
    through another app over the same database (an app's node starts once)."""
    with TestClient(create_app(settings)) as client:
        listed = client.get("/taxii2/api/collections/",
                            headers={**keys.curator_a, "Accept": MEDIA_TYPE_TAXII}).json()
    return next(c["id"] for c in listed["collections"] if c["can_write"])


def taxii_error_messages(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every 4xx is a TAXII error message: ``application/taxii+json`` with a title."""
    if not 400 <= response.status_code < 500:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith(MEDIA_TYPE_TAXII), (
        f"{response.status_code} answered as {content_type!r}, not a TAXII error message")
    assert response.json().get("title"), response.text


@pytest.mark.parametrize("member", ["curator_a", "reviewer_b"])
@schema.parametrize()
@settings(max_examples=15, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_taxii_route_answers_5xx_or_a_non_taxii_error(
    case: Case, app: FastAPI, keys: Keys, collection: str, member: str
) -> None:
    if case.path_parameters and "collection_id" in case.path_parameters:
        case.path_parameters["collection_id"] = collection  # aim at a real collection
    case.headers = {**(case.headers or {}), **getattr(keys, member),
                    "Accept": MEDIA_TYPE_TAXII}
    response = case.call(app=app)
    for check in (not_a_server_error, taxii_error_messages):
        case.validate_response(response, checks=[check])
    assert response.status_code != 401, "the member's key was not sent"
