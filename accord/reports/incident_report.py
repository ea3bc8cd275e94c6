"""The incident analytics report: JSON data and a ``Document`` for HTML and PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
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
    not_available,
    number,
    p_value,
    partner_label,
    sourcing_headers,
    tr,
    vocab,
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


def _status(locale: str, status: str) -> str:
    return {"spoke": tr(locale, "spoke"), "none": tr(locale, "recorded that it made none"),
            "not-recorded": tr(locale, "nothing recorded")}[status]


def _when(locale: str, at: dt.datetime | None) -> str:
    return tr(locale, "{date} UTC", date=at.strftime("%Y-%m-%d %H:%M")) if at else "-"


def statements_section(statements: list[IncidentFacts], locale: str = "en") -> Section:
    """Per incident, per partner that opted in: whether and when it spoke. Facts only."""
    na = not_available(locale)
    rows = [(f.eventid or str(f.incident_id), f.date.isoformat() if f.date else na,
             p.partner if not p.origin else tr(locale, "{partner} (via {peer})",
                                                partner=p.partner,
                                                peer=p.origin.removeprefix("peer:")),
             _status(locale, p.status), ", ".join(p.kinds) or "-", _when(locale, p.first_at),
             number(p.hours_after, 1, locale=locale)) for f in statements for p in f.partners]
    text = [tr(locale, "Public statements on the incidents in scope, per partner that agreed "
               "to be named, in alphabetical order: whether and when each spoke, and the "
               "hours from the start of the incident's day (UTC; GTD dates incidents, not "
               "times) to its first statement. Facts, not a ranking or a score.")]
    if not rows:
        text.append(tr(locale, "No statement is recorded on these incidents."))
    headers = (tr(locale, "incident"), tr(locale, "date"), tr(locale, "partner"),
               tr(locale, "statement"), tr(locale, "kinds"), tr(locale, "first at"),
               tr(locale, "hours after"))
    return Section(tr(locale, "Public statements"), text,
                   [Table(headers, rows)] if rows else [])


def _verdict(locale: str, found: bool) -> str:
    return tr(locale, "Found.") if found else tr(locale, "Not found.")


def _then(locale: str, first: str, second: str) -> str:
    """Two sentences in a row (Chinese sets none of the space between them)."""
    return first + ("" if locale == "zh_Hans" else " ") + second


def _escalation_section(a: an.Analysis, locale: str) -> Section:
    esc = a.escalation
    text = [_then(locale, _verdict(locale, esc.found), tr(
        locale, "Change points come from ruptures (binary segmentation) on the monthly "
        "series and are kept only when a Poisson rate-ratio test (statsmodels) between the "
        "segments either side gives p < {alpha} and a change of at least {ratio}x.",
        alpha=an.ALPHA, ratio=f"{an.MIN_RATIO:g}"))]
    rows = [(f"{c.year}-{c.month:02d}", number(c.test.before), number(c.test.after),
             number(c.test.ratio), p_value(c.test.p_value, locale=locale))
            for c in esc.change_points]
    headers = (tr(locale, "change at"), tr(locale, "incidents before"),
               tr(locale, "incidents after"), tr(locale, "rate ratio"), tr(locale, "p-value"))
    prior = esc.period_vs_previous
    if prior is not None:
        text.append(tr(locale, "The period against the {years} years before it: {after} vs "
                       "{before} incidents, rate ratio {ratio}, p {p}.",
                       years=a.period.years, after=f"{prior.after:,}",
                       before=f"{prior.before:,}", ratio=number(prior.ratio, locale=locale),
                       p=p_value(prior.p_value, locale=locale)))
    return Section(tr(locale, "Escalation"), text, [Table(headers, rows)] if rows else [],
                   ["monthly_series"])


def _places(locale: str, level: str, places: list[str]) -> str:
    shown = [vocab(locale, p) if level == "country_txt" else p for p in places]
    return ", ".join(shown) or tr(locale, "none")


def _spillover_section(a: an.Analysis, locale: str) -> Section:
    s = a.spillover
    level = {"provstate": tr(locale, "provinces"), "city": tr(locale, "cities"),
             "country_txt": tr(locale, "countries")}[s.place_level]
    text = [_then(locale, _verdict(locale, s.found), tr(
                locale, "New {level} (first incident in the period): {places}.", level=level,
                places=_places(locale, s.place_level, s.new_places))),
            tr(locale, "Historical core ({level} holding {coverage} of earlier incidents): "
               "{places}.", level=level, coverage=f"{an.CORE_COVERAGE:.0%}",
               places=_places(locale, s.place_level, s.core_places)),
            tr(locale, "Share of incidents outside the core: {before} before, {period} in "
               "the period (p {p}).", before=number(s.share_outside_core_before, locale=locale),
               period=number(s.share_outside_core_period, locale=locale),
               p=p_value(s.p_value, locale=locale))]
    return Section(tr(locale, "Spill-over"), text, charts=["spillover"] if s.first_seen else [])


def _target_section(a: an.Analysis, locale: str) -> Section:
    t = a.target_shift
    soft = ", ".join(vocab(locale, cb.TARGET_TYPES.get(c, str(c))) for c in t.soft_codes)
    text = [_then(locale, _verdict(locale, t.found),
                  tr(locale, "Soft targets: {targets}.", targets=soft)),
            tr(locale, "Soft-target share {before} before the period and {period} in it "
               "(two-proportion z-test, p {p}).", before=number(t.share_before, locale=locale),
               period=number(t.share_period, locale=locale),
               p=p_value(t.p_value, locale=locale))]
    return Section(tr(locale, "Target shift"), text, charts=["soft_target_share"])


def _summary_section(a: an.Analysis, locale: str) -> Section:
    t = a.totals
    text = [tr(locale, "{incidents} incidents, {killed} victims killed (nkill - nkillter) and "
               "{wounded} wounded in {scope}, {first}-{last}.", incidents=f"{t.incidents:,}",
               killed=f"{t.killed:,}", wounded=f"{t.wounded:,}", scope=a.scope,
               first=a.period.first_year, last=a.period.last_year)]
    if a.unknown_month:
        text.append(tr(locale, "{count} incidents with an unknown month are left out of the "
                       "monthly series.", count=f"{a.unknown_month:,}"))
    return Section(tr(locale, "Summary"), text)


def _lethality_section(a: an.Analysis, locale: str) -> Section:
    rows = [(vocab(locale, r.attack_type), number(r.incidents), number(r.killed),
             number(r.wounded), number(r.killed_per_incident)) for r in a.lethality]
    headers = (tr(locale, "attack type"), tr(locale, "incidents"), tr(locale, "killed"),
               tr(locale, "wounded"), tr(locale, "killed per incident"))
    return Section(tr(locale, "Lethality by attack type"), [], [Table(headers, rows)],
                   ["lethality"])


def _sourcing_section(a: an.Analysis, locale: str) -> Section:
    facts = tuple(SOURCING_FACTS)
    rows = [(partner_label(locale, name), *(number(getattr(c, f)) for f in facts))
            for name, c in a.sourcing]
    return Section(tr(locale, "Sourcing completeness"), [tr(
        locale, "Per contributing partner, in alphabetical order: facts, not a ranking. "
        "Columns count incidents with a source, two or more, an independent-media source, "
        "every source dated, and GTD's doubt flag, inclusion criteria and claim recorded.")],
        [Table((tr(locale, "partner"), *sourcing_headers(locale)), rows)])


def summary(a: an.Analysis, locale: str = "en") -> list[str]:
    """The report's summary in ``locale``: its totals, and whether each pattern was found
    (what ``accord incidents report --lang`` prints)."""
    found = [(tr(locale, "Escalation"), a.escalation.found),
             (tr(locale, "Spill-over"), a.spillover.found),
             (tr(locale, "Target shift"), a.target_shift.found)]
    return [*_summary_section(a, locale).paragraphs,
            *(tr(locale, "{pattern}: {verdict}", pattern=name, verdict=_verdict(locale, f))
              for name, f in found)]


def analysis_document(a: an.Analysis, locale: str = "en") -> Document:
    """The report as a ``Document`` in ``locale`` (one of ``accord.i18n.LOCALES``), with
    its charts; a chart that cannot be drawn leaves its section saying so."""
    sections = [_summary_section(a, locale), _escalation_section(a, locale),
                _spillover_section(a, locale), _target_section(a, locale),
                _lethality_section(a, locale), _sourcing_section(a, locale),
                statements_section(a.statements, locale)]
    spread = ({"spillover": lambda: charts.spillover(a.spillover, a.period, locale)}
              if a.spillover.first_seen else {})
    figures = charts.drawn(sections, locale, {
        "monthly_series": lambda: charts.monthly_series(a.escalation, a.period, locale),
        **spread,
        "soft_target_share": lambda: charts.soft_target_share(a.target_shift, a.period,
                                                              locale),
        "lethality": lambda: charts.lethality(a.lethality, locale)})
    return Document(
        tr(locale, "Incident report: {scope}, {first}-{last}", scope=a.scope,
           first=a.period.first_year, last=a.period.last_year),
        tr(locale, "Generated by Accord from the incidents the requesting partner may see."),
        sections, figures, locale)
