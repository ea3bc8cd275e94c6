"""The Accord indicator: its one writer and its one reader.

A signal travels as a STIX 2.1 ``indicator`` (``docs/stix-mapping.md``): MD5,
SHA-256 and URL signals as STIX patterns, every other type (PDQ, video PDQ,
text TLSH, plug-ins) with a custom ``pattern_type`` ``accord-<type>`` whose
pattern is the canonical value. All carry Accord's extension
(``stix_common.EXTENSION_ID``) with the signal's type, canonical value,
quality, status and source; a retracted signal is the same indicator with
``revoked: true``, a negative bank's is ``benign``.

- Writing: ``IndicatorRenderer`` (a ``SignalRow`` to a dict), and
  ``signal_to_stix`` for a signal record; TAXII pages, sync pushes, file
  exports and crisis reports all use it.
- Reading: ``indicator_to_signal`` (a dict, or JSON text, to a ``StixSignal``,
  with its type and value canonicalised once; ``Invalid`` naming the object
  otherwise); TAXII ingest, sync pulls and file imports all use it, and
  ``bundle_rows`` turns a bundle into import rows with it.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput, Status
from accord.errors import Invalid, trimmed
from accord.exchange.stix import describe, parse_stix
from accord.exchange.stix_common import (
    EXTENSION_ID,
    SIGNAL_OBJECT,
    TLP_MARKING_IDS,
    stix_id,
    stix_time,
    tlp_of_markings,
)
from accord.sharing.tlp import Tlp
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
"""The custom ``pattern_type`` of before (``accord-<type>``, the pattern the bare value):
no longer written, still read, from old exports and older Accord nodes."""
_SIGNAL_PATTERN = re.compile(
    r"\[\s*x-accord-signal:signal_type\s*=\s*'(?P<kind>(?:[^'\\]|\\.)*)'\s+AND\s+"
    r"x-accord-signal:value\s*=\s*'(?P<value>(?:[^'\\]|\\.)*)'\s*\]",
    re.IGNORECASE,
)


def quote_pattern_value(value: str) -> str:
    """``value`` as a STIX pattern string literal: backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


def signal_pattern(signal_type: str, value: str) -> tuple[str, str]:
    """``(pattern_type, pattern)`` for a signal: always a STIX pattern (``stix`` is in
    the pattern-type vocabulary).

    MD5, SHA-256 and URL signals compare the standard observables any STIX tool
    matches. Other types have no STIX observable property that means the same
    thing (a text TLSH is over extracted text, not the file; PDQ is not a hash of
    the file's bytes), so they compare Accord's custom observable
    ``x-accord-signal`` (defined by the ``new-sco`` extension
    ``stix_common.SIGNAL_OBJECT_ID``): ``[x-accord-signal:signal_type = 'pdq' AND
    x-accord-signal:value = '<canonical value>']``. A tool that matches STIX
    patterns never compares a file with it; one that only keeps patterns keeps
    the whole signal.
    """
    path = PATTERN_PATHS.get(signal_type)
    if path is not None:
        return "stix", f"[{path} = {quote_pattern_value(value)}]"
    return "stix", (f"[{SIGNAL_OBJECT}:signal_type = {quote_pattern_value(signal_type)} AND "
                    f"{SIGNAL_OBJECT}:value = {quote_pattern_value(value)}]")


# -- Writing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignalRow:
    """The columns of a stored signal that its indicator needs."""

    id: int
    owner_partner_id: int
    signal_type: str
    value: str
    quality: int | None
    tlp: str
    status: str
    rationale: str
    source_ref: str
    created_at: dt.datetime
    updated_at: dt.datetime
    negative: bool
    labels: tuple[str, ...]


def modified_of(row: SignalRow) -> dt.datetime:
    """The indicator's ``modified``: a revocation is always later than ``created``."""
    modified = max(row.updated_at, row.created_at)
    if row.status == Status.RETRACTED and stix_time(modified) <= stix_time(row.created_at):
        modified = row.created_at + dt.timedelta(milliseconds=1)
    return modified


class IndicatorRenderer:
    """The one writer of the Accord indicator: ``SignalRow``s of one node as indicator dicts.

    It writes the dict directly rather than through ``stix2`` (0.3 ms an object,
    too slow for a 100,000-signal sync); ``tests/exchange/test_indicator_writer.py``
    checks that it is what ``stix2`` builds, on every signal shape.
    """

    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        self._identities: dict[int, str] = {}

    def identity(self, partner_id: int) -> str:
        """The ``identity`` id of a partner of this node."""
        found = self._identities.get(partner_id)
        if found is None:
            found = self._identities[partner_id] = stix_id("identity", self.node_id, partner_id)
        return found

    def indicator(self, row: SignalRow) -> dict[str, Any]:
        """The indicator of this row; a retracted signal's is revoked."""
        created = stix_time(row.created_at)
        pattern_type, pattern = signal_pattern(row.signal_type, row.value)
        obj: dict[str, Any] = {
            "type": "indicator", "spec_version": "2.1",
            "id": stix_id("indicator", self.node_id, row.id),
            "created_by_ref": self.identity(row.owner_partner_id), "created": created,
            "modified": stix_time(modified_of(row)), "name": f"Accord {row.signal_type} signal",
            "description": row.rationale or f"A {row.signal_type} signal shared through Accord.",
            "indicator_types": ["benign" if row.negative else "malicious-activity"],
            "pattern": pattern, "pattern_type": pattern_type,
        }
        obj["pattern_version"] = "2.1"
        obj["valid_from"] = created
        if row.status == Status.RETRACTED:
            obj["revoked"] = True
        if row.labels:
            obj["labels"] = list(row.labels)
        obj["object_marking_refs"] = [TLP_MARKING_IDS[Tlp(row.tlp)]]
        ext: dict[str, object] = {"extension_type": "property-extension",
                                  "signal_type": row.signal_type, "value": row.value}
        if row.quality is not None:
            ext["quality"] = row.quality
        ext["status"] = row.status
        if row.source_ref:
            ext["source_ref"] = row.source_ref
        obj["extensions"] = {EXTENSION_ID: ext}
        return obj


def signal_to_stix(signal: r.Signal, node_id: str, *, negative: bool = False) -> dict[str, Any]:
    """A signal record as its ``indicator`` (``IndicatorRenderer`` on the record's columns).

    ``negative`` marks a signal of a negative ("known legitimate") bank: its
    ``indicator_types`` is ``benign`` instead of ``malicious-activity``.
    """
    row = SignalRow(signal.id, signal.owner_partner_id, signal.signal_type, signal.value,
                    signal.quality, signal.tlp, signal.status, signal.rationale,
                    signal.source_ref, signal.created_at, signal.updated_at, negative,
                    tuple(signal.labels))
    return IndicatorRenderer(node_id).indicator(row)


# -- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StixSignal:
    """A signal read from a STIX indicator, with what the indicator says about it.

    ``signal`` carries the canonical type name and value (every later step uses them
    as they are: nothing parses the value again). ``signal.tlp`` is the indicator's
    TLP (None when it carries no TLP marking: the receiving bank's default applies).
    ``ignored_labels`` lists the indicator's labels that are not Accord taxonomy
    labels: reported, never turned into labels.
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


def _tlp_of(obj: Mapping[str, Any]) -> str | None:
    """The indicator's TLP from its marking refs (the strictest, when it has several)."""
    refs = obj.get("object_marking_refs", ())
    tlp = tlp_of_markings(refs if isinstance(refs, list) else ())
    return tlp.value if tlp is not None else None


def _from_pattern(obj: Mapping[str, Any]) -> tuple[str, str]:
    pattern_type = str(obj.get("pattern_type", ""))
    pattern = str(obj.get("pattern", ""))
    if pattern_type.startswith(CUSTOM_PATTERN_PREFIX):
        return pattern_type.removeprefix(CUSTOM_PATTERN_PREFIX).replace("-", "_"), pattern
    if pattern_type != "stix":
        raise Invalid("indicator {describe} has pattern_type {pattern_type}",
                      hint="Accord reads STIX patterns on MD5, SHA-256, URL or its "
                           "x-accord-signal observable, and its accord-<type> patterns of before",
                      describe=describe(obj), pattern_type=trimmed(pattern_type))
    signal = _SIGNAL_PATTERN.fullmatch(pattern.strip())
    if signal is not None:
        return _unquote(signal["kind"]), _unquote(signal["value"])
    match = _PATTERN.fullmatch(pattern.strip())
    if match is None:
        raise Invalid("indicator {describe}: pattern {pattern} is not one comparison",
                      hint="Accord takes one hash or URL per indicator: [file:hashes.MD5 = "
                           "'...'], [file:hashes.'SHA-256' = '...'] or [url:value = '...']",
                      describe=describe(obj), pattern=trimmed(pattern))
    kind = _PATH_TYPES.get(match["path"].lower())
    if kind is None:
        raise Invalid("indicator {describe}: {match} is not a hash or URL Accord shares",
                      hint="supported: file:hashes.MD5, file:hashes.'SHA-256', url:value",
                      describe=describe(obj), match=trimmed(match['path']))
    return kind, _unquote(match["value"])


# Labels of an indicator another tool wrote. misp-stix writes a MISP attribute's tags as
# its indicator's labels: Accord's machine tags (accord:behaviour="recruitment") are
# read as the labels they name; its own "misp:" labels (misp:type="md5",
# misp:category=...) describe the MISP attribute, and "tlp:" ones repeat the marking,
# so both are skipped. Every other label is returned as ignored, for the caller to report.
_ACCORD_MACHINE_TAG = re.compile(r'accord:(?P<namespace>[^:="]+)="(?P<value>[^"]*)"')
_NOT_LABELS = ("misp:", "tlp:")


def _split_labels(obj: Mapping[str, Any], ours: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    labels = [str(x) for x in obj.get("labels", ())]
    if ours:
        return tuple(labels), ()
    taxonomy = load_taxonomy()
    kept, ignored = [], []
    for text in labels:
        if text.lower().startswith(_NOT_LABELS):
            continue
        tag = _ACCORD_MACHINE_TAG.fullmatch(text.strip())
        try:
            kept.append(str(taxonomy.check_label(
                f"{tag['namespace']}:{tag['value']}" if tag else text)))
        except Invalid:
            ignored.append(text)
    return tuple(dict.fromkeys(kept)), tuple(ignored)


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
    raise Invalid("indicator {describe}: status {status} is not one Accord applies",
                  hint="an indicator's status is active or quarantined; a retraction is a version "
                       "with revoked: true", describe=describe(obj), status=trimmed(status))


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
        raise Invalid("{describe} is a {obj} object, not an indicator", describe=describe(obj),
                      obj=trimmed(obj['type']))
    extensions = obj.get("extensions", {})
    ext = extensions.get(EXTENSION_ID) if isinstance(extensions, Mapping) else None
    if isinstance(ext, Mapping) and "signal_type" in ext and "value" in ext:
        kind, value = str(ext["signal_type"]), str(ext["value"])
        quality = ext.get("quality")
        if quality is not None and (isinstance(quality, bool) or not isinstance(quality, int)):
            raise Invalid("indicator {describe}: quality {quality} is not a whole number",
                          describe=describe(obj), quality=trimmed(quality))
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
        raise Invalid("indicator {describe}: {reason}", hint=exc.hint_phrase(),
                      describe=describe(obj), reason=exc.phrase()) from None
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
        raise Invalid("{describe} is a {bundle} object, not a bundle", describe=describe(bundle),
                      bundle=trimmed(bundle['type']))
    for number, obj in enumerate(bundle.get("objects", ()), start=1):
        if not isinstance(obj, Mapping) or obj.get("type") != "indicator":
            continue
        try:
            found = indicator_to_signal(obj)
        except Invalid as exc:
            yield number, RowError(number, exc.message)
            continue
        if found.status == Status.QUARANTINED:
            yield number, RowError(number, f"indicator {describe(obj)} is quarantined: "
                                   "import the bundle with `accord import --format stix`, "
                                   "which keeps its status")
        elif not found.revoked:
            yield number, found.signal
