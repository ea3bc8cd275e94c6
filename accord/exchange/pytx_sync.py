"""Pulling an exchange peer: pytx's ``fetch_iter`` pages into the peer's bank.

Each page (a pytx ``FetchDelta``) is merged with the API's own
``naive_fetch_merge``/``fetch_value_merge`` and converted with its
``naive_convert_to_signal_type``; then every value is checked as hostile input
(the pytx type's ``validate_signal_str``, Accord's type, degenerate hashes,
quality where the record gives one). A record that fails is skipped *and*
written to the peer's skip ledger (``peer_skips``) with the reason; the rest of
the page is stored, with provenance (``exchange_records``: the record key,
owners, tags, opinions), labels through the peer's tag mapping (tags it does
not map stay in provenance only), the peer's TLP and channel. A record that
became None in the merged delta (deleted upstream) retracts its signals.

The checkpoint moves only after a page is stored. A page the client cannot
read (an exception out of ``fetch_iter``: truncated JSON, an HTTP error, a
stall past ``sync_timeout_seconds``) stops this peer with the reason and holds
the checkpoint; a checkpoint earlier than the one held (time going back) is
refused the same way, its page unstored. A flood (a run past ``flood_factor``
times the median volume of the peer's recent runs, or past ``flood_cap``
records) lands quarantined from the page that crosses the line on.
"""

from __future__ import annotations

import hashlib
import json
import queue
import re
import statistics
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import delete, select, update
from threatexchange.exchanges.clients.ncmec.hash_api import NCMECEntryUpdate
from threatexchange.exchanges.fetch_state import (
    AggregateSignalOpinionCategory,
    FetchCheckpointBase,
    FetchDelta,
)
from threatexchange.exchanges.impl import ncmec_api

from accord import audit
from accord.config import Settings
from accord.curation.signals import (
    PreparedSignal,
    SignalInput,
    SignalPreparer,
    Status,
    insert_signals,
    signal_retract,
    storage_key,
)
from accord.errors import AccordError, Invalid, trimmed
from accord.exchange import pytx_peers
from accord.exchange.formats.hma import PYTX_TO_ACCORD
from accord.exchange.peer_client import describe
from accord.sharing.roles import Actor
from accord.signals import InvalidSignal, get_signal_type
from accord.signals.degenerate import degenerate_reason
from accord.store import models as m
from accord.store.bulk import append_rows, utc_for_driver
from accord.store.database import Database

DEFAULT_FLOOD_FACTOR = 10
DEFAULT_FLOOD_CAP = 1_000_000
FLOOD_HISTORY = 20  # runs whose volumes make the median
FLOOD_MIN_HISTORY = 3  # fewer runs than this: only the cap applies
_PROVENANCE = ("peer_id", "record_key", "signal_id", "exchange", "owners", "tags",
               "unmapped_tags", "opinions", "updated_at")
_TOKEN = re.compile(r"(access_token|key|token)=[^&\s]+", re.IGNORECASE)
# pytx derives a type's name from its class name with regular expressions on every call:
# looked up once here, as every record asks.
_TYPES_BY_NAME = {t.get_name(): t for t in pytx_peers.SIGNAL_TYPES}


def _type_name(s_type: type[Any]) -> str:
    for name, known in _TYPES_BY_NAME.items():
        if known is s_type:
            return name
    return str(s_type.get_name())


class ExchangeStopped(Invalid):
    """The exchange sent something that stops this peer's run (the checkpoint is held)."""

    title = "Exchange peer stopped"


@dataclass
class Outcome:
    """What one run did (the caller copies it into its ``SyncReport``)."""

    pages: int = 0
    received: int = 0
    added: int = 0
    duplicates: int = 0
    retracted: int = 0
    quarantined: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Signal:
    """One record's signal, checked, with its provenance."""

    key: str
    signal_type: str
    value: str
    labels: tuple[str, ...]
    unmapped: tuple[str, ...]
    owners: tuple[str, ...]
    opinions: tuple[dict[str, object], ...]
    negative: bool
    quality: int | None = None


def record_key(key: object) -> str:
    """The text form of a pytx record key (``HASH_PDQ:ab12...`` for a (type, value) key)."""
    text = ":".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
    return text[:500]


def _owner(opinion: object) -> str | None:
    for attr in ("owner_app_id", "esp_id", "source"):
        value = getattr(opinion, attr, None)
        if value not in (None, ""):
            return str(value)
    return None


def _opinion(opinion: Any) -> dict[str, object]:
    """An upstream opinion as provenance keeps it; a ThreatExchange one with its descriptor
    id, which write-back reacts to (``accord.curation.writeback.upstream_ids``)."""
    kept: dict[str, object] = {"category": opinion.category.name,
                               "is_mine": bool(opinion.is_mine), "owner": _owner(opinion),
                               "tags": sorted(opinion.tags or ())}
    descriptor = getattr(opinion, "descriptor_id", None)
    if isinstance(descriptor, int):
        kept["descriptor_id"] = descriptor
    return kept


def _owners(meta: Any, opinions: list[Any]) -> tuple[str, ...]:
    """Who upstream holds an opinion on the record (StopNCII names them on its feedbacks)."""
    named = {o for o in map(_owner, opinions) if o}
    named.update(str(f.source) for f in getattr(meta, "feedbacks", ()) or ()
                 if getattr(f, "source", ""))
    return tuple(sorted(named))


class ExchangeRun:
    """One pull of one exchange peer."""

    def __init__(self, db: Database, settings: Settings, peer: m.Peer) -> None:
        self.db, self.settings = db, settings
        self.peer_id, self.name, self.bank_id = peer.id, peer.name, peer.bank_id
        self.channel_id, self.tlp = peer.channel_id, peer.tlp
        self.api = pytx_peers.find_exchange(peer.exchange or "")
        self.collab = pytx_peers.parse_collab(self.api, peer.name,
                                              peer.collab or "{}")
        self.ref = peer.credentials_ref
        self.endpoint = peer.url or None
        self.tag_map: dict[str, str] = json.loads(peer.tag_map) if peer.tag_map else {}
        self.factor = peer.flood_factor or DEFAULT_FLOOD_FACTOR
        self.cap = peer.flood_cap or DEFAULT_FLOOD_CAP
        self.volumes: list[int] = json.loads(peer.volumes) if peer.volumes else []
        self.checkpoint = pytx_peers.load_checkpoint(self.api, peer.checkpoint)
        self.actor = Actor.operator(f"sync:{peer.name}")
        self.outcome = Outcome()
        self.flooding = False

    # -- the loop ---------------------------------------------------------------------

    def pull(self) -> None:
        """Every page after the checkpoint, each stored before the checkpoint moves."""
        if self.bank_id is None:
            raise ExchangeStopped("peer {name} has no bank to pull into", name=self.name)
        exchange = pytx_peers.open_exchange(self.api, self.collab, self.ref, self.endpoint)
        refetch = self.checkpoint is not None and self.checkpoint.is_stale()
        if refetch:
            self.outcome.notes.append("the checkpoint is stale (the exchange forgets deletes "
                                      "after a while): fetched everything again")
            self.checkpoint = None  # a fresh history: its times start over
        started = m.utcnow()
        pages = exchange.fetch_iter(list(pytx_peers.SIGNAL_TYPES), self.checkpoint)
        seen: set[int] = set()  # each page of this run: (progress time, record keys), hashed
        try:
            while (delta := self._next(pages)) is not None:
                self._check_repeat(delta, seen)
                self._check_time(delta.checkpoint)
                self._check_flood(len(delta.updates))
                self._store(delta.updates)
                self.outcome.pages += 1
                self.outcome.received += len(delta.updates)
                if delta.checkpoint is not None:  # pytx's TCAP repeats the last, maybe None
                    self.checkpoint = delta.checkpoint
                    self._save_checkpoint()
        finally:
            self._save_volume()
        if refetch:
            self._reconcile(started)

    def _next(self, pages: Iterator[FetchDelta[Any, Any, Any]]
              ) -> FetchDelta[Any, Any, Any] | None:
        """The next page, or None at the end. The client is given ``sync_timeout_seconds``
        (pytx's ThreatExchange client sets no timeout of its own): a stalled exchange stops
        the run instead of holding it forever."""
        answer: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=1)

        def work() -> None:
            try:
                answer.put(("page", next(pages)))
            except StopIteration:
                answer.put(("end", None))
            except BaseException as exc:  # handed to the run, which stops the peer with it
                answer.put(("error", exc))

        threading.Thread(target=work, daemon=True, name=f"fetch-{self.name}").start()
        try:
            kind, value = answer.get(timeout=self.settings.sync_timeout_seconds)
        except queue.Empty:
            raise ExchangeStopped("the exchange did not answer in time ({sync_timeout_seconds:g} "
                                  "s); the checkpoint is held",
                                  sync_timeout_seconds=self.settings.sync_timeout_seconds) from None
        if kind == "error":
            assert isinstance(value, BaseException)
            raise ExchangeStopped("a page could not be read: {explain}; the checkpoint is held",
                                  explain=self.explain(value)) from value
        if kind == "end":
            return None
        assert isinstance(value, FetchDelta)
        return value

    def explain(self, error: BaseException) -> str:
        """``error`` in words, without credentials (a URL's token is blanked)."""
        if isinstance(error, requests.exceptions.JSONDecodeError | json.JSONDecodeError):
            text = "the exchange sent a page that is not JSON (truncated or garbled)"
        elif isinstance(error, ET.ParseError):  # NCMEC's pages are XML
            text = "the exchange sent a page that is not XML (truncated or garbled)"
        elif isinstance(error, AssertionError | KeyError | TypeError | ValueError):
            text = f"the exchange sent a page the client cannot read ({type(error).__name__}" \
                   f"{': ' + str(error) if str(error) else ''})"
        else:
            text = describe(error)
        return _TOKEN.sub(r"\1=…", text)[:500]

    @staticmethod
    def _check_repeat(delta: FetchDelta[Any, Any, Any], seen: set[int]) -> None:
        """Stop on a page seen before in this run (a cursor that repeats would loop)."""
        if not delta.updates:
            return
        mark = hash((delta.checkpoint.get_progress_timestamp() if delta.checkpoint else None,
                     tuple(sorted(map(record_key, delta.updates)))))
        if mark in seen:
            raise ExchangeStopped("the exchange sent the same page again (its cursor repeats): "
                                  "stopped there; what came before is stored")
        seen.add(mark)

    def _check_time(self, new: FetchCheckpointBase | None) -> None:
        """Refuse a checkpoint earlier than the one held (the exchange's time went back)."""
        held = self.checkpoint.get_progress_timestamp() if self.checkpoint else None
        given = new.get_progress_timestamp() if new is not None else None
        if held is not None and given is not None and given < held:
            raise ExchangeStopped("the exchange's checkpoint went back in time (from {held} to "
                                  "{given}): its page was not stored and the checkpoint is held",
                                  hint="if the exchange really restarted its history, add the "
                                       "peer again under a new name", held=held, given=given)

    def _check_flood(self, size: int) -> None:
        """From the page that takes this run past the flood line on, store quarantined."""
        if self.flooding:
            return
        limit = self.cap
        if len(self.volumes) >= FLOOD_MIN_HISTORY:
            usual = statistics.median(self.volumes)
            limit = min(limit, int(self.factor * max(usual, 1)))
        if self.outcome.received + size > limit:
            self.flooding = True
            self.outcome.notes.append(
                f"flood: more than {limit:,} records in one run (the usual is about "
                f"{statistics.median(self.volumes) if self.volumes else 0:,.0f}); from page "
                f"{self.outcome.pages + 1} on, signals are stored quarantined for review")

    # -- one page ---------------------------------------------------------------------

    def _store(self, updates: Mapping[Any, Any]) -> None:
        merged: dict[Any, Any] = {}
        self.api.naive_fetch_merge(merged, updates)  # the API's own merge of the delta
        deleted = [record_key(k) for k in updates if k not in merged]
        found: list[_Signal] = []
        skips: list[tuple[str, str]] = []
        for key, value in merged.items():
            try:
                found.extend(self._signals(key, value))
            except Invalid as exc:
                skips.append((record_key(key), exc.message))
        self._write(found, skips)
        for key in deleted:
            self._retract(key)

    def _signals(self, key: object, value: object) -> list[_Signal]:
        """The checked signals of one record (``Invalid`` names why it is skipped)."""
        if isinstance(key, tuple) and len(key) == 2:
            self._precheck(str(key[0]), str(key[1]))
        elif isinstance(value, NCMECEntryUpdate):
            self._precheck_ncmec(value)
        converted = self.api.naive_convert_to_signal_type(
            list(pytx_peers.SIGNAL_TYPES), self.collab, {key: value})
        if not converted:
            raise Invalid("record {record_key} holds no signal of a type Accord stores",
                          record_key=trimmed(record_key(key), 80))
        return [self._signal(record_key(key), s_type, text, meta)
                for s_type, values in converted.items() for text, meta in values.items()]

    def _precheck(self, type_name: str, text: str) -> None:
        """A (signal type, value) record of a pytx type: validated here, because pytx's
        conversion drops an invalid value with only a log line."""
        s_type = _TYPES_BY_NAME.get(type_name)
        if s_type is not None:
            self._validate(s_type, text)

    @staticmethod
    def _precheck_ncmec(entry: NCMECEntryUpdate) -> None:
        """An NCMEC entry's fingerprints of the types Accord stores, validated here for the
        same reason; which (entry type, fingerprint) pairs those are is pytx's own table."""
        types = ncmec_api._get_conversion(pytx_peers.SIGNAL_TYPES)
        for name, text in entry.fingerprints.items():
            s_type = types.get((entry.entry_type, name))
            if s_type is not None:
                ExchangeRun._validate(s_type, text)

    @staticmethod
    def _validate(s_type: type[Any], text: str) -> str:
        """The canonical Accord value of ``text``, or ``Invalid`` with the rule broken."""
        name = _type_name(s_type)
        accord = PYTX_TO_ACCORD.get(name)
        if accord is None:
            raise Invalid("{name} has no Accord signal type", name=name)
        if not isinstance(text, str) or len(text) > 4000:
            raise Invalid("{name} value is not a string of a sane length", name=name)
        try:
            value = get_signal_type(accord).validate(text)
            s_type.validate_signal_str(text)
        except InvalidSignal as exc:
            raise Invalid(exc.message_id, **exc.params) from None
        except Exception as exc:  # pytx's own validation
            raise Invalid("invalid {name} value {text}: {exc}", name=name, text=trimmed(text),
                          exc=trimmed(str(exc), 100)) from None
        reason = degenerate_reason(accord, value)
        if reason is not None:
            raise Invalid("{reason} ({value})", reason=reason, value=trimmed(value))
        return value

    def _signal(self, key: str, s_type: type[Any], text: str, meta: Any) -> _Signal:
        value = self._validate(s_type, text)
        accord = PYTX_TO_ACCORD[_type_name(s_type)]
        quality = getattr(meta, "quality", None)
        if isinstance(quality, int):
            floor = get_signal_type(accord).min_quality(self.settings)
            if floor is not None and quality < floor:
                raise Invalid("{accord} quality {quality} is below the minimum {floor}",
                              accord=accord, quality=quality, floor=floor)
        else:
            quality = None
        opinions = list(meta.get_as_opinions())
        tags = sorted({t for o in opinions for t in (o.tags or ())})
        category = meta.get_as_aggregate_opinion().category
        negative = category in (AggregateSignalOpinionCategory.NEGATIVE_CLASS,
                                AggregateSignalOpinionCategory.DISPUTED)
        return _Signal(
            key, accord, value,
            labels=tuple(sorted({self.tag_map[t] for t in tags if t in self.tag_map})),
            unmapped=tuple(t for t in tags if t not in self.tag_map),
            owners=_owners(meta, opinions),
            opinions=tuple(_opinion(o) for o in opinions),
            negative=negative, quality=quality)

    def _write(self, found: list[_Signal], skips: list[tuple[str, str]]) -> None:
        """Store a page's signals, provenance and skips in one transaction."""
        now = m.utcnow()
        with self.db.transaction() as session:
            bank = session.get_one(m.Bank, self.bank_id)
            preparer = SignalPreparer(session, bank, self.settings)
            by_status: dict[str, list[tuple[_Signal, PreparedSignal]]] = {}
            for s in found:
                held = self.flooding or s.negative
                prepared = preparer.prepare(SignalInput(
                    s.signal_type, s.value, quality=s.quality, labels=s.labels, tlp=self.tlp,
                    rationale=f"from {self.api.get_name()} (peer {self.name})",
                    source_ref=f"{self.api.get_name()}:{s.key}",
                    # the exchange's own record key: an opaque id, except a URL record's,
                    # whose key holds the URL (scanned for personal data as free text)
                    source_is_id=s.signal_type != "url"), canonical=True)
                by_status.setdefault((Status.QUARANTINED if held else Status.ACTIVE).value,
                                     []).append((s, prepared))
            for status, pairs in by_status.items():
                added = insert_signals(session, bank, [p for _, p in pairs],
                                       self.actor.name, now, status=status)
                ids = [i for i, _ in added]
                if self.channel_id is not None and ids:
                    session.execute(update(m.Signal).where(m.Signal.id.in_(ids))
                                    .values(channel_id=self.channel_id))
                self._audit_added(session, bank, added)
                self.outcome.added += len(added)
                self.outcome.duplicates += len(pairs) - len(added)
                if status == Status.QUARANTINED.value:
                    self.outcome.quarantined += len(added)
                    fresh = {p.key for _, p in added}
                    self._hold(session, [p for s, p in pairs if s.negative
                                         and p.key not in fresh])
            self._provenance(session, [s for pairs in by_status.values() for s, _ in pairs],
                             now)
            self._ledger(session, skips, now)
            self.outcome.skipped += len(skips)

    def _audit_added(self, session: Any, bank: m.Bank,
                     added: list[tuple[int, PreparedSignal]]) -> None:
        """One ``signal.import`` event for a page's new signals of one status, as a bulk
        import writes: the change feed reloads that id range, so a running node's match
        index takes them in (one index update per page, no audit row per record)."""
        if not added:
            return
        digest = hashlib.sha256()
        for signal_id, p in added:
            digest.update(f"{signal_id}:{p.signal_type}:{p.key}\n".encode())
        audit.record(session, self.actor, audit.AuditAction.SIGNAL_IMPORT, "bank", bank.id, {
            "source": f"{self.api.get_name()} (peer {self.name})", "added": len(added),
            "first_id": added[0][0], "last_id": added[-1][0], "sha256": digest.hexdigest()})

    def _ledger(self, session: Any, skips: list[tuple[str, str]], now: Any) -> None:
        """Write the page's skips; one already there (the same record for the same reason:
        an exchange re-sends the records at its checkpoint's edge) is not written again."""
        keys = sorted({key for key, _ in skips})
        known: set[tuple[str, str]] = set()
        for start in range(0, len(keys), 1000):
            known.update((key, reason) for key, reason in session.execute(
                select(m.PeerSkip.record_key, m.PeerSkip.reason).where(
                    m.PeerSkip.peer_id == self.peer_id,
                    m.PeerSkip.record_key.in_(keys[start:start + 1000]))).all())
        for key, reason in dict.fromkeys(skips):
            if (key, reason[:2000]) not in known:
                session.add(m.PeerSkip(peer_id=self.peer_id, record_key=key,
                                       reason=reason[:2000], skipped_at=now))

    def _hold(self, session: Any, known: list[PreparedSignal]) -> None:
        """Signals this peer gave before that upstream now calls false positive (or
        disputed): quarantined for review, as a new one would be stored."""
        for p in known:
            ids = list(session.execute(select(m.Signal.id).where(
                m.Signal.bank_id == self.bank_id, m.Signal.signal_type == p.signal_type,
                m.Signal.value == p.key, m.Signal.status == Status.ACTIVE.value,
                m.Signal.contributor == self.actor.name)).scalars())
            for signal_id in ids:  # audited: the change feed takes it out of the index
                session.execute(update(m.Signal).where(m.Signal.id == signal_id).values(
                    status=Status.QUARANTINED.value, updated_at=m.utcnow()))
                audit.record(session, self.actor, audit.AuditAction.SIGNAL_QUARANTINE,
                             "signal", signal_id, {"reason": "upstream calls it false "
                                                   f"positive or disputed ({self.api.get_name()})"})
            self.outcome.quarantined += len(ids)

    def _provenance(self, session: Any, found: list[_Signal], now: Any) -> None:
        keys = sorted({s.key for s in found})
        for start in range(0, len(keys), 1000):
            session.execute(delete(m.ExchangeRecord).where(
                m.ExchangeRecord.peer_id == self.peer_id,
                m.ExchangeRecord.record_key.in_(keys[start:start + 1000])))
        ids = self._signal_ids(session, found)
        # One COPY (executemany on SQLite) for the page, as bulk import writes signals; the
        # JSON columns as the ORM's JSON type stores them.
        exchange, stamp = self.api.get_name(), utc_for_driver(session, now)
        append_rows(session, "exchange_records", _PROVENANCE, [
            (self.peer_id, s.key, ids[s.signal_type, storage_key(s.value)], exchange,
             json.dumps(list(s.owners)), json.dumps(list(s.labels)),
             json.dumps(list(s.unmapped)), json.dumps(list(s.opinions)), stamp)
            for s in found])

    def _signal_ids(self, session: Any, found: list[_Signal]) -> dict[tuple[str, str], int]:
        """(type, storage key) -> signal id in the bank, for the page's signals (a query
        per 1,000 keys of a type)."""
        by_type: dict[str, list[str]] = {}
        for s in found:
            by_type.setdefault(s.signal_type, []).append(storage_key(s.value))
        ids: dict[tuple[str, str], int] = {}
        for kind, keys in by_type.items():
            unique = sorted(set(keys))
            for start in range(0, len(unique), 1000):
                ids.update(((kind, key), i) for i, key in session.execute(
                    select(m.Signal.id, m.Signal.value).where(
                        m.Signal.bank_id == self.bank_id, m.Signal.signal_type == kind,
                        m.Signal.value.in_(unique[start:start + 1000]))).all())
        return ids

    def _retract(self, key: str) -> None:
        """A record deleted upstream: retract the signals it gave (still active ones)."""
        with self.db.reader() as session:
            ids = list(session.execute(
                select(m.Signal.id).join(m.ExchangeRecord,
                                         m.ExchangeRecord.signal_id == m.Signal.id)
                .where(m.ExchangeRecord.peer_id == self.peer_id,
                       m.ExchangeRecord.record_key == key,
                       # only what this peer stored: a partner's own copy stays
                       m.Signal.contributor == self.actor.name,
                       m.Signal.status != Status.RETRACTED.value)).scalars())
        for signal_id in ids:
            signal_retract(self.db, self.actor, signal_id,
                           f"deleted upstream ({self.api.get_name()} record {key})")
            self.outcome.retracted += 1

    def _reconcile(self, started: Any) -> None:
        """After a complete refetch (the checkpoint was stale, pytx's "delete the old data
        and fetch from scratch"): what this peer stored that the exchange no longer sent
        is gone upstream, and is retracted."""
        with self.db.reader() as session:
            gone = session.execute(
                select(m.ExchangeRecord.signal_id, m.ExchangeRecord.record_key)
                .join(m.Signal, m.Signal.id == m.ExchangeRecord.signal_id)
                .where(m.ExchangeRecord.peer_id == self.peer_id,
                       m.ExchangeRecord.updated_at < started,
                       m.Signal.contributor == self.actor.name,
                       m.Signal.status != Status.RETRACTED.value)).all()
        for signal_id, key in gone:
            signal_retract(self.db, self.actor, signal_id,
                           f"gone from {self.api.get_name()} (record {key} absent from a "
                           "complete refetch)")
            self.outcome.retracted += 1

    # -- state ------------------------------------------------------------------------

    def _save_checkpoint(self) -> None:
        assert self.checkpoint is not None
        with self.db.transaction() as session:
            row = session.get_one(m.Peer, self.peer_id)
            row.checkpoint = pytx_peers.dump_checkpoint(self.checkpoint)
            row.state, row.last_run_at = "running", m.utcnow()

    def _save_volume(self) -> None:
        """Remember this run's volume (a flood's is left out, so it cannot become usual)."""
        if not self.outcome.received or self.flooding:
            return
        volumes = [*self.volumes, self.outcome.received][-FLOOD_HISTORY:]
        with self.db.transaction() as session:
            session.get_one(m.Peer, self.peer_id).volumes = json.dumps(volumes)


def run_exchange(db: Database, settings: Settings, peer: m.Peer) -> tuple[Outcome, str | None]:
    """Pull ``peer`` (an exchange peer): what was stored, and why the run stopped (None:
    it reached the end). Never raises for what the exchange sends or how it fails."""
    run: ExchangeRun | None = None
    error: str | None = None
    try:
        run = ExchangeRun(db, settings, peer)
        run.pull()
    except AccordError as exc:
        error = exc.message
    except Exception as exc:  # a library reading hostile data: this peer stops, no other
        error = run.explain(exc) if run else _TOKEN.sub(r"\1=…", describe(exc))
    return (run.outcome if run else Outcome()), error
