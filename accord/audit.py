"""The append-only, hash-chained audit log and its verifier.

Every state change appends one event in the same transaction as the change.
Each event's hash covers its own fields and the previous event's hash, so
editing, deleting or reordering any stored event breaks the chain from that
point on, and ``verify`` names the first bad event. The single ``audit_head``
row holds the chain's tip: it is locked for each append (serialising writers
on PostgreSQL) and lets ``verify`` notice events cut from the end.

Database triggers refuse UPDATE and DELETE on ``audit_events``; the chain is
what still catches someone who drops the triggers first.

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


class AuditAction(StrEnum):
    """Every action the log records, the one source of their names for writers and readers.

    Values are exactly the strings stored and hashed in the chain, and change-feed
    readers recognise events by them, so a value never changes once released. A
    member's name is its value in capitals with dots as underscores.
    """

    PARTNER_ADD = "partner.add"
    PARTNER_REPORT_OPT_IN = "partner.report_opt_in"
    MEMBER_ADD = "member.add"
    MEMBER_PASSWORD = "member.password"
    KEY_CREATE = "key.create"
    KEY_REVOKE = "key.revoke"
    CHANNEL_ADD = "channel.add"
    CHANNEL_JOIN = "channel.join"
    BANK_ADD = "bank.add"
    BANK_CHANNEL = "bank.channel"
    BANK_MATCHING = "bank.matching"
    SIGNAL_ADD = "signal.add"
    SIGNAL_CHANNEL = "signal.channel"
    SIGNAL_IMPORT = "signal.import"
    SIGNAL_QUARANTINE = "signal.quarantine"
    SIGNAL_REACTIVATE = "signal.reactivate"
    SIGNAL_RETRACT = "signal.retract"
    OPINION_SET = "opinion.set"
    ENTITY_ADD = "entity.add"
    ENTITY_UPDATE = "entity.update"
    DESIGNATION_SOURCE_REGISTER = "designation_source.register"
    POLICY_AUTO_ACTION = "policy.auto_action"
    MATCH_CLAIM = "match.claim"
    MATCH_DECIDE = "match.decide"
    MATCH_RECORD = "match.record"
    MATCH_RELEASE = "match.release"
    WEBHOOK_ADD = "webhook.add"
    WEBHOOK_DELIVERY_DEAD = "webhook.delivery_dead"
    WEBHOOK_PAUSE = "webhook.pause"
    WEBHOOK_RESUME = "webhook.resume"
    WEBHOOK_TEST = "webhook.test"
    INCIDENT_ADD = "incident.add"
    INCIDENT_IMPORT = "incident.import"
    INCIDENT_SOURCE_ADD = "incident.source.add"
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
    TAXII_ADD = "taxii.add"

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

    @property
    def ok(self) -> bool:
        """True when every event and the chain's tip check out."""
        return self.reason is None


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


def _check(row: m.AuditEvent, expected_seq: int, prev: str) -> str | None:
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


def verify(db: Database, *, batch: int = 10_000) -> VerifyReport:
    """Walk the whole chain; report the first event that breaks it."""
    checked, prev = 0, GENESIS
    with db.reader() as session:
        head = session.get(m.AuditHead, 1)
        result = session.execute(
            select(m.AuditEvent).order_by(m.AuditEvent.seq).execution_options(yield_per=batch)
        )
        try:
            for row in result.scalars():
                reason = _check(row, checked + 1, prev)
                if reason is not None:
                    return VerifyReport(checked, checked + 1, reason)
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
    return VerifyReport(checked)


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


def recent(db: Database, *, actors: Sequence[str] | None = None, before: int | None = None,
           limit: int = 50) -> list[AuditEvent]:
    """Newest events first, by any of ``actors`` (None: anyone); page with ``before``."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.seq.desc()).limit(max(1, min(limit, 500)))
    if actors is not None:
        query = query.where(m.AuditEvent.actor.in_(sorted(set(actors))))
    if before is not None:
        query = query.where(m.AuditEvent.seq < before)
    with db.reader() as session:
        return [_to_record(r) for r in session.execute(query).scalars()]
