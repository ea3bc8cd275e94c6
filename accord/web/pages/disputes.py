"""Disputes: the partner's signals that others dispute, their notes, and the answers."""

from __future__ import annotations

from fastapi import Response

from accord.review.disputes import disputed_signals
from accord.sharing.roles import CAN_CURATE
from accord.web.routing import Member, web_router

router = web_router()


@router.get("/disputes")
def disputes_page(visit: Member) -> Response:
    """Each disputed signal with every dispute; answer by reactivating or retracting it."""
    visit.me.require(CAN_CURATE, "answer disputes")
    return visit.render("disputes.html", disputed=disputed_signals(visit.db, visit.me))
