"""A dispute's thread: the signal's owner and the disputing partner write to each other.

A dispute is a disagree or false-positive opinion of a partner other than the
signal's owner. Its thread is theirs alone: the owner's staff and the disputer's
staff read and write it (writing takes a curator or opinion-giving role, as the
signal and the opinion do); the operator reads it. Any other actor gets
``NotFound`` for the dispute, as for one that does not exist; it still sees the
anonymous opinion counts it always did. Every message goes through the
personal-data check (``accord.safeguards.free_text.checked_text``) and is audited.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.curation.opinions import DISPUTES
from accord.errors import NotFound, PermissionDenied
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_CURATE, CAN_GIVE_OPINION, Actor
from accord.sharing.service import staff_name
from accord.sharing.visibility import actor_may_see
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

MESSAGE_MAX = 2000


def _dispute(session: Session, actor: Actor, opinion_id: int) -> tuple[m.Opinion, m.Signal]:
    """The dispute and its signal when ``actor`` is a party to it (or the operator)."""
    row = session.get(m.Opinion, opinion_id)
    signal = None if row is None else session.get(m.Signal, row.signal_id)
    if (row is None or signal is None or row.kind not in {k.value for k in DISPUTES}
            or row.partner_id == signal.owner_partner_id
            or not actor_may_see(session, actor, signal)
            or not (actor.is_operator
                    or actor.partner_id in (signal.owner_partner_id, row.partner_id))):
        raise NotFound("no dispute {opinion_id}", opinion_id=opinion_id)
    return row, signal


def _record(actor: Actor, row: m.DisputeMessage) -> r.DisputeMessage:
    found = r.DisputeMessage(row.id, row.opinion_id, row.partner_id, row.author, row.text,
                             row.created_at)
    name = staff_name(actor, row.partner_id, row.author)
    return found if name == row.author else replace(found, author=name)


def dispute_messages(db: Database, actor: Actor, opinion_id: int) -> list[r.DisputeMessage]:
    """The thread of a dispute the actor is a party to, oldest first."""
    with db.reader() as session:
        _dispute(session, actor, opinion_id)
        rows = session.execute(select(m.DisputeMessage)
                               .where(m.DisputeMessage.opinion_id == opinion_id)
                               .order_by(m.DisputeMessage.id)).scalars().all()
        return [_record(actor, row) for row in rows]


def dispute_reply(db: Database, actor: Actor, opinion_id: int, text: str) -> r.DisputeMessage:
    """Add a message to a dispute's thread, as the owner's curator or the disputer."""
    if actor.partner_id is None:
        raise PermissionDenied("dispute messages are written by a partner's member, not the "
                               "node operator", hint="act as a member, e.g. --as USERNAME")
    with db.transaction() as session:
        opinion, signal = _dispute(session, actor, opinion_id)
        if actor.partner_id == signal.owner_partner_id:
            actor.require(CAN_CURATE, "answer disputes of this partner's signals")
        else:
            actor.require(CAN_GIVE_OPINION, "write in this partner's disputes")
        checked = checked_text(session, "message", text, required=True, limit=MESSAGE_MAX)
        row = m.DisputeMessage(opinion_id=opinion.id, partner_id=actor.partner_id,
                               author=actor.name, text=checked, created_at=m.utcnow())
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.DISPUTE_MESSAGE, "signal", signal.id,
                     {"dispute": opinion.id, "message": row.id})
        return _record(actor, row)


def disputes_of(db: Database, actor: Actor, signal_id: int) -> list[r.Opinion]:
    """The disputes of a signal whose threads the actor may read: all of them for the
    owner's staff and the operator, its own partner's for a disputer, none for others."""
    with db.reader() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        query = select(m.Opinion).where(
            m.Opinion.signal_id == signal_id, m.Opinion.partner_id != signal.owner_partner_id,
            m.Opinion.kind.in_([k.value for k in DISPUTES])).order_by(m.Opinion.id)
        if not (actor.is_operator or actor.partner_id == signal.owner_partner_id):
            query = query.where(m.Opinion.partner_id == actor.partner_id)
        return [r.Opinion(o.id, o.signal_id, o.partner_id,
                          staff_name(actor, o.partner_id, o.author), o.kind, o.note,
                          o.updated_at, o.label)
                for o in session.execute(query).scalars()]
