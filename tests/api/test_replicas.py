"""Three ``accord serve`` replicas on one PostgreSQL, behind a loopback round-robin.

The scale-out deployment (docs/deployment.md): every replica serves the whole API
from the shared database and keeps its own match index, refreshed from the store every
``ACCORD_REFRESH_INTERVAL_SECONDS`` (0.25 s by default, used here). What a partner
does on one replica holds on the others: a new signal is matchable everywhere within
1 s, a retraction or quarantine stops matching everywhere within 1 s, a crisis due to
expire is expired once, and each webhook event is delivered once although every
replica runs a delivery worker. The audit chain that three processes wrote verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx2
import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.review.signing import HEADER_DELIVERY, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.tools.roundrobin import round_robin
from tests.web.server import seed_node, serve

OP = Actor.operator()
REPLICAS = 3
WITHIN_S = 1.0


@dataclass
class Cluster:
    db: Database
    replicas: list[str]
    balancer: str
    served: Counter[int]
    keys: dict[str, dict[str, str]]
    posts: list[tuple[str, bool, dict[str, object]]]  # (delivery id, signed right?, body)


class _Receiver(BaseHTTPRequestHandler):
    posts: ClassVar[list[tuple[str, bool, dict[str, object]]]] = []
    secret: ClassVar[str] = ""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        signed = self.headers.get(HEADER_SIGNATURE) == sign(
            type(self).secret, self.headers.get(HEADER_TIMESTAMP, ""), body)
        type(self).posts.append((self.headers.get(HEADER_DELIVERY, ""), signed,
                                 json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[Cluster]:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database (SQLite is one process's file)")
    seed_node(database_url)
    db = Database(database_url)
    keys = {}
    for partner, username, role in (("Agency A", "cyd", "curator"), ("Platform B", "ben", "reader"),
                                    ("Platform B", "bob", "admin"),
                                    ("Platform B", "bri", "reviewer")):
        sharing.member_add(db, OP, partner, username, role)
        keys[username] = {"Authorization":
                          f"Bearer {sharing.key_create(db, OP, username).secret}"}
    _Receiver.posts = []
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    env = {"ACCORD_REFRESH_INTERVAL_SECONDS": "0.25",  # the default, stated
           "ACCORD_OUTBOUND_ALLOW": "127.0.0.1/32",    # the receiver is on loopback
           "ACCORD_DISPUTE_QUARANTINE_PARTNERS": "1",
           "ACCORD_REVIEW_UNDO_SECONDS": "2"}  # verdict webhooks held 2 s for an undo
    home = tmp_path / "home"  # one configuration folder, as replicas would mount it
    with ExitStack() as stack:
        bases = [stack.enter_context(serve(database_url, home, env=env))
                 for _ in range(REPLICAS)]
        balancer, rr = stack.enter_context(round_robin(bases))
        keys["webhook"] = {"url": f"http://127.0.0.1:{receiver.server_port}/hook"}
        yield Cluster(db, bases, balancer, rr.served, keys, _Receiver.posts)
    receiver.shutdown()
    receiver.server_close()
    db.dispose()


def _match(base: str, key: dict[str, str], value: str) -> list[int]:
    answer = httpx2.post(f"{base}/api/v1/match", headers=key, timeout=10,
                         json={"signal_type": "md5", "value": value})
    assert answer.status_code == 200, answer.text
    return [hit["signal_id"] for hit in answer.json()["matches"]]


def _until(check: Callable[[], bool], limit_s: float) -> float:
    """Seconds until ``check()`` holds (fails past ``limit_s``)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < limit_s, f"not within {limit_s} s"
        time.sleep(0.02)
    return time.monotonic() - start


def test_what_one_replica_changes_is_matchable_everywhere_within_a_second(
    cluster: Cluster
) -> None:
    c = cluster
    reader = c.keys["ben"]
    waits: list[float] = []
    for n, writer in enumerate(c.replicas):  # each replica takes a write in turn
        value = f"{n + 1:x}" * 32
        added = httpx2.post(f"{writer}/api/v1/banks/a-images/signals", headers=c.keys["cyd"],
                            json={"signal_type": "md5", "value": value}, timeout=10)
        assert added.status_code == 201, added.text
        sid = added.json()["id"]
        for other in c.replicas:
            if other != writer:
                waits.append(_until(lambda b=other, v=value, s=sid: s in _match(b, reader, v),
                                    WITHIN_S))
    assert len(waits) == REPLICAS * (REPLICAS - 1)

    # Retraction on replica 1: no replica matches it a second later.
    retracted_value = "1" * 32
    [sid] = _match(c.replicas[0], reader, retracted_value)
    gone = httpx2.post(f"{c.replicas[1]}/api/v1/signals/{sid}/retract", headers=c.keys["cyd"],
                       json={"reason": "superseded"}, timeout=10)
    assert gone.status_code == 200, gone.text
    for base in c.replicas:
        _until(lambda b=base: _match(b, reader, retracted_value) == [], WITHIN_S)

    # A dispute on replica 2 quarantines (one disputing partner suffices here).
    disputed_value = "2" * 32
    [sid] = _match(c.replicas[0], reader, disputed_value)
    disputed = httpx2.post(f"{c.replicas[2]}/api/v1/signals/{sid}/opinions",
                           headers=c.keys["bri"], timeout=10,
                           json={"kind": "disagree", "note": "not propaganda"})
    assert disputed.status_code == 201, disputed.text
    for base in c.replicas:
        _until(lambda b=base: _match(b, reader, disputed_value) == [], WITHIN_S)


def test_behind_the_balancer_every_request_succeeds_and_each_decision_is_delivered_once(
    cluster: Cluster
) -> None:
    c = cluster
    value = "c" * 32
    added = httpx2.post(f"{c.balancer}/api/v1/banks/a-images/signals", headers=c.keys["cyd"],
                        json={"signal_type": "md5", "value": value}, timeout=10)
    assert added.status_code == 201, added.text
    hook = httpx2.post(f"{c.balancer}/api/v1/webhooks", headers=c.keys["bob"], timeout=10,
                       json={"url": c.keys["webhook"]["url"], "events": ["*"]})
    assert hook.status_code == 201, hook.text
    _Receiver.secret = hook.json()["secret"]
    for base in c.replicas:  # every replica's index has it before the traffic starts
        _until(lambda b=base: bool(_match(b, c.keys["ben"], value)), WITHIN_S)
    uploads = 24
    match_ids = []
    for n in range(uploads):  # a new connection each: the balancer spreads them
        answer = httpx2.post(f"{c.balancer}/api/v1/match", headers=c.keys["ben"], timeout=10,
                             json={"signal_type": "md5", "value": value,
                                   "content_ref": f"upload-{n}"})
        assert answer.status_code == 200, answer.text
        match_ids.extend(answer.json()["match_ids"])
    assert len(match_ids) == uploads
    for match_id in match_ids:
        for step, body in (("claim", None), ("verdict", {"decision": "confirm",
                                                         "rationale": "known magazine"})):
            done = httpx2.post(f"{c.balancer}/api/v1/matches/{match_id}/{step}", json=body,
                               headers=c.keys["bri"], timeout=10)
            assert done.status_code in (200, 201), done.text
    assert min(c.served[i] for i in range(REPLICAS)) >= uploads // REPLICAS

    # Every replica runs a delivery worker; each event reaches the receiver once.
    _until(lambda: len(c.posts) >= uploads, 30)
    time.sleep(2.5)  # two more passes of every worker: nothing more arrives
    deliveries = Counter(delivery for delivery, _, _ in c.posts)
    assert len(c.posts) == uploads and max(deliveries.values()) == 1
    assert all(signed for _, signed, _ in c.posts)
    confirmed = sorted(body["data"]["match_id"] for _, _, body in c.posts)  # type: ignore[index]
    assert confirmed == sorted(match_ids)
    assert {body["event"] for _, _, body in c.posts} == {"verdict.confirmed"}
    with c.db.reader() as session:
        rows = session.query(m.Delivery).all()
        assert {(r.status, r.attempts) for r in rows} == {("delivered", 1)}


def test_a_crisis_due_to_expire_is_expired_once_by_the_replicas(
    cluster: Cluster, tmp_path: Path
) -> None:
    c = cluster
    settings = Settings(home=tmp_path / "core",
                        database_url=c.db.engine.url.render_as_string(hide_password=False))
    sharing.channel_add(c.db, OP, "a-only", "Agency A")
    banks.bank_add(c.db, OP, "crisis-bank", "Agency A", channel="a-only")
    service.incident_import(c.db, OP, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2026,3,1,Freedonia,Armed Assault,Business\n"), service.Sharing("Agency A", "GREEN"))
    made = crisis.activate(c.db, OP, settings, 1, "crisis-bank", "ab", ["rapid-spread"])
    with c.db.transaction() as session:  # due a moment ago: every refresher sees it at once
        session.get_one(m.Crisis, made.id).expires_at = m.utcnow() - dt.timedelta(seconds=1)

    def expired() -> bool:
        with c.db.reader() as session:
            return session.get_one(m.Crisis, made.id).expired_at is not None

    _until(expired, 5)
    time.sleep(1.0)  # four more refresher passes on every replica
    expiries = [e for e in audit.events(c.db, object_type="crisis")
                if e.action == "crisis.expire"]
    assert len(expiries) == 1
    report = audit.verify(c.db)
    assert report.ok, report.reason
