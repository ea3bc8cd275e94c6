"""Pure ASGI middleware: request ids, body-size limits, structured logs and metrics."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.api.problems import problem_at
from accord.api.routers.taxii import PREFIX as TAXII_PREFIX
from accord.api.routers.taxii import taxii_error
from accord.review import preview

log = logging.getLogger("accord.api")

REQUESTS = Counter("accord_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("accord_http_request_seconds", "HTTP request latency", ["route"],
                    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5))
UPLOAD_SUFFIXES = ("/file", "/hash", "/import")


class TooLargeBody(Exception):
    """Raised while reading a request body that passes its limit."""


class RequestContext:
    """Gives each request an id (``X-Request-Id``), bounds its body, logs and counts it."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.app, self.json_limit, self.upload_limit = app, json_limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")[:100]
        request_id = given if given.isprintable() and given else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            # PostgreSQL cannot hold NUL in text, and no name or filter needs one.
            await _refuse(scope, send, request_id, 400, "Invalid request",
                          "the URL holds a NUL character (%00), which no name or value may")
            return
        limit = self.upload_limit if path.endswith(UPLOAD_SUFFIXES) else self.json_limit
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, request_id, 413, "Request too large",
                          f"the request body is over the limit of {limit:,} bytes")
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLargeBody
            return message

        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, bounded, send_with_id)
        except TooLargeBody:
            await _refuse(scope, send, request_id, 413, "Request too large",
                          f"the request body is over the limit of {limit:,} bytes")
            status = 413
        finally:
            elapsed = time.perf_counter() - started
            route = _route(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(route).observe(elapsed)
            if status >= 500 or log.isEnabledFor(logging.DEBUG):
                log.log(logging.ERROR if status >= 500 else logging.DEBUG, json.dumps({
                    "request_id": request_id, "method": scope["method"], "path": path,
                    "status": status, "ms": round(elapsed * 1000, 2), "pid": os.getpid()}))


def _route(scope: Scope) -> str:
    route: Any = scope.get("route")
    return getattr(route, "path", "unmatched")


async def _refuse(scope: Scope, send: Send, request_id: str, status: int, title: str,
                  detail: str) -> None:
    """A refusal before any route runs: problem details, or under ``/taxii2/`` a TAXII
    error message (what TAXII clients read), each from the one builder its routes use."""
    response = (taxii_error(status, title, detail) if scope["path"].startswith(TAXII_PREFIX + "/")
                else problem_at(scope["path"], request_id, status, title, detail))
    response.headers["x-request-id"] = request_id
    await send({"type": "http.response.start", "status": status,
                "headers": response.headers.raw})
    await send({"type": "http.response.body", "body": response.body})


# The UI's pages run only the node's own scripts and styles; nothing may frame any answer.
UI_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
             "blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
             "form-action 'self'; frame-ancestors 'none'")
# The API page (/docs, accord.api.docs) runs the node's own Swagger UI files and start-up
# script: nothing inline, nothing from another host; it fetches /openapi.json and, for
# "Try it out", this node's API. Its stylesheet draws icons from data: URLs.
DOCS_PATHS = ("/docs",)
DOCS_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
# Answers that are not HTML pages (JSON, files) run nothing; they still may not be framed.
ANSWER_POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'none'"
# A page may let the browser load images from one more https origin (the review desk's
# previews, from the partner's own content store) by answering a private header
# (accord.review.preview.IMG_ORIGIN_HEADER), removed here: only a plain https origin
# is accepted.
IMG_ORIGIN_HEADER = preview.IMG_ORIGIN_HEADER.encode()
_HTTPS_ORIGIN = re.compile(rb"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
_COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY")]
_HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    """Security headers on every answer: nosniff, no referrer, no framing; on HTML pages
    (the UI's and /docs) a Content-Security-Policy without inline script; HSTS when the
    request came over TLS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k == b"content-type" and v.startswith(b"text/html")
                           for k, v in headers)
                policy = ANSWER_POLICY if not html else DOCS_POLICY if docs else UI_POLICY
                extra = [v for k, v in headers if k == IMG_ORIGIN_HEADER]
                headers = [(k, v) for k, v in headers if k != IMG_ORIGIN_HEADER]
                if policy is UI_POLICY and extra and _HTTPS_ORIGIN.fullmatch(extra[0]):
                    policy = policy.replace("img-src 'self' data: blob:",
                                            f"img-src 'self' data: blob: {extra[0].decode()}")
                headers += [*_COMMON, (b"content-security-policy", policy.encode())]
                if tls:
                    headers.append(_HSTS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
