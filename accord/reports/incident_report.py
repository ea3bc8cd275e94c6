"""The incident analytics report: JSON data and a ``Document`` for HTML and PDF."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from accord.incidents import analytics as an
from accord.incidents import codebook as cb
from accord.incidents.statements import IncidentFacts
from accord.reports import charts
from accord.reports.document import (
    SOURCING_FACTS,
    Document,
    Section,
    Table,
    number,
    p_value,
)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _rate(test: an.RateTest | None) -> dict[str, Any] | None:
    if test is None:
        return None
    return {**dataclasses.asdict(test), "significant": test.significant}


def analysis_json(a: an.Analysis) -> dict[str, Any]:
    """The analysis as JSON-ready data, with each pattern's ``found`` verdict."""
    esc = a.escalation
    data = {
        "scope": a.scope,
        "period": dataclasses.asdict(a.period),
        "totals": dataclasses.asdict(a.totals),
        "escalation": {
            "found": esc.found, "months": esc.months, "counts": esc.counts,
            "change_points": [{"year": c.year, "month": c.month, "test": _rate(c.test)}
                              for c in esc.change_points],
            "period_vs_previous": _rate(esc.period_vs_previous),
        },
        "spillover": {**dataclasses.asdict(a.spillover), "found": a.spillover.found},
        "target_shift": {**dataclasses.asdict(a.target_shift), "found": a.target_shift.found},
        "lethality": [{**dataclasses.asdict(r), "killed_per_incident": r.killed_per_incident}
                      for r in a.lethality],
        "notes": a.notes,
        "sourcing": [{"partner": name, **{k: v for k, v in dataclasses.asdict(c).items()
                                          if k != "partner_id"}} for name, c in a.sourcing],
        "statements": [_statement_json(f) for f in a.statements],
    }
    return dict(_clean(data))


def _statement_json(facts: IncidentFacts) -> dict[str, Any]:
    return {"incident_id": facts.incident_id, "eventid": facts.eventid,
            "date": facts.date.isoformat() if facts.date else None, "place": facts.place,
            "partners": [{"partner": p.partner, "status": p.status,
                          "first_at": p.first_at.isoformat() if p.first_at else None,
                          "hours_after": p.hours_after, "kinds": list(p.kinds),
                          "received_from": p.origin} for p in facts.partners]}


_STATUS = {"spoke": "spoke", "none": "recorded that it made none",
           "not-recorded": "nothing recorded"}


def statements_section(statements: list[IncidentFacts]) -> Section:
    """Per incident, per partner that opted in: whether and when it spoke. Facts only."""
    rows = [(f.eventid or str(f.incident_id), f.date.isoformat() if f.date else "n/a",
             p.partner + (f" (via {p.origin.removeprefix('peer:')})" if p.origin else ""),
             _STATUS[p.status], ", ".join(p.kinds) or "-",
             p.first_at.strftime("%Y-%m-%d %H:%M UTC") if p.first_at else "-",
             number(p.hours_after, 1)) for f in statements for p in f.partners]
    text = ["Public statements on the incidents in scope, per partner that agreed to be "
            "named, in alphabetical order: whether and when each spoke, and the hours from "
            "the start of the incident's day (UTC; GTD dates incidents, not times) to its "
            "first statement. Facts, not a ranking or a score."]
    if not rows:
        text.append("No statement is recorded on these incidents.")
    tables = [Table(("incident", "date", "partner", "statement", "kinds", "first at",
                     "hours after"), rows)] if rows else []
    return Section("Public statements", text, tables)


def _verdict(found: bool) -> str:
    return "Found." if found else "Not found."


def _escalation_section(a: an.Analysis) -> Section:
    esc = a.escalation
    text = [f"{_verdict(esc.found)} Change points come from ruptures (binary segmentation) "
            f"on the monthly "
            f"series and are kept only when a Poisson rate-ratio test (statsmodels) between "
            f"the segments either side gives p < {an.ALPHA} and a change of at least "
            f"{an.MIN_RATIO:g}x."]
    rows = [(f"{c.year}-{c.month:02d}", number(c.test.before), number(c.test.after),
             number(c.test.ratio), p_value(c.test.p_value)) for c in esc.change_points]
    tables = [Table(("change at", "incidents before", "incidents after", "rate ratio",
                     "p-value"), rows)] if rows else []
    prior = esc.period_vs_previous
    if prior is not None:
        text.append(f"The period against the {a.period.years} years before it: "
                    f"{prior.after:,} vs {prior.before:,} incidents, rate ratio "
                    f"{number(prior.ratio)}, p {p_value(prior.p_value)}.")
    return Section("Escalation", text, tables, ["monthly_series"])


def _spillover_section(a: an.Analysis) -> Section:
    s = a.spillover
    level = {"provstate": "provinces", "city": "cities", "country_txt": "countries"}[
        s.place_level]
    text = [f"{_verdict(s.found)} New {level} (first incident in the period): "
            + (", ".join(s.new_places) or "none") + ".",
            f"Historical core ({level} holding {an.CORE_COVERAGE:.0%} of earlier incidents): "
            + (", ".join(s.core_places) or "none") + ".",
            f"Share of incidents outside the core: {number(s.share_outside_core_before)} "
            f"before, {number(s.share_outside_core_period)} in the period "
            f"(p {p_value(s.p_value)})."]
    return Section("Spill-over", text)


def _target_section(a: an.Analysis) -> Section:
    t = a.target_shift
    soft = ", ".join(cb.TARGET_TYPES.get(c, str(c)) for c in t.soft_codes)
    text = [f"{_verdict(t.found)} Soft targets: {soft}.",
            f"Soft-target share {number(t.share_before)} before the period and "
            f"{number(t.share_period)} in it (two-proportion z-test, p {p_value(t.p_value)})."]
    return Section("Target shift", text, charts=["soft_target_share"])


def analysis_document(a: an.Analysis) -> Document:
    """The report as a ``Document``, with its charts."""
    t = a.totals
    summary = Section("Summary", [
        f"{t.incidents:,} incidents, {t.killed:,} victims killed (nkill - nkillter) and "
        f"{t.wounded:,} wounded in {a.scope}, {a.period.first_year}-{a.period.last_year}.",
        *a.notes])
    rows = [(r.attack_type, number(r.incidents), number(r.killed), number(r.wounded),
             number(r.killed_per_incident)) for r in a.lethality]
    lethal = Section("Lethality by attack type", [], [Table(
        ("attack type", "incidents", "killed", "wounded", "killed per incident"), rows)],
        ["lethality"])
    facts = tuple(SOURCING_FACTS)
    sourcing = Section("Sourcing completeness", [
        "Per contributing partner, in alphabetical order: facts, not a ranking. Columns "
        "count incidents with a source, two or more, an independent-media source, every "
        "source dated, and GTD's doubt flag, inclusion criteria and claim recorded."], [Table(
            ("partner", *SOURCING_FACTS.values()),
            [(name, *(number(getattr(c, f)) for f in facts)) for name, c in a.sourcing])])
    figures = {"monthly_series": charts.monthly_series(a.escalation, a.period),
               "soft_target_share": charts.soft_target_share(a.target_shift, a.period),
               "lethality": charts.lethality(a.lethality)}
    return Document(
        f"Incident report: {a.scope}, {a.period.first_year}-{a.period.last_year}",
        "Generated by Accord from the incidents the requesting partner may see.",
        [summary, _escalation_section(a), _spillover_section(a), _target_section(a), lethal,
         sourcing, statements_section(a.statements)],
        figures)
