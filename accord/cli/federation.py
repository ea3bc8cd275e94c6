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

peer_app = typer.Typer(help="Peers: TAXII 2.1 servers and python-threatexchange exchanges.",
                       no_args_is_help=True)


@peer_app.command("add")
def peer_add(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="URL|NAME", help=(
        "The peer's TAXII discovery URL (…/taxii2/); with --exchange, the peer's name.")),
    bank: str = typer.Option(..., "--bank", help="Local bank its signals land in."),
    collection: str | None = typer.Option(None, "--collection",
                                          help="TAXII: collection id (or title)."),
    name: str | None = typer.Option(None, "--name", help="TAXII: default the URL's host:port."),
    channel: str | None = typer.Option(None, "--channel", help=(
        "TAXII: local channel whose AMBER signals may be pushed to it. Exchange: the "
        "channel pulled signals are shared in.")),
    user: str | None = typer.Option(None, "--user", help="TAXII: username (HTTP Basic)."),
    key: str | None = typer.Option(None, "--key", help="TAXII: API key (Basic password, or "
                                                       "Bearer)."),
    exchange: str | None = typer.Option(None, "--exchange", help=(
        "A python-threatexchange API: fb_threatexchange (ThreatExchange, GIFCT), stop_ncii, "
        "ncmec, tat, local_file.")),
    collab: str = typer.Option("{}", "--collab", help=(
        "Exchange: its collab config as JSON, e.g. '{\"privacy_group\": 1234}'.")),
    credentials_file: str | None = typer.Option(None, "--credentials-file", help=(
        "Exchange: a file holding its credentials (read at each sync, never stored).")),
    credentials_env: str | None = typer.Option(None, "--credentials-env", help=(
        "Exchange: an environment variable holding its credentials (never stored).")),
    endpoint: str | None = typer.Option(None, "--endpoint", help=(
        "Exchange: another base URL (fb_threatexchange, stop_ncii, tat).")),
    tlp: str | None = typer.Option(None, "--tlp", help="Exchange: TLP of pulled signals "
                                                       "(default: the bank's)."),
    tag_map: str | None = typer.Option(None, "--tag-map", help=(
        "Exchange: upstream tag -> taxonomy label, JSON, e.g. '{\"gifct\": \"tvec.attack\"}'.")),
    flood_factor: int | None = typer.Option(None, "--flood-factor", help=(
        "Exchange: a run past this many times the usual volume lands quarantined "
        "(default 10).")),
    flood_cap: int | None = typer.Option(None, "--flood-cap", help=(
        "Exchange: a run past this many records lands quarantined (default 1,000,000).")),
) -> None:
    """Register a peer: a TAXII server, or a python-threatexchange exchange.

    Example: accord peer add https://a.example/taxii2/ --collection ID --bank from-a
    --user sync-b --key KEY

    Example: accord peer add gifct --exchange fb_threatexchange --collab
    '{"privacy_group": 1234}' --bank gifct --credentials-env TX_ACCESS_TOKEN
    """
    st = state(ctx)
    if exchange:
        if collection or user or key or name:
            raise Invalid("--collection, --name, --user and --key are for TAXII peers",
                          hint="an exchange peer takes --collab and --credentials-file/-env")
        given = peers.ExchangePeerSettings(
            exchange=exchange, collab=collab, credentials_file=credentials_file,
            credentials_env=credentials_env, endpoint=endpoint, tlp=tlp, channel=channel,
            tag_map=tag_map, flood_factor=flood_factor, flood_cap=flood_cap)
        p = peers.exchange_peer_add(st.database(), st.actor(), target, given, bank=bank,
                                    settings=st.settings)
        st.out.print(f"Added exchange peer {p.name}: {p.exchange} -> bank {p.bank}.",
                     markup=False)
        return
    if not collection:
        raise Invalid("a TAXII peer needs --collection", hint="or give --exchange for an "
                                                              "exchange peer")
    p = peers.peer_add(st.database(), st.actor(), target, collection, bank=bank, name=name,
                       channel=channel, username=user, api_key=key, settings=st.settings)
    st.out.print(f"Added peer {p.name}: {p.url} collection {p.collection} -> bank {p.bank}.")


@peer_app.command("list")
def peer_list(ctx: typer.Context) -> None:
    """Peers with their state, last error, cursor and skipped records.
    Example: accord peer list"""
    st = state(ctx)
    table = Table("name", "kind", "url", "collection", "bank", "state", "last run", "pulled",
                  "pushed", "skipped", "write-back", "cursor", "last error")
    for p in peers.peer_list(st.database(), st.actor()):
        table.add_row(p.name, p.exchange or p.kind, p.url or "-", p.collection, p.bank or "-",
                      p.state, f"{p.last_run_at:%Y-%m-%d %H:%M:%S}" if p.last_run_at else "-",
                      f"{p.pulled:,}", f"{p.pushed:,}", f"{p.skipped:,}", _write_back(p),
                      p.cursor or "-", p.last_error or "")
    st.out.print(table)


def _write_back(p: peers.PeerRecord) -> str:
    """"on (2 delivered, 1 dead)", "off", or "-" for a TAXII peer."""
    if p.kind != "exchange":
        return "-"
    counts = ", ".join(f"{n:,} {state}" for state, n in p.opinions)
    return ("on" if p.write_back else "off") + (f" ({counts})" if counts else "")


@peer_app.command("set")
def peer_set(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The peer."),
    write_back: bool | None = typer.Option(None, "--write-back/--no-write-back", help=(
        "Exchange: send reviewers' verdicts and disputes on its signals back to it "
        "(ThreatExchange reactions; only the upstream id and the opinion).")),
    key: str | None = typer.Option(None, "--key", help="TAXII: a new API key (sealed).")
) -> None:
    """Change a peer's settings.
    Example: accord peer set gifct --write-back"""
    st = state(ctx)
    if write_back is None and key is None:
        raise Invalid("nothing to change", hint="give --write-back, --no-write-back or --key")
    if key is not None:
        p = peers.peer_key_set(st.database(), st.actor(), name, key, settings=st.settings)
        st.out.print(f"Peer {p.name}: API key replaced.")
    if write_back is not None:
        from accord.exchange import writeback  # pytx's clients: loaded only for write-back

        p = writeback.peer_write_back_set(st.database(), st.actor(), name, write_back)
        st.out.print(f"Peer {p.name}: write-back {'on' if p.write_back else 'off'}.")


@peer_app.command("opinions")
def peer_opinions(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The peer."),
    limit: int = typer.Option(100, "--limit", min=1, max=100_000, help="Newest entries shown."),
) -> None:
    """The opinions written back to a peer, newest first, with their delivery state.
    Example: accord peer opinions gifct"""
    from accord.exchange import writeback

    st = state(ctx)
    table = Table("id", "signal", "upstream id", "opinion", "state", "attempts",
                  "next attempt", "delivered", "last error")
    for o in writeback.peer_opinions(st.database(), st.actor(), name, limit=limit):
        table.add_row(str(o.id), str(o.signal_id), o.upstream_id, o.kind, o.state,
                      str(o.attempts), f"{o.next_attempt_at:%Y-%m-%d %H:%M:%S}"
                      if o.next_attempt_at else "-",
                      f"{o.delivered_at:%Y-%m-%d %H:%M:%S}" if o.delivered_at else "-",
                      o.last_error or "")
    st.out.print(table)


@peer_app.command("skipped")
def peer_skipped(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The peer."),
    limit: int = typer.Option(100, "--limit", min=1, max=100_000, help="Newest entries shown."),
) -> None:
    """The records a peer sent that were not stored, and why (the skip ledger).
    Example: accord peer skipped gifct"""
    st = state(ctx)
    table = Table("when", "record", "reason")
    for s in peers.peer_skipped(st.database(), st.actor(), name, limit=limit):
        table.add_row(f"{s.skipped_at:%Y-%m-%d %H:%M:%S}", s.record_key, s.reason)
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
                     f"{'would push' if r.dry_run else 'pushed'} {r.pushed:,}"
                     + (f"; wrote back {r.written_back:,} opinion(s)" if r.written_back
                        else "") + ".", markup=False)
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
        raise Invalid("no format given", hint="--format {formats}", formats="|".join(files.FORMATS))
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
        raise Invalid("no file {path!r}", path=str(path))
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
            raise Invalid("cannot write {output}: {strerror}",
                          hint="give a file in a folder that exists and you may write to",
                          output=output, strerror=exc.strerror) from None
        with out:
            count = files.export_file(db, actor, bank, out, chosen, st.settings)
    st.err.print(f"Exported {count:,} signals.")


def register(app: typer.Typer) -> None:
    """Add the federation commands to the root app."""
    app.add_typer(peer_app, name="peer")
    app.command("sync")(sync_command)
    app.command("import")(import_command)
    app.command("export")(export_command)
