"""Match hashes and files against what a partner may see: the use case every edge calls.

The API (single, batch and file routes), ``accord match`` and the web UI's match
page all go through ``match_values``. Each edge parses a query once
(``parse_query`` for ``TYPE:VALUE`` text, ``parse_value`` for a type and a value)
and hands the canonical value on; ``match_body`` is the one JSON shape of a result.
An uploaded picture's PDQ is matched as several variant hashes
(:mod:`accord.matching.variants`), all through ``match_values``; each match then
names the variant that hit.
How hits are described is pluggable (``Describer``): the store by default, the
node's cache (``accord.matching.descriptions``) where a server runs.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from accord.config import Settings
from accord.errors import AccordError, Invalid, trimmed
from accord.matching.engine import Hit, MatchEngine
from accord.matching.variants import (
    DEFAULT_VARIANTS,
    VariantHash,
    picture_variants,
    wanted_variants,
)
from accord.media.limits import MediaLimits
from accord.media.sniff import MediaKind
from accord.media.source import Media, load_media
from accord.sharing.service import find_partner
from accord.sharing.visibility import Viewer, viewer_for
from accord.signals import SignalType, get_signal_type
from accord.signals.base import ContentHasher, HashResult
from accord.signals.hashing import content_types, hash_file
from accord.signals.pdq import PdqSignal
from accord.signals.registry import registry
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
    variant: str | None = None
    """Which variant of an uploaded picture hit (``accord.matching.variants``); None
    for a hash query, matched as given."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A query (a hash, or one hash of a file) and the signals it matched."""

    query: str
    signal_type: str | None = None
    value: str | None = None
    matches: tuple[MatchedSignal, ...] = ()
    error: str | None = None
    variant: str | None = None


def query_type(name: str) -> type[SignalType]:
    """The signal type a query names (any case, spaces around it ignored)."""
    return get_signal_type(name.strip().lower())


def parse_value(signal_type: str, value: str) -> tuple[str, str]:
    """A query's type and value, parsed once: the type's name and the canonical value.

    Raises ``Invalid`` for an unknown type or a value that is not one of its spellings.
    """
    kind = query_type(signal_type)
    return kind.name, kind.validate(value)


def parse_query(text: str) -> tuple[str, str]:
    """``TYPE:VALUE`` (e.g. ``pdq:<64 hex>``) as ``parse_value`` parses it."""
    kind, sep, value = text.strip().partition(":")
    if not sep or not value:
        raise Invalid("query {text} should be TYPE:VALUE",
                      hint="e.g. md5:d41d8cd98f00b204e9800998ecf8427e or pdq:<64 hex digits>",
                      text=trimmed(text))
    return parse_value(kind, value)


def partner_viewer(db: Database, partner: str | int | None) -> Viewer:
    """The viewer for a partner (by name or id); None: the node operator, who sees all."""
    if partner is None:
        return Viewer.operator()
    with db.reader() as session:
        return viewer_for(session, find_partner(session, partner).id)


# What turns engine hits into descriptions: ``describe`` (the store) or a cache of it.
Describer = Callable[[Database, Sequence[Hit]], tuple[MatchedSignal, ...]]


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


def match_values(engine: MatchEngine, viewer: Viewer, signal_type: str,
                 values: Sequence[str], *, threshold: int | None = None,
                 descriptions: Describer = describe) -> list[tuple[MatchedSignal, ...]]:
    """The match use case, one function for every edge: what each value matches.

    ``signal_type`` is a registered type's name and ``values`` are canonical values
    of it, parsed once by the caller (``parse_query``, ``parse_value``); nothing here
    parses them again. The answer keeps the order of ``values``: for each, the
    signals ``viewer`` may see within ``threshold`` (default: each
    bank's and the type's own), described by ``descriptions`` (default: from the
    store; the node's cache at the API and the UI). A value that matches nothing gets
    ``()``, and a signal purged between lookup and description is left out.
    """
    if len(values) == 1:  # one query (most API calls): no batch search, no id map
        hits = engine.lookup(viewer, signal_type, values[0], threshold)
        return [descriptions(engine.db, hits) if hits else ()]
    per_value = engine.lookup_many(viewer, signal_type, values, threshold)
    found = [hit for hits in per_value for hit in hits]
    if not found:
        return [() for _ in per_value]
    described = {d.signal_id: d for d in descriptions(engine.db, found)}
    return [tuple(replace(described[h.signal_id], distance=h.distance)
                  for h in hits if h.signal_id in described) if hits else ()
            for hits in per_value]


def match_query(engine: MatchEngine, viewer: Viewer, signal_type: str, value: str,
                *, threshold: int | None = None, descriptions: Describer = describe
                ) -> QueryResult:
    """``match_values`` for one parsed query (a type's name and a canonical value)."""
    [matches] = match_values(engine, viewer, signal_type, [value], threshold=threshold,
                             descriptions=descriptions)
    return QueryResult(f"{signal_type}:{value}", signal_type, value, matches)


def match_value(engine: MatchEngine, viewer: Viewer, signal_type: str, value: str,
                *, threshold: int | None = None, descriptions: Describer = describe
                ) -> QueryResult:
    """Parse one hash or URL (any accepted spelling), then ``match_query`` it."""
    kind, canonical = parse_value(signal_type, value)
    return match_query(engine, viewer, kind, canonical, threshold=threshold,
                       descriptions=descriptions)


def match_file(engine: MatchEngine, viewer: Viewer, path: Path | bytes, settings: Settings,
               *, types: Sequence[str] | None = None, variants: frozenset[str] | None = None,
               exact: bool = False, name: str | None = None, descriptions: Describer = describe
               ) -> list[QueryResult]:
    """Hash a file and match each of its hashes; a file that cannot be hashed is one error.

    A picture's PDQ is matched with query-side expansion (``accord.matching.variants``):
    each bank's own variants, or ``variants`` in every bank when given; each match
    names the variant that hit. ``exact`` hashes every pixel and frame, as the reference
    implementations do (see ``hash_file``); the default takes the fast decoding paths.
    """
    label = name or (str(path) if isinstance(path, Path) else "<upload>")
    try:
        chosen = content_types(types)
        media = load_media(path, MediaLimits.from_settings(settings), name=label)
        if media.kind is MediaKind.IMAGE and (chosen is None or PdqSignal.name in chosen):
            return _match_picture(engine, viewer, media, settings, chosen, variants,
                                  exact, descriptions)
        results = hash_file(media.data, settings=settings, types=chosen, exact=exact,
                            name=label)
    except AccordError as error:
        return [QueryResult(label, error=error.message)]
    return [_match_hashed(engine, viewer, label, result, descriptions) for result in results]


def _match_hashed(engine: MatchEngine, viewer: Viewer, label: str, result: HashResult,
                  descriptions: Describer) -> QueryResult:
    [matches] = match_values(engine, viewer, result.signal_type, [result.value],
                             descriptions=descriptions)
    return QueryResult(label, result.signal_type, result.value, matches,
                       variant=result.variant)


def _match_picture(engine: MatchEngine, viewer: Viewer, media: Media, settings: Settings,
                   chosen: list[str] | None, override: frozenset[str] | None,
                   exact: bool, descriptions: Describer) -> list[QueryResult]:
    """A picture's other types as usual, then its PDQ variants through ``match_values``."""
    others = [t for t in chosen or _image_hashers() if t != PdqSignal.name]
    results = (hash_file(media.data, settings=settings, types=others, exact=exact,
                         name=media.name) if others else [])
    out = [_match_hashed(engine, viewer, media.name, r, descriptions) for r in results]
    by_bank = engine.bank_variants
    hashes = picture_variants(media, wanted_variants(by_bank, override),
                              PdqSignal.min_quality(settings),
                              exact=exact or settings.hash_exact)
    per_hash = match_values(engine, viewer, PdqSignal.name, [h.value for h in hashes],
                            descriptions=descriptions)
    allowed = (lambda bank: override) if override is not None else (
        lambda bank: by_bank.get(bank, DEFAULT_VARIANTS))
    matches = closest_variants(hashes, per_hash, allowed)
    out.append(QueryResult(media.name, PdqSignal.name, hashes[0].value, matches))
    return out


def closest_variants(hashes: Sequence[VariantHash],
                     per_hash: Sequence[Sequence[MatchedSignal]],
                     allowed: Callable[[str], frozenset[str]]) -> tuple[MatchedSignal, ...]:
    """Each signal once, from the closest variant its bank allows (``allowed``: a bank's
    variants by its name), tagged with that variant; ties go to the earlier hash."""
    best: dict[int, MatchedSignal] = {}
    for query, matches in zip(hashes, per_hash, strict=True):
        for match in matches:
            if query.variant not in allowed(match.bank):
                continue
            kept = best.get(match.signal_id)
            if kept is None or match.distance < kept.distance:
                best[match.signal_id] = replace(match, variant=query.variant)
    return tuple(sorted(best.values(), key=lambda m: (m.distance, m.signal_id)))


def _image_hashers() -> list[str]:
    return [name for name, cls in registry().items()
            if issubclass(cls, ContentHasher) and MediaKind.IMAGE in cls.content_kinds]


def match_body(query: str, signal_type: str | None, value: str | None,
               matches: Sequence[MatchedSignal], variant: str | None = None,
               error: str | None = None) -> dict[str, object]:
    """One query's result as JSON: the one shape the API returns and the CLI prints."""
    # Most queries of a batch match nothing: no comprehension (a call on 3.11) for them.
    return {"query": query, "signal_type": signal_type, "value": value, "variant": variant,
            "error": error,
            "matches": [{"signal_id": m.signal_id, "signal_type": m.signal_type,
                         "value": m.value, "distance": m.distance, "bank": m.bank,
                         "labels": list(m.labels), "tlp": m.tlp, "negative": m.negative,
                         "variant": m.variant}
                        for m in matches] if matches else []}


def result_body(result: QueryResult) -> dict[str, object]:
    """``match_body`` of a ``QueryResult``."""
    return match_body(result.query, result.signal_type, result.value, result.matches,
                      result.variant, result.error)
