"""Installs the HTTP API on the node's app: routers, error handlers, middleware, OpenAPI.

``accord.app.create_app`` builds the app and the node, and calls ``install``
beside the web UI's; this package never imports the web UI.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from accord.api import docs, problems
from accord.api.auth import KeyCache
from accord.api.fastpath import FastRoutes
from accord.api.middleware import RequestContext
from accord.api.routers import (
    channels,
    cooperation,
    curation,
    exchange,
    health,
    hma,
    incidents,
    labels,
    matching,
    members,
    reference,
    review,
    taxii,
)
from accord.node import Node


def install(app: FastAPI, node: Node) -> None:
    """Serve the API (``/api/v1``, TAXII, health and metrics) over ``node``.

    The key cache is the API's own: it is emptied from the node's change feed.
    """
    keys = KeyCache(node.db, node.settings.api_rate_limit)
    node.listeners.append(keys.on_events)
    app.state.accord_node, app.state.accord_keys = node, keys
    problems.install(app)
    docs.install(app)
    for module in (health, matching, curation, labels, reference, review, members, channels,
                   cooperation, incidents):
        app.include_router(module.router)
    app.include_router(exchange.router)
    app.include_router(taxii.router)
    app.include_router(hma.router)
    described = {path: next(r for r in module.router.routes if getattr(r, "path", "") == path)
                 for module, path in ((matching, "/api/v1/match"), (hma, "/hma/m/lookup"))}
    app.add_middleware(FastRoutes, routes={("POST", "/api/v1/match"): matching.match_one,
                                           ("GET", "/hma/m/lookup"): hma.lookup_fast},
                       described=described)
    app.add_middleware(RequestContext, json_limit=node.settings.api_max_body_bytes,
                       upload_limit=node.settings.max_file_bytes + 1024 * 1024)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document plus the bodies that hot routes parse themselves."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {}).update(
            matching.EXTRA_SCHEMAS)
        problems.document(document)
        _document_security(document)
        app.openapi_schema = document
    return app.openapi_schema


def _document_security(document: dict[str, Any]) -> None:
    """Every ``/api/v1`` and ``/hma`` operation takes an API key as a bearer token; health
    and ``/hma/status`` are open (a load balancer calls them); metrics are the operator's
    (``routers/health.py``)."""
    document["components"].setdefault("securitySchemes", {})["apiKey"] = {
        "type": "http", "scheme": "bearer",
        "description": "An Accord API key (`accord key create USER`), sent as "
                       "`Authorization: Bearer <key>`. The member's role decides what "
                       "the key may do."}
    for path, path_item in document.get("paths", {}).items():
        if path.startswith(("/api/", "/hma/")) and path != "/hma/status":
            for operation in path_item.values():
                operation["security"] = [{"apiKey": []}]
