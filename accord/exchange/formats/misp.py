"""MISP event JSON: hashes, URLs and perceptual hashes, tags mapped to the taxonomy.

Read: ``{"Event": {...}}``, a bare event as PyMISP's ``MISPEvent.to_json()`` writes it
(an ``Attribute`` list, an ``Object`` list, or both), or a search answer
``{"response": [{"Event": ...}, ...]}``. Signals come from:

- attributes of the event's ``Attribute`` list and of its objects' ``Attribute`` lists:
  ``md5``, ``sha256``, ``url`` and ``filename|md5`` / ``filename|sha256`` (the file
  name is dropped). Other attribute types are refused by attribute (a row error naming
  it), deleted attributes skipped;
- objects of Accord's ``accord-perceptual-hash`` template (``misp_publish``): one signal
  per object, from its ``pdq``, ``video-pdq``, ``tmk``, ``text-tlsh`` or
  ``hash`` + ``signal-type`` attribute, with ``quality``.

A ``url`` attribute without a scheme (MISP allows ``example.com/path``; CIRCL's OSINT
events are full of them) is read as ``http://example.com/path`` and then canonicalised
like any URL (``accord/signals/url.py``). One that is defanged (``hxxp``, ``[.]``), has
no host name, or is not http(s) is refused by attribute with the reason.

Tags (the event's apply to every attribute, an attribute's to itself and win over the
event's TLP):

- ``tlp:<level>`` sets the signal's TLP (TLP 1.0 ``white`` reads as CLEAR);
- ``accord:<namespace>="<value>"`` machine tags become ``namespace:value``
  labels, checked against the taxonomy (``accord:behaviour="recruitment"``);
- ``MISP_TAG_LABELS`` maps a few third-party tags; ``IGNORED_TAG_NAMESPACES``
  (analysis workflow metadata) are dropped;
- any other tag is reported (a row error naming it, once per file) and never
  turned into a label.

Write (``write_misp_event``, in ``misp_write``): one event. Its ``Orgc`` and ``Org`` are the owning
partner, ``date`` the day of its newest signal, its ``tlp:`` tag and ``distribution``
those of its most restricted signal (MISP never shares an attribute wider than its
event, so an event as open as its most open signal would be wrong for the others).
Each MD5, SHA-256 and URL signal is an attribute of MISP's own type; every other type
is an ``accord-perceptual-hash`` object. Each attribute has its own ``tlp:`` tag,
``distribution`` and ``accord:`` machine tags. TLP to distribution (``DISTRIBUTION``):

=============  =====================  ================================================
TLP            MISP distribution      why
=============  =====================  ================================================
CLEAR          3 All communities      no limit on disclosure
GREEN          1 This community only  the community, never public; "connected
                                      communities" (2) would carry it on to
                                      instances no one vetted
AMBER          0 Your organisation    MISP has no "organisation and its clients"
AMBER+STRICT   0 Your organisation    never exported (the visibility rule)
RED            0 Your organisation    never exported (the visibility rule)
=============  =====================  ================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed
from accord.exchange.formats.misp_publish import HASH_RELATIONS, TEMPLATE_NAME, TEMPLATE_RELATIONS
from accord.exchange.formats.misp_write import (
    DISTRIBUTION,
    WRITTEN_TYPES,
    ExportedSignal,
    MispOrg,
    write_misp_event,
)
from accord.safeguards import json_input
from accord.sharing.tlp import Tlp
from accord.signals.url import canonical_url
from accord.taxonomy import load_taxonomy

ATTRIBUTE_TYPES: dict[str, str] = {
    "md5": "md5", "sha256": "sha256", "url": "url",
    "filename|md5": "md5", "filename|sha256": "sha256",
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
_BARE_EVENT_KEYS = frozenset({"Attribute", "Object"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_OTHER_SCHEME = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?!//)(?!\d+(?:[/?#]|$))")
_DEFANGED = re.compile(r"hxxp|\[\.\]|\[:\]|\(\.\)|\[dot\]", re.IGNORECASE)


def _events(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping) and isinstance(data.get("response"), list):
        return [e.get("Event", e) for e in data["response"] if isinstance(e, Mapping)]
    if isinstance(data, Mapping) and isinstance(data.get("Event"), Mapping):
        return [data["Event"]]
    if isinstance(data, Mapping) and _BARE_EVENT_KEYS & data.keys():
        return [data]  # PyMISP's MISPEvent.to_json(): the event without its wrapper
    raise Invalid("not a MISP event: expected {\"Event\": {...}} with an Attribute or Object "
                  "list", hint="MISP's event exports and PyMISP's MISPEvent.to_json() are read")


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
        raise Invalid("not a MISP event: {where}'{key}' is {found}, not a list",
                      hint='MISP writes "Attribute" and "Object" as JSON lists', where=where,
                      key=key, found=trimmed(found))
    return found


@dataclass(frozen=True, slots=True)
class _Item:
    """One thing that may become a signal: a plain attribute, or an Accord object."""

    attribute: Mapping[str, Any]
    kind: str | None  # the Accord signal type, None when the attribute is not a signal
    value: str
    quality: int | None = None
    comment: object = None


def _object_item(obj: Mapping[str, Any]) -> _Item | RowError | None:
    """The signal of an ``accord-perceptual-hash`` object (None: a deleted one)."""
    by_relation: dict[str, Mapping[str, Any]] = {}
    for attribute in _list_of(obj, "Attribute", "an object's "):
        if isinstance(attribute, Mapping) and attribute.get("deleted") not in (True, "1", 1):
            by_relation.setdefault(str(attribute.get("object_relation", "")), attribute)
    if obj.get("deleted") in (True, "1", 1) or not by_relation:
        return None
    hashes = [relation for relation in HASH_RELATIONS if relation in by_relation]
    if len(hashes) != 1:
        return RowError(0, f"{TEMPLATE_NAME} object {trimmed(obj.get('uuid'))} has "
                        f"{len(hashes)} hash attributes; it needs exactly one of "
                        + ", ".join(HASH_RELATIONS))
    relation = hashes[0]
    kind = TEMPLATE_RELATIONS[relation][1]
    if relation == "hash":
        kind = str(by_relation.get("signal-type", {}).get("value", "")).strip()
        if not kind:
            return RowError(0, f"{TEMPLATE_NAME} object {trimmed(obj.get('uuid'))}: a hash "
                            "attribute needs a signal-type attribute naming its type")
    quality: int | None = None
    raw_quality = by_relation.get("quality", {}).get("value")
    if raw_quality is not None:
        try:
            quality = int(str(raw_quality))
        except ValueError:
            return RowError(0, f"{TEMPLATE_NAME} object {trimmed(obj.get('uuid'))}: quality "
                            f"{trimmed(raw_quality)} is not a whole number")
    attribute = by_relation[relation]
    return _Item(attribute, kind, str(attribute.get("value", "")), quality,
                 obj.get("comment") or attribute.get("comment"))


def _plain_item(attribute: Mapping[str, Any]) -> _Item:
    kind = ATTRIBUTE_TYPES.get(str(attribute.get("type", "")))
    value = str(attribute.get("value", ""))
    if "|" in str(attribute.get("type")):
        value = value.rpartition("|")[2]
    return _Item(attribute, kind, value, comment=attribute.get("comment"))


def _items(event: Mapping[str, Any]) -> Iterator[_Item | RowError | None]:
    """Every attribute (None: a deleted one), then every object's, in file order."""
    for attribute in _list_of(event, "Attribute", ""):
        if isinstance(attribute, Mapping):
            deleted = attribute.get("deleted") in (True, "1", 1)
            yield None if deleted else _plain_item(attribute)
    for obj in _list_of(event, "Object", ""):
        if not isinstance(obj, Mapping):
            continue
        if obj.get("name") == TEMPLATE_NAME:
            yield _object_item(obj)
            continue
        for attribute in _list_of(obj, "Attribute", "an object's "):
            if isinstance(attribute, Mapping):
                deleted = attribute.get("deleted") in (True, "1", 1)
                yield None if deleted else _plain_item(attribute)


def misp_url(value: str) -> str:
    """A MISP ``url`` value as an absolute, canonical URL; ``Invalid`` saying why not.

    MISP allows a URL without its scheme (``example.com/path``): it is read as
    ``http://``. A defanged URL, one without a host name, or one of another scheme
    is refused.
    """
    text = value.strip()
    if _DEFANGED.search(text):
        raise Invalid("URL {text} is defanged (hxxp, [.]): refang it to import it",
                      text=trimmed(text))
    other = _OTHER_SCHEME.match(text)
    if other is not None:
        raise Invalid("URL {text} is a {other}: address, not a web address",
                      hint="Accord shares http and https URLs", text=trimmed(text),
                      other=trimmed(other['scheme']))
    if _SCHEME.match(text) is None:
        text = text.removeprefix("//")
        host = re.split(r"[/?#]", text, maxsplit=1)[0].rpartition("@")[2]
        name = host if host.startswith("[") else host.rpartition(":")[0] or host
        if "." not in name and not name.startswith("["):
            raise Invalid("URL {text} has no scheme and no host name",
                          hint="a MISP url attribute needs at least host.domain/path",
                          text=trimmed(text))
        text = "http://" + text
    return canonical_url(text)


def _where(number: int, attribute: Mapping[str, Any]) -> str:
    ref = attribute.get("uuid")
    return f"attribute {trimmed(ref)}" if ref else f"attribute {number}"


def read_misp_event(stream: IO[str]) -> Iterator[Row]:
    """Rows of a MISP event file, numbered by attribute or Accord object (1-based,
    across events)."""
    data = json_input.loads(stream.read(), "the MISP file")
    mapper = _TagMapper()
    reported: set[str] = set()
    number = 0
    for event in _events(data):
        event_tags = _tag_names(event)
        for item in _items(event):
            number += 1
            if item is None:
                continue
            if isinstance(item, RowError):
                yield number, RowError(number, item.message)
                continue
            yield from _item_rows(number, item, event_tags, mapper, reported)


def _item_rows(number: int, item: _Item, event_tags: list[str], mapper: _TagMapper,
               reported: set[str]) -> Iterator[Row]:
    attribute = item.attribute
    if item.kind is None:
        yield number, RowError(number, f"attribute type {trimmed(attribute.get('type'))} "
                               f"is not a signal Accord shares (md5, sha256, url)")
        return
    value = item.value.strip()
    if not value:
        yield number, RowError(number, "attribute value is missing")
        return
    if item.kind == "url":
        try:
            value = misp_url(value)
        except Invalid as exc:
            yield number, RowError(number, f"{_where(number, attribute)}: {exc.message}")
            return
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
    yield number, SignalInput(
        signal_type=item.kind, value=value, quality=item.quality,
        labels=tuple(sorted(labels)), tlp=tlp,
        rationale=item.comment if isinstance(item.comment, str) else "",
        source_ref=f"misp:{attribute['uuid']}" if attribute.get("uuid") else "",
    )


__all__ = ["DISTRIBUTION", "WRITTEN_TYPES", "ExportedSignal", "MispOrg", "misp_url",
           "read_misp_event", "write_misp_event"]
