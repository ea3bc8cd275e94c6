"""A peer that sends garbage, stalls, fails or sends bad objects: the run stops (or skips
the bad objects), the peer row says why, and the cursor never passes what was stored."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.exchange import peers, sync
from accord.exchange.stix_common import EXTENSION_ID
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing import service
from tests.federation.nodes import OP, Node, sqlite_node

GOOD = {"type": "indicator", "spec_version": "2.1",
        "id": "indicator--11111111-1111-4111-8111-111111111111",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
        "pattern": "[file:hashes.MD5 = '" + "1" * 32 + "']", "pattern_type": "stix",
        "valid_from": "2026-01-01T00:00:00Z"}
FIRST_PAGE = (200, MEDIA_TYPE_TAXII, json.dumps({"more": True, "next": "page-2",
                                                  "objects": [GOOD]}), 0.0)


@dataclass
class FakePeer:
    """A TAXII server whose objects endpoint answers from a script, one reply per call."""

    replies: list[tuple[int, str, str, float]]
    calls: int = 0
    url: str = ""
    seen_params: list[str] = field(default_factory=list)


def _handler(peer: FakePeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, kind: str, body: str, delay: float = 0.0) -> None:
            if delay:
                time.sleep(delay)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-TAXII-Date-Added-Last", "2026-01-01T00:00:00.000Z")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/taxii2/":
                self._send(200, MEDIA_TYPE_TAXII, json.dumps({"api_roots": [peer.url + "/api/"]}))
            elif path == "/api/collections/":
                self._send(200, MEDIA_TYPE_TAXII, json.dumps({"collections": [{
                    "id": "c1", "title": "c", "can_read": True, "can_write": False,
                    "media_types": ["application/stix+json;version=2.1"]}]}))
            elif path == "/api/collections/c1/objects/":
                peer.seen_params.append(self.path.partition("?")[2])
                reply = peer.replies[min(peer.calls, len(peer.replies) - 1)]
                peer.calls += 1
                self._send(*reply)
            else:
                self._send(404, MEDIA_TYPE_TAXII, "{}")

    return Handler


@pytest.fixture
def node(sqlite_template: Path, tmp_path: Path) -> Iterator[Node]:
    b = sqlite_node("node-b", sqlite_template, tmp_path / "b")
    b.settings = Settings(home=b.settings.home, database_url=b.settings.database_url,
                          node_id="node-b", sync_timeout_seconds=1.0,
                          taxii_max_envelope_bytes=4096)
    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "inbox", "Platform B", default_tlp="AMBER")
    yield b
    b.db.dispose()


@pytest.fixture
def fake() -> Iterator[FakePeer]:
    peer = FakePeer(replies=[FIRST_PAGE])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    peer.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield peer
    server.shutdown()
    server.server_close()


def _sync(node: Node, fake: FakePeer) -> tuple[sync.SyncReport, peers.PeerRecord]:
    if not peers.peer_list(node.db, OP):
        peers.peer_add(node.db, OP, fake.url + "/taxii2/", "c1", bank="inbox", name="fake",
                   settings=node.settings)
    report = sync.sync_peer(node.db, node.settings, "fake")
    (row,) = peers.peer_list(node.db, OP)
    return report, row


@pytest.mark.parametrize(("reply", "reason"), [
    ((200, MEDIA_TYPE_TAXII, "{{{ not json", 0.0), "not JSON"),
    ((200, "text/html", "<html>hello</html>", 0.0), "Content-Type"),
    ((500, MEDIA_TYPE_TAXII, "{}", 0.0), "HTTP 500"),
    ((200, MEDIA_TYPE_TAXII, json.dumps({"more": False, "objects": []}), 2.5), "in time"),
    ((200, MEDIA_TYPE_TAXII, json.dumps({"objects": ["x" * 5000]}), 0.0), "more than 4,096"),
    ((200, MEDIA_TYPE_TAXII, json.dumps([1, 2]), 0.0), "not a TAXII envelope"),
    ((200, MEDIA_TYPE_TAXII, json.dumps({"objects": "many"}), 0.0), "not a list"),
], ids=["garbage", "html", "error", "stall", "oversize", "list", "objects-not-list"])
def test_a_bad_page_stops_the_run_records_why_and_holds_the_cursor(
        node: Node, fake: FakePeer, reply: tuple[int, str, str, float], reason: str) -> None:
    fake.replies = [FIRST_PAGE, reply]
    report, row = _sync(node, fake)
    assert report.error is not None and reason in report.error
    assert row.state == "failed" and row.last_error is not None and reason in row.last_error
    assert sync.Cursor.load(row.cursor).next == "page-2"  # the first page, stored
    assert [s.value for s in signals.signal_list(node.db, OP, bank="inbox")] == ["1" * 32]
    assert fake.calls == 2  # tried once, never looped on

    fake.replies, fake.calls = [(200, MEDIA_TYPE_TAXII, json.dumps({"more": False}), 0.0)], 0
    report, row = _sync(node, fake)
    assert report.error is None and row.state == "ok"
    assert fake.seen_params[-1].endswith("next=page-2")  # resumed where the stored data ends


def test_bad_objects_are_refused_by_id_and_the_rest_of_the_page_is_stored(
        node: Node, fake: FakePeer) -> None:
    bad_pattern = {**GOOD, "id": "indicator--22222222-2222-4222-8222-222222222222",
                   "pattern": "[file:hashes.MD5 = 'nothex']"}
    no_pattern = {k: v for k, v in GOOD.items() if k != "pattern"}
    no_pattern["id"] = "indicator--33333333-3333-4333-8333-333333333333"
    envelope = {"more": False, "objects": [GOOD, bad_pattern, no_pattern, 5,
                                           {"type": "x-unknown", "id": "x-unknown--1"}]}
    fake.replies = [(200, MEDIA_TYPE_TAXII, json.dumps(envelope), 0.0)]
    report, row = _sync(node, fake)
    assert report.error is None and row.state == "ok"
    assert (report.added, report.refused, report.ignored) == (1, 3, 1)
    assert row.last_error is not None and bad_pattern["id"] in row.last_error
    assert [s.value for s in signals.signal_list(node.db, OP, bank="inbox")] == ["1" * 32]


def test_a_peer_that_claims_more_pages_without_a_new_cursor_is_not_looped_on(
        node: Node, fake: FakePeer) -> None:
    fake.replies = [(200, MEDIA_TYPE_TAXII, json.dumps({"more": True, "next": "same",
                                                        "objects": [GOOD]}), 0.0)]
    report, row = _sync(node, fake)
    assert fake.calls == 2
    assert report.error is None and any("no new cursor" in n for n in report.notes)
    assert row.last_error is not None and "no new cursor" in row.last_error


def test_dry_run_shows_what_would_move_and_writes_nothing(node: Node, fake: FakePeer) -> None:
    fake.replies = [(200, MEDIA_TYPE_TAXII, json.dumps({"more": False, "objects": [
        GOOD, {**GOOD, "id": "indicator--44444444-4444-4444-8444-444444444444",
               "revoked": True}]}), 0.0)]
    peers.peer_add(node.db, OP, fake.url + "/taxii2/", "c1", bank="inbox", name="fake",
                   settings=node.settings)
    report = sync.sync_peer(node.db, node.settings, "fake", dry_run=True)
    assert (report.added, report.retracted) == (1, 1)
    (row,) = peers.peer_list(node.db, OP)
    assert row.state == "new" and row.cursor is None
    assert signals.signal_list(node.db, OP, bank="inbox") == []


def _mixed_page() -> str:
    """A page with something of every kind: new, quarantined, revoked, repeated, refused,
    ignored."""
    quarantined = {**GOOD, "id": "indicator--77777777-7777-4777-8777-777777777777",
                   "pattern": "[file:hashes.MD5 = '" + "7" * 32 + "']"}
    quarantined["extensions"] = {EXTENSION_ID: {
        "extension_type": "property-extension", "signal_type": "md5", "value": "7" * 32,
        "status": "quarantined"}}
    return json.dumps({"more": False, "objects": [
        GOOD, {**GOOD, "id": "indicator--88888888-8888-4888-8888-888888888888",
               "pattern": "[file:hashes.MD5 = '" + "8" * 32 + "']"},
        quarantined, {**GOOD, "id": "indicator--44444444-4444-4444-8444-444444444444",
                      "revoked": True, "modified": "2026-01-02T00:00:00.000Z"},
        {**GOOD, "id": "indicator--99999999-9999-4999-8999-999999999999"},  # already there
        {**GOOD, "id": "indicator--22222222-2222-4222-8222-222222222222",
         "pattern": "[file:hashes.MD5 = 'nothex']"},
        {"type": "identity", "id": "identity--11111111-1111-4111-8111-111111111111"}]})


def test_a_dry_run_reports_what_the_real_run_does_and_changes_nothing(
        node: Node, fake: FakePeer) -> None:
    fake.replies = [(200, MEDIA_TYPE_TAXII, _mixed_page(), 0.0)]
    peers.peer_add(node.db, OP, fake.url + "/taxii2/", "c1", bank="inbox", name="fake",
                   settings=node.settings)
    events = audit.count(node.db)

    rehearsed = sync.sync_peer(node.db, node.settings, "fake", actor=OP, dry_run=True)
    assert rehearsed.dry_run and rehearsed.error is None
    assert audit.count(node.db) == events  # none, not even the request: so no index change
    (row,) = peers.peer_list(node.db, OP)
    assert (row.state, row.cursor, row.pulled) == ("new", None, 0)
    assert [s.status for status in ("active", "quarantined", "retracted")
            for s in signals.signal_list(node.db, OP, bank="inbox", status=status)] == []

    fake.calls = 0
    real = sync.sync_peer(node.db, node.settings, "fake")
    assert (real.added, real.quarantined, real.retracted, real.refused) != (0, 0, 0, 0)
    assert asdict(rehearsed) == {**asdict(real), "dry_run": True}


def test_objects_the_stix_library_chokes_on_are_refused_by_id(node: Node,
                                                              fake: FakePeer) -> None:
    bad_extensions = {**GOOD, "id": "indicator--55555555-5555-4555-8555-555555555555",
                      "extensions": 5}
    bad_markings = {**GOOD, "id": "indicator--66666666-6666-4666-8666-666666666666",
                    "object_marking_refs": 5}
    fake.replies = [(200, MEDIA_TYPE_TAXII, json.dumps(
        {"more": False, "objects": [bad_extensions, bad_markings, GOOD]}), 0.0)]
    report, row = _sync(node, fake)
    assert report.error is None and row.state == "ok"
    assert (report.added, report.refused) == (1, 2)
    assert row.last_error is not None and bad_extensions["id"] in row.last_error


def test_an_unexpected_failure_fails_that_peer_only_and_the_others_still_sync(
        node: Node, fake: FakePeer, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("first", "second"):
        peers.peer_add(node.db, OP, fake.url + "/taxii2/", "c1", bank="inbox", name=name,
                       settings=node.settings)
    real = sync.ingest_objects
    calls: list[str] = []

    def breaks_once(*args: object, **kwargs: object) -> object:
        calls.append(str(kwargs["source"]))
        if len(calls) == 1:
            raise AttributeError("'int' object has no attribute 'items'")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync, "ingest_objects", breaks_once)
    reports = sync.sync_all(node.db, node.settings)
    assert [(r.peer, r.error is None) for r in reports] == [("first", False), ("second", True)]
    assert reports[0].error is not None and "AttributeError" in reports[0].error
    states = {p.name: p.state for p in peers.peer_list(node.db, OP)}
    assert states == {"first": "failed", "second": "ok"}
    assert [e.action for e in audit.recent(node.db, actors=["sync:first"])] == ["peer.sync"]


def _page(more: bool, objects: list[object], next_: str | None = None
          ) -> tuple[int, str, str, float]:
    body: dict[str, object] = {"more": more, "objects": objects}
    if next_ is not None:
        body["next"] = next_
    return 200, MEDIA_TYPE_TAXII, json.dumps(body), 0.0


def _params(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query))


SECOND = {**GOOD, "id": "indicator--22222222-1111-4111-8111-111111111111",
          "pattern": "[file:hashes.MD5 = '" + "2" * 32 + "']"}
REFUSED = (400, MEDIA_TYPE_TAXII, json.dumps({"title": "next not valid"}), 0.0)
EDGE = "2025-12-31T23:59:59.999Z"  # a millisecond before the fake's date_added


def test_a_next_the_peer_forgets_mid_run_resumes_once_from_added_after(
        node: Node, fake: FakePeer) -> None:
    fake.replies = [_page(True, [GOOD], "n1"), REFUSED, _page(False, [GOOD, SECOND])]
    report, row = _sync(node, fake)
    assert report.error is None and row.state == "ok", report
    assert any("refused our 'next'" in n for n in report.notes)
    assert [_params(p) for p in fake.seen_params] == [
        {"limit": "5000"}, {"limit": "5000", "next": "n1"},
        {"limit": "5000", "added_after": EDGE}]
    assert {s.value for s in signals.signal_list(node.db, OP, bank="inbox")} == {
        "1" * 32, "2" * 32}

    fake.replies, fake.calls = [_page(True, [SECOND], "n2"), REFUSED], 0
    fake.seen_params.clear()
    report, row = _sync(node, fake)
    assert report.error is not None and "HTTP 400" in report.error  # once a run, no loop
    assert fake.calls == 3


def test_a_saved_next_is_sent_again_only_with_the_filter_of_its_query(
        node: Node, fake: FakePeer) -> None:
    fake.replies = [_page(False, [GOOD])]
    assert _sync(node, fake)[0].error is None
    fake.replies, fake.calls = [_page(True, [GOOD], "n2"), (500, MEDIA_TYPE_TAXII, "{}", 0.0)], 0
    report, row = _sync(node, fake)
    assert report.error is not None and "HTTP 500" in report.error
    assert _params(fake.seen_params[-1]) == {"limit": "5000", "added_after": EDGE,
                                             "next": "n2"}
    assert sync.Cursor.load(row.cursor).query == EDGE
    fake.replies, fake.calls = [_page(False, [SECOND])], 0
    report, row = _sync(node, fake)
    assert report.error is None and report.added == 1
    assert _params(fake.seen_params[-1]) == {"limit": "5000", "added_after": EDGE,
                                             "next": "n2"}
