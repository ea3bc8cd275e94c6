"""Incidents: the list with filters (place, years), one incident with its sourcing and
the public statements on it (facts: whether and when each partner spoke), and the
imports of incident (GTD, ACLED) and flow files, with the bulk-import progress of
signal imports (``accord.web.imports``)."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

from fastapi import Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from accord.errors import Invalid
from accord.incidents import service, statements
from accord.incidents.codebook import SOURCE_KINDS
from accord.incidents.places import canonical_scope, places
from accord.sharing.roles import CAN_CURATE
from accord.sharing.service import channel_list
from accord.sharing.tlp import Tlp
from accord.web import forms
from accord.web.i18n import N_
from accord.web.imports import ImportJobs
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()
PAGE = 100
FILTERS = ("country", "region", "province", "first_year", "last_year")


@router.get("/incidents")
def incidents_page(visit: Member, country: str = "", region: str = "", province: str = "",
                   first_year: str = "", last_year: str = "", after: str = "") -> Response:
    """Incidents the partner may see, filtered by place and years, a page at a time."""
    known = places(visit.db, visit.me)
    chosen = {"country": country, "region": region, "province": province,
              "first_year": first_year, "last_year": last_year}
    try:
        scope = canonical_scope(service.Scope(country, region, province, forms.year(first_year),
                                              forms.year(last_year)), known)
    except Invalid as error:  # the form again, with what was typed and the message
        return visit.render("incidents.html", http_status=400, incidents=[], chosen=chosen,
                            query="", next_after=None, places=known, error=error,
                            **import_form(visit))
    found = service.incident_list(visit.db, visit.me, scope, after_id=forms.number(after) or 0,
                                  limit=PAGE)
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return visit.render("incidents.html", incidents=found, chosen=chosen, query=query,
                        next_after=found[-1].id if len(found) == PAGE else None,
                        places=known, error=None, **import_form(visit))


def import_form(visit: Visit) -> dict[str, Any]:
    """What the incident and flow import forms need (shown to those who may import)."""
    can = visit.has(CAN_CURATE) and visit.me.partner_id is not None
    return {"can_import": can, "tlps": [t.value for t in Tlp],
            "channels": channel_list(visit.db, visit.me) if can else []}


async def _start_import(visit: Visit, form: FormData, kind: str) -> Response:
    """Save the upload and start importing it (the same core import as the CLI and API)."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(N_("Choose a CSV or XLSX file to import."))
    jobs = ImportJobs(visit.web.imports_dir, visit.db, visit.web.node.settings)
    target = jobs.upload_path(upload.filename)
    with target.open("wb") as out:
        await run_in_threadpool(shutil.copyfileobj, upload.file, out, 1024 * 1024)
    sharing = service.Sharing(visit.me.partner_id or 0, field(form, "tlp") or "AMBER",
                              field(form, "channel") or None)
    try:
        job = await run_in_threadpool(jobs.start_table, visit.me, kind, upload.filename,
                                      target, sharing, visit.locale)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return visit.render("_import.html", job=job)


@router.post("/incidents/import")
async def incident_import(visit: Member, form: Posted) -> Response:
    """Import a GTD (CSV, XLSX) or ACLED file of incidents; the page polls the progress."""
    return await _start_import(visit, form, "incidents")


@router.post("/flows/import")
async def flow_import(visit: Member, form: Posted) -> Response:
    """Import a CSV of aggregate flows; the page polls the progress."""
    return await _start_import(visit, form, "flows")


@router.get("/incidents/{incident_id:digits}")
def incident_page(visit: Member, incident_id: forms.RowId) -> Response:
    """One incident with its GTD fields and its sources."""
    incident = service.incident_get(visit.db, visit.me, incident_id)
    facts = statements.statement_facts(visit.db, visit.me, [incident_id])
    return visit.render(
        "incident.html", i=incident, sources=service.source_list(visit.db, visit.me, incident_id),
        kinds=SOURCE_KINDS,
        can_source=visit.has(CAN_CURATE) and incident.owner_partner_id == visit.me.partner_id,
        said=statements.statement_list(visit.db, visit.me, incident_id),
        facts=facts[0].partners if facts else (), statement_kinds=STATEMENT_KINDS,
        statuses=STATUSES, can_state=visit.has(CAN_CURATE) and visit.me.partner_id is not None)


@router.post("/incidents/{incident_id:digits}/sources")
def source_create(visit: Member, form: Posted, incident_id: forms.RowId) -> Response:
    """Record a source of one of the partner's incidents."""
    service.source_add(visit.db, visit.me, incident_id, field(form, "kind"),
                       forms.date(field(form, "published_on")))
    return visit.redirect(f"/incidents/{incident_id}", N_("Source added."))


STATEMENT_KINDS = {"condemnation": N_("condemnation"), "condolence": N_("condolence"),
                   "concern": N_("statement of concern"), "other": N_("other statement"),
                   "none": N_("no statement made")}
STATUSES = {"spoke": N_("spoke"), "none": N_("recorded that it made none"),
            "not-recorded": N_("nothing recorded")}


def _utc(text: str) -> dt.datetime | None:
    """A ``datetime-local`` field, read as UTC (the form says so)."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(N_("a time is written YYYY-MM-DDTHH:MM"),
                      hint=N_("e.g. 2026-03-14T18:30")) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@router.post("/incidents/{incident_id:digits}/statements")
def statement_create(visit: Member, form: Posted, incident_id: forms.RowId) -> Response:
    """Record the partner's own public statement on an incident (or that it made none)."""
    said = statements.Said(field(form, "kind"), _utc(field(form, "spoken_at")),
                           field(form, "language") or None, field(form, "url") or None,
                           field(form, "text"))
    statements.statement_add(visit.db, visit.me, incident_id, visit.me.partner_id or 0, said,
                             tlp=field(form, "tlp") or None)
    return visit.redirect(f"/incidents/{incident_id}", N_("Statement recorded."))
