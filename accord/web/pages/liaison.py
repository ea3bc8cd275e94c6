"""Liaison: dialogue rounds, their agenda and action items, and overdue reminders."""

from __future__ import annotations

import datetime as dt

from fastapi import Response

from accord.cooperation import liaison
from accord.errors import Invalid
from accord.sharing.service import partner_list
from accord.sharing.tlp import Tlp
from accord.web import forms
from accord.web.i18n import N_
from accord.web.pages.cooperation import partner_name
from accord.web.routing import Member, Posted, field, web_router

router = web_router()


def _day(text: str) -> dt.date:
    found = forms.date(text)
    if found is None:
        raise Invalid(N_("the date is missing"), hint=N_("e.g. 2026-05-31"))
    return found


@router.get("/cooperation/liaison")
def liaison_page(visit: Member) -> Response:
    """Dialogue rounds the partner may see, and its overdue action items."""
    mine = partner_name(visit.db, visit.me)
    return visit.render(
        "liaison.html", dialogues=liaison.dialogue_list(visit.db, visit.me),
        overdue=liaison.reminders(visit.db, visit.me), can_write=visit.has(liaison.CAN_LIAISE),
        partners=[p.name for p in partner_list(visit.db) if p.name != mine],
        levels=[v.value for v in liaison.Level], tlps=[t.value for t in Tlp])


@router.post("/cooperation/liaison")
def dialogue_create(visit: Member, form: Posted) -> Response:
    """Record a dialogue round with other partners."""
    made = liaison.dialogue_add(visit.db, visit.me, field(form, "title"), field(form, "level"),
                                _day(field(form, "held_on")),
                                [str(p) for p in form.getlist("partners")],
                                venue=field(form, "venue"), tlp=field(form, "tlp") or "AMBER")
    return visit.redirect(f"/cooperation/liaison/{made.id}", N_("Dialogue recorded."))


@router.get("/cooperation/liaison/{dialogue_id:digits}")
def dialogue_page(visit: Member, dialogue_id: forms.RowId) -> Response:
    """One dialogue round with its agenda and action items."""
    found = liaison.dialogue_get(visit.db, visit.me, dialogue_id)
    return visit.render("dialogue.html", d=found, today=dt.date.today(),
                        can_write=visit.has(liaison.CAN_LIAISE),
                        owners=(found.owner_partner, *found.partners),
                        statuses=[s.value for s in liaison.ActionStatus])


@router.post("/cooperation/liaison/{dialogue_id:digits}/agenda")
def agenda_create(visit: Member, form: Posted, dialogue_id: forms.RowId) -> Response:
    """Add an agenda item, optionally about an Accord object."""
    liaison.agenda_add(visit.db, visit.me, dialogue_id, field(form, "title"),
                       field(form, "ref") or None)
    return visit.redirect(f"/cooperation/liaison/{dialogue_id}", N_("Agenda item added."))


@router.post("/cooperation/liaison/{dialogue_id:digits}/actions")
def action_create(visit: Member, form: Posted, dialogue_id: forms.RowId) -> Response:
    """Add an action item owned by one of the dialogue's partners."""
    liaison.action_add(visit.db, visit.me, dialogue_id, field(form, "title"),
                       field(form, "owner"), _day(field(form, "due_on")))
    return visit.redirect(f"/cooperation/liaison/{dialogue_id}", N_("Action item added."))


@router.post("/cooperation/actions/{action_id:digits}/status")
def action_status(visit: Member, form: Posted, action_id: forms.RowId) -> Response:
    """Mark an action item done, dropped or open."""
    item = liaison.action_set_status(visit.db, visit.me, action_id, field(form, "status"))
    return visit.redirect(f"/cooperation/liaison/{item.dialogue_id}",
                          N_("Action item updated."))
