"""Liaison: dialogue rounds, their agenda items and action items, with reminders.

A dialogue round has a level, a date, a venue and its partners. Agenda items
point at Accord objects (incident, entity, flow, bank, signal, programme),
checked to exist and to be visible to the writer. Action items have an owning
partner (one of the dialogue's partners), a due date and a status;
``reminders`` lists the open ones past due. Every free text is checked for
personal data. The dialogue's partners see it; others by its TLP and channel.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.cooperation.records import ActionItemRecord, AgendaItemRecord, DialogueRecord
from accord.cooperation.refs import marking, resolve_ref, visible_to
from accord.errors import Invalid, NotFound, PermissionDenied, parse_choice
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

CAN_LIAISE = frozenset({Role.ADMIN, Role.CURATOR, Role.REVIEWER})


class Level(StrEnum):
    """At what level a dialogue round is held."""

    MINISTERIAL = "ministerial"
    SENIOR_OFFICIALS = "senior-officials"
    EXPERT = "expert"
    TECHNICAL = "technical"


class ActionStatus(StrEnum):
    """Where an action item stands."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


def _participants(session: Session, dialogue_id: int) -> set[int]:
    return set(session.execute(select(m.DialoguePartner.partner_id)
                               .where(m.DialoguePartner.dialogue_id == dialogue_id)).scalars())


def _action_record(session: Session, row: m.ActionItem) -> ActionItemRecord:
    return ActionItemRecord(row.id, row.dialogue_id, row.title,
                            session.get_one(m.Partner, row.owner_partner_id).name, row.due_on,
                            row.status, row.closed_at)


def _record(session: Session, row: m.Dialogue) -> DialogueRecord:
    partners = session.execute(select(m.Partner.name).join(
        m.DialoguePartner, m.DialoguePartner.partner_id == m.Partner.id)
        .where(m.DialoguePartner.dialogue_id == row.id).order_by(m.Partner.name)).scalars()
    agenda = session.execute(select(m.AgendaItem).where(m.AgendaItem.dialogue_id == row.id)
                             .order_by(m.AgendaItem.id)).scalars()
    actions = session.execute(select(m.ActionItem).where(m.ActionItem.dialogue_id == row.id)
                              .order_by(m.ActionItem.due_on, m.ActionItem.id)).scalars()
    return DialogueRecord(
        row.id, row.title, row.level, row.held_on, row.venue,
        session.get_one(m.Partner, row.owner_partner_id).name, tuple(partners), row.tlp,
        row.channel_id,
        tuple(AgendaItemRecord(a.id, a.title, f"{a.object_type}:{a.object_key}"
                               if a.object_type else None) for a in agenda),
        tuple(_action_record(session, a) for a in actions),
    )


def _find(session: Session, actor: Actor, dialogue_id: int) -> m.Dialogue:
    row = session.get(m.Dialogue, dialogue_id)
    if row is None or not visible_to(session, actor, _participants(session, row.id),
                                     row.owner_partner_id, row.tlp, row.channel_id):
        raise NotFound("no dialogue {dialogue_id}", hint="list them with: accord liaison list",
                       dialogue_id=dialogue_id)
    return row


def _require_participant(session: Session, actor: Actor, row: m.Dialogue, action: str) -> None:
    actor.require(CAN_LIAISE, action)
    if not actor.is_operator and actor.partner_id not in _participants(session, row.id):
        raise PermissionDenied("{name} may not {action}: its partner is not in dialogue {id}",
                               name=actor.name, action=action, id=row.id)


def dialogue_add(
    db: Database, actor: Actor, title: str, level: str, held_on: dt.date, partners: Sequence[str],
    *, venue: str = "", tlp: str = "AMBER", channel: str | int | None = None,
    owner: str | int | None = None,
) -> DialogueRecord:
    """Record a dialogue round between the owner (the actor's partner) and ``partners``."""
    actor.require(CAN_LIAISE, "record dialogues")
    kind = parse_choice(Level, level, "dialogue level")
    with db.transaction() as session:
        if owner is None and actor.partner_id is None:
            raise Invalid("the node operator must say which partner records the dialogue",
                          hint="pass owner (CLI: --owner PARTNER)")
        lead = find_partner(session, owner if owner is not None else str(actor.partner_id))
        actor.require_partner(lead.id, "record dialogues for this partner")
        ids = {lead.id} | {find_partner(session, p).id for p in partners}
        if len(ids) < 2:
            raise Invalid("a dialogue needs at least one other partner")
        mark, channel_id = marking(session, lead.id, tlp, channel)
        row = m.Dialogue(owner_partner_id=lead.id, level=kind.value, held_on=held_on,
                         title=checked_text(session, "dialogue title", title, required=True,
                                            limit=300),
                         venue=checked_text(session, "venue", venue, limit=200),
                         tlp=mark, channel_id=channel_id, created_by=actor.name)
        session.add(row)
        session.flush()
        session.add_all(m.DialoguePartner(dialogue_id=row.id, partner_id=p) for p in sorted(ids))
        session.flush()
        audit.record(session, actor, audit.AuditAction.DIALOGUE_ADD, "dialogue", row.id, {
            "level": kind.value, "held_on": held_on.isoformat(), "partners": sorted(ids),
            "tlp": mark, "channel": channel_id,
        })
        return _record(session, row)


def agenda_add(db: Database, actor: Actor, dialogue_id: int, title: str,
               ref: str | None = None) -> DialogueRecord:
    """Add an agenda item, optionally about an Accord object (checked to exist)."""
    with db.transaction() as session:
        row = _find(session, actor, dialogue_id)
        _require_participant(session, actor, row, "edit the agenda")
        target = resolve_ref(session, actor, ref) if ref else None
        item = m.AgendaItem(dialogue_id=row.id,
                            title=checked_text(session, "agenda item", title, required=True,
                                               limit=300),
                            object_type=target.object_type if target else None,
                            object_key=target.key if target else None)
        session.add(item)
        session.flush()
        audit.record(session, actor, audit.AuditAction.DIALOGUE_AGENDA, "dialogue", row.id,
                     {"item": item.id, "ref": str(target) if target else None})
        return _record(session, row)


def action_add(db: Database, actor: Actor, dialogue_id: int, title: str,
               owner_partner: str | int, due_on: dt.date) -> ActionItemRecord:
    """Add an action item owned by one of the dialogue's partners, due on ``due_on``."""
    with db.transaction() as session:
        row = _find(session, actor, dialogue_id)
        _require_participant(session, actor, row, "add action items")
        owner = find_partner(session, owner_partner)
        if owner.id not in _participants(session, row.id):
            raise Invalid("partner {name!r} is not in dialogue {id}",
                          hint="an action item is owned by one of the dialogue's partners",
                          name=owner.name, id=row.id)
        item = m.ActionItem(dialogue_id=row.id, owner_partner_id=owner.id, due_on=due_on,
                            title=checked_text(session, "action item", title, required=True,
                                               limit=300),
                            status=ActionStatus.OPEN.value)
        session.add(item)
        session.flush()
        audit.record(session, actor, audit.AuditAction.ACTION_ADD, "action_item", item.id, {
            "dialogue": row.id, "owner": owner.id, "due_on": due_on.isoformat()})
        return _action_record(session, item)


def action_set_status(db: Database, actor: Actor, action_id: int, status: str
                      ) -> ActionItemRecord:
    """Mark an action item done, dropped or open again (its dialogue's partners may)."""
    wanted = parse_choice(ActionStatus, status, "action status")
    with db.transaction() as session:
        item = session.get(m.ActionItem, action_id)
        if item is None:
            raise NotFound("no action item {action_id}", action_id=action_id)
        row = _find(session, actor, item.dialogue_id)
        _require_participant(session, actor, row, "update action items")
        if item.status != wanted.value:
            audit.record(session, actor, audit.AuditAction.ACTION_STATUS, "action_item", item.id,
                         {"from": item.status, "to": wanted.value})
            item.status = wanted.value
            item.closed_at = None if wanted is ActionStatus.OPEN else m.utcnow()
            session.flush()
        return _action_record(session, item)


def dialogue_get(db: Database, actor: Actor, dialogue_id: int) -> DialogueRecord:
    """One dialogue with its agenda and action items."""
    with db.reader() as session:
        return _record(session, _find(session, actor, dialogue_id))


def dialogue_list(db: Database, actor: Actor) -> list[DialogueRecord]:
    """Dialogues the actor may see, newest first."""
    with db.reader() as session:
        rows = session.execute(select(m.Dialogue).order_by(m.Dialogue.held_on.desc(),
                                                           m.Dialogue.id.desc())).scalars().all()
        return [_record(session, r) for r in rows
                if visible_to(session, actor, _participants(session, r.id),
                              r.owner_partner_id, r.tlp, r.channel_id)]


def reminders(db: Database, actor: Actor, today: dt.date | None = None
              ) -> list[ActionItemRecord]:
    """Open action items past their due date: the actor's partner's own (operator: all)."""
    day = today or dt.datetime.now(dt.UTC).date()
    with db.reader() as session:
        query = (select(m.ActionItem)
                 .where(m.ActionItem.status == ActionStatus.OPEN.value,
                        m.ActionItem.due_on < day)
                 .order_by(m.ActionItem.due_on, m.ActionItem.id))
        if actor.partner_id is not None:
            query = query.where(m.ActionItem.owner_partner_id == actor.partner_id)
        return [_action_record(session, r) for r in session.execute(query).scalars()]
