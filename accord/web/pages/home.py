"""The dashboard: counts by type and label, review trends with their charts, recent
matches, queue size, disputed signals.

The counts and the trends (a query per series and three matplotlib charts) are computed
off the request path like every dashboard figure (``WebState.counts``): the page shows
what is ready and asks again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Response

from accord.curation.stats import signal_counts
from accord.exchange.peers import peer_list
from accord.reports.transparency import Audience
from accord.reports.trends import Trends, review_trends
from accord.review.disputes import disputed_signals
from accord.review.summary import queue_size, recent_matches
from accord.sharing.roles import CAN_CURATE, CAN_REVIEW, CAN_SYNC, Role
from accord.web.routing import Member, Visit, web_router

if TYPE_CHECKING:
    from accord.reports.trend_charts import TrendChart

router = web_router()


def _trends(visit: Visit) -> tuple[Trends, list[TrendChart]] | None:
    """The reader's trends and their charts in its language (None while computed)."""

    def compute() -> tuple[Trends, list[TrendChart]]:
        from accord.reports.trend_charts import trend_svgs  # matplotlib: not at start-up

        found = review_trends(visit.db, visit.me)
        return found, trend_svgs(found, visit.locale)

    key = ("trends", Audience(visit.me).key, visit.locale)
    return visit.web.counts.get(key, compute)


@router.get("/")
def dashboard(visit: Member) -> Response:
    """What needs attention now, and what the partner can see."""
    me = visit.me
    if me.role is Role.SYNC:
        return visit.redirect("/peers")  # a sync member's only page
    counts = visit.web.counts.get(("signals", me.partner_id),
                                  lambda: signal_counts(visit.db, me))
    reviewing = visit.has(CAN_REVIEW)
    trends = _trends(visit)
    return visit.render(
        "dashboard.html", counts=counts, trends=trends[0] if trends else None,
        trend_charts=trends[1] if trends else [],
        queue=queue_size(visit.db, me) if reviewing else None,
        matches=recent_matches(visit.db, me, limit=10) if reviewing else [],
        disputed=disputed_signals(visit.db, me) if visit.has(CAN_CURATE) else None,
        peers=peer_list(visit.db, me) if visit.has(CAN_SYNC) else None)
