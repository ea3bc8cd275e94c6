"""Match hashes and files against what a partner may see: the service every edge calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from accord.config import Settings
from accord.errors import AccordError, Invalid, trimmed
from accord.matching.engine import Hit, MatchEngine
from accord.sharing.service import find_partner
from accord.sharing.visibility import Viewer, viewer_for
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from accord.store import models as m
from accord.store.database import Database
from accord.store.signals import canonical_value, labels_of


@dataclass(frozen=True, slots=True)
class MatchedSignal:
    """One signal a query matched, with what a reviewer needs to judge it."""

    signal_id: int
    signal_type: str
    value: str
    distance: int
    bank: str
    labels: tuple[str, ...]
    tlp: str
    negative: bool


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A query (a hash, or one hash of a file) and the signals it matched."""

    query: str
    signal_type: str | None = None
    value: str | None = None
    matches: tuple[MatchedSignal, ...] = ()
    error: str | None = None
    variant: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def parse_query(text: str) -> tuple[str, str]:
    """``TYPE:VALUE`` (e.g. ``pdq:<64 hex>``) as a canonical (type, value) pair."""
    kind, sep, value = text.strip().partition(":")
    if not sep or not value:
        raise Invalid(f"query {trimmed(text)} should be TYPE:VALUE",
                      hint="e.g. md5:d41d8cd98f00b204e9800998ecf8427e or pdq:<64 hex digits>")
    signal_type = get_signal_type(kind.strip().lower())
    return signal_type.name, signal_type.validate(value)


def viewer_of(db: Database, partner: str | int | None) -> Viewer | None:
    """The viewer for a partner (by name or id); None means the operator, who sees all."""
    if partner is None:
        return None
    with db.reader() as session:
        return viewer_for(session, find_partner(session, partner).id)


def describe(db: Database, hits: Sequence[Hit]) -> tuple[MatchedSignal, ...]:
    """Full descriptions of engine hits, loaded in two queries."""
    if not hits:
        return ()
    ids = [h.signal_id for h in hits]
    with db.reader() as session:
        rows = {r.id: r for r in session.execute(
            select(m.Signal.id, m.Signal.signal_type, m.Signal.value, m.Signal.payload,
                   m.Signal.tlp, m.Bank.name, m.Bank.negative)
            .join(m.Bank, m.Bank.id == m.Signal.bank_id).where(m.Signal.id.in_(ids)))}
        labels = labels_of(session, ids)
    out = []
    for hit in hits:
        row = rows.get(hit.signal_id)
        if row is None:  # retracted and purged between lookup and description
            continue
        out.append(MatchedSignal(hit.signal_id, row.signal_type, canonical_value(row),
                                 hit.distance, row.name, labels[hit.signal_id], row.tlp,
                                 bool(row.negative)))
    return tuple(out)


def match_value(engine: MatchEngine, viewer: Viewer | None, signal_type: str, value: str,
                *, threshold: int | None = None) -> QueryResult:
    """Match one hash or URL (any accepted spelling) against what ``viewer`` may see."""
    kind = get_signal_type(signal_type)
    canonical = kind.validate(value)
    hits = engine.lookup(viewer, kind.name, canonical, threshold)
    return QueryResult(f"{kind.name}:{canonical}", kind.name, canonical,
                       describe(engine.db, hits))


def match_file(engine: MatchEngine, viewer: Viewer | None, path: Path | bytes, settings: Settings,
               *, types: Sequence[str] | None = None, dihedral: bool = False,
               name: str | None = None) -> list[QueryResult]:
    """Hash a file and match each of its hashes; a file that cannot be hashed is one error."""
    label = name or (str(path) if isinstance(path, Path) else "<upload>")
    try:
        results = hash_file(path, settings=settings, types=types, dihedral=dihedral, name=label)
    except AccordError as error:
        return [QueryResult(label, error=error.message)]
    out = []
    for result in results:
        hits = engine.lookup(viewer, result.signal_type, result.value)
        out.append(QueryResult(label, result.signal_type, result.value,
                               describe(engine.db, hits), variant=result.variant))
    return out
