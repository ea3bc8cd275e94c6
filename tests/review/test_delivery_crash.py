"""``kill -9`` of the server in the middle of a webhook delivery run loses no event.

The delivery worker leases a webhook's run before posting it; a server killed while
posting leaves the lease to run out (the test moves the lease's end back rather than
waiting it out), and the restarted server delivers every event, in the order queued.
Delivery is at least once: the event being posted when the server died may arrive twice,
with the same ``X-Accord-Delivery`` id, which receivers de-duplicate on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx2
from sqlalchemy import select

from accord import audit
from accord.config import Settings
from accord.review import webhooks
from accord.review.delivery import DeliveryPolicy
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.web.server import _free_port, seed_node

EVENTS = 5


class _SlowReceiver(BaseHTTPRequestHandler):
    """Answers 200 after a pause, recording each delivery id as it arrives."""

    arrived: ClassVar[list[str]] = []
    answered: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        delivery = self.headers.get("X-Accord-Delivery", "")
        type(self).arrived.append(delivery)
        time.sleep(1.0)
        try:
            self.send_response(200)
            self.end_headers()
            type(self).answered.append(delivery)
        except OSError:  # the sender died meanwhile
            pass

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve(url: str, home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ACCORD_HOME": str(home), "ACCORD_OUTBOUND_ALLOW": "127.0.0.1",
           "ACCORD_WEBHOOK_TIMEOUT_SECONDS": "2"}
    process = subprocess.Popen([sys.executable, "-m", "accord", "--db", url, "serve",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx2.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)


def _delivered(db: Database) -> int:
    with db.reader() as session:
        return session.query(m.Delivery).filter_by(status="delivered").count()


def _lease_runs_out(db: Database) -> None:
    """The dead server's lease on the run (up to 22 s with a 2 s timeout) runs out: its
    pending deliveries' next attempts, pushed past the lease, move back by the lease's
    length, as if the test had waited it out."""
    lease = DeliveryPolicy(timeout_s=2).lease(EVENTS)
    with db.transaction() as session:
        pending = session.scalars(select(m.Delivery).filter_by(status="pending")).all()
        assert pending and all(d.next_attempt_at is not None
                               and d.next_attempt_at > m.utcnow() for d in pending)  # leased
        for delivery in pending:
            assert delivery.next_attempt_at is not None
            delivery.next_attempt_at -= lease


def test_a_server_killed_while_delivering_delivers_every_event_after_restart(
    database_url: str, tmp_path: Path
) -> None:
    seed_node(database_url)
    db = Database(database_url)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _SlowReceiver)
    _SlowReceiver.arrived, _SlowReceiver.answered = [], []
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook, _ = webhooks.webhook_add(db, Actor.operator(), f"http://127.0.0.1:"
                                   f"{receiver.server_port}/hook", ["*"], partner="Platform B",
                                   settings=Settings(outbound_allow=("127.0.0.1",)))
    queued = [webhooks.webhook_test(db, Actor.operator(), hook.id).id for _ in range(EVENTS)]

    port = _free_port()
    first = _serve(database_url, tmp_path / "home", port)
    deadline = time.monotonic() + 30
    while len(_SlowReceiver.arrived) < 2:  # mid-run: one answered, the next being posted
        assert time.monotonic() < deadline, "no delivery started"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert _delivered(db) < EVENTS
    _lease_runs_out(db)

    second = _serve(database_url, tmp_path / "home", port)
    try:
        deadline = time.monotonic() + 60
        while _delivered(db) < EVENTS:
            assert time.monotonic() < deadline, f"only {_delivered(db)} of {EVENTS} delivered"
            time.sleep(0.1)
    finally:
        second.terminate()
        second.wait(30)
        receiver.shutdown()
        receiver.server_close()
    answered = [int(d) for d in dict.fromkeys(_SlowReceiver.answered)]  # first answer each
    assert answered == sorted(queued)  # every event, in the order queued
    assert audit.verify(db).ok
    db.dispose()
