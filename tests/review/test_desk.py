"""The review desk: verdicts its reviewer may undo for a while, and claims that lapse."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from accord import audit
from accord.config import Settings
from accord.errors import Conflict, NotFound, PermissionDenied
from accord.review import service, webhooks
from accord.review.delivery import DeliveryPolicy
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import Receiver, ReviewNode

FAST = DeliveryPolicy(max_attempts=3, backoff_s=10, timeout_s=2)


def _loopback(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update={"outbound_allow": ("127.0.0.0/8",), **changes})


def _pending(db: Database, node: ReviewNode, ref: str = "ref-1") -> int:
    [rec] = service.record_matches(db, node.integrator_b, ref, [node.plain])
    return rec.id


def _actions(db: Database, match_id: int) -> list[str]:
    return [e.action for e in audit.events(db, object_type="match", object_id=str(match_id))]


# --- undo ---------------------------------------------------------------------------


def test_a_reviewer_undoes_their_verdict_and_the_match_is_back_in_their_hands(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    match_id = _pending(db, node)
    verdict = service.decide(db, node.reviewer_b, match_id, "reject", "news clip", settings)
    assert verdict.undo_until == verdict.created_at + dt.timedelta(seconds=30)
    back = service.undo(db, node.reviewer_b, match_id, settings)
    assert (back.state, back.claimed_by) == ("pending", "bob")
    assert [r.id for r in service.review_queue(db, node.reviewer_b)] == [match_id]
    assert _actions(db, match_id)[-2:] == ["match.decide", "match.undo"]
    # Decided again, the new verdict is the one that counts.
    again = service.decide(db, node.reviewer_b, match_id, "confirm", "", settings)
    assert again.state == "confirmed"


def test_an_undone_verdict_is_never_announced_and_a_kept_one_is_after_the_window(
    db: Database, node: ReviewNode, settings: Settings, receiver: Receiver
) -> None:
    local = _loopback(settings)
    webhooks.webhook_add(db, node.admin_b, receiver.url, ["verdict.rejected",
                                                           "verdict.confirmed"], settings=local)
    undone, kept = _pending(db, node, "ref-1"), _pending(db, node, "ref-2")
    service.decide(db, node.reviewer_b, undone, "reject", "news clip", local)
    verdict = service.decide(db, node.reviewer_b, kept, "confirm", "", local)
    # Inside the window nothing is sent, even to a worker that runs now.
    assert webhooks.deliver_due(db, local, policy=FAST).attempted == 0
    service.undo(db, node.reviewer_b, undone, local)
    assert verdict.undo_until is not None
    after = verdict.undo_until + dt.timedelta(seconds=1)
    report = webhooks.deliver_due(db, local, now=after, policy=FAST)
    assert (report.attempted, report.delivered) == (1, 1)
    [got] = receiver.requests
    assert {k.lower(): v for k, v in got.headers.items()}["x-accord-event"] == \
        "verdict.confirmed"


def test_only_the_reviewer_who_decided_may_undo(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    match_id = _pending(db, node)
    service.decide(db, node.reviewer_b, match_id, "confirm", "", settings)
    with pytest.raises(PermissionDenied, match="only bob, who decided match"):
        service.undo(db, node.reviewer_b2, match_id, settings)
    with pytest.raises(PermissionDenied):
        service.undo(db, node.admin_b, match_id, settings)
    with pytest.raises(NotFound):  # another partner's match answers as a missing one
        service.undo(db, node.reviewer_c, match_id, settings)


def test_undo_is_refused_once_the_window_has_closed(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    short = settings.model_copy(update={"review_undo_seconds": 1})
    match_id = _pending(db, node)
    service.decide(db, node.reviewer_b, match_id, "confirm", "", short)
    time.sleep(1.1)
    with pytest.raises(Conflict, match="can no longer be undone"):
        service.undo(db, node.reviewer_b, match_id, short)
    assert service.match_get(db, node.reviewer_b, match_id).state == "confirmed"


def test_with_undo_off_verdicts_are_announced_at_once_and_cannot_be_undone(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    off = settings.model_copy(update={"review_undo_seconds": 0})
    match_id = _pending(db, node)
    assert service.decide(db, node.reviewer_b, match_id, "confirm", "", off).undo_until is None
    with pytest.raises(Conflict, match="can no longer be undone"):
        service.undo(db, node.reviewer_b, match_id, off)


def test_a_pending_match_has_nothing_to_undo(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    with pytest.raises(Conflict, match="no verdict to undo"):
        service.undo(db, node.reviewer_b, _pending(db, node), settings)


def test_undo_keeps_the_false_positive_opinion_it_filed(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    match_id = _pending(db, node)
    service.decide(db, node.reviewer_b, match_id, "reject", "satire", settings,
                   false_positive=True)
    service.undo(db, node.reviewer_b, match_id, settings)
    [disputed] = service.disputed_signals(db, node.curator_a)
    assert disputed.signal_id == node.plain.signal_id


# --- claims -------------------------------------------------------------------------


def test_a_claim_lapses_and_the_match_is_free_for_anyone(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    brief = settings.model_copy(update={"review_claim_seconds": 1})
    match_id = _pending(db, node)
    held = service.claim(db, node.reviewer_b, match_id, brief)
    assert held.claimed_by == "bob" and held.claimed_until is not None
    with pytest.raises(Conflict, match="claimed by bob"):
        service.decide(db, node.reviewer_b2, match_id, "confirm", "", brief)
    time.sleep(1.1)
    assert service.match_get(db, node.reviewer_b2, match_id).claimed_by is None
    assert service.claim(db, node.reviewer_b2, match_id, brief).claimed_by == "bea"


def test_a_claim_lasts_the_configured_time(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    before = m.utcnow()
    held = service.claim(db, node.reviewer_b, _pending(db, node), settings)
    assert held.claimed_until is not None
    assert dt.timedelta(seconds=899) < held.claimed_until - before <= dt.timedelta(seconds=901)


def test_the_holder_releases_a_claim_and_it_is_audited(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    match_id = _pending(db, node)
    service.claim(db, node.reviewer_b, match_id, settings)
    free = service.release(db, node.reviewer_b, match_id)
    assert (free.claimed_by, free.claimed_until) == (None, None)
    assert _actions(db, match_id)[-2:] == ["match.claim", "match.release"]


def test_an_admin_reassigns_a_match_to_another_reviewer_of_the_partner(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    match_id = _pending(db, node)
    service.claim(db, node.reviewer_b, match_id, settings)
    moved = service.reassign(db, node.admin_b, match_id, "bea", settings)
    assert moved.claimed_by == "bea"
    [entry] = [e for e in audit.events(db, object_type="match", object_id=str(match_id))
               if e.action == "match.reassign"]
    assert entry.details == {"from": "bob", "to": "bea"}
    with pytest.raises(PermissionDenied):
        service.reassign(db, node.reviewer_b, match_id, "bob", settings)
    with pytest.raises(NotFound, match="no reviewer 'carl'"):
        service.reassign(db, node.admin_b, match_id, "carl", settings)  # another partner's


# --- cases --------------------------------------------------------------------------


def test_one_verdict_decides_every_pending_match_of_a_case(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    both = service.record_matches(db, node.integrator_b, "case-9", [node.plain])
    both += service.record_matches(db, node.integrator_b, "case-9", [node.plain])
    other = _pending(db, node, "case-10")
    verdicts = service.decide_case(db, node.reviewer_b, "case-9", "reject", "satire",
                                   settings)
    assert sorted(v.match_id for v in verdicts) == sorted(r.id for r in both)
    assert [r.id for r in service.review_queue(db, node.reviewer_b)] == [other]


def test_a_case_with_a_match_claimed_by_someone_else_is_refused_whole(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    first = _pending(db, node, "case-9")
    _pending(db, node, "case-9")
    service.claim(db, node.reviewer_b2, first, settings)
    with pytest.raises(Conflict, match="claimed by bea"):
        service.decide_case(db, node.reviewer_b, "case-9", "confirm", "", settings)
    assert len(service.review_queue(db, node.reviewer_b)) == 2
