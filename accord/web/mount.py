"""Adds the web UI to the node's app: the page groups and ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord.node import Node
from accord.web.pages import MODULES
from accord.web.state import STATIC, WebState


def install(app: FastAPI, node: Node) -> WebState:
    """Serve the UI at ``/`` beside the API, over the same node; the app's lifespan
    calls the returned state's ``stop`` before the node's."""
    web = app.state.accord_web = WebState.build(node)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in MODULES:
        app.include_router(module.router)
    return web
