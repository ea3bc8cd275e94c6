"""Lookup: a canonical value's candidates in its type's index, kept if the viewer may see them.

The distance allowed is the caller's threshold, else the type's
``match_threshold`` (for PDQ, ``Settings.pdq_match_threshold``). Types that
declare ``bank_threshold`` are searched out to the widest bank threshold, then
each candidate is held to its own bank's threshold unless the caller named one.
The visibility rule itself is ``accord.sharing.visibility.may_see``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.config import Settings
from accord.errors import Invalid
from accord.index.protocol import Candidate, SignalIndex
from accord.matching.indexes import Indexes
from accord.sharing.visibility import Viewer, may_see
from accord.signals import get_signal_type


@dataclass(frozen=True, slots=True)
class Hit:
    """A visible signal matching a query, at a distance (0 for exact types)."""

    signal_id: int
    distance: int
    bank_id: int


def widest(indexes: Indexes, limit: int, signal_type: str | None = None) -> int:
    """The radius to search so that every bank's own threshold for the type is covered
    (no type: the banks' PDQ thresholds)."""
    limits = (indexes.bank_thresholds if signal_type is None
              else indexes.limits_of(signal_type)).values()
    return max([limit, *(t for t in limits if t is not None)])


def search_plan(indexes: Indexes, settings: Settings, signal_type: str,
                threshold: int | None) -> tuple[str, SignalIndex, int]:
    """The type's name, its index and the radius to search for a lookup."""
    kind = get_signal_type(signal_type)
    index = indexes.index(kind.name)
    if index is None:  # registered since the engine was built, and get_signal_type knew it
        raise Invalid("no index for signal type {name!r}", name=kind.name)
    limit = kind.match_threshold(settings) if threshold is None else threshold
    return kind.name, index, widest(indexes, limit, kind.name) if kind.bank_threshold else limit


def visible_hits(indexes: Indexes, viewer: Viewer, signal_type: str,
                 found: Sequence[Candidate], threshold: int | None) -> list[Hit]:
    """Keep the candidates ``viewer`` may see and whose bank's threshold they meet, of
    banks whose matching is on."""
    by_bank = threshold is None and get_signal_type(signal_type).bank_threshold
    columns, limits = indexes.columns, indexes.limits_of(signal_type)
    off = indexes.banks_off
    hits = []
    for signal_id, distance in found:
        meta = columns.meta(signal_id)
        if meta is None or meta.bank_id in off or not may_see(viewer, meta):
            continue
        if by_bank:
            bank_limit = limits.get(meta.bank_id)
            if bank_limit is not None and distance > bank_limit:
                continue
        hits.append(Hit(signal_id, distance, meta.bank_id))
    return hits


def lookup(indexes: Indexes, settings: Settings, viewer: Viewer, signal_type: str,
           value: str, threshold: int | None) -> list[Hit]:
    """Signals matching one canonical value that ``viewer`` may see."""
    name, index, radius = search_plan(indexes, settings, signal_type, threshold)
    return visible_hits(indexes, viewer, name, index.search(value, radius), threshold)


def lookup_many(indexes: Indexes, settings: Settings, viewer: Viewer, signal_type: str,
                values: Sequence[str], threshold: int | None, threads: int | None
                ) -> list[list[Hit]]:
    """:func:`lookup` for many canonical values of one type, in one batch search."""
    name, index, radius = search_plan(indexes, settings, signal_type, threshold)
    found = index.search_many(values, radius, threads)
    # Most queries of a large batch match nothing: they cost an empty list only.
    results: list[list[Hit]] = [[] for _ in found]
    for i, candidates in enumerate(found):
        if candidates:
            results[i] = visible_hits(indexes, viewer, name, candidates, threshold)
    return results
