"""The match engine: one in-memory index per signal type, kept current with the store.

:class:`MatchEngine` is the facade the API, CLI and scans use; its jobs live
beside it, none naming a signal type (each type's ``index_kind`` picks its
index, see :mod:`accord.index.registry`):

- :mod:`~accord.matching.indexes`: the per-type indexes and applying store rows
  (only active signals, of sufficient quality for their type, are indexed);
- :mod:`~accord.matching.columns`: per-signal metadata arrays;
- :mod:`~accord.matching.bulk`: the full load from the store;
- :mod:`~accord.matching.snapshot`: saving and reopening a snapshot;
- :mod:`~accord.matching.feed`: catching up through the audit log's change feed;
- :mod:`~accord.matching.lookup`: searches, held to visibility and bank thresholds.

The engine never decides visibility itself: ``lookup`` hands each candidate
to ``accord.sharing.visibility.may_see``.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from accord.audit import GENESIS
from accord.config import Settings
from accord.errors import Invalid
from accord.index.protocol import Candidate
from accord.matching import bulk, feed, lookup, snapshot
from accord.matching.columns import Columns, SignalMeta
from accord.matching.indexes import Indexes
from accord.matching.lookup import Hit
from accord.matching.snapshot import SNAPSHOT_META, SNAPSHOT_VERSION, snapshot_folder
from accord.sharing.visibility import Viewer
from accord.store.database import Database

__all__ = ["SNAPSHOT_META", "SNAPSHOT_VERSION", "Hit", "MatchEngine", "SignalMeta",
           "snapshot_folder"]


class MatchEngine:
    """Indexes of all matchable signals of one node; thread-safe."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings
        self.indexes = Indexes(settings)
        self.cursor = 0
        self.cursor_hash = GENESIS
        # Called with the actions of every batch of events refresh() applies, so caches
        # elsewhere (API keys, channel memberships) follow the same change feed.
        self.listeners: list[Callable[[list[str]], None]] = []
        self._lock = threading.RLock()

    @property
    def columns(self) -> Columns:
        """Per-signal metadata of the indexed signals."""
        return self.indexes.columns

    @property
    def bank_names(self) -> dict[int, str]:
        """Bank names by id."""
        return self.indexes.bank_names

    @property
    def bank_thresholds(self) -> dict[int, int | None]:
        """Each bank's own PDQ threshold (None: the node's)."""
        return self.indexes.bank_thresholds

    @property
    def bank_variants(self) -> dict[str, frozenset[str]]:
        """Each bank's query variants, by bank name (see :mod:`accord.matching.variants`)."""
        return self.indexes.bank_variants

    @classmethod
    def load(cls, db: Database, settings: Settings) -> MatchEngine:
        """Build every index from the store (each in one bulk build)."""
        engine = cls(db, settings)
        engine.indexes, engine.cursor, engine.cursor_hash = bulk.bulk_load(db, settings)
        return engine

    @classmethod
    def open(cls, db: Database, settings: Settings) -> MatchEngine:
        """The snapshot in ``settings.home/index`` brought up to date, else a full load."""
        folder = snapshot_folder(settings)
        if (folder / SNAPSHOT_META).exists():
            try:
                engine = cls.from_snapshot(db, settings, folder)
            except Invalid:
                return cls.load(db, settings)
            engine.refresh()
            return engine
        return cls.load(db, settings)

    def save(self, folder: Path) -> None:
        """Write a snapshot (see :mod:`accord.matching.snapshot`)."""
        with self._lock:
            snapshot.save(self.indexes, self.cursor, self.cursor_hash, folder)

    @classmethod
    def from_snapshot(cls, db: Database, settings: Settings, folder: Path) -> MatchEngine:
        """An engine as a snapshot left it (call ``refresh`` to catch up with the store)."""
        engine = cls(db, settings)
        engine.indexes, engine.cursor, engine.cursor_hash = snapshot.load(db, settings, folder)
        return engine

    def pdq_arrays(self, signal_type: str | None = None
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
        """Ids and hashes of every matchable signal of ``signal_type`` (default: every type
        of the ``hamming256`` index kind), read from the store (scan workers)."""
        types = [signal_type] if signal_type is not None else bulk.hamming_types()
        return bulk.hamming_arrays(self.db, self.settings, types)

    def refresh(self) -> int:
        """Apply every change committed since the last refresh; returns how many signals."""
        caught = feed.catch_up(self.db, self.indexes, self.cursor, self._lock)
        if caught is None:
            return 0
        self.cursor, self.cursor_hash = caught.cursor, caught.cursor_hash
        for listener in self.listeners:
            listener(caught.actions)
        return caught.signals

    def lookup(self, viewer: Viewer, signal_type: str, value: str,
               threshold: int | None = None) -> list[Hit]:
        """Signals matching a canonical value that ``viewer`` may see."""
        with self._lock:
            return lookup.lookup(self.indexes, self.settings, viewer, signal_type, value,
                                 threshold)

    def lookup_many(self, viewer: Viewer, signal_type: str, values: Sequence[str],
                    threshold: int | None = None, threads: int | None = None
                    ) -> list[list[Hit]]:
        """``lookup`` for many canonical values of one type; batch kinds use every core given."""
        with self._lock:
            return lookup.lookup_many(self.indexes, self.settings, viewer, signal_type, values,
                                      threshold, threads)

    def visible_hits(self, viewer: Viewer, kind: str,
                     found: Sequence[Candidate], threshold: int | None) -> list[Hit]:
        """Keep the candidates ``viewer`` may see and whose bank's threshold they meet
        (``kind``: the signal type's name)."""
        return lookup.visible_hits(self.indexes, viewer, kind, found, threshold)

    def widest_pdq(self, limit: int, signal_type: str | None = None) -> int:
        """The radius to search so that every bank's own threshold (of the type; PDQ's by
        default) is covered."""
        return lookup.widest(self.indexes, limit, signal_type)

    def size(self) -> dict[str, int]:
        """How many signals each signal type's index holds."""
        with self._lock:
            return self.indexes.sizes()
