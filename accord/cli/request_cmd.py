"""``accord request ...``: requests for information or assistance between partners."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.state import state
from accord.cooperation import requests
from accord.cooperation.records import RequestRecord

request_app = typer.Typer(help="Requests between partners: typed, about Accord objects, "
                          "never about persons.", no_args_is_help=True)
DAY = ["%Y-%m-%d"]


def _show(out: Console, r: RequestRecord) -> None:
    out.print(f"Request {r.id}: {r.from_partner} -> {r.to_partner}, {r.purpose} "
              f"[{r.tlp}] {r.status}", markup=False)
    out.print(f"  about: {', '.join(r.refs)}", markup=False)
    if r.text:
        out.print(f"  text: {r.text}", markup=False)
    if r.answer is not None:
        hours = r.hours_to_answer or 0.0
        out.print(f"  {r.status} by {r.answered_by} after {hours:.1f} h: {r.answer}",
                  markup=False)


@request_app.command("send")
def send(
    ctx: typer.Context,
    to: str = typer.Option(..., "--to", help="The partner asked."),
    purpose: str = typer.Option(..., "--purpose", help="One of: " + ", ".join(
        p.value for p in requests.Purpose)),
    ref: list[str] = typer.Option(..., "--ref", help="TYPE:KEY of an Accord object, e.g. "
                                  "entity:qde-004 or incident:12; repeatable."),
    text: str = typer.Option("", "--text", help="A short note (checked for personal data)."),
    tlp: str = typer.Option("AMBER+STRICT", "--tlp", help="TLP 2.0 marking."),
    channel: str | None = typer.Option(None, "--channel", help="Channel, for AMBER."),
    sender: str | None = typer.Option(None, "--from", help="Sending partner (operator only)."),
) -> None:
    """Send a request. Example: accord --as nora request send --to "Agency South"
    --purpose clarify-designation-basis --ref entity:fr-nat-7"""
    st = state(ctx)
    sent = requests.request_send(st.database(), st.actor(), to, purpose, ref, text, tlp=tlp,
                                 channel=channel, from_partner=sender)
    _show(st.out, sent)


@request_app.command("answer")
def answer(
    ctx: typer.Context,
    request_id: int = typer.Argument(..., help="The request's id."),
    text: str = typer.Argument(..., help="The answer (checked for personal data)."),
    decline: bool = typer.Option(False, "--decline", help="Decline it, saying why."),
) -> None:
    """Answer a request sent to your partner. Example: accord --as sami request answer 3 "..." """
    st = state(ctx)
    _show(st.out, requests.request_answer(st.database(), st.actor(), request_id, text,
                                          decline=decline))


@request_app.command("list")
def request_list(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help="open, answered or declined."),
) -> None:
    """Requests your partner sent or received, newest first. Example: accord request list"""
    st = state(ctx)
    table = Table("id", "from", "to", "purpose", "about", "status", "hours to answer")
    for r in requests.request_list(st.database(), st.actor(), status=status):
        hours = "" if r.hours_to_answer is None else f"{r.hours_to_answer:.1f}"
        table.add_row(str(r.id), r.from_partner, r.to_partner, r.purpose, ", ".join(r.refs),
                      r.status, hours)
    st.out.print(table)


@request_app.command("show")
def show(ctx: typer.Context, request_id: int = typer.Argument(..., help="The id.")) -> None:
    """One request with its answer. Example: accord request show 3"""
    st = state(ctx)
    _show(st.out, requests.request_get(st.database(), st.actor(), request_id))


@request_app.command("purge")
def purge(ctx: typer.Context) -> None:
    """Delete requests past ACCORD_REQUEST_RETENTION_DAYS (operator). Example: accord request purge
    """
    st = state(ctx)
    count = requests.purge_requests(st.database(), st.actor(), st.settings)
    st.out.print(f"Purged {count} request(s) sent more than "
                 f"{st.settings.request_retention_days} days ago.")


@request_app.command("stats")
def stats(
    ctx: typer.Context,
    start: dt.datetime = typer.Option(..., "--start", formats=DAY, help="First day."),
    end: dt.datetime = typer.Option(..., "--end", formats=DAY, help="Last day."),
) -> None:
    """Counts and answer times for a period. Example: accord request stats --start 2026-01-01
    --end 2026-12-31"""
    st = state(ctx)
    s = requests.request_statistics(st.database(), requests.Period(start.date(), end.date()))
    median = "n/a" if s.median_hours_to_answer is None else f"{s.median_hours_to_answer:.1f} h"
    st.out.print(f"{s.start} to {s.end}: {s.sent} sent, {s.answered} answered, "
                 f"{s.declined} declined, {s.open} open; median time to answer {median}")
    for purpose, count in s.by_purpose.items():
        st.out.print(f"  {purpose}: {count}", markup=False)
