"""The foreign-fighter flow report: origin -> destination totals and per-country
trends of departures and returns. Every count shown passes ``flows.shown_count``,
so totals under the suppression threshold appear as "<5" (or the threshold set)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matplotlib.figure import Figure

from accord.incidents.flows import FlowRow, shown_count
from accord.reports.document import Document, Section, Table


def aggregate(rows: list[FlowRow], threshold: int) -> dict[str, Any]:
    """Suppressed aggregates: routes (origin -> destination by direction) and per-country
    yearly departures (outbound, by origin) and returns (by origin)."""
    routes: dict[tuple[str, str, str], int] = defaultdict(int)
    trends: dict[tuple[str, str, int], int] = defaultdict(int)
    for r in rows:
        routes[(r.origin_country, r.destination, r.direction)] += r.count
        if r.direction in ("outbound", "return"):
            trends[(r.origin_country, r.direction, r.period_start.year)] += r.count
    return {
        "suppression_threshold": max(threshold, 5),
        "routes": [{"origin": o, "destination": d, "direction": k,
                    "count": shown_count(n, threshold), "suppressed":
                    shown_count(n, threshold) is None}
                   for (o, d, k), n in sorted(routes.items())],
        "trends": [{"country": c, "direction": k, "year": y,
                    "count": shown_count(n, threshold),
                    "suppressed": shown_count(n, threshold) is None}
                   for (c, k, y), n in sorted(trends.items())],
    }


def routes_chart(data: dict[str, Any]) -> Figure:
    """Origin -> destination totals (suppressed routes are left out, and say so)."""
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    shown = [r for r in data["routes"] if not r["suppressed"]]
    labels = [f"{r['origin']} -> {r['destination']} ({r['direction']})" for r in shown]
    ax.barh(labels[::-1], [r["count"] for r in shown][::-1], color="#21918c")
    hidden = len(data["routes"]) - len(shown)
    ax.set_title("Flows by route" + (f" ({hidden} routes under "
                                     f"{data['suppression_threshold']} not shown)"
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
    note = (f"Aggregate counts only. Totals under {data['suppression_threshold']} are "
            "suppressed everywhere they would appear.")
    routes = Table(("origin", "destination", "direction", "count"), [
        (r["origin"], r["destination"], r["direction"],
         f"<{data['suppression_threshold']}" if r["suppressed"] else f"{r['count']:,}")
        for r in data["routes"]])
    trends = Table(("country", "direction", "year", "count"), [
        (t["country"], t["direction"], str(t["year"]),
         f"<{data['suppression_threshold']}" if t["suppressed"] else f"{t['count']:,}")
        for t in data["trends"]])
    return Document(
        f"Foreign-fighter flows, {first_year}-{last_year}", note,
        [Section("Routes", [], [routes], ["flow_routes"]),
         Section("Departures and returns", [], [trends], ["flow_trends"])],
        {"flow_routes": routes_chart(data), "flow_trends": trends_chart(data)})
