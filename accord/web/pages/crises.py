"""Crises: the list, activation with the criteria checklist, closing with a debrief."""

from __future__ import annotations

from fastapi import Response

from accord.curation.banks import bank_list
from accord.errors import Invalid
from accord.incidents import crisis
from accord.sharing.roles import CAN_CURATE
from accord.sharing.service import channel_list
from accord.web import forms
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, field, web_router

router = web_router()


@router.get("/incidents/crises")
def crises_page(visit: Member, incident: str = "") -> Response:
    """Crises on incidents the partner may see, newest first; curators activate one."""
    partner = visit.me.partner_id
    return visit.render(
        "crises.html", crises=crisis.crisis_list(visit.db, visit.me),
        criteria=crisis.CRITERIA, incident=incident, can_act=visit.has(CAN_CURATE),
        banks=[b.name for b in bank_list(visit.db, partner, counts=False)] if partner else [],
        channels=[c.name for c in channel_list(visit.db, visit.me)],
        hours=visit.web.node.settings.crisis_hours, min_debrief=crisis.MIN_DEBRIEF)


@router.post("/incidents/crises")
def crisis_activate(visit: Member, form: Posted) -> Response:
    """Activate a crisis: the bank's new signals are shared to the channel at once."""
    incident = forms.number(field(form, "incident_id"))
    if incident is None:
        raise Invalid(N_("give the incident the crisis is about"), hint=N_("its id, e.g. 12"))
    hours = field(form, "hours")
    try:
        chosen_hours = float(hours) if hours else None
    except ValueError:
        raise Invalid(N_("the duration is a number of hours"), hint=N_("e.g. 72")) from None
    made = crisis.activate(visit.db, visit.me, visit.web.node.settings, incident,
                           field(form, "bank"), field(form, "channel"),
                           [str(c) for c in form.getlist("criteria")], chosen_hours)
    return visit.redirect("/incidents/crises", N_("Crisis %(id)s activated."), id=made.id)


@router.post("/incidents/crises/{crisis_id:digits}/close")
def crisis_close(visit: Member, form: Posted, crisis_id: forms.RowId) -> Response:
    """Close a crisis with its debrief."""
    crisis.close(visit.db, visit.me, crisis_id, field(form, "debrief"))
    return visit.redirect("/incidents/crises", N_("Crisis %(id)s closed."), id=crisis_id)
