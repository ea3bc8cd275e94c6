"""The audit log: the partner's members' events, newest first, and the chain's verification."""

from __future__ import annotations

from fastapi import Response

from accord import audit, audit_anchor
from accord.sharing.accounts import member_list
from accord.web import forms
from accord.web.nav import ADMINS
from accord.web.routing import Member, Posted, Visit, web_router

router = web_router()
PAGE = 50


def _members(visit: Visit) -> list[int]:
    """The ids of this partner's members: whose events its admins may read."""
    visit.me.require(ADMINS, "read the audit log")
    return [m.id for m in member_list(visit.db, visit.me, visit.me.partner_id or 0)]


@router.get("/audit")
def audit_page(visit: Member, before: str = "") -> Response:
    """A page of events by this partner's members; the last verification's outcome."""
    found = audit.recent(visit.db, members=_members(visit), before=forms.number(before),
                         limit=PAGE + 1)
    more = len(found) > PAGE
    found = found[:PAGE]
    return visit.render("audit.html", events=visit.event_views(found), report=visit.web.last_verify,
                        next_before=found[-1].seq if more and found else None)


@router.post("/audit/verify")
def verify(visit: Member, form: Posted) -> Response:
    """Walk the whole hash chain now (an htmx fragment with the outcome)."""
    _members(visit)
    anchors = audit_anchor.anchors_for(visit.web.node.settings)
    visit.web.last_verify = audit_anchor.verify(visit.db, anchors)
    return visit.render("_verify.html", report=visit.web.last_verify)
