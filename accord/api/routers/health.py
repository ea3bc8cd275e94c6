"""Liveness and readiness (no authentication), and Prometheus metrics for the operator.

``/metrics`` tells of node-wide activity (request rates, index sizes), RED and
AMBER+STRICT included, so it is not for partners: it answers a client on this
host (a loopback address, with no proxy's forwarding header), a scraper sending
``ACCORD_METRICS_TOKEN`` as its bearer token, or anyone when
``ACCORD_METRICS_PUBLIC`` is on. Others get 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from accord.api.deps import NodeDep
from accord.api.metrics import update_index_gauges
from accord.config import Settings
from accord.errors import PartnerUnavailable, PermissionDenied

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(node: NodeDep) -> dict[str, object]:
    """The database answers and the match index is loaded (else a 503 problem)."""
    node.db.check_reachable()
    engine = node.engine
    if engine is None:
        raise PartnerUnavailable("the match index is still loading")
    return {"status": "ready", "index": engine.size(), "cursor": engine.cursor,
            "pid": os.getpid()}


_FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def _may_read_metrics(request: Request, settings: Settings) -> bool:
    if settings.metrics_public:
        return True
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    host = request.client.host if request.client is not None else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    return local and not any(h in request.headers for h in _FORWARDED)


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(request: Request, node: NodeDep) -> Response:
    """Prometheus text format: request counts and latencies, index sizes (the operator's:
    this host's clients, or ACCORD_METRICS_TOKEN)."""
    if not _may_read_metrics(request, node.settings):
        raise PermissionDenied("/metrics is for the node operator",
                               hint="scrape it from this host, or send ACCORD_METRICS_TOKEN "
                                    "as a bearer token")
    update_index_gauges(node)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
