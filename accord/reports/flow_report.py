"""The foreign-fighter flow report: origin -> destination totals and per-country
trends of departures and returns.

The suppression rule: a flow under the threshold (5 at least) is suppressed in
the flow list (``flows.shown_count``), and a total (a route, or a country's
departures or returns in a year) is shown only when no flow it adds up is
suppressed. Every number shown is then a sum of numbers shown elsewhere, so no
suppressed count can be worked out by subtraction, whether from other totals
of the report (a route minus the other routes of its country-year trend) or
from the flow list (a route minus its shown flows). Suppressed totals carry no
count and are written "suppressed", whatever their size.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matplotlib.figure import Figure

from accord.incidents.flows import MIN_SUPPRESSION, FlowRow, shown_count
from accord.reports import charts, fonts
from accord.reports.document import Document, Section, Table, tr, vocab

SUPPRESSED = "suppressed"
"""What a suppressed count reads as (in English; the reports catalogue has it)."""


class _Totals:
    """Sums by key, remembering which include a flow under the threshold."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.sums: dict[Any, int] = defaultdict(int)
        self.tainted: set[Any] = set()

    def add(self, key: Any, count: int) -> None:
        self.sums[key] += count
        if shown_count(count, self.threshold) is None:
            self.tainted.add(key)

    def shown(self, key: Any) -> int | None:
        """The total, or None when it holds a suppressed flow (or is itself too small)."""
        return None if key in self.tainted else shown_count(self.sums[key], self.threshold)


def aggregate(rows: list[FlowRow], threshold: int) -> dict[str, Any]:
    """Suppressed aggregates: routes (origin -> destination by direction) and per-country
    yearly departures (outbound, by origin) and returns (by origin); a total holding a
    flow under the threshold is suppressed (see the module's rule)."""
    routes, trends = _Totals(threshold), _Totals(threshold)
    for r in rows:
        routes.add((r.origin_country, r.destination, r.direction), r.count)
        if r.direction in ("outbound", "return"):
            trends.add((r.origin_country, r.direction, r.period_start.year), r.count)
    return {
        "suppression_threshold": max(threshold, MIN_SUPPRESSION),
        "routes": [{"origin": o, "destination": d, "direction": k,
                    "count": routes.shown((o, d, k)),
                    "suppressed": routes.shown((o, d, k)) is None}
                   for (o, d, k) in sorted(routes.sums)],
        "trends": [{"country": c, "direction": k, "year": y,
                    "count": trends.shown((c, k, y)),
                    "suppressed": trends.shown((c, k, y)) is None}
                   for (c, k, y) in sorted(trends.sums)],
    }


def _direction(locale: str, direction: str) -> str:
    return {"outbound": tr(locale, "outbound"), "return": tr(locale, "return"),
            "transit": tr(locale, "transit")}.get(direction, direction)


def _count(locale: str, shown: dict[str, Any]) -> str:
    return tr(locale, "suppressed") if shown["suppressed"] else f"{shown['count']:,}"


def routes_chart(data: dict[str, Any], locale: str = "en") -> Figure:
    """Origin -> destination totals (suppressed routes are left out, and say so)."""
    fig = charts.figure()
    ax = fig.add_subplot()
    shown = [r for r in data["routes"] if not r["suppressed"]]
    labels = [f"{vocab(locale, r['origin'])} -> {vocab(locale, r['destination'])} "
              f"({_direction(locale, r['direction'])})" for r in shown]
    ax.barh([fonts.drawable(label) for label in labels[::-1]],
            [r["count"] for r in shown][::-1], color="#21918c")
    hidden = len(data["routes"]) - len(shown)
    ax.set_title(tr(locale, "Flows by route ({count} suppressed routes not shown)",
                    count=hidden) if hidden else tr(locale, "Flows by route"))
    ax.tick_params(axis="y", labelsize=8)
    return fig


def trends_chart(data: dict[str, Any], locale: str = "en") -> Figure:
    """Departures and returns per country and year (suppressed years not drawn)."""
    fig = charts.figure()
    ax = fig.add_subplot()
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for t in data["trends"]:
        if not t["suppressed"]:
            series[(t["country"], t["direction"])].append((t["year"], t["count"]))
    for (country, direction), points in sorted(series.items()):
        label = (tr(locale, "{country} departures", country=vocab(locale, country))
                 if direction == "outbound"
                 else tr(locale, "{country} returns", country=vocab(locale, country)))
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                linestyle="-" if direction == "outbound" else "--", label=label)
    charts.whole_counts(charts.whole_years(ax))
    ax.set_title(tr(locale, "Departures and returns per year"))
    if series:
        ax.legend(fontsize=8)
    return fig


def flow_document(data: dict[str, Any], first_year: int, last_year: int,
                  locale: str = "en") -> Document:
    """The flow report as a ``Document`` in ``locale``."""
    note = tr(locale, "Aggregate counts only. Flows under {threshold} are suppressed, and so "
              "is every total that includes one, so that no suppressed count can be worked "
              "out by subtraction.", threshold=data["suppression_threshold"])
    routes = Table((tr(locale, "origin"), tr(locale, "destination"), tr(locale, "direction"),
                    tr(locale, "count")), [
        (vocab(locale, r["origin"]), vocab(locale, r["destination"]),
         _direction(locale, r["direction"]), _count(locale, r)) for r in data["routes"]])
    trends = Table((tr(locale, "country"), tr(locale, "direction"), tr(locale, "year"),
                    tr(locale, "count")), [
        (vocab(locale, t["country"]), _direction(locale, t["direction"]), str(t["year"]),
         _count(locale, t)) for t in data["trends"]])
    sections = [Section(tr(locale, "Routes"), [], [routes], ["flow_routes"]),
                Section(tr(locale, "Departures and returns"), [], [trends], ["flow_trends"])]
    figures = charts.drawn(sections, locale, {
        "flow_routes": lambda: routes_chart(data, locale),
        "flow_trends": lambda: trends_chart(data, locale)})
    return Document(tr(locale, "Foreign-fighter flows, {first}-{last}", first=first_year,
                       last=last_year), note, sections, figures, locale)
