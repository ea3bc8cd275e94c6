"""Designation divergence, designation sources tied to a partner, and auto-action policies.

``designation_view`` shows, for one entity, every source that designates it,
since when, on what reference, and who delisted it, side by side. Accord
records the disagreement and never resolves it: there is no "overall" status.

``source_register`` marks a source as one partner's own list (a national
list); ``policy_set`` chooses the sources a partner's auto-action accepts.
``accord.entities.policy`` applies both when matches are recorded.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord import audit
from accord.cooperation.records import AutoActionPolicy, DesignationRow, DesignationView
from accord.entities.policy import accepted_sources, consents, source_owners
from accord.errors import Invalid, NotFound, PermissionDenied, trimmed
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

_SOURCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")


def _check_source(source: str) -> str:
    name = source.strip()
    if not _SOURCE.match(name):
        raise Invalid("designation source {source} is not a source name",
                      hint="use the name designations carry, e.g. UN-SC, EU, FR-NAT",
                      source=trimmed(source))
    return name


def designation_view(db: Database, ref: str) -> DesignationView:
    """Every designation of one entity, side by side, with the partner a source belongs to."""
    with db.reader() as session:
        entity = session.execute(select(m.Entity).where(m.Entity.ref == ref.strip().lower())
                                 ).scalar_one_or_none()
        if entity is None:
            raise NotFound("no entity {ref}", hint="list them with: accord entity list",
                           ref=trimmed(ref))
        owners = source_owners(session)
        names = {pid: name for pid, name in session.execute(
            select(m.Partner.id, m.Partner.name))}
        rows = tuple(
            DesignationRow(d.source, names.get(owners[d.source]) if d.source in owners else None,
                           d.reference, d.listed_on, d.delisted_on)
            for d in session.execute(select(m.Designation)
                                     .where(m.Designation.entity_id == entity.id)
                                     .order_by(m.Designation.listed_on, m.Designation.source)
                                     ).scalars())
        ref, name = entity.ref, entity.name
    listed = tuple(dict.fromkeys(r.source for r in rows if r.status == "listed"))
    delisted = tuple(dict.fromkeys(r.source for r in rows if r.status == "delisted"))
    return DesignationView(ref, name, rows, listed, delisted)


def source_register(db: Database, actor: Actor, source: str, partner: str | int) -> str:
    """Mark ``source`` as ``partner``'s own list; its admins or the operator may."""
    name = _check_source(source)
    with db.transaction() as session:
        owner = find_partner(session, partner)
        actor.require_partner(owner.id, "register designation sources for this partner")
        actor.require(frozenset({Role.ADMIN}), "register designation sources")
        row = session.get(m.DesignationSource, name)
        if row is not None and row.partner_id != owner.id:
            raise PermissionDenied("source {name} is already registered to another partner",
                                   hint="ask the node operator to correct it", name=name)
        if row is None:
            session.add(m.DesignationSource(name=name, partner_id=owner.id))
            session.flush()
            audit.record(session, actor, audit.AuditAction.DESIGNATION_SOURCE_REGISTER,
                         "designation_source", name, {"partner": owner.id})
        return name


def _policy(session: Session, partner_id: int) -> AutoActionPolicy:
    return AutoActionPolicy(accepted_sources(session, partner_id), consents(session, partner_id))


def policy_get(db: Database, partner: str | int) -> AutoActionPolicy:
    """A partner's auto-action policy: the designation sources it accepts, and whether it
    consents to auto-action of its own matches at all."""
    with db.reader() as session:
        return _policy(session, find_partner(session, partner).id)


def policy_set(db: Database, actor: Actor, partner: str | int, sources: Sequence[str],
               *, allow_auto_action: bool | None = None) -> AutoActionPolicy:
    """Choose the sources a partner's auto-action accepts (empty: back to the default), and
    with ``allow_auto_action`` whether its own matches may be auto-actioned at all (None:
    unchanged; a new partner does not consent).

    Another partner's own list is refused: a single partner's designation never
    auto-actions in other partners' banks.
    """
    names = sorted({_check_source(s) for s in sources})
    with db.transaction() as session:
        owner = find_partner(session, partner)
        actor.require_partner(owner.id, "set this partner's auto-action policy")
        actor.require(frozenset({Role.ADMIN}), "set auto-action policies")
        owners = source_owners(session)
        foreign = [s for s in names if s in owners and owners[s] != owner.id]
        if foreign:
            raise Invalid("source {foreign} is another partner's own list and cannot back "
                          "auto-action in this partner's banks",
                          hint="a label backed by a single partner's designation is shown to "
                               "others but always goes to human review", foreign=foreign[0])
        session.execute(delete(m.AutoActionSource)
                        .where(m.AutoActionSource.partner_id == owner.id))
        session.add_all(m.AutoActionSource(partner_id=owner.id, source=s) for s in names)
        if allow_auto_action is not None:
            owner.auto_action_consent = allow_auto_action
        session.flush()
        policy = _policy(session, owner.id)
        audit.record(session, actor, audit.AuditAction.POLICY_AUTO_ACTION, "partner", owner.id,
                     {"sources": names, "allow_auto_action": policy.allow_auto_action})
        return policy
