"""Capacity-building programmes: the service every edge calls.

A programme has a beneficiary partner, donor partners (its owner is the lead
donor), an area, a period, indicators and a status. It cannot become active
until a human-rights due-diligence assessment is recorded. Taking part
grants nothing else: a beneficiary gets no write access to any other
partner's banks (bank writes are checked against the bank's owner only).

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.cooperation.records import ProgrammeRecord
from accord.cooperation.refs import marking, programme_visible
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

MAX_INDICATORS = 30
CAN_MANAGE = frozenset({Role.ADMIN, Role.CURATOR})


class Area(StrEnum):
    """What a programme builds capacity in."""

    LEGAL = "legal"
    ONLINE_CONTENT = "online-content"
    CVE = "countering-violent-extremism"
    BORDERS = "borders"


class ProgrammeStatus(StrEnum):
    """A programme's life: proposed, active (after the assessment), suspended, closed."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


# Allowed moves; any status may close, and a closed programme stays closed.
_MOVES = {
    ProgrammeStatus.PROPOSED: {ProgrammeStatus.ACTIVE, ProgrammeStatus.CLOSED},
    ProgrammeStatus.ACTIVE: {ProgrammeStatus.SUSPENDED, ProgrammeStatus.CLOSED},
    ProgrammeStatus.SUSPENDED: {ProgrammeStatus.ACTIVE, ProgrammeStatus.CLOSED},
    ProgrammeStatus.CLOSED: set(),
}


def _record(session: Session, row: m.Programme) -> ProgrammeRecord:
    donors = session.execute(select(m.Partner.name).join(
        m.ProgrammeDonor, m.ProgrammeDonor.partner_id == m.Partner.id)
        .where(m.ProgrammeDonor.programme_id == row.id).order_by(m.Partner.name)).scalars()
    return ProgrammeRecord(
        row.id, row.title, session.get_one(m.Partner, row.owner_partner_id).name,
        session.get_one(m.Partner, row.beneficiary_partner_id).name, tuple(donors),
        row.area, row.starts_on, row.ends_on, tuple(row.indicators), row.status, row.tlp,
        row.channel_id, row.assessment, row.assessed_by, row.assessed_at,
    )


def programme_add(
    db: Database, actor: Actor, title: str, beneficiary: str | int, area: str,
    starts_on: dt.date, ends_on: dt.date, *, donors: Sequence[str | int] = (),
    indicators: Sequence[str] = (), tlp: str = "AMBER", channel: str | int | None = None,
    owner: str | int | None = None,
) -> ProgrammeRecord:
    """Propose a programme; its owner (the actor's partner, or ``owner``) is the lead donor."""
    actor.require(CAN_MANAGE, "propose programmes")
    kind = parse_choice(Area, area, "programme area")
    if ends_on < starts_on:
        raise Invalid("the programme ends ({ends_on}) before it starts ({starts_on})",
                      ends_on=ends_on, starts_on=starts_on)
    if len(indicators) > MAX_INDICATORS:
        raise Invalid("{indicators_count} indicators; the limit is {max_indicators}",
                      indicators_count=len(indicators), max_indicators=MAX_INDICATORS)
    with db.transaction() as session:
        if owner is None and actor.partner_id is None:
            raise Invalid("the node operator must say which partner owns the programme",
                          hint="pass owner (CLI: --owner PARTNER)")
        lead = find_partner(session, owner if owner is not None else str(actor.partner_id))
        actor.require_partner(lead.id, "propose programmes for this partner")
        target = find_partner(session, beneficiary)
        donor_ids = {lead.id} | {find_partner(session, d).id for d in donors}
        if target.id in donor_ids:
            raise Invalid("a programme's beneficiary cannot also be one of its donors")
        name = checked_text(session, "programme title", title, required=True, limit=300)
        checked = [checked_text(session, "indicator", i, required=True, limit=500)
                   for i in indicators]
        mark, channel_id = marking(session, lead.id, tlp, channel)
        row = m.Programme(owner_partner_id=lead.id, beneficiary_partner_id=target.id,
                          title=name, area=kind.value, starts_on=starts_on, ends_on=ends_on,
                          indicators=checked, status=ProgrammeStatus.PROPOSED.value, tlp=mark,
                          channel_id=channel_id)
        session.add(row)
        session.flush()
        session.add_all(m.ProgrammeDonor(programme_id=row.id, partner_id=d)
                        for d in sorted(donor_ids))
        session.flush()
        audit.record(session, actor, audit.AuditAction.PROGRAMME_ADD, "programme", row.id, {
            "beneficiary": target.id, "donors": sorted(donor_ids), "area": kind.value,
            "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "tlp": mark,
        })
        return _record(session, row)


def _find(session: Session, actor: Actor, programme_id: int) -> m.Programme:
    row = session.get(m.Programme, programme_id)
    if row is None or not programme_visible(session, actor, row):
        raise NotFound("no programme {programme_id}", hint="list them with: accord programme list",
                       programme_id=programme_id)
    return row


def _require_donor(session: Session, actor: Actor, row: m.Programme, action: str) -> None:
    """Only the programme's donors (or the operator) manage it; never its beneficiary."""
    actor.require(CAN_MANAGE, action)
    if actor.is_operator:
        return
    if session.get(m.ProgrammeDonor, (row.id, actor.partner_id)) is None:
        raise PermissionDenied("{name} may not {action}: only the programme's donors may",
                               name=actor.name, action=action)


def programme_assess(db: Database, actor: Actor, programme_id: int, summary: str
                     ) -> ProgrammeRecord:
    """Record the human-rights due-diligence assessment (its summary, who, when)."""
    with db.transaction() as session:
        row = _find(session, actor, programme_id)
        _require_donor(session, actor, row, "record assessments")
        row.assessment = checked_text(session, "assessment summary", summary, required=True)
        row.assessed_by, row.assessed_at = actor.name, m.utcnow()
        session.flush()
        audit.record(session, actor, audit.AuditAction.PROGRAMME_ASSESS, "programme", row.id, {})
        return _record(session, row)


def programme_set_status(db: Database, actor: Actor, programme_id: int, status: str
                         ) -> ProgrammeRecord:
    """Move a programme to ``status``; it cannot become active without an assessment."""
    wanted = parse_choice(ProgrammeStatus, status, "programme status")
    with db.transaction() as session:
        row = _find(session, actor, programme_id)
        _require_donor(session, actor, row, "change programme status")
        current = ProgrammeStatus(row.status)
        if wanted is current:
            return _record(session, row)
        if wanted not in _MOVES[current]:
            raise Conflict("programme {id} is {current} and cannot become {wanted}", id=row.id,
                           current=current.value, wanted=wanted.value)
        if wanted is ProgrammeStatus.ACTIVE and not row.assessment:
            raise Conflict("programme {id} cannot become active: no human-rights due-diligence "
                           "assessment is recorded",
                           hint="record it first: accord programme assess {id} SUMMARY", id=row.id)
        row.status = wanted.value
        session.flush()
        audit.record(session, actor, audit.AuditAction.PROGRAMME_STATUS, "programme", row.id,
                     {"from": current.value, "to": wanted.value})
        return _record(session, row)


def programme_get(db: Database, actor: Actor, programme_id: int) -> ProgrammeRecord:
    """One programme the actor may see."""
    with db.reader() as session:
        return _record(session, _find(session, actor, programme_id))


def programme_list(db: Database, actor: Actor) -> list[ProgrammeRecord]:
    """Programmes the actor may see, by id."""
    with db.reader() as session:
        rows = session.execute(select(m.Programme).order_by(m.Programme.id)).scalars().all()
        return [_record(session, r) for r in rows if programme_visible(session, actor, r)]
