"""TAXII 2.1 at ``/taxii2/``: discovery, API root, collections, objects, manifest, versions,
status. Thin: each route parses the request and calls ``accord.exchange.taxii.service``.

Authentication: ``Authorization: Bearer <api key>``, or HTTP Basic with the
member's username and an API key as the password (what TAXII clients send).
Errors on these routes are TAXII error messages (``application/taxii+json``),
not problem+json; their status comes from the same table as the API's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import i18n
from accord.api.deps import keys_of, node_of, request_locale
from accord.errors import (
    AccordError,
    Invalid,
    NotAcceptable,
    TooLarge,
    Unauthorized,
    UnsupportedMediaType,
    http_status,
    trimmed,
)
from accord.exchange.taxii import MEDIA_TYPE_TAXII, service
from accord.exchange.taxii.pages import (
    PageQuery,
    parse_cursor,
    parse_note_cursor,
    parse_timestamp,
)
from accord.sharing.roles import Actor

PREFIX = "/taxii2"
_PREFIX = PREFIX
_DEFAULT_LIMIT = 1000


def taxii_error(status: int, title: str, description: str) -> Response:
    """A TAXII 2.1 error message."""
    body = {"title": title, "description": description, "http_status": str(status)}
    headers = {"WWW-Authenticate": 'Basic realm="accord", Bearer'} if status == 401 else None
    return Response(orjson.dumps(body), status_code=status, media_type=MEDIA_TYPE_TAXII,
                    headers=headers)


class TaxiiRoute(APIRoute):
    """A route whose errors are TAXII error messages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except AccordError as error:
                locale = request_locale(request)
                message, hint = error.localized(locale)
                detail = message if hint is None else f"{message} ({hint})"
                response = taxii_error(http_status(error), error.title, detail)
                response.headers["Content-Language"] = i18n.html_lang(locale)
                return response
            except RequestValidationError as error:
                return taxii_error(400, "Invalid request", str(error.errors()[:1]))
            except StarletteHTTPException as error:
                return taxii_error(error.status_code, str(error.detail), str(error.detail))

        return guarded


# TAXII is specified by OASIS, not by this app's OpenAPI document (whose errors are
# problem+json); docs/federation.md lists the routes.
router = APIRouter(prefix=_PREFIX, tags=["taxii"], route_class=TaxiiRoute,
                   include_in_schema=False)


def _actor(request: Request) -> Actor:
    keys = keys_of(request)
    header = request.headers.get("authorization")
    if header and header.lower().startswith("basic "):
        try:
            user, _, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("the Basic credentials cannot be decoded") from None
        actor = keys.actor(f"Bearer {secret}")
        if actor.name != user.strip().lower():
            raise Unauthorized("the API key does not belong to that username")
        return actor
    return keys.actor(header)


def _check_accept(request: Request) -> None:
    accept = request.headers.get("accept", "*/*").lower()
    if "taxii+json" not in accept and "*/*" not in accept and "application/*" not in accept:
        raise NotAcceptable("this server answers application/taxii+json;version=2.1")


def _check_content_type(request: Request) -> None:
    """TAXII 2.1 "Add Objects": an envelope is ``application/taxii+json;version=2.1`` (a missing
    version parameter means the latest, 2.1); anything else is refused with 415."""
    media, *parameters = request.headers.get("content-type", "").lower().split(";")
    version = next((value.strip().strip('"') for name, _, value in
                    (p.partition("=") for p in parameters) if name.strip() == "version"),
                   "2.1")
    if media.strip() != "application/taxii+json" or version != "2.1":
        sent = trimmed(request.headers.get("content-type", "nothing"))
        raise UnsupportedMediaType("an envelope sent as {content_type} cannot be read",
                                   hint="send it as {media_type_taxii}", content_type=sent,
                                   media_type_taxii=MEDIA_TYPE_TAXII)


def _reply(body: dict[str, Any], headers: dict[str, str] | None = None,
           status: int = 200) -> Response:
    # Pages of thousands of indicators: orjson encodes them several times faster.
    return Response(orjson.dumps(body), status_code=status,
                    media_type=MEDIA_TYPE_TAXII, headers=headers)


def _list(request: Request, name: str) -> frozenset[str] | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    return frozenset(v.strip() for value in values for v in value.split(",") if v.strip())


def _query(request: Request) -> PageQuery:
    params = request.query_params
    raw_limit = params.get("limit", str(_DEFAULT_LIMIT)) or str(_DEFAULT_LIMIT)
    # TAXII 2.1 (query parameters): limit is a positive integer; 0 is refused, never "every object".
    if not (raw_limit.isascii() and raw_limit.isdigit()) or len(raw_limit) > 10 \
            or not 1 <= int(raw_limit) <= 10**9:
        raise Invalid("limit {raw_limit!r} is not a positive whole number",
                      hint="limit is the most objects one page may hold: 1 or more",
                      raw_limit=raw_limit[:20])
    versions = _list(request, "match[version]")
    return PageQuery(limit=int(raw_limit),
                     after=parse_cursor(params.get("next")),
                     after_notes=parse_note_cursor(params.get("next")),
                     added_after=parse_timestamp(params.get("added_after"), "added_after"),
                     types=_list(request, "match[type]"), ids=_list(request, "match[id]"),
                     versions=tuple(sorted(versions)) if versions else ("last",),
                     spec_versions=_list(request, "match[spec_version]"))


@router.get("/")
def discovery(request: Request) -> Response:
    """TAXII discovery: where the API root is."""
    _check_accept(request)
    _actor(request)
    return _reply(service.discovery(str(request.url_for("discovery"))))


@router.get("/api/")
def api_root(request: Request) -> Response:
    """The API root: TAXII version and the largest envelope accepted."""
    _check_accept(request)
    _actor(request)
    return _reply(service.api_root(node_of(request).settings))


@router.get("/api/collections/")
def collections(request: Request) -> Response:
    """The collections the caller's partner may read (one per TLP scope and channel)."""
    _check_accept(request)
    node = node_of(request)
    return _reply(service.list_collections(node.db, _actor(request), node.settings))


@router.get("/api/collections/{collection_id}/")
def collection(collection_id: str, request: Request) -> Response:
    """One collection."""
    _check_accept(request)
    node = node_of(request)
    return _reply(service.get_collection(node.db, _actor(request), node.settings,
                                         collection_id))


@router.get("/api/collections/{collection_id}/objects/")
def get_objects(collection_id: str, request: Request) -> Response:
    """A page of objects: ``limit``, ``next``, ``added_after``, ``match[...]``."""
    _check_accept(request)
    node = node_of(request)
    answer = service.get_objects(node.db, _actor(request), node.settings, collection_id,
                                 _query(request))
    return _reply(answer.body, answer.headers)


@router.post("/api/collections/{collection_id}/objects/", status_code=202)
async def add_objects(collection_id: str, request: Request) -> Response:
    """Add objects (an envelope) to a collection the caller may write; a status resource."""
    _check_accept(request)
    _check_content_type(request)
    node = node_of(request)
    actor = _actor(request)
    limit = node.settings.taxii_max_envelope_bytes
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge("the envelope is over the limit of {limit:,} bytes",
                           hint="send fewer objects per request", limit=limit)
        chunks.append(chunk)
    body = await run_in_threadpool(service.add_objects, node.db, actor, node.settings,
                                   collection_id, b"".join(chunks))
    return _reply(body, status=202)


@router.get("/api/collections/{collection_id}/objects/{object_id}/")
def get_object(collection_id: str, object_id: str, request: Request) -> Response:
    """One object of a collection."""
    _check_accept(request)
    node = node_of(request)
    answer = service.get_object(node.db, _actor(request), node.settings, collection_id,
                                object_id, _query(request))
    return _reply(answer.body, answer.headers)


@router.get("/api/collections/{collection_id}/objects/{object_id}/versions/")
def object_versions(collection_id: str, object_id: str, request: Request) -> Response:
    """The versions of one object."""
    _check_accept(request)
    node = node_of(request)
    answer = service.get_versions(node.db, _actor(request), node.settings, collection_id,
                                  object_id)
    return _reply(answer.body, answer.headers)


@router.get("/api/collections/{collection_id}/manifest/")
def get_manifest(collection_id: str, request: Request) -> Response:
    """The manifest of a page of objects."""
    _check_accept(request)
    node = node_of(request)
    answer = service.get_manifest(node.db, _actor(request), node.settings, collection_id,
                                  _query(request))
    return _reply(answer.body, answer.headers)


@router.get("/api/status/{status_id}/")
def get_status(status_id: str, request: Request) -> Response:
    """The outcome of an earlier POST."""
    _check_accept(request)
    node = node_of(request)
    return _reply(service.get_status(node.db, _actor(request), status_id))


@router.delete("/api/collections/{collection_id}/objects/{object_id}/")
def delete_object(collection_id: str, object_id: str, request: Request) -> Response:
    """TAXII 2.1 "Delete An Object", refused: a signal is withdrawn by a revoked
    version, never deleted."""
    _check_accept(request)
    node = node_of(request)
    service.delete_object(node.db, _actor(request), node.settings, collection_id, object_id)


_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.api_route("/{rest:path}", methods=_METHODS)
def unrouted(rest: str, request: Request) -> Response:
    """Whatever no route above answers, still as TAXII: 405 (with ``Allow``) for a
    known resource, a redirect to its ``/`` form as Starlette would give, else 404."""
    path = request.url.path
    allowed = sorted({method for route in router.routes
                      if isinstance(route, APIRoute) and route.endpoint is not unrouted
                      and route.path_regex.match(path) for method in route.methods or ()})
    if allowed:
        response = taxii_error(405, "Method not allowed",
                               f"{request.method} is not served at {trimmed(path)}")
        response.headers["Allow"] = ", ".join(allowed)
        return response
    if not path.endswith("/") and any(
            isinstance(route, APIRoute) and route.endpoint is not unrouted
            and route.path_regex.match(path + "/") for route in router.routes):
        return RedirectResponse(request.url.replace(path=path + "/"), status_code=307)
    return taxii_error(404, "Not found", f"no TAXII resource at {trimmed(path)}")

