"""Disputes: the partner's signals that others dispute, their notes, and the answers."""

from __future__ import annotations

from fastapi import Response

from accord.curation.proposals import proposal_list
from accord.review.disputes import disputed_signals
from accord.sharing.roles import CAN_CURATE
from accord.web.labels import entities_for
from accord.web.routing import Member, web_router

router = web_router()


@router.get("/disputes")
def disputes_page(visit: Member) -> Response:
    """Each disputed signal with every dispute; answer by reactivating or retracting it.
    Above them, the open label proposals other partners made on the partner's signals."""
    visit.me.require(CAN_CURATE, "answer disputes")
    disputed = disputed_signals(visit.db, visit.me)
    entities = entities_for(visit.db, [label for d in disputed for label in d.labels])
    proposals = [p for p in proposal_list(visit.db, visit.me)
                 if p.partner_id != visit.me.partner_id]
    return visit.render("disputes.html", disputed=disputed, entities=entities,
                        proposals=proposals)
