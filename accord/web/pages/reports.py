"""Reports: the incident report for a place and period, flows, and the transparency report.

Each page renders the report ``Document`` the CLI and the API build (charts inlined
as SVG); pandas, statsmodels and matplotlib load on the first report, not at start.
The incident and flow reports (analytics and charts: about a second) are computed in
a thread like the dashboard's counts: the page says "computing" and asks again, and
the result is kept a minute per partner and parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from markupsafe import Markup

from accord.errors import AccordError, Invalid
from accord.incidents import flows, service
from accord.incidents.places import canonical_scope, places
from accord.reports.document import Document
from accord.reports.transparency import (
    Audience,
    transparency_document,
    transparency_report,
)
from accord.web import forms
from accord.web.i18n import N_
from accord.web.pages.incidents import import_form
from accord.web.routing import Member, Visit, web_router

router = web_router()
FILES = ("json", "pdf")
"""The formats a report page downloads (``?format=``); any other shows the page."""


def _charts(doc: Document) -> dict[str, Markup]:
    from accord.reports.charts import svg_texts

    # matplotlib writes the SVG itself, escaping the text it draws; a chart that fails
    # to draw is left out, its section saying so.
    return {name: Markup(svg) for name, svg in svg_texts(doc).items()}


Rendered = tuple[Document, dict[str, Markup]] | AccordError


def _rendered(build: Callable[[], Document]) -> Rendered:
    """The report and its charts as SVG (the figures themselves are not kept)."""
    try:
        doc = build()
    except AccordError as error:  # shown on the page by the next request
        return error
    charts = _charts(doc)
    return dataclasses.replace(doc, charts={}), charts


def _blank(visit: Visit, template: str, **context: Any) -> Response:
    """The report's page with its form only (no period chosen yet)."""
    return visit.render(template, doc=None, charts={}, pending=False, **context)


def _show_later(visit: Visit, template: str, key: tuple[object, ...] | None,
                build: Callable[[], Document], **context: Any) -> Response:
    """The page with the report when it is ready, else saying it is being computed."""
    if key is None:
        return _blank(visit, template, **context)
    ready = visit.web.reports.get((*key, visit.me.partner_id), lambda: _rendered(build))
    if isinstance(ready, AccordError):
        raise ready
    doc, charts = ready if ready is not None else (None, {})
    return visit.render(template, doc=doc, charts=charts, pending=ready is None, **context)


def _period(first: str, last: str) -> tuple[int, int] | None:
    a, b = forms.year(first), forms.year(last)
    if a is None and b is None:
        return None
    if a is None or b is None:
        raise Invalid(N_("give both years of the period"), hint=N_("e.g. from 2015 to 2019"))
    if b < a:
        raise Invalid(N_("the period ends before it starts"), hint=N_("swap the two years"))
    return a, b


@router.get("/reports")
def reports_page(visit: Member) -> Response:
    """The reports a member can run."""
    return visit.render("reports.html")


@router.get("/reports/incidents")
def incident_report_page(visit: Member, country: str = "", region: str = "",
                         province: str = "", first_year: str = "", last_year: str = "",
                         format: str = "html") -> Response:
    """Escalation, spill-over, soft-target shift and lethality for a place and period."""
    chosen = {"country": country, "region": region, "province": province,
              "first_year": first_year, "last_year": last_year}
    period = _period(first_year, last_year)
    known = places(visit.db, visit.me)
    scope = canonical_scope(service.Scope(country, region, province), known)
    settings = visit.web.node.settings

    def build() -> Document:
        from accord.incidents import analytics as an
        from accord.incidents.report import incident_analysis
        from accord.reports.incident_report import analysis_document

        assert period is not None  # only built for a period
        return analysis_document(incident_analysis(
            visit.db, visit.me, scope, an.Period(*period), settings.soft_target_types),
            visit.locale)

    if period is not None and format in FILES:
        from accord.incidents import analytics as an
        from accord.incidents.report import incident_analysis
        from accord.reports.incident_report import analysis_document, analysis_json

        found = incident_analysis(visit.db, visit.me, scope, an.Period(*period),
                                  settings.soft_target_types)
        return _file(analysis_json(found), lambda: analysis_document(found, visit.locale),
                     f"incidents-{period[0]}-{period[1]}", format)
    key = None if period is None else ("incidents", scope, period, visit.locale)
    return _show_later(visit, "report_incidents.html", key, build, chosen=chosen,
                       places=known)


@router.get("/reports/flows")
def flow_report_page(visit: Member, first_year: str = "", last_year: str = "",
                     format: str = "html") -> Response:
    """Flows the partner may see, and routes and trends for a period; counts under the
    threshold are shown as suppressed, never as numbers."""
    threshold = visit.web.node.settings.flow_suppress_below
    period = _period(first_year, last_year)

    def build() -> Document:
        from accord.reports.flow_report import aggregate, flow_document

        assert period is not None  # only built for a period
        data = aggregate(flows.flow_rows(visit.db, visit.me, *period), threshold)
        return flow_document(data, *period, visit.locale)

    if period is not None and format in FILES:
        from accord.reports.flow_report import aggregate, flow_document

        data = aggregate(flows.flow_rows(visit.db, visit.me, *period), threshold)
        return _file(data, lambda: flow_document(data, *period, visit.locale),
                     f"flows-{period[0]}-{period[1]}", format)
    key = None if period is None else ("flows", period, threshold, visit.locale)
    return _show_later(visit, "report_flows.html", key, build, threshold=threshold,
                       **import_form(visit),
                       flows=flows.flow_list(visit.db, visit.me, threshold, limit=200),
                       chosen={"first_year": first_year, "last_year": last_year})


@router.get("/reports/transparency")
def transparency_page(visit: Member, first: str = "", last: str = "", format: str = "html"
                      ) -> Response:
    """The transparency report for a period as a page, or its JSON or PDF."""
    start, end = forms.date(first), forms.date(last)
    chosen = {"first": first, "last": last}
    if start is None or end is None:
        return _blank(visit, "report_transparency.html", chosen=chosen)
    if end < start:
        raise Invalid(N_("the period ends before it starts"), hint=N_("swap the two dates"))
    if format in FILES:
        data = transparency_report(visit.db, start, end, visit.me)
        return _file(data, lambda: transparency_document(data, visit.locale),
                     f"transparency-{start}-{end}", format)
    # The report differs per reader (an auditor's is node-wide) and per language: the
    # cache key says whose and in which.
    key = ("transparency", start, end, Audience(visit.me).key, visit.locale)
    return _show_later(visit, "report_transparency.html", key,
                       lambda: transparency_document(transparency_report(
                           visit.db, start, end, visit.me), visit.locale), chosen=chosen)


def _file(data: dict[str, Any], document: Callable[[], Document], stem: str, format: str
          ) -> Response:
    """A report as a file to download: its data (JSON) or its document (PDF)."""
    if format == "json":
        return JSONResponse(jsonable_encoder(data), headers={
            "Content-Disposition": f'attachment; filename="{stem}.json"'})
    from accord.reports.pdf import render_pdf

    return Response(render_pdf(document()), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'})
