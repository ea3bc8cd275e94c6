"""``accord peer ...``, ``accord sync``, ``accord import`` and ``accord export``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from accord.cli.state import state
from accord.errors import Invalid
from accord.exchange import files, peers
from accord.sharing.roles import CAN_SYNC

peer_app = typer.Typer(help="Peers: other TAXII 2.1 servers this node syncs with.",
                       no_args_is_help=True)


@peer_app.command("add")
def peer_add(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="The peer's TAXII discovery URL (…/taxii2/)."),
    collection: str = typer.Option(..., "--collection", help="Collection id (or title)."),
    bank: str = typer.Option(..., "--bank", help="Local bank its signals land in."),
    name: str | None = typer.Option(None, "--name", help="Default: the URL's host:port."),
    channel: str | None = typer.Option(
        None, "--channel", help="Local channel whose AMBER signals may be pushed to it."),
    user: str | None = typer.Option(None, "--user", help="Username (HTTP Basic)."),
    key: str | None = typer.Option(None, "--key", help="API key (Basic password, or Bearer)."),
) -> None:
    """Register a peer. Example: accord peer add https://a.example/taxii2/ --collection ID
    --bank from-a --user sync-b --key KEY"""
    st = state(ctx)
    p = peers.peer_add(st.database(), st.actor(), url, collection, bank=bank, name=name,
                       channel=channel, username=user, api_key=key, settings=st.settings)
    st.out.print(f"Added peer {p.name}: {p.url} collection {p.collection} -> bank {p.bank}.")


@peer_app.command("list")
def peer_list(ctx: typer.Context) -> None:
    """Peers with their state, last error and cursor. Example: accord peer list"""
    st = state(ctx)
    table = Table("name", "url", "collection", "bank", "state", "last run", "pulled",
                  "pushed", "cursor", "last error")
    for p in peers.peer_list(st.database(), st.actor()):
        table.add_row(p.name, p.url, p.collection, p.bank or "-", p.state,
                      f"{p.last_run_at:%Y-%m-%d %H:%M:%S}" if p.last_run_at else "-",
                      f"{p.pulled:,}", f"{p.pushed:,}", p.cursor or "-", p.last_error or "")
    st.out.print(table)


def sync_command(
    ctx: typer.Context,
    peer: str | None = typer.Argument(None, help="One peer (default: every peer)."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show what would move; write nothing."),
) -> None:
    """Pull from and push to peers. Example: accord sync node-a --dry-run"""
    from accord.exchange import sync

    st = state(ctx)
    db = st.database()
    actor = st.actor()
    actor.require(CAN_SYNC, "sync")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.fields[pulled]:,} pulled, {task.fields[pushed]:,} pushed"),
                  TimeElapsedColumn(), console=st.err, transient=True) as bar:
        task = bar.add_task("syncing", pulled=0, pushed=0)

        def tick(pulled: int, pushed: int) -> None:
            bar.update(task, pulled=pulled, pushed=pushed)

        reports = ([sync.sync_peer(db, st.settings, peer, actor=actor, dry_run=dry_run,
                                   progress=tick)]
                   if peer else sync.sync_all(db, st.settings, actor=actor, dry_run=dry_run,
                                              progress=tick))
    failed = False
    for r in reports:
        verb = "would add" if r.dry_run else "added"
        st.out.print(f"{r.peer}: {r.received:,} received in {r.pages} page(s); {verb} "
                     f"{r.added:,}, {r.duplicates:,} already here, retracted {r.retracted:,}, "
                     f"quarantined {r.quarantined:,}, lifted {r.lifted:,}, "
                     f"refused {r.refused:,}, ignored {r.ignored:,}; "
                     f"{'would push' if r.dry_run else 'pushed'} {r.pushed:,}.", markup=False)
        for note in r.notes:
            st.err.print(f"  {r.peer}: {note}", markup=False)
        if r.error:
            failed = True
            st.err.print(f"[bold red]Error:[/] {r.peer}: {r.error}")
    if failed:
        raise typer.Exit(3)


def _format(fmt: str | None, taxii_envelope: bool) -> str:
    if taxii_envelope:
        if fmt not in (None, "taxii-envelope"):
            raise Invalid("--taxii-envelope and --format disagree", hint="give one of them")
        return "taxii-envelope"
    if fmt is None:
        raise Invalid("no format given", hint="--format " + "|".join(files.FORMATS))
    return files.check_format(fmt)


def import_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The file to import."),
    bank: str = typer.Option(..., "--bank", help="Bank name or id."),
    fmt: str | None = typer.Option(None, "--format", help="|".join(files.FORMATS)),
    taxii_envelope: bool = typer.Option(False, "--taxii-envelope",
                                        help="Shorthand for --format taxii-envelope."),
) -> None:
    """Import a signal file in another tool's format.

    Example: accord import pytx-dataset.csv --bank tvec --format hma
    """
    st = state(ctx)
    chosen = _format(fmt, taxii_envelope)
    if not path.is_file():
        raise Invalid(f"no file {str(path)!r}")
    with Progress(SpinnerColumn(), TextColumn(f"importing {path.name}"), TimeElapsedColumn(),
                  console=st.err, transient=True) as bar:
        bar.add_task("import")
        with path.open("rb") as source:
            report = files.import_file(st.database(), st.actor(), bank, source, chosen,
                                       st.settings, name=str(path))
    for refusal in report.errors[:1000]:
        st.err.print(f"{refusal.where}: {refusal.message}", markup=False)
    st.out.print(f"Imported {report.imported:,}: {report.rows:,} read, {report.duplicates:,} "
                 f"already present, {report.retracted:,} retracted, {report.quarantined:,} "
                 f"quarantined, {report.lifted:,} lifted, {report.ignored:,} "
                 f"ignored, {report.error_count:,} bad.")
    if report.error_count:
        raise typer.Exit(1)


def export_command(
    ctx: typer.Context,
    bank: str = typer.Option(..., "--bank", help="Bank name or id."),
    fmt: str | None = typer.Option(None, "--format", help="|".join(files.FORMATS)),
    taxii_envelope: bool = typer.Option(False, "--taxii-envelope",
                                        help="Shorthand for --format taxii-envelope."),
    output: str = typer.Option("-", "--output", "-o", help="File to write (default stdout)."),
) -> None:
    """Export a bank in another tool's format (RED and AMBER+STRICT never leave).

    Example: accord export --bank tvec --taxii-envelope -o tvec.json
    """
    st = state(ctx)
    chosen = _format(fmt, taxii_envelope)
    db, actor = st.database(), st.actor()
    if output == "-":
        count = files.export_file(db, actor, bank, sys.stdout, chosen, st.settings)
    else:
        try:
            out = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise Invalid(f"cannot write {output}: {exc.strerror}",
                          hint="give a file in a folder that exists and you may write to") from None
        with out:
            count = files.export_file(db, actor, bank, out, chosen, st.settings)
    st.err.print(f"Exported {count:,} signals.")


def register(app: typer.Typer) -> None:
    """Add the federation commands to the root app."""
    app.add_typer(peer_app, name="peer")
    app.command("sync")(sync_command)
    app.command("import")(import_command)
    app.command("export")(export_command)
