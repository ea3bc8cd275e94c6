"""The node's one ASGI app: the API and the web UI side by side over one ``Node``.

``create_app`` is what ``accord serve`` runs (as a uvicorn factory): it builds
the node, lets each edge install itself (``accord.api.app.install``,
``accord.web.mount.install``; neither imports the other), and owns the
lifespan: the node starts once when the app starts and stops once when it
stops. ``serve_on_loopback`` runs the same app from a thread, for demos.
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import uvicorn
from fastapi import FastAPI

from accord import __version__
from accord.api import app as api
from accord.api.middleware import SecurityHeaders
from accord.config import Settings
from accord.errors import PartnerUnavailable
from accord.node import Node
from accord.store.schema import require_current
from accord.web import mount as web

START_TIMEOUT_SECONDS = 60


def create_app(settings: Settings | None = None) -> FastAPI:
    """An Accord node's app; its match index loads when the app starts."""
    node = Node(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        require_current(node.db)
        node.start()
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
            ui.stop()
            node.stop()

    # docs_url/redoc_url None: FastAPI's pages load their scripts from a CDN; the API
    # serves its own /docs from package files (accord.api.docs).
    app = FastAPI(title="Accord", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Share, match and review hashes of known terrorist content.")
    api.install(app, node)
    ui = web.install(app, node)
    app.add_middleware(SecurityHeaders)
    return app


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_on_loopback(settings: Settings) -> Iterator[str]:
    """Serve the node of ``settings`` on 127.0.0.1 from a thread until the block ends;
    yields its base URL. Much faster than an ``accord serve`` process, and the same app."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name=f"accord-loopback-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise PartnerUnavailable("the node API on 127.0.0.1:{port} did not start",
                                     hint="see the log above; is the database reachable?",
                                     port=port)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
