"""Banks and signals: list and filter, add one, bulk import with progress, detail, retract.

The signal page also holds the label forms (``signal_labels``): edit, history, dispute
threads, proposals."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

from fastapi import Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from accord.curation import banks, disputes, label_edits, opinions, proposals
from accord.curation import signals as sig
from accord.curation.labels import split_labels
from accord.curation.stats import last_signal_id
from accord.errors import AccordError, Invalid, PermissionDenied
from accord.review.summary import signal_match_counts
from accord.sharing.roles import CAN_CURATE, CAN_GIVE_OPINION
from accord.sharing.service import channel_list, partner_list
from accord.sharing.tlp import Tlp
from accord.signals import signal_type_names
from accord.store import records as r
from accord.web import forms
from accord.web.i18n import N_
from accord.web.imports import ImportJobs
from accord.web.labels import entities_for
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()
PAGE = 50
WINDOW = 100_000  # signal ids read by one query of a search
SEARCH_BUDGET = 0.08  # seconds a page spends searching before it offers to go on
FILTERS = ("bank", "signal_type", "label", "tlp", "status", "contributor")


def _own_banks(visit: Visit) -> list[r.Bank]:
    """The partner's banks (without their signal counts)."""
    partner = visit.me.partner_id
    return [] if partner is None else banks.bank_list(visit.db, partner, counts=False)


def _bank_counts(visit: Visit) -> dict[int, int] | None:
    """Active signals per bank id, from the background figures (None until ready)."""
    partner = visit.me.partner_id
    return visit.web.counts.get(("banks", partner), lambda: {
        b.id: b.signal_count for b in banks.bank_list(visit.db, partner)})


def _jobs(visit: Visit) -> ImportJobs:
    return ImportJobs(visit.web.imports_dir, visit.db, visit.web.node.settings)


@router.get("/banks")
def bank_page(visit: Member) -> Response:
    """The partner's banks with their active signal counts, and the form for a new one."""
    return visit.render("banks.html", banks=_own_banks(visit), counts=_bank_counts(visit),
                        tlps=[t.value for t in Tlp], channels=channel_list(visit.db, visit.me),
                        can_curate=visit.has(CAN_CURATE))


@router.post("/banks")
def bank_create(visit: Member, form: Posted) -> Response:
    """Create a bank for the member's partner."""
    me = visit.me
    bank = banks.bank_add(visit.db, me, field(form, "name"), me.partner_id or 0,
                          default_tlp=field(form, "default_tlp", "AMBER"),
                          channel=field(form, "channel") or None,
                          description=field(form, "description"),
                          negative=field(form, "negative") == "on",
                          pdq_threshold=_threshold(form, "pdq_threshold"),
                          tmk_threshold=_threshold(form, "tmk_threshold"),
                          match_variants=field(form, "match_variants") or None)
    visit.web.counts.invalidate()
    return visit.redirect(f"/signals?bank={bank.name}", N_("Bank %(name)s created."),
                          name=bank.name)


@router.post("/banks/matching")
def bank_matching(visit: Member, form: Posted) -> Response:
    """Change how uploads match one of the partner's banks; a blank field is the node's
    default (the same core call as ``accord bank set`` and ``PATCH /api/v1/banks/{bank}``)."""
    bank = banks.bank_set_matching(
        visit.db, visit.me, field(form, "bank"),
        match_variants=field(form, "match_variants") or None,
        pdq_threshold=_threshold(form, "pdq_threshold"),
        tmk_threshold=_threshold(form, "tmk_threshold"))
    return visit.redirect("/banks", N_("Matching of bank %(name)s saved."), name=bank.name)


def _threshold(form: Posted, name: str) -> int | None:
    """A threshold field: blank is the node's default."""
    return forms.count(field(form, name))


def _filters(visit: Visit) -> dict[str, str]:
    query = visit.request.query_params
    return {k: query.get(k, "").strip() for k in FILTERS}


@dataclass(frozen=True, slots=True)
class _Page:
    rows: list[r.Signal]
    next_after: int | None  # a full page: the next one starts after this id
    searched_to: int | None  # the search stopped here (time budget); more may follow


def _search(visit: Visit, chosen: dict[str, str], status: str, after: int) -> _Page:
    """One page of matching signals, reading the table a window of ids at a time.

    A filter that few signals pass (no RED signal among a million) would read the
    whole table for one page; windows bound each query, and after ``SEARCH_BUDGET``
    the page shows what it found and offers to search further.
    """
    deadline = time.monotonic() + SEARCH_BUDGET
    last = last_signal_id(visit.db)
    found: list[r.Signal] = []
    start = after
    while True:
        end = start + WINDOW
        found += sig.signal_list(
            visit.db, visit.me, bank=chosen["bank"] or None,
            status=None if status == "any" else status,
            signal_type=chosen["signal_type"] or None, label=chosen["label"] or None,
            tlp=chosen["tlp"] or None, contributor=chosen["contributor"] or None,
            after_id=start, until_id=end, limit=PAGE + 1 - len(found))
        if len(found) > PAGE:
            return _Page(found[:PAGE], found[PAGE - 1].id, None)
        if end >= last:
            return _Page(found, None, None)
        start = end
        if time.monotonic() > deadline:
            return _Page(found, None, start)


@router.get("/signals")
def signal_page(visit: Member, after: str = "") -> Response:
    """Signals the partner may see, filtered, a page at a time (newer pages follow)."""
    chosen = _filters(visit)
    status = chosen["status"] or "active"
    page = _search(visit, chosen, status, forms.number(after) or 0)
    return visit.render(
        "signals.html", signals=page.rows, filters=chosen, status=status,
        entities=entities_for(visit.db, [label for row in page.rows for label in row.labels]),
        next_after=page.next_after, searched_to=page.searched_to, types=signal_type_names(),
        tlps=[t.value for t in Tlp], statuses=["active", "quarantined", "retracted", "any"],
        banks=_own_banks(visit), can_curate=visit.has(CAN_CURATE))


@router.post("/signals")
def signal_create(visit: Member, form: Posted) -> Response:
    """Add one signal to one of the partner's banks."""
    quality = field(form, "quality")
    if quality and forms.whole(quality) is None:
        raise Invalid(N_("The quality must be a whole number from 0 to 100."))
    given = sig.SignalInput(
        signal_type=field(form, "signal_type"), value=field(form, "value"),
        quality=int(quality) if quality else None,
        labels=tuple(split_labels(field(form, "labels"))), tlp=field(form, "tlp") or None,
        rationale=field(form, "rationale"), source_ref=field(form, "source_ref"))
    added = sig.signal_add(visit.db, visit.me, field(form, "bank"), given,
                           visit.web.node.settings)
    visit.web.counts.invalidate()
    return visit.redirect(f"/signals/{added.id}", N_("Signal %(id)s added."), id=added.id)


@router.post("/signals/import")
async def signal_import(visit: Member, form: Posted) -> Response:
    """Save the uploaded file and start importing it; the page polls the progress."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(N_("Choose a CSV or JSON-lines file to import."))
    jobs = _jobs(visit)
    target = jobs.upload_path()
    with target.open("wb") as out:
        await run_in_threadpool(shutil.copyfileobj, upload.file, out, 1024 * 1024)
    try:
        job = await run_in_threadpool(jobs.start, visit.me, field(form, "bank"),
                                      upload.filename, target, visit.locale)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    visit.web.counts.invalidate()
    return visit.render("_import.html", job=job)


@router.get("/imports/{job}")
def import_progress(visit: Member, job: str) -> Response:
    """One import's progress (an htmx fragment that polls itself until done)."""
    state = _jobs(visit).get(job, visit.me)
    if state.done:
        visit.web.counts.invalidate()
    return visit.render("_import.html", job=state)


@router.get("/imports/{job}/rejected.csv")
def import_rejected(visit: Member, job: str) -> Response:
    """The rows a finished import refused: line, reason and the row as read."""
    body = _jobs(visit).rejected_csv(job, visit.me)
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="rejected-{job}.csv"'})


@router.get("/signals/{signal_id}")
def signal_detail(visit: Member, signal_id: forms.RowId) -> Response:
    """Labels with taxonomy entries and designations, provenance, opinions, matches, audit."""
    return render_detail(visit, signal_id)


def render_detail(visit: Visit, signal_id: int, *, error: AccordError | None = None,
                  typed: dict[str, str] | None = None) -> Response:
    """The signal page; after a refused form, with the error beside the form (``typed``:
    the form's name and what was typed in it, shown again)."""
    me = visit.me
    signal = sig.signal_get(visit.db, me, signal_id)
    entities = entities_for(visit.db, signal.labels)
    partners = {p.id: p for p in partner_list(visit.db)}
    bank = next((b for b in _own_banks(visit) if b.id == signal.bank_id), None)
    threads = disputes.disputes_of(visit.db, me, signal_id)
    return visit.render(
        "signal.html", http_status=400 if error is not None else 200,
        signal=signal, entities=entities, partners=partners, bank=bank,
        opinions=opinions.opinion_list(visit.db, me, signal_id),
        matches=signal_match_counts(visit.db, me, signal_id),
        trail=visit.event_views(sig.signal_audit_trail(visit.db, me, signal_id)),
        history=label_edits.label_history(visit.db, me, signal_id),
        threads=[(d, disputes.dispute_messages(visit.db, me, d.id)) for d in threads],
        proposals=proposals.proposal_list(visit.db, me, status=None, signal_id=signal_id),
        owner=me.partner_id == signal.owner_partner_id,
        can_curate=visit.has(CAN_CURATE), can_opine=visit.has(CAN_GIVE_OPINION),
        kinds=[k.value for k in opinions.OpinionKind], form_error=error, typed=typed or {})


@router.post("/signals/{signal_id}/retract")
def signal_retract(visit: Member, form: Posted, signal_id: forms.RowId) -> Response:
    """Retract one of the partner's signals (a tombstone, with the reason)."""
    sig.signal_retract(visit.db, visit.me, signal_id, field(form, "reason"))
    visit.web.counts.invalidate()
    return visit.redirect(f"/signals/{signal_id}", N_("Signal %(id)s retracted."), id=signal_id)


@router.post("/signals/{signal_id}/reactivate")
def signal_reactivate(visit: Member, form: Posted, signal_id: forms.RowId) -> Response:
    """Stand by a quarantined signal after reading its disputes."""
    sig.signal_reactivate(visit.db, visit.me, signal_id, field(form, "note"))
    visit.web.counts.invalidate()
    return visit.redirect(f"/signals/{signal_id}", N_("Signal %(id)s is active again."),
                          id=signal_id)


@router.post("/signals/{signal_id}/opinion")
def signal_opinion(visit: Member, form: Posted, signal_id: forms.RowId) -> Response:
    """Agree with, dispute or report a signal as a false positive, with a note; a dispute
    may name the one label it disputes."""
    try:
        opinions.opinion_set(visit.db, visit.me, signal_id, field(form, "kind"),
                             field(form, "note"), visit.web.node.settings,
                             label=field(form, "label") or None)
    except (Invalid, PermissionDenied) as error:
        return render_detail(visit, signal_id, error=error, typed={
            "form": "opinion", "kind": field(form, "kind"), "note": field(form, "note"),
            "label": field(form, "label")})
    return visit.redirect(f"/signals/{signal_id}", N_("Your opinion is recorded."))
