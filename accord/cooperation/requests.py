"""Requests for information or assistance between partners: the service every edge calls.

A request names a typed purpose (none aimed at a person), references at
least one existing Accord object of the kind its purpose needs, and may carry
a short free text, checked for personal data on write. It has no
attachments. The recipient answers or declines it; the time to answer is
kept, and ``request_statistics`` gives counts and answer times for the
transparency report. Requests older than ``ACCORD_REQUEST_RETENTION_DAYS``
are purged (``purge_requests``); the audit log keeps that they existed.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.cooperation.records import RequestRecord, RequestStatistics
from accord.cooperation.refs import ObjectType, marking, resolve_ref, visible_to
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

# Who may send and answer requests for its partner; readers may read them.
CAN_CORRESPOND = frozenset({Role.ADMIN, Role.CURATOR, Role.REVIEWER})
MAX_REFS = 20


class Purpose(StrEnum):
    """Why one partner asks another. Every purpose is about objects, never about a person."""

    CLARIFY_DESIGNATION = "clarify-designation-basis"
    SHARE_INCIDENT_HASHES = "share-hashes-for-incident"
    CLARIFY_INCIDENT_SOURCING = "clarify-incident-sourcing"
    REVIEW_DISPUTED_LABEL = "review-disputed-label"
    SUPPORT_PROGRAMME = "support-capacity-programme"

    @classmethod
    def parse(cls, text: str) -> Purpose:
        """Parse a purpose, with a message listing the valid ones."""
        return parse_choice(cls, text, "request purpose")

    @property
    def needs(self) -> ObjectType:
        """The kind of object a request with this purpose must reference."""
        return _NEEDS[self]


_NEEDS = {
    Purpose.CLARIFY_DESIGNATION: ObjectType.ENTITY,
    Purpose.SHARE_INCIDENT_HASHES: ObjectType.INCIDENT,
    Purpose.CLARIFY_INCIDENT_SOURCING: ObjectType.INCIDENT,
    Purpose.REVIEW_DISPUTED_LABEL: ObjectType.SIGNAL,
    Purpose.SUPPORT_PROGRAMME: ObjectType.PROGRAMME,
}


class RequestStatus(StrEnum):
    """Where a request stands."""

    OPEN = "open"
    ANSWERED = "answered"
    DECLINED = "declined"

    @classmethod
    def parse(cls, text: str) -> RequestStatus:
        """Parse a status, with a message listing the valid ones."""
        return parse_choice(cls, text, "request status")


@dataclass(frozen=True, slots=True)
class Period:
    """Dates from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise Invalid("the period ends ({end}) before it starts ({start})", end=self.end,
                          start=self.start)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as [start, end) UTC datetimes."""
        start = dt.datetime.combine(self.start, dt.time(), dt.UTC)
        return start, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), dt.UTC)


def _names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(m.Partner.id, m.Partner.name)
                           .where(m.Partner.id.in_(sorted(set(ids)))))
    return {pid: name for pid, name in rows}


def _record(session: Session, row: m.CoopRequest) -> RequestRecord:
    names = _names(session, [row.from_partner_id, row.to_partner_id])
    refs = session.execute(select(m.RequestRef.object_type, m.RequestRef.object_key)
                           .where(m.RequestRef.request_id == row.id)
                           .order_by(m.RequestRef.object_type, m.RequestRef.object_key)).all()
    return RequestRecord(
        row.id, names[row.from_partner_id], names[row.to_partner_id], row.purpose,
        tuple(f"{t}:{k}" for t, k in refs), row.text, row.tlp, row.channel_id, row.status,
        row.answer, row.created_by, row.answered_by, row.created_at, row.answered_at,
    )


def _sender(session: Session, actor: Actor, from_partner: str | int | None) -> m.Partner:
    if from_partner is None:
        if actor.partner_id is None:
            raise Invalid("the node operator must say which partner sends the request",
                          hint="pass from_partner (CLI: --from PARTNER)")
        return session.get_one(m.Partner, actor.partner_id)
    partner = find_partner(session, from_partner)
    actor.require_partner(partner.id, "send requests for this partner")
    return partner


def request_send(
    db: Database, actor: Actor, to_partner: str | int, purpose: str, refs: Sequence[str],
    text: str = "", *, tlp: str = "AMBER+STRICT", channel: str | int | None = None,
    from_partner: str | int | None = None,
) -> RequestRecord:
    """Send a request to another partner; refused without a referenced object of the
    purpose's kind, or when its text looks like it holds personal data."""
    actor.require(CAN_CORRESPOND, "send requests")
    kind = Purpose.parse(purpose)
    if not refs:
        raise Invalid("a request must reference at least one Accord object",
                      hint="a {kind} request references a {needs}, e.g. {needs}:ID",
                      kind=kind.value, needs=kind.needs.value)
    if len(refs) > MAX_REFS:
        raise Invalid("a request references {refs_count} objects; the limit is {max_refs}",
                      refs_count=len(refs), max_refs=MAX_REFS)
    with db.transaction() as session:
        sender = _sender(session, actor, from_partner)
        recipient = find_partner(session, to_partner)
        if recipient.id == sender.id:
            raise Invalid("a request goes to another partner, not to its sender")
        checked = list(dict.fromkeys(resolve_ref(session, actor, r) for r in refs))
        if not any(ref.object_type == kind.needs.value for ref in checked):
            raise Invalid("a {kind} request must reference a {needs}",
                          hint="add {needs}:KEY to the references", kind=kind.value,
                          needs=kind.needs.value)
        body = checked_text(session, "request text", text)
        mark, channel_id = marking(session, sender.id, tlp, channel)
        row = m.CoopRequest(from_partner_id=sender.id, to_partner_id=recipient.id,
                            purpose=kind.value, text=body, tlp=mark, channel_id=channel_id,
                            status=RequestStatus.OPEN.value, created_by=actor.name,
                            created_at=m.utcnow())
        session.add(row)
        session.flush()
        session.add_all(m.RequestRef(request_id=row.id, object_type=ref.object_type,
                                     object_key=ref.key) for ref in checked)
        session.flush()
        audit.record(session, actor, audit.AuditAction.REQUEST_SEND, "request", row.id, {
            "from": sender.id, "to": recipient.id, "purpose": kind.value,
            "refs": [str(ref) for ref in checked], "tlp": mark, "channel": channel_id,
        })
        return _record(session, row)


def _visible(session: Session, actor: Actor, row: m.CoopRequest) -> bool:
    return visible_to(session, actor, {row.from_partner_id, row.to_partner_id},
                      row.from_partner_id, row.tlp, row.channel_id)


def _find(session: Session, actor: Actor, request_id: int, *, lock: bool = False
          ) -> m.CoopRequest:
    query = select(m.CoopRequest).where(m.CoopRequest.id == request_id)
    row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None or not _visible(session, actor, row):
        raise NotFound("no request {request_id}", hint="list yours with: accord request list",
                       request_id=request_id)
    return row


def request_answer(db: Database, actor: Actor, request_id: int, answer: str, *,
                   decline: bool = False) -> RequestRecord:
    """Answer (or decline, saying why) a request sent to the actor's partner."""
    actor.require(CAN_CORRESPOND, "answer requests")
    with db.transaction() as session:
        row = _find(session, actor, request_id, lock=True)
        if not actor.is_operator and actor.partner_id != row.to_partner_id:
            raise PermissionDenied("{name} may not answer request {id}: only the partner it was "
                                   "sent to may", name=actor.name, id=row.id)
        if row.status != RequestStatus.OPEN:
            raise Conflict("request {id} is already {status}",
                           hint="send a new request to follow it up", id=row.id, status=row.status)
        row.answer = checked_text(session, "answer", answer, required=True)
        row.status = (RequestStatus.DECLINED if decline else RequestStatus.ANSWERED).value
        row.answered_by, row.answered_at = actor.name, m.utcnow()
        session.flush()
        audit.record(session, actor, audit.AuditAction.REQUEST_DECLINE if decline
                     else audit.AuditAction.REQUEST_ANSWER,
                     "request", row.id, {"status": row.status})
        return _record(session, row)


def request_get(db: Database, actor: Actor, request_id: int) -> RequestRecord:
    """One request the actor's partner sent, received, or may see by its marking."""
    with db.reader() as session:
        return _record(session, _find(session, actor, request_id))


def request_list(db: Database, actor: Actor, *, status: str | None = None,
                 limit: int = 100) -> list[RequestRecord]:
    """Requests the actor's partner sent or received (the operator: all), newest first."""
    wanted = RequestStatus.parse(status) if status else None
    if not 1 <= limit <= 1000:
        raise Invalid("limit {limit} is outside 1-1000", limit=limit)
    with db.reader() as session:
        query = select(m.CoopRequest).order_by(m.CoopRequest.id.desc()).limit(limit)
        if actor.partner_id is not None:
            query = query.where(or_(m.CoopRequest.from_partner_id == actor.partner_id,
                                    m.CoopRequest.to_partner_id == actor.partner_id))
        if wanted is not None:
            query = query.where(m.CoopRequest.status == wanted.value)
        return [_record(session, row) for row in session.execute(query).scalars()]


def purge_requests(db: Database, actor: Actor, settings: Settings,
                   now: dt.datetime | None = None) -> int:
    """Delete requests sent before the retention limit; returns how many (operator only)."""
    if not actor.is_operator:
        raise PermissionDenied("{name} may not purge requests: only the node operator may",
                               name=actor.name)
    cutoff = (now or m.utcnow()) - dt.timedelta(days=settings.request_retention_days)
    with db.transaction() as session:
        ids = list(session.execute(select(m.CoopRequest.id)
                                   .where(m.CoopRequest.created_at < cutoff)).scalars())
        if ids:
            session.execute(delete(m.RequestRef).where(m.RequestRef.request_id.in_(ids)))
            session.execute(delete(m.CoopRequest).where(m.CoopRequest.id.in_(ids)))
            audit.record(session, actor, audit.AuditAction.REQUEST_PURGE, "request", "*", {
                "count": len(ids), "sent_before": cutoff.isoformat(),
                "retention_days": settings.request_retention_days,
            })
        return len(ids)


def request_statistics(db: Database, period: Period, *, partner_id: int | None = None
                       ) -> RequestStatistics:
    """Counts by status and purpose, and answer times, of requests sent in ``period``
    (with ``partner_id``: only those that partner sent or received).

    Aggregates only (no request text, no partners): what the transparency report shows.
    """
    start, end = period.bounds()
    query = (select(m.CoopRequest.purpose, m.CoopRequest.status, m.CoopRequest.created_at,
                    m.CoopRequest.answered_at)
             .where(m.CoopRequest.created_at >= start, m.CoopRequest.created_at < end))
    if partner_id is not None:
        query = query.where(or_(m.CoopRequest.from_partner_id == partner_id,
                                m.CoopRequest.to_partner_id == partner_id))
    with db.reader() as session:
        rows = session.execute(query).all()
    status = Counter(r.status for r in rows)
    hours = sorted((r.answered_at - r.created_at).total_seconds() / 3600
                   for r in rows if r.answered_at is not None)
    p90 = hours[min(len(hours) - 1, int(0.9 * len(hours)))] if hours else None
    return RequestStatistics(
        period.start, period.end, len(rows), status[RequestStatus.ANSWERED.value],
        status[RequestStatus.DECLINED.value], status[RequestStatus.OPEN.value],
        dict(sorted(Counter(r.purpose for r in rows).items())),
        statistics.median(hours) if hours else None, p90,
    )
