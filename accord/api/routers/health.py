"""Liveness, readiness and Prometheus metrics (no authentication)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from accord.api.deps import NodeDep
from accord.api.metrics import update_index_gauges
from accord.errors import PartnerUnavailable

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


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(node: NodeDep) -> Response:
    """Prometheus text format: request counts and latencies, index sizes."""
    update_index_gauges(node)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
