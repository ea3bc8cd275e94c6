"""The review desk: verdicts its reviewer may undo for a while, and claims that lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from accord import audit
from accord.config import Settings
from accord.curation import opinions, signals
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.matching.service import MatchedSignal
from accord.review import preview, service, webhooks
from accord.review.delivery import DeliveryPolicy
from accord.review.desk import review_desk
from accord.review.priority import priority
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import Receiver, ReviewNode

FAST = DeliveryPolicy(max_attempts=3, backoff_s=10, timeout_s=2)


def _loopback(settings: Settings, **changes: object) -> Settings:
    return settings.replace(outbound_allow=("127.0.0.0/8",), **changes)


def _age(db: Database, model: type[m.Base], where: Any, column: str) -> None:
    """Two seconds pass for the rows ``where`` picks: their ``column`` moves 2 s earlier
    (instead of the test sleeping past a one-second window)."""
    with db.transaction() as session:
        for row in session.scalars(select(model).where(where)):
            setattr(row, column, getattr(row, column) - dt.timedelta(seconds=2))


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
    short = settings.replace(review_undo_seconds=1)
    match_id = _pending(db, node)
    service.decide(db, node.reviewer_b, match_id, "confirm", "", short)
    _age(db, m.Verdict, m.Verdict.match_id == match_id, "created_at")  # 2 s pass
    with pytest.raises(Conflict, match="can no longer be undone"):
        service.undo(db, node.reviewer_b, match_id, short)
    assert service.match_get(db, node.reviewer_b, match_id).state == "confirmed"


def test_with_undo_off_verdicts_are_announced_at_once_and_cannot_be_undone(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    off = settings.replace(review_undo_seconds=0)
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
    brief = settings.replace(review_claim_seconds=1)
    match_id = _pending(db, node)
    held = service.claim(db, node.reviewer_b, match_id, brief)
    assert held.claimed_by == "bob" and held.claimed_until is not None
    with pytest.raises(Conflict, match="claimed by bob"):
        service.decide(db, node.reviewer_b2, match_id, "confirm", "", brief)
    _age(db, m.Match, m.Match.id == match_id, "claimed_until")  # 2 s pass
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
    with pytest.raises(NotFound):
        service.reassign(db, node.admin_b, match_id, "bea\x00", settings)


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


# --- priority, filters, counts and cases -------------------------------------------


def test_priority_puts_an_imminent_threat_first_and_a_context_label_last() -> None:
    week = dt.timedelta(days=7)
    urgent = priority(("behaviour:imminent-credible-threat",), 10, 31, crisis=False,
                      auto_action=False, negative=False, waiting=dt.timedelta(0))
    ordinary = priority(("behaviour:recruitment",), 0, 31, crisis=False,
                        auto_action=False, negative=False, waiting=week)
    news = priority(("behaviour:recruitment", "context:journalistic"), 0, 31, crisis=False,
                    auto_action=False, negative=False, waiting=dt.timedelta(0))
    assert urgent.score > ordinary.score > news.score
    assert urgent.reasons == ("behaviour:imminent-credible-threat",)
    assert news.reasons == ("behaviour:recruitment", "context")


def test_priority_counts_crisis_banks_and_how_close_the_hit_is() -> None:
    def score(distance: int = 0, crisis: bool = False, negative: bool = False) -> int:
        return priority((), distance, 31, crisis=crisis, auto_action=False,
                        negative=negative, waiting=dt.timedelta(0)).score
    assert score(crisis=True) > score()
    assert score(distance=0) > score(distance=20) > score(distance=31)
    assert score(negative=True) < score()


def test_the_desk_groups_a_content_refs_matches_and_sorts_by_priority(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    threat = _labelled(db, node, settings, "behaviour:imminent-credible-threat")
    service.record_matches(db, node.integrator_b, "ordinary", [node.plain])
    service.record_matches(db, node.integrator_b, "urgent", [threat])
    service.record_matches(db, node.integrator_b, "urgent", [node.plain])
    desk = review_desk(db, node.reviewer_b, settings)
    assert [c.content_ref for c in desk.cases] == ["urgent", "ordinary"]
    assert len(desk.cases[0].cards) == 2
    assert desk.counts == {"pending": 3, "auto-actioned": 0, "suppressed": 0,
                           "confirmed": 0, "rejected": 0}
    oldest = review_desk(db, node.reviewer_b, settings, sort="oldest")
    assert [c.content_ref for c in oldest.cases] == ["ordinary", "urgent"]


def test_the_desk_filters_by_bank_label_and_age(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    threat = _labelled(db, node, settings, "behaviour:threat")
    service.record_matches(db, node.integrator_b, "one", [node.plain])
    service.record_matches(db, node.integrator_b, "two", [threat])
    refs = [c.content_ref for c in review_desk(db, node.reviewer_b, settings,
                                               label="behaviour:threat").cases]
    assert refs == ["two"]
    assert review_desk(db, node.reviewer_b, settings, bank="a-legit").cases == ()
    assert len(review_desk(db, node.reviewer_b, settings, bank="a-plain").cases) == 2
    assert len(review_desk(db, node.reviewer_b, settings, age="last-hour").cases) == 2
    assert review_desk(db, node.reviewer_b, settings, age="over-day").cases == ()
    with pytest.raises(Invalid, match="age"):
        review_desk(db, node.reviewer_b, settings, age="yesterday")
    with pytest.raises(Invalid, match="label filter"):  # never a database error
        review_desk(db, node.reviewer_b, settings, label="behaviour:\x00")


def test_a_card_shows_the_threshold_and_other_partners_opinions_as_counts(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    service.record_matches(db, node.integrator_b, "one", [node.plain])
    opinions.opinion_set(db, node.reviewer_c, node.plain.signal_id, "false-positive",
                         "satire", settings)
    [case] = review_desk(db, node.reviewer_b, settings).cases
    [card] = case.cards
    assert (card.threshold, card.signal_status, card.disputes) == (0, "active", 1)
    assert card.opinions == (("false-positive", 1),)  # a count, not who said it
    assert card.content_url is None


def test_a_partners_template_gives_each_card_its_encoded_content_address(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    preview.content_url_set(db, node.admin_b, "https://media.b.example/items/{content_ref}")
    service.record_matches(db, node.integrator_b, "a/b?c=d e", [node.plain])
    [case] = review_desk(db, node.reviewer_b, settings).cases
    assert case.cards[0].content_url == "https://media.b.example/items/a%2Fb%3Fc%3Dd%20e"


@pytest.mark.parametrize("template", [
    "http://media.example/{content_ref}", "https://media.example/", "ftp://x/{content_ref}",
    "https://{content_ref}.example/", "https://media.example/{content_ref}/{content_ref}",
    "https://user:pw@media.example/{content_ref}", "https://media.example/a b/{content_ref}",
])
def test_a_content_url_template_must_be_https_with_one_placeholder(template: str) -> None:
    with pytest.raises(Invalid, match="content-URL template"):
        preview.check_template(template)


def test_only_an_admin_sets_the_template_and_a_reviewer_sets_their_own_preference(
    db: Database, node: ReviewNode
) -> None:
    with pytest.raises(PermissionDenied):
        preview.content_url_set(db, node.reviewer_b, "https://m.example/{content_ref}")
    assert preview.reveal_previews(db, node.reviewer_b) is False
    preview.reveal_previews_set(db, node.reviewer_b, True)
    assert preview.reveal_previews(db, node.reviewer_b) is True
    assert preview.reveal_previews(db, node.reviewer_b2) is False


def _labelled(db: Database, node: ReviewNode, settings: Settings, label: str
              ) -> MatchedSignal:
    sig = signals.signal_add(db, node.curator_a, "a-plain", signals.SignalInput(
        "md5", "d" * 32, tlp="GREEN", labels=(label,)), settings)
    return MatchedSignal(sig.id, "md5", sig.value, 0, "a-plain", sig.labels, sig.tlp, False)
