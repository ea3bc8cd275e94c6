"""The cooperation scenario's analytic steps, on generated data only.

Step 2: North shares generated GTD-format incidents (``accord.incidents.synthetic``,
invented places, planted patterns) in the multilateral channel, and South runs
the incident-pattern report over what it may see (escalation, spill-over, soft
targets). Then both agencies record their public statements on the latest of
those incidents: North a condemnation a few hours in, South a statement of
concern two days later; the report shows when each spoke (facts, no score).
Step 4: North shares aggregate foreign-fighter flow counts; South
sees them aggregated, every count under the suppression threshold hidden.

Demo module (an edge under the CLI): no fastapi, typer, jinja2, accord.api, accord.web or
accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from accord.config import Settings
from accord.incidents import flows, service, statements, synthetic
from accord.incidents.tables import text_table
from accord.reports.transparency import set_report_opt_in
from accord.sharing.roles import Actor
from accord.store.database import Database

Say = Callable[[str], None]
FIRST_YEAR, LAST_YEAR = 2015, 2019
# Generated aggregate counts (no person behind any row); two are under the threshold.
FLOWS = ("origin_country,destination,direction,transit_country,period_start,period_end,"
         "count,confidence,source\n"
         "FR,SY,outbound,,2015-01-01,2015-12-31,38,medium,generated estimate\n"
         "FR,SY,return,,2018-01-01,2018-12-31,11,low,generated estimate\n"
         "KE,SO,outbound,,2016-01-01,2016-12-31,17,medium,generated estimate\n"
         "KE,SO,return,,2019-01-01,2019-12-31,3,low,generated estimate\n"
         "TZ,MZ,transit,KE,2017-01-01,2017-12-31,2,low,generated estimate\n")


def incident_patterns(db: Database, settings: Settings, north: Actor, south: Actor,
                      say: Say) -> dict[str, bool]:
    """Step 2; returns which patterns the report found."""
    # pandas and statsmodels load here, for this step only (as for the report command).
    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis

    say("2. Incident patterns: North shares generated GTD-format incidents in the CT forum;")
    table = text_table(synthetic.write_csv(synthetic.generate(synthetic.Plan())))
    imported = service.incident_import(db, north, table,
                                       service.Sharing("Agency North", "GREEN", "ct-forum"))
    analysis = incident_analysis(db, south, service.Scope(country=synthetic.COUNTRY),
                                 an.Period(FIRST_YEAR, LAST_YEAR), settings.soft_target_types)
    t = analysis.totals
    say(f"   {imported.imported:,} incidents shared; South's report for {analysis.scope}, "
        f"{FIRST_YEAR}-{LAST_YEAR}: {t.incidents:,} incidents, {t.killed:,} killed.")
    found = {"escalation": analysis.escalation.found, "spill-over": analysis.spillover.found,
             "soft targets": analysis.target_shift.found}
    say("   " + "; ".join(f"{name}: {'found' if hit else 'not found'}"
                          for name, hit in found.items()) + ".")
    if analysis.spillover.new_places:
        say(f"   new places: {', '.join(analysis.spillover.new_places)}.")
    return found


def public_statements(db: Database, north: Actor, south: Actor, say: Say
                      ) -> dict[str, float | None]:
    """Step 2, continued: both agencies record their statements on the latest generated
    incident; returns the hours after the incident at which each first spoke."""
    scope = service.Scope(country=synthetic.COUNTRY, last_year=LAST_YEAR)
    latest = service.incident_list(db, south, scope, limit=100_000)[-1]
    start = dt.datetime(latest.iyear, latest.imonth, latest.iday, tzinfo=dt.UTC)
    for partner in ("Agency North", "Agency South"):  # both agree to be named
        set_report_opt_in(db, Actor.operator(), partner, True)
    statements.statement_add(db, north, latest.id, "Agency North", statements.Said(
        "condemnation", start + dt.timedelta(hours=5), "fr",
        "https://north.example/press/condemnation", "We condemn this attack."))
    statements.statement_add(db, south, latest.id, "Agency South", statements.Said(
        "concern", start + dt.timedelta(hours=52), "en",
        "https://south.example/statements/concern", "We are concerned by this attack."))
    [facts] = statements.statement_facts(db, south, [latest.id])
    say(f"   Public statements on incident {latest.eventid} ({start.date()}), facts only:")
    for f in facts.partners:
        say(f"   {f.partner}: {f.status} ({', '.join(f.kinds)}) at "
            f"{f.first_at:%Y-%m-%d %H:%M} UTC, {f.hours_after:.1f} hours after the "
            "start of the incident's day." if f.first_at else f"   {f.partner}: {f.status}.")
    return {f.partner: f.hours_after for f in facts.partners}


def flow_exchange(db: Database, settings: Settings, north: Actor, south: Actor,
                  say: Say) -> tuple[int, int]:
    """Step 4; returns (routes shown, routes suppressed) as South sees them."""
    from accord.reports.flow_report import aggregate

    say("4. Foreign-fighter flows: North shares aggregate counts (never persons) with South.")
    flows.flow_import(db, north, text_table(FLOWS),
                      service.Sharing("Agency North", "AMBER", "north-south"))
    data = aggregate(flows.flow_rows(db, south, FIRST_YEAR, LAST_YEAR),
                     settings.flow_suppress_below)
    for route in data["routes"]:
        # A suppressed route total may itself be 5 or more (it holds a small flow), so
        # it says only that it is suppressed.
        count = "suppressed" if route["suppressed"] else str(route["count"])
        say(f"   {route['origin']} -> {route['destination']} {route['direction']}: {count}")
    suppressed = sum(r["suppressed"] for r in data["routes"])
    return len(data["routes"]) - suppressed, suppressed


def report_summaries(db: Database, settings: Settings, south: Actor, say: Say
                     ) -> dict[str, list[str]]:
    """Step 11: the incident report's summary as South reads it, in Chinese and in English
    (``accord incidents report --lang``'s text); returns the lines by locale."""
    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis
    from accord.reports.incident_report import summary

    analysis = incident_analysis(db, south, service.Scope(country=synthetic.COUNTRY),
                                 an.Period(FIRST_YEAR, LAST_YEAR), settings.soft_target_types)
    say("11. The incident report's summary as Agency South reads it, in Chinese and in "
        "English:")
    lines = {}
    for locale in ("zh_Hans", "en"):
        lines[locale] = summary(analysis, locale)
        for line in lines[locale]:
            say(f"   {line}")
    return lines
