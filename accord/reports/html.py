"""A report ``Document`` as one self-contained HTML page (charts inlined as SVG)."""

from __future__ import annotations

from html import escape

from accord.reports.charts import svg_text
from accord.reports.document import Document, Table

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { margin-bottom: 0; } .subtitle { color: #555; margin-top: .2rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
th { background: #f2f2f2; } figure { margin: .5rem 0 1rem; } svg { max-width: 100%; height: auto; }
"""


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(doc: Document) -> str:
    """The whole page."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(doc.title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(doc.title)}</h1><p class='subtitle'>{escape(doc.subtitle)}</p>"]
    for section in doc.sections:
        parts.append(f"<section><h2>{escape(section.title)}</h2>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
        parts.extend(_table(t) for t in section.tables)
        parts.extend(f"<figure>{svg_text(doc.charts[name])}</figure>"
                     for name in section.charts if name in doc.charts)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
