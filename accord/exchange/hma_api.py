"""The core of the HMA-compatible API: HMA 2's hashing, matching and curation in Accord's terms.

HMA (Meta's Hasher-Matcher-Actioner, ``hasher-matcher-actioner/`` in
facebook/ThreatExchange, BSD-licensed; read at baefb4e) serves ``/h``, ``/m`` and
``/c``; ROOST's Coop (roostorg/coop, Apache-2.0; read at 1c1f54d) drives it
through those paths. ``accord.api.routers.hma`` answers them under ``/hma/``
and calls the functions here, which call Accord's own services: hashing
(``accord.signals.hashing``), the one match use case
(``accord.matching.service.match_values``), banks and signals
(``accord.curation``), each for the caller's partner and under the one
visibility rule. Nothing here is HTTP-shaped.

Mapping, in brief (``docs/exchanges.md`` has every difference):

- signal type names: HMA's (pytx's) ``pdq``, ``video_md5``, ``vpdq``... through
  ``accord.exchange.formats.hma``'s ``PYTX_TO_ACCORD`` / ``ACCORD_TO_PYTX``;
- HMA content types: ``photo`` hashes PDQ, ``video`` hashes MD5 and vPDQ, as
  HMA's defaults do;
- an HMA bank is an Accord bank the caller may see: its own, or another
  partner's whose default marking (TLP and channel) the rule lets it see;
  ``matching_enabled_ratio`` is 1.0, or 0.0 with matching switched off or for a
  negative bank (known benign, never reported by ``lookup``); ratios between are
  refused (HMA flips a coin per lookup; Accord's matches are reproducible);
- an HMA "bank content" is an Accord signal: ``bank_content_id`` is the signal id.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.errors import Invalid, NotFound, PermissionDenied, trimmed
from accord.exchange.formats.hma import ACCORD_TO_PYTX, PYTX_TO_ACCORD
from accord.matching.engine import MatchEngine
from accord.matching.service import Describer, MatchedSignal, match_values, parse_value
from accord.media.sniff import MediaKind, sniff
from accord.sharing.roles import Actor
from accord.sharing.visibility import Marking, Viewer, may_see
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from accord.signals.video import to_vpdq_json
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

# HMA's content types and the signal types each hashes (Accord's names).
CONTENT_TYPES: dict[str, tuple[str, ...]] = {"photo": ("pdq",), "video": ("md5", "video_pdq")}
_KIND_CONTENT = {MediaKind.IMAGE: "photo", MediaKind.VIDEO: "video"}
# HMA's bank names (storage/postgres/database.py, _bank_name_ok).
BANK_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
NOTE_MAX = 255
Matches = dict[str, list[dict[str, object]]]


def accord_type(hma_name: str) -> str:
    """Accord's name for an HMA signal type served here, or ``Invalid`` (HMA's 400)."""
    name = PYTX_TO_ACCORD.get(hma_name.strip().lower()) if isinstance(hma_name, str) else None
    if name is None or name not in ACCORD_TO_PYTX:
        raise Invalid("No such SignalType {hma_name}", hint="HMA names served: {served_types}",
                      hma_name=trimmed(hma_name), served_types=", ".join(served_types()))
    return name


def hma_type(accord_name: str) -> str:
    """HMA's name for an Accord signal type (Accord's own where pytx has none)."""
    return ACCORD_TO_PYTX.get(accord_name, accord_name)


def hma_value(accord_name: str, value: str) -> str:
    """A canonical value as HMA writes it: a ``video_pdq`` as pytx's ``vpdq`` JSON list."""
    return to_vpdq_json(value) if accord_name == "video_pdq" else value


def served_types() -> list[str]:
    """The HMA signal type names this API answers for."""
    return sorted(ACCORD_TO_PYTX.values())


def distance_text(accord_name: str, distance: int) -> str:
    """A distance as HMA prints it: the number, or ``-`` for exact types (pytx's
    ``NO_DISTANCE_STR``)."""
    return "-" if get_signal_type(accord_name).index_kind == "exact" else str(distance)


# -- hashing ---------------------------------------------------------------------------


def content_type_of(override: str | None, mime: str | None, data: bytes) -> str:
    """HMA's content type for content: the caller's, else the server's media type, else
    what the bytes are (Accord sniffs where HMA refuses)."""
    if override:
        if override not in CONTENT_TYPES:
            raise Invalid("no such content_type: {override}", hint="use photo or video",
                          override=trimmed(override))
        return override
    lowered = (mime or "").lower()
    for prefix, name in (("image", "photo"), ("video", "video")):
        if lowered.startswith(prefix):
            return name
    found = _KIND_CONTENT.get(sniff(data[:4096]))
    if found is None:
        raise Invalid("unsupported url ContentType: {mime}",
                      hint="if you know the expected type, provide it with the content_type query "
                           "param", mime=trimmed(mime or ''))
    return found


def chosen_types(content_type: str, types: str | None) -> list[str]:
    """Accord types to hash for ``content_type``, narrowed by HMA's ``types=a,b``."""
    available = CONTENT_TYPES[content_type]
    if types is None:
        return list(available)
    chosen = []
    for part in types.split(","):
        if not part.strip():
            continue
        name = PYTX_TO_ACCORD.get(part.strip().lower())
        if name not in available:
            raise Invalid("signal type {part} doesn't exist or is disabled",
                          hint="{content_type} hashes: {available}", part=trimmed(part.strip()),
                          content_type=content_type,
                          available=", ".join(hma_type(n) for n in available))
        chosen.append(name)
    if not chosen:
        raise Invalid("empty signal type selection")
    return chosen


@dataclass(frozen=True, slots=True)
class Hashed:
    """Content's hashes: HMA name -> value, and each one's quality (for banking)."""

    values: dict[str, str]
    qualities: dict[str, int | None]


def hash_content(data: bytes, settings: Settings, *, content_type: str | None,
                 mime: str | None = None, types: str | None = None,
                 name: str = "content") -> Hashed:
    """Hash ``data`` as HMA's ``/h/hash`` does: the signal types of its content type."""
    kind = content_type_of(content_type, mime, data)
    results = hash_file(data, settings=settings, types=chosen_types(kind, types), name=name)
    plain = [res for res in results if res.variant is None]
    return Hashed({hma_type(res.signal_type): hma_value(res.signal_type, res.value)
                   for res in plain},
                  {hma_type(res.signal_type): res.quality for res in plain})


# -- matching ---------------------------------------------------------------------------


def matched(engine: MatchEngine, viewer: Viewer, signal_type: str, signal: str,
            descriptions: Describer) -> tuple[str, tuple[MatchedSignal, ...]]:
    """Accord's type name and what ``signal`` matches that ``viewer`` may see."""
    kind, value = parse_value(accord_type(signal_type), signal)
    [found] = match_values(engine, viewer, kind, [value], descriptions=descriptions)
    return kind, found


def lookup(engine: MatchEngine, viewer: Viewer, signal_type: str, signal: str,
           banks_wanted: set[str] | None, descriptions: Describer) -> Matches:
    """HMA's ``/m/lookup`` for one hash: bank name -> its matches, negative banks left out."""
    kind, found = matched(engine, viewer, signal_type, signal, descriptions)
    out: Matches = {}
    for hit in found:
        if hit.negative or (banks_wanted is not None and hit.bank not in banks_wanted):
            continue
        out.setdefault(hit.bank, []).append(
            {"bank_content_id": hit.signal_id, "distance": distance_text(kind, hit.distance)})
    return out


def raw_lookup(engine: MatchEngine, viewer: Viewer, signal_type: str, signal: str,
               banks_wanted: set[str] | None, include_distance: bool,
               descriptions: Describer) -> list[object]:
    """HMA's ``/m/raw_lookup``: ids (or ids and distances), every bank the caller may see."""
    kind, found = matched(engine, viewer, signal_type, signal, descriptions)
    hits = [h for h in found if banks_wanted is None or h.bank in banks_wanted]
    if include_distance:
        return [{"bank_content_id": h.signal_id, "distance": distance_text(kind, h.distance)}
                for h in hits]
    return [h.signal_id for h in hits]


def compare(pairs: Mapping[str, object], settings: Settings) -> dict[str, object]:
    """HMA's ``/m/compare``: for each type, ``[matches, {"distance": d}]`` of two hashes."""
    out: dict[str, object] = {}
    for name, pair in pairs.items():
        if not isinstance(pair, list):
            raise Invalid("Comparison hashes for {name} was not a list", name=trimmed(name))
        if len(pair) != 2 or not all(isinstance(v, str) for v in pair):
            raise Invalid("Comparison hash list length must be exactly 2")
        kind = get_signal_type(accord_type(name))
        left, right = kind.validate(pair[0]), kind.validate(pair[1])
        distance = kind.distance(left, right)
        info: dict[str, int] = {} if kind.index_kind == "exact" else {"distance": distance}
        out[name] = [distance <= kind.match_threshold(settings), info]
    return out


def index_status(engine: MatchEngine, built_to: int, only: str | None) -> dict[str, object]:
    """HMA's ``/m/index/status``: per type, whether its index is loaded, up to when, its size."""
    names = served_types()
    if only is not None:
        if only not in names:
            raise Invalid("No such signal type {only}", only=trimmed(only))
        names = [only]
    sizes = engine.size()
    return {name: {"present": True, "built_to": built_to,
                   "size": sizes.get(PYTX_TO_ACCORD[name], 0)} for name in names}


def built_to(db: Database, cursor: int) -> int:
    """Unix time of the newest change the index holds (HMA's ``built_to``); -1 for none."""
    if cursor <= 0:
        return -1
    with db.reader() as session:
        event = session.get(m.AuditEvent, cursor)
        return int(event.at.timestamp()) if event is not None else -1


# -- curation ---------------------------------------------------------------------------


def bank_body(bank: r.Bank) -> dict[str, object]:
    """A bank as HMA shows it: ratio 1.0 when it matches, 0.0 with matching off or for a
    negative bank (its hits are never reported by ``lookup``)."""
    matches = bank.matching_enabled and not bank.negative
    return {"name": bank.name, "matching_enabled_ratio": 1.0 if matches else 0.0}


def visible_banks(db: Database, viewer: Viewer) -> list[r.Bank]:
    """The banks ``viewer`` may see: its own, and those whose default marking it may see."""
    return [b for b in banks.bank_list(db, counts=False)
            if may_see(viewer, Marking(b.owner_partner_id, b.default_tlp, b.channel_id))]


def visible_bank(db: Database, viewer: Viewer, name: str) -> r.Bank:
    """One bank ``viewer`` may see, by name; ``NotFound`` also when it may not (no leak)."""
    for bank in visible_banks(db, viewer):
        if bank.name == name:
            return bank
    raise NotFound("bank {name} not found", name=trimmed(name))


def bank_create(db: Database, actor: Actor, name: object, enabled_ratio: object,
                enabled: object) -> r.Bank:
    """HMA's ``POST /c/banks``: a bank of the caller's partner, under HMA's naming rule."""
    if not isinstance(name, str) or not BANK_NAME.fullmatch(name):
        raise Invalid("Bank names must be UPPER_WITH_UNDERSCORE: {name}",
                      hint="capital letters, digits and '_', not starting with a digit",
                      name=trimmed(name))
    on = _matching_on(_ratio(enabled_ratio, enabled))
    if actor.partner_id is None:
        raise PermissionDenied("this key belongs to no partner")
    bank = banks.bank_add(db, actor, name, actor.partner_id)
    return bank if on else banks.bank_set_matching(db, actor, bank.id, enabled=False)


def _matching_on(ratio: float) -> bool:
    """HMA's ratio as Accord's switch: 1 is on, 0 is off. HMA's values in between (a
    coin flip per lookup) are refused: Accord's matches are reproducible."""
    if ratio not in (0.0, 1.0):
        raise Invalid("enabled_ratio {ratio:g} is not supported: an Accord bank matches "
                      "all of its signals (1.0) or none (0.0), never a random share",
                      hint="send enabled_ratio 1.0 or 0.0 (or enabled true or false)",
                      ratio=ratio)
    return ratio == 1.0


def bank_update(db: Database, actor: Actor, viewer: Viewer, bank_name: str,
                new_name: object, enabled_ratio: object, enabled: object) -> r.Bank:
    """HMA's ``PUT /c/bank/<name>``: a new name (HMA's naming rule) and matching on or off,
    through the core's rename and matching switch (each audited). ``NotFound`` for a bank
    the caller may not see; only its own partner's may be changed."""
    bank = visible_bank(db, viewer, bank_name)
    if new_name is not None and (not isinstance(new_name, str)
                                 or not BANK_NAME.fullmatch(new_name)):
        raise Invalid("Bank names must be UPPER_WITH_UNDERSCORE: {name}",
                      hint="capital letters, digits and '_', not starting with a digit",
                      name=trimmed(new_name))
    on = None
    if enabled is not None or enabled_ratio is not None:
        # HMA applies ``enabled`` first, then ``enabled_ratio`` over it.
        on = _matching_on(_ratio(enabled_ratio, enabled))
    if new_name is not None and new_name != bank.name:
        assert isinstance(new_name, str)
        bank = banks.bank_rename(db, actor, bank.id, new_name)
    if on is not None:
        bank = banks.bank_set_matching(db, actor, bank.id, enabled=on)
    elif new_name is None:  # nothing to change: still only the owner may "update" it
        actor.require_partner(bank.owner_partner_id, "change this bank")
    return bank


def bank_delete(db: Database, actor: Actor, viewer: Viewer, bank_name: str) -> None:
    """HMA's ``DELETE /c/bank/<name>``, under the core's rule (``banks.bank_delete``: only
    a bank that never held a signal)."""
    banks.bank_delete(db, actor, visible_bank(db, viewer, bank_name).id)


def content_delete(db: Database, actor: Actor, viewer: Viewer, bank_name: str,
                   content_id: int) -> int:
    """HMA's ``DELETE /c/bank/<name>/content/<id>``: the signal is retracted (the core's
    tombstone, audited; it stops matching). How many were: 1, or 0 when it already was
    or the bank holds no such content (as HMA counts)."""
    bank = visible_bank(db, viewer, bank_name)
    try:
        signal = signals.signal_get(db, actor, content_id)
    except NotFound:
        return 0
    if signal.bank_id != bank.id or signal.status == "retracted":
        return 0
    signals.signal_retract(db, actor, content_id, f"removed through HMA's API from {bank.name}")
    return 1


def _ratio(enabled_ratio: object, enabled: object) -> float:
    if enabled_ratio is not None:
        if isinstance(enabled_ratio, bool):
            raise Invalid("enabled_ratio {enabled_ratio} is not a number",
                          enabled_ratio=enabled_ratio)
        try:
            return float(enabled_ratio)  # type: ignore[arg-type]  # Coop sends "1"
        except (TypeError, ValueError):
            raise Invalid("enabled_ratio {enabled_ratio} is not a number",
                          enabled_ratio=trimmed(enabled_ratio)) from None
    if enabled is not None:
        return 1.0 if enabled is True or enabled in ("true", "1", 1) else 0.0
    return 1.0


def check_note(note: object) -> str:
    """HMA's note rule: a string of at most 255 characters (empty: none)."""
    if not note:
        return ""
    if not isinstance(note, str):
        raise Invalid("note should be a string")
    if len(note) > NOTE_MAX:
        raise Invalid("note must be at most {note_max} characters", note_max=NOTE_MAX)
    return note


def add_signals(db: Database, actor: Actor, viewer: Viewer, bank_name: str,
                hashes: Mapping[str, object], settings: Settings, *, note: str = "",
                content_ref: str = "", qualities: Mapping[str, int | None] | None = None
                ) -> dict[str, object]:
    """HMA's bank content: each hash added as a signal of the bank; the content id is the
    first signal's id. ``NotFound`` for a bank the caller may not see."""
    bank = visible_bank(db, viewer, bank_name)
    if not hashes:
        raise Invalid("No signals given")
    parsed: list[tuple[str, str, str]] = []
    for name, value in hashes.items():
        if not isinstance(value, str):
            raise Invalid("Invalid {name} signal: the value should be a string", name=trimmed(name))
        kind, canonical = parse_value(accord_type(name), value)
        parsed.append((name, kind, canonical))
    added: list[r.Signal] = []
    for name, kind, canonical in parsed:
        quality = (qualities or {}).get(name)
        given = SignalInput(kind, canonical, quality, rationale=note, source_ref=content_ref,
                            source_is_id=True)
        added.append(signals.signal_add(db, actor, bank.id, given, settings))
    return {"id": added[0].id,
            "signals": {hma_type(s.signal_type): hma_value(s.signal_type, s.value)
                        for s in added}}


def content_body(db: Database, actor: Actor, viewer: Viewer, bank_name: str, content_id: int,
                 *, include_signals: bool) -> dict[str, object]:
    """HMA's ``GET /c/bank/<name>/content/<id>``: a signal of the bank as bank content."""
    bank = visible_bank(db, viewer, bank_name)
    signal = signals.signal_get(db, actor, content_id)
    if signal.bank_id != bank.id:
        raise NotFound("content {content_id} not found", content_id=content_id)
    body: dict[str, object] = {
        "id": signal.id, "disable_until_ts": 1 if signal.status == "active" else 0,
        "original_media_uri": None, "bank": bank_body(bank)}
    if include_signals:
        body["signals"] = {hma_type(signal.signal_type):
                           hma_value(signal.signal_type, signal.value)}
    if signal.rationale:
        body["note"] = signal.rationale
    return body


def metadata_ref(metadata: object) -> str:
    """The content reference kept from HMA's ``metadata`` (its ``content_id``); the rest
    (``content_uri``, ``json``) is checked and not stored."""
    if metadata is None:
        return ""
    if not isinstance(metadata, dict):
        raise Invalid("metadata should be a json object")
    unknown = sorted(set(metadata) - {"content_id", "content_uri", "json", "collab"})
    if unknown:
        raise Invalid("Invalid metadata: unknown field {unknown}", unknown=trimmed(unknown[0]))
    ref = metadata.get("content_id")
    if ref is not None and not isinstance(ref, str):
        raise Invalid("Invalid metadata: content_id should be a string")
    return (ref or "")[:200]

