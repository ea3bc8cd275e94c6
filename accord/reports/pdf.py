"""A report ``Document`` as an A4 PDF: text pages first, then each chart on its own
page as vector graphics.

Text is set in the fonts of :mod:`accord.reports.fonts` (embedded as subsets), so Han,
Arabic and Cyrillic print as they read; Arabic is shaped and laid out right to left by
matplotlib, and an Arabic document's lines and table columns start at the right margin.
Lines wrap at spaces, and anywhere between Han characters (which have none); a wide
(East Asian) character counts two columns.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from accord import i18n
from accord.reports import fonts
from accord.reports.charts import drawable
from accord.reports.document import Document, Table

A4 = (8.27, 11.69)
TOP, BOTTOM, LEFT = 0.95, 0.05, 0.07
LINE = 0.018
WRAP = 100  # columns of a 9 pt line
COLUMN = 0.0064  # the page width one narrow character of a 7 pt table cell takes
CELL = 40  # the widest a table column gets, in columns


def width(text: str) -> int:
    """How many columns ``text`` takes: two for a wide (East Asian) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Words with their trailing space, and each wide character on its own."""
    tokens: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if wide or not tokens or tokens[-1].endswith(" ") or width(tokens[-1][-1]) == 2:
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def wrap(text: str, columns: int = WRAP) -> list[str]:
    """``text`` in lines of at most ``columns`` columns (a longer word stands alone)."""
    lines, line = [], ""
    for token in _tokens(text):
        if line and width(line + token.rstrip()) > columns:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return lines


_ARABIC = re.compile("([\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff"
                     "\ufe70-\ufeff]+)")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _runs(line: str) -> list[tuple[str, bool]]:
    """A right-to-left line's pieces in reading order, each with whether a space follows
    it: each stretch of Arabic letters; each stretch of other characters inside an Arabic
    word (punctuation, mirrored as right-to-left text shows it); and each run of whole
    words that hold no Arabic (Latin, figures), which reads left to right."""
    runs: list[tuple[str, bool]] = []
    ltr = False
    for word in line.split():
        if not _ARABIC.search(word):
            if ltr:
                runs[-1] = (runs[-1][0] + " " + word, True)
            else:
                runs.append((word, True))
            ltr = True
            continue
        pieces = [p for p in _ARABIC.split(word) if p]
        runs.extend((p if _ARABIC.match(p) else p.translate(_MIRROR), False) for p in pieces)
        runs[-1] = (runs[-1][0], True)
        ltr = False
    return runs


@cache
def _measure(text: str, size: float, families: tuple[str, ...]) -> float:
    width, _, _ = _renderer().get_text_width_height_descent(  # type: ignore[no-untyped-call]
        text, FontProperties(family=list(families), size=size), ismath=False)
    return float(width)  # untyped in mpl


@cache
def _renderer() -> RendererAgg:
    return RendererAgg(1, 1, 72)  # type: ignore[no-untyped-call]  # 72 dpi: 1 px = 1 pt


def _clip(text: str, columns: int) -> str:
    while width(text) > columns:
        text = text[:-1]
    return text


class _Pages:
    """Writes lines of text onto A4 pages, starting a new page when one is full."""

    def __init__(self, pdf: PdfPages, locale: str) -> None:
        self.pdf = pdf
        self.rtl = i18n.direction(locale) == "rtl"
        self.families = fonts.families(locale)
        self.fig: Figure | None = None
        self.y = TOP

    def _page(self) -> Figure:
        if self.fig is None or self.y < BOTTOM:
            self.close()
            self.fig, self.y = Figure(figsize=A4), TOP
        return self.fig

    def _put(self, fig: Figure, x: float, text: str, size: float, bold: bool) -> None:
        color = "#000" if bold else "#222"
        text = fonts.drawable(text)
        if not self.rtl:
            fig.text(x, self.y, text, fontsize=size, va="top", color=color,
                     family=self.families)
            return
        # matplotlib's PDF writer misplaces spaces and punctuation inside a right-to-left
        # run (a word joins the next): each stretch of Arabic letters is set on its own,
        # right to left, and each run of Latin words and figures as one.
        right = 1 - x
        for run, spaced in _runs(text):
            fig.text(right, self.y, run, fontsize=size, va="top", ha="right", color=color,
                     family=self.families)
            advance = self._width(run, size) + (self._width(" ", size) if spaced else 0)
            right -= advance / (A4[0] * 72)

    def _width(self, text: str, size: float) -> float:
        """The width of ``text`` at ``size`` points, in points."""
        return _measure(text, size, tuple(self.families))

    def text(self, text: str, *, size: float = 9, bold: bool = False) -> None:
        for line in wrap(text, int(WRAP * 9 / size)):
            self._put(self._page(), LEFT, line, size, bold)
            self.y -= LINE * size / 9

    def row(self, cells: Sequence[str], widths: Sequence[int], *, bold: bool = False) -> None:
        """One table row: each cell at its column, clipped to the column's width."""
        fig, x = self._page(), LEFT
        for cell, columns in zip(cells, widths, strict=True):
            self._put(fig, x, _clip(cell, columns), 7, bold)
            x += (columns + 2) * COLUMN
        self.y -= LINE * 7 / 9

    def skip(self, lines: float = 0.6) -> None:
        self.y -= LINE * lines

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)  # type: ignore[no-untyped-call]  # untyped in mpl
            self.fig = None


def _table(pages: _Pages, table: Table) -> None:
    widths = [min(CELL, max([width(h), *(width(r[i]) for r in table.rows)]))
              for i, h in enumerate(table.headers)]
    pages.row(table.headers, widths, bold=True)
    for row in table.rows:
        pages.row(row, widths)


def render_pdf(doc: Document) -> bytes:
    """The PDF file's bytes."""
    fonts.use()
    charts = drawable(doc)  # first: a chart that fails adds its sentence to its section
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": doc.title, "Creator": "Accord"}) as pdf:
        pages = _Pages(pdf, doc.locale)
        pages.text(doc.title, size=16, bold=True)
        pages.text(doc.subtitle, size=10)
        pages.skip()
        for section in doc.sections:
            pages.text(section.title, size=12, bold=True)
            for paragraph in section.paragraphs:
                pages.text(paragraph)
            for table in section.tables:
                pages.skip(0.3)
                _table(pages, table)
            pages.skip()
        pages.close()
        for name, fig in charts.items():
            if any(name in s.charts for s in doc.sections):
                pdf.savefig(fig)
    return buffer.getvalue()
