"""Writing a report to a folder: HTML, PDF, JSON and every chart as PNG and SVG."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from accord.reports import charts
from accord.reports.document import Document
from accord.reports.html import render_html
from accord.reports.pdf import render_pdf


def write_bundle(doc: Document, data: dict[str, Any], folder: Path, stem: str) -> list[Path]:
    """Write STEM.html, STEM.pdf, STEM.json and the charts into ``folder``; the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ext, content in (("html", render_html(doc)),
                         ("json", json.dumps(data, indent=2, default=str))):
        path = folder / f"{stem}.{ext}"
        path.write_text(content, encoding="utf-8")
        written.append(path)
    pdf = folder / f"{stem}.pdf"
    pdf.write_bytes(render_pdf(doc))
    written.append(pdf)
    for name, fig in doc.charts.items():
        try:
            written.extend(charts.write(fig, folder, name))
        except Exception:  # the report itself is written; its sections say what is missing
            logging.getLogger(__name__).exception("chart %s could not be written", name)
    return written
