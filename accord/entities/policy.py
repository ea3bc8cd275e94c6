"""Which matches may be auto-actioned: the one place that decides it.

Auto-action needs both sides' consent. The bank's owner opted the bank in, *and*
the requesting partner (whose upload matched) consents to auto-action of its own
matches (``partners.auto_action_consent``, off until its admin turns it on). It
then applies only to signals carrying an ``entity:`` label whose entity is
designated, and not delisted, by a source that *both* the bank owner's policy and
the requester's policy accept (default: the UN Security Council list, ``UN-SC``):
a government cannot switch off a platform's human review by opting its bank in,
and a platform never auto-actions on a list it did not choose. A source
registered as one partner's own list (a national list) backs auto-action only in
that partner's own banks, for its own matches: a label backed by a single
partner's source is shown to others but never auto-actioned for them.
Everything else goes to the requester's reviewers.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store import models as m
from accord.store.signals import labels_of

DEFAULT_ACCEPTED_SOURCES = ("UN-SC",)
ENTITY_PREFIX = "entity:"


def accepted_sources(session: Session, partner_id: int) -> tuple[str, ...]:
    """The designation sources a partner's auto-action policy accepts."""
    chosen = session.execute(select(m.AutoActionSource.source)
                             .where(m.AutoActionSource.partner_id == partner_id)
                             .order_by(m.AutoActionSource.source)).scalars().all()
    return tuple(chosen) or DEFAULT_ACCEPTED_SOURCES


def source_owners(session: Session) -> dict[str, int]:
    """Source name -> the partner whose own list it is (sources tied to one partner)."""
    rows = session.execute(select(m.DesignationSource.name, m.DesignationSource.partner_id))
    return {name: partner for name, partner in rows}


def backing_sources(session: Session, signal_id: int) -> list[str]:
    """Sources that currently designate an entity the signal is labelled with."""
    refs = [label.removeprefix(ENTITY_PREFIX)
            for label in labels_of(session, [signal_id])[signal_id]
            if label.startswith(ENTITY_PREFIX)]
    if not refs:
        return []
    return sorted(set(session.execute(
        select(m.Designation.source).join(m.Entity, m.Entity.id == m.Designation.entity_id)
        .where(m.Entity.ref.in_(refs), m.Designation.delisted_on.is_(None))).scalars()))


def consents(session: Session, partner_id: int) -> bool:
    """Whether a partner consents to auto-action of its own matches."""
    return bool(session.execute(select(m.Partner.auto_action_consent)
                                .where(m.Partner.id == partner_id)).scalar())


def auto_action_allowed(session: Session, bank: m.Bank, signal: m.Signal,
                        requester_partner_id: int) -> bool:
    """True when a match of ``signal`` (in ``bank``) for the requester may be auto-actioned."""
    if not bank.auto_action or signal.status != "active":
        return False
    if not consents(session, requester_partner_id):
        return False
    sources = backing_sources(session, signal.id)
    if not sources:
        return False
    accepted = (set(accepted_sources(session, bank.owner_partner_id))
                & set(accepted_sources(session, requester_partner_id)))
    owners = source_owners(session)
    for source in sources:
        if source not in accepted:
            continue
        owner = owners.get(source)
        if owner is None or owner == bank.owner_partner_id == requester_partner_id:
            return True
    return False
