"""Regenerate the sample incident and flow reports in this folder from generated data.

Usage (from the repository root): pip install -e '.[docs]' && python docs/incidents-sample/make.py

Everything here is generated (``accord.incidents.synthetic``): no GTD row is
shipped. The PDF pages are rendered to PNG with pypdfium2 for the docs. The incident
report is also written in Chinese and Arabic (``incident-report-zh_Hans.*``,
``incident-report-ar.*``): its PDF's first page as PNG, and its HTML page as Chromium
shows it (``*-html.png``, Playwright).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

FLOWS = ("origin_country,destination,direction,transit_country,period_start,period_end,count,"
         "confidence,source\n") + """FR,SY,outbound,,2013-01-01,2013-12-31,38,medium,generated
FR,SY,outbound,,2014-01-01,2014-12-31,95,medium,generated
FR,SY,outbound,,2015-01-01,2015-12-31,61,medium,generated
FR,SY,return,,2016-01-01,2016-12-31,24,low,generated
FR,SY,return,,2017-01-01,2017-12-31,17,low,generated
BE,SY,outbound,TR,2014-01-01,2014-12-31,42,medium,generated
BE,SY,return,,2017-01-01,2017-12-31,9,low,generated
KE,SO,outbound,,2014-01-01,2014-12-31,3,low,generated
KE,SO,return,,2016-01-01,2016-12-31,2,low,generated
"""


LANGUAGES = ("zh_Hans", "ar")


def _in_language(analysis: object, locale: str) -> None:
    """incident-report-LOCALE.html and .pdf, the PDF's first page and the page as PNG."""
    import pypdfium2
    from playwright.sync_api import sync_playwright

    from accord.reports.html import render_html
    from accord.reports.incident_report import analysis_document
    from accord.reports.pdf import render_pdf
    from tests.web.server import CHROMIUM, CHROMIUM_ARGS

    doc = analysis_document(analysis, locale)  # type: ignore[arg-type]
    stem = HERE / f"incident-report-{locale}"
    stem.with_suffix(".html").write_text(render_html(doc), encoding="utf-8")
    stem.with_suffix(".pdf").write_bytes(render_pdf(doc))
    pdf = pypdfium2.PdfDocument(stem.with_suffix(".pdf"))
    pdf[0].render(scale=1.2).to_pil().save(HERE / f"{stem.name}-page-1.png")
    pdf.close()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(stem.with_suffix(".html").as_uri())
        page.screenshot(path=str(HERE / f"{stem.name}-html.png"))
        browser.close()


def main() -> None:
    import pypdfium2

    from accord.incidents import analytics as an
    from accord.incidents import flows, service, synthetic
    from accord.incidents.report import incident_analysis
    from accord.incidents.tables import open_table, text_table
    from accord.reports.bundle import write_bundle
    from accord.reports.flow_report import aggregate, flow_document
    from accord.reports.incident_report import analysis_document, analysis_json
    from accord.sharing import service as sharing
    from accord.sharing.roles import Actor
    from accord.store.database import Database
    from accord.store.schema import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'sample.sqlite3'}")
        upgrade(db)
        op = Actor.operator()
        sharing.partner_add(db, op, "Sample Partner", "research", "FR")
        csv = Path(tmp) / "gtd.csv"
        synthetic.write_csv(synthetic.generate(synthetic.Plan()), csv)
        service.incident_import(db, op, open_table(csv),
                                service.Sharing("Sample Partner", "GREEN"))
        flows.flow_import(db, op, text_table(FLOWS), service.Sharing("Sample Partner", "GREEN"))
        kinds = ("independent-media", "official-statement", "state-media", "partner-report")
        for incident in range(1, 2400, 7):  # some incidents sourced, some twice, some dated
            for k in range(1 + incident % 3):
                service.source_add(db, op, incident, kinds[(incident + k) % 4],
                                   dt.date(2020, 1, 1) if k or incident % 2 else None)
        analysis = incident_analysis(db, op, service.Scope(country=synthetic.COUNTRY),
                                     an.Period(2015, 2019), (1, 8, 14, 15, 18, 19))
        write_bundle(analysis_document(analysis), analysis_json(analysis), HERE,
                     "incident-report")
        for locale in LANGUAGES:
            _in_language(analysis, locale)
        data = aggregate(flows.flow_rows(db, op, 2013, 2019), 5)
        write_bundle(flow_document(data, 2013, 2019), data, HERE, "flow-report")
        db.dispose()
    for stem in ("incident-report", "flow-report"):
        pdf = pypdfium2.PdfDocument(HERE / f"{stem}.pdf")
        for number, page in enumerate(pdf, start=1):
            page.render(scale=1.2).to_pil().save(HERE / f"{stem}-page-{number}.png")
        pdf.close()


if __name__ == "__main__":
    main()
