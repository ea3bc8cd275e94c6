"""The review queue: claim, confirm or reject with a rationale; keyboard shortcuts in JS."""

from __future__ import annotations

from fastapi import Response

from accord.review import service as review
from accord.sharing.roles import CAN_REVIEW
from accord.web import forms
from accord.web.i18n import N_
from accord.web.labels import entities_for
from accord.web.routing import Member, Posted, field, web_router

router = web_router()


@router.get("/review")
def review_page(visit: Member, state: str = "pending") -> Response:
    """The partner's matches in one state, oldest first, with distance and labels."""
    visit.me.require(CAN_REVIEW, "work the review queue")
    matches = review.review_queue(visit.db, visit.me, state=state or None, limit=100)
    entities = entities_for(visit.db, [label for m in matches for label in m.labels])
    return visit.render("review.html", matches=matches, state=state, entities=entities,
                        states=[s.value for s in review.MatchState])


@router.post("/review/{match_id}/claim")
def claim(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Claim a match so no one else reviews it at the same time."""
    review.claim(visit.db, visit.me, match_id)
    return visit.redirect(f"/review#match-{match_id}", N_("Match %(id)s is yours to review."),
                          id=match_id)


@router.post("/review/{match_id}/decide")
def decide(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Confirm or reject (a reject needs a rationale; it may report a false positive)."""
    verdict = review.decide(visit.db, visit.me, match_id, field(form, "decision"),
                            field(form, "rationale"), visit.web.node.settings,
                            false_positive=field(form, "false_positive") == "on")
    done = N_("Match %(id)s confirmed.") if verdict.state == "confirmed" \
        else N_("Match %(id)s rejected.")
    # Focus goes on to the card after the decided one (the page focuses the fragment).
    following = forms.whole(field(form, "next"))
    return visit.redirect(f"/review#match-{following}" if following else "/review", done,
                          id=match_id)
