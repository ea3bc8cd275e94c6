"""Status versions received from a peer: a quarantine, or the lift of one, applied here.

A signal its owner's partners dispute travels as a new version of its
indicator whose Accord extension says ``status: quarantined``; a lifted
quarantine as a new version saying ``active``. Applied here, each is audited
as a local one is (``signal.quarantine``, ``signal.reactivate``), so the match
engine reloads the signal, with the indicator id and the version
(``modified``) it came from. Those recorded versions are what a later one is
compared with: a version no newer than the last applied changes nothing.

- A quarantined indicator we do not hold yet is stored quarantined, in one
  transaction: it is never matchable, not even for a moment.
- A received active version lifts only a quarantine that came from a peer;
  a quarantine set here (by this node's own disputes) is this node's to lift.
- A retracted signal stays retracted (revoked wins over everything).
- A signal received active has no recorded version (the bulk importer keeps
  none per signal), so the first quarantine of it is always applied: when in
  doubt, stop matching.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.banks import find_bank
from accord.curation.signals import SignalPreparer, Status, insert_signals, storage_key
from accord.exchange.indicator import StixSignal
from accord.exchange.stix_common import parse_stix_time
from accord.sharing.roles import CAN_CURATE, Actor
from accord.store import models as m
from accord.store.database import Database

QUARANTINE, LIFT = audit.AuditAction.SIGNAL_QUARANTINE, audit.AuditAction.SIGNAL_REACTIVATE


class Outcome(StrEnum):
    """What one received status version did."""

    ADDED = "added"  # a new signal, stored quarantined
    QUARANTINED = "quarantined"
    LIFTED = "lifted"
    UNCHANGED = "unchanged"  # already so, retracted, or quarantined by this node
    STALE = "stale"  # no newer than the version already applied


def version_time(text: str | None) -> dt.datetime | None:
    """A STIX ``modified`` as an aware datetime (None when absent or unreadable)."""
    if not text:
        return None
    try:
        return parse_stix_time(text)
    except ValueError:
        return None


def _history(session: Session, signal_id: int) -> tuple[str | None, dt.datetime | None]:
    """The signal's latest status change (was it a received quarantine?) and the newest
    version received for it."""
    rows = session.execute(
        select(m.AuditEvent.action, m.AuditEvent.details)
        .where(m.AuditEvent.object_type == "signal",
               m.AuditEvent.object_id == str(signal_id),
               m.AuditEvent.action.in_((QUARANTINE, LIFT)))
        .order_by(m.AuditEvent.seq.desc())).all()
    latest: str | None = None
    newest: dt.datetime | None = None
    for number, (action, details) in enumerate(rows):
        version = version_time(json.loads(details).get("version"))
        if number == 0:
            latest = f"received {action}" if version is not None else action
        if version is not None and (newest is None or version > newest):
            newest = version
    return latest, newest


def _details(found: StixSignal, source: str) -> dict[str, object]:
    return {"source": source, "stix_id": found.stix_id, "version": found.modified}


def apply_quarantine(db: Database, actor: Actor, bank: int | str, found: StixSignal,
                     source: str, settings: Settings) -> Outcome:
    """Apply a received quarantined version to ``bank``; ``Invalid`` for a bad value."""
    when = version_time(found.modified)
    with db.transaction() as session:
        row = find_bank(session, bank)
        actor.require_partner(row.owner_partner_id, "import signals into this bank")
        actor.require(CAN_CURATE, "import signals")
        prepared = SignalPreparer(session, row, settings).prepare(found.signal,
                                                                  canonical=True)
        signal = session.execute(select(m.Signal).where(
            m.Signal.bank_id == row.id, m.Signal.signal_type == prepared.signal_type,
            m.Signal.value == prepared.key)).scalar_one_or_none()
        if signal is None:
            ((signal_id, _),) = insert_signals(session, row, [prepared], actor.name,
                                               m.utcnow(), status=Status.QUARANTINED.value)
            audit.record(session, actor, audit.AuditAction.SIGNAL_ADD, "signal", signal_id, {
                "bank": row.id, "signal_type": prepared.signal_type, "value": prepared.key,
                "labels": list(prepared.labels), "tlp": prepared.tlp, "source": source})
            audit.record(session, actor, QUARANTINE, "signal", signal_id,
                         _details(found, source))
            return Outcome.ADDED
        if signal.status != Status.ACTIVE:
            return Outcome.UNCHANGED
        _, newest = _history(session, signal.id)
        if newest is not None and (when is None or when <= newest):
            return Outcome.STALE
        signal.status, signal.updated_at = Status.QUARANTINED.value, m.utcnow()
        audit.record(session, actor, QUARANTINE, "signal", signal.id, _details(found, source))
        return Outcome.QUARANTINED


def quarantined_keys(db: Database, bank: int | str) -> dict[tuple[str, str], int]:
    """``bank``'s quarantined signals, ``(type, storage key) -> id``: the ones a received
    active version might lift (usually none, and always few)."""
    with db.reader() as session:
        bank_id = find_bank(session, bank).id
        return {(kind, key): sid for sid, kind, key in session.execute(
            select(m.Signal.id, m.Signal.signal_type, m.Signal.value)
            .where(m.Signal.bank_id == bank_id, m.Signal.status == Status.QUARANTINED.value))}


def may_lift(held: dict[tuple[str, str], int], found: StixSignal) -> bool:
    """A cheap first look: could ``found`` be an active version of a signal in ``held``?"""
    return _key(found) in held


def _key(found: StixSignal) -> tuple[str, str]:
    """``found``'s ``(type, storage key)``: the reader gives the canonical type and value,
    as the held keys are."""
    return found.signal.signal_type, storage_key(found.signal.value)


def apply_lifts(db: Database, actor: Actor, held: dict[tuple[str, str], int],
                received: Sequence[StixSignal], source: str) -> list[Outcome | None]:
    """Lift the peer quarantines (``held``: ``quarantined_keys``) that received active
    versions end; one outcome per version (None: it names no signal in ``held``)."""
    outcomes: list[Outcome | None] = []
    for found in received:
        signal_id = held.get(_key(found))
        outcomes.append(None if signal_id is None else _lift(db, actor, signal_id, found, source))
    return outcomes


def _lift(db: Database, actor: Actor, signal_id: int, found: StixSignal,
          source: str) -> Outcome:
    when = version_time(found.modified)
    with db.transaction() as session:
        signal = session.get_one(m.Signal, signal_id)
        actor.require_partner(signal.owner_partner_id, "import signals into this bank")
        if signal.status != Status.QUARANTINED:
            return Outcome.UNCHANGED
        latest, newest = _history(session, signal.id)
        if latest != f"received {QUARANTINE}":
            return Outcome.UNCHANGED
        if newest is not None and (when is None or when <= newest):
            return Outcome.STALE
        signal.status, signal.updated_at = Status.ACTIVE.value, m.utcnow()
        audit.record(session, actor, LIFT, "signal", signal.id, _details(found, source))
        return Outcome.LIFTED
