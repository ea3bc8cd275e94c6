"""The review desk: cases by priority, claims, verdicts with undo, blurred previews.

Keyboard shortcuts live in static/accord.js. Previews are loaded by the reviewer's
browser from the partner's own store (``accord.review.preview``): this page only
names their address, and lets its img-src policy allow that one origin.
"""

from __future__ import annotations

from itertools import pairwise
from urllib.parse import urlencode

from fastapi import Response

from accord.errors import Invalid
from accord.review import desk, preview
from accord.review import service as review
from accord.sharing.roles import CAN_REVIEW, Role
from accord.web import forms
from accord.web.i18n import N_
from accord.web.labels import entities_for
from accord.web.routing import Member, Posted, field, web_router

router = web_router()
FILTERS = ("state", "bank", "label", "age", "sort")


@router.get("/review")
def review_page(visit: Member, state: str = "pending", bank: str = "", label: str = "",
                age: str = "any", sort: str = "priority", undo: str = "",
                template: str = "") -> Response:
    """The partner's cases in one state, most urgent first, with counts and filters."""
    me = visit.me
    me.require(CAN_REVIEW, "work the review queue")
    settings = visit.web.node.settings
    found = desk.review_desk(visit.db, me, settings, state=state or None, bank=bank or None,
                             label=label or None, age=age, sort=sort)
    labels = [label for case in found.cases for c in case.cards for label in c.match.labels]
    undo_id = forms.whole(undo)
    order = [c.match.id for case in found.cases for c in case.cards]
    response = visit.render(
        "review.html", desk=found, state=state, entities=entities_for(visit.db, labels),
        states=[s.value for s in review.MatchState], ages=[a.value for a in desk.Age],
        sorts=[s.value for s in desk.Sort], chosen={"bank": bank, "label": label,
                                                    "age": age, "sort": sort},
        undoable=review.undoable(visit.db, me, undo_id, settings) if undo_id else None,
        reveal=preview.reveal_previews(visit.db, me), is_admin=visit.has(frozenset({Role.ADMIN})),
        here=_here(state, bank, label, age, sort), typed_template=template,
        next_of=dict(pairwise(order)), example_template=preview.EXAMPLE)
    if found.template:
        response.headers[preview.IMG_ORIGIN_HEADER] = preview.origin_of(found.template)
    return response


def _here(state: str, bank: str, label: str, age: str, sort: str) -> str:
    """This view's address (its filters), to come back to after an action."""
    chosen = dict(zip(FILTERS, (state, bank, label, age, sort), strict=True))
    return "/review?" + urlencode({k: v for k, v in chosen.items() if v})


def _back(form: Posted, *, undo: int | None = None, anchor: int | None = None) -> str:
    """The view a form was posted from (its ``back`` field), with undo and focus."""
    back = field(form, "back")
    url = back if back.startswith("/review?") or back == "/review" else "/review"
    if undo is not None:
        url += ("&" if "?" in url else "?") + f"undo={undo}"
    return url + (f"#match-{anchor}" if anchor else "")


@router.post("/review/{match_id}/claim")
def claim(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Claim a match so no one else reviews it at the same time (the claim lapses)."""
    review.claim(visit.db, visit.me, match_id, visit.web.node.settings)
    return visit.redirect(_back(form, anchor=match_id),
                          N_("Match %(id)s is yours to review."), id=match_id)


@router.post("/review/{match_id}/release")
def release(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Give a claimed match back to the queue."""
    review.release(visit.db, visit.me, match_id)
    return visit.redirect(_back(form, anchor=match_id),
                          N_("Match %(id)s is back in the queue."), id=match_id)


@router.post("/review/{match_id}/reassign")
def reassign(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """An admin hands a match to another reviewer of the partner."""
    rec = review.reassign(visit.db, visit.me, match_id, field(form, "member"),
                          visit.web.node.settings)
    return visit.redirect(_back(form, anchor=match_id),
                          N_("Match %(id)s is now with %(member)s."), id=match_id,
                          member=rec.claimed_by or "")


@router.post("/review/{match_id}/decide")
def decide(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Confirm or reject (a reject needs a rationale; it may report a false positive)."""
    verdict = review.decide(visit.db, visit.me, match_id, field(form, "decision"),
                            field(form, "rationale"), visit.web.node.settings,
                            false_positive=field(form, "false_positive") == "on")
    done = N_("Match %(id)s confirmed.") if verdict.state == "confirmed" \
        else N_("Match %(id)s rejected.")
    # Focus goes on to the card after the decided one (the page focuses the fragment).
    return visit.redirect(_back(form, undo=match_id if verdict.undo_until else None,
                                anchor=forms.whole(field(form, "next"))), done, id=match_id)


@router.post("/review/{match_id}/undo")
def undo(visit: Member, form: Posted, match_id: forms.RowId) -> Response:
    """Undo one's own verdict while its window is open; the match is pending again."""
    review.undo(visit.db, visit.me, match_id, visit.web.node.settings)
    return visit.redirect(_back(form, anchor=match_id),
                          N_("Verdict on match %(id)s undone: it is pending again."),
                          id=match_id)


@router.post("/review/case")
def decide_case(visit: Member, form: Posted) -> Response:
    """One verdict for every pending match of a case (one content_ref)."""
    ref = field(form, "content_ref")
    verdicts = review.decide_case(visit.db, visit.me, ref, field(form, "decision"),
                                  field(form, "rationale"), visit.web.node.settings)
    return visit.redirect(_back(form), N_("Case %(ref)s: %(count)s matches decided."),
                          ref=ref, count=len(verdicts))


@router.post("/review/preferences")
def preferences(visit: Member, form: Posted) -> Response:
    """The reviewer's own choice: previews revealed or blurred by default."""
    reveal = preview.reveal_previews_set(visit.db, visit.me,
                                         field(form, "reveal_previews") == "on")
    return visit.redirect(_back(form), N_("Previews are shown unblurred by default.")
                          if reveal else N_("Previews are blurred by default."))


@router.post("/review/content-url")
def content_url(visit: Member, form: Posted) -> Response:
    """An admin sets where reviewers' browsers load previews ('' turns them off).

    A refused template comes back in the form, as typed, beside the error.
    """
    typed = field(form, "template")
    try:
        template = preview.content_url_set(visit.db, visit.me, typed)
    except Invalid as error:
        visit.flash_error(error)
        return visit.redirect("/review?" + urlencode({"template": typed}) + "#previews")
    return visit.redirect(_back(form), N_("Previews load from %(template)s.")
                          if template else N_("Previews are off."), template=template or "")
