"""``accord serve --workers 2``: every worker sees a change within a second."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import pytest

from accord.config import Settings
from accord.curation import signals
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(settings: Settings, keys: Keys) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "ACCORD_HOME": str(settings.home),
           "ACCORD_REFRESH_INTERVAL_SECONDS": "0.2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "--db", str(settings.database_url), "serve",
         "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(url + "/readyz", timeout=1).status_code == 200:
                break
        except httpx2.TransportError:
            pass
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "accord serve did not become ready"
        time.sleep(0.2)
    time.sleep(1.0)  # let the second worker finish loading too
    yield url
    process.terminate()
    process.wait(timeout=30)
    if process.stderr:
        process.stderr.close()


def test_a_new_signal_is_matched_by_every_worker_within_a_second(
    served: str, keys: Keys, db: Database, settings: Settings
) -> None:
    value = "9" * 32
    query = {"signal_type": "md5", "value": value}
    signals.signal_add(db, Actor.operator(), "a-images", signals.SignalInput("md5", value),
                       settings)
    added = time.monotonic()
    time.sleep(1.0)
    for _ in range(30):  # a fresh connection each time, so requests spread over workers
        with httpx2.Client(base_url=served, timeout=5) as http:
            response = http.post("/api/v1/match", headers=keys.reviewer_b, json=query)
            assert len(response.json()["matches"]) == 1, response.text
    assert time.monotonic() - added < 10


def test_the_server_runs_on_uvicorns_fast_http_parser_and_event_loop() -> None:
    """Installed with Accord (pinned), so ``accord serve`` never falls back to h11, which
    answered a keep-alive client ten times slower (40 ms per request of delayed ACKs)."""
    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    async def app(scope: object, receive: object, send: object) -> None: ...

    config = Config(app=app)  # the settings `accord serve` leaves at uvicorn's "auto"
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    import uvloop  # noqa: F401  # the loop "auto" picks when it is installed
