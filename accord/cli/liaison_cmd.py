"""``accord liaison ...``: dialogue rounds, agenda items, action items and reminders."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.state import state
from accord.cooperation import liaison
from accord.cooperation.records import DialogueRecord

liaison_app = typer.Typer(help="Liaison: dialogue rounds, agendas, action items.",
                          no_args_is_help=True)
DAY = ["%Y-%m-%d"]


def _show(out: Console, d: DialogueRecord) -> None:
    out.print(f"Dialogue {d.id}: {d.title} ({d.level}, {d.held_on}, {d.venue or 'no venue'}) "
              f"[{d.tlp}]", markup=False)
    out.print(f"  partners: {', '.join(d.partners)}", markup=False)
    for a in d.agenda:
        out.print(f"  agenda {a.id}: {a.title}" + (f" -> {a.ref}" if a.ref else ""), markup=False)
    for item in d.actions:
        out.print(f"  action {item.id}: {item.title} ({item.owner_partner}, due {item.due_on}, "
                  f"{item.status})", markup=False)


@liaison_app.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The dialogue round's title."),
    level: str = typer.Option(..., "--level", help="One of: " + ", ".join(
        lv.value for lv in liaison.Level)),
    held_on: dt.datetime = typer.Option(..., "--date", formats=DAY, help="When it was held."),
    partner: list[str] = typer.Option(..., "--partner", help="Another partner; repeatable."),
    venue: str = typer.Option("", "--venue", help="Where it was held."),
    tlp: str = typer.Option("AMBER", "--tlp", help="TLP 2.0 marking."),
    channel: str | None = typer.Option(None, "--channel", help="Channel, for AMBER."),
    owner: str | None = typer.Option(None, "--owner", help="Recording partner (operator)."),
) -> None:
    """Record a dialogue round. Example: accord --as nora liaison add "CT dialogue 4"
    --level expert --date 2026-03-10 --partner "Agency South" --venue Nairobi"""
    st = state(ctx)
    _show(st.out, liaison.dialogue_add(st.database(), st.actor(), title, level,
                                       held_on.date(), partner, venue=venue, tlp=tlp,
                                       channel=channel, owner=owner))


@liaison_app.command("agenda")
def agenda(
    ctx: typer.Context,
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    title: str = typer.Argument(..., help="The agenda item."),
    ref: str | None = typer.Option(None, "--ref", help="TYPE:KEY of the Accord object."),
) -> None:
    """Add an agenda item. Example: accord liaison agenda 1 "Designations" --ref entity:qde-004"""
    st = state(ctx)
    _show(st.out, liaison.agenda_add(st.database(), st.actor(), dialogue_id, title, ref))


@liaison_app.command("action")
def action(
    ctx: typer.Context,
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    title: str = typer.Argument(..., help="What is to be done."),
    owner: str = typer.Option(..., "--owner", help="The partner who does it."),
    due: dt.datetime = typer.Option(..., "--due", formats=DAY, help="Due date."),
) -> None:
    """Add an action item. Example: accord liaison action 1 "Share minutes" --owner "Agency
    South" --due 2026-04-30"""
    st = state(ctx)
    item = liaison.action_add(st.database(), st.actor(), dialogue_id, title, owner, due.date())
    st.out.print(f"Action {item.id}: {item.title} ({item.owner_partner}, due {item.due_on})",
                 markup=False)


@liaison_app.command("status")
def action_status(
    ctx: typer.Context,
    action_id: int = typer.Argument(..., help="The action item's id."),
    new_status: str = typer.Argument(..., help="done, dropped or open."),
) -> None:
    """Update an action item. Example: accord liaison status 2 done"""
    st = state(ctx)
    item = liaison.action_set_status(st.database(), st.actor(), action_id, new_status)
    st.out.print(f"Action {item.id} is {item.status}.")


@liaison_app.command("list")
def dialogue_list(ctx: typer.Context) -> None:
    """Dialogue rounds you may see, newest first. Example: accord liaison list"""
    st = state(ctx)
    table = Table("id", "title", "level", "date", "venue", "partners", "open actions")
    for d in liaison.dialogue_list(st.database(), st.actor()):
        table.add_row(str(d.id), d.title, d.level, str(d.held_on), d.venue, ", ".join(d.partners),
                      str(sum(a.status == "open" for a in d.actions)))
    st.out.print(table)


@liaison_app.command("show")
def show(ctx: typer.Context, dialogue_id: int = typer.Argument(..., help="The id.")) -> None:
    """One dialogue with its agenda and action items. Example: accord liaison show 1"""
    st = state(ctx)
    _show(st.out, liaison.dialogue_get(st.database(), st.actor(), dialogue_id))


@liaison_app.command("reminders")
def reminders(
    ctx: typer.Context,
    today: dt.datetime | None = typer.Option(None, "--today", formats=DAY,
                                             help="Count overdue as of this day."),
) -> None:
    """Open action items past their due date. Example: accord --as sami liaison reminders"""
    st = state(ctx)
    items = liaison.reminders(st.database(), st.actor(), today.date() if today else None)
    if not items:
        st.out.print("No overdue action items.")
    for item in items:
        st.out.print(f"OVERDUE action {item.id} (dialogue {item.dialogue_id}): {item.title} - "
                     f"{item.owner_partner}, due {item.due_on}", markup=False)
