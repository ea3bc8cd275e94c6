"""The review workflow: recording matches, the queue, claims, verdicts and disputes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import inspect, select

from accord import audit
from accord.config import Settings
from accord.curation import opinions, signals
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.review import service, webhooks
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import ReviewNode


def test_a_match_stores_the_callers_opaque_reference_and_nothing_about_users(
    db: Database, node: ReviewNode
) -> None:
    [rec] = service.record_matches(db, node.integrator_b, "upload-7f3a", [node.plain])
    assert (rec.content_ref, rec.requester_partner_id, rec.signal_id) == (
        "upload-7f3a", node.platform_b, node.plain.signal_id)
    assert (rec.state, rec.bank, rec.value, rec.negative) == ("pending", "a-plain", "a" * 32,
                                                              False)
    columns = {c["name"] for c in inspect(db.engine).get_columns("matches")}
    assert columns == {"id", "requester_partner_id", "content_ref", "signal_id", "distance",
                       "review_state", "claimed_by", "created_at", "query_id", "negative",
                       "claimed_until", "variant"}


@pytest.mark.parametrize("ref", ["", "   ", "x" * 201, "line\nbreak", "tab\there", "\x00"])
def test_a_content_reference_must_be_1_to_200_printable_characters(ref: str) -> None:
    with pytest.raises(Invalid, match=r"content reference .* printable characters"):
        service.check_content_ref(ref)


def test_recording_checks_the_content_reference(db: Database, node: ReviewNode) -> None:
    with pytest.raises(Invalid, match=r"content reference .* printable characters"):
        service.record_matches(db, node.integrator_b, "a\nb", [node.plain])
    assert service.review_queue(db, node.reviewer_b, state=None) == []


def test_the_operator_may_not_record_matches(db: Database, node: ReviewNode) -> None:
    with pytest.raises(PermissionDenied, match="operator may not record matches"):
        service.record_matches(db, Actor.operator(), "ref-1", [node.plain])


def test_a_match_on_a_signal_the_partner_may_not_see_is_refused(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    red = signals.signal_add(db, node.curator_a, "a-plain",
                             signals.SignalInput("md5", "e" * 32, tlp="RED"), settings)
    with pytest.raises(NotFound, match=f"no signal {red.id}"):
        service.record_matches(db, node.integrator_b, "ref-1",
                               [replace(node.plain, signal_id=red.id)])


def test_auto_action_happens_only_in_a_bank_that_opted_in(
    db: Database, node: ReviewNode
) -> None:
    recs = service.record_matches(db, node.integrator_b, "ref-1", [node.plain, node.auto])
    assert {r.bank: r.state for r in recs} == {"a-plain": "pending", "a-auto": "auto-actioned"}
    assert len({r.query_id for r in recs}) == 1


def test_the_callers_copy_of_the_bank_flags_is_not_trusted(
    db: Database, node: ReviewNode
) -> None:
    forged = replace(node.plain, bank="a-auto", negative=False)
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [forged])
    assert rec.state == "pending"


def test_a_negative_bank_hit_suppresses_every_match_of_the_query(
    db: Database, node: ReviewNode
) -> None:
    recs = service.record_matches(db, node.integrator_b, "ref-1",
                                  [node.auto, node.plain, node.legit])
    assert {r.bank: (r.state, r.negative) for r in recs} == {
        "a-auto": ("suppressed", False), "a-plain": ("suppressed", False),
        "a-legit": ("suppressed", True),
    }
    # a suppressed match is still shown to reviewers, flagged
    queue = service.review_queue(db, node.reviewer_b, state="suppressed")
    assert [r.id for r in queue] == [r.id for r in recs]
    # another query of the same signal is unaffected
    [later] = service.record_matches(db, node.integrator_b, "ref-2", [node.auto])
    assert later.state == "auto-actioned"


def test_a_signal_matched_twice_in_one_query_is_recorded_once_at_its_best_distance(
    db: Database, node: ReviewNode
) -> None:
    recs = service.record_matches(db, node.integrator_b, "ref-1", [
        replace(node.plain, distance=9), replace(node.plain, distance=3)])
    assert [(r.signal_id, r.distance) for r in recs] == [(node.plain.signal_id, 3)]


def test_no_matches_records_nothing(db: Database, node: ReviewNode) -> None:
    before = audit.count(db)
    assert service.record_matches(db, node.integrator_b, "ref-1", []) == []
    assert audit.count(db) == before


def test_the_queue_shows_a_partners_own_matches_only(db: Database, node: ReviewNode) -> None:
    recs = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    assert [r.id for r in service.review_queue(db, node.reviewer_b)] == [recs[0].id]
    assert service.review_queue(db, node.reviewer_c) == []
    assert service.review_queue(db, node.reviewer_c, state=None) == []
    with pytest.raises(NotFound, match=f"no match {recs[0].id}"):
        service.claim(db, node.reviewer_c, recs[0].id)
    with pytest.raises(NotFound):
        service.decide(db, node.reviewer_c, recs[0].id, "confirm", "", Settings())
    with pytest.raises(PermissionDenied):
        service.review_queue(db, node.reviewer_c, partner="Platform B")
    everyone = service.review_queue(db, Actor.operator(), state=None)
    assert [r.id for r in everyone] == [recs[0].id]


def test_the_queue_pages_by_id_and_checks_its_arguments(db: Database, node: ReviewNode) -> None:
    ids = [service.record_matches(db, node.integrator_b, f"ref-{i}", [node.plain])[0].id
           for i in range(3)]
    first = service.review_queue(db, node.reviewer_b, limit=2)
    rest = service.review_queue(db, node.reviewer_b, after_id=first[-1].id)
    assert [r.id for r in first + rest] == ids
    with pytest.raises(Invalid, match="match state 'done' is not known"):
        service.review_queue(db, node.reviewer_b, state="done")
    with pytest.raises(Invalid, match="limit 0"):
        service.review_queue(db, node.reviewer_b, limit=0)


def test_a_match_claimed_by_one_reviewer_cannot_be_claimed_by_another(
    db: Database, node: ReviewNode
) -> None:
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    assert service.claim(db, node.reviewer_b, rec.id).claimed_by == "bob"
    assert service.claim(db, node.reviewer_b, rec.id).claimed_by == "bob"  # again: fine
    with pytest.raises(Conflict, match=f"match {rec.id} is claimed by bob"):
        service.claim(db, node.reviewer_b2, rec.id)
    with pytest.raises(Conflict, match="claimed by bob"):
        service.decide(db, node.reviewer_b2, rec.id, "confirm", "", Settings())
    with pytest.raises(PermissionDenied, match="release another reviewer's claim"):
        service.release(db, node.reviewer_b2, rec.id)
    assert service.release(db, node.admin_b, rec.id).claimed_by is None
    assert service.claim(db, node.reviewer_b2, rec.id).claimed_by == "bea"


def test_only_reviewers_and_admins_claim_and_decide(db: Database, node: ReviewNode) -> None:
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    with pytest.raises(PermissionDenied, match="may not claim matches"):
        service.claim(db, node.integrator_b, rec.id)
    with pytest.raises(PermissionDenied, match="may not decide matches"):
        service.decide(db, node.integrator_b, rec.id, "confirm", "", Settings())


def test_a_confirm_decides_the_match_once(db: Database, node: ReviewNode, settings: Settings
                                          ) -> None:
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    service.claim(db, node.reviewer_b, rec.id)
    verdict = service.decide(db, node.reviewer_b, rec.id, "confirm", "", settings)
    assert (verdict.match_id, verdict.reviewer, verdict.decision, verdict.state) == (
        rec.id, "bob", "confirm", "confirmed")
    assert service.match_get(db, node.reviewer_b, rec.id).state == "confirmed"
    assert service.review_queue(db, node.reviewer_b) == []
    with pytest.raises(Conflict, match=f"match {rec.id} was already decided \\(confirmed\\)"):
        service.decide(db, node.reviewer_b, rec.id, "reject", "second thoughts", settings)
    with pytest.raises(Conflict, match="already decided"):
        service.claim(db, node.reviewer_b2, rec.id)


def test_a_reject_needs_a_rationale(db: Database, node: ReviewNode, settings: Settings) -> None:
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    with pytest.raises(Invalid, match="rejecting a match needs a rationale"):
        service.decide(db, node.reviewer_b, rec.id, "reject", "  ", settings)
    with pytest.raises(Invalid, match="decision 'maybe' is not known"):
        service.decide(db, node.reviewer_b, rec.id, "maybe", "x", settings)
    with pytest.raises(Invalid, match="only a reject can report a false positive"):
        service.decide(db, node.reviewer_b, rec.id, "confirm", "x", settings,
                       false_positive=True)
    verdict = service.decide(db, node.reviewer_b, rec.id, "reject", "cartoon, not the video",
                             settings)
    assert (verdict.state, verdict.rationale, verdict.false_positive) == (
        "rejected", "cartoon, not the video", False)
    # a plain reject files no opinion on the signal
    assert opinions.opinion_list(db, node.curator_a, node.plain.signal_id) == []


def test_a_suppressed_or_auto_actioned_match_can_still_be_reviewed(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    auto, = service.record_matches(db, node.integrator_b, "ref-1", [node.auto])
    assert service.decide(db, node.reviewer_b, auto.id, "reject", "appeal upheld",
                          settings).state == "rejected"
    legit, = service.record_matches(db, node.integrator_b, "ref-2", [node.legit])
    assert service.decide(db, node.reviewer_b, legit.id, "confirm", "",
                          settings).state == "confirmed"


def test_reject_as_false_positive_reaches_the_contributors_disputed_list_and_webhook(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    hook, _secret = webhooks.webhook_add(db, node.admin_a, "https://a.example/hook",
                                         ["signal.disputed"])
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    verdict = service.decide(db, node.reviewer_b, rec.id, "reject", "a news report",
                             settings, false_positive=True)
    assert verdict.false_positive
    [disputed] = service.disputed_signals(db, node.curator_a)
    assert (disputed.signal_id, disputed.bank, disputed.status) == (
        node.plain.signal_id, "a-plain", "active")
    assert [(o.partner, o.kind, o.note) for o in disputed.opinions] == [
        ("Platform B", "false-positive", "a news report")]
    assert service.disputed_signals(db, node.reviewer_b) == []  # B contributes nothing
    [delivery] = webhooks.delivery_list(db, node.admin_a, hook.id)
    assert delivery.event == "signal.disputed"
    with db.reader() as session:
        body = json.loads(session.get_one(m.Delivery, delivery.id).payload)
    assert body["data"] == {
        "signal_id": node.plain.signal_id, "signal_type": "md5", "value": "a" * 32,
        "status": "active", "opinion": "false-positive", "partner_id": node.platform_b,
        "at": verdict.created_at.isoformat(),
    }


def test_false_positives_from_enough_partners_quarantine_the_signal(
    db: Database, node: ReviewNode
) -> None:
    one = Settings(dispute_quarantine_partners=1)
    [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.plain])
    service.decide(db, node.reviewer_b, rec.id, "reject", "counter-speech", one,
                   false_positive=True)
    assert signals.signal_get(db, node.curator_a, node.plain.signal_id).status == "quarantined"


def test_the_disputed_list_also_shows_disagreements_given_directly(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    opinions.opinion_set(db, node.reviewer_c, node.auto.signal_id, "disagree", "wrong group",
                         settings)
    opinions.opinion_set(db, node.reviewer_b, node.auto.signal_id, "agree", "", settings)
    [disputed] = service.disputed_signals(db, node.curator_a)
    assert [(o.partner, o.kind, o.note) for o in disputed.opinions] == [
        ("Platform C", "disagree", "wrong group")]
    assert len(service.disputed_signals(db, Actor.operator())) == 1


def test_auto_actions_and_verdicts_are_sent_to_the_requesters_webhooks(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    hook, _ = webhooks.webhook_add(db, node.admin_b, "https://b.example/hook", ["*"])
    other, _ = webhooks.webhook_add(db, node.admin_b, "https://b.example/verdicts",
                                    ["verdict.confirmed"])
    auto, plain = sorted(service.record_matches(db, node.integrator_b, "ref-1",
                                                [node.auto, node.plain]),
                         key=lambda r: r.bank)
    service.decide(db, node.reviewer_b, plain.id, "confirm", "", settings)
    events = [d.event for d in reversed(webhooks.delivery_list(db, node.admin_b, hook.id))]
    assert events == ["match.auto_actioned", "verdict.confirmed"]
    assert [d.event for d in webhooks.delivery_list(db, node.admin_b, other.id)] == [
        "verdict.confirmed"]
    with db.reader() as session:
        payloads = [json.loads(p) for p in session.execute(
            select(m.Delivery.payload).where(m.Delivery.webhook_id == hook.id)
            .order_by(m.Delivery.id)).scalars()]
    assert payloads[0]["data"] == {
        "match_id": auto.id, "query_id": auto.query_id, "content_ref": "ref-1",
        "signal_id": node.auto.signal_id, "signal_type": "md5", "value": "b" * 32,
        "bank": "a-auto", "labels": ["entity:qde-900"], "distance": 0, "state": "auto-actioned",
        "created_at": auto.created_at.isoformat(),
    }
    assert set(payloads[1]["data"]) == {
        "match_id", "query_id", "content_ref", "signal_id", "signal_type", "value",
        "verdict_id", "decision", "false_positive", "state", "decided_at"}


def test_every_review_change_is_in_the_audit_log(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    recs = service.record_matches(db, node.integrator_b, "ref-1", [node.plain, node.auto])
    plain = next(r for r in recs if r.bank == "a-plain")
    service.claim(db, node.reviewer_b, plain.id)
    service.release(db, node.reviewer_b, plain.id)
    service.decide(db, node.reviewer_b, plain.id, "reject", "news", settings,
                   false_positive=True)
    [recorded] = list(audit.events(db, object_type="query", object_id=plain.query_id))
    assert recorded.action == "match.record"
    assert sorted(x["id"] for x in recorded.details["matches"]) == sorted(r.id for r in recs)
    assert "ref-1" not in json.dumps(recorded.details)
    actions = [e.action for e in audit.events(db, object_type="match",
                                              object_id=str(plain.id))]
    assert actions == ["match.claim", "match.release", "match.decide"]
    assert [e.action for e in audit.events(db, object_type="signal",
                                           object_id=str(plain.signal_id))][-1] == "opinion.set"
    assert audit.verify(db).ok
