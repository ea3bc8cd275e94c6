"""One index per signal type, of the kind the type declares, and the rows that feed them.

:class:`Indexes` holds what the engine searches: for every registered signal
type an index made by :func:`accord.index.registry.new_index` from the type's
``index_kind``, the per-signal metadata columns, and the banks' names and
thresholds. It applies store rows: a row is indexed when the signal is active
and its quality clears the type's ``min_quality``; otherwise it leaves its
index. Nothing here names a signal type: a plug-in type is indexed like a
built-in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.index.protocol import SignalIndex
from accord.index.registry import new_index
from accord.matching.columns import Columns
from accord.signals.pdq_variants import bank_variants
from accord.signals.registry import registry
from accord.store import models as m
from accord.store.signals import canonical_value

Row = Any  # a result row with the attributes named in FIELDS
FIELDS = (m.Signal.id, m.Signal.signal_type, m.Signal.value, m.Signal.payload, m.Signal.quality,
          m.Signal.owner_partner_id, m.Signal.tlp, m.Signal.channel_id, m.Signal.bank_id,
          m.Signal.status)


def active_rows() -> Select[*tuple[Any, ...]]:
    """The rows of every active signal (quality is checked per type in Python)."""
    return select(*FIELDS).where(m.Signal.status == "active")


class Indexes:
    """The searchable state of an engine; writers hold the engine's lock."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.by_type: dict[str, SignalIndex] = {}
        self.min_quality: dict[str, int | None] = {}
        self.columns = Columns()
        self.bank_thresholds: dict[int, int | None] = {}
        self.bank_limits: dict[str, dict[int, int | None]] = {}  # column -> bank -> limit
        self.bank_names: dict[int, str] = {}
        self.bank_variants: dict[str, frozenset[str]] = {}
        self.banks_off: frozenset[int] = frozenset()  # matching switched off: never a hit
        for name in registry():
            self.index(name)

    def index(self, signal_type: str) -> SignalIndex | None:
        """The index of ``signal_type`` (made on first use); ``None`` for an unknown type."""
        found = self.by_type.get(signal_type)
        if found is None:
            cls = registry().get(signal_type)
            if cls is None:
                return None
            found = self.by_type[signal_type] = new_index(cls.index_kind)
            self.min_quality[signal_type] = cls.min_quality(self.settings)
        return found

    def bulk(self) -> ExitStack:
        """Every index in bulk-load mode until the returned context exits."""
        stack = ExitStack()
        for index in self.by_type.values():
            stack.enter_context(index.bulk())
        return stack

    def load_banks(self, session: Session) -> None:
        """Read every bank's name, its own thresholds (the columns types name), its
        query variants (by bank name) and which banks have matching switched off."""
        columns = sorted({"pdq_threshold", *(cls.bank_threshold_column
                                              for cls in registry().values()
                                              if cls.bank_threshold)})
        rows = session.execute(select(m.Bank.id, m.Bank.name, m.Bank.match_variants,
                                      m.Bank.matching_enabled,
                                      *(getattr(m.Bank, c) for c in columns))).all()
        self.banks_off = frozenset(r.id for r in rows if not r.matching_enabled)
        self.bank_limits = {c: {r.id: getattr(r, c) for r in rows} for c in columns}
        self.bank_thresholds = self.bank_limits["pdq_threshold"]
        self.bank_names = {r.id: r.name for r in rows}
        self.bank_variants = {r.name: bank_variants(r.match_variants) for r in rows}

    def limits_of(self, signal_type: str) -> dict[int, int | None]:
        """Each bank's own threshold for ``signal_type`` (empty: the type has none)."""
        cls = registry().get(signal_type)
        if cls is None or not cls.bank_threshold:
            return {}
        return self.bank_limits.get(cls.bank_threshold_column, {})

    def matchable(self, row: Row) -> bool:
        """Whether a signal row belongs in its index: active, of a known type, good enough."""
        if row.status != "active" or self.index(row.signal_type) is None:
            return False
        floor = self.min_quality[row.signal_type]
        return floor is None or row.quality is None or row.quality >= floor

    def apply(self, rows: Sequence[Row], *, fresh: bool = False) -> None:
        """Index the matchable rows and drop the others (``fresh``: nothing to drop)."""
        # matchable() inlined: a bulk load runs this loop once per signal.
        by_type, floors = self.by_type, self.min_quality
        added: dict[str, tuple[list[int], list[str]]] = {}
        kept = []
        for row in rows:
            kind, quality = row.signal_type, row.quality
            if kind not in by_type and self.index(kind) is None:
                continue  # a type no longer installed: nothing indexes it
            floor = floors[kind]
            if row.status != "active" or (floor is not None and quality is not None
                                          and quality < floor):
                if not fresh:
                    self.remove(row.id, kind)
                continue
            kept.append(row)
            batch = added.get(kind)
            if batch is None:
                batch = added[kind] = ([], [])
            batch[0].append(row.id)
            batch[1].append(canonical_value(row))
        for kind, (ids, values) in added.items():
            by_type[kind].add(ids, values)
        put = self.columns.set
        for row in kept:
            put(row.id, row.owner_partner_id, row.tlp, row.channel_id, row.bank_id,
                row.signal_type)

    def remove(self, signal_id: int, signal_type: str | None) -> None:
        """Drop a signal from its index (found from the columns when the type is None)."""
        if signal_type is None:
            meta = self.columns.meta(signal_id)
            signal_type = meta.signal_type if meta else None
        index = self.by_type.get(signal_type) if signal_type else None
        if index is not None:
            index.remove([signal_id])
        self.columns.clear(signal_id)

    def sizes(self) -> dict[str, int]:
        """How many signals each signal type's index holds."""
        return {name: index.size() for name, index in self.by_type.items()}
