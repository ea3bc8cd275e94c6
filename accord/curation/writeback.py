"""The write-back queue: verdicts and disputes on signals that came from an exchange peer.

When a reviewer confirms a match (``true_positive``), rejects one
(``false_positive``), or a partner disputes the signal (a ``disagree`` opinion
is ``disputed``, a ``false-positive`` one ``false_positive``), each exchange
peer the signal came from (its provenance, ``exchange_records``) that has
write-back switched on gets one outbound opinion per upstream id. Only the
upstream id and the kind are kept, hence sent: never the content reference,
the rationale, the note, or who decided. One opinion of a kind per (peer,
upstream id) is enough: a second confirm of the same signal queues nothing.

A verdict's opinion waits for the verdict's undo window (``not_before``), and
an undone verdict cancels it (``cancel_for_verdict``). Delivery is
``accord.exchange.writeback``.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.sharing.roles import Actor
from accord.store import models as m


class OutboundKind(StrEnum):
    """What an outbound opinion tells the exchange."""

    TRUE_POSITIVE = "true_positive"
    FALSE_POSITIVE = "false_positive"
    DISPUTED = "disputed"


LIVE_STATES = ("pending", "failed", "delivered")
"""States in which an opinion counts as said (a dead or cancelled one may be queued again)."""


def upstream_ids(record: m.ExchangeRecord) -> list[str]:
    """The ids an opinion on ``record`` is addressed to upstream: the descriptors of other
    members that its opinions name (ThreatExchange reacts to descriptors, never to our
    own: a record only we describe gets none), else the record's key (StopNCII's hash)."""
    opinions = [o for o in record.opinions if isinstance(o, dict)]
    if not any("descriptor_id" in o for o in opinions):
        return [record.record_key]
    named = [str(d) for o in opinions if not o.get("is_mine")
             and isinstance(d := o.get("descriptor_id"), int) and d > 0]
    return list(dict.fromkeys(named))


def queue_opinions(session: Session, actor: Actor, signal_id: int, kind: OutboundKind, *,
                   not_before: dt.datetime | None = None,
                   verdict_id: int | None = None) -> int:
    """Queue ``kind`` for every write-back peer ``signal_id`` came from; how many queued."""
    found = session.execute(
        select(m.ExchangeRecord, m.Peer.id, m.Peer.name)
        .join(m.Peer, m.Peer.id == m.ExchangeRecord.peer_id)
        .where(m.ExchangeRecord.signal_id == signal_id, m.Peer.kind == "exchange",
               m.Peer.write_back.is_(True))
        .order_by(m.ExchangeRecord.id)).all()
    queued = 0
    for record, peer_id, peer_name in found:
        for upstream in upstream_ids(record):
            if _said(session, peer_id, upstream, kind):
                continue
            row = m.ExchangeOpinion(
                peer_id=peer_id, signal_id=signal_id, upstream_id=upstream[:500],
                kind=kind.value, state="pending", attempts=0, next_attempt_at=not_before,
                verdict_id=verdict_id, created_at=m.utcnow())
            session.add(row)
            session.flush()
            audit.record(session, actor, audit.AuditAction.EXCHANGE_OPINION_QUEUED,
                         "exchange_opinion", row.id, {
                             "peer": peer_name, "signal": signal_id, "kind": kind.value,
                             "upstream_id": row.upstream_id})
            queued += 1
    return queued


def _said(session: Session, peer_id: int, upstream: str, kind: OutboundKind) -> bool:
    """Whether the latest live opinion to ``upstream`` already says ``kind``."""
    latest = session.execute(
        select(m.ExchangeOpinion.kind).where(
            m.ExchangeOpinion.peer_id == peer_id, m.ExchangeOpinion.upstream_id == upstream,
            m.ExchangeOpinion.state.in_(LIVE_STATES))
        .order_by(m.ExchangeOpinion.id.desc()).limit(1)).scalar_one_or_none()
    return latest == kind.value


def cancel_for_verdict(session: Session, verdict_id: int) -> int:
    """Cancel the undelivered opinions an undone verdict queued; how many."""
    rows = session.execute(select(m.ExchangeOpinion).where(
        m.ExchangeOpinion.verdict_id == verdict_id,
        m.ExchangeOpinion.state.in_(("pending", "failed")))).scalars().all()
    for row in rows:
        row.state, row.next_attempt_at = "cancelled", None
    return len(rows)
