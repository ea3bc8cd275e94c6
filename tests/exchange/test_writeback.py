"""Write-back: reviewers' verdicts and partners' disputes on signals pulled from
ThreatExchange go back to it as reactions, through python-threatexchange's own client, to
a local server speaking the Graph API's reacting; opt-in per peer, audited, retried, dead
after N attempts, and carrying only the descriptor id and the reaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accord import audit
from accord.app import create_app
from accord.config import Settings
from accord.curation import banks, opinions, signals
from accord.curation.writeback import upstream_ids
from accord.errors import Invalid
from accord.exchange import peers, sync, writeback
from accord.matching.service import MatchedSignal
from accord.review import service as review
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import CliRun
from tests.exchange.pytx_servers import (
    PRIVACY_GROUP,
    TOKEN,
    StopNCIIServer,
    ThreatExchangeServer,
    descriptor_id,
    ncii_page,
    serving,
    te_update,
)
from tests.exchange.test_exchange_peers import pdq

OP = Actor.operator()
LATER = dt.timedelta(hours=2)  # past every backoff step of these tests


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    found = service.member_add(db, OP, partner, username, role)
    return Actor(found.username, found.partner_id, Role(found.role), found.id)


class Node:
    """Platform B pulls GIFCT's privacy group into its bank ``gifct`` (GREEN); its
    reviewer decides matches; Agency A disputes signals."""

    def __init__(self, db: Database, settings: Settings, te: ThreatExchangeServer) -> None:
        self.db, self.te = db, te
        # Verdicts announce at once (no undo window) unless a test says otherwise.
        self.settings = settings.replace(review_undo_seconds=0)
        service.partner_add(db, OP, "Platform B", "platform", "IE")
        service.partner_add(db, OP, "Agency A", "agency", "FR")
        banks.bank_add(db, OP, "gifct", "Platform B", default_tlp="GREEN")
        banks.bank_add(db, OP, "own", "Platform B", default_tlp="GREEN")
        self.reviewer = _member(db, "Platform B", "bob", "reviewer")
        self.reader = _member(db, "Platform B", "ben", "reader")
        self.admin = _member(db, "Platform B", "bo", "admin")
        self.agency = _member(db, "Agency A", "ada", "curator")

    def add_peer(self, name: str = "gifct", *, write_back: bool = True) -> None:
        given = peers.ExchangePeerSettings(
            exchange="fb_threatexchange", collab=json.dumps({"privacy_group": PRIVACY_GROUP}),
            credentials_env="ACCORD_TEST_TX_TOKEN", endpoint=self.te.url + "/v", tlp="GREEN")
        peers.exchange_peer_add(self.db, OP, name, given, bank="gifct", settings=self.settings)
        if write_back:
            writeback.peer_write_back_set(self.db, OP, name, True)

    def signal(self, value: str) -> int:
        (found,) = [s for s in signals.signal_list(self.db, OP, bank="gifct") if s.value == value]
        return found.id

    def decide(self, value: str, decision: str, *, ref: str = "upload-7f3a",
               false_positive: bool = False) -> int:
        """A platform upload matched ``value``; the reviewer decides it. The match id."""
        sid = self.signal(value)
        [rec] = review.record_matches(self.db, self.reader, ref, [
            MatchedSignal(sid, "pdq", value, 3, "gifct", (), "GREEN", False)])
        review.decide(self.db, self.reviewer, rec.id, decision,
                      "news report quoting the video" if decision == "reject" else "",
                      self.settings, false_positive=false_positive)
        return rec.id

    def sync(self) -> sync.SyncReport:
        return sync.sync_peer(self.db, self.settings, "gifct")

    def opinions(self, name: str = "gifct") -> list[writeback.OpinionRecord]:
        return list(reversed(writeback.peer_opinions(self.db, OP, name)))


@pytest.fixture
def node(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[Node]:
    monkeypatch.setenv("ACCORD_TEST_TX_TOKEN", TOKEN)
    backend = ThreatExchangeServer()
    backend.updates = [te_update(pdq(1), 100), te_update(pdq(2), 110), te_update(pdq(3), 120)]
    with serving(backend):
        yield Node(db, settings, backend)


def _events(db: Database, action: audit.AuditAction) -> list[dict[str, object]]:
    return [e.details for e in audit.recent(db, limit=500) if e.action == action.value]


def test_a_confirmed_match_reaches_threatexchange_once_as_saw_this_too(node: Node) -> None:
    node.add_peer()
    node.sync()
    node.decide(pdq(1), "confirm")
    assert [o.state for o in node.opinions()] == ["pending"]
    report = node.sync()
    assert report.error is None and report.written_back == 1
    [sent] = node.te.reactions
    assert (sent.descriptor_id, sent.reaction) == (descriptor_id(pdq(1)), "SAW_THIS_TOO")
    assert sent.form == {"reactions": "SAW_THIS_TOO"}  # the opinion and nothing else
    [done] = node.opinions()
    assert (done.state, done.attempts, done.kind) == ("delivered", 1, "true_positive")
    assert done.upstream_id == str(descriptor_id(pdq(1))) and done.delivered_at
    node.sync()  # delivered once: a later sync sends nothing again
    node.decide(pdq(1), "confirm", ref="upload-second")  # nor a second confirm of it
    node.sync()
    assert len(node.te.reactions) == 1
    assert [d["kind"] for d in _events(node.db, audit.AuditAction.EXCHANGE_OPINION_QUEUED)] \
        == ["true_positive"]
    assert len(_events(node.db, audit.AuditAction.EXCHANGE_OPINION_DELIVERED)) == 1


def test_rejects_and_disputes_go_back_in_order_carrying_no_content_or_people(
        node: Node) -> None:
    node.add_peer()
    node.sync()
    node.decide(pdq(1), "confirm")
    node.decide(pdq(2), "reject", ref="upload-secret-ref", false_positive=True)
    opinions.opinion_set(node.db, node.agency, node.signal(pdq(3)), "disagree",
                         "the label looks wrong to us", node.settings)
    assert node.sync().written_back == 3
    assert [(r.descriptor_id, r.reaction) for r in node.te.reactions] == [
        (descriptor_id(pdq(1)), "SAW_THIS_TOO"), (descriptor_id(pdq(2)), "DISAGREE_WITH_TAGS"),
        (descriptor_id(pdq(3)), "DISAGREE_WITH_TAGS")]
    assert [o.kind for o in node.opinions()] == ["true_positive", "false_positive", "disputed"]
    sent = "\n".join(r.raw for r in node.te.reactions)
    for private in ("upload-7f3a", "upload-secret-ref", "news report", "label looks wrong",
                    "bob", "ada", "Platform B", "Agency A", pdq(1), pdq(2)):
        assert private not in sent
    trail = json.dumps(_events(node.db, audit.AuditAction.EXCHANGE_OPINION_QUEUED))
    assert "news report" not in trail and "upload-secret-ref" not in trail


def test_a_500_is_retried_after_the_backoff_and_then_delivered(node: Node) -> None:
    node.add_peer()
    node.sync()
    node.decide(pdq(1), "confirm")
    node.decide(pdq(2), "confirm", ref="other")
    node.te.fail_reactions = 1
    report = node.sync()
    assert (report.write_back_failed, report.written_back) == (1, 1)
    first, second = node.opinions()
    assert (first.state, first.attempts) == ("failed", 1)
    assert first.last_error == "ThreatExchange did not confirm the reaction"
    assert "unknown error" not in (first.last_error or "")  # never the response body
    assert TOKEN.partition("|")[2] not in json.dumps(
        _events(node.db, audit.AuditAction.EXCHANGE_OPINION_FAILED))
    assert first.next_attempt_at and first.next_attempt_at > m.utcnow()
    assert second.state == "delivered"  # another record's opinion does not wait
    assert "write-back" in (peers.peer_list(node.db, OP)[0].last_error or "")
    node.sync()  # before its next attempt is due: nothing sent
    assert len(node.te.reactions) == 1
    done = writeback.deliver(node.db, node.settings, "gifct", now=m.utcnow() + LATER)
    assert done.delivered == 1
    assert [(o.state, o.attempts) for o in node.opinions()] == [("delivered", 2),
                                                                ("delivered", 1)]


def test_after_n_failures_an_opinion_is_dead_and_a_later_one_on_it_goes_on(
        node: Node) -> None:
    node.settings = node.settings.replace(writeback_max_attempts=2)
    node.add_peer()
    node.sync()
    node.decide(pdq(1), "confirm")
    opinions.opinion_set(node.db, node.agency, node.signal(pdq(1)), "disagree", "",
                         node.settings)
    node.te.fail_reactions = 2
    node.sync()
    assert [o.state for o in node.opinions()] == ["failed", "pending"]  # in order: it waits
    done = writeback.deliver(node.db, node.settings, "gifct", now=m.utcnow() + LATER)
    assert (done.dead, done.delivered) == (1, 0)  # the later one still waits behind it
    assert [o.state for o in node.opinions()] == ["dead", "pending"]
    writeback.deliver(node.db, node.settings, "gifct", now=m.utcnow() + LATER)
    assert [o.state for o in node.opinions()] == ["dead", "delivered"]
    assert [r.reaction for r in node.te.reactions] == ["DISAGREE_WITH_TAGS"]
    [dead] = _events(node.db, audit.AuditAction.EXCHANGE_OPINION_DEAD)
    assert dead["attempts"] == 2 and dead["kind"] == "true_positive"
    assert ("dead", 1) in peers.peer_list(node.db, OP)[0].opinions


def test_nothing_is_sent_while_write_back_is_off_nor_for_a_signal_from_elsewhere(
        node: Node) -> None:
    node.add_peer(write_back=False)
    node.sync()
    node.decide(pdq(1), "confirm")
    own = signals.signal_add(node.db, OP, "own", signals.SignalInput("pdq", pdq(9)),
                             node.settings)
    [rec] = review.record_matches(node.db, node.reader, "up-2", [
        MatchedSignal(own.id, "pdq", own.value, 0, "own", (), "GREEN", False)])
    review.decide(node.db, node.reviewer, rec.id, "confirm", "", node.settings)
    node.sync()
    assert node.opinions() == [] and node.te.reactions == []
    writeback.peer_write_back_set(node.db, OP, "gifct", True)
    review.decide(node.db, node.reviewer, review.record_matches(
        node.db, node.reader, "up-3", [MatchedSignal(own.id, "pdq", own.value, 0, "own", (),
                                                     "GREEN", False)])[0].id, "confirm", "",
        node.settings)
    node.sync()
    assert node.te.reactions == []  # our own signal came from no exchange


def test_an_undone_verdict_is_never_sent(node: Node) -> None:
    node.settings = node.settings.replace(review_undo_seconds=60)
    node.add_peer()
    node.sync()
    match = node.decide(pdq(1), "confirm")
    node.sync()  # held for the undo window
    assert node.te.reactions == [] and node.opinions()[0].state == "pending"
    review.undo(node.db, node.reviewer, match, node.settings)
    writeback.deliver(node.db, node.settings, "gifct", now=m.utcnow() + LATER)
    assert node.te.reactions == [] and node.opinions()[0].state == "cancelled"


def test_a_dry_run_sends_nothing(node: Node) -> None:
    node.add_peer()
    node.sync()
    node.decide(pdq(1), "confirm")
    sync.sync_peer(node.db, node.settings, "gifct", dry_run=True)
    assert node.te.reactions == [] and node.opinions()[0].state == "pending"


def test_write_back_is_refused_where_the_api_takes_no_opinions(
        db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    banks.bank_add(db, OP, "b", "Platform B")
    listed = settings.home / "list.txt"
    listed.parent.mkdir(parents=True, exist_ok=True)
    listed.write_text("")
    peers.exchange_peer_add(db, OP, "files", peers.ExchangePeerSettings(
        exchange="local_file", collab=json.dumps({"filename": str(listed)})), bank="b",
        settings=settings)
    peers.peer_add(db, OP, "http://127.0.0.1:9/taxii2/", "c1", bank="b", name="node-a",
                   settings=settings.replace(outbound_allow=("127.0.0.1",)))
    with pytest.raises(Invalid, match="local file is not a source that takes opinions"):
        writeback.peer_write_back_set(db, OP, "files", True)
    with pytest.raises(Invalid, match="TAXII peer: write-back is for exchange peers"):
        writeback.peer_write_back_set(db, OP, "node-a", True)
    assert writeback.peer_write_back_set(db, OP, "files", False).write_back is False
    with db.reader() as session:
        assert not any(session.execute(select(m.Peer.write_back)).scalars())


def test_the_cli_switches_write_back_and_lists_the_opinions(
        node: Node, cli: CliRun) -> None:
    url = node.settings.database_url
    node.add_peer(write_back=False)
    assert cli("peer", "set", "gifct", "--write-back", db_url=url).stdout.strip() == \
        "Peer gifct: write-back on."
    node.sync()
    node.decide(pdq(1), "confirm")
    assert "wrote back 1 opinion(s)." in cli("sync", "gifct", db_url=url).stdout
    listed = cli("peer", "list", db_url=url).stdout
    assert "on (1 delivered)" in listed
    shown = cli("peer", "opinions", "gifct", db_url=url).stdout
    assert "true_positive" in shown and "delivered" in shown
    assert str(descriptor_id(pdq(1))) in shown
    off = cli("peer", "set", "gifct", "--no-write-back", db_url=url)
    assert off.exit_code == 0 and "write-back off" in off.stdout
    assert [d["write_back"] for d in _events(node.db, audit.AuditAction.PEER_WRITE_BACK)] \
        == [False, True]  # newest first


def test_the_api_switches_write_back_and_lists_the_opinions(node: Node) -> None:
    node.add_peer(write_back=False)
    key = service.key_create(node.db, OP, "bo").secret
    outsider = _member(node.db, "Agency A", "aga", "admin")
    other = service.key_create(node.db, OP, outsider.name).secret
    with TestClient(create_app(node.settings), raise_server_exceptions=False) as api:
        auth = {"Authorization": f"Bearer {key}"}
        on = api.patch("/api/v1/peers/gifct", json={"write_back": True}, headers=auth)
        assert on.status_code == 200 and on.json()["write_back"] is True
        node.sync()
        node.decide(pdq(1), "confirm")
        node.sync()
        [listed] = api.get("/api/v1/peers", headers=auth).json()
        assert listed["opinions"] == {"delivered": 1}
        [one] = api.get("/api/v1/peers/gifct/opinions", headers=auth).json()
        assert (one["kind"], one["state"], one["attempts"]) == ("true_positive",
                                                                 "delivered", 1)
        hidden = api.get("/api/v1/peers/gifct/opinions",
                         headers={"Authorization": f"Bearer {other}"})
        missing = api.get("/api/v1/peers/nope/opinions", headers=auth)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["detail"].replace("gifct", "X") == \
            missing.json()["detail"].replace("nope", "X")
        bad = api.patch("/api/v1/peers/gifct", json={"write_back": "maybe"}, headers=auth)
        assert bad.status_code == 422


@pytest.fixture
def ncii(node: Node) -> Iterator[StopNCIIServer]:
    backend = StopNCIIServer(pages=[ncii_page([pdq(1), pdq(2)], next_time=1000)])
    with serving(backend):
        yield backend


def _add_ncii(node: Node, ncii: StopNCIIServer, *, feedback_key: bool = True) -> None:
    keys = node.settings.home / "ncii-keys"
    keys.parent.mkdir(parents=True, exist_ok=True)
    # pytx's StopNCII format on the first line; the SubmitFeedback key on the next one.
    keys.write_text("fetch-key,sub-key\n" + ("submit_feedback_key=feedback-key\n"
                                               if feedback_key else ""))
    peers.exchange_peer_add(node.db, OP, "ncii", peers.ExchangePeerSettings(
        exchange="stop_ncii", credentials_file=str(keys), endpoint=ncii.url), bank="gifct",
        settings=node.settings)


def test_stopncii_gets_csp_feedback_for_verdicts_with_the_hash_and_nothing_else(
        node: Node, ncii: StopNCIIServer) -> None:
    _add_ncii(node, ncii)
    writeback.peer_write_back_set(node.db, OP, "ncii", True)
    assert sync.sync_peer(node.db, node.settings, "ncii").added == 2
    node.decide(pdq(1), "confirm")
    node.decide(pdq(2), "reject", ref="upload-secret-ref")
    ncii.fail_feedbacks = 1
    first = sync.sync_peer(node.db, node.settings, "ncii")
    assert (first.written_back, first.write_back_failed) == (1, 1)
    assert [o.last_error for o in node.opinions("ncii")] == ["the peer answered HTTP 500",
                                                             None]
    writeback.deliver(node.db, node.settings, "ncii", now=m.utcnow() + LATER)
    assert ncii.feedbacks == [
        {"hashValue": pdq(2), "feedbackValue": "NotBlocked", "tags": []},
        {"hashValue": pdq(1), "feedbackValue": "Blocked", "tags": []}]
    assert [(o.kind, o.state) for o in node.opinions("ncii")] == [
        ("true_positive", "delivered"), ("false_positive", "delivered")]
    sent = "\n".join(ncii.raw_feedbacks)
    assert "upload-secret-ref" not in sent and "news report" not in sent and "bob" not in sent


def test_stopncii_write_back_needs_its_feedback_key(node: Node, ncii: StopNCIIServer) -> None:
    _add_ncii(node, ncii, feedback_key=False)
    with pytest.raises(Invalid, match="needs the SubmitFeedback function key"):
        writeback.peer_write_back_set(node.db, OP, "ncii", True)
    assert sync.sync_peer(node.db, node.settings, "ncii").error is None  # the fetch is as before


def test_the_upstream_ids_are_other_members_descriptors_or_else_the_record_key() -> None:
    def record(*opinions: dict[str, object]) -> m.ExchangeRecord:
        return m.ExchangeRecord(record_key="HASH_PDQ:ab", opinions=list(opinions))

    theirs = {"is_mine": False, "descriptor_id": 41}
    ours = {"is_mine": True, "descriptor_id": 42}
    reaction_only = {"is_mine": False, "descriptor_id": -1}  # an implicit (reaction) opinion
    assert upstream_ids(record(theirs, ours, theirs, reaction_only)) == ["41"]
    assert upstream_ids(record(ours, reaction_only)) == []  # nothing of theirs to react to
    assert upstream_ids(record({"is_mine": False, "owner": "csp-a"})) == ["HASH_PDQ:ab"]
