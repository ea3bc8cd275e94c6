"""What every STIX path shares: fixed identifiers, ids, times, TLP markings.

Every id here is a wire constant. Peers store objects by these ids, so none
may change once published: a new version of the extension gets a new id.

- ``ACCORD_NAMESPACE`` seeds every UUIDv5 Accord derives, so the same record on
  the same node always gets the same STIX id (``stix_id``).
- ``EXTENSION_ID`` is Accord's ``extension-definition`` (a property extension
  carrying a signal's type and canonical value, a partner's kind, an entity's
  designations). ``extension_definition()`` is the object to publish.
- ``SIGNAL_OBJECT_ID`` defines the ``x-accord-signal`` observable that perceptual-hash
  patterns compare (``signal_object_definition()``).
- ``TLP_MARKING_IDS`` are the TLP 2.0 marking definitions as FIRST and OASIS
  publish them (``cti-stix-common-objects``, ``extension-definition-specifications/tlp-2.0``).
  Note that ``stix2.TLP_AMBER`` and friends are the TLP 1.0 objects, with other ids.

It is also the one home of the small rules every STIX writer and reader shares:
STIX times (``stix_time``, ``parse_stix_time``), deterministic ids (``stix_id``,
``indicator_id``) and TLP markings to TLP (``tlp_of_markings``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from accord.sharing.tlp import Tlp

ACCORD_NAMESPACE = uuid.UUID("3c0fb58b-c969-58c7-8636-16a49ab0f445")
"""``uuid5(NAMESPACE_URL, "https://accord.invalid/stix")``: the seed of Accord's STIX ids."""

EXTENSION_ID = "extension-definition--731082b2-eccc-520e-b031-7baa5914cd32"
"""Accord signal extension v1: ``uuid5(ACCORD_NAMESPACE, "extension-definition:accord-signal")``."""

SIGNAL_OBJECT = "x-accord-signal"
"""The custom observable type that perceptual-hash patterns compare."""

SIGNAL_OBJECT_ID = "extension-definition--0b380abe-559d-5274-9ff8-691965e2b3b9"
"""Accord's ``x-accord-signal`` observable (a ``new-sco`` extension), the object that the
patterns of signals without a STIX observable compare (``signal_type``, ``value``):
``uuid5(ACCORD_NAMESPACE, "extension-definition:accord-signal-observable")``."""

EXTENSION_VERSION = "1.0.0"
EXTENSION_CREATED = "2026-01-01T00:00:00.000Z"

ACCORD_IDENTITY_ID = "identity--d53ef32f-5589-5c55-82c5-3f4282521cba"
"""The Accord project, author of the extension.

``uuid5(ACCORD_NAMESPACE, "identity:accord-project")``.
"""

EXTENSION_SCHEMA = (
    "Accord signal extension v1.0.0. JSON Schema: accord/exchange/accord-extension-schema.json "
    "in the Accord source; the properties are described in docs/stix-mapping.md."
)

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
"""The OASIS extension-definition that TLP 2.0 marking definitions use."""

TLP2_CREATED = "2022-10-01T00:00:00.000Z"

TLP_MARKING_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

TLP1_MARKING_IDS: dict[str, Tlp] = {
    # STIX 2.1's TLP 1.0 objects (stix2.TLP_WHITE...): read from third parties, never written.
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}

TLP_BY_MARKING_ID: dict[str, Tlp] = {
    **TLP1_MARKING_IDS, **{v: k for k, v in TLP_MARKING_IDS.items()},
}


_NAMESPACE = ACCORD_NAMESPACE.bytes
_STRICTNESS = {tlp: rank for rank, tlp in enumerate(Tlp)}


def stix_id(stix_type: str, node_id: str, local_id: int | str) -> str:
    """The stable STIX id of a record: ``<type>--uuid5(ACCORD_NAMESPACE, "<node>:<type>:<id>")``.

    The same record on the same node always maps to the same id, so a peer
    that syncs twice sees new versions of one object, never duplicates. (The
    uuid5 is computed without building a ``uuid.UUID``, a third of a page's cost:
    SHA-1 of the namespace and the name, version and variant bits set.)
    """
    digest = bytearray(hashlib.sha1(
        _NAMESPACE + f"{node_id}:{stix_type}:{local_id}".encode(), usedforsecurity=False
    ).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{stix_type}--{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def indicator_id(node_id: str, signal_id: int) -> str:
    """The stable ``indicator`` id of signal ``signal_id`` on node ``node_id``."""
    return stix_id("indicator", node_id, signal_id)


def stix_time(when: dt.datetime) -> str:
    """RFC 3339 UTC with milliseconds, as STIX wants it (a naive time is taken as UTC)."""
    if when.tzinfo is dt.UTC:  # what the store gives: the C isoformat is the fast path
        return when.isoformat(timespec="milliseconds")[:-6] + "Z"
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    elif when.utcoffset():
        when = when.astimezone(dt.UTC)
    return (f"{when.year:04d}-{when.month:02d}-{when.day:02d}T{when.hour:02d}:"
            f"{when.minute:02d}:{when.second:02d}.{when.microsecond // 1000:03d}Z")


def parse_stix_time(text: str) -> dt.datetime:
    """An RFC 3339 timestamp as an aware datetime (UTC when it names no offset);
    ``ValueError`` when it is not one."""
    when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def tlp_of_markings(refs: Iterable[object]) -> Tlp | None:
    """The TLP that marking refs give (TLP 2.0 or 1.0 ids; the strictest of several;
    None when none is a TLP marking)."""
    found = [TLP_BY_MARKING_ID[r] for r in refs if isinstance(r, str) and r in TLP_BY_MARKING_ID]
    if not found:
        return None
    return found[0] if len(found) == 1 else max(found, key=_STRICTNESS.__getitem__)


def tlp_marking(tlp: Tlp) -> dict[str, Any]:
    """The TLP 2.0 ``marking-definition`` object for ``tlp``, exactly as OASIS publishes it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKING_IDS[tlp],
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp.value}",
        "extensions": {
            TLP2_EXTENSION_ID: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value.lower(),
            },
        },
    }


def accord_identity() -> dict[str, Any]:
    """The Accord project's ``identity``: the author of the extension definition."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": ACCORD_IDENTITY_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "Accord project",
        "description": "The open-source Accord hash-sharing hub, author of the Accord "
                       "STIX extension.",
        "identity_class": "organization",
    }


def extension_definition() -> dict[str, Any]:
    """Accord's published ``extension-definition`` (a property extension)."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": ACCORD_IDENTITY_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "Accord signal extension",
        "description": "Carries what STIX has no property for: an Accord signal's type and "
                       "canonical value (perceptual hashes such as PDQ, video PDQ and text "
                       "TLSH), its quality and status, a partner's kind and country, and an "
                       "entity's designations with their dates.",
        "schema": EXTENSION_SCHEMA,
        "version": EXTENSION_VERSION,
        "extension_types": ["property-extension"],
    }


def signal_object_definition() -> dict[str, Any]:
    """The ``new-sco`` extension-definition of ``x-accord-signal``, the observable that an
    indicator's pattern compares for a signal type with no STIX observable (PDQ...)."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": SIGNAL_OBJECT_ID,
        "created_by_ref": ACCORD_IDENTITY_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "Accord signal observable",
        "description": "x-accord-signal: a signal that no STIX observable property means, "
                       "such as a PDQ or video PDQ perceptual hash or a TLSH of extracted "
                       "text. Properties: signal_type (the Accord signal type name) and "
                       "value (its canonical value). Indicators compare both: "
                       "[x-accord-signal:signal_type = 'pdq' AND x-accord-signal:value = "
                       "'...'].",
        "schema": "The x-accord-signal observable of docs/stix-mapping.md in the Accord "
                  "source: signal_type and value, both strings.",
        "version": EXTENSION_VERSION,
        "extension_types": ["new-sco"],
    }
