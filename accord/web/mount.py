"""Adds the web UI to the FastAPI app: the page groups and ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord.api.state import ApiState
from accord.web.pages import MODULES
from accord.web.state import STATIC, WebState


def install(app: FastAPI, state: ApiState) -> None:
    """Serve the UI at ``/`` beside the API, sharing its database and match engine."""
    app.state.accord_web = WebState.build(state)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in MODULES:
        app.include_router(module.router)
