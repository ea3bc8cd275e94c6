"""A small node for review tests: a contributing agency, two platforms, a local receiver.

Agency A owns three GREEN banks: an ordinary one, one opted into auto-action
and a negative ("known legitimate") one. Platform B records matches and
reviews them, and consents to auto-action of its own matches on UN-listed labels;
Platform C is a bystander that must see none of B's matches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accord.config import Settings
from accord.cooperation import designations
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.entities import service as entities
from accord.matching.service import MatchedSignal
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database


@dataclass(frozen=True)
class ReviewNode:
    """Partners, members and one signal in each of agency A's banks."""

    agency: int
    platform_b: int
    platform_c: int
    curator_a: Actor
    admin_a: Actor
    integrator_b: Actor
    reviewer_b: Actor
    reviewer_b2: Actor
    admin_b: Actor
    reviewer_c: Actor
    plain: MatchedSignal
    auto: MatchedSignal
    legit: MatchedSignal


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = service.member_add(db, Actor.operator(), partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


def _signal(db: Database, actor: Actor, bank: str, value: str, settings: Settings,
            negative: bool = False, labels: tuple[str, ...] = ()) -> MatchedSignal:
    sig = signals.signal_add(db, actor, bank, SignalInput("md5", value, tlp="GREEN",
                                                          labels=labels), settings)
    return MatchedSignal(sig.id, "md5", sig.value, 0, bank, sig.labels, sig.tlp, negative)


@pytest.fixture
def node(db: Database, settings: Settings) -> ReviewNode:
    op = Actor.operator()
    a = service.partner_add(db, op, "Agency A", "agency", "FR")
    b = service.partner_add(db, op, "Platform B", "platform", "IE")
    c = service.partner_add(db, op, "Platform C", "platform", "KE")
    banks.bank_add(db, op, "a-plain", "Agency A", default_tlp="GREEN")
    banks.bank_add(db, op, "a-auto", "Agency A", default_tlp="GREEN", auto_action=True)
    banks.bank_add(db, op, "a-legit", "Agency A", default_tlp="GREEN", negative=True)
    curator = _member(db, "Agency A", "alice", "curator")
    designations.policy_set(db, op, "Platform B", [], allow_auto_action=True)
    # Auto-action needs a label backed by a source the bank owner accepts (default: UN list).
    entities.entity_add(db, op, entities.EntityInput(
        "qde-900", "Example Front", designations=(entities.parse_designation(
            "UN-SC:QDe.900:2015-03-01"),)))
    return ReviewNode(
        a.id, b.id, c.id, curator,
        _member(db, "Agency A", "anna", "admin"),
        _member(db, "Platform B", "b-integration", "reader"),
        _member(db, "Platform B", "bob", "reviewer"),
        _member(db, "Platform B", "bea", "reviewer"),
        _member(db, "Platform B", "bill", "admin"),
        _member(db, "Platform C", "carl", "reviewer"),
        _signal(db, curator, "a-plain", "a" * 32, settings),
        _signal(db, curator, "a-auto", "b" * 32, settings, labels=("entity:qde-900",)),
        _signal(db, curator, "a-legit", "c" * 32, settings, negative=True),
    )


@dataclass
class Received:
    """One request the receiver got: its headers and exact body."""

    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A local HTTP endpoint that records POSTs and answers with ``status``."""

    url: str
    status: int = 200
    requests: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 (a free port), in a thread, for the test."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            box[0].requests.append(Received(dict(self.headers.items()), self.rfile.read(length)))
            self.send_response(box[0].status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/accord"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()
    thread.join(5)
