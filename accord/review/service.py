"""Recorded matches, the review queue and verdicts: the service every edge calls.

A match is stored with the requester's opaque content reference only (never
the content, never data about a user). Each matched signal becomes a row in
state ``pending`` (queued for human review), or ``auto-actioned`` where the
signal's bank opted into auto-action and a designation source its owner's
policy accepts backs the signal's label (``accord.entities.policy``); but
when any signal of the same query sits in a negative ("known legitimate")
bank, every match of that query is ``suppressed``: nothing is actioned,
reviewers still see it, flagged.
Reviewers of the requester claim and decide matches; a reject can also file
a false-positive opinion, which reaches the signal's contributor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.opinions import opinion_set
from accord.curation.writeback import OutboundKind, cancel_for_verdict, queue_opinions
from accord.entities.policy import auto_action_allowed
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice, trimmed
from accord.matching.service import MatchedSignal
from accord.review import webhooks
from accord.review.disputes import disputed_signals
from accord.review.records import DisputedSignal, DisputeOpinion, MatchRecord, VerdictRecord
from accord.safeguards.free_text import checked_text, opaque_ref
from accord.sharing.roles import CAN_REVIEW, Actor, Role
from accord.sharing.service import find_partner
from accord.sharing.visibility import may_see, viewer_of
from accord.store import models as m
from accord.store.database import Database
from accord.store.signals import canonical_value, labels_of

__all__ = [
    "Decision",
    "DisputeOpinion",
    "DisputedSignal",
    "MatchRecord",
    "MatchState",
    "VerdictRecord",
    "check_content_ref",
    "claim",
    "decide",
    "decide_case",
    "disputed_signals",
    "live_claim",
    "match_get",
    "reassign",
    "record_matches",
    "release",
    "review_queue",
    "undo",
    "undoable",
]

CONTENT_REF_MAX = 200
RATIONALE_MAX = 4000
# Who may record its partner's matches: everyone but peer-sync accounts.
CAN_RECORD = frozenset({Role.ADMIN, Role.CURATOR, Role.REVIEWER, Role.READER})
ADMINS = frozenset({Role.ADMIN})


class MatchState(StrEnum):
    """Where a recorded match stands."""

    PENDING = "pending"
    AUTO_ACTIONED = "auto-actioned"
    SUPPRESSED = "suppressed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

    @classmethod
    def parse(cls, text: str) -> MatchState:
        """Parse a state name, with a message listing the valid ones."""
        return parse_choice(cls, text, "match state")


DECIDED = frozenset({MatchState.CONFIRMED, MatchState.REJECTED})


class Decision(StrEnum):
    """A reviewer's verdict on a match."""

    CONFIRM = "confirm"
    REJECT = "reject"

    @classmethod
    def parse(cls, text: str) -> Decision:
        """Parse a decision, with a message listing the valid ones."""
        return parse_choice(cls, text, "decision")

    @property
    def state(self) -> MatchState:
        """The state a match moves to on this decision."""
        return MatchState.CONFIRMED if self is Decision.CONFIRM else MatchState.REJECTED


def check_content_ref(content_ref: str) -> str:
    """The caller's opaque content reference, checked: 1-200 printable characters."""
    return opaque_ref(content_ref, limit=CONTENT_REF_MAX)


# --- reading matches ----------------------------------------------------------------


def records(session: Session, rows: Sequence[m.Match]) -> list[MatchRecord]:
    ids = sorted({r.signal_id for r in rows})
    signals = {s.id: s for s in session.execute(
        select(m.Signal.id, m.Signal.signal_type, m.Signal.value, m.Signal.payload,
               m.Bank.name).join(m.Bank, m.Bank.id == m.Signal.bank_id)
        .where(m.Signal.id.in_(ids)))}
    labels = labels_of(session, ids)
    out, now = [], m.utcnow()
    for row in rows:
        sig = signals[row.signal_id]
        holder = live_claim(row, now)
        out.append(MatchRecord(
            row.id, row.requester_partner_id, row.content_ref, row.signal_id, sig.signal_type,
            canonical_value(sig), row.distance, sig.name, labels[row.signal_id],
            row.negative, row.review_state, holder, row.created_at, row.query_id,
            row.claimed_until if holder and row.review_state not in DECIDED else None,
            row.variant,
        ))
    return out


def _match_for(session: Session, actor: Actor, match_id: int, *, lock: bool = False
               ) -> m.Match:
    """A match of the actor's partner (any, for the operator); ``NotFound`` otherwise."""
    query = select(m.Match).where(m.Match.id == match_id)
    row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None or not (actor.is_operator or row.requester_partner_id == actor.partner_id):
        raise NotFound("no match {match_id}", hint="see your partner's matches in the queue",
                       match_id=match_id)
    return row


def scope(session: Session, actor: Actor, partner: str | int | None) -> int | None:
    """The partner whose matches are read: the actor's own; the operator may name any."""
    if partner is None:
        return actor.partner_id
    partner_id = find_partner(session, partner).id
    actor.require_partner(partner_id, "read this partner's matches")
    return partner_id


def review_queue(
    db: Database, actor: Actor, *, state: str | None = MatchState.PENDING.value,
    limit: int = 100, after_id: int = 0, partner: str | int | None = None,
) -> list[MatchRecord]:
    """The actor's partner's matches in ``state`` (None: all), by id; page with ``after_id``.

    The operator sees every partner's matches, or one partner's with ``partner``.
    """
    wanted = MatchState.parse(state) if state is not None else None
    if not 1 <= limit <= 1000:
        raise Invalid("limit {limit} is outside 1-1000", limit=limit)
    with db.reader() as session:
        partner_id = scope(session, actor, partner)
        query = select(m.Match).where(m.Match.id > after_id)
        if partner_id is not None:
            query = query.where(m.Match.requester_partner_id == partner_id)
        if wanted is not None:
            query = query.where(m.Match.review_state == wanted.value)
        rows = session.execute(query.order_by(m.Match.id).limit(limit)).scalars().all()
        return records(session, rows)


def match_get(db: Database, actor: Actor, match_id: int) -> MatchRecord:
    """One match of the actor's partner."""
    with db.reader() as session:
        return records(session, [_match_for(session, actor, match_id)])[0]


# --- recording matches --------------------------------------------------------------


def _best_distances(matches: Sequence[MatchedSignal]) -> dict[int, MatchedSignal]:
    """One entry per signal, at its smallest distance (a file's variants can repeat one)."""
    best: dict[int, MatchedSignal] = {}
    for match in matches:
        seen = best.get(match.signal_id)
        if seen is None or match.distance < seen.distance:
            best[match.signal_id] = match
    return best


def _match_payload(row: m.Match, signal: m.Signal, bank: str,
                   labels: tuple[str, ...]) -> dict[str, Any]:
    """What a webhook says about a match: ids, hash, labels, state, time; never content."""
    return {
        "match_id": row.id, "query_id": row.query_id, "content_ref": row.content_ref,
        "signal_id": signal.id, "signal_type": signal.signal_type, "value": canonical_value(signal),
        "bank": bank, "labels": list(labels), "distance": row.distance,
        "state": row.review_state, "created_at": row.created_at.isoformat(),
    }


def record_matches(
    db: Database, actor: Actor, content_ref: str, matches: Sequence[MatchedSignal]
) -> list[MatchRecord]:
    """Record one query's matches for the actor's partner; returns them in signal order.

    Signals are re-read from the database (their bank's auto-action and negative
    flags are what count, not the caller's copy), and each must be one the
    partner may see. Auto-action needs an active signal in a bank that opted in,
    backed by a designation source the bank owner's policy accepts
    (``accord.entities.policy.auto_action_allowed``), and no negative hit in the
    same query.
    """
    ref = check_content_ref(content_ref)
    if actor.partner_id is None:
        raise PermissionDenied(
            "the node operator may not record matches: a match belongs to the partner "
            "whose content matched",
            hint="record it with an API key of that partner's member",
        )
    actor.require(CAN_RECORD, "record matches")
    best = _best_distances(matches)
    if not best:
        return []
    with db.transaction() as session:
        viewer = viewer_of(session, actor)
        found = {s.id: (s, b) for s, b in session.execute(
            select(m.Signal, m.Bank).join(m.Bank, m.Bank.id == m.Signal.bank_id)
            .where(m.Signal.id.in_(sorted(best))))}
        for sid in sorted(best):
            if sid not in found or not may_see(viewer, found[sid][0]):
                raise NotFound("no signal {sid}",
                               hint="record only matches the match service returned to you",
                               sid=sid)
        suppressed = any(bank.negative for _, bank in found.values())
        query_id, now = uuid.uuid4().hex, m.utcnow()
        rows = []
        for sid in sorted(best):
            signal, bank = found[sid]
            state = (MatchState.SUPPRESSED if suppressed
                     else MatchState.AUTO_ACTIONED
                     if auto_action_allowed(session, bank, signal, actor.partner_id)
                     else MatchState.PENDING)
            rows.append(m.Match(requester_partner_id=actor.partner_id, content_ref=ref,
                                signal_id=sid, distance=best[sid].distance,
                                review_state=state.value, query_id=query_id,
                                negative=bank.negative, created_at=now,
                                variant=best[sid].variant))
        session.add_all(rows)
        session.flush()
        audit.record(session, actor, audit.AuditAction.MATCH_RECORD, "query", query_id, {
            "partner": actor.partner_id, "suppressed_by_negative": suppressed,
            "matches": [{"id": r.id, "signal": r.signal_id, "state": r.review_state}
                        for r in rows],
        })
        labels = labels_of(session, sorted(best))
        for row in rows:
            if row.review_state == MatchState.AUTO_ACTIONED:
                signal, bank = found[row.signal_id]
                webhooks.enqueue(session, actor.partner_id, "match.auto_actioned",
                                 _match_payload(row, signal, bank.name, labels[signal.id]))
        return records(session, rows)


# --- claiming and deciding ----------------------------------------------------------


def _default(name: str) -> int:
    """A review setting's default, for callers that pass no ``Settings``."""
    return int(Settings.default(name))


def claim_seconds(settings: Settings | None) -> int:
    """How long a claim lasts (``review_claim_seconds``)."""
    return settings.review_claim_seconds if settings else _default("review_claim_seconds")


def live_claim(row: m.Match, now: dt.datetime) -> str | None:
    """Who holds the match's claim now: None when unclaimed or the claim has lapsed.

    A claim from before claims lapsed (no ``claimed_until``) stays live.
    """
    if row.claimed_by is None or row.review_state in DECIDED:
        return row.claimed_by
    if row.claimed_until is not None and row.claimed_until <= now:
        return None
    return row.claimed_by


def _require_undecided(row: m.Match) -> None:
    if row.review_state in DECIDED:
        raise Conflict("match {id} was already decided ({review_state})",
                       hint="its reviewer may undo a verdict for a short while; the audit log "
                            "shows who decided and when", id=row.id, review_state=row.review_state)


def _require_claimable(row: m.Match, actor: Actor, now: dt.datetime) -> None:
    _require_undecided(row)
    holder = live_claim(row, now)
    if holder is not None and holder != actor.name:
        raise Conflict("match {id} is claimed by {holder}",
                       hint="ask {holder} to release it, wait for the claim to lapse, or take "
                            "another match", id=row.id, holder=holder)


def _take(row: m.Match, holder: str, now: dt.datetime, settings: Settings | None) -> None:
    row.claimed_by = holder
    row.claimed_until = now + dt.timedelta(seconds=claim_seconds(settings))


def claim(db: Database, actor: Actor, match_id: int, settings: Settings | None = None
          ) -> MatchRecord:
    """Claim a match for review, for ``review_claim_seconds``; claiming again renews it.

    A claim someone else let lapse may be taken.
    """
    actor.require(CAN_REVIEW, "claim matches for review")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        now = m.utcnow()
        _require_claimable(row, actor, now)
        fresh = live_claim(row, now) is None
        _take(row, actor.name, now, settings)
        if fresh:
            audit.record(session, actor, audit.AuditAction.MATCH_CLAIM, "match", row.id,
                         {"until": row.claimed_until.isoformat() if row.claimed_until else None})
        return records(session, [row])[0]


def release(db: Database, actor: Actor, match_id: int) -> MatchRecord:
    """Give a claimed match back to the queue: its claimant, an admin or the operator."""
    actor.require(CAN_REVIEW, "release matches")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        _require_undecided(row)
        holder = live_claim(row, m.utcnow())
        if holder not in (None, actor.name):
            actor.require(ADMINS, "release another reviewer's claim")
        if holder is not None:
            audit.record(session, actor, audit.AuditAction.MATCH_RELEASE, "match", row.id,
                         {"claimed_by": holder})
        row.claimed_by, row.claimed_until = None, None
        return records(session, [row])[0]


def reassign(db: Database, actor: Actor, match_id: int, username: str,
             settings: Settings | None = None) -> MatchRecord:
    """An admin hands a match (claimed or not) to a reviewer of the same partner."""
    actor.require(ADMINS, "reassign matches")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        _require_undecided(row)
        name = username.strip().lower()
        # A name no member could have is not looked up (PostgreSQL refuses NUL in text).
        member = None if not name.isprintable() or len(name) > 100 else session.execute(
            select(m.Member).where(m.Member.username == name,
                                   m.Member.partner_id == row.requester_partner_id)
        ).scalar_one_or_none()
        if member is None or not member.active or Role(member.role) not in CAN_REVIEW:
            raise NotFound("no reviewer {username} in the match's partner",
                           hint="name an active reviewer or admin of the partner",
                           username=trimmed(username, 40))
        now = m.utcnow()
        previous = live_claim(row, now)
        _take(row, member.username, now, settings)
        audit.record(session, actor, audit.AuditAction.MATCH_REASSIGN, "match", row.id,
                     {"from": previous, "to": member.username})
        return records(session, [row])[0]


def _check_decision(choice: Decision, rationale: str, false_positive: bool,
                    actor: Actor) -> str:
    text = rationale.strip()
    if choice is Decision.REJECT and not text:
        raise Invalid("rejecting a match needs a rationale",
                      hint="say why the match is wrong, e.g. 'news report quoting the video'")
    if len(text) > RATIONALE_MAX:
        raise Invalid("the rationale has {text_count} characters; the limit is {rationale_max}",
                      text_count=len(text), rationale_max=RATIONALE_MAX)
    if false_positive and choice is not Decision.REJECT:
        raise Invalid("only a reject can report a false positive",
                      hint="decide reject with false_positive=True")
    if false_positive and actor.partner_id is None:
        raise PermissionDenied("the node operator may not file false-positive opinions",
                               hint="a reviewer of the requesting partner files them")
    actor.require(CAN_REVIEW, "decide matches")
    return text


def decide(
    db: Database, actor: Actor, match_id: int, decision: str, rationale: str,
    settings: Settings, *, false_positive: bool = False,
) -> VerdictRecord:
    """Confirm or reject a match; a reject may also report the signal as a false positive.

    The false-positive opinion is filed first, through ``opinion_set`` and in its
    own transaction (so quarantine rules apply); the verdict follows. Should the
    match be decided by someone else in between, the opinion stands and this
    call raises ``Conflict``. The verdict's webhook events wait for its undo
    window (``review_undo_seconds``) to close.
    """
    choice = Decision.parse(decision)
    text = _check_decision(choice, rationale, false_positive, actor)
    with db.reader() as session:  # before a false-positive opinion files it as its note
        text = checked_text(session, "rationale", text, limit=RATIONALE_MAX)
    if false_positive:
        with db.reader() as session:
            row = _match_for(session, actor, match_id)
            _require_claimable(row, actor, m.utcnow())
            signal_id = row.signal_id
        opinion_set(db, actor, signal_id, "false-positive", text, settings)
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        return _decide_row(session, actor, row, choice, text, false_positive, settings)


def decide_case(
    db: Database, actor: Actor, content_ref: str, decision: str, rationale: str,
    settings: Settings,
) -> list[VerdictRecord]:
    """One verdict for a case: every pending match of the partner with this content_ref.

    All or nothing: a match of the case claimed by someone else refuses the whole
    case. False positives are reported one match at a time.
    """
    choice = Decision.parse(decision)
    text = _check_decision(choice, rationale, False, actor)
    ref = check_content_ref(content_ref)
    if actor.partner_id is None:
        raise PermissionDenied("the node operator may not decide a partner's case",
                               hint="decide it as a reviewer of the partner")
    with db.transaction() as session:
        rows = session.execute(select(m.Match).where(
            m.Match.requester_partner_id == actor.partner_id, m.Match.content_ref == ref,
            m.Match.review_state == MatchState.PENDING.value,
        ).order_by(m.Match.id).with_for_update()).scalars().all()
        if not rows:
            raise NotFound("no pending case {ref}",
                           hint="see your partner's cases in the review queue",
                           ref=trimmed(ref, 40))
        return [_decide_row(session, actor, row, choice, text, False, settings)
                for row in rows]


def _decide_row(session: Session, actor: Actor, row: m.Match, choice: Decision, text: str,
                false_positive: bool, settings: Settings) -> VerdictRecord:
    now = m.utcnow()
    _require_claimable(row, actor, now)
    previous = row.review_state
    verdict = m.Verdict(match_id=row.id, reviewer=actor.name, decision=choice.value,
                        rationale=text, false_positive=false_positive, created_at=now)
    session.add(verdict)
    row.review_state = choice.state.value
    row.claimed_by, row.claimed_until = live_claim(row, now) or actor.name, None
    session.flush()
    audit.record(session, actor, audit.AuditAction.MATCH_DECIDE, "match", row.id, {
        "verdict": verdict.id, "decision": choice.value, "false_positive": false_positive,
        "previous_state": previous,
    })
    undo_until = _undo_until(verdict, settings)
    _announce(session, row, verdict, undo_until)
    # Write-back to the exchange the signal came from, held for the undo window too.
    queue_opinions(session, actor, row.signal_id, OutboundKind.TRUE_POSITIVE
                   if choice is Decision.CONFIRM else OutboundKind.FALSE_POSITIVE,
                   not_before=undo_until, verdict_id=verdict.id)
    return _verdict_record(row, verdict, undo_until)


def _undo_until(verdict: m.Verdict, settings: Settings) -> dt.datetime | None:
    if settings.review_undo_seconds <= 0:
        return None
    return verdict.created_at + dt.timedelta(seconds=settings.review_undo_seconds)


def _verdict_record(row: m.Match, verdict: m.Verdict, undo_until: dt.datetime | None
                    ) -> VerdictRecord:
    return VerdictRecord(verdict.id, row.id, verdict.reviewer, verdict.decision,
                         verdict.rationale, verdict.false_positive, row.review_state,
                         verdict.created_at, undo_until)


def undoable(db: Database, actor: Actor, match_id: int, settings: Settings
             ) -> VerdictRecord | None:
    """The actor's own verdict on a match while it may still be undone (else None)."""
    with db.reader() as session:
        try:
            row = _match_for(session, actor, match_id)
        except NotFound:
            return None
        verdict = session.execute(select(m.Verdict).where(
            m.Verdict.match_id == row.id, m.Verdict.undone_at.is_(None),
        ).order_by(m.Verdict.id.desc()).limit(1)).scalar_one_or_none()
        if verdict is None or verdict.reviewer != actor.name or row.review_state not in DECIDED:
            return None
        until = _undo_until(verdict, settings)
        if until is None or m.utcnow() >= until:
            return None
        return _verdict_record(row, verdict, until)


def undo(db: Database, actor: Actor, match_id: int, settings: Settings) -> MatchRecord:
    """Undo the actor's own verdict on a match within ``review_undo_seconds`` of it.

    The match goes back to pending, claimed by the reviewer; the verdict stays on
    record, marked undone; its webhook deliveries, held until the window closes,
    are cancelled, so no one is told of it. A false-positive opinion filed with a
    reject stands (it is the partner's word on the signal; change it there).
    """
    actor.require(CAN_REVIEW, "undo verdicts")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        verdict = session.execute(select(m.Verdict).where(
            m.Verdict.match_id == row.id, m.Verdict.undone_at.is_(None),
        ).order_by(m.Verdict.id.desc()).limit(1)).scalar_one_or_none()
        if row.review_state not in DECIDED or verdict is None:
            raise Conflict("match {id} has no verdict to undo",
                           hint="only a confirmed or rejected match can be undone", id=row.id)
        if verdict.reviewer != actor.name:
            raise PermissionDenied("only {reviewer}, who decided match {id}, may undo that verdict",
                                   reviewer=verdict.reviewer, id=row.id)
        now, until = m.utcnow(), _undo_until(verdict, settings)
        if until is None or now >= until:
            raise Conflict("the verdict on match {id} can no longer be undone",
                           hint="undo is possible for {review_undo_seconds} s after a verdict; "
                                "the verdict has been announced", id=row.id,
                           review_undo_seconds=settings.review_undo_seconds)
        held = session.execute(select(m.Delivery).where(
            m.Delivery.verdict_id == verdict.id).with_for_update()).scalars().all()
        if any(d.status != "pending" or d.attempts or d.next_attempt_at is None
               or d.next_attempt_at > until for d in held):
            raise Conflict("the verdict on match {id} is already being announced",
                           hint="its webhook deliveries have started", id=row.id)
        for delivery in held:
            delivery.status, delivery.next_attempt_at = "cancelled", None
        cancel_for_verdict(session, verdict.id)
        verdict.undone_at, row.review_state = now, MatchState.PENDING.value
        _take(row, actor.name, now, settings)
        audit.record(session, actor, audit.AuditAction.MATCH_UNDO, "match", row.id, {
            "verdict": verdict.id, "decision": verdict.decision,
            "false_positive": verdict.false_positive, "cancelled_deliveries": len(held),
        })
        return records(session, [row])[0]


def _announce(session: Session, row: m.Match, verdict: m.Verdict,
              undo_until: dt.datetime | None) -> None:
    """Queue the verdict's webhook events: to the requester (held for the undo window),
    and to the contributor on a dispute (at once: the opinion stands even if undone)."""
    signal = session.get_one(m.Signal, row.signal_id)
    webhooks.enqueue(session, row.requester_partner_id, f"verdict.{row.review_state}", {
        "match_id": row.id, "query_id": row.query_id, "content_ref": row.content_ref,
        "signal_id": signal.id, "signal_type": signal.signal_type, "value": canonical_value(signal),
        "verdict_id": verdict.id, "decision": verdict.decision,
        "false_positive": verdict.false_positive, "state": row.review_state,
        "decided_at": verdict.created_at.isoformat(),
    }, not_before=undo_until, verdict_id=verdict.id)
    if verdict.false_positive and signal.owner_partner_id != row.requester_partner_id:
        webhooks.enqueue(session, signal.owner_partner_id, "signal.disputed", {
            "signal_id": signal.id, "signal_type": signal.signal_type,
            "value": canonical_value(signal), "status": signal.status, "opinion": "false-positive",
            "partner_id": row.requester_partner_id, "at": verdict.created_at.isoformat(),
        })
