"""Accord records as STIX 2.1 objects, and STIX indicators back as signals.

The mapping (``docs/stix-mapping.md`` has the full table):

- partner -> ``identity`` (always ``identity_class: organization``);
- signal -> ``indicator``: MD5, SHA-256 and URL signals as STIX patterns;
  every other type (PDQ, video PDQ, text TLSH, plug-ins) with a custom
  ``pattern_type`` ``accord-<type>`` whose pattern is the canonical value.
  All indicators carry Accord's extension (``stix_extension.EXTENSION_ID``)
  with the signal's type and canonical value, which is what a reader trusts;
- a retracted signal -> the same indicator with ``revoked: true``;
- entity -> ``threat-actor`` (``terrorist``), designations as external references;
- opinion -> ``opinion``; matches -> ``sighting`` (counts and dates only);
- TLP -> ``object_marking_refs`` with the TLP 2.0 marking-definition ids.

Objects come out as plain JSON-ready dicts, built and checked with the
``stix2`` library. Ids are stable (``stix_extension.stix_id``). Who may
receive what is not decided here: ``shareable`` applies the one visibility
rule (``accord.sharing.visibility.may_see`` for ``Purpose.RESHARE``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import stix2
import stix2.exceptions
import stix2validator

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput, Status
from accord.errors import AccordError, Invalid, trimmed
from accord.exchange.stix_extension import (
    EXTENSION_ID,
    TLP_BY_MARKING_ID,
    TLP_MARKING_IDS,
    accord_identity,
    extension_definition,
    stix_id,
    tlp_marking,
)
from accord.incidents.records import Crisis
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Purpose, Shareable, Viewer, may_see
from accord.signals import get_signal_type
from accord.store import records as r
from accord.taxonomy import load_taxonomy

# STIX patterns Accord writes and reads: one comparison, one hash or URL.
PATTERN_PATHS: dict[str, str] = {
    "md5": "file:hashes.MD5",
    "sha256": "file:hashes.'SHA-256'",
    "url": "url:value",
}
_PATH_TYPES: dict[str, str] = {
    "file:hashes.md5": "md5", "file:hashes.'md5'": "md5",
    "file:hashes.'sha-256'": "sha256", "file:hashes.sha256": "sha256",
    "file:hashes.'sha256'": "sha256",
    "url:value": "url",
}
_PATTERN = re.compile(
    r"\[\s*(?P<path>[a-z0-9-]+:[a-z0-9_.'-]+)\s*=\s*'(?P<value>(?:[^'\\]|\\.)*)'\s*\]",
    re.IGNORECASE,
)
CUSTOM_PATTERN_PREFIX = "accord-"

PARTNER_SECTORS: dict[str, list[str]] = {
    "agency": ["government"],
    "platform": ["technology"],
    "ngo": ["non-profit"],
    "research": ["education"],
}
OPINION_VALUES: dict[str, str] = {
    "agree": "agree",
    "disagree": "disagree",
    "false-positive": "strongly-disagree",
    "seen": "neutral",
}
MAX_SIGHTING_COUNT = 999_999_999  # the largest count STIX allows

T = TypeVar("T", bound=Shareable)


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """How often one signal matched over a period: all a ``sighting`` may say.

    No content, no content reference, no requester: counts and dates only.
    """

    signal_id: int
    count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    reporter_partner_id: int | None = None


@dataclass(frozen=True, slots=True)
class StixSignal:
    """A signal read from a STIX indicator, with what the indicator says about it.

    ``signal.tlp`` is the indicator's TLP (None when it carries no TLP
    marking: the receiving bank's default applies). ``ignored_labels`` lists
    the indicator's labels that are not Accord taxonomy labels: reported,
    never turned into labels.
    """

    stix_id: str
    signal: SignalInput
    revoked: bool
    tlp: str | None
    created_by_ref: str | None
    modified: str | None
    negative: bool = False
    status: str = Status.ACTIVE.value
    ignored_labels: tuple[str, ...] = ()


def _stix_time(when: dt.datetime) -> str:
    """RFC 3339 UTC with milliseconds, as STIX wants it."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _as_dict(obj: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(obj.serialize())
    return result


def _extension(**properties: object) -> dict[str, dict[str, object]]:
    body = {k: v for k, v in properties.items() if v is not None and v != "" and v != []}
    return {EXTENSION_ID: {"extension_type": "property-extension", **body}}


def _markings(tlp: str) -> list[str]:
    return [TLP_MARKING_IDS[Tlp(tlp)]]


def quote_pattern_value(value: str) -> str:
    """``value`` as a STIX pattern string literal: backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


def signal_pattern(signal_type: str, value: str) -> tuple[str, str]:
    """``(pattern_type, pattern)`` for a signal.

    MD5, SHA-256 and URL signals are STIX patterns any STIX tool can match.
    Other types have no STIX observable property that means the same thing
    (a text TLSH is over extracted text, not the file; PDQ is not a file
    hash), so they use a custom pattern type, ``accord-<type>``, whose pattern
    is the canonical value. The validator accepts custom pattern types with a
    vocabulary warning only, and STIX tools keep such indicators as opaque.
    """
    path = PATTERN_PATHS.get(signal_type)
    if path is not None:
        return "stix", f"[{path} = {quote_pattern_value(value)}]"
    return CUSTOM_PATTERN_PREFIX + signal_type.replace("_", "-"), value


# -- Accord records to STIX ----------------------------------------------------------------


def partner_to_stix(partner: r.Partner, node_id: str) -> dict[str, Any]:
    """A partner as an ``identity`` of class ``organization`` (never an individual)."""
    created = _stix_time(partner.created_at)
    return _as_dict(stix2.v21.Identity(
        id=stix_id("identity", node_id, partner.id), created=created, modified=created,
        name=partner.name, identity_class="organization",
        description=f"Accord partner ({partner.kind}, {partner.country})",
        sectors=PARTNER_SECTORS.get(partner.kind),
        extensions=_extension(partner_kind=partner.kind, country=partner.country),
    ))


def indicator_id(node_id: str, signal_id: int) -> str:
    """The stable ``indicator`` id of signal ``signal_id`` on node ``node_id``."""
    return stix_id("indicator", node_id, signal_id)


def signal_to_stix(signal: r.Signal, node_id: str, *, negative: bool = False) -> dict[str, Any]:
    """A signal as an ``indicator``; a retracted one is revoked.

    ``negative`` marks a signal of a negative ("known legitimate") bank: its
    ``indicator_types`` is ``benign`` instead of ``malicious-activity``.
    """
    created = signal.created_at
    modified = max(signal.updated_at, created)
    revoked = signal.status == Status.RETRACTED
    if revoked and _stix_time(modified) <= _stix_time(created):
        # A revocation is a new version, so it must be strictly later than the first.
        modified = created + dt.timedelta(milliseconds=1)
    pattern_type, pattern = signal_pattern(signal.signal_type, signal.value)
    return _as_dict(stix2.v21.Indicator(
        id=indicator_id(node_id, signal.id),
        created_by_ref=stix_id("identity", node_id, signal.owner_partner_id),
        created=_stix_time(created), modified=_stix_time(modified),
        name=f"Accord {signal.signal_type} signal",
        description=signal.rationale or f"A {signal.signal_type} signal shared through Accord.",
        indicator_types=["benign" if negative else "malicious-activity"],
        pattern=pattern, pattern_type=pattern_type, valid_from=_stix_time(created),
        labels=list(signal.labels) or None, revoked=revoked or None,
        object_marking_refs=_markings(signal.tlp),
        extensions=_extension(signal_type=signal.signal_type, value=signal.value,
                              quality=signal.quality, status=signal.status,
                              source_ref=signal.source_ref),
    ))


def entity_to_stix(entity: r.Entity, node_id: str, *, created: dt.datetime) -> dict[str, Any]:
    """An entity (an organisation) as a ``threat-actor`` of type ``terrorist``.

    Each designation becomes an external reference (source and reference);
    its listing and delisting dates, and the aliases' scripts, travel in
    Accord's extension. ``created`` dates the object (entities keep no dates).
    """
    stamp = _stix_time(created)
    return _as_dict(stix2.v21.ThreatActor(
        id=stix_id("threat-actor", node_id, entity.ref), created=stamp, modified=stamp,
        name=entity.name, threat_actor_types=["terrorist"],
        description=f"Organisation {entity.name} (Accord entity {entity.ref}), "
                    f"named by {len(entity.designations)} designation list(s).",
        aliases=[a.name for a in entity.aliases] or None,
        external_references=[{"source_name": d.source, "external_id": d.reference}
                             for d in entity.designations] or None,
        extensions=_extension(
            entity_ref=entity.ref,
            aliases=[{"name": a.name, "script": a.script} for a in entity.aliases],
            designations=[{
                "source": d.source, "reference": d.reference,
                # STIX forbids nulls: a date the list does not give is left out.
                **({"listed_on": d.listed_on.isoformat()} if d.listed_on else {}),
                **({"delisted_on": d.delisted_on.isoformat()} if d.delisted_on else {}),
            } for d in entity.designations],
        ),
    ))


def opinion_to_stix(opinion: r.Opinion, node_id: str, *,
                    indicator_ref: str | None = None) -> dict[str, Any]:
    """A partner's feedback as an ``opinion`` on the signal's indicator.

    The author's name stays home (members are people); the partner signs it
    through ``created_by_ref``. ``indicator_ref`` defaults to the signal's id
    on this node.
    """
    value = OPINION_VALUES.get(opinion.kind)
    if value is None:
        raise Invalid(f"opinion {opinion.id} has kind {trimmed(opinion.kind)}, which has no "
                      "STIX value", hint="kinds: " + ", ".join(OPINION_VALUES))
    stamp = _stix_time(opinion.updated_at)
    return _as_dict(stix2.v21.Opinion(
        id=stix_id("opinion", node_id, opinion.id), created=stamp, modified=stamp,
        created_by_ref=stix_id("identity", node_id, opinion.partner_id),
        opinion=value, explanation=opinion.note or None,
        object_refs=[indicator_ref or indicator_id(node_id, opinion.signal_id)],
    ))


def sighting_to_stix(summary: MatchSummary, node_id: str) -> dict[str, Any]:
    """Matches of one signal as a ``sighting``: count and first/last time, nothing else."""
    if not 1 <= summary.count <= MAX_SIGHTING_COUNT:
        raise Invalid(f"sighting count {summary.count} is outside 1-{MAX_SIGHTING_COUNT}")
    if summary.last_seen < summary.first_seen:
        raise Invalid(f"sighting of signal {summary.signal_id}: last_seen is before first_seen")
    key = f"{summary.signal_id}:{summary.reporter_partner_id}:{_stix_time(summary.first_seen)}"
    stamp = _stix_time(summary.last_seen)
    reporter = summary.reporter_partner_id
    return _as_dict(stix2.v21.Sighting(
        id=stix_id("sighting", node_id, key), created=stamp, modified=stamp,
        created_by_ref=stix_id("identity", node_id, reporter) if reporter is not None else None,
        sighting_of_ref=indicator_id(node_id, summary.signal_id), count=summary.count,
        first_seen=_stix_time(summary.first_seen), last_seen=stamp,
    ))


def crisis_to_stix(crisis: Crisis, indicator_refs: Sequence[str], node_id: str, *,
                   owner_partner_id: int, tlp: str) -> dict[str, Any]:
    """A crisis as a ``report`` whose ``object_refs`` are its crisis bank's indicators.

    The crisis's criteria are its labels; its TLP marking is ``tlp`` (give the strictest of
    the indicators', so the report never travels wider than what it cites). The debrief
    stays home: it is free text about the response, not an exchange object.
    """
    if not indicator_refs:
        raise Invalid(f"crisis {crisis.id} has no indicator that may leave this node",
                      hint="a STIX report cites at least one object: add signals to the "
                           "crisis bank first")
    created = crisis.started_at
    ended = crisis.closed_at or crisis.expired_at
    modified = max(ended, created) if ended is not None else created
    state = crisis.state
    return _as_dict(stix2.v21.Report(
        id=stix_id("report", node_id, f"crisis:{crisis.id}"),
        created_by_ref=stix_id("identity", node_id, owner_partner_id),
        created=_stix_time(created), modified=_stix_time(modified),
        published=_stix_time(created), name=f"Accord crisis {crisis.id}",
        description=f"Crisis activated on incident {crisis.incident_id} ({state}); criteria "
                    f"met: {', '.join(crisis.criteria)}. Expires "
                    f"{_stix_time(crisis.expires_at)}.",
        report_types=["threat-report"], labels=["crisis", *crisis.criteria],
        object_refs=list(dict.fromkeys(indicator_refs)), object_marking_refs=_markings(tlp),
    ))


def make_bundle(objects: Iterable[Mapping[str, Any]], *,
                bundle_id: str | None = None) -> dict[str, Any]:
    """A ``bundle`` of ``objects`` plus the definitions they reference.

    The TLP 2.0 marking definitions that objects cite, and Accord's
    extension definition (with its author) when an object uses it, are
    added once each, so the bundle stands on its own.
    """
    body = [dict(o) for o in objects]
    present = {o.get("id") for o in body}
    extra: list[dict[str, Any]] = []
    uses_extension = any(EXTENSION_ID in o.get("extensions", {}) for o in body)
    if uses_extension and EXTENSION_ID not in present:
        extra += [accord_identity(), extension_definition()]
    cited = {ref for o in body for ref in o.get("object_marking_refs", ())}
    extra += [tlp_marking(t) for t, mid in TLP_MARKING_IDS.items()
              if mid in cited and mid not in present]
    return {"type": "bundle", "id": bundle_id or f"bundle--{uuid.uuid4()}",
            "objects": extra + body}


def shareable(viewer: Viewer, records: Iterable[T]) -> list[T]:
    """The records ``viewer`` may be given to pass on: the one visibility rule, RESHARE.

    Use it before mapping anything to STIX for a peer: RED never leaves its
    owner, AMBER+STRICT is never re-shared.
    """
    return [item for item in records if may_see(viewer, item, Purpose.RESHARE)]


# -- STIX back to signals ------------------------------------------------------------------


def _describe(obj: Mapping[str, Any]) -> str:
    return trimmed(obj.get("id") or obj.get("type") or "<object without id>", 80)


def _stix_error(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def parse_stix(data: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """Check one STIX 2.1 object or bundle with the ``stix2`` library; return it as a dict.

    Raises ``Invalid`` (never a traceback) naming the object and what is wrong.
    """
    if isinstance(data, str | bytes):
        try:
            loaded = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Invalid(f"not STIX: the text is not JSON ({_stix_error(exc)})") from None
    else:
        loaded = dict(data)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("type"), str):
        raise Invalid("not STIX: expected a JSON object with a 'type'")
    try:
        stix2.parse(loaded, allow_custom=True, version="2.1")
    except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError,
            AttributeError) as exc:  # stix2 raises AttributeError on e.g. "extensions": 5
        raise Invalid(f"{_describe(loaded)} is not valid STIX 2.1: {_stix_error(exc)}") from None
    return loaded


def _tlp_of(obj: Mapping[str, Any]) -> str | None:
    refs = obj.get("object_marking_refs", ())
    found = {TLP_BY_MARKING_ID[m] for m in (refs if isinstance(refs, list) else ())
             if isinstance(m, str) and m in TLP_BY_MARKING_ID}
    if not found:
        return None
    # Two TLP markings on one object: the stricter wins.
    order = list(Tlp)
    return max(found, key=order.index).value


def _from_pattern(obj: Mapping[str, Any]) -> tuple[str, str]:
    pattern_type = str(obj.get("pattern_type", ""))
    pattern = str(obj.get("pattern", ""))
    if pattern_type.startswith(CUSTOM_PATTERN_PREFIX):
        return pattern_type.removeprefix(CUSTOM_PATTERN_PREFIX).replace("-", "_"), pattern
    if pattern_type != "stix":
        raise Invalid(f"indicator {_describe(obj)} has pattern_type {trimmed(pattern_type)}",
                      hint="Accord reads STIX patterns on MD5, SHA-256 or URL, and its own "
                      "accord-<type> patterns")
    match = _PATTERN.fullmatch(pattern.strip())
    if match is None:
        raise Invalid(
            f"indicator {_describe(obj)}: pattern {trimmed(pattern)} is not one comparison",
            hint="Accord takes one hash or URL per indicator: [file:hashes.MD5 = '...'], "
            "[file:hashes.'SHA-256' = '...'] or [url:value = '...']")
    kind = _PATH_TYPES.get(match["path"].lower())
    if kind is None:
        raise Invalid(f"indicator {_describe(obj)}: {trimmed(match['path'])} is not a hash or "
                      "URL Accord shares", hint="supported: file:hashes.MD5, "
                      "file:hashes.'SHA-256', url:value")
    return kind, _unquote(match["value"])


def _split_labels(obj: Mapping[str, Any], ours: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    labels = [str(x) for x in obj.get("labels", ())]
    if ours:
        return tuple(labels), ()
    taxonomy = load_taxonomy()
    kept, ignored = [], []
    for text in labels:
        try:
            kept.append(str(taxonomy.check_label(text)))
        except Invalid:
            ignored.append(text)
    return tuple(kept), tuple(ignored)


RECEIVED_STATUSES = (Status.ACTIVE.value, Status.QUARANTINED.value)


def received_status(obj: Mapping[str, Any], status: object) -> str:
    """The status an indicator's Accord extension gives (active when it gives none).

    A revoked indicator is a retraction whatever its extension says; any other
    must say active or quarantined, or it is refused (``Invalid`` naming it).
    """
    if obj.get("revoked") is True:
        return Status.RETRACTED.value
    if status is None:
        return Status.ACTIVE.value
    if status in RECEIVED_STATUSES:
        return str(status)
    raise Invalid(f"indicator {_describe(obj)}: status {trimmed(status)} is not one Accord "
                  "applies", hint="an indicator's status is active or quarantined; a "
                  "retraction is a version with revoked: true")


def indicator_to_signal(data: str | bytes | Mapping[str, Any]) -> StixSignal:
    """The one reader of an ``indicator``, as Accord emits it or as other tools write it.

    Accord's extension, when present, gives the signal's type and value;
    otherwise the pattern must be a single MD5, SHA-256 or URL comparison.
    The value is canonicalised here, once, by its signal type (``signal.value``
    is canonical and ``signal.signal_type`` the type's name). Anything else
    raises ``Invalid`` naming the object id and the reason.

    An indicator in the shape Accord writes is read without the full ``stix2``
    parse (a sync page is thousands of them); any other takes the strict path,
    and both give the same reading (``tests/exchange/test_indicator_reader.py``).
    """
    if isinstance(data, Mapping):
        fast = _accord_reading(data)
        if fast is not None:
            return fast
    return _strict_reading(data)


def _strict_reading(data: str | bytes | Mapping[str, Any]) -> StixSignal:
    """The reading after a full ``stix2`` parse of the object."""
    obj = parse_stix(data)
    if obj["type"] != "indicator":
        raise Invalid(f"{_describe(obj)} is a {trimmed(obj['type'])} object, not an indicator")
    extensions = obj.get("extensions", {})
    ext = extensions.get(EXTENSION_ID) if isinstance(extensions, Mapping) else None
    if isinstance(ext, Mapping) and "signal_type" in ext and "value" in ext:
        kind, value = str(ext["signal_type"]), str(ext["value"])
        quality = ext.get("quality")
        if quality is not None and (isinstance(quality, bool) or not isinstance(quality, int)):
            raise Invalid(f"indicator {_describe(obj)}: quality {trimmed(quality)} is not a "
                          "whole number")
        source_ref = str(ext.get("source_ref", ""))
        status = received_status(obj, ext.get("status"))
    else:
        ext = None
        kind, value = _from_pattern(obj)
        quality, source_ref, status = None, "", Status.ACTIVE.value
    labels, ignored = _split_labels(obj, ours=ext is not None)
    description = obj.get("description", "")
    rationale = description if ext is not None and isinstance(description, str) else ""
    return _reading(obj, kind, value, quality, labels, rationale, source_ref, status, ignored)


_STIX_ID = re.compile(r"^[a-z][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                      r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _accord_reading(obj: Mapping[str, Any]) -> StixSignal | None:
    """The reading of an indicator in the shape Accord writes, without the ``stix2`` parse;
    None when it is not in that shape (then the strict path reads it)."""
    ext = obj.get("extensions", {})
    ext = ext.get(EXTENSION_ID) if isinstance(ext, Mapping) else None
    if not isinstance(ext, Mapping) or obj.get("type") != "indicator":
        return None
    kind, value, quality = ext.get("signal_type"), ext.get("value"), ext.get("quality")
    labels = obj.get("labels", [])
    modified = obj.get("modified")
    created_by = obj.get("created_by_ref")
    if not (isinstance(kind, str) and isinstance(value, str) and isinstance(obj.get("id"), str)
            and _STIX_ID.match(obj["id"]) and obj.get("spec_version") == "2.1"
            and isinstance(obj.get("created"), str) and isinstance(modified, str)
            and _TIMESTAMP.match(modified)
            and isinstance(obj.get("pattern"), str) and isinstance(labels, list)
            and isinstance(obj.get("object_marking_refs", []), list)
            and isinstance(obj.get("indicator_types", []), list)
            and isinstance(obj.get("revoked", False), bool)
            and isinstance(obj.get("description", ""), str)
            and isinstance(ext.get("source_ref", ""), str)
            and (created_by is None or (isinstance(created_by, str)
                                        and _STIX_ID.match(created_by)))
            and all(isinstance(x, str) for x in labels)
            and (quality is None or (isinstance(quality, int) and not isinstance(quality, bool)))):
        return None
    return _reading(obj, kind, value, quality, tuple(labels), obj.get("description", ""),
                    ext.get("source_ref", ""), received_status(obj, ext.get("status")), ())


def _reading(obj: Mapping[str, Any], kind: str, value: str, quality: int | None,
             labels: tuple[str, ...], rationale: str, source_ref: str, status: str,
             ignored: tuple[str, ...]) -> StixSignal:
    """The reading both paths end in: the type and value canonicalised, once."""
    try:
        signal_type = get_signal_type(kind.strip().lower())
        value = signal_type.validate(value)
    except Invalid as exc:
        raise Invalid(f"indicator {_describe(obj)}: {exc.message}", hint=exc.hint) from None
    if rationale == f"A {kind} signal shared through Accord.":
        rationale = ""
    revoked = obj.get("revoked") is True
    tlp = _tlp_of(obj)
    return StixSignal(
        stix_id=str(obj["id"]),
        signal=SignalInput(signal_type=signal_type.name, value=value, quality=quality,
                           labels=labels, tlp=tlp, rationale=rationale, source_ref=source_ref),
        revoked=revoked, tlp=tlp, created_by_ref=obj.get("created_by_ref"),
        modified=obj.get("modified"), negative="benign" in obj.get("indicator_types", ()),
        status=Status.RETRACTED.value if revoked else status, ignored_labels=ignored,
    )


def bundle_rows(data: str | bytes | Mapping[str, Any]) -> Iterator[Row]:
    """Import rows from a STIX bundle: ``(object number, SignalInput | RowError)``.

    Indicators become signals; a refused indicator is a ``RowError`` naming it.
    Revoked indicators (tombstones, for sync to apply) and objects that are
    not indicators (identities, markings, definitions...) are skipped; a
    quarantined indicator is refused (never imported as active: ``taxii.ingest``
    stores it quarantined).
    """
    bundle = parse_stix(data)
    if bundle["type"] != "bundle":
        raise Invalid(f"{_describe(bundle)} is a {trimmed(bundle['type'])} object, not a bundle")
    for number, obj in enumerate(bundle.get("objects", ()), start=1):
        if not isinstance(obj, Mapping) or obj.get("type") != "indicator":
            continue
        try:
            found = indicator_to_signal(obj)
        except Invalid as exc:
            yield number, RowError(number, exc.message)
            continue
        if found.status == Status.QUARANTINED:
            yield number, RowError(number, f"indicator {_describe(obj)} is quarantined: "
                                   "import the bundle with `accord import --format stix`, "
                                   "which keeps its status")
        elif not found.revoked:
            yield number, found.signal


# -- Validation ----------------------------------------------------------------------------


def _validator_schemas() -> Path:
    root = Path(stix2validator.__file__).parent / "schemas-2.1" / "schemas"
    if not (root / "common" / "core.json").is_file():
        raise AccordError(
            f"stix2-validator has no STIX 2.1 JSON schemas under {root}",
            hint="stix2-validator 3.3.1 shipped without them; install the pinned "
            "stix2-validator==3.3.2 (pip install -e .)")
    return root


def validate_bundle(bundle_json: str | bytes | Mapping[str, Any]) -> list[str]:
    """The errors ``stix2-validator`` finds in a bundle (warnings are left out).

    Validation is offline: the validator's bundled STIX 2.1 schemas only,
    no ``--schemas`` directory, so it never fetches a schema.
    """
    _validator_schemas()
    if isinstance(bundle_json, str | bytes):
        try:
            loaded = json.loads(bundle_json)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return [f"not JSON: {_stix_error(exc)}"]
    else:
        loaded = dict(bundle_json)
    options = stix2validator.ValidationOptions(version="2.1", strict=False)
    try:
        results = stix2validator.validate_parsed_json(loaded, options)
    except Exception as exc:  # the validator raises bare exceptions on malformed input
        return [f"cannot validate: {_stix_error(exc)}"]
    errors: list[str] = []
    for result in results if isinstance(results, Sequence) else [results]:
        for error in result.as_dict().get("errors", ()):
            errors.append(str(error.get("message", error)))
    return errors
