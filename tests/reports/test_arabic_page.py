"""The Arabic incident report in a real browser: right to left, and it draws."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from accord.incidents import analytics as an
from accord.incidents import codebook, synthetic
from accord.reports.html import render_html
from accord.reports.incident_report import analysis_document
from tests.web.browser import chromium, needs_chromium

__all__ = ["chromium"]  # the fixture, used by name


@needs_chromium
def test_the_arabic_report_page_reads_right_to_left(chromium: Any, tmp_path: Path) -> None:
    rows = list(synthetic.generate(synthetic.Plan()))
    df = an.frame([tuple(r.get(c, 1) for c in an.COLUMNS) for r in rows])
    analysis = an.analyse(df, an.Period(2015, 2019), scope="Freedonia", level="provstate",
                          soft_codes=codebook.DEFAULT_SOFT_TARGETS)
    path = tmp_path / "ar.html"
    path.write_text(render_html(analysis_document(analysis, "ar")), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.dir") == "rtl"
        body = page.locator("body").bounding_box()
        heading = page.locator("h2").first
        assert heading.inner_text() == "الملخص"
        box = page.evaluate("""() => {  // the heading's text, not its block
            const range = document.createRange();
            range.selectNodeContents(document.querySelector("h2"));
            const r = range.getBoundingClientRect();
            return {x: r.x, width: r.width};
        }""")
        # A right-to-left heading's text starts at the right edge of the text column.
        assert abs((box["x"] + box["width"]) - (body["x"] + body["width"])) < 2
        assert box["x"] > body["x"] + body["width"] / 2
        shot = tmp_path / "ar.png"
        page.screenshot(path=str(shot), full_page=False)
    finally:
        page.close()
    with Image.open(shot) as image:
        assert image.size == (1100, 900)
        colours = image.convert("L").getcolors(maxcolors=256 * 256) or []
        assert len(colours) > 20  # text and a chart, not a blank page
