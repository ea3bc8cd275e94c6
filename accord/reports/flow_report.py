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
from accord.reports.document import Document, Section, Table

SUPPRESSED = "suppressed"


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


def routes_chart(data: dict[str, Any]) -> Figure:
    """Origin -> destination totals (suppressed routes are left out, and say so)."""
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    shown = [r for r in data["routes"] if not r["suppressed"]]
    labels = [f"{r['origin']} -> {r['destination']} ({r['direction']})" for r in shown]
    ax.barh(labels[::-1], [r["count"] for r in shown][::-1], color="#21918c")
    hidden = len(data["routes"]) - len(shown)
    ax.set_title("Flows by route" + (f" ({hidden} suppressed routes not shown)"
                                     if hidden else ""))
    ax.tick_params(axis="y", labelsize=8)
    return fig


def trends_chart(data: dict[str, Any]) -> Figure:
    """Departures and returns per country and year (suppressed years not drawn)."""
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for t in data["trends"]:
        if not t["suppressed"]:
            series[(t["country"], t["direction"])].append((t["year"], t["count"]))
    for (country, direction), points in sorted(series.items()):
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                linestyle="-" if direction == "outbound" else "--",
                label=f"{country} {'departures' if direction == 'outbound' else 'returns'}")
    ax.set_title("Departures and returns per year")
    if series:
        ax.legend(fontsize=8)
    return fig


def flow_document(data: dict[str, Any], first_year: int, last_year: int) -> Document:
    """The flow report as a ``Document``."""
    note = (f"Aggregate counts only. Flows under {data['suppression_threshold']} are "
            "suppressed, and so is every total that includes one, so that no suppressed "
            "count can be worked out by subtraction.")
    routes = Table(("origin", "destination", "direction", "count"), [
        (r["origin"], r["destination"], r["direction"],
         SUPPRESSED if r["suppressed"] else f"{r['count']:,}")
        for r in data["routes"]])
    trends = Table(("country", "direction", "year", "count"), [
        (t["country"], t["direction"], str(t["year"]),
         SUPPRESSED if t["suppressed"] else f"{t['count']:,}")
        for t in data["trends"]])
    return Document(
        f"Foreign-fighter flows, {first_year}-{last_year}", note,
        [Section("Routes", [], [routes], ["flow_routes"]),
         Section("Departures and returns", [], [trends], ["flow_trends"])],
        {"flow_routes": routes_chart(data), "flow_trends": trends_chart(data)})
