"""The crisis protocol: activate on an incident, share at once, expire, debrief.

Activating a crisis on an incident (with the criteria met, from a fixed
checklist) points its crisis bank at the crisis channel, so every signal
added to the bank while the crisis lasts is shared to that channel the moment
it is stored. A crisis is time-boxed: at its expiry the bank's own channel is
restored, and signals added after the expiry are moved back to it (so a late
expiry check never widens sharing). Closing a crisis needs a debrief. Every
step is in the audit log.

Expiry runs whenever crises are read or changed, on every pass of the API
server's refresher (``accord.node``), and with ``accord crisis expire``
(for a cron job on a node that runs no server).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.banks import find_bank_for
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.incidents.records import Crisis
from accord.incidents.service import visible_incidents
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.service import find_channel_for
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Marking, may_see, viewer_of
from accord.store import models as m
from accord.store.database import Database

CRITERIA: dict[str, str] = {
    "mass-casualty": "the attack killed or wounded many people",
    "perpetrator-content": "the perpetrator or accomplices produced content of the attack "
                           "(livestream, manifesto, claim video)",
    "rapid-spread": "that content is spreading quickly",
    "multi-platform": "it has reached several services",
    "incitement-risk": "the content risks inspiring or directing further attacks",
}
MIN_DEBRIEF = 20
MAX_DEBRIEF = 20_000
EXPIRY_ACTOR = Actor.operator("accord:crisis-expiry")


def crisis_record(row: m.Crisis) -> Crisis:
    """The record for an ORM row."""
    return Crisis(row.id, row.incident_id, tuple(row.criteria), row.activated_by, row.bank_id,
                  row.channel_id, row.started_at, row.expires_at, row.expired_at,
                  row.closed_at, row.closed_by, row.debrief)


def _check_criteria(criteria: list[str]) -> list[str]:
    keys = sorted({c.strip().lower() for c in criteria if c.strip()})
    unknown = [c for c in keys if c not in CRITERIA]
    listed = "; ".join(f"{k} ({v})" for k, v in CRITERIA.items())
    if unknown:
        raise Invalid("unknown crisis criteria: {unknown}", hint="criteria: {criteria}",
                      unknown=", ".join(trimmed(c) for c in unknown), criteria=listed)
    if not keys:
        raise Invalid("a crisis needs at least one criterion met", hint="criteria: {criteria}",
                      criteria=listed)
    return keys


def _end_sharing(session: Session, actor: Actor, row: m.Crisis, at: dt.datetime) -> None:
    """Give the bank its own channel back; signals added after ``at`` follow it.

    Each change is audited on the bank or signal itself: the match engine reads
    those events to keep what it shares current.
    """
    if row.bank_id is None:
        return
    bank = session.get_one(m.Bank, row.bank_id)
    if bank.channel_id == row.channel_id:
        bank.channel_id = row.prior_channel_id
        audit.record(session, actor, audit.AuditAction.BANK_CHANNEL, "bank", bank.id,
                     {"channel": row.prior_channel_id, "crisis": row.id})
    late = session.execute(select(m.Signal.id).where(
        m.Signal.bank_id == bank.id, m.Signal.created_at > at,
        m.Signal.channel_id == row.channel_id)).scalars().all()
    if late:
        session.execute(update(m.Signal).where(m.Signal.id.in_(late)).values(
            channel_id=row.prior_channel_id))
        for signal_id in late:
            audit.record(session, actor, audit.AuditAction.SIGNAL_CHANNEL, "signal", signal_id,
                         {"channel": row.prior_channel_id, "crisis": row.id})


def any_due(db: Database, now: dt.datetime | None = None) -> bool:
    """Whether an active crisis is past its expiry (a read: cheap to ask often)."""
    with db.reader() as session:
        return session.execute(select(m.Crisis.id).where(
            m.Crisis.closed_at.is_(None), m.Crisis.expired_at.is_(None),
            m.Crisis.expires_at <= (now or m.utcnow())).limit(1)).first() is not None


def expire_due(db: Database, now: dt.datetime | None = None) -> list[Crisis]:
    """Expire every active crisis past its expiry; the crises expired.

    Every replica's refresher calls this. On PostgreSQL the due rows are locked
    (``FOR UPDATE SKIP LOCKED``): a replica finds a crisis another is expiring already
    locked and leaves it, and once that one commits the crisis is no longer due, so
    each crisis expires once. SQLite serialises writers (``BEGIN IMMEDIATE``)."""
    now = now or m.utcnow()
    with db.transaction() as session:
        due = session.execute(select(m.Crisis).where(
            m.Crisis.closed_at.is_(None), m.Crisis.expired_at.is_(None),
            m.Crisis.expires_at <= now).order_by(m.Crisis.id)
            .with_for_update(skip_locked=True)).scalars().all()
        for row in due:
            _end_sharing(session, EXPIRY_ACTOR, row, row.expires_at)
            row.expired_at = now
            audit.record(session, EXPIRY_ACTOR, audit.AuditAction.CRISIS_EXPIRE, "crisis", row.id,
                         {"expires_at": row.expires_at, "bank": row.bank_id,
                          "restored_channel": row.prior_channel_id})
        return [crisis_record(r) for r in due]


def activate(db: Database, actor: Actor, settings: Settings, incident_id: int, bank: str | int,
             channel: str | int, criteria: list[str], hours: float | None = None) -> Crisis:
    """Activate a crisis on an incident; the bank's new signals go to ``channel`` at once."""
    keys = _check_criteria(criteria)
    hours = settings.crisis_hours if hours is None else hours
    if not 0 < hours <= settings.crisis_max_hours:
        raise Invalid("a crisis lasts more than 0 and at most {crisis_max_hours:g} hours, not "
                      "{hours:g}", hint="set ACCORD_CRISIS_MAX_HOURS to allow more",
                      crisis_max_hours=settings.crisis_max_hours, hours=hours)
    expire_due(db)
    with db.transaction() as session:
        incident = session.execute(visible_incidents(session, actor).where(
            m.Incident.id == incident_id)).scalar_one_or_none()
        if incident is None:
            raise NotFound("no incident {incident_id}", incident_id=incident_id)
        crisis_bank = find_bank_for(session, actor, bank)
        actor.require_partner(crisis_bank.owner_partner_id, "activate a crisis on this bank")
        actor.require(CAN_CURATE, "activate crises")
        if Tlp(crisis_bank.default_tlp) is Tlp.RED:
            raise Invalid("bank {name!r} shares RED: no channel would see its signals",
                          hint="use a crisis bank with default TLP AMBER or GREEN",
                          name=crisis_bank.name)
        target = find_channel_for(session, actor, channel)
        if session.get(m.ChannelMember, (target.id, crisis_bank.owner_partner_id)) is None:
            raise Invalid("the bank's partner is not a member of channel {name!r}",
                          name=target.name)
        if session.execute(select(m.Crisis.id).where(
                m.Crisis.bank_id == crisis_bank.id, m.Crisis.closed_at.is_(None),
                m.Crisis.expired_at.is_(None))).first():
            raise Conflict("bank {name!r} already serves an active crisis", name=crisis_bank.name)
        now = m.utcnow()
        row = m.Crisis(incident_id=incident.id, criteria=keys, activated_by=actor.name,
                       bank_id=crisis_bank.id, channel_id=target.id,
                       prior_channel_id=crisis_bank.channel_id, started_at=now,
                       expires_at=now + dt.timedelta(hours=hours))
        crisis_bank.channel_id = target.id
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.BANK_CHANNEL, "bank", crisis_bank.id,
                     {"channel": target.id, "crisis": row.id})
        audit.record(session, actor, audit.AuditAction.CRISIS_ACTIVATE, "crisis", row.id, {
            "incident": incident.id, "criteria": keys, "bank": crisis_bank.id,
            "channel": target.id, "expires_at": row.expires_at})
        return crisis_record(row)


def close(db: Database, actor: Actor, crisis_id: int, debrief: str) -> Crisis:
    """Close a crisis with its debrief (what happened, what was shared, lessons).

    The debrief passes the personal-data detector (``accord.safeguards.personal_data``):
    one that names or identifies a person is refused and nothing changes.
    """
    text = debrief.strip()
    if len(text) < MIN_DEBRIEF:
        raise Invalid("closing a crisis needs a debrief of at least {min_debrief} characters",
                      hint="say what was shared, with whom, and what to change next time",
                      min_debrief=MIN_DEBRIEF)
    expire_due(db)
    with db.transaction() as session:
        row = session.get(m.Crisis, crisis_id)
        if row is None or not _known_to(session, actor, row):
            # A crisis on an incident the actor may not see is not found, exactly as one
            # that does not exist: its existence is not told.
            raise NotFound("no crisis {crisis_id}", hint="list crises with: accord crisis list",
                           crisis_id=crisis_id)
        if row.bank_id is not None:
            owner = session.get_one(m.Bank, row.bank_id).owner_partner_id
            actor.require_partner(owner, "close this crisis")
        actor.require(CAN_CURATE, "close crises")
        if row.closed_at is not None:
            raise Conflict("crisis {crisis_id} is already closed", crisis_id=crisis_id)
        text = checked_text(session, "debrief", text, limit=MAX_DEBRIEF)
        now = m.utcnow()
        if row.expired_at is None:
            _end_sharing(session, actor, row, now)
        row.closed_at, row.closed_by, row.debrief = now, actor.name, text
        audit.record(session, actor, audit.AuditAction.CRISIS_CLOSE, "crisis", row.id,
                     {"debrief_chars": len(text), "expired_before": row.expired_at})
        return crisis_record(row)


def _known_to(session: Session, actor: Actor, row: m.Crisis) -> bool:
    """Whether ``actor`` may know of the crisis at all: it may see its incident (as
    ``crisis_list`` shows it)."""
    return session.execute(visible_incidents(session, actor).where(
        m.Incident.id == row.incident_id)).first() is not None


def _seen_by(session: Session, actor: Actor, row: m.Crisis) -> Crisis:
    """The crisis as ``actor`` may see it.

    The bank's owner (and the operator) see it all. Members of the crisis
    channel, who received its signals, also see its bank, channel and debrief,
    but not who activated or closed it (staff usernames stay with their
    partner). Any other partner that may see the incident sees only that a
    crisis was declared: its criteria, state and times.
    """
    record = crisis_record(row)
    owner = (session.get_one(m.Bank, row.bank_id).owner_partner_id
             if row.bank_id is not None else None)
    # The one rule, over the crisis's parts: who acted is its owner's alone (as RED), the
    # bank, channel and debrief are its channel's (as AMBER in the crisis channel).
    viewer = viewer_of(session, actor)
    if may_see(viewer, Marking(owner, Tlp.RED.value)):
        return record
    record = dataclasses.replace(record, activated_by=None, closed_by=None)
    if may_see(viewer, Marking(owner, Tlp.AMBER.value, row.channel_id)):
        return record
    return dataclasses.replace(record, bank_id=None, channel_id=None, debrief=None)


def crisis_list(db: Database, actor: Actor) -> list[Crisis]:
    """Crises on incidents the actor may see, newest first (expiring any that are due),
    each showing only what the actor may know of it (``_seen_by``)."""
    expire_due(db)
    with db.reader() as session:
        seen = select(visible_incidents(session, actor).subquery().c.id)
        rows = session.execute(select(m.Crisis).where(m.Crisis.incident_id.in_(seen))
                               .order_by(m.Crisis.id.desc())).scalars()
        return [_seen_by(session, actor, r) for r in rows]
