"""``accord audit verify`` and ``accord audit tail``."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from accord import audit
from accord.cli.state import state
from accord.errors import IntegrityError

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every event and the chain; exit 4 naming the first bad event.

    Example: accord audit verify
    """
    st = state(ctx)
    report = audit.verify(st.database())
    if not report.ok:
        raise IntegrityError(
            f"audit log broken at event {report.first_bad_seq}: {report.reason} "
            f"({report.events_checked:,} events before it check out)",
            hint="restore the database from a backup and compare; the log is append-only",
        )
    st.out.print(f"Audit log intact: {report.events_checked:,} events, chain verified.")


@audit_app.command("tail")
def tail(
    ctx: typer.Context,
    count: int = typer.Option(20, "-n", help="How many events."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Show the latest events. Example: accord audit tail -n 5"""
    st = state(ctx)
    events = audit.tail(st.database(), count)
    if as_json:
        for e in events:
            st.out.print(json.dumps({
                "seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                "object_type": e.object_type, "object_id": e.object_id, "details": e.details,
                "hash": e.hash,
            }, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    table = Table("seq", "time (UTC)", "actor", "action", "object", "details")
    for e in events:
        details = json.dumps(e.details, ensure_ascii=False)
        table.add_row(str(e.seq), f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action,
                      f"{e.object_type} {e.object_id}",
                      details if len(details) < 60 else details[:57] + "...")
    st.out.print(table)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(audit_app, name="audit")
