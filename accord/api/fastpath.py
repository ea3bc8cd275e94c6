"""The hottest route, served without FastAPI's router and dependency solver.

Every upload on a platform is a ``POST /api/v1/match``. Routing and dependency
solving cost more than the match itself, so this middleware hands that one
path straight to the same handler the router has (``routers.matching.match_one``,
which reads its own body and authenticates itself) and maps errors with the
same table. The route stays registered, so the OpenAPI document describes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.api.problems import error_response

Handler = Callable[[Request], Awaitable[Response]]


class FastRoutes:
    """Serves ``(method, path) -> handler`` pairs directly; everything else passes on."""

    def __init__(self, app: ASGIApp, *, routes: dict[tuple[str, str], Handler],
                 described: dict[str, BaseRoute]) -> None:
        self.app, self.routes, self.described = app, routes, described

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = (self.routes.get((scope["method"], scope["path"]))
                   if scope["type"] == "http" else None)
        if handler is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self.described.get(scope["path"])  # for the metrics' route label
        request = Request(scope, receive)
        try:
            response = await handler(request)
        except Exception as error:
            response = await error_response(request, error)
        await response(scope, receive, send)
