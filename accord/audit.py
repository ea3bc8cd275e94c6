"""The append-only, hash-chained audit log and its verifier.

Every state change appends one event in the same transaction as the change.
Each event's hash covers its own fields and the previous event's hash, so
editing, deleting or reordering any stored event breaks the chain from that
point on, and ``verify`` names the first bad event. The single ``audit_head``
row holds the chain's tip: it is locked for each append (serialising writers
on PostgreSQL) and lets ``verify`` notice events cut from the end.

Database triggers refuse UPDATE and DELETE on ``audit_events``; the chain is
what still catches someone who drops the triggers first.

Anchoring (docs/audit.md): the chain alone cannot catch someone holding the
database who cuts events from the end and rewinds the head, or edits an event
and recomputes every later hash. ``checkpoint`` signs the head (HMAC-SHA256,
with a key kept outside the database) into ``audit_checkpoints`` and appends
it to witness files (all in ``accord.audit_anchor``); ``verify`` given their
hashes as ``Pin``s checks the chain against them.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import IntegrityError
from accord.store import models as m
from accord.store.database import Database

GENESIS = "0" * 64


class AuditActor(Protocol):
    """Who an event is recorded for: only the name is read (``sharing.roles.Actor`` fits).

    A protocol, not ``Actor`` itself, so that the audit log sits below sharing.
    """

    @property
    def name(self) -> str:
        """The actor's name as written into the event, e.g. ``cli:alice``."""
        ...

    @property
    def member_id(self) -> int | None:
        """The member acting (None for the operator and the node's own jobs)."""
        ...


class AuditAction(StrEnum):
    """Every action the log records, the one source of their names for writers and readers.

    Values are exactly the strings stored and hashed in the chain, and change-feed
    readers recognise events by them, so a value never changes once released. A
    member's name is its value in capitals with dots as underscores.
    """

    PARTNER_ADD = "partner.add"
    PARTNER_REPORT_OPT_IN = "partner.report_opt_in"
    PARTNER_CONTENT_URL = "partner.content_url"
    MEMBER_ADD = "member.add"
    MEMBER_PASSWORD = "member.password"
    KEY_CREATE = "key.create"
    KEY_REVOKE = "key.revoke"
    CHANNEL_ADD = "channel.add"
    CHANNEL_JOIN = "channel.join"
    # Joining needs the joining partner's consent (issue 18): invite, then accept or decline.
    CHANNEL_INVITE = "channel.invite"
    CHANNEL_INVITATION_ACCEPT = "channel.invitation.accept"
    CHANNEL_INVITATION_DECLINE = "channel.invitation.decline"
    CHANNEL_INVITATION_WITHDRAW = "channel.invitation.withdraw"
    BANK_ADD = "bank.add"
    BANK_CHANNEL = "bank.channel"
    BANK_MATCHING = "bank.matching"
    BANK_RENAME = "bank.rename"
    BANK_DELETE = "bank.delete"
    SIGNAL_ADD = "signal.add"
    SIGNAL_CHANNEL = "signal.channel"
    SIGNAL_IMPORT = "signal.import"
    SIGNAL_QUARANTINE = "signal.quarantine"
    SIGNAL_REACTIVATE = "signal.reactivate"
    SIGNAL_RETRACT = "signal.retract"
    SIGNAL_BACKUP = "signal.backup"
    OPINION_SET = "opinion.set"
    # Fixing labels (issue 19): edits, dispute threads, proposals.
    SIGNAL_LABELS = "signal.labels"
    DISPUTE_MESSAGE = "dispute.message"
    PROPOSAL_ADD = "proposal.add"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_REFUSE = "proposal.refuse"
    ENTITY_ADD = "entity.add"
    ENTITY_UPDATE = "entity.update"
    DESIGNATION_SOURCE_REGISTER = "designation_source.register"
    POLICY_AUTO_ACTION = "policy.auto_action"
    MATCH_CLAIM = "match.claim"
    MATCH_DECIDE = "match.decide"
    MATCH_RECORD = "match.record"
    MATCH_REASSIGN = "match.reassign"
    MATCH_RELEASE = "match.release"
    MATCH_UNDO = "match.undo"
    WEBHOOK_ADD = "webhook.add"
    WEBHOOK_DELIVERY_DEAD = "webhook.delivery_dead"
    WEBHOOK_PAUSE = "webhook.pause"
    WEBHOOK_RESUME = "webhook.resume"
    WEBHOOK_TEST = "webhook.test"
    INCIDENT_ADD = "incident.add"
    INCIDENT_IMPORT = "incident.import"
    INCIDENT_SOURCE_ADD = "incident.source.add"
    INCIDENT_STATEMENT_ADD = "incident.statement.add"
    INCIDENT_STATEMENT_RECEIVE = "incident.statement.receive"
    FLOW_IMPORT = "flow.import"
    CRISIS_ACTIVATE = "crisis.activate"
    CRISIS_CLOSE = "crisis.close"
    CRISIS_EXPIRE = "crisis.expire"
    DIALOGUE_ADD = "dialogue.add"
    DIALOGUE_AGENDA = "dialogue.agenda"
    ACTION_ADD = "action.add"
    ACTION_STATUS = "action.status"
    REQUEST_ANSWER = "request.answer"
    REQUEST_DECLINE = "request.decline"
    REQUEST_PURGE = "request.purge"
    REQUEST_SEND = "request.send"
    PROGRAMME_ADD = "programme.add"
    PROGRAMME_ASSESS = "programme.assess"
    PROGRAMME_STATUS = "programme.status"
    PEER_ADD = "peer.add"
    PEER_SYNC = "peer.sync"
    PEER_SYNC_START = "peer.sync.start"
    # Write-back to exchange peers (issue 16): switched per peer, each opinion's delivery.
    PEER_WRITE_BACK = "peer.write_back"
    PEER_KEY = "peer.key"  # a TAXII peer's API key replaced (the key itself never logged)
    EXCHANGE_OPINION_QUEUED = "exchange.opinion.queued"
    EXCHANGE_OPINION_DELIVERED = "exchange.opinion.delivered"
    EXCHANGE_OPINION_FAILED = "exchange.opinion.failed"
    EXCHANGE_OPINION_DEAD = "exchange.opinion.dead"
    TAXII_ADD = "taxii.add"
    # Sessions and accounts (issue 18): sign-in, sign-out, deactivation, webhook removal.
    SESSION_SIGN_IN = "session.sign_in"
    SESSION_SIGN_IN_FAILED = "session.sign_in_failed"
    SESSION_SIGN_OUT = "session.sign_out"
    MEMBER_DEACTIVATE = "member.deactivate"
    MEMBER_REACTIVATE = "member.reactivate"
    WEBHOOK_DELETE = "webhook.delete"

    @property
    def area(self) -> str:
        """What the action is about: the part before the first dot (``signal``)."""
        return self.value.split(".", 1)[0]

    @classmethod
    def of(cls, *areas: str) -> frozenset[AuditAction]:
        """Every action about any of ``areas`` (for change-feed readers)."""
        return frozenset(a for a in cls if a.area in areas)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One stored audit event."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of ``verify``: how far the chain holds, and the first break."""

    events_checked: int
    first_bad_seq: int | None = None
    reason: str | None = None
    checkpoints_checked: int = 0
    anchored_seq: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every event and the chain's tip check out."""
        return self.reason is None


NOT_ANCHORED = ("checked against no signed checkpoint: events cut from the end with the "
                "head row rewound, or an edit with every later hash recomputed, cannot be "
                "detected")


@dataclass(frozen=True, slots=True)
class Pin:
    """A hash known from outside the chain for one event: a signed checkpoint's."""

    seq: int
    hash: str
    label: str  # names the pin in a report, e.g. "the checkpoint signed ... (witness ...)"


def canonical_json(data: dict[str, Any]) -> str:
    """The one serialisation of ``details`` that is stored and hashed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    details: str,
    prev_hash: str,
) -> str:
    """SHA-256 over an event's fields and the previous hash."""
    body = json.dumps(
        [seq, at.astimezone(dt.UTC).isoformat(), actor, action, object_type, object_id,
         details, prev_hash],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    session: Session,
    actor: AuditActor,
    action: AuditAction,
    object_type: str,
    object_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event for a change made in ``session``'s transaction."""
    head = session.execute(
        select(m.AuditHead).where(m.AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        raise IntegrityError(
            "the audit log's head row is missing",
            hint="the database was not created by `accord init`, or was tampered with",
        )
    at = dt.datetime.now(dt.UTC)
    seq, prev = head.seq + 1, head.hash
    text = canonical_json(details or {})
    oid = str(object_id)
    name = str(action)  # the plain string, as stored and hashed
    digest = event_hash(seq, at, actor.name, name, object_type, oid, text, prev)
    row = m.AuditEvent(
        seq=seq, at=at, actor=actor.name, action=name, object_type=object_type,
        object_id=oid, details=text, prev_hash=prev, hash=digest,
        actor_member_id=actor.member_id,
    )
    session.add(row)
    head.seq, head.hash = seq, digest
    session.flush()
    return _to_record(row)


def _to_record(row: m.AuditEvent) -> AuditEvent:
    return AuditEvent(
        seq=row.seq, at=row.at, actor=row.actor, action=row.action,
        object_type=row.object_type, object_id=row.object_id,
        details=json.loads(row.details), prev_hash=row.prev_hash, hash=row.hash,
    )


def check_link(row: m.AuditEvent, expected_seq: int, prev: str) -> str | None:
    """Why ``row`` breaks the chain, or None when it holds."""
    if row.seq != expected_seq:
        return (f"event {expected_seq} is missing (the next stored event is {row.seq}): "
                "events were deleted")
    if row.prev_hash != prev:
        return (f"event {row.seq} does not link to event {row.seq - 1} "
                "(its previous hash differs): events were removed or reordered")
    recomputed = event_hash(row.seq, row.at, row.actor, row.action, row.object_type,
                            row.object_id, row.details, row.prev_hash)
    if recomputed != row.hash:
        return f"event {row.seq} was altered: its content no longer matches its hash"
    return None


def verify(db: Database, pins: Sequence[Pin] = (), *, batch: int = 10_000) -> VerifyReport:
    """Walk the whole chain; report the first event that breaks it.

    ``pins``: hashes known from outside the chain (signed checkpoints, checked by
    ``accord.audit_anchor.verify``): an event whose hash differs from its pin, or a pin
    beyond the chain's end, breaks it too. Without pins the report is ok, but ``warnings``
    says what the chain alone cannot detect.
    """
    wanted: dict[int, list[Pin]] = {}
    for pin in pins:
        wanted.setdefault(pin.seq, []).append(pin)
    checked, prev, anchored = 0, GENESIS, 0
    with db.reader() as session:
        head = session.get(m.AuditHead, 1)
        result = session.execute(
            select(m.AuditEvent).order_by(m.AuditEvent.seq).execution_options(yield_per=batch)
        )
        try:
            for row in result.scalars():
                reason = check_link(row, checked + 1, prev)
                if reason is None and row.seq in wanted:
                    reason = _against(row, wanted[row.seq], anchored)
                    anchored = row.seq
                if reason is not None:
                    return VerifyReport(checked, checked + 1, reason, len(pins), anchored)
                checked, prev = checked + 1, row.hash
        finally:
            result.close()  # a server-side cursor on PostgreSQL: close it before the session
        if head is None:
            return VerifyReport(checked, None, "the audit log's head row is missing")
        if head.seq != checked or head.hash != prev:
            return VerifyReport(
                checked, checked + 1,
                f"the log ends at event {checked} but its head records event {head.seq}: "
                "events were deleted from the end",
            )
    beyond = [pin for pin in pins if pin.seq > checked]
    if beyond:
        pin = max(beyond, key=lambda p: p.seq)
        return VerifyReport(
            checked, checked + 1,
            f"{pin.label} records event {pin.seq}, but the log ends at event {checked}: "
            "events were cut from the end and the head row rewound", len(pins), anchored)
    return VerifyReport(checked, checkpoints_checked=len(pins), anchored_seq=anchored,
                        warnings=() if pins else (NOT_ANCHORED,))


def _against(row: m.AuditEvent, pins: Sequence[Pin], anchored: int) -> str | None:
    """Why ``row`` contradicts a hash pinned for its seq, or None."""
    for pin in pins:
        if pin.hash != row.hash:
            return (f"event {row.seq}'s hash differs from the one {pin.label} recorded: "
                    f"the chain was rewritten (an event after {anchored} and at or before "
                    f"{row.seq} was changed and every later hash recomputed)")
    return None


def tail(db: Database, count: int = 20) -> list[AuditEvent]:
    """The last ``count`` events, oldest first."""
    with db.reader() as session:
        rows = session.execute(
            select(m.AuditEvent).order_by(m.AuditEvent.seq.desc()).limit(count)
        ).scalars().all()
        return [_to_record(r) for r in reversed(rows)]


def events(db: Database, *, object_type: str | None = None,
           object_id: str | None = None) -> Iterator[AuditEvent]:
    """Events about one object (or all), oldest first."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.seq)
    if object_type is not None:
        query = query.where(m.AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(m.AuditEvent.object_id == object_id)
    with db.reader() as session:
        for row in session.execute(query).scalars():
            yield _to_record(row)


def count(db: Database) -> int:
    """How many events the log holds."""
    with db.reader() as session:
        return session.execute(select(func.count()).select_from(m.AuditEvent)).scalar_one()


def recent(db: Database, *, members: Sequence[int] | None = None,
           actors: Sequence[str] | None = None, before: int | None = None,
           limit: int = 50) -> list[AuditEvent]:
    """Newest events first; page with ``before``. ``members``: only events of these
    member ids (what a partner's view uses: identity, never a name). ``actors``: only
    events written under these names (the operator's tools, e.g. ``sync:<peer>``)."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.seq.desc()).limit(max(1, min(limit, 500)))
    if actors is not None:
        query = query.where(m.AuditEvent.actor.in_(sorted(set(actors))))
    if members is not None:
        query = query.where(m.AuditEvent.actor_member_id.in_(sorted(set(members))))
    if before is not None:
        query = query.where(m.AuditEvent.seq < before)
    with db.reader() as session:
        return [_to_record(r) for r in session.execute(query).scalars()]

