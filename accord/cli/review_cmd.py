"""``accord review ...``: the review desk from a terminal (act as a reviewer with --as)."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.state import state

review_app = typer.Typer(help="The review queue: cases by priority, claims, verdicts, undo.",
                         no_args_is_help=True)


@review_app.command("queue")
def queue(
    ctx: typer.Context,
    status: str = typer.Option("pending", "--status", help="Match state ('' for all)."),
    bank: str | None = typer.Option(None, "--bank", help="Only matches of this bank."),
    label: str | None = typer.Option(None, "--label", help="Only signals with this label."),
    age: str = typer.Option("any", "--age",
                            help="any, last-hour, last-day, over-day or over-week."),
    sort: str = typer.Option("priority", "--sort", help="priority, oldest or newest."),
) -> None:
    """The queue as cases, most urgent first.

    Example: accord --as bea review queue --age last-day
    """
    from accord.review.desk import review_desk

    st = state(ctx)
    desk = review_desk(st.database(), st.actor(), st.settings, state=status or None,
                       bank=bank, label=label, age=age, sort=sort)
    st.out.print("  ".join(f"{name}: {n}" for name, n in desk.counts.items()))
    table = Table("case", "match", "priority", "distance / threshold", "bank", "labels",
                  "claimed by")
    for case in desk.cases:
        for card in case.cards:
            rec = card.match
            limit = "?" if card.threshold is None else str(card.threshold)
            table.add_row(case.content_ref, str(rec.id), str(card.priority.score),
                          f"{rec.distance} / {limit}", rec.bank, ", ".join(rec.labels),
                          rec.claimed_by or "")
    st.out.print(table)


@review_app.command("claim")
def claim(ctx: typer.Context, match_id: int = typer.Argument(..., min=1)) -> None:
    """Claim a match for review (it lapses after ACCORD_REVIEW_CLAIM_SECONDS).

    Example: accord --as bea review claim 12
    """
    from accord.review import service

    st = state(ctx)
    rec = service.claim(st.database(), st.actor(), match_id, st.settings)
    until = rec.claimed_until.isoformat(timespec="seconds") if rec.claimed_until else "-"
    st.out.print(f"Match {rec.id} is claimed by {rec.claimed_by} until {until}.")


@review_app.command("release")
def release(ctx: typer.Context, match_id: int = typer.Argument(..., min=1)) -> None:
    """Give a claimed match back to the queue.

    Example: accord --as bea review release 12
    """
    from accord.review import service

    st = state(ctx)
    rec = service.release(st.database(), st.actor(), match_id)
    st.out.print(f"Match {rec.id} is back in the queue, unclaimed.")


@review_app.command("reassign")
def reassign(
    ctx: typer.Context, match_id: int = typer.Argument(..., min=1),
    member: str = typer.Argument(..., help="A reviewer of the match's partner."),
) -> None:
    """An admin hands a match to another reviewer.

    Example: accord --as bo review reassign 12 bea
    """
    from accord.review import service

    st = state(ctx)
    rec = service.reassign(st.database(), st.actor(), match_id, member, st.settings)
    st.out.print(f"Match {rec.id} is now claimed by {rec.claimed_by}.")


@review_app.command("decide")
def decide(
    ctx: typer.Context, match_id: int = typer.Argument(..., min=1),
    decision: str = typer.Argument(..., help="confirm or reject."),
    rationale: str = typer.Option("", "--rationale", help="Why (needed to reject)."),
    false_positive: bool = typer.Option(False, "--false-positive",
                                        help="With reject: report the signal as a false "
                                        "positive to its contributor."),
) -> None:
    """Confirm or reject a match.

    Example: accord --as bea review decide 12 reject --rationale 'news report'
    """
    from accord.review import service

    st = state(ctx)
    v = service.decide(st.database(), st.actor(), match_id, decision, rationale, st.settings,
                       false_positive=false_positive)
    undo = (f" Undo until {v.undo_until.isoformat(timespec='seconds')}: accord review undo "
            f"{v.match_id}" if v.undo_until else "")
    st.out.print(f"Match {v.match_id} {v.state}.{undo}")


@review_app.command("decide-case")
def decide_case(
    ctx: typer.Context, content_ref: str = typer.Argument(..., help="The case's content_ref."),
    decision: str = typer.Argument(..., help="confirm or reject."),
    rationale: str = typer.Option("", "--rationale", help="Why (needed to reject)."),
) -> None:
    """One verdict for every pending match of a case.

    Example: accord --as bea review decide-case upload-7f3a confirm
    """
    from accord.review import service

    st = state(ctx)
    verdicts = service.decide_case(st.database(), st.actor(), content_ref, decision,
                                   rationale, st.settings)
    ids = ", ".join(str(v.match_id) for v in verdicts)
    st.out.print(f"Case {content_ref}: {len(verdicts)} matches {verdicts[0].state} ({ids}).")


@review_app.command("undo")
def undo(ctx: typer.Context, match_id: int = typer.Argument(..., min=1)) -> None:
    """Undo your own verdict within ACCORD_REVIEW_UNDO_SECONDS.

    Example: accord --as bea review undo 12
    """
    from accord.review import service

    st = state(ctx)
    rec = service.undo(st.database(), st.actor(), match_id, st.settings)
    st.out.print(f"Verdict on match {rec.id} undone: pending again, claimed by "
                 f"{rec.claimed_by}.")


@review_app.command("content-url")
def content_url(
    ctx: typer.Context,
    template: str = typer.Argument(..., help="https://.../{content_ref}, or '' for none."),
    partner: str | None = typer.Option(None, "--partner",
                                       help="The partner (the operator names one)."),
) -> None:
    """Set where reviewers' browsers load previews.

    Example: accord --as bo review content-url 'https://media.platform.example/{content_ref}'
    """
    from accord.review import preview

    st = state(ctx)
    set_to = preview.content_url_set(st.database(), st.actor(), template, partner)
    st.out.print(f"Content-URL template: {set_to}." if set_to
                 else "Content-URL template cleared: no previews.")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(review_app, name="review")
