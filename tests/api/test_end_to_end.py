"""End to end over real HTTP: a platform matches an agency's image, reviews it, and its
webhook receiver gets a correctly signed decision; an outsider sees nothing."""

from __future__ import annotations

import io
import json
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import numpy as np
import pytest
import uvicorn
from PIL import Image

from accord.app import create_app
from accord.config import Settings
from accord.review.signing import verify_signature
from tests.api.conftest import Keys


@pytest.fixture
def server(settings: Settings, keys: Keys) -> Iterator[str]:
    """The API served by uvicorn on a free loopback port."""
    # Verdict events wait for the undo window: one second here, not the default 30.
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.1, review_undo_seconds=1)
    config = uvicorn.Config(create_app(fast), host="127.0.0.1", port=0, log_level="error",
                            lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[tuple[dict[str, str], bytes]]]]:
    """A webhook receiver on loopback; deliveries land in a queue."""
    inbox: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            inbox.put((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", inbox
    httpd.shutdown()
    httpd.server_close()


def _image() -> bytes:
    pixels = (np.random.default_rng(11).random((48, 48, 3)) * 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels.repeat(8, 0).repeat(8, 1)).save(out, format="PNG")
    return out.getvalue()


def _until(fetch: object, seconds: float = 5.0) -> object:
    deadline = time.monotonic() + seconds
    while True:
        value = fetch()  # type: ignore[operator]
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_share_match_review_and_a_signed_webhook(
    server: str, keys: Keys,
    receiver: tuple[str, queue.Queue[tuple[dict[str, str], bytes]]],
) -> None:
    hook_url, inbox = receiver
    image = _image()
    with httpx2.Client(base_url=server, timeout=30) as http:
        # Agency A curates: hash its image and share the PDQ in the AMBER channel with B.
        hashed = http.post("/api/v1/hash", headers=keys.curator_a,
                           files={"file": ("poster.png", image, "image/png")}).json()
        pdq = next(s["value"] for s in hashed["signals"] if s["signal_type"] == "pdq")
        added = http.post("/api/v1/banks/a-images/signals", headers=keys.curator_a, json={
            "signal_type": "pdq", "value": pdq, "labels": ["content:poster"]})
        assert added.status_code == 201, added.text

        # Platform B registers a webhook, then matches an upload under its own reference.
        created = http.post("/api/v1/webhooks", headers=keys.admin_b,
                            json={"url": hook_url, "events": ["verdict.confirmed"]}).json()
        secret = created["secret"]
        upload = http.post("/api/v1/hash", headers=keys.reviewer_b,
                           files={"file": ("u.png", image, "image/png")}).json()
        b_pdq = next(s["value"] for s in upload["signals"] if s["signal_type"] == "pdq")
        query = {"signal_type": "pdq", "value": b_pdq, "content_ref": "upload-7f3a"}
        result = _until(lambda: http.post("/api/v1/match", headers=keys.reviewer_b,
                                          json=query).json().get("match_ids"))
        assert isinstance(result, list) and len(result) >= 1

        # B's reviewer works the queue and confirms.
        [item] = [m for m in http.get("/api/v1/review/queue", headers=keys.reviewer_b).json()
                  if m["content_ref"] == "upload-7f3a"][:1]
        assert item["labels"] == ["content:poster"] and item["distance"] == 0
        assert http.post(f"/api/v1/matches/{item['id']}/claim",
                         headers=keys.reviewer_b).status_code == 200
        verdict = http.post(f"/api/v1/matches/{item['id']}/verdict", headers=keys.reviewer_b,
                            json={"decision": "confirm", "rationale": "same poster"})
        assert verdict.status_code == 201, verdict.text

        # Partner C has no access: matches nothing, lists nothing, queues nothing.
        c_match = http.post("/api/v1/match", headers=keys.admin_c,
                            json={"signal_type": "pdq", "value": b_pdq}).json()
        assert c_match["matches"] == []
        assert http.get("/api/v1/signals", headers=keys.admin_c).json()["signals"] == []
        assert http.get("/api/v1/review/queue", headers=keys.admin_c).json() == []

    headers, body = inbox.get(timeout=15)
    event = json.loads(body)
    assert headers["X-Accord-Event"] == "verdict.confirmed"
    assert verify_signature(secret, headers["X-Accord-Timestamp"],
                            headers["X-Accord-Signature"], body)
    assert not verify_signature("wrong-secret", headers["X-Accord-Timestamp"],
                                headers["X-Accord-Signature"], body)
    assert "upload-7f3a" in body.decode() and image not in body
    assert event
