"""The review trends (:mod:`accord.reports.trends`) as small charts, for the dashboard.

Each chart is built and drawn to SVG on its own; one that fails is left out and
logged, and the page shows the figures' table in its place (:func:`trend_svgs`).
Titles and legends are in the reader's language (the ``reports`` catalogue).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from accord.reports import charts, fonts
from accord.reports.document import tr
from accord.reports.trends import Trends

log = logging.getLogger(__name__)
TICK_EVERY = 7  # a tick a week: five dates fit the width of a phone


@dataclass(frozen=True, slots=True)
class TrendChart:
    """One chart: its title (for the figure's accessible name) and its SVG (None: it
    could not be drawn)."""

    name: str
    title: str
    svg: str | None


def _bars(t: Trends, title: str, series: list[tuple[str, list[int], str]]) -> Figure:
    """Stacked bars per day, a tick a week labelled MM-DD, whole numbers up the side."""
    fig = charts.figure(charts.SMALL)
    ax = fig.add_subplot()
    positions = list(range(len(t.days)))
    base = [0] * len(t.days)
    for label, counts, colour in series:
        ax.bar(positions, counts, bottom=base, color=colour, label=label, width=0.8)
        base = [a + b for a, b in zip(base, counts, strict=True)]
    ticks = positions[::-1][::TICK_EVERY][::-1]
    ax.set_xticks(ticks, [t.days[i].strftime("%m-%d") for i in ticks])
    charts.whole_counts(ax)
    ax.set_ylim(bottom=0, top=max(1, *base) * 1.1)
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)
    if len(series) > 1:
        ax.legend(fontsize=8, loc="best")
    return fig


def _builders(t: Trends, locale: str) -> dict[str, tuple[str, Callable[[str], Figure]]]:
    return {
        "trend_matches": (tr(locale, "Matches per day"), lambda title: _bars(
            t, title, [(tr(locale, "matches"), t.matches, "#31688e")])),
        "trend_verdicts": (tr(locale, "Verdicts per day"), lambda title: _bars(
            t, title, [(tr(locale, "confirmed"), t.confirmed, "#35b779"),
                       (tr(locale, "rejected"), t.rejected, "#b5367a")])),
        "trend_disputes": (tr(locale, "Disputes per day"), lambda title: _bars(
            t, title, [(tr(locale, "disputes"), t.disputes, "#e56b1f")])),
    }


def trend_svgs(t: Trends, locale: str = "en") -> list[TrendChart]:
    """The trend charts in ``locale``, in order; a chart that fails to build or draw has
    no SVG (the failure is logged; the page stands)."""
    shown = []
    for name, (title, build) in _builders(t, locale).items():
        try:
            svg: str | None = charts.svg_text(fonts.apply(build(title), locale))
        except Exception:  # matplotlib or the data: the dashboard shows the table instead
            log.exception("trend chart %s could not be drawn", name)
            svg = None
        shown.append(TrendChart(name, title, svg))
    return shown
