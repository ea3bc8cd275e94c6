"""``accord bank ...`` and ``accord signal ...`` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import typer
from rich.table import Table

from accord.cli.state import CliState, state
from accord.curation import banks, opinions, signals
from accord.curation.signals import SignalInput
from accord.errors import Invalid
from accord.store import records as r

bank_app = typer.Typer(help="Banks: lists of signals owned by a partner.", no_args_is_help=True)
signal_app = typer.Typer(help="Signals: hashes and URLs with labels.", no_args_is_help=True)


_VARIANTS_HELP = ("Which variants of an uploaded picture may hit its PDQ signals: names or "
                  "groups (plain, dihedral, unletterbox, crops, all), comma-separated; "
                  "'default': the node's default (see docs/matching-quality.md).")


@bank_app.command("add")
def bank_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Bank name (letters, digits, _ . -)."),
    owner: str = typer.Option(..., "--owner", help="Owning partner (name or id)."),
    tlp: str = typer.Option("AMBER", "--tlp", help="Default TLP of its signals."),
    channel: str | None = typer.Option(None, "--channel", help="Channel it shares into."),
    description: str = typer.Option("", "--description"),
    negative: bool = typer.Option(False, "--negative",
                                  help="Known-legitimate content: hits suppress actioning."),
    auto_action: bool = typer.Option(False, "--auto-action",
                                     help="Let matches act without human review (opt-in)."),
    variants: str | None = typer.Option(None, "--variants", help=_VARIANTS_HELP),
    threshold: int | None = typer.Option(None, "--pdq-threshold", min=0, max=128,
                                         help="Its own PDQ match distance (default: the node's)."),
    tmk_threshold: int | None = typer.Option(
        None, "--tmk-threshold", min=0, max=2000,
        help="Its own tmk distance t: level-1 and level-2 scores >= 1 - t/1000."),
) -> None:
    """Create a bank. Example: accord bank add tvec-images --owner "Agency A" --channel eu-amber"""
    st = state(ctx)
    b = banks.bank_add(st.database(), st.actor(), name, owner, default_tlp=tlp, channel=channel,
                       description=description, negative=negative, auto_action=auto_action,
                       pdq_threshold=threshold, tmk_threshold=tmk_threshold,
                       match_variants=variants)
    st.out.print(f"Added bank {b.id}: {b.name} (TLP:{b.default_tlp}"
                 f"{', negative' if b.negative else ''}).")


@bank_app.command("set")
def bank_set(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
    variants: str | None = typer.Option(None, "--variants", help=_VARIANTS_HELP),
    threshold: int | None = typer.Option(None, "--pdq-threshold", min=0, max=128,
                                         help="Its own PDQ match distance."),
    node_threshold: bool = typer.Option(False, "--node-threshold",
                                        help="Go back to the node's PDQ match distance."),
    tmk_threshold: int | None = typer.Option(
        None, "--tmk-threshold", min=0, max=2000,
        help="Its own tmk distance t: level-1 and level-2 scores >= 1 - t/1000."),
    node_tmk_threshold: bool = typer.Option(False, "--node-tmk-threshold",
                                            help="Go back to the node's tmk distance."),
    matching: bool | None = typer.Option(None, "--matching/--no-matching",
                                         help="Switch its matching on or off (off: its "
                                              "signals stay, none matches an upload)."),
) -> None:
    """Change how uploads match a bank. Example: accord bank set tvec-images --variants all"""
    st = state(ctx)
    if node_threshold and threshold is not None:
        raise Invalid("give --pdq-threshold or --node-threshold, not both")
    if node_tmk_threshold and tmk_threshold is not None:
        raise Invalid("give --tmk-threshold or --node-tmk-threshold, not both")
    b = banks.bank_set_matching(
        st.database(), st.actor(), bank,
        match_variants=banks.KEEP if variants is None else variants,
        pdq_threshold=None if node_threshold else banks.KEEP if threshold is None else threshold,
        tmk_threshold=(None if node_tmk_threshold
                       else banks.KEEP if tmk_threshold is None else tmk_threshold),
        enabled=banks.KEEP if matching is None else matching)
    limit = "the node's" if b.pdq_threshold is None else str(b.pdq_threshold)
    tmk = "the node's" if b.tmk_threshold is None else str(b.tmk_threshold)
    st.out.print(f"Bank {b.id}: {b.name}: variants {b.match_variants or 'default'}, "
                 f"PDQ threshold {limit}, tmk threshold {tmk}"
                 f"{'' if b.matching_enabled else ', matching off'}.")


@bank_app.command("rename")
def bank_rename(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
    new_name: str = typer.Argument(..., help="Its new name (letters, digits, _ . -)."),
) -> None:
    """Give a bank a new name. Example: accord bank rename tvec-images tvec-pictures"""
    st = state(ctx)
    b = banks.bank_rename(st.database(), st.actor(), bank, new_name)
    st.out.print(f"Bank {b.id} is now {b.name}.")


@bank_app.command("delete")
def bank_delete(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
) -> None:
    """Delete a bank that never held a signal. Example: accord bank delete test-bank"""
    st = state(ctx)
    banks.bank_delete(st.database(), st.actor(), bank)
    st.out.print(f"Deleted bank {bank}.")


@bank_app.command("list")
def bank_list(
    ctx: typer.Context,
    owner: str | None = typer.Option(None, "--owner", help="Only this partner's banks."),
) -> None:
    """List banks with their active signal counts. Example: accord bank list"""
    st = state(ctx)
    table = Table("id", "name", "owner", "TLP", "channel", "signals", "variants", "flags")
    for b in banks.bank_list(st.database(), owner):
        flags = ", ".join(f for f, on in (("negative", b.negative),
                                          ("auto-action", b.auto_action)) if on)
        table.add_row(str(b.id), b.name, str(b.owner_partner_id), b.default_tlp,
                      str(b.channel_id or "-"), f"{b.signal_count:,}",
                      b.match_variants or "default", flags)
    st.out.print(table)


@bank_app.command("imports")
def bank_imports(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="How many, newest first."),
) -> None:
    """A bank's past bulk imports (CLI, API and web UI). Example: accord bank imports a-images"""
    from accord.curation.import_history import import_history

    st = state(ctx)
    table = Table("id", "started", "by", "file", "rows", "added", "already there", "rejected",
                  "state")
    for i in import_history(st.database(), st.actor(), bank, limit):
        state_text = f"{i.state}: {i.failure}" if i.failure else i.state
        table.add_row(str(i.id), i.started_at.isoformat(timespec="seconds"), i.actor,
                      i.filename, f"{i.rows:,}", f"{i.imported:,}", f"{i.duplicates:,}",
                      f"{i.rejected:,}", state_text)
    st.out.print(table)


def _print_signal(st: CliState, s: r.Signal) -> None:
    st.out.print_json(json.dumps({
        "id": s.id, "bank": s.bank_id, "signal_type": s.signal_type, "value": s.value,
        "quality": s.quality, "labels": list(s.labels), "tlp": s.tlp, "status": s.status,
        "contributor": s.contributor, "rationale": s.rationale, "source_ref": s.source_ref,
        "preprocessing": s.preprocessing, "created_at": s.created_at.isoformat(),
    }))


@signal_app.command("add")
def signal_add(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
    signal_type: str = typer.Argument(..., help="pdq, md5, sha256, url, text_tlsh, video_pdq."),
    value: str | None = typer.Argument(None, help="The hash or URL (or give --file)."),
    file: Path | None = typer.Option(None, "--file", help="Hash this file instead.",
                                     exists=True, dir_okay=False),
    unletterbox: bool = typer.Option(
        False, "--unletterbox", help="With --file, pdq: remove uniform bars before hashing "
        "(recorded in the signal's provenance)."),
    label: list[str] = typer.Option([], "--label", "-l", help="namespace:value, repeatable."),
    quality: int | None = typer.Option(None, "--quality"),
    tlp: str | None = typer.Option(None, "--tlp", help="Default: the bank's."),
    rationale: str = typer.Option("", "--rationale", help="Why this is shared."),
    source_ref: str = typer.Option("", "--source-ref", help="Where it comes from."),
) -> None:
    """Add one signal, given as a value or hashed from a file.

    Example: accord signal add tvec-images pdq --file poster.jpg --unletterbox -l content:poster
    """
    st = state(ctx)
    preprocessing = ""
    if (value is None) == (file is None):
        raise Invalid("give the signal's value or --file, one of them")
    if file is not None:
        from accord.curation.from_file import hash_for_signal

        hashed = hash_for_signal(file, signal_type, st.settings, unletterboxed=unletterbox)
        value, preprocessing = hashed.value, hashed.preprocessing
        quality = hashed.quality if quality is None else quality
    elif unletterbox:
        raise Invalid("--unletterbox needs --file", hint="it changes how the file is hashed")
    assert value is not None
    given = SignalInput(signal_type, value, quality, tuple(label), tlp, rationale, source_ref,
                        preprocessing)
    _print_signal(st, signals.signal_add(st.database(), st.actor(), bank, given, st.settings))


@signal_app.command("import")
def signal_import(
    ctx: typer.Context,
    bank: str = typer.Argument(..., help="Bank name or id."),
    path: str = typer.Argument(..., help="CSV or JSON-lines file, or - for standard input."),
    fmt: str | None = typer.Option(None, "--format", help="csv or jsonl (default: by name)."),
    strict: bool = typer.Option(False, "--strict", help="Import nothing if any row is bad."),
) -> None:
    """Import signals in bulk; bad rows are reported by line.

    Example: accord signal import tvec-images hashes.csv
    """
    st = state(ctx)
    db, actor = st.database(), st.actor()
    source: Path | IO[bytes]
    if path == "-":
        source = sys.stdin.buffer
        total = None
        fmt = fmt or "csv"
    else:
        file = Path(path)
        if not file.is_file():
            raise Invalid("no file {path!r}", path=path)
        source, total = file, file.stat().st_size
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from accord.curation import importer

    with Progress(TextColumn("importing"), BarColumn(), DownloadColumn(),
                  TextColumn("{task.fields[rows]:,} rows"), TimeRemainingColumn(),
                  console=st.err, transient=True) as bar:
        task = bar.add_task("import", total=total, rows=0)
        report = importer.import_signals(
            db, actor, bank, source, st.settings, fmt=fmt, strict=strict,
            progress=lambda done, rows: bar.update(task, completed=done, rows=rows),
        )
    for error in report.errors:
        st.err.print(f"line {error.line}: {error.message}", markup=False)
    if report.error_count > len(report.errors):
        st.err.print(f"... and {report.error_count - len(report.errors):,} more bad rows")
    verb = "Nothing imported (--strict)" if report.rolled_back else f"Imported {report.imported:,}"
    st.out.print(f"{verb}: {report.rows:,} rows read, {report.duplicates:,} already present, "
                 f"{report.error_count:,} bad.")
    if report.error_count:
        raise typer.Exit(2 if report.rolled_back else 1)


@signal_app.command("export")
def signal_export(
    ctx: typer.Context,
    bank: str | None = typer.Option(None, "--bank", help="Only this bank."),
    fmt: str = typer.Option("csv", "--format", help="csv or jsonl."),
    output: str = typer.Option("-", "--output", "-o", help="File to write (default stdout)."),
    include_retracted: bool = typer.Option(False, "--include-retracted"),
    backup: bool = typer.Option(
        False, "--backup", help="The operator's full dump, RED and AMBER+STRICT included "
        "(retracted too); audited. Without it, what may leave the node only."),
) -> None:
    """Export signals you may see and may carry off the node, as import reads them (RED and
    AMBER+STRICT never); --backup is the operator's audited full dump.

    Example: accord signal export --bank tvec-images -o out.csv
    """
    st = state(ctx)
    if fmt not in ("csv", "jsonl"):
        raise Invalid("format {fmt!r} is not csv or jsonl", fmt=fmt)
    from accord.curation import export

    db, actor = st.database(), st.actor()
    write = export.backup_signals if backup else export.export_signals
    retracted = include_retracted or backup
    if output == "-":
        count = write(db, actor, sys.stdout, fmt=fmt, bank=bank, include_retracted=retracted)
    else:
        with open(output, "w", encoding="utf-8", newline="") as out:
            count = write(db, actor, out, fmt=fmt, bank=bank, include_retracted=retracted)
    st.err.print(f"Exported {count:,} signals.")


@signal_app.command("retract")
def signal_retract(
    ctx: typer.Context,
    signal_id: int = typer.Argument(..., help="Signal id."),
    reason: str = typer.Option("", "--reason", help="Why it is withdrawn."),
) -> None:
    """Retract a signal (a tombstone; nothing is deleted).

    Example: accord signal retract 42 --reason "news footage"
    """
    st = state(ctx)
    s = signals.signal_retract(st.database(), st.actor(), signal_id, reason)
    st.out.print(f"Signal {s.id} retracted.")


@signal_app.command("reactivate")
def signal_reactivate(
    ctx: typer.Context,
    signal_id: int = typer.Argument(..., help="Signal id."),
    note: str = typer.Option("", "--note"),
) -> None:
    """Lift a dispute quarantine on your signal. Example: accord signal reactivate 42"""
    st = state(ctx)
    s = signals.signal_reactivate(st.database(), st.actor(), signal_id, note)
    st.out.print(f"Signal {s.id} is active again.")


@signal_app.command("show")
def signal_show(ctx: typer.Context, signal_id: int = typer.Argument(...)) -> None:
    """Show a signal and the opinions on it. Example: accord signal show 42"""
    st = state(ctx)
    db, actor = st.database(), st.actor()
    _print_signal(st, signals.signal_get(db, actor, signal_id))
    for o in opinions.opinion_list(db, actor, signal_id):
        on = f" [{o.label}]" if o.label else ""
        st.out.print(f"  {o.updated_at:%Y-%m-%d} partner {o.partner_id} ({o.author}): "
                     f"{o.kind}{on} {o.note}", markup=False)


@signal_app.command("list")
def signal_list(
    ctx: typer.Context,
    bank: str | None = typer.Option(None, "--bank"),
    status: str = typer.Option("active", "--status", help="active, quarantined or retracted."),
    label: str | None = typer.Option(None, "--label"),
    limit: int = typer.Option(50, "--limit"),
) -> None:
    """List signals you may see. Example: accord signal list --bank tvec-images --limit 10"""
    st = state(ctx)
    table = Table("id", "bank", "type", "value", "TLP", "labels", "status")
    for s in signals.signal_list(st.database(), st.actor(), bank=bank, status=status,
                                 label=label, limit=limit):
        short = s.value if len(s.value) <= 40 else s.value[:37] + "..."
        table.add_row(str(s.id), str(s.bank_id), s.signal_type, short, s.tlp,
                      ", ".join(s.labels), s.status)
    st.out.print(table)


@signal_app.command("opinion")
def signal_opinion(
    ctx: typer.Context,
    signal_id: int = typer.Argument(...),
    kind: str = typer.Argument(..., help="agree, disagree, false-positive or seen."),
    note: str = typer.Option("", "--note"),
    label: str | None = typer.Option(None, "--label",
                                     help="The one of the signal's labels a dispute disputes."),
) -> None:
    """Give your partner's opinion on a signal.

    Example: accord --as bob signal opinion 42 disagree --label behaviour:recruitment
    """
    st = state(ctx)
    o = opinions.opinion_set(st.database(), st.actor(), signal_id, kind, note, st.settings,
                             label=label)
    on = f" (label {o.label})" if o.label else ""
    st.out.print(f"Recorded {o.kind}{on} on signal {o.signal_id} for partner {o.partner_id} "
                 f"(dispute id {o.id}).", markup=False)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    from accord.cli.labels_cmd import register_signal_commands

    register_signal_commands(signal_app)
    app.add_typer(bank_app, name="bank")
    app.add_typer(signal_app, name="signal")
