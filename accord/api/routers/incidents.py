"""Incidents, analytics, flows, crises and the transparency report (thin: services do it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from accord.api.deps import ActorDep, AfterQuery, IdPath, LocaleDep, NodeDep, content_language
from accord.api.schemas.incidents import (
    CrisisClose,
    CrisisCreate,
    CrisisOut,
    FlowOut,
    ImportOut,
    IncidentOut,
    IncidentPage,
    SourceCreate,
    SourceOut,
    StatementCreate,
    StatementOut,
)
from accord.errors import Invalid, PermissionDenied
from accord.incidents import crisis, flows, service, statements
from accord.incidents.records import Crisis, ImportReport
from accord.incidents.tables import text_table
from accord.reports.document import Document
from accord.reports.transparency import transparency_report
from accord.sharing.roles import Actor

router = APIRouter(prefix="/api/v1", tags=["incidents"])

Text = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")]
Year = Annotated[int, Query(ge=1970, le=2100)]
OptionalYear = Annotated[int | None, Query(ge=1970, le=2100)]
Tlp = Annotated[str, Query(max_length=20, pattern=r"^[^\x00]*$")]
EventTypes = Annotated[list[str] | None, Query(
    max_length=6, description="ACLED event types to import (repeat the parameter)")]
Format = Annotated[Literal["json", "html", "pdf"], Query(
    description="json (the data; field names never change with the language), or the "
    "report as an HTML page or a PDF in the reader's language")]
_REPORT: dict[int | str, dict[str, Any]] = {200: {
    "description": "The data (JSON), or the report as HTML or PDF in the reader's language",
    "content": {"text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    "headers": {"Content-Language": {"description": "The language the report is in",
                                     "schema": {"type": "string"}}}}}
_CSV_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}}}}}


def _partner(actor: Actor) -> int:
    if actor.partner_id is None:
        raise PermissionDenied("this key belongs to no partner")
    return actor.partner_id


async def _csv(request: Request) -> str:
    body = await request.body()
    if not body:
        raise Invalid("the request body is empty: send the CSV file")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the body is not UTF-8 text", hint="send the file as UTF-8 CSV") from None


def _import_out(report: ImportReport) -> dict[str, Any]:
    return {"imported": report.imported, "skipped_duplicates": report.skipped_duplicates,
            "refused": report.refused, "dropped_columns": list(report.dropped_columns),
            "errors": [{"row": e.row, "message": e.message} for e in report.errors],
            "excluded_event_types": dict(report.excluded_event_types)}


@router.get("/incidents", response_model=IncidentPage)
def list_incidents(
    node: NodeDep, actor: ActorDep, country: Text = None, region: Text = None,
    province: Text = None, first_year: OptionalYear = None, last_year: OptionalYear = None,
    after: AfterQuery = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Incidents the caller may see, filtered, in id order; page with ``after``."""
    page = service.incident_list(node.db, actor, service.Scope(
        country, region, province, first_year, last_year), after_id=after, limit=limit)
    return {"incidents": [asdict(i) for i in page],
            "next_after": page[-1].id if len(page) == limit else None}


@router.post("/incidents/import", response_model=ImportOut, openapi_extra=_CSV_BODY)
async def import_incidents(request: Request, node: NodeDep, actor: ActorDep,
                           tlp: Tlp = "AMBER", channel: Text = None,
                           event_type: EventTypes = None) -> dict[str, Any]:
    """Import a GTD or ACLED CSV for the caller's partner; bad rows are reported by row.

    ACLED rows are kept for the ``event_type`` values given (default: Battles,
    Explosions/Remote violence, Violence against civilians); the others are counted
    in ``excluded_event_types``.
    """
    table = text_table(await _csv(request))
    report = await run_in_threadpool(
        service.incident_import, node.db, actor, table,
        service.Sharing(_partner(actor), tlp, channel),
        batch_size=node.settings.import_batch_size, event_types=event_type)
    return _import_out(report)


def _report(data: dict[str, Any], document: Callable[[], Document], format: str,
            locale: str) -> Response:
    """A report as its data (JSON), or its document as HTML or PDF, in ``locale``."""
    headers = content_language(locale)
    if format == "json":
        return JSONResponse(jsonable_encoder(data), headers=headers)
    from accord.reports.html import render_html
    from accord.reports.pdf import render_pdf

    if format == "html":
        return HTMLResponse(render_html(document()), headers=headers)
    return Response(render_pdf(document()), media_type="application/pdf", headers=headers)


@router.get("/incidents/report", response_model=dict[str, Any], responses=_REPORT)
def incidents_report(node: NodeDep, actor: ActorDep, locale: LocaleDep, first_year: Year,
                     last_year: Year, country: Text = None, region: Text = None,
                     province: Text = None, format: Format = "json") -> Response:
    """Escalation, spill-over, target shift and lethality for a place and period: the data,
    or the report in the reader's language (``?lang=`` or ``Accept-Language``)."""
    # pandas and statsmodels load on the first report, not when a worker starts.
    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis
    from accord.reports.incident_report import analysis_document, analysis_json

    analysis = incident_analysis(node.db, actor, service.Scope(country, region, province),
                                 an.Period(first_year, last_year),
                                 node.settings.soft_target_types)
    return _report(analysis_json(analysis), lambda: analysis_document(analysis, locale),
                   format, locale)


@router.get("/incidents/{incident_id}", response_model=IncidentOut)
def get_incident(incident_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """One incident the caller may see."""
    return asdict(service.incident_get(node.db, actor, incident_id))


@router.post("/incidents/{incident_id}/sources", response_model=SourceOut, status_code=201)
def add_source(incident_id: IdPath, body: SourceCreate, node: NodeDep, actor: ActorDep
               ) -> dict[str, Any]:
    """Record a source of one of the caller's partner's incidents."""
    return asdict(service.source_add(node.db, actor, incident_id, body.kind,
                                     body.published_on))


@router.get("/incidents/{incident_id}/sources", response_model=list[SourceOut])
def list_sources(incident_id: IdPath, node: NodeDep, actor: ActorDep
                 ) -> list[dict[str, Any]]:
    """The sources of an incident the caller may see."""
    return [asdict(s) for s in service.source_list(node.db, actor, incident_id)]


def _statement_out(said: statements.Statement) -> dict[str, Any]:
    return {**asdict(said), "hours_after": said.hours_after}


@router.post("/incidents/{incident_id}/statements", response_model=StatementOut,
             status_code=201)
def add_statement(incident_id: IdPath, body: StatementCreate, node: NodeDep, actor: ActorDep
                  ) -> dict[str, Any]:
    """Record the caller's partner's own public statement on an incident (or none)."""
    said = statements.Said(body.kind, body.spoken_at, body.language, body.url, body.text)
    partner = body.partner if body.partner is not None else _partner(actor)
    return _statement_out(statements.statement_add(node.db, actor, incident_id, partner, said,
                                                   tlp=body.tlp, channel=body.channel))


@router.get("/incidents/{incident_id}/statements", response_model=list[StatementOut])
def list_statements(incident_id: IdPath, node: NodeDep, actor: ActorDep
                    ) -> list[dict[str, Any]]:
    """The statements on an incident the caller may see (facts: who spoke, when)."""
    return [_statement_out(s) for s in statements.statement_list(node.db, actor, incident_id)]


@router.get("/flows", response_model=list[FlowOut])
def list_flows(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Flows the caller may see; counts under the threshold are null and ``suppressed``."""
    return [asdict(f) for f in flows.flow_list(node.db, actor,
                                               node.settings.flow_suppress_below)]


@router.post("/flows/import", response_model=ImportOut, openapi_extra=_CSV_BODY)
async def import_flows(request: Request, node: NodeDep, actor: ActorDep,
                       tlp: Tlp = "AMBER", channel: Text = None) -> dict[str, Any]:
    """Import aggregate flows; a file with columns about persons is refused whole."""
    table = text_table(await _csv(request))
    report = await run_in_threadpool(flows.flow_import, node.db, actor, table,
                                     service.Sharing(_partner(actor), tlp, channel))
    return _import_out(report)


@router.get("/flows/report", response_model=dict[str, Any], responses=_REPORT)
def flows_report(node: NodeDep, actor: ActorDep, locale: LocaleDep, first_year: Year,
                 last_year: Year, format: Format = "json") -> Response:
    """Routes and per-country departures and returns; small counts suppressed. The data,
    or the report in the reader's language (``?lang=`` or ``Accept-Language``)."""
    # matplotlib: on first use only
    from accord.reports.flow_report import aggregate, flow_document

    rows = flows.flow_rows(node.db, actor, first_year, last_year)
    data = aggregate(rows, node.settings.flow_suppress_below)
    return _report(data, lambda: flow_document(data, first_year, last_year, locale), format,
                   locale)


def _crisis_out(c: Crisis) -> dict[str, Any]:
    return {**asdict(c), "criteria": list(c.criteria), "state": c.state}


@router.get("/crises", response_model=list[CrisisOut])
def list_crises(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Crises on incidents the caller may see, newest first."""
    return [_crisis_out(c) for c in crisis.crisis_list(node.db, actor)]


@router.post("/crises", response_model=CrisisOut, status_code=201)
def activate_crisis(body: CrisisCreate, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Activate a crisis: the bank's new signals are shared to the channel at once."""
    return _crisis_out(crisis.activate(node.db, actor, node.settings, body.incident_id,
                                       body.bank, body.channel, body.criteria, body.hours))


@router.post("/crises/{crisis_id}/close", response_model=CrisisOut)
def close_crisis(crisis_id: IdPath, body: CrisisClose, node: NodeDep, actor: ActorDep
                 ) -> dict[str, Any]:
    """Close a crisis with its debrief."""
    return _crisis_out(crisis.close(node.db, actor, crisis_id, body.debrief))


@router.get("/reports/transparency", response_model=dict[str, Any], responses=_REPORT)
def report_transparency(node: NodeDep, actor: ActorDep, locale: LocaleDep, first: dt.date,
                        last: dt.date, format: Format = "json") -> Response:
    """The transparency report for ``first``..``last`` (counts; partners named only
    with their consent), over what the caller's partner may see (node-wide for auditors):
    the data, or the report in the reader's language."""
    from accord.reports.transparency import transparency_document

    data = transparency_report(node.db, first, last, actor)
    return _report(data, lambda: transparency_document(data, locale), format, locale)
