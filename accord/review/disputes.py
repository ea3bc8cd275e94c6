"""The contributor's side of disputes: its signals that other partners dispute.

Disputes are opinions (``disagree`` or ``false-positive``, see
``accord.curation.opinions``) given by partners other than the signal's owner,
directly or by rejecting a match as a false positive in review.
"""

from __future__ import annotations

from sqlalchemy import select

from accord.curation.opinions import DISPUTES
from accord.review.records import DisputedSignal, DisputeOpinion
from accord.sharing.roles import Actor
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database
from accord.store.signals import canonical_value, labels_of


def disputed_signals(db: Database, actor: Actor, *, partner: str | int | None = None
                     ) -> list[DisputedSignal]:
    """The partner's signals that other partners dispute, each with every dispute's note.

    Members see their own partner's list; the operator names a partner (or sees all).
    """
    with db.reader() as session:
        if partner is None:
            partner_id = actor.partner_id
        else:
            partner_id = find_partner(session, partner).id
            actor.require_partner(partner_id, "read this partner's disputes")
        query = (
            select(m.Opinion, m.Partner.name, m.Signal, m.Bank.name)
            .join(m.Signal, m.Signal.id == m.Opinion.signal_id)
            .join(m.Bank, m.Bank.id == m.Signal.bank_id)
            .join(m.Partner, m.Partner.id == m.Opinion.partner_id)
            .where(m.Opinion.partner_id != m.Signal.owner_partner_id,
                   m.Opinion.kind.in_([k.value for k in DISPUTES]))
            .order_by(m.Signal.id, m.Opinion.updated_at, m.Opinion.id)
        )
        if partner_id is not None:
            query = query.where(m.Signal.owner_partner_id == partner_id)
        rows = session.execute(query).all()
        labels = labels_of(session, [s.id for _, _, s, _ in rows])
        grouped: dict[int, tuple[m.Signal, str, list[DisputeOpinion]]] = {}
        for opinion, partner_name, signal, bank in rows:
            entry = grouped.setdefault(signal.id, (signal, bank, []))
            entry[2].append(DisputeOpinion(opinion.partner_id, partner_name, opinion.kind,
                                           opinion.note, opinion.updated_at, opinion.label))
        return [
            DisputedSignal(s.id, s.signal_type, canonical_value(s), bank, s.status,
                           labels[s.id], tuple(found))
            for s, bank, found in grouped.values()
        ]
