"""Charts (matplotlib, no display needed) and their PNG and SVG files.

Figures are built with ``matplotlib.figure.Figure`` directly, not pyplot, so
building them holds no global state and works in server threads. Titles, axes and
legends are in the reader's language, set in the fonts of :mod:`accord.reports.fonts`.
A chart that fails to build or to draw never takes its report down: :func:`drawn` and
:func:`svg_texts` leave it out and its section says it could not be drawn.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from accord.incidents import analytics as an
from accord.reports import fonts
from accord.reports.document import Document, Section, chart_failed, tr, vocab

SIZE = (8.0, 3.6)
SMALL = (4.8, 2.6)
"""A dashboard chart: 346 pt wide, so a phone (390 px) shows it at about its own size."""
log = logging.getLogger(__name__)


def figure(size: tuple[float, float] = SIZE) -> Figure:
    """An empty chart of the reports' size (or ``size``), in the reports' fonts."""
    fonts.use()
    return Figure(figsize=size, layout="constrained")


def whole_years(ax: Axes) -> Axes:
    """Years on the x axis as whole numbers (2015, 2016), never 2015.5."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def whole_counts(ax: Axes) -> Axes:
    """Counts on the y axis as whole numbers (10, 11), never 10.25."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def _say_failed(sections: Iterable[Section], name: str, locale: str) -> None:
    for section in sections:
        if name in section.charts and chart_failed(locale) not in section.paragraphs:
            section.paragraphs.append(chart_failed(locale))


def drawn(sections: list[Section], locale: str, builders: dict[str, Callable[[], Figure]]
          ) -> dict[str, Figure]:
    """The charts that could be built; a section whose chart failed says so."""
    figures = {}
    for name, build in builders.items():
        try:
            figures[name] = fonts.apply(build(), locale)
        except Exception:  # any failure of matplotlib or of the data: the report goes on
            log.exception("chart %s could not be built", name)
            _say_failed(sections, name, locale)
    return figures


def svg_texts(doc: Document) -> dict[str, str]:
    """Each chart of ``doc`` as SVG markup; one that fails to draw is left out and its
    section says so."""
    shown = {}
    for name, fig in doc.charts.items():
        try:
            shown[name] = svg_text(fig)
        except Exception:  # as in drawn(): the page shows the rest
            log.exception("chart %s could not be drawn", name)
            _say_failed(doc.sections, name, doc.locale)
    return shown


def drawable(doc: Document) -> dict[str, Figure]:
    """The charts of ``doc`` that lay out (text, mathtext-free labels, layout) without
    error; a section whose chart does not says so. For renderers that cannot take a
    page back once a drawing fails half-way (PDF)."""
    good = {}
    for name, fig in doc.charts.items():
        try:
            fig.draw_without_rendering()
        except Exception:  # as in drawn(): the report goes on without it
            log.exception("chart %s could not be drawn", name)
            _say_failed(doc.sections, name, doc.locale)
        else:
            good[name] = fig
    return good


def monthly_series(escalation: an.Escalation, period: an.Period, locale: str = "en"
                   ) -> Figure:
    """Incidents per month, the period shaded and change points marked."""
    fig = figure()
    ax = fig.add_subplot()
    ax.plot(range(len(escalation.counts)), escalation.counts, linewidth=0.9, color="#31688e")
    start = next((i for i, m in enumerate(escalation.months)
                  if m.startswith(f"{period.first_year}-")), None)
    if start is not None:
        ax.axvspan(start, len(escalation.counts) - 1, color="#fde725", alpha=0.2,
                   label=tr(locale, "period"))
    for point in escalation.change_points:
        key = f"{point.year}-{point.month:02d}"
        if key in escalation.months:
            ax.axvline(escalation.months.index(key), color="#b5367a", linestyle="--",
                       label=tr(locale, "change {month} (x{ratio})", month=key,
                                ratio=f"{point.test.ratio:.2f}"))
    ticks = [i for i, m in enumerate(escalation.months) if m.endswith("-01")]
    step = max(1, len(ticks) // 10)
    ax.set_xticks(ticks[::step], [escalation.months[i][:4] for i in ticks[::step]])
    ax.set_ylabel(tr(locale, "incidents per month"))
    ax.set_title(tr(locale, "Escalation: incidents per month and change points"))
    ax.legend(loc="upper left", fontsize=8)
    return fig


def soft_target_share(shift: an.TargetShift, period: an.Period, locale: str = "en"
                      ) -> Figure:
    """The soft-target share per year, the period shaded."""
    fig = figure()
    ax = fig.add_subplot()
    pairs = [(y, s) for y, s in zip(shift.years, shift.shares, strict=True) if s is not None]
    ax.plot([y for y, _ in pairs], [s for _, s in pairs], marker="o", color="#35b779")
    ax.axvspan(period.first_year - 0.5, period.last_year + 0.5, color="#fde725", alpha=0.2)
    ax.set_ylim(0, 1)
    whole_years(ax)
    ax.set_ylabel(tr(locale, "share of incidents"))
    ax.set_title(tr(locale, "Target shift: soft-target share per year"))
    return fig


def spillover(spill: an.Spillover, period: an.Period, locale: str = "en") -> Figure:
    """How many places had their first incident in each year, the period shaded."""
    fig = figure()
    ax = fig.add_subplot()
    years = sorted(spill.first_seen)
    ax.bar(years, [spill.first_seen[y] for y in years], color="#31688e")
    ax.axvspan(period.first_year - 0.5, period.last_year + 0.5, color="#fde725", alpha=0.2)
    whole_counts(whole_years(ax))
    ax.set_ylabel(tr(locale, "places"))
    ax.set_title(tr(locale, "Spill-over: places with their first incident, per year"))
    return fig


def lethality(rows: list[an.Lethality], locale: str = "en") -> Figure:
    """Victims killed per incident, by attack type."""
    fig = figure()
    ax = fig.add_subplot()
    shown = list(reversed(rows))
    ax.barh([fonts.drawable(vocab(locale, r.attack_type)) for r in shown],
            [r.killed_per_incident for r in shown], color="#440154")
    ax.set_xlabel(tr(locale, "victims killed per incident"))
    ax.set_title(tr(locale, "Lethality by attack type"))
    ax.tick_params(axis="y", labelsize=8)
    return fig


def breakdown(title: str, counts: list[tuple[str, int]], colour: str = "#31688e") -> Figure:
    """A count per category as horizontal bars, the first on top, in the small size a
    phone shows whole (the transparency report's breakdowns)."""
    fig = figure((SMALL[0], 0.9 + 0.32 * len(counts)))
    ax = fig.add_subplot()
    shown = counts[::-1]
    ax.barh([fonts.drawable(name) for name, _ in shown], [n for _, n in shown], color=colour)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)
    return fig


def write(fig: Figure, folder: Path, name: str) -> list[Path]:
    """Save ``fig`` as NAME.png and NAME.svg in ``folder``; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = folder / f"{name}.{ext}"
        fig.savefig(path, format=ext, dpi=120 if ext == "png" else None)
        paths.append(path)
    return paths


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>")


def _attributes(declarations: str) -> str:
    """CSS declarations (``fill: #fff; stroke-width: 0.8``) as SVG presentation attributes."""
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return "".join(f' {name.strip()}="{html.escape(value.strip(), quote=True)}"'
                   for name, value in pairs)


def svg_text(fig: Figure) -> str:
    """``fig`` as SVG markup, for inlining in HTML.

    matplotlib styles its SVG with ``style`` attributes and a ``<style>`` element, which
    the pages' Content-Security-Policy (``style-src 'self'``) blocks: every shape then
    fills black. They are written as presentation attributes instead (the same look;
    the ``*`` rule's properties, which inherit, go on the root element).
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    text = text[text.find("<svg"):]
    rule = _STYLE_ELEMENT.search(text)
    if rule is not None:
        text = _STYLE_ELEMENT.sub("", text, count=1)
        text = text.replace("<svg", "<svg" + _attributes(rule.group(1)), 1)
    return _STYLE_ATTRIBUTE.sub(lambda found: _attributes(found.group(1)), text)
