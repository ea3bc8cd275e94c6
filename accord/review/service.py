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

import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.opinions import opinion_set
from accord.entities.policy import auto_action_allowed
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice
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
    "disputed_signals",
    "match_get",
    "record_matches",
    "release",
    "review_queue",
]

CONTENT_REF_MAX = 200
RATIONALE_MAX = 4000
# Who may record its partner's matches: everyone but peer-sync accounts.
CAN_RECORD = frozenset({Role.ADMIN, Role.CURATOR, Role.REVIEWER, Role.READER})


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


def _records(session: Session, rows: Sequence[m.Match]) -> list[MatchRecord]:
    ids = sorted({r.signal_id for r in rows})
    signals = {s.id: s for s in session.execute(
        select(m.Signal.id, m.Signal.signal_type, m.Signal.value, m.Signal.payload,
               m.Bank.name).join(m.Bank, m.Bank.id == m.Signal.bank_id)
        .where(m.Signal.id.in_(ids)))}
    labels = labels_of(session, ids)
    out = []
    for row in rows:
        sig = signals[row.signal_id]
        out.append(MatchRecord(
            row.id, row.requester_partner_id, row.content_ref, row.signal_id, sig.signal_type,
            canonical_value(sig), row.distance, sig.name, labels[row.signal_id],
            row.negative, row.review_state, row.claimed_by, row.created_at, row.query_id,
        ))
    return out


def _match_for(session: Session, actor: Actor, match_id: int, *, lock: bool = False
               ) -> m.Match:
    """A match of the actor's partner (any, for the operator); ``NotFound`` otherwise."""
    query = select(m.Match).where(m.Match.id == match_id)
    row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None or not (actor.is_operator or row.requester_partner_id == actor.partner_id):
        raise NotFound(f"no match {match_id}", hint="see your partner's matches in the queue")
    return row


def _scope(session: Session, actor: Actor, partner: str | int | None) -> int | None:
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
        raise Invalid(f"limit {limit} is outside 1-1000")
    with db.reader() as session:
        partner_id = _scope(session, actor, partner)
        query = select(m.Match).where(m.Match.id > after_id)
        if partner_id is not None:
            query = query.where(m.Match.requester_partner_id == partner_id)
        if wanted is not None:
            query = query.where(m.Match.review_state == wanted.value)
        rows = session.execute(query.order_by(m.Match.id).limit(limit)).scalars().all()
        return _records(session, rows)


def match_get(db: Database, actor: Actor, match_id: int) -> MatchRecord:
    """One match of the actor's partner."""
    with db.reader() as session:
        return _records(session, [_match_for(session, actor, match_id)])[0]


# --- recording matches --------------------------------------------------------------


def _best_distances(matches: Sequence[MatchedSignal]) -> dict[int, int]:
    """One entry per signal, at its smallest distance (a file's variants can repeat one)."""
    best: dict[int, int] = {}
    for match in matches:
        best[match.signal_id] = min(match.distance, best.get(match.signal_id, match.distance))
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
                raise NotFound(f"no signal {sid}",
                               hint="record only matches the match service returned to you")
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
                                signal_id=sid, distance=best[sid], review_state=state.value,
                                query_id=query_id, negative=bank.negative, created_at=now))
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
        return _records(session, rows)


# --- claiming and deciding ----------------------------------------------------------


def _require_undecided(row: m.Match) -> None:
    if row.review_state in DECIDED:
        raise Conflict(f"match {row.id} was already decided ({row.review_state})",
                       hint="a verdict is final; the audit log shows who decided and when")


def _require_claimable(row: m.Match, actor: Actor) -> None:
    _require_undecided(row)
    if row.claimed_by is not None and row.claimed_by != actor.name:
        raise Conflict(f"match {row.id} is claimed by {row.claimed_by}",
                       hint=f"ask {row.claimed_by} to release it, or take another match")


def claim(db: Database, actor: Actor, match_id: int) -> MatchRecord:
    """Claim a match for review; claiming one's own claim again is a no-op."""
    actor.require(CAN_REVIEW, "claim matches for review")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        _require_claimable(row, actor)
        if row.claimed_by is None:
            row.claimed_by = actor.name
            audit.record(session, actor, audit.AuditAction.MATCH_CLAIM, "match", row.id, {})
        return _records(session, [row])[0]


def release(db: Database, actor: Actor, match_id: int) -> MatchRecord:
    """Give a claimed match back to the queue: its claimant, an admin or the operator."""
    actor.require(CAN_REVIEW, "release matches")
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        _require_undecided(row)
        if row.claimed_by not in (None, actor.name):
            actor.require(frozenset({Role.ADMIN}), "release another reviewer's claim")
        if row.claimed_by is not None:
            audit.record(session, actor, audit.AuditAction.MATCH_RELEASE, "match", row.id,
                         {"claimed_by": row.claimed_by})
            row.claimed_by = None
        return _records(session, [row])[0]


def _check_decision(choice: Decision, rationale: str, false_positive: bool,
                    actor: Actor) -> str:
    text = rationale.strip()
    if choice is Decision.REJECT and not text:
        raise Invalid("rejecting a match needs a rationale",
                      hint="say why the match is wrong, e.g. 'news report quoting the video'")
    if len(text) > RATIONALE_MAX:
        raise Invalid(f"the rationale has {len(text)} characters; the limit is {RATIONALE_MAX}")
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
    call raises ``Conflict``.
    """
    choice = Decision.parse(decision)
    text = _check_decision(choice, rationale, false_positive, actor)
    with db.reader() as session:  # before a false-positive opinion files it as its note
        text = checked_text(session, "rationale", text, limit=RATIONALE_MAX)
    if false_positive:
        with db.reader() as session:
            row = _match_for(session, actor, match_id)
            _require_claimable(row, actor)
            signal_id = row.signal_id
        opinion_set(db, actor, signal_id, "false-positive", text, settings)
    with db.transaction() as session:
        row = _match_for(session, actor, match_id, lock=True)
        _require_claimable(row, actor)
        previous, now = row.review_state, m.utcnow()
        verdict = m.Verdict(match_id=row.id, reviewer=actor.name, decision=choice.value,
                            rationale=text, false_positive=false_positive, created_at=now)
        session.add(verdict)
        row.review_state, row.claimed_by = choice.state.value, row.claimed_by or actor.name
        session.flush()
        audit.record(session, actor, audit.AuditAction.MATCH_DECIDE, "match", row.id, {
            "verdict": verdict.id, "decision": choice.value, "false_positive": false_positive,
            "previous_state": previous,
        })
        _announce(session, row, verdict)
        return VerdictRecord(verdict.id, row.id, verdict.reviewer, verdict.decision,
                             verdict.rationale, verdict.false_positive, row.review_state,
                             verdict.created_at)


def _announce(session: Session, row: m.Match, verdict: m.Verdict) -> None:
    """Queue the verdict's webhook events: to the requester, and the contributor on a dispute."""
    signal = session.get_one(m.Signal, row.signal_id)
    webhooks.enqueue(session, row.requester_partner_id, f"verdict.{row.review_state}", {
        "match_id": row.id, "query_id": row.query_id, "content_ref": row.content_ref,
        "signal_id": signal.id, "signal_type": signal.signal_type, "value": canonical_value(signal),
        "verdict_id": verdict.id, "decision": verdict.decision,
        "false_positive": verdict.false_positive, "state": row.review_state,
        "decided_at": verdict.created_at.isoformat(),
    })
    if verdict.false_positive and signal.owner_partner_id != row.requester_partner_id:
        webhooks.enqueue(session, signal.owner_partner_id, "signal.disputed", {
            "signal_id": signal.id, "signal_type": signal.signal_type,
            "value": canonical_value(signal), "status": signal.status, "opinion": "false-positive",
            "partner_id": row.requester_partner_id, "at": verdict.created_at.isoformat(),
        })
