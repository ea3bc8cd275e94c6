"""``accord audit verify``, ``accord audit checkpoint`` and ``accord audit tail``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from accord import audit, audit_anchor
from accord.cli.state import state
from accord.errors import IntegrityError, Invalid

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    witness: list[Path] = typer.Option(
        [], "--witness", help="Also check against this witness file (repeatable); "
        "ACCORD_AUDIT_WITNESS_FILE is always checked."),
) -> None:
    """Check every event, the chain, and every signed checkpoint (database and witnesses);
    exit 4 naming the first bad event, and say what could not be detected.

    Example: accord audit verify --witness /mnt/witness/audit.jsonl
    """
    st = state(ctx)
    anchors = audit_anchor.anchors_for(st.settings, witness)
    report = audit_anchor.verify(st.database(), anchors)
    if not report.ok:
        raise IntegrityError("audit log broken at event {first_bad_seq}: {reason} "
                             "({events_checked:,} events before it check out)",
                             hint="restore the database from a backup and compare; the log is "
                                  "append-only", first_bad_seq=report.first_bad_seq,
                             reason=report.reason, events_checked=report.events_checked)
    st.out.print(f"Audit log intact: {report.events_checked:,} events, chain verified.")
    if report.checkpoints_checked:
        st.out.print(f"Anchored: {report.checkpoints_checked:,} signed checkpoints check out; "
                     f"the chain matches them up to event {report.anchored_seq:,}.")
    for warning in report.warnings:
        st.out.print(f"Warning: {warning}.", markup=False)


@audit_app.command("checkpoint")
def checkpoint(
    ctx: typer.Context,
    export: list[Path] = typer.Option(
        [], "--export", help="Also append the checkpoint to this witness file (repeatable)."),
) -> None:
    """Sign the chain's head now (the key file is made on first use) into the database,
    ACCORD_AUDIT_WITNESS_FILE and each --export file. Keep a witness off this machine.

    Example: accord audit checkpoint --export /mnt/witness/audit.jsonl
    """
    st = state(ctx)
    key = audit_anchor.load_key(st.settings, create=True)
    if key is None:
        raise Invalid("the audit checkpoint key file {key_path} could not be made",
                      hint="check HOME is writable, or set ACCORD_AUDIT_KEY",
                      key_path=audit_anchor.key_path(st.settings))
    files = audit_anchor.witness_files(st.settings, export)
    cp = audit_anchor.checkpoint(st.database(), key, witnesses=files)
    where = ", ".join(["the database", *map(str, files)])
    st.out.print(f"Checkpoint: event {cp.seq:,}, head {cp.hash[:16]}…, key {cp.key_id}, "
                 f"written to {where}.", markup=False)
    if not files:
        st.out.print(f"Warning: {audit_anchor.NO_WITNESS}; export with --export FILE or set "
                     "ACCORD_AUDIT_WITNESS_FILE.", markup=False)


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
