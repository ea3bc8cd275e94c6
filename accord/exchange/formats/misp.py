"""MISP event JSON: hash (MD5, SHA-256) and URL attributes, tags mapped to the taxonomy.

Read: ``{"Event": {...}}``, a bare event, or a search answer
``{"response": [{"Event": ...}, ...]}``. Attributes come from the event's
``Attribute`` list and its objects' (``Object[].Attribute``); ``md5``,
``sha256``, ``url`` and ``filename|md5`` / ``filename|sha256`` (the file
name is dropped) become signals. Other attribute types are reported as row
errors, deleted attributes skipped.

Tags (the event's apply to every attribute, an attribute's to itself):

- ``tlp:<level>`` sets the signal's TLP (TLP 1.0 ``white`` reads as CLEAR);
- ``accord:<namespace>="<value>"`` machine tags become ``namespace:value``
  labels, checked against the taxonomy (``accord:behaviour="recruitment"``);
- ``MISP_TAG_LABELS`` maps a few third-party tags; ``IGNORED_TAG_NAMESPACES``
  (analysis workflow metadata) are dropped;
- any other tag is reported (a row error naming it, once per file) and never
  turned into a label.

Write: one event whose attributes carry ``accord:`` machine tags and a ``tlp:`` tag.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed
from accord.sharing.tlp import Tlp
from accord.taxonomy import load_taxonomy

ATTRIBUTE_TYPES: dict[str, str] = {
    "md5": "md5", "sha256": "sha256", "url": "url",
    "filename|md5": "md5", "filename|sha256": "sha256",
}
WRITTEN_TYPES: dict[str, tuple[str, str]] = {
    "md5": ("md5", "Payload delivery"),
    "sha256": ("sha256", "Payload delivery"),
    "url": ("url", "Network activity"),
}
MISP_TAG_LABELS: dict[str, str] = {
    # Deliberately small: a third-party tag is mapped only where its meaning is exactly
    # the taxonomy entry's. eCSIRT/RSIT abusive-content="violence" is NOT mapped: it also
    # covers child abuse material and violence in general, so no Accord label fits it.
    # Galaxy clusters (misp-galaxy:threat-actor=...) are not mapped either: an entity
    # label must cite an Accord entity and its designation source.
    # Add entries as "<exact MISP tag>": "<namespace>:<value>"; tests check each one
    # against the taxonomy.
}
IGNORED_TAG_NAMESPACES = frozenset({"workflow", "admiralty-scale", "estimative-language", "pap",
                                    "misp", "misp-workflow"})
_MACHINE_TAG = re.compile(r'(?P<ns>[^:="]+):(?P<pred>[^=]+)(?:="(?P<value>[^"]*)")?')


def _events(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping) and isinstance(data.get("response"), list):
        return [e.get("Event", e) for e in data["response"] if isinstance(e, Mapping)]
    if isinstance(data, Mapping) and isinstance(data.get("Event"), Mapping):
        return [data["Event"]]
    if isinstance(data, Mapping) and "Attribute" in data:
        return [data]
    raise Invalid("not a MISP event: expected {\"Event\": {...}} with an Attribute list")


def _tag_names(holder: Mapping[str, Any]) -> list[str]:
    tags = holder.get("Tag", ())
    if not isinstance(tags, list):
        return []
    return [str(t["name"]) for t in tags if isinstance(t, Mapping) and "name" in t]


class _TagMapper:
    """Turns MISP tag names into (TLP, labels, unknown tags), with answers cached."""

    def __init__(self) -> None:
        self._taxonomy = load_taxonomy()
        self._cache: dict[str, tuple[str, str]] = {}

    def classify(self, tag: str) -> tuple[str, str]:
        """``("tlp", level)``, ``("label", text)``, ``("ignore", "")`` or ``("unknown", tag)``."""
        found = self._cache.get(tag)
        if found is None:
            found = self._classify(tag.strip())
            self._cache[tag] = found
        return found

    def _classify(self, tag: str) -> tuple[str, str]:
        lowered = tag.lower()
        if lowered.startswith("tlp:"):
            try:
                return "tlp", Tlp.parse(lowered).value
            except Invalid:
                return "unknown", tag
        if tag in MISP_TAG_LABELS:
            return "label", MISP_TAG_LABELS[tag]
        match = _MACHINE_TAG.fullmatch(tag)
        if match is None:
            return "unknown", tag
        namespace = match["ns"].strip().lower()
        if namespace in IGNORED_TAG_NAMESPACES:
            return "ignore", ""
        if namespace == "accord" and match["value"] is not None:
            text = f"{match['pred']}:{match['value']}"
        elif match["value"] is None:
            text = tag  # a plain "behaviour:recruitment" tag
        else:
            return "unknown", tag
        try:
            return "label", str(self._taxonomy.check_label(text))
        except Invalid:
            return "unknown", tag


def _list_of(holder: Mapping[str, Any], key: str, where: str) -> list[Any]:
    """``holder[key]`` as a list (absent or null: empty); ``Invalid`` for anything else."""
    found = holder.get(key) or []
    if not isinstance(found, list):
        raise Invalid(f"not a MISP event: {where}'{key}' is {trimmed(found)}, not a list",
                      hint="MISP writes \"Attribute\" and \"Object\" as JSON lists")
    return found


def _attributes(event: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for attribute in _list_of(event, "Attribute", ""):
        if isinstance(attribute, Mapping):
            yield attribute
    for obj in _list_of(event, "Object", ""):
        if isinstance(obj, Mapping):
            for attribute in _list_of(obj, "Attribute", "an object's "):
                if isinstance(attribute, Mapping):
                    yield attribute


def read_misp_event(stream: IO[str]) -> Iterator[Row]:
    """Rows of a MISP event file, numbered by attribute (1-based, across events)."""
    try:
        data = json.load(stream)
    except json.JSONDecodeError as exc:
        raise Invalid(f"the MISP file is not JSON: {exc.msg} at line {exc.lineno}") from None
    mapper = _TagMapper()
    reported: set[str] = set()
    number = 0
    for event in _events(data):
        event_tags = _tag_names(event)
        for attribute in _attributes(event):
            number += 1
            if attribute.get("deleted") in (True, "1", 1):
                continue
            kind = ATTRIBUTE_TYPES.get(str(attribute.get("type", "")))
            if kind is None:
                yield number, RowError(number, f"attribute type {trimmed(attribute.get('type'))} "
                                       f"is not a signal Accord shares (md5, sha256, url)")
                continue
            value = str(attribute.get("value", ""))
            if "|" in str(attribute.get("type")):
                value = value.rpartition("|")[2]
            if not value.strip():
                yield number, RowError(number, "attribute value is missing")
                continue
            tlp: str | None = None
            labels: set[str] = set()
            for tag in event_tags + _tag_names(attribute):
                what, text = mapper.classify(tag)
                if what == "tlp":
                    tlp = text
                elif what == "label":
                    labels.add(text)
                elif what == "unknown" and text not in reported:
                    reported.add(text)
                    yield number, RowError(number, f"MISP tag {trimmed(text)} has no Accord "
                                           "label: not applied (see docs/stix-mapping.md)")
            comment = attribute.get("comment")
            yield number, SignalInput(
                signal_type=kind, value=value.strip(), labels=tuple(sorted(labels)), tlp=tlp,
                rationale=comment if isinstance(comment, str) else "",
                source_ref=f"misp:{attribute['uuid']}" if attribute.get("uuid") else "",
            )


def write_misp_event(signals: Iterable[SignalInput], out: IO[str], *,
                     info: str = "Accord signals", event_uuid: str | None = None) -> int:
    """Write one MISP event with an attribute per MD5, SHA-256 or URL signal.

    Other signal types (perceptual hashes) have no MISP attribute type and are
    left out; share them through STIX instead. Returns how many were written.
    """
    attributes: list[dict[str, Any]] = []
    for signal in signals:
        written = WRITTEN_TYPES.get(signal.signal_type)
        if written is None:
            continue
        tags = [{"name": "accord:{}=\"{}\"".format(*label.split(":", 1))}
                for label in signal.labels]
        if signal.tlp:
            tags.append({"name": f"tlp:{Tlp.parse(signal.tlp).value.lower()}"})
        ref = signal.source_ref.removeprefix("misp:")
        attributes.append({
            "uuid": ref if signal.source_ref.startswith("misp:") else str(uuid.uuid4()),
            "type": written[0], "category": written[1], "value": signal.value,
            "to_ids": True, "comment": signal.rationale, "Tag": tags,
        })
    event = {"Event": {"uuid": event_uuid or str(uuid.uuid4()), "info": info,
                       "threat_level_id": "4", "analysis": "2", "distribution": "0",
                       "Attribute": attributes}}
    json.dump(event, out, indent=1, ensure_ascii=False)
    out.write("\n")
    return len(attributes)
