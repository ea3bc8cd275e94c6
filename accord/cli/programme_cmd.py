"""``accord programme ...``: capacity-building programmes."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.state import state
from accord.cooperation import programmes
from accord.cooperation.records import ProgrammeRecord

programme_app = typer.Typer(help="Capacity-building programmes (human-rights due diligence "
                            "before they start).", no_args_is_help=True)
DAY = ["%Y-%m-%d"]


def _show(out: Console, p: ProgrammeRecord) -> None:
    out.print(f"Programme {p.id}: {p.title} [{p.tlp}] {p.status}", markup=False)
    out.print(f"  beneficiary {p.beneficiary}; donors {', '.join(p.donors)}; area {p.area}; "
              f"{p.starts_on} to {p.ends_on}", markup=False)
    for indicator in p.indicators:
        out.print(f"  indicator: {indicator}", markup=False)
    out.print("  assessment: " + (f"recorded by {p.assessed_by} on {p.assessed_at:%Y-%m-%d}"
                                  if p.assessed_at else "none yet"), markup=False)


@programme_app.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The programme's title."),
    beneficiary: str = typer.Option(..., "--beneficiary", help="The partner it builds up."),
    area: str = typer.Option(..., "--area", help="One of: " + ", ".join(
        a.value for a in programmes.Area)),
    start: dt.datetime = typer.Option(..., "--start", formats=DAY, help="First day."),
    end: dt.datetime = typer.Option(..., "--end", formats=DAY, help="Last day."),
    donor: list[str] = typer.Option([], "--donor", help="Another donor partner; repeatable."),
    indicator: list[str] = typer.Option([], "--indicator", help="An indicator; repeatable."),
    tlp: str = typer.Option("AMBER", "--tlp", help="TLP 2.0 marking."),
    channel: str | None = typer.Option(None, "--channel", help="Channel, for AMBER."),
    owner: str | None = typer.Option(None, "--owner", help="Lead donor (operator only)."),
) -> None:
    """Propose a programme. Example: accord --as nora programme add "Moderation capacity"
    --beneficiary "Agency Third" --area online-content --start 2026-01-01 --end 2027-12-31"""
    st = state(ctx)
    _show(st.out, programmes.programme_add(
        st.database(), st.actor(), title, beneficiary, area, start.date(), end.date(),
        donors=donor, indicators=indicator, tlp=tlp, channel=channel, owner=owner))


@programme_app.command("assess")
def assess(
    ctx: typer.Context,
    programme_id: int = typer.Argument(..., help="The programme's id."),
    summary: str = typer.Argument(..., help="Summary of the human-rights due-diligence "
                                  "assessment."),
) -> None:
    """Record the due-diligence assessment. Example: accord programme assess 1 "low risk: ..." """
    st = state(ctx)
    _show(st.out, programmes.programme_assess(st.database(), st.actor(), programme_id, summary))


@programme_app.command("status")
def status(
    ctx: typer.Context,
    programme_id: int = typer.Argument(..., help="The programme's id."),
    new_status: str = typer.Argument(..., help="active, suspended or closed."),
) -> None:
    """Change a programme's status. Example: accord programme status 1 active"""
    st = state(ctx)
    _show(st.out, programmes.programme_set_status(st.database(), st.actor(), programme_id,
                                                  new_status))


@programme_app.command("list")
def programme_list(ctx: typer.Context) -> None:
    """Programmes you may see. Example: accord programme list"""
    st = state(ctx)
    table = Table("id", "title", "beneficiary", "donors", "area", "period", "status",
                  "assessed")
    for p in programmes.programme_list(st.database(), st.actor()):
        table.add_row(str(p.id), p.title, p.beneficiary, ", ".join(p.donors), p.area,
                      f"{p.starts_on} to {p.ends_on}", p.status, "yes" if p.assessed_at else "no")
    st.out.print(table)


@programme_app.command("show")
def show(ctx: typer.Context, programme_id: int = typer.Argument(..., help="The id.")) -> None:
    """One programme. Example: accord programme show 1"""
    st = state(ctx)
    _show(st.out, programmes.programme_get(st.database(), st.actor(), programme_id))
