"""Label versions received from a peer: a newer indicator version's labels replace ours.

An owner's label edit travels as a new version of its indicator (a later
``modified``, ``accord.curation.label_edits``). Received, its labels replace
those of the bank's copy through ``apply_labels``: a version of the copy's
labels recording the peer's ``modified`` (``source_version``), audited as a
local edit is. A version no newer than the last one applied changes nothing, so
an old page fetched again never undoes an edit; labels this node cannot check
(an entity it does not hold) leave the copy as it is. Retracted copies stay so.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.curation.banks import find_bank
from accord.curation.label_edits import apply_labels
from accord.curation.labels import LabelChecker
from accord.curation.signals import Status, storage_key
from accord.errors import Invalid
from accord.exchange.indicator import StixSignal
from accord.exchange.taxii.status import version_time
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from accord.store.signals import labels_of

_CHUNK = 5000


def _held(session: Session, bank_id: int,
          received: Sequence[StixSignal]) -> dict[tuple[str, str], int]:
    """The ids of the bank's unretracted signals that ``received`` versions name, by
    (type, key): two columns, as a page of a bulk import names thousands."""
    by_type: dict[str, list[str]] = {}
    for found in received:
        by_type.setdefault(found.signal.signal_type, []).append(storage_key(found.signal.value))
    held: dict[tuple[str, str], int] = {}
    for kind, keys in by_type.items():
        for start in range(0, len(keys), _CHUNK):
            for signal_id, key in session.execute(select(m.Signal.id, m.Signal.value).where(
                    m.Signal.bank_id == bank_id, m.Signal.signal_type == kind,
                    m.Signal.value.in_(keys[start:start + _CHUNK]),
                    m.Signal.status != Status.RETRACTED.value)).all():
                held[(kind, key)] = signal_id
    return held


def _newer(session: Session, signal_id: int, modified: str | None) -> bool:
    """Is ``modified`` later than every peer version applied to the signal's labels?"""
    when = version_time(modified)
    if when is None:
        return False
    applied = session.execute(select(m.SignalLabelVersion.source_version).where(
        m.SignalLabelVersion.signal_id == signal_id,
        m.SignalLabelVersion.source_version.is_not(None))).scalars().all()
    times = [t for t in (version_time(v) for v in applied) if t is not None]
    return not times or when > max(times)


def apply_label_versions(db: Database, actor: Actor, bank: int | str,
                         received: Sequence[StixSignal], source: str) -> int:
    """Apply the labels of ``received`` active versions to the bank's copies whose labels
    differ and that they are newer for; how many copies were relabelled."""
    if not received:
        return 0
    changed = 0
    with db.transaction() as session:
        row = find_bank(session, bank)
        held = _held(session, row.id, received)
        if not held:
            return 0
        current = labels_of(session, list(held.values()))
        checker = LabelChecker(session)
        for found in received:
            signal_id = held.get((found.signal.signal_type, storage_key(found.signal.value)))
            if signal_id is None:
                continue
            try:
                wanted = checker.check_all(found.signal.labels)
            except Invalid:
                continue
            if wanted == current[signal_id] or not _newer(session, signal_id, found.modified):
                continue
            actor.require_partner(row.owner_partner_id, "import signals into this bank")
            apply_labels(session, actor, session.get_one(m.Signal, signal_id), wanted,
                         f"received from {source}"[:4000], source_version=found.modified)
            current[signal_id] = wanted
            changed += 1
    return changed
