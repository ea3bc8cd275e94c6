"""The match engine: in-memory indexes of every matchable signal, kept current.

One index per kind of signal type: exact dictionaries (md5, sha256, url), the
exact PDQ radius index, the video frame index and a TLSH scan. Only active
signals are indexed (and PDQ ones of sufficient quality); retracted and
quarantined ones leave the index.

Staying current uses the audit log as the change feed. Every change to a
signal appends an audit event in the same transaction (``object_type``
"signal" with the signal's id, or ``signal.import`` with the batch's id
range), and the log's head row is locked until commit, so sequence order is
commit order. ``refresh`` reads the events after its cursor and reloads just
those signals: no full rebuild, and nothing committed is ever skipped.

The engine never decides visibility itself: ``lookup`` hands each candidate
to ``accord.sharing.visibility.may_see``.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord.audit import GENESIS
from accord.config import Settings
from accord.errors import Invalid
from accord.index.pdq import PdqIndex
from accord.matching.exact import ExactIndex
from accord.matching.tlsh_index import TlshIndex
from accord.matching.video_index import VideoIndex
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Viewer, may_see
from accord.signals import get_signal_type
from accord.store import models as m
from accord.store.database import Database

EXACT_TYPES = ("md5", "sha256", "url")
SNAPSHOT_VERSION = 1
SNAPSHOT_META = "engine.json"


def snapshot_folder(settings: Settings) -> Path:
    """Where the node keeps its match index snapshot."""
    return settings.home / "index"

_TLPS = tuple(t.value for t in Tlp)
_LOAD_BATCH = 100_000


@dataclass(frozen=True, slots=True)
class SignalMeta:
    """What visibility and results need of an indexed signal."""

    owner_partner_id: int
    tlp: str
    channel_id: int | None
    bank_id: int
    signal_type: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A visible signal matching a query, at a distance (0 for exact types)."""

    signal_id: int
    distance: int
    bank_id: int


class _Columns:
    """Per-signal metadata in arrays indexed by signal id: about 14 bytes a signal."""

    def __init__(self) -> None:
        self.owner = np.zeros(0, dtype=np.int32)
        self.channel = np.zeros(0, dtype=np.int32)   # 0: no channel (ids start at 1)
        self.bank = np.zeros(0, dtype=np.int32)
        self.tlp = np.full(0, -1, dtype=np.int8)     # -1: not indexed
        self.kind = np.zeros(0, dtype=np.int8)
        self.kinds: list[str] = []

    def _grow(self, top: int) -> None:
        if top < len(self.owner):
            return
        size = max(top + 1, 2 * len(self.owner), 1024)
        for name in ("owner", "channel", "bank", "kind"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        tlp = np.full(size, -1, dtype=np.int8)
        tlp[: len(self.tlp)] = self.tlp
        self.tlp = tlp

    def set(self, signal_id: int, owner: int, tlp: str, channel: int | None, bank: int,
            kind: str) -> None:
        self._grow(signal_id)
        if kind not in self.kinds:
            self.kinds.append(kind)
        self.owner[signal_id], self.channel[signal_id] = owner, channel or 0
        self.bank[signal_id], self.tlp[signal_id] = bank, _TLPS.index(tlp)
        self.kind[signal_id] = self.kinds.index(kind)

    def clear(self, signal_id: int) -> None:
        if signal_id < len(self.tlp):
            self.tlp[signal_id] = -1

    def meta(self, signal_id: int) -> SignalMeta | None:
        if signal_id >= len(self.tlp) or self.tlp[signal_id] < 0:
            return None
        channel = int(self.channel[signal_id])
        return SignalMeta(int(self.owner[signal_id]), _TLPS[self.tlp[signal_id]],
                          channel or None, int(self.bank[signal_id]),
                          self.kinds[self.kind[signal_id]])


class MatchEngine:
    """Indexes of all matchable signals of one node; thread-safe."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings
        self.pdq = PdqIndex()
        self.exact = {name: ExactIndex() for name in EXACT_TYPES}
        self.tlsh, self.video = TlshIndex(), VideoIndex()
        self.columns = _Columns()
        self.bank_thresholds: dict[int, int | None] = {}
        self.bank_names: dict[int, str] = {}
        self.cursor = 0
        self.cursor_hash = GENESIS
        # Called with the actions of every batch of events refresh() applies, so caches
        # elsewhere (API keys, channel memberships) follow the same change feed.
        self.listeners: list[Callable[[list[str]], None]] = []
        self._lock = threading.RLock()

    @classmethod
    def load(cls, db: Database, settings: Settings) -> MatchEngine:
        """Build every index from the store (PDQ in one bulk build)."""
        engine = cls(db, settings)
        with db.reader() as session:
            # Read the cursor first: anything committed after it is replayed by refresh().
            head = session.execute(select(m.AuditHead.seq, m.AuditHead.hash)).one()
            engine.cursor, engine.cursor_hash = head.seq, head.hash
            engine._load_banks(session)
            pdq_ids: list[np.ndarray] = []
            pdq_hashes: list[np.ndarray] = []
            after = 0
            while rows := session.execute(_active_rows().where(m.Signal.id > after)
                                          .order_by(m.Signal.id).limit(_LOAD_BATCH)).all():
                after = rows[-1].id
                pdq_rows = [r for r in rows if r.signal_type == "pdq" and engine._pdq_ok(r)]
                if pdq_rows:
                    pdq_ids.append(np.fromiter((r.id for r in pdq_rows), np.int64,
                                               len(pdq_rows)))
                    pdq_hashes.append(np.frombuffer(
                        bytes.fromhex("".join(r.value for r in pdq_rows)), np.uint8
                    ).reshape(-1, 32))
                for r in rows:
                    if r.signal_type == "pdq":
                        if engine._pdq_ok(r):
                            engine._set_meta(r)
                    else:
                        engine._upsert(r)
        if pdq_ids:
            engine.pdq = PdqIndex.build(np.concatenate(pdq_ids), np.concatenate(pdq_hashes))
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
        """Write a snapshot: PDQ arrays as the index saves them, the rest as JSON and .npy."""
        staging = folder.with_name(folder.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with self._lock:
            self.pdq.save(staging / "pdq")
            cols = self.columns
            for name in ("owner", "channel", "bank", "tlp", "kind"):
                np.save(staging / f"{name}.npy", getattr(cols, name))
            other = {
                "version": SNAPSHOT_VERSION, "cursor": self.cursor,
                "cursor_hash": self.cursor_hash, "kinds": cols.kinds,
                "exact": {k: idx.items() for k, idx in self.exact.items()},
                "text_tlsh": self.tlsh.items(), "video_pdq": self.video.items(),
            }
            (staging / SNAPSHOT_META).write_text(json.dumps(other))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def from_snapshot(cls, db: Database, settings: Settings, folder: Path) -> MatchEngine:
        """An engine as a snapshot left it (call ``refresh`` to catch up with the store)."""
        try:
            meta = json.loads((folder / SNAPSHOT_META).read_text())
        except (OSError, ValueError) as exc:
            raise Invalid(f"the index snapshot in {folder} cannot be read: {exc}") from None
        if not isinstance(meta, dict) or meta.get("version") != SNAPSHOT_VERSION:
            raise Invalid(f"the index snapshot in {folder} is of an unknown version",
                          hint="rebuild it with: accord index build")
        cursor, cursor_hash = int(meta["cursor"]), str(meta["cursor_hash"])
        with db.reader() as session:
            stored = session.execute(select(m.AuditEvent.hash).where(m.AuditEvent.seq == cursor)
                                     ).scalar_one_or_none() if cursor else GENESIS
        if stored != cursor_hash:
            # Another database, or this one restored from a backup: the snapshot's
            # position in the audit chain is not this store's.
            raise Invalid(f"the index snapshot in {folder} was taken from another database")
        engine = cls(db, settings)
        engine.pdq = PdqIndex.load(folder / "pdq", mmap=True)
        for name in ("owner", "channel", "bank", "tlp", "kind"):
            setattr(engine.columns, name, np.load(folder / f"{name}.npy"))
        engine.columns.kinds = list(meta["kinds"])
        for kind, items in meta["exact"].items():
            for signal_id, value in items:
                engine.exact[kind].add(int(signal_id), value)
        for signal_id, value in meta["text_tlsh"]:
            engine.tlsh.add(int(signal_id), value)
        for signal_id, value in meta["video_pdq"]:
            engine.video.add(int(signal_id), value)
        engine.cursor, engine.cursor_hash = cursor, cursor_hash
        with db.reader() as session:
            engine._load_banks(session)
        return engine

    def pdq_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Ids and hashes of every matchable PDQ signal, read from the store (scan workers)."""
        ids: list[np.ndarray] = []
        hashes: list[np.ndarray] = []
        after = 0
        with self.db.reader() as session:
            query = select(m.Signal.id, m.Signal.value).where(
                m.Signal.status == "active", m.Signal.signal_type == "pdq",
                (m.Signal.quality.is_(None)) | (m.Signal.quality >= self.settings.pdq_min_quality))
            while rows := session.execute(query.where(m.Signal.id > after).order_by(m.Signal.id)
                                          .limit(_LOAD_BATCH)).all():
                after = rows[-1].id
                ids.append(np.fromiter((r.id for r in rows), np.int64, len(rows)))
                hashes.append(np.frombuffer(bytes.fromhex("".join(r.value for r in rows)),
                                            np.uint8).reshape(-1, 32))
        if not ids:
            return np.zeros(0, np.int64), np.zeros((0, 32), np.uint8)
        return np.concatenate(ids), np.concatenate(hashes)

    def refresh(self) -> int:
        """Apply every change committed since the last refresh; returns how many signals."""
        with self.db.reader() as session:
            events = session.execute(
                select(m.AuditEvent.seq, m.AuditEvent.action, m.AuditEvent.object_type,
                       m.AuditEvent.object_id, m.AuditEvent.details, m.AuditEvent.hash)
                .where(m.AuditEvent.seq > self.cursor).order_by(m.AuditEvent.seq)
            ).all()
            if not events:
                return 0
            ids, ranges, banks_changed = _changed(events)
            rows = list(_reload(session, ids, ranges))
            with self._lock:
                if banks_changed:
                    self._load_banks(session)
                seen = {r.id for r in rows}
                for signal_id in ids - seen:
                    self._remove(signal_id, None)
                self._apply(rows)
                self.cursor, self.cursor_hash = events[-1].seq, events[-1].hash
            actions = [e.action for e in events]
            for listener in self.listeners:
                listener(actions)
            return len(rows) + len(ids - seen)

    def lookup(self, viewer: Viewer | None, signal_type: str, value: str,
               threshold: int | None = None) -> list[Hit]:
        """Signals matching a canonical value that ``viewer`` may see (None: everything)."""
        kind, limit = self._limit(signal_type, threshold)
        with self._lock:
            return self.visible_hits(viewer, kind, self._candidates(kind, value, limit), threshold)

    def lookup_many(self, viewer: Viewer | None, signal_type: str, values: Sequence[str],
                    threshold: int | None = None, threads: int | None = None
                    ) -> list[list[Hit]]:
        """``lookup`` for many canonical values of one type; PDQ uses every core given."""
        kind, limit = self._limit(signal_type, threshold)
        with self._lock:
            if kind != "pdq" or not values:
                return [self.visible_hits(viewer, kind, self._candidates(kind, v, limit),
                                          threshold) for v in values]
            queries = np.frombuffer(bytes.fromhex("".join(values)), np.uint8).reshape(-1, 32)
            counts, ids, dists = self.pdq.search_batch(queries, self.widest_pdq(limit),
                                                       threads=threads)
            # Most queries of a large batch match nothing: only those with hits
            # cost more than an empty list.
            results: list[list[Hit]] = [[] for _ in values]
            ends = np.cumsum(counts, dtype=np.int64)
            all_ids, all_dists = ids.tolist(), dists.tolist()
            for i in np.flatnonzero(counts).tolist():
                hi = int(ends[i])
                lo = hi - int(counts[i])
                results[i] = self.visible_hits(
                    viewer, kind, list(zip(all_ids[lo:hi], all_dists[lo:hi], strict=True)),
                    threshold)
            return results

    def visible_hits(self, viewer: Viewer | None, kind: str,
                     found: Sequence[tuple[int, int]], threshold: int | None) -> list[Hit]:
        """Keep the candidates ``viewer`` may see and whose bank's threshold they meet."""
        hits = []
        for signal_id, distance in found:
            meta = self.columns.meta(signal_id)
            if meta is None or (viewer is not None and not may_see(viewer, meta)):
                continue
            bank_limit = self.bank_thresholds.get(meta.bank_id)
            if kind == "pdq" and threshold is None and bank_limit is not None \
                    and distance > bank_limit:
                continue
            hits.append(Hit(signal_id, distance, meta.bank_id))
        return hits

    def widest_pdq(self, limit: int) -> int:
        """The PDQ radius to search so that every bank's own threshold is covered."""
        return max([limit, *(t for t in self.bank_thresholds.values() if t is not None)])

    def _limit(self, signal_type: str, threshold: int | None) -> tuple[str, int]:
        kind = get_signal_type(signal_type)
        if threshold is not None:
            return kind.name, threshold
        if kind.name == "pdq":
            return kind.name, self.settings.pdq_match_threshold
        return kind.name, kind.default_threshold

    def _candidates(self, kind: str, value: str, limit: int) -> list[tuple[int, int]]:
        if kind in self.exact:
            return [(i, 0) for i in self.exact[kind].search(value)]
        if kind == "pdq":
            ids, distances = self.pdq.search(bytes.fromhex(value), self.widest_pdq(limit))
            return list(zip(ids.tolist(), distances.tolist(), strict=True))
        if kind == "text_tlsh":
            return self.tlsh.search(value, limit)
        if kind == "video_pdq":
            return self.video.search(value, limit)
        return []

    def size(self) -> dict[str, int]:
        """How many signals each index holds."""
        with self._lock:
            sizes = {name: len(index) for name, index in self.exact.items()}
            sizes.update(pdq=len(self.pdq), text_tlsh=len(self.tlsh), video_pdq=len(self.video))
            return sizes

    # --- applying store rows ------------------------------------------------------

    def _load_banks(self, session: Session) -> None:
        rows = session.execute(select(m.Bank.id, m.Bank.name, m.Bank.pdq_threshold)).all()
        self.bank_thresholds = {r.id: r.pdq_threshold for r in rows}
        self.bank_names = {r.id: r.name for r in rows}

    def _pdq_ok(self, row: _Row) -> bool:
        return row.quality is None or row.quality >= self.settings.pdq_min_quality

    def _set_meta(self, row: _Row) -> None:
        self.columns.set(row.id, row.owner_partner_id, row.tlp, row.channel_id, row.bank_id,
                         row.signal_type)

    def _apply(self, rows: Sequence[_Row]) -> None:
        pdq_add = [r for r in rows if r.signal_type == "pdq" and r.status == "active"
                   and self._pdq_ok(r)]
        for r in rows:
            if r.status != "active" or (r.signal_type == "pdq" and not self._pdq_ok(r)):
                self._remove(r.id, r.signal_type)
            elif r.signal_type != "pdq":
                self._upsert(r)
        if pdq_add:
            self.pdq.add(np.asarray([r.id for r in pdq_add], dtype=np.int64),
                         np.frombuffer(bytes.fromhex("".join(r.value for r in pdq_add)),
                                       np.uint8).reshape(-1, 32))
            for r in pdq_add:
                self._set_meta(r)

    def _upsert(self, row: _Row) -> None:
        value = row.payload or row.value
        if row.signal_type in self.exact:
            self.exact[row.signal_type].add(row.id, value)
        elif row.signal_type == "text_tlsh":
            self.tlsh.add(row.id, value)
        elif row.signal_type == "video_pdq":
            self.video.add(row.id, value)
        else:
            return
        self._set_meta(row)

    def _remove(self, signal_id: int, kind: str | None) -> None:
        meta = self.columns.meta(signal_id)
        kind = kind or (meta.signal_type if meta else None)
        if kind == "pdq":
            self.pdq.remove(np.asarray([signal_id], dtype=np.int64))
        elif kind in self.exact:
            self.exact[kind].remove(signal_id)
        elif kind == "text_tlsh":
            self.tlsh.remove(signal_id)
        elif kind == "video_pdq":
            self.video.remove(signal_id)
        self.columns.clear(signal_id)


_Row = Any  # a result row with the attributes named in _FIELDS
_FIELDS = (m.Signal.id, m.Signal.signal_type, m.Signal.value, m.Signal.payload, m.Signal.quality,
           m.Signal.owner_partner_id, m.Signal.tlp, m.Signal.channel_id, m.Signal.bank_id,
           m.Signal.status)


def _active_rows() -> Select[*tuple[Any, ...]]:
    return select(*_FIELDS).where(m.Signal.status == "active")


def _changed(events: Sequence[Any]) -> tuple[set[int], list[tuple[int, int, int]], bool]:
    """Signal ids and (bank, first id, last id) ranges that events touched; banks changed?"""
    ids: set[int] = set()
    ranges: list[tuple[int, int, int]] = []
    banks_changed = False
    for event in events:
        if event.object_type == "signal" and event.object_id.isdigit():
            ids.add(int(event.object_id))
        elif event.action == "signal.import":
            data = json.loads(event.details)
            ranges.append((int(event.object_id), int(data["first_id"]), int(data["last_id"])))
        elif event.object_type == "bank":
            banks_changed = True
    return ids, ranges, banks_changed


def _reload(session: Session, ids: set[int], ranges: list[tuple[int, int, int]]
            ) -> Iterator[_Row]:
    """Current rows of the changed signals, whatever their status now."""
    id_list = sorted(ids)
    for start in range(0, len(id_list), 10_000):
        yield from session.execute(select(*_FIELDS).where(
            m.Signal.id.in_(id_list[start:start + 10_000])))
    for bank_id, first, last in ranges:
        yield from session.execute(select(*_FIELDS).where(
            m.Signal.bank_id == bank_id, m.Signal.id.between(first, last)))
