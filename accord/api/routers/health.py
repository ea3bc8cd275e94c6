"""Liveness, readiness and Prometheus metrics (no authentication)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from accord.api.deps import StateDep
from accord.api.problems import problem

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(state: StateDep) -> dict[str, object] | Response:
    """The database answers and the match index is loaded."""
    from starlette.requests import Request

    try:
        state.db.check_reachable()
    except Exception as exc:  # any failure means not ready
        return problem(Request({"type": "http", "path": "/readyz", "headers": []}), 503,
                       "Not ready", str(exc))
    engine = state.engine
    return {"status": "ready", "index": engine.size() if engine else {},
            "cursor": engine.cursor if engine else None, "pid": os.getpid()}


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(state: StateDep) -> Response:
    """Prometheus text format: request counts and latencies, index sizes."""
    from accord.api.metrics import update_index_gauges

    update_index_gauges(state)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
