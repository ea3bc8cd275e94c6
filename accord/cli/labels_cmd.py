"""Fixing labels: ``accord signal labels|history``, ``accord dispute ...``,
``accord proposal ...``. Each command parses, calls one core function, prints."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.state import state
from accord.curation import disputes, label_edits, proposals
from accord.store import records as r

dispute_app = typer.Typer(help="Disputes: the thread between a signal's owner and a "
                          "disputing partner.", no_args_is_help=True)
proposal_app = typer.Typer(help="Label proposals: changes other partners propose to your "
                           "signals' labels.", no_args_is_help=True)


def signal_labels(
    ctx: typer.Context,
    signal_id: int = typer.Argument(..., help="Signal id."),
    labels: list[str] = typer.Option([], "--set", help="A label; repeat for each (replaces "
                                     "all of the signal's labels)."),
    reason: str = typer.Option("", "--reason", help="Why the labels change."),
) -> None:
    """Replace your signal's labels (a new version, sent to peers).

    Example: accord signal labels 42 --set content:image --set behaviour:threat --reason "a still"
    """
    st = state(ctx)
    s = label_edits.label_set(st.database(), st.actor(), signal_id, labels, reason)
    st.out.print(f"Signal {s.id} labels: {', '.join(s.labels) or '(none)'}.", markup=False)


def signal_history(ctx: typer.Context,
                   signal_id: int = typer.Argument(..., help="Signal id.")) -> None:
    """Show the versions of a signal's labels. Example: accord signal history 42"""
    st = state(ctx)
    table = Table("version", "when", "by", "labels", "reason")
    for v in label_edits.label_history(st.database(), st.actor(), signal_id):
        why = v.reason or (f"proposal {v.proposal_id}" if v.proposal_id else "")
        table.add_row(str(v.version), f"{v.created_at:%Y-%m-%d %H:%M}", v.actor,
                      ", ".join(v.labels), why)
    st.out.print(table)


def register_signal_commands(signal_app: typer.Typer) -> None:
    """Add ``labels`` and ``history`` to ``accord signal``."""
    signal_app.command("labels")(signal_labels)
    signal_app.command("history")(signal_history)


@dispute_app.command("list")
def dispute_list(ctx: typer.Context,
                 signal_id: int = typer.Argument(..., help="Signal id.")) -> None:
    """The disputes of a signal whose threads you may read. Example: accord dispute list 42"""
    st = state(ctx)
    table = Table("dispute", "partner", "kind", "label", "note")
    for o in disputes.disputes_of(st.database(), st.actor(), signal_id):
        table.add_row(str(o.id), str(o.partner_id), o.kind, o.label or "", o.note)
    st.out.print(table)


@dispute_app.command("show")
def dispute_show(ctx: typer.Context,
                 dispute_id: int = typer.Argument(..., help="Dispute (opinion) id.")) -> None:
    """A dispute's thread, oldest first. Example: accord dispute show 7"""
    st = state(ctx)
    found = disputes.dispute_messages(st.database(), st.actor(), dispute_id)
    for msg in found:
        st.out.print(f"{msg.created_at:%Y-%m-%d %H:%M} partner {msg.partner_id} "
                     f"({msg.author}): {msg.text}", markup=False)
    if not found:
        st.out.print(f"Dispute {dispute_id} has no messages yet.")


@dispute_app.command("reply")
def dispute_reply(
    ctx: typer.Context,
    dispute_id: int = typer.Argument(..., help="Dispute (opinion) id."),
    text: str = typer.Argument(..., help="The message."),
) -> None:
    """Write in a dispute's thread. Example: accord dispute reply 7 "The end card recruits." """
    st = state(ctx)
    msg = disputes.dispute_reply(st.database(), st.actor(), dispute_id, text)
    st.out.print(f"Message {msg.id} added to dispute {msg.opinion_id}.")


def _print_proposal(ctx: typer.Context, p: r.LabelProposal) -> None:
    st = state(ctx)
    change = ", ".join([f"+{x}" for x in p.add] + [f"-{x}" for x in p.remove])
    st.out.print(f"Proposal {p.id} on signal {p.signal_id}: {change} ({p.status})"
                 + (f": {p.answer}" if p.answer else ""), markup=False)


@proposal_app.command("add")
def proposal_add(
    ctx: typer.Context,
    signal_id: int = typer.Argument(..., help="Signal id."),
    add: list[str] = typer.Option([], "--add", help="A label to add; repeat for more."),
    remove: list[str] = typer.Option([], "--remove", help="A label to remove; repeat."),
    reason: str = typer.Option(..., "--reason", help="Why the labels should change."),
) -> None:
    """Propose a change to another partner's signal's labels.

    Example: accord --as bob proposal add 42 --add content:image --reason "a still"
    """
    st = state(ctx)
    _print_proposal(ctx, proposals.proposal_add(st.database(), st.actor(), signal_id, add,
                                                remove, reason))


@proposal_app.command("accept")
def proposal_accept(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., help="Proposal id."),
    note: str = typer.Option("", "--note", help="A note for the proposer."),
) -> None:
    """Accept a proposal on your signal: its change is applied. Example: accord proposal accept 3"""
    st = state(ctx)
    _print_proposal(ctx, proposals.proposal_accept(st.database(), st.actor(), proposal_id,
                                                   note))


@proposal_app.command("refuse")
def proposal_refuse(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., help="Proposal id."),
    reason: str = typer.Option(..., "--reason", help="Why, for the proposer."),
) -> None:
    """Refuse a proposal on your signal, saying why.

    Example: accord proposal refuse 3 --reason "the end card recruits"
    """
    st = state(ctx)
    _print_proposal(ctx, proposals.proposal_refuse(st.database(), st.actor(), proposal_id,
                                                   reason))


@proposal_app.command("list")
def proposal_list(
    ctx: typer.Context,
    status: str = typer.Option("open", "--status", help="open, accepted, refused or all."),
    signal_id: int | None = typer.Option(None, "--signal", help="Only this signal's."),
) -> None:
    """Proposals on your signals and your own. Example: accord proposal list --status all"""
    st = state(ctx)
    table = Table("id", "signal", "partner", "add", "remove", "reason", "status", "answer")
    for p in proposals.proposal_list(st.database(), st.actor(),
                                     status=None if status == "all" else status,
                                     signal_id=signal_id):
        table.add_row(str(p.id), str(p.signal_id), str(p.partner_id), ", ".join(p.add),
                      ", ".join(p.remove), p.reason, p.status, p.answer)
    st.out.print(table)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(dispute_app, name="dispute")
    app.add_typer(proposal_app, name="proposal")
