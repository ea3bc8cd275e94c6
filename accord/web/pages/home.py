"""The dashboard: counts by type and label, recent matches, queue size, disputed signals."""

from __future__ import annotations

from fastapi import Response

from accord.curation.stats import signal_counts
from accord.exchange.peers import peer_list
from accord.review.disputes import disputed_signals
from accord.review.summary import queue_size, recent_matches
from accord.sharing.roles import CAN_CURATE, CAN_REVIEW, CAN_SYNC, Role
from accord.web.routing import Member, web_router

router = web_router()


@router.get("/")
def dashboard(visit: Member) -> Response:
    """What needs attention now, and what the partner can see."""
    me = visit.me
    if me.role is Role.SYNC:
        return visit.redirect("/peers")  # a sync member's only page
    counts = visit.web.counts.get(("signals", me.partner_id),
                                  lambda: signal_counts(visit.db, me))
    reviewing = visit.has(CAN_REVIEW)
    return visit.render(
        "dashboard.html", counts=counts,
        queue=queue_size(visit.db, me) if reviewing else None,
        matches=recent_matches(visit.db, me, limit=10) if reviewing else [],
        disputed=disputed_signals(visit.db, me) if visit.has(CAN_CURATE) else None,
        peers=peer_list(visit.db, me) if visit.has(CAN_SYNC) else None)
