"""Report rendering: every chart as PNG and SVG, long tables paginate, text is escaped."""

from __future__ import annotations

import re
from pathlib import Path

from accord.incidents import analytics as an
from accord.incidents import codebook, synthetic
from accord.reports import charts
from accord.reports.bundle import write_bundle
from accord.reports.document import Document, Section, Table
from accord.reports.html import render_html
from accord.reports.incident_report import analysis_document, analysis_json
from accord.reports.pdf import render_pdf


def _analysis() -> an.Analysis:
    rows = list(synthetic.generate(synthetic.Plan()))
    df = an.frame([tuple(r.get(c, 1) for c in an.COLUMNS) for r in rows])
    return an.analyse(df, an.Period(2015, 2019), scope="Freedonia", level="provstate",
                      soft_codes=codebook.DEFAULT_SOFT_TARGETS)


def test_a_bundle_holds_html_pdf_json_and_each_chart_as_png_and_svg(tmp_path: Path) -> None:
    analysis = _analysis()
    doc = analysis_document(analysis)
    write_bundle(doc, analysis_json(analysis), tmp_path, "r")
    for name in doc.charts:
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert "<svg" in (tmp_path / f"{name}.svg").read_text()
    html = (tmp_path / "r.html").read_text()
    assert html.count("<svg") == len(doc.charts) and "Northern Marches" in html


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_long_tables_run_onto_more_pages() -> None:
    short = Document("t", "s", [Section("one", tables=[Table(("a",), [("x",)])])])
    long = Document("t", "s", [Section("many", tables=[Table(("a",), [("x",)] * 400)])])
    assert _pages(render_pdf(short)) == 1
    assert _pages(render_pdf(long)) >= 400 // 60


def test_text_from_partners_is_escaped_in_html() -> None:
    doc = Document("<b>t</b>", "s", [Section("x", ["<script>alert(1)</script>"])])
    page = render_html(doc)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_monthly_chart_marks_each_change_point() -> None:
    analysis = _analysis()
    fig = charts.monthly_series(analysis.escalation, analysis.period)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(label.startswith("change 2012-01") for label in labels)
