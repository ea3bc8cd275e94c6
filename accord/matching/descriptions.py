"""A per-worker cache of matched-signal descriptions (the node holds one).

Describing a hit (its value, bank, labels) costs two queries; platforms see
the same propaganda over and over, so the same few signals are described again
and again. Entries are dropped whenever the audit feed shows a change that can
alter a description (retraction, quarantine, labels, banks); new signals do
not invalidate anything.

It is a ``Describer`` for ``accord.matching.service.match_values``; callers
without one (the CLI) read the store each time.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from accord.audit import AuditAction
from accord.matching.engine import Hit
from accord.matching.service import MatchedSignal, describe
from accord.store.database import Database

_STALE = AuditAction.of("bank", "entity") | {
    AuditAction.SIGNAL_RETRACT, AuditAction.SIGNAL_QUARANTINE, AuditAction.SIGNAL_REACTIVATE}


class DescriptionCache:
    """signal id -> ``MatchedSignal`` (distance 0), least recently used first out."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[int, MatchedSignal] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, db: Database, hits: Sequence[Hit]) -> tuple[MatchedSignal, ...]:
        """Descriptions of ``hits``: from the cache when all are there, else the store."""
        found = self.cached(hits)
        return found if found is not None else self.describe(db, hits)

    def cached(self, hits: Sequence[Hit]) -> tuple[MatchedSignal, ...] | None:
        """Descriptions of every hit if all are cached, else None."""
        out = []
        with self._lock:
            for hit in hits:
                found = self._items.get(hit.signal_id)
                if found is None:
                    return None
                self._items.move_to_end(hit.signal_id)
                out.append(replace(found, distance=hit.distance))
        return tuple(out)

    def describe(self, db: Database, hits: Sequence[Hit]) -> tuple[MatchedSignal, ...]:
        """Descriptions of ``hits`` from the store, then kept."""
        found = describe(db, hits)
        with self._lock:
            for item in found:
                self._items[item.signal_id] = replace(item, distance=0)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return found

    def on_events(self, actions: list[str]) -> None:
        """Drop everything when a change may have altered a description."""
        if any(a in _STALE for a in actions):
            with self._lock:
                self._items.clear()
