"""Opinions: partners' feedback on a signal, and quarantine by dispute."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.signals import Status
from accord.curation.writeback import OutboundKind, queue_opinions
from accord.errors import Invalid, NotFound, PermissionDenied, parse_choice, trimmed
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_GIVE_OPINION, Actor
from accord.sharing.service import staff_name
from accord.sharing.visibility import actor_may_see
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database
from accord.store.signals import labels_of


class OpinionKind(StrEnum):
    """What a partner says about a signal."""

    AGREE = "agree"
    DISAGREE = "disagree"
    FALSE_POSITIVE = "false-positive"
    SEEN = "seen"

    @classmethod
    def parse(cls, text: str) -> OpinionKind:
        """Parse an opinion kind ("false_positive" is accepted too)."""
        return parse_choice(cls, text, "opinion")


DISPUTES = frozenset({OpinionKind.DISAGREE, OpinionKind.FALSE_POSITIVE})


def _record(row: m.Opinion) -> r.Opinion:
    return r.Opinion(row.id, row.signal_id, row.partner_id, row.author, row.kind, row.note,
                     row.updated_at, row.label)


def _disputed_label(session: Session, signal: m.Signal, okind: OpinionKind,
                    label: str | None) -> str | None:
    """The canonical label a dispute names: one of the signal's labels, or ``Invalid``."""
    if label is None or not label.strip():
        return None
    if okind not in DISPUTES:
        raise Invalid("only a dispute names a label, not a {okind!r} opinion",
                      hint="give kind disagree or false-positive, or leave the label out",
                      okind=okind.value)
    held = labels_of(session, [signal.id])[signal.id]
    wanted = label.strip()
    for canonical in held:
        if canonical == wanted or canonical.split(":", 1)[-1] == wanted:
            return canonical
    named = ", ".join(held) or "none"
    raise Invalid("signal {id} has no label {wanted}", hint="name one of its labels: {named}",
                  id=signal.id, wanted=trimmed(wanted), named=named)


def disputing_partners(session: Session, signal: m.Signal) -> int:
    """How many partners other than the owner dispute ``signal``."""
    return session.execute(
        select(func.count(func.distinct(m.Opinion.partner_id))).where(
            m.Opinion.signal_id == signal.id,
            m.Opinion.partner_id != signal.owner_partner_id,
            m.Opinion.kind.in_([k.value for k in DISPUTES]),
        )
    ).scalar_one()


def opinion_set(
    db: Database, actor: Actor, signal_id: int, kind: str, note: str, settings: Settings,
    *, label: str | None = None,
) -> r.Opinion:
    """Record (or replace) the actor's partner's opinion of a signal it may see.

    A dispute (disagree, false-positive) may name ``label``, one of the signal's
    labels, as the one it disputes; ``Invalid`` for any other label.

    When the number of distinct disputing partners reaches
    ``settings.dispute_quarantine_partners`` the signal is quarantined: it stops
    matching until its owner reactivates or retracts it.
    """
    okind = OpinionKind.parse(kind)
    if actor.partner_id is None:
        raise PermissionDenied("opinions are given by a partner's member, not the node operator",
                               hint="act as a member, e.g. --as USERNAME")
    actor.require(CAN_GIVE_OPINION, "give opinions on signals")
    with db.transaction() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        disputed = _disputed_label(session, signal, okind, label)
        row = session.execute(select(m.Opinion).where(
            m.Opinion.signal_id == signal_id, m.Opinion.partner_id == actor.partner_id,
        )).scalar_one_or_none()
        now = m.utcnow()
        note = checked_text(session, "opinion note", note)
        if row is None:
            row = m.Opinion(signal_id=signal_id, partner_id=actor.partner_id, author=actor.name,
                            kind=okind.value, note=note, label=disputed,
                            created_at=now, updated_at=now)
            session.add(row)
        else:
            row.kind, row.note, row.author, row.updated_at, row.label = (
                okind.value, note, actor.name, now, disputed)
        session.flush()
        details: dict[str, object] = {"kind": okind.value, "partner": actor.partner_id}
        if disputed is not None:
            details["label"] = disputed
        audit.record(session, actor, audit.AuditAction.OPINION_SET, "signal", signal_id, details)
        if okind in DISPUTES:  # back to the exchange the signal came from, if it listens
            queue_opinions(session, actor, signal_id, OutboundKind.DISPUTED
                           if okind is OpinionKind.DISAGREE else OutboundKind.FALSE_POSITIVE)
        if (signal.status == Status.ACTIVE and okind in DISPUTES
                and disputing_partners(session, signal) >= settings.dispute_quarantine_partners):
            signal.status, signal.updated_at = Status.QUARANTINED.value, now
            audit.record(session, actor, audit.AuditAction.SIGNAL_QUARANTINE, "signal", signal_id, {
                "disputing_partners": disputing_partners(session, signal),
                "threshold": settings.dispute_quarantine_partners,
            })
        return _record(row)


def opinion_list(db: Database, actor: Actor, signal_id: int) -> list[r.Opinion]:
    """Every partner's opinion on a signal the actor may see, oldest first."""
    with db.reader() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        rows = session.execute(select(m.Opinion).where(m.Opinion.signal_id == signal_id)
                               .order_by(m.Opinion.created_at)).scalars()
        owner = signal.owner_partner_id
        return [_seen(actor, _record(o), owner) for o in rows]


def _seen(actor: Actor, opinion: r.Opinion, owner: int) -> r.Opinion:
    """The opinion with its author's user name hidden from other partners, and the label
    it disputes from all but the signal's owner and the disputer (a dispute's details
    are theirs; ``accord.curation.disputes``)."""
    name = staff_name(actor, opinion.partner_id, opinion.author)
    if name != opinion.author:
        opinion = dataclasses.replace(opinion, author=name)
    party = actor.is_operator or actor.partner_id in (owner, opinion.partner_id)
    return opinion if party or opinion.label is None else dataclasses.replace(opinion, label=None)
