"""``accord crisis activate|close|list|expire``: the time-boxed crisis protocol."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.state import state
from accord.incidents import crisis

crisis_app = typer.Typer(no_args_is_help=True,
                         help="Crisis protocol: activate on an incident, expire, debrief.")


@crisis_app.command("activate")
def crisis_activate(
    ctx: typer.Context,
    incident: int = typer.Argument(..., help="Incident id."),
    bank: str = typer.Option(..., "--bank", help="The crisis bank."),
    channel: str = typer.Option(..., "--channel", help="The crisis channel."),
    criteria: list[str] = typer.Option(..., "--criterion", "-c",
                                       help="A criterion met: " + ", ".join(crisis.CRITERIA)),
    hours: float | None = typer.Option(None, "--hours", help="Duration (default: "
                                       "ACCORD_CRISIS_HOURS)."),
) -> None:
    """Activate a crisis: the bank's new signals are shared to the channel at once.

    Example: accord crisis activate 42 --bank crisis-2026 --channel gifct -c mass-casualty
    -c perpetrator-content
    """
    st = state(ctx)
    made = crisis.activate(st.database(), st.actor(), st.settings, incident, bank, channel,
                           criteria, hours)
    st.out.print(f"Crisis {made.id} active on incident {incident} until "
                 f"{made.expires_at:%Y-%m-%d %H:%M} UTC.")


@crisis_app.command("close")
def crisis_close(
    ctx: typer.Context,
    crisis_id: int = typer.Argument(..., help="Crisis id."),
    debrief: str = typer.Option(..., "--debrief", help="What was shared, with whom, lessons."),
) -> None:
    """Close a crisis with its debrief. Example: accord crisis close 3 --debrief "..."
    """
    st = state(ctx)
    done = crisis.close(st.database(), st.actor(), crisis_id, debrief)
    st.out.print(f"Crisis {done.id} closed.")


@crisis_app.command("list")
def crisis_list(ctx: typer.Context) -> None:
    """Crises on incidents you may see. Example: accord crisis list"""
    st = state(ctx)
    table = Table("id", "incident", "state", "criteria", "started", "expires", "by")
    for c in crisis.crisis_list(st.database(), st.actor()):
        table.add_row(str(c.id), str(c.incident_id), c.state, ", ".join(c.criteria),
                      f"{c.started_at:%Y-%m-%d %H:%M}", f"{c.expires_at:%Y-%m-%d %H:%M}",
                      c.activated_by or "-")
    st.out.print(table)


@crisis_app.command("expire")
def crisis_expire(ctx: typer.Context) -> None:
    """Expire crises past their time (for cron). Example: accord crisis expire"""
    st = state(ctx)
    done = crisis.expire_due(st.database())
    st.out.print(f"{len(done)} crises expired.")


def register(app: typer.Typer) -> None:
    """Add ``accord crisis`` to the root app."""
    app.add_typer(crisis_app, name="crisis")
