"""The change feed: the audit events since a cursor, and the signal rows they touched.

Every change to a signal appends an audit event in the same transaction
(``object_type`` "signal" with the signal's id, or ``signal.import`` with the
batch's id range), and the log's head row is locked until commit, so sequence
order is commit order. :func:`catch_up` reads the events after the cursor and
re-applies just those signals: no full rebuild, and nothing committed is ever
skipped.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit import AuditAction
from accord.matching.indexes import FIELDS, Indexes, Row
from accord.store import models as m
from accord.store.database import Database


@dataclass(frozen=True, slots=True)
class CaughtUp:
    """What one :func:`catch_up` applied."""

    signals: int
    cursor: int
    cursor_hash: str
    actions: list[str]


def catch_up(db: Database, indexes: Indexes, cursor: int, lock: threading.RLock
             ) -> CaughtUp | None:
    """Apply every change committed after ``cursor``; ``None`` when there was none."""
    with db.reader() as session:
        events = session.execute(
            select(m.AuditEvent.seq, m.AuditEvent.action, m.AuditEvent.object_type,
                   m.AuditEvent.object_id, m.AuditEvent.details, m.AuditEvent.hash)
            .where(m.AuditEvent.seq > cursor).order_by(m.AuditEvent.seq)
        ).all()
        if not events:
            return None
        ids, ranges, banks_changed = changed(events)
        rows = list(reload(session, ids, ranges))
        with lock:
            if banks_changed:
                indexes.load_banks(session)
            gone = ids - {r.id for r in rows}
            for signal_id in gone:
                indexes.remove(signal_id, None)
            indexes.apply(rows)
    return CaughtUp(len(rows) + len(gone), events[-1].seq, events[-1].hash,
                    [e.action for e in events])


def changed(events: Sequence[Any]) -> tuple[set[int], list[tuple[int, int, int]], bool]:
    """Signal ids and (bank, first id, last id) ranges that events touched; banks changed?"""
    ids: set[int] = set()
    ranges: list[tuple[int, int, int]] = []
    banks_changed = False
    for event in events:
        if event.object_type == "signal" and event.object_id.isdigit():
            ids.add(int(event.object_id))
        elif event.action == AuditAction.SIGNAL_IMPORT:
            data = json.loads(event.details)
            ranges.append((int(event.object_id), int(data["first_id"]), int(data["last_id"])))
        elif event.object_type == "bank":
            banks_changed = True
    return ids, ranges, banks_changed


def reload(session: Session, ids: set[int], ranges: list[tuple[int, int, int]]
           ) -> Iterator[Row]:
    """Current rows of the changed signals, whatever their status now."""
    id_list = sorted(ids)
    for start in range(0, len(id_list), 10_000):
        yield from session.execute(select(*FIELDS).where(
            m.Signal.id.in_(id_list[start:start + 10_000])))
    for bank_id, first, last in ranges:
        yield from session.execute(select(*FIELDS).where(
            m.Signal.bank_id == bank_id, m.Signal.id.between(first, last)))
