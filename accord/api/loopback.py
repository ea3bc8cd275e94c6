"""Serve a node's API on 127.0.0.1 from a thread of this process (demos and scenarios).

Starting a thread is much faster than an ``accord serve`` process and needs no
free terminal; the server is the same app ``accord serve`` runs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from accord.api.app import create_app
from accord.config import Settings
from accord.errors import PartnerUnavailable

START_TIMEOUT_SECONDS = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_on_loopback(settings: Settings) -> Iterator[str]:
    """Serve the node of ``settings`` on 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name=f"accord-loopback-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise PartnerUnavailable(f"the node API on 127.0.0.1:{port} did not start",
                                     hint="see the log above; is the database reachable?")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
