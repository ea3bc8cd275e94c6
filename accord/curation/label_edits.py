"""Label edits: a signal's owner replaces its labels, and each change is kept as a version.

- Only the owner's curators (or the operator) edit; a partner that may not see the
  signal gets ``NotFound``, exactly as for a signal that does not exist.
- Labels are checked by ``LabelChecker`` (taxonomy, stored entities), canonical and
  sorted. Setting the labels a signal already has is a ``Conflict``; so is editing a
  retracted signal.
- The first edit also writes version 1, the labels the signal was added with, so the
  history starts where the signal did. Each version names its actor and reason, and
  the proposal it applies or the peer version it was received from.
- An edit moves the signal's ``updated_at`` and with it its ``sync_seq`` (the
  database trigger of migration 0006), so peers receive a new STIX version.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord import audit
from accord.curation.labels import LabelChecker
from accord.curation.signals import Status, owned_signal, signal_records
from accord.errors import Conflict, NotFound
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import Actor
from accord.sharing.service import staff_name
from accord.sharing.visibility import actor_may_see
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database
from accord.store.signals import labels_of


def joined(labels: Sequence[str]) -> str:
    """Labels as stored in one text column."""
    return "\n".join(labels)


def split(text: str) -> tuple[str, ...]:
    """``joined``'s inverse."""
    return tuple(part for part in text.split("\n") if part)


def _version_record(row: m.SignalLabelVersion) -> r.LabelVersion:
    return r.LabelVersion(row.signal_id, row.version, split(row.labels), row.actor, row.reason,
                          row.created_at, row.proposal_id, row.source_version)


def apply_labels(session: Session, actor: Actor, signal: m.Signal, labels: tuple[str, ...],
                 reason: str, *, proposal_id: int | None = None,
                 source_version: str | None = None) -> int:
    """Replace ``signal``'s labels with ``labels`` (canonical, checked) in ``session``,
    record the version, audit it and move the signal's change cursor; the new version
    number. The caller has checked rights and that the labels differ."""
    before = labels_of(session, [signal.id])[signal.id]
    top = session.execute(select(func.max(m.SignalLabelVersion.version))
                          .where(m.SignalLabelVersion.signal_id == signal.id)).scalar_one()
    if top is None:  # the first edit: the labels it was added with are version 1
        session.add(m.SignalLabelVersion(
            signal_id=signal.id, version=1, labels=joined(before), actor=signal.contributor,
            reason="", created_at=signal.created_at))
        top = 1
    now = m.utcnow()
    session.execute(delete(m.SignalLabel).where(m.SignalLabel.signal_id == signal.id))
    session.add_all(m.SignalLabel(signal_id=signal.id, label=label) for label in labels)
    session.add(m.SignalLabelVersion(
        signal_id=signal.id, version=top + 1, labels=joined(labels), actor=actor.name,
        reason=reason, proposal_id=proposal_id, source_version=source_version,
        created_at=now))
    signal.updated_at = now  # the update trigger gives it the next sync_seq
    details: dict[str, object] = {"version": top + 1, "before": list(before),
                                  "labels": list(labels), "reason": reason}
    if proposal_id is not None:
        details["proposal"] = proposal_id
    if source_version is not None:
        details["source_version"] = source_version
    audit.record(session, actor, audit.AuditAction.SIGNAL_LABELS, "signal", signal.id, details)
    session.flush()
    return top + 1


def owned_for_labels(session: Session, actor: Actor, signal_id: int) -> m.Signal:
    """The actor's partner's signal, editable: ``NotFound``, ``PermissionDenied`` or
    ``Conflict`` (retracted) otherwise."""
    row = owned_signal(session, actor, signal_id, "edit this signal's labels")
    if row.status == Status.RETRACTED:
        raise Conflict("signal {signal_id} is retracted; its labels can no longer change",
                       signal_id=signal_id)
    return row


def label_set(db: Database, actor: Actor, signal_id: int, labels: Sequence[str],
              reason: str = "") -> r.Signal:
    """Replace the labels of the actor's partner's signal; the signal as it now is."""
    with db.transaction() as session:
        row = owned_for_labels(session, actor, signal_id)
        wanted = LabelChecker(session).check_all(labels)
        why = checked_text(session, "reason", reason)
        if wanted == labels_of(session, [row.id])[row.id]:
            raise Conflict("signal {signal_id} already has exactly these labels",
                           hint="give at least one label added or removed", signal_id=signal_id)
        apply_labels(session, actor, row, wanted, why)
        return signal_records(session, [row])[0]


def label_history(db: Database, actor: Actor, signal_id: int) -> list[r.LabelVersion]:
    """The versions of a visible signal's labels, oldest first (one, the current labels,
    when they never changed). Other partners' user names read as ``OTHER_STAFF``."""
    with db.reader() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        rows = session.execute(select(m.SignalLabelVersion)
                               .where(m.SignalLabelVersion.signal_id == signal_id)
                               .order_by(m.SignalLabelVersion.version)).scalars().all()
        found = [_version_record(v) for v in rows] or [r.LabelVersion(
            signal.id, 1, labels_of(session, [signal.id])[signal.id], signal.contributor, "",
            signal.created_at)]
        owner = signal.owner_partner_id
    return [_seen(actor, owner, v) for v in found]


def _seen(actor: Actor, owner: int, version: r.LabelVersion) -> r.LabelVersion:
    name = staff_name(actor, owner, version.actor)
    if version.actor.startswith("sync:") or name == version.actor:
        return version
    return replace(version, actor=name)
