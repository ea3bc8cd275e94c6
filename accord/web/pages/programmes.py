"""Capacity-building programmes, with the human-rights assessment gate before they start."""

from __future__ import annotations

from fastapi import Response

from accord.cooperation import programmes
from accord.errors import Invalid
from accord.sharing.service import partner_list
from accord.sharing.tlp import Tlp
from accord.web import forms
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, field, web_router

router = web_router()


@router.get("/cooperation/programmes")
def programmes_page(visit: Member) -> Response:
    """Programmes the partner may see; donors assess them and move their status."""
    return visit.render(
        "programmes.html", programmes=programmes.programme_list(visit.db, visit.me),
        can_manage=visit.has(programmes.CAN_MANAGE),
        partners=[p.name for p in partner_list(visit.db)],
        areas=[a.value for a in programmes.Area],
        statuses=[s.value for s in programmes.ProgrammeStatus], tlps=[t.value for t in Tlp])


@router.post("/cooperation/programmes")
def programme_create(visit: Member, form: Posted) -> Response:
    """Propose a programme led by the member's partner."""
    starts, ends = forms.date(field(form, "starts_on")), forms.date(field(form, "ends_on"))
    if starts is None or ends is None:
        raise Invalid(N_("a programme needs its start and end dates"),
                      hint=N_("e.g. 2026-01-01 to 2026-12-31"))
    made = programmes.programme_add(
        visit.db, visit.me, field(form, "title"), field(form, "beneficiary"),
        field(form, "area"), starts, ends, donors=[str(d) for d in form.getlist("donors")],
        indicators=forms.lines(field(form, "indicators")), tlp=field(form, "tlp") or "AMBER")
    return visit.redirect("/cooperation/programmes", N_("Programme %(id)s proposed."),
                          id=made.id)


@router.post("/cooperation/programmes/{programme_id:digits}/assessment")
def programme_assess(visit: Member, form: Posted, programme_id: forms.RowId) -> Response:
    """Record the human-rights due-diligence assessment."""
    programmes.programme_assess(visit.db, visit.me, programme_id, field(form, "summary"))
    return visit.redirect("/cooperation/programmes", N_("Assessment recorded."))


@router.post("/cooperation/programmes/{programme_id:digits}/status")
def programme_status(visit: Member, form: Posted, programme_id: forms.RowId) -> Response:
    """Change a programme's status; it cannot start before its assessment."""
    made = programmes.programme_set_status(visit.db, visit.me, programme_id,
                                           field(form, "status"))
    return visit.redirect("/cooperation/programmes", N_("Programme %(id)s is now %(status)s."),
                          id=made.id, status=visit.t.gettext(made.status))
