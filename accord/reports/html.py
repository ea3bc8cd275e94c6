"""A report ``Document`` as one self-contained HTML page (charts inlined as SVG)."""

from __future__ import annotations

from html import escape

from accord import i18n
from accord.reports.charts import svg_texts
from accord.reports.document import Document, Table

_STYLE = """
body { font-family: system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans SC", sans-serif;
       max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { margin-bottom: 0; } .subtitle { color: #555; margin-top: .2rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: start; }
th { background: #f2f2f2; } figure { margin: .5rem 0 1rem; } svg { max-width: 100%; height: auto; }
"""


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(doc: Document) -> str:
    """The whole page, in the document's language and direction (``dir="rtl"`` for
    Arabic)."""
    charts = svg_texts(doc)  # first: a chart that fails adds its sentence to its section
    lang, direction = i18n.html_lang(doc.locale), i18n.direction(doc.locale)
    parts = [f'<!doctype html><html lang="{lang}" dir="{direction}"><head>'
             f"<meta charset='utf-8'><title>{escape(doc.title)}</title>"
             f"<style>{_STYLE}</style></head><body>",
             f"<h1>{escape(doc.title)}</h1><p class='subtitle'>{escape(doc.subtitle)}</p>"]
    for section in doc.sections:
        parts.append(f"<section><h2>{escape(section.title)}</h2>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
        parts.extend(_table(t) for t in section.tables)
        parts.extend(f"<figure>{charts[name]}</figure>"
                     for name in section.charts if name in charts)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
