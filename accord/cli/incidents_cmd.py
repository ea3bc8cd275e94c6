"""``accord incidents import|list|report|source``: thin commands over accord.incidents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accord.cli.state import state
from accord.errors import Invalid
from accord.incidents import service, statements
from accord.incidents.records import ImportReport
from accord.incidents.tables import open_table

incidents_app = typer.Typer(no_args_is_help=True,
                            help="Incidents (GTD-compatible): import, list, report.")


def print_import_report(ctx: typer.Context, report: ImportReport) -> None:
    """Row errors on stderr, the totals on stdout; exit 1 when rows were refused."""
    st = state(ctx)
    for error in report.errors:
        st.err.print(f"row {error.row}: {error.message}", markup=False)
    if report.more_errors:
        st.err.print(f"... and {report.more_errors:,} more bad rows")
    if report.dropped_columns:
        st.err.print("Dropped (may name people, never stored): "
                     + ", ".join(report.dropped_columns), markup=False)
    if report.excluded_event_types:
        st.out.print("Left out by event type (add --event-type to import them): " + ", ".join(
            f"{kind} {n:,}" for kind, n in report.excluded_event_types), markup=False)
    st.out.print(f"Imported {report.imported:,}; {report.skipped_duplicates:,} already "
                 f"present; {report.refused:,} refused.")
    if report.refused:
        raise typer.Exit(1)


@incidents_app.command("import")
def incidents_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="GTD export (CSV or XLSX) or ACLED CSV."),
    owner: str = typer.Option(..., "--owner", help="Partner contributing the incidents."),
    tlp: str = typer.Option("AMBER", "--tlp", help="TLP 2.0 marking of the incidents."),
    channel: str | None = typer.Option(None, "--channel", help="Channel they are shared to."),
    event_type: list[str] | None = typer.Option(
        None, "--event-type", help="ACLED event type to import (repeat for several); default: "
        "Battles, Explosions/Remote violence, Violence against civilians."),
) -> None:
    """Import incidents; bad rows are reported by row and the rest imported.

    GTD's free-text columns that can name people (summary, target1-3, corp1-3,
    motive, addnotes, scite1-3) are dropped. ACLED's protests, riots and strategic
    developments are left out (and counted) unless named with --event-type. Example:
    accord incidents import globalterrorismdb.xlsx --owner "Agency A" --tlp GREEN
    """
    st = state(ctx)
    db, actor = st.database(), st.actor()
    table = open_table(path)
    with Progress(TextColumn("importing"), BarColumn(), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=st.err, transient=True) as bar:
        task = bar.add_task("import", total=None)
        report = service.incident_import(
            db, actor, table, service.Sharing(owner, tlp, channel),
            batch_size=st.settings.import_batch_size,
            progress=lambda n: bar.advance(task, n), event_types=event_type or None)
    print_import_report(ctx, report)


def _scope(country: str | None, region: str | None, province: str | None,
           first: int | None, last: int | None) -> service.Scope:
    return service.Scope(country, region, province, first, last)


@incidents_app.command("list")
def incidents_list(
    ctx: typer.Context,
    country: str | None = typer.Option(None, "--country", help="country_txt, e.g. Iraq."),
    region: str | None = typer.Option(None, "--region", help="region_txt."),
    province: str | None = typer.Option(None, "--province", help="provstate."),
    first: int | None = typer.Option(None, "--from", help="First year."),
    last: int | None = typer.Option(None, "--to", help="Last year."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000),
) -> None:
    """Incidents you may see. Example: accord incidents list --country Iraq --from 2014"""
    st = state(ctx)
    rows = service.incident_list(st.database(), st.actor(),
                                 _scope(country, region, province, first, last), limit=limit)
    table = Table("id", "eventid", "date", "place", "attack", "target", "killed", "TLP")
    for i in rows:
        killed = "" if i.nkill is None else str(i.nkill - (i.nkillter or 0))
        table.add_row(str(i.id), i.eventid or "", f"{i.iyear}-{i.imonth:02d}-{i.iday:02d}",
                      ", ".join(p for p in (i.provstate, i.country_txt) if p),
                      i.attacktype1_txt, i.targtype1_txt, killed, i.tlp)
    st.out.print(table)


LANG_HELP = "The report's language: en, zh-Hans, ar, fr, ru or es (default English)."


@incidents_app.command("report")
def incidents_report(
    ctx: typer.Context,
    first: int = typer.Option(..., "--from", help="First year of the period."),
    last: int = typer.Option(..., "--to", help="Last year of the period."),
    country: str | None = typer.Option(None, "--country", help="country_txt."),
    region: str | None = typer.Option(None, "--region", help="region_txt."),
    province: str | None = typer.Option(None, "--province", help="provstate."),
    out: Path | None = typer.Option(None, "--out", help="Folder for HTML, PDF, JSON, charts."),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Escalation, spill-over, target shift and lethality for a place and period.

    Example: accord incidents report --country Freedonia --from 2015 --to 2019 --lang zh-Hans
    """
    # pandas, statsmodels and matplotlib load only for this command: every other
    # ``accord`` command starts without them.
    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis
    from accord.reports.bundle import write_bundle
    from accord.reports.document import reader_locale
    from accord.reports.incident_report import analysis_document, analysis_json, summary

    st = state(ctx)
    locale = reader_locale(lang)
    analysis = incident_analysis(st.database(), st.actor(),
                                 _scope(country, region, province, None, None),
                                 an.Period(first, last), st.settings.soft_target_types)
    data = analysis_json(analysis)
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    elif lang is not None:
        for line in summary(analysis, locale):
            st.out.print(line, markup=False)
    else:
        t = analysis.totals
        st.out.print(f"{analysis.scope}, {first}-{last}: {t.incidents:,} incidents, "
                     f"{t.killed:,} killed, {t.wounded:,} wounded")
        for name in ("escalation", "spillover", "target_shift"):
            st.out.print(f"  {name.replace('_', ' ')}: "
                         f"{'found' if data[name]['found'] else 'not found'}")
    if out is not None:
        paths = write_bundle(analysis_document(analysis, locale), data, out, "incident-report")
        st.err.print(f"Wrote {len(paths)} files to {out}")


@incidents_app.command("source")
def incidents_source(
    ctx: typer.Context,
    incident: int = typer.Argument(..., help="Incident id."),
    kind: str = typer.Argument(..., help="independent-media, official-statement, state-media "
                               "or partner-report."),
    published: str | None = typer.Option(None, "--date", help="Publication date, YYYY-MM-DD."),
) -> None:
    """Record a source of an incident. Example: accord incidents source 12 state-media"""
    st = state(ctx)
    day = None
    if published:
        try:
            day = dt.date.fromisoformat(published)
        except ValueError:
            raise Invalid("--date {published!r} is not YYYY-MM-DD", published=published) from None
    src = service.source_add(st.database(), st.actor(), incident, kind, day)
    st.out.print(f"Source {src.id} ({src.kind}) added to incident {incident}.")


statement_app = typer.Typer(no_args_is_help=True,
                            help="Public statements on incidents: record, none, list.")
incidents_app.add_typer(statement_app, name="statement")


def _when(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("--at {text!r} is not an ISO 8601 time", hint="e.g. 2026-03-14T18:30Z",
                      text=text) from None


def _print_said(ctx: typer.Context, said: statements.Statement) -> None:
    hours = "n/a" if said.hours_after is None else f"{said.hours_after:,.1f}"
    when = said.spoken_at.isoformat() if said.spoken_at else "-"
    state(ctx).out.print(f"Statement {said.id} on incident {said.incident_id}: {said.speaker}, "
                         f"{said.kind}, {when} ({hours} hours after), TLP:{said.tlp}.",
                         markup=False)


@statement_app.command("add")
def statement_add(
    ctx: typer.Context,
    incident: int = typer.Argument(..., help="Incident id."),
    kind: str = typer.Argument(..., help="condemnation, condolence, concern or other."),
    at: str = typer.Option(..., "--at", help="When it was made, ISO 8601 with a zone."),
    language: str = typer.Option(..., "--lang", help="Its language, a BCP 47 tag (zh-Hans)."),
    url: str = typer.Option(..., "--url", help="Its public address."),
    partner: str = typer.Option(..., "--partner", help="Your partner (who spoke)."),
    text: str = typer.Option("", "--text", help="A short summary (no personal data)."),
    tlp: str | None = typer.Option(None, "--tlp", help="Default: the incident's marking."),
    channel: str | None = typer.Option(None, "--channel", help="Channel, for AMBER."),
) -> None:
    """Record your partner's own public statement on an incident. Example:
    accord incidents statement add 12 condemnation --at 2026-03-14T18:30Z --lang fr
    --url https://agency.example/press/1 --partner "Agency A"
    """
    st = state(ctx)
    said = statements.Said(kind, _when(at), language, url, text)
    _print_said(ctx, statements.statement_add(st.database(), st.actor(), incident, partner,
                                              said, tlp=tlp, channel=channel))


@statement_app.command("none")
def statement_none(
    ctx: typer.Context,
    incident: int = typer.Argument(..., help="Incident id."),
    partner: str = typer.Option(..., "--partner", help="Your partner."),
    tlp: str | None = typer.Option(None, "--tlp", help="Default: the incident's marking."),
) -> None:
    """Record that your partner has made no public statement on an incident (as of now).
    Example: accord incidents statement none 12 --partner "Agency B"
    """
    st = state(ctx)
    _print_said(ctx, statements.statement_add(st.database(), st.actor(), incident, partner,
                                              statements.Said("none"), tlp=tlp))


@statement_app.command("list")
def statement_list(ctx: typer.Context,
                   incident: int = typer.Argument(..., help="Incident id.")) -> None:
    """The statements on an incident you may see: who spoke, when, hours after (facts, no
    ranking). Example: accord incidents statement list 12
    """
    st = state(ctx)
    table = Table("id", "partner", "kind", "spoken at", "hours after", "language", "url",
                  "tlp", "from")
    for s in statements.statement_list(st.database(), st.actor(), incident):
        table.add_row(str(s.id), s.speaker, s.kind,
                      s.spoken_at.isoformat() if s.spoken_at else "-",
                      "n/a" if s.hours_after is None else f"{s.hours_after:,.1f}",
                      s.language or "-", s.url or "-", s.tlp, s.origin or "here")
    st.out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``accord incidents`` to the root app."""
    app.add_typer(incidents_app, name="incidents")
