"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from accord import __version__
from accord.api import problems
from accord.api.fastpath import FastRoutes
from accord.api.middleware import RequestContext
from accord.api.routers import (
    cooperation,
    curation,
    exchange,
    health,
    incidents,
    matching,
    reference,
    review,
    taxii,
)
from accord.api.state import ApiState
from accord.config import Settings
from accord.store.database import Database
from accord.store.schema import require_current
from accord.web import mount as web


def create_app(settings: Settings | None = None) -> FastAPI:
    """An Accord API for one node; the match index loads when the app starts."""
    settings = settings or Settings()
    state = ApiState(settings, Database(settings.resolved_database_url()))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        require_current(state.db)
        state.start()
        # What the worker has loaded (modules, the match engine's tables) lives as
        # long as it does: keep it out of the cyclic collector's passes, which a
        # 10,000-query batch triggers many times. Undone when the app stops. (No
        # gc.collect() first: it costs a full pass each time an app starts, which
        # the test suite does hundreds of times; cyclic garbage frozen here is
        # collectable again after unfreeze.)
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            app.state.accord_web.stop()
            state.stop()

    app = FastAPI(title="Accord", version=__version__, lifespan=lifespan,
                  description="Share, match and review hashes of known terrorist content.")
    app.state.accord = state
    problems.install(app)
    for module in (health, matching, curation, reference, review, cooperation, incidents):
        app.include_router(module.router)
    app.include_router(exchange.router)
    app.include_router(taxii.router)
    web.install(app, state)
    described = {"/api/v1/match": next(r for r in matching.router.routes
                                       if getattr(r, "path", "") == "/api/v1/match")}
    app.add_middleware(FastRoutes, routes={("POST", "/api/v1/match"): matching.match_one},
                       described=described)
    app.add_middleware(RequestContext, json_limit=settings.api_max_body_bytes,
                       upload_limit=settings.max_file_bytes + 1024 * 1024)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


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
    """Every ``/api/v1`` operation takes an API key as a bearer token; health and
    metrics are open (a load balancer calls them)."""
    document["components"].setdefault("securitySchemes", {})["apiKey"] = {
        "type": "http", "scheme": "bearer",
        "description": "An Accord API key (`accord key create USER`), sent as "
                       "`Authorization: Bearer <key>`. The member's role decides what "
                       "the key may do."}
    for path, path_item in document.get("paths", {}).items():
        if path.startswith("/api/"):
            for operation in path_item.values():
                operation["security"] = [{"apiKey": []}]
