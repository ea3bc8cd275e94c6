"""Requests between partners: send (typed purpose, references), inbox, answer, statistics.

A request whose text looks like personal data is refused by the service; the page
shows that refusal next to the text field, with what the member wrote kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Response

from accord.cooperation import requests
from accord.safeguards.personal_data import PersonalDataFound
from accord.sharing.roles import Actor
from accord.sharing.service import partner_list
from accord.sharing.tlp import Tlp
from accord.store.database import Database
from accord.web import forms
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()
DRAFT = ("to", "purpose", "refs", "text", "tlp")


def partner_name(db: Database, actor: Actor) -> str:
    """The name of the actor's partner ('' for the operator)."""
    return next((p.name for p in partner_list(db) if p.id == actor.partner_id), "")


def _page(visit: Visit, *, status: int = 200, draft: dict[str, Any] | None = None,
          refused: PersonalDataFound | None = None, start: str = "", end: str = ""
          ) -> Response:
    mine = partner_name(visit.db, visit.me)
    listed = requests.request_list(visit.db, visit.me)
    today = dt.date.today()
    first, last = forms.date(start) or today - dt.timedelta(days=365), forms.date(end) or today
    return visit.render(
        "requests.html", http_status=status, mine=mine,
        inbox=[r for r in listed if r.to_partner == mine],
        sent=[r for r in listed if r.to_partner != mine],
        partners=[p.name for p in partner_list(visit.db) if p.name != mine],
        purposes=[p.value for p in requests.Purpose], tlps=[t.value for t in Tlp],
        can_write=visit.has(requests.CAN_CORRESPOND), refused=refused,
        draft={k: "" for k in DRAFT} | (draft or {}),
        stats=requests.request_statistics(visit.db, requests.Period(first, last)))


@router.get("/cooperation")
def requests_page(visit: Member, purpose: str = "", refs: str = "", start: str = "",
                  end: str = "") -> Response:
    """The inbox, the requests sent, the form to send one, and the statistics."""
    return _page(visit, draft={"purpose": purpose, "refs": refs}, start=start, end=end)


@router.post("/cooperation/requests")
def request_create(visit: Member, form: Posted) -> Response:
    """Send a request; a personal-data refusal comes back as an error on the form."""
    draft = {k: field(form, k) for k in DRAFT}
    try:
        made = requests.request_send(visit.db, visit.me, draft["to"], draft["purpose"],
                                     forms.lines(draft["refs"]), draft["text"],
                                     tlp=draft["tlp"] or "AMBER+STRICT")
    except PersonalDataFound as refused:
        return _page(visit, status=422, draft=draft, refused=refused)
    return visit.redirect("/cooperation", N_("Request %(id)s sent to %(to)s."), id=made.id,
                          to=made.to_partner)


@router.post("/cooperation/requests/{request_id:digits}/answer")
def request_reply(visit: Member, form: Posted, request_id: forms.RowId) -> Response:
    """Answer or decline a request sent to the partner."""
    decline = field(form, "decline") == "yes"
    requests.request_answer(visit.db, visit.me, request_id, field(form, "answer"),
                            decline=decline)
    return visit.redirect("/cooperation", N_("Request %(id)s declined.") if decline
                          else N_("Request %(id)s answered."), id=request_id)
