"""Liveness, readiness and Prometheus metrics (no authentication)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from accord.api.deps import StateDep
from accord.api.metrics import update_index_gauges
from accord.errors import PartnerUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(state: StateDep) -> dict[str, object]:
    """The database answers and the match index is loaded (else a 503 problem)."""
    state.db.check_reachable()
    engine = state.engine
    if engine is None:
        raise PartnerUnavailable("the match index is still loading")
    return {"status": "ready", "index": engine.size(), "cursor": engine.cursor,
            "pid": os.getpid()}


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(state: StateDep) -> Response:
    """Prometheus text format: request counts and latencies, index sizes."""
    update_index_gauges(state)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
