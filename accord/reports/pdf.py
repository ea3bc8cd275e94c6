"""A report ``Document`` as PDF, with matplotlib's own PDF backend (no system libraries).

Text and tables are laid out line by line on A4 pages; each chart is drawn
as vector graphics, two to a page.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from accord.reports.document import Document, Table

A4 = (8.27, 11.69)
TOP, BOTTOM, LEFT = 0.95, 0.05, 0.07
LINE = 0.018
WRAP = 95


def _table_lines(table: Table) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in table.rows)) if table.rows else len(h)
              for i, h in enumerate(table.headers)]
    widths = [min(w, 40) for w in widths]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True))

    return [line(table.headers), "  ".join("-" * w for w in widths),
            *(line(r) for r in table.rows)]


class _Pages:
    """Writes lines of text onto A4 pages, starting a new page when one is full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.fig: Figure | None = None
        self.y = TOP

    def _page(self) -> Figure:
        if self.fig is None or self.y < BOTTOM:
            self.close()
            self.fig, self.y = Figure(figsize=A4), TOP
        return self.fig

    def text(self, text: str, *, size: float = 9, mono: bool = False,
             bold: bool = False) -> None:
        lines = [text] if mono else (textwrap.wrap(text, WRAP) or [""])
        for line in lines:
            fig = self._page()
            fig.text(LEFT, self.y, line, fontsize=size, va="top",
                     family="monospace" if mono else "sans-serif",
                     weight="bold" if bold else "normal")
            self.y -= LINE * size / 9

    def skip(self, lines: float = 0.6) -> None:
        self.y -= LINE * lines

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)  # type: ignore[no-untyped-call]  # untyped in mpl
            self.fig = None


def render_pdf(doc: Document) -> bytes:
    """The PDF file's bytes."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": doc.title, "Creator": "Accord"}) as pdf:
        pages = _Pages(pdf)
        pages.text(doc.title, size=16, bold=True)
        pages.text(doc.subtitle, size=10)
        pages.skip()
        for section in doc.sections:
            pages.text(section.title, size=12, bold=True)
            for paragraph in section.paragraphs:
                pages.text(paragraph)
            for table in section.tables:
                pages.skip(0.3)
                for line in _table_lines(table):
                    pages.text(line, size=7, mono=True)
            pages.skip()
        pages.close()
        for name, fig in doc.charts.items():
            if any(name in s.charts for s in doc.sections):
                pdf.savefig(fig)
    return buffer.getvalue()
