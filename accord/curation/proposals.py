"""Label proposals (as MISP's): another partner proposes a change, the owner answers.

- A partner's member who may see a signal it does not own proposes labels to add
  and to remove, with a reason. Each is checked by ``LabelChecker``; a label to
  add must be new, one to remove must be on the signal, and something must change.
- The owner's curator accepts (the change is applied through ``apply_labels`` to
  the labels the signal has then, and the version names the proposal) or refuses
  with a reason. Either way the proposer sees the outcome.
- A proposal is seen by the owner's staff and the proposer's staff (and the
  operator); anyone else gets ``NotFound`` for it, as for one that does not exist.
- Reasons go through the personal-data check; every step is audited.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.curation.label_edits import apply_labels, joined, owned_for_labels, split
from accord.curation.labels import LabelChecker
from accord.curation.signals import Status
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_CURATE, CAN_GIVE_OPINION, Actor
from accord.sharing.service import staff_name
from accord.sharing.visibility import actor_may_see
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database
from accord.store.signals import labels_of


class ProposalStatus(StrEnum):
    """Where a proposal stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REFUSED = "refused"

    @classmethod
    def parse(cls, text: str) -> ProposalStatus:
        """Parse a proposal status."""
        return parse_choice(cls, text, "proposal status")


def _record(actor: Actor, owner: int, row: m.LabelProposal) -> r.LabelProposal:
    answered_by = None if row.answered_by is None else staff_name(actor, owner, row.answered_by)
    return r.LabelProposal(
        row.id, row.signal_id, row.partner_id, staff_name(actor, row.partner_id, row.author),
        split(row.add_labels), split(row.remove_labels), row.reason, row.status, row.answer,
        answered_by, row.created_at, row.answered_at)


def proposal_add(db: Database, actor: Actor, signal_id: int, add: Sequence[str],
                 remove: Sequence[str], reason: str) -> r.LabelProposal:
    """Propose a change to the labels of another partner's signal the actor may see."""
    if actor.partner_id is None:
        raise PermissionDenied("proposals are made by a partner's member, not the node "
                               "operator", hint="act as a member, e.g. --as USERNAME")
    actor.require(CAN_GIVE_OPINION, "propose label changes")
    with db.transaction() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        if signal.owner_partner_id == actor.partner_id:
            raise Conflict("signal {signal_id} is your partner's own",
                           hint="edit its labels: accord signal labels {signal_id} --set ...",
                           signal_id=signal_id)
        if signal.status == Status.RETRACTED:
            raise Conflict("signal {signal_id} is retracted; its labels can no longer change",
                           signal_id=signal_id)
        checker = LabelChecker(session)
        adding, removing = checker.check_all(add), checker.check_all(remove)
        held = set(labels_of(session, [signal.id])[signal.id])
        _check_change(held, adding, removing)
        why = checked_text(session, "reason", reason, required=True)
        row = m.LabelProposal(
            signal_id=signal.id, partner_id=actor.partner_id, author=actor.name,
            add_labels=joined(adding), remove_labels=joined(removing), reason=why,
            status=ProposalStatus.OPEN.value, answer="", created_at=m.utcnow())
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.PROPOSAL_ADD, "signal", signal.id, {
            "proposal": row.id, "add": list(adding), "remove": list(removing)})
        return _record(actor, signal.owner_partner_id, row)


def _check_change(held: set[str], adding: tuple[str, ...], removing: tuple[str, ...]) -> None:
    if not adding and not removing:
        raise Invalid("the proposal changes nothing", hint="give a label to add or to remove")
    if both := set(adding) & set(removing):
        raise Invalid("label {both} is both added and removed", both=sorted(both)[0])
    if present := [label for label in adding if label in held]:
        raise Invalid("the signal already has label {present}", present=present[0])
    if absent := [label for label in removing if label not in held]:
        raise Invalid("the signal has no label {absent} to remove", hint="its labels: {held}",
                      absent=absent[0], held=", ".join(sorted(held)) or "none")


def _visible_proposal(session: Session, actor: Actor,
                      proposal_id: int) -> tuple[m.LabelProposal, m.Signal]:
    row = session.get(m.LabelProposal, proposal_id)
    signal = None if row is None else session.get(m.Signal, row.signal_id)
    if (row is None or signal is None or not actor_may_see(session, actor, signal)
            or not (actor.is_operator
                    or actor.partner_id in (signal.owner_partner_id, row.partner_id))):
        raise NotFound("no proposal {proposal_id}", proposal_id=proposal_id)
    return row, signal


def _answerable(session: Session, actor: Actor, proposal_id: int) -> m.LabelProposal:
    row, signal = _visible_proposal(session, actor, proposal_id)
    owned_for_labels(session, actor, signal.id)
    actor.require(CAN_CURATE, "answer label proposals")
    if row.status != ProposalStatus.OPEN:
        raise Conflict("proposal {proposal_id} is already {status}", proposal_id=proposal_id,
                       status=row.status)
    return row


def proposal_accept(db: Database, actor: Actor, proposal_id: int,
                    note: str = "") -> r.LabelProposal:
    """Accept an open proposal on the actor's partner's signal: its change is applied to
    the signal's labels as they are now, as a version naming the proposal."""
    with db.transaction() as session:
        row = _answerable(session, actor, proposal_id)
        signal = session.get_one(m.Signal, row.signal_id)
        answer = checked_text(session, "note", note)
        held = set(labels_of(session, [signal.id])[signal.id])
        wanted = tuple(sorted((held - set(split(row.remove_labels)))
                              | set(split(row.add_labels))))
        if set(wanted) != held:
            apply_labels(session, actor, signal, wanted,
                         answer or f"proposal {row.id}: {row.reason}"[:4000],
                         proposal_id=row.id)
        _answer(row, actor, ProposalStatus.ACCEPTED, answer)
        audit.record(session, actor, audit.AuditAction.PROPOSAL_ACCEPT, "signal", signal.id,
                     {"proposal": row.id})
        return _record(actor, signal.owner_partner_id, row)


def proposal_refuse(db: Database, actor: Actor, proposal_id: int,
                    reason: str) -> r.LabelProposal:
    """Refuse an open proposal on the actor's partner's signal, saying why."""
    with db.transaction() as session:
        row = _answerable(session, actor, proposal_id)
        answer = checked_text(session, "reason", reason, required=True)
        _answer(row, actor, ProposalStatus.REFUSED, answer)
        audit.record(session, actor, audit.AuditAction.PROPOSAL_REFUSE, "signal", row.signal_id,
                     {"proposal": row.id})
        owner = session.get_one(m.Signal, row.signal_id).owner_partner_id
        return _record(actor, owner, row)


def _answer(row: m.LabelProposal, actor: Actor, status: ProposalStatus, answer: str) -> None:
    row.status, row.answer, row.answered_by, row.answered_at = (
        status.value, answer, actor.name, m.utcnow())


def proposal_get(db: Database, actor: Actor, proposal_id: int) -> r.LabelProposal:
    """One proposal the actor is a party to; ``NotFound`` otherwise."""
    with db.reader() as session:
        row, signal = _visible_proposal(session, actor, proposal_id)
        return _record(actor, signal.owner_partner_id, row)


def proposal_list(db: Database, actor: Actor, *, status: str | None = "open",
                  signal_id: int | None = None, limit: int = 200) -> list[r.LabelProposal]:
    """Proposals the actor is a party to: on its partner's signals (to answer) and its
    partner's own (to follow), newest first; ``status`` None for every state."""
    with db.reader() as session:
        query = (select(m.LabelProposal, m.Signal)
                 .join(m.Signal, m.Signal.id == m.LabelProposal.signal_id)
                 .order_by(m.LabelProposal.id.desc()).limit(limit))
        if status is not None:
            query = query.where(m.LabelProposal.status == ProposalStatus.parse(status).value)
        if signal_id is not None:
            query = query.where(m.LabelProposal.signal_id == signal_id)
        if not actor.is_operator:
            query = query.where(or_(m.Signal.owner_partner_id == actor.partner_id,
                                    m.LabelProposal.partner_id == actor.partner_id))
        return [_record(actor, signal.owner_partner_id, row)
                for row, signal in session.execute(query).all()
                if actor_may_see(session, actor, signal)]
