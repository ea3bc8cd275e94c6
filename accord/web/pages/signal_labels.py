"""The signal page's label forms: the owner edits labels, disputes have a thread, other
partners propose label changes that the owner accepts or refuses.

Each view calls the one core function the API and CLI call. A refused form shows the
signal page again with the error beside the form and what was typed still in it.
"""

from __future__ import annotations

from fastapi import Response

from accord.curation import disputes, label_edits, proposals
from accord.curation.labels import split_labels
from accord.errors import Conflict, Invalid, PermissionDenied
from accord.web import forms
from accord.web.i18n import N_
from accord.web.pages.signals import render_detail
from accord.web.routing import Member, Posted, field, web_router

router = web_router()
# Refusals shown beside the form; NotFound (a signal the member may not see) is the
# ordinary error page, exactly as for a signal that does not exist.
FORM_ERRORS = (Invalid, Conflict, PermissionDenied)


@router.post("/signals/{signal_id}/labels")
def labels_edit(visit: Member, form: Posted, signal_id: forms.RowId) -> Response:
    """Replace the labels of one of the partner's signals."""
    labels, reason = field(form, "labels"), field(form, "reason")
    try:
        label_edits.label_set(visit.db, visit.me, signal_id, split_labels(labels), reason)
    except FORM_ERRORS as error:
        return render_detail(visit, signal_id, error=error,
                             typed={"form": "labels", "labels": labels, "reason": reason})
    return visit.redirect(f"/signals/{signal_id}", N_("Labels saved."))


@router.post("/signals/{signal_id}/disputes/{dispute_id}/messages")
def dispute_reply(visit: Member, form: Posted, signal_id: forms.RowId,
                  dispute_id: forms.RowId) -> Response:
    """Write in a dispute's thread (the owner's staff or the disputing partner's)."""
    text = field(form, "text")
    try:
        disputes.dispute_reply(visit.db, visit.me, dispute_id, text)
    except FORM_ERRORS as error:
        return render_detail(visit, signal_id, error=error,
                             typed={"form": f"thread-{dispute_id}", "text": text})
    return visit.redirect(f"/signals/{signal_id}#dispute-{dispute_id}",
                          N_("Your message is sent."))


@router.post("/signals/{signal_id}/proposals")
def proposal_add(visit: Member, form: Posted, signal_id: forms.RowId) -> Response:
    """Propose labels to add to or remove from another partner's signal."""
    add, remove, reason = field(form, "add"), field(form, "remove"), field(form, "reason")
    try:
        proposals.proposal_add(visit.db, visit.me, signal_id, split_labels(add),
                               split_labels(remove), reason)
    except FORM_ERRORS as error:
        return render_detail(visit, signal_id, error=error, typed={
            "form": "proposal", "add": add, "remove": remove, "reason": reason})
    return visit.redirect(f"/signals/{signal_id}", N_("Your proposal is sent to the owner."))


@router.post("/signals/{signal_id}/proposals/{proposal_id}/answer")
def proposal_answer(visit: Member, form: Posted, signal_id: forms.RowId,
                    proposal_id: forms.RowId) -> Response:
    """Accept or refuse a proposal on one of the partner's signals."""
    reason = field(form, "reason")
    try:
        if field(form, "decision") == "accept":
            proposals.proposal_accept(visit.db, visit.me, proposal_id, reason)
            message = N_("Proposal %(id)s accepted.")
        else:
            proposals.proposal_refuse(visit.db, visit.me, proposal_id, reason)
            message = N_("Proposal %(id)s refused.")
    except FORM_ERRORS as error:
        return render_detail(visit, signal_id, error=error,
                             typed={"form": f"proposal-{proposal_id}", "reason": reason})
    return visit.redirect(f"/signals/{signal_id}", message, id=proposal_id)
