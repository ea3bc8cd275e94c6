"""Reports: the incident report for a place and period, flows, and the transparency report.

Each page renders the report ``Document`` the CLI and the API build (charts inlined
as SVG); pandas, statsmodels and matplotlib load on the first report, not at start.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from markupsafe import Markup

from accord.errors import Invalid
from accord.incidents import flows, service
from accord.reports.document import Document
from accord.reports.transparency import transparency_document, transparency_report
from accord.web import forms
from accord.web.i18n import N_
from accord.web.routing import Member, Visit, web_router

router = web_router()


def _charts(doc: Document) -> dict[str, Markup]:
    from accord.reports.charts import svg_text

    # matplotlib writes the SVG itself, escaping the text it draws.
    return {name: Markup(svg_text(fig)) for name, fig in doc.charts.items()}


def _show(visit: Visit, template: str, doc: Document | None, **context: Any) -> Response:
    charts = _charts(doc) if doc is not None else {}
    return visit.render(template, doc=doc, charts=charts, **context)


def _period(first: str, last: str) -> tuple[int, int] | None:
    a, b = forms.year(first), forms.year(last)
    if a is None and b is None:
        return None
    if a is None or b is None:
        raise Invalid(N_("give both years of the period"), hint=N_("e.g. from 2015 to 2019"))
    return a, b


@router.get("/reports")
def reports_page(visit: Member) -> Response:
    """The reports a member can run."""
    return visit.render("reports.html")


@router.get("/reports/incidents")
def incident_report_page(visit: Member, country: str = "", region: str = "",
                         province: str = "", first_year: str = "", last_year: str = ""
                         ) -> Response:
    """Escalation, spill-over, soft-target shift and lethality for a place and period."""
    chosen = {"country": country, "region": region, "province": province,
              "first_year": first_year, "last_year": last_year}
    period = _period(first_year, last_year)
    doc = None
    if period is not None:
        from accord.incidents import analytics as an
        from accord.incidents.report import incident_analysis
        from accord.reports.incident_report import analysis_document

        scope = service.Scope(country.strip() or None, region.strip() or None,
                              province.strip() or None)
        analysis = incident_analysis(visit.db, visit.me, scope, an.Period(*period),
                                     visit.web.api.settings.soft_target_types)
        doc = analysis_document(analysis)
    return _show(visit, "report_incidents.html", doc, chosen=chosen)


@router.get("/reports/flows")
def flow_report_page(visit: Member, first_year: str = "", last_year: str = "") -> Response:
    """Flows the partner may see, and routes and trends for a period; counts under the
    threshold are shown as suppressed, never as numbers."""
    threshold = visit.web.api.settings.flow_suppress_below
    period = _period(first_year, last_year)
    doc = None
    if period is not None:
        from accord.reports.flow_report import aggregate, flow_document

        data = aggregate(flows.flow_rows(visit.db, visit.me, *period), threshold)
        doc = flow_document(data, *period)
    return _show(visit, "report_flows.html", doc, threshold=threshold,
                 flows=flows.flow_list(visit.db, visit.me, threshold, limit=200),
                 chosen={"first_year": first_year, "last_year": last_year})


@router.get("/reports/transparency")
def transparency_page(visit: Member, first: str = "", last: str = "", format: str = "html"
                      ) -> Response:
    """The transparency report for a period as a page, or its JSON or PDF."""
    start, end = forms.date(first), forms.date(last)
    chosen = {"first": first, "last": last}
    if start is None or end is None:
        return _show(visit, "report_transparency.html", None, chosen=chosen)
    if end < start:
        raise Invalid(N_("the period ends before it starts"), hint=N_("swap the two dates"))
    data = transparency_report(visit.db, start, end)
    stem = f"transparency-{start}-{end}"
    if format == "json":
        return JSONResponse(jsonable_encoder(data), headers={
            "Content-Disposition": f'attachment; filename="{stem}.json"'})
    if format == "pdf":
        from accord.reports.pdf import render_pdf

        return Response(render_pdf(transparency_document(data)), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'})
    return _show(visit, "report_transparency.html", transparency_document(data), chosen=chosen)
