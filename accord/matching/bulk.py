"""Bulk load: every index built from the store in one pass over the active signals.

The audit head is read first, in the same read transaction: whatever commits
after it is replayed by the change feed, so nothing is missed. Each index is in
bulk mode for the pass (the PDQ index builds its segment once at the end).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from accord.config import Settings
from accord.index.hamming import HammingIndex, codes_of
from accord.matching.indexes import Indexes, active_rows
from accord.signals.registry import registry
from accord.store import models as m
from accord.store.database import Database

BATCH = 100_000


def bulk_load(db: Database, settings: Settings) -> tuple[Indexes, int, str]:
    """Indexes of every matchable signal, with the audit position they reflect."""
    indexes = Indexes(settings)
    with db.reader() as session:
        head = session.execute(select(m.AuditHead.seq, m.AuditHead.hash)).one()
        indexes.load_banks(session)
        after = 0
        with indexes.bulk():
            while rows := session.execute(active_rows().where(m.Signal.id > after)
                                          .order_by(m.Signal.id).limit(BATCH)).all():
                after = rows[-1].id
                indexes.apply(rows, fresh=True)
    return indexes, head.seq, head.hash


def hamming_types() -> list[str]:
    """The registered signal types matched by the ``hamming256`` index kind."""
    return [name for name, cls in registry().items() if cls.index_kind == HammingIndex.kind]


def hamming_arrays(db: Database, settings: Settings, signal_types: list[str]
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Ids and 32-byte codes of the matchable signals of ``signal_types``, from the store
    (for scan workers and GPU searchers that hold their own copy)."""
    ids: list[npt.NDArray[np.int64]] = []
    codes: list[npt.NDArray[np.uint8]] = []
    with db.reader() as session:
        for name in signal_types:
            query = select(m.Signal.id, m.Signal.value).where(
                m.Signal.status == "active", m.Signal.signal_type == name)
            floor = registry()[name].min_quality(settings)
            if floor is not None:
                query = query.where(m.Signal.quality.is_(None) | (m.Signal.quality >= floor))
            after = 0
            while rows := session.execute(query.where(m.Signal.id > after)
                                          .order_by(m.Signal.id).limit(BATCH)).all():
                after = rows[-1].id
                ids.append(np.fromiter((r.id for r in rows), np.int64, len(rows)))
                codes.append(codes_of([r.value for r in rows]))
    if not ids:
        return np.zeros(0, np.int64), np.zeros((0, 32), np.uint8)
    return np.concatenate(ids), np.concatenate(codes)
