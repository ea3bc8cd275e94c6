"""Signals: validating, adding, reading, retracting. Retraction is a tombstone."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.banks import find_bank_for
from accord.curation.labels import LabelChecker
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.safeguards.free_text import TextChecker, checked_text
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.service import staff_name
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import actor_may_see, actor_visible_clause
from accord.signals import SignalType, get_signal_type
from accord.store import models as m
from accord.store import records as r
from accord.store.bulk import append_rows, utc_for_driver
from accord.store.database import Database
from accord.store.signals import canonical_value, labels_of

KEY_MAX = 200


class Status(StrEnum):
    """A signal's life: active, quarantined by disputes, or retracted (tombstoned)."""

    ACTIVE = "active"
    QUARANTINED = "quarantined"
    RETRACTED = "retracted"


@dataclass(frozen=True, slots=True)
class SignalInput:
    """A signal as a curator or a file gives it, before any checking."""

    signal_type: str
    value: str
    quality: int | None = None
    labels: tuple[str, ...] = ()
    tlp: str | None = None
    rationale: str = ""
    source_ref: str = ""
    preprocessing: str = ""
    """What was done to the content before hashing (``Borders.describe()``); provenance."""
    source_is_id: bool = False
    """``source_ref`` is the platform's own id for the content (HMA's content id): held to
    printable characters like ``content_ref``, not scanned for personal data."""


@dataclass(frozen=True, slots=True)
class PreparedSignal:
    """A checked signal: canonical value, storage key, canonical labels."""

    signal_type: str
    value: str
    key: str
    quality: int | None
    labels: tuple[str, ...]
    tlp: str
    rationale: str
    source_ref: str
    extra: dict[str, str] = field(default_factory=dict)


def storage_key(value: str) -> str:
    """The indexed form of a canonical value (see ``models.Signal.value``)."""
    if len(value) <= KEY_MAX:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


class SignalPreparer:
    """Checks ``SignalInput``s for one bank: type, value, quality, labels, TLP."""

    def __init__(self, session: Session, bank: m.Bank, settings: Settings) -> None:
        self.bank = bank
        self.settings = settings
        self.labels = LabelChecker(session, None)
        self.texts = TextChecker(session)  # rationale and source reference: personal data
        self._default_tlp = bank.default_tlp
        # Bulk files repeat the same few types, label sets and TLPs on every row.
        self._kinds: dict[str, type[SignalType]] = {}
        self._label_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._tlps: dict[str, str] = {}

    def prepare(self, given: SignalInput, *, canonical: bool = False) -> PreparedSignal:
        """The checked signal, or ``Invalid`` naming what is wrong. ``canonical``: the type
        and value were already canonicalised by their reader (a STIX indicator's), so the
        value is not parsed again."""
        kind = self._kinds.get(given.signal_type)
        if kind is None:
            kind = get_signal_type(given.signal_type.strip().lower())
            self._kinds[given.signal_type] = kind
        value = given.value if canonical else kind.validate(given.value)
        quality = given.quality
        if quality is not None:
            self._check_quality(kind, quality)
        labels = self._label_sets.get(given.labels)
        if labels is None:
            labels = self.labels.check_all(given.labels)
            self._label_sets[given.labels] = labels
        tlp = self._default_tlp
        if given.tlp:
            tlp = self._tlps.get(given.tlp) or self._tlps.setdefault(
                given.tlp, Tlp.parse(given.tlp).value)
        return PreparedSignal(
            signal_type=kind.name, value=value, key=storage_key(value), quality=quality,
            labels=labels, tlp=tlp,
            rationale=self.texts.check("rationale", given.rationale.strip()[:4000]),
            source_ref=self.texts.source(given.source_ref.strip()[:500],
                                         is_id=given.source_is_id),
        )

    def _check_quality(self, kind: type[SignalType], quality: int) -> None:
        if not kind.has_quality:
            raise Invalid("signal type {name} has no quality, but {quality} was given",
                          name=kind.name, quality=quality)
        if not 0 <= quality <= 100:
            raise Invalid("quality {quality} is outside 0-100", quality=quality)
        floor = kind.min_quality(self.settings)
        if floor is not None and quality < floor:
            raise Invalid("{name} quality {quality} is below the minimum {floor}: such hashes "
                          "match too much to share", name=kind.name.upper(), quality=quality,
                          floor=floor)


_COLUMNS = ("id", "bank_id", "owner_partner_id", "signal_type", "value", "payload", "quality",
            "tlp", "channel_id", "contributor", "rationale", "source_ref", "status", "created_at",
            "updated_at", "sync_seq")


def _existing_keys(
    session: Session, bank_id: int, keys: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    by_type: dict[str, list[str]] = {}
    for kind, key in keys:
        by_type.setdefault(kind, []).append(key)
    found: set[tuple[str, str]] = set()
    for kind, values in by_type.items():
        for start in range(0, len(values), 10_000):
            found.update((kind, v) for v in session.execute(
                select(m.Signal.value).where(
                    m.Signal.signal_type == kind, m.Signal.value.in_(values[start:start + 10_000]),
                    m.Signal.bank_id == bank_id)
            ).scalars())
    return found


def _allocate_ids(session: Session, count: int) -> list[int]:
    """``count`` fresh signal ids, in order."""
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(
            select(func.nextval("signals_id_seq")).select_from(func.generate_series(1, count))
        ).scalars())
    # SQLite: write transactions hold the database lock (BEGIN IMMEDIATE), so the ids
    # above the current largest are ours alone.
    top = session.execute(select(func.coalesce(func.max(m.Signal.id), 0))).scalar_one()
    return list(range(top + 1, top + 1 + count))


def _sync_seqs(session: Session, count: int) -> list[int | None]:
    """Change numbers for ``count`` new rows (the TAXII cursor, migration 0006).

    SQLite: numbered here, in one step (write transactions hold the lock), which
    spares a per-row trigger that tripled bulk insert time; the trigger numbers
    only rows inserted without one. PostgreSQL: None, its trigger numbers them
    in commit order.
    """
    if session.get_bind().dialect.name == "postgresql":
        return [None] * count
    top = session.execute(select(func.max(m.Signal.sync_seq))).scalar_one() or 0
    return list(range(top + 1, top + 1 + count))


def insert_signals(
    session: Session, bank: m.Bank, rows: Sequence[PreparedSignal], contributor: str,
    now: dt.datetime, *, status: str = Status.ACTIVE.value,
) -> list[tuple[int, PreparedSignal]]:
    """Insert ``rows`` into ``bank``, skipping ones already there; (id, row) of new ones.

    New rows are active, or ``status`` (a peer's quarantined signal is stored as such).

    This is bulk import's hot path, so it speaks to the driver directly: one
    query for the keys already stored, ids taken up front, then one COPY (or
    ``executemany`` on SQLite) for the signals and one for their labels.
    """
    fresh: dict[tuple[str, str], PreparedSignal] = {}
    for p in rows:
        fresh.setdefault((p.signal_type, p.key), p)
    for known in _existing_keys(session, bank.id, list(fresh)):
        fresh.pop(known, None)
    if not fresh:
        return []
    added = list(zip(_allocate_ids(session, len(fresh)), fresh.values(), strict=True))
    seqs = _sync_seqs(session, len(added))
    stamp = utc_for_driver(session, now)
    append_rows(session, "signals", _COLUMNS, [
        (i, bank.id, bank.owner_partner_id, p.signal_type, p.key,
         p.value if p.key != p.value else None, p.quality, p.tlp, bank.channel_id, contributor,
         p.rationale, p.source_ref, status, stamp, stamp, seq)
        for (i, p), seq in zip(added, seqs, strict=True)
    ])
    labels: list[tuple[object, ...]] = [(i, lab) for i, p in added for lab in p.labels]
    if labels:
        append_rows(session, "signal_labels", ("signal_id", "label"), labels)
    return added


def signal_records(session: Session, rows: Sequence[m.Signal]) -> list[r.Signal]:
    """Records for ORM rows, with their labels loaded in one query."""
    labels = labels_of(session, [s.id for s in rows])
    return [
        r.Signal(s.id, s.bank_id, s.owner_partner_id, s.signal_type, canonical_value(s),
                 s.quality, s.tlp, s.channel_id, s.contributor, s.rationale, s.source_ref,
                 s.status, labels[s.id], s.created_at, s.updated_at, s.preprocessing)
        for s in rows
    ]


def signal_add(
    db: Database, actor: Actor, bank: str | int, given: SignalInput, settings: Settings
) -> r.Signal:
    """Add one signal to a bank; ``Conflict`` when the bank already holds it."""
    return signal_add_all(db, actor, bank, [given], settings)[0]


def signal_add_all(
    db: Database, actor: Actor, bank: str | int, given: Sequence[SignalInput],
    settings: Settings,
) -> list[r.Signal]:
    """Add several signals to a bank in one transaction (the hashes of one uploaded file):
    all of them or, when one is refused or already held (``Conflict``), none."""
    with db.transaction() as session:
        row = find_bank_for(session, actor, bank)
        actor.require_partner(row.owner_partner_id, "add signals to this bank")
        actor.require(CAN_CURATE, "add signals")
        preparer = SignalPreparer(session, row, settings)
        return [_add_one(session, actor, row, preparer, one) for one in given]


def _add_one(session: Session, actor: Actor, row: m.Bank, preparer: SignalPreparer,
             given: SignalInput) -> r.Signal:
    prepared = preparer.prepare(given)
    added = insert_signals(session, row, [prepared], actor.name, m.utcnow())
    if not added:
        raise Conflict("bank {name!r} already holds {signal_type} {prepared}", name=row.name,
                       signal_type=prepared.signal_type, prepared=trimmed(prepared.value))
    signal_id = added[0][0]
    stored = session.get_one(m.Signal, signal_id)
    details: dict[str, object] = {
        "bank": row.id, "signal_type": prepared.signal_type, "value": prepared.key,
        "labels": list(prepared.labels), "tlp": prepared.tlp,
    }
    if given.preprocessing.strip():
        stored.preprocessing = details["preprocessing"] = given.preprocessing.strip()[:200]
    audit.record(session, actor, audit.AuditAction.SIGNAL_ADD, "signal", signal_id, details)
    return signal_records(session, [stored])[0]


def _visible(query: Select[Any], session: Session, actor: Actor) -> Select[Any]:
    return query.where(actor_visible_clause(session, actor, m.Signal.owner_partner_id,
                                            m.Signal.tlp, m.Signal.channel_id))


def _as_seen(actor: Actor, signal: r.Signal) -> r.Signal:
    """The record with its contributor's user name hidden from other partners."""
    name = staff_name(actor, signal.owner_partner_id, signal.contributor)
    return signal if name == signal.contributor else replace(signal, contributor=name)


def signal_get(db: Database, actor: Actor, signal_id: int) -> r.Signal:
    """One signal the actor may see; ``NotFound`` also when it may not (no leak)."""
    with db.reader() as session:
        query = _visible(select(m.Signal).where(m.Signal.id == signal_id), session, actor)
        row = session.execute(query).scalar_one_or_none()
        if row is None:
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        return _as_seen(actor, signal_records(session, [row])[0])


def signal_list(
    db: Database, actor: Actor, *, bank: str | int | None = None,
    status: str | None = Status.ACTIVE.value, signal_type: str | None = None,
    label: str | None = None, after_id: int = 0, limit: int = 100,
    tlp: str | None = None, contributor: str | None = None, until_id: int | None = None,
) -> list[r.Signal]:
    """Signals the actor may see, by id, filtered; page with ``after_id``.

    ``until_id`` bounds the ids searched (a rare filter then reads a bounded
    stretch of the table; the caller continues from ``until_id``).
    """
    with db.reader() as session:
        query = select(m.Signal).where(m.Signal.id > after_id)
        if until_id is not None:
            query = query.where(m.Signal.id <= until_id)
        if bank is not None:
            query = query.where(m.Signal.bank_id == find_bank_for(session, actor, bank).id)
        if status is not None:
            query = query.where(m.Signal.status == status)
        if signal_type is not None:
            # Compared as an expression so that no planner picks the (type, value, bank)
            # unique index and sorts every signal of the type: in id order, a page of a
            # common type is found after reading about a page of rows.
            query = query.where(m.Signal.signal_type.concat("") == signal_type)
        if tlp is not None:
            query = query.where(m.Signal.tlp == Tlp.parse(tlp).value)
        if contributor is not None:
            query = query.where(m.Signal.contributor == contributor.strip().lower())
            if not actor.is_operator:  # by user name: its own partner's staff only
                query = query.where(m.Signal.owner_partner_id == actor.partner_id)
        if label is not None:
            query = query.where(_has_label(session, label))
        query = _visible(query, session, actor).order_by(m.Signal.id).limit(limit)
        rows = signal_records(session, session.execute(query).scalars().all())
        return [_as_seen(actor, s) for s in rows]


# Labels on more signals than this are looked up row by row in id order (a page is
# found quickly); rarer ones through the list of their signals (short by definition).
_COMMON_LABEL = 5000


def _has_label(session: Session, label: str) -> ColumnElement[bool]:
    """``signals.id`` carries ``label``, in the form that is fast for this label's frequency."""
    common = session.execute(select(m.SignalLabel.signal_id).where(m.SignalLabel.label == label)
                             .limit(1).offset(_COMMON_LABEL)).first() is not None
    if common:
        return exists().where(m.SignalLabel.signal_id == m.Signal.id,
                              m.SignalLabel.label == label)
    return m.Signal.id.in_(select(m.SignalLabel.signal_id).where(m.SignalLabel.label == label))


def owned_signal(session: Session, actor: Actor, signal_id: int, action: str) -> m.Signal:
    """The actor's partner's signal, for ``action`` by a curator: ``NotFound`` when the
    actor may not see it, ``PermissionDenied`` when it is another partner's."""
    row = session.get(m.Signal, signal_id)
    # One the actor may not see is not found, as a missing one (no existence leak).
    if row is None or not actor_may_see(session, actor, row):
        raise NotFound("no signal {signal_id}", signal_id=signal_id)
    actor.require_partner(row.owner_partner_id, action)
    actor.require(CAN_CURATE, action)
    return row


def signal_retract(db: Database, actor: Actor, signal_id: int, reason: str = "") -> r.Signal:
    """Retract a signal: it stops matching and a tombstone records who, when and why."""
    with db.transaction() as session:
        row = owned_signal(session, actor, signal_id, "retract this signal")
        if row.status == Status.RETRACTED:
            raise Conflict("signal {signal_id} is already retracted", signal_id=signal_id)
        reason = checked_text(session, "retraction reason", reason)
        now = m.utcnow()
        row.status, row.updated_at = Status.RETRACTED.value, now
        session.add(m.Retraction(signal_id=row.id, actor=actor.name, reason=reason,
                                 retracted_at=now))
        audit.record(session, actor, audit.AuditAction.SIGNAL_RETRACT, "signal", row.id,
                     {"reason": reason.strip()})
        session.flush()
        return signal_records(session, [row])[0]


def signal_reactivate(db: Database, actor: Actor, signal_id: int, note: str = "") -> r.Signal:
    """Lift a quarantine: the owner has looked at the disputes and stands by the signal."""
    with db.transaction() as session:
        row = owned_signal(session, actor, signal_id, "reactivate this signal")
        if row.status != Status.QUARANTINED:
            raise Conflict("signal {signal_id} is {status}, not quarantined", signal_id=signal_id,
                           status=row.status)
        row.status, row.updated_at = Status.ACTIVE.value, m.utcnow()
        audit.record(session, actor, audit.AuditAction.SIGNAL_REACTIVATE, "signal", row.id,
                     {"note": note})
        session.flush()
        return signal_records(session, [row])[0]


def signal_audit_trail(db: Database, actor: Actor, signal_id: int) -> list[audit.AuditEvent]:
    """The audit events of a signal the actor may see, oldest first; ``NotFound`` otherwise.

    Who did what is shown only for the actor's own partner's staff: another
    partner's event (or the operator's) keeps its time and action but not its
    actor or details (usernames, partner ids, reasons). The operator sees the
    whole trail.
    """
    with db.reader() as session:
        query = _visible(select(m.Signal.id).where(m.Signal.id == signal_id), session, actor)
        if session.execute(query).scalar_one_or_none() is None:
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        own = set(session.execute(select(m.Member.username)
                                  .where(m.Member.partner_id == actor.partner_id)).scalars())
    events = audit.events(db, object_type="signal", object_id=str(signal_id))
    if actor.is_operator:
        return list(events)
    return [e if e.actor in own else replace(e, actor="", details={}) for e in events]
