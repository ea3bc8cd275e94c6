"""Writing MISP event JSON: one event per export (``formats/misp.py`` documents the shape,
the TLP to distribution table and the reader).

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from accord.curation.signals import SignalInput
from accord.exchange.formats.misp_publish import (
    RELATION_OF_TYPE,
    TEMPLATE_NAME,
    TEMPLATE_RELATIONS,
    TEMPLATE_UUID,
    TEMPLATE_VERSION,
)
from accord.sharing.tlp import Tlp

WRITTEN_TYPES: dict[str, tuple[str, str]] = {
    "md5": ("md5", "Payload delivery"),
    "sha256": ("sha256", "Payload delivery"),
    "url": ("url", "Network activity"),
}
DISTRIBUTION: dict[Tlp, int] = {Tlp.CLEAR: 3, Tlp.GREEN: 1, Tlp.AMBER: 0,
                                Tlp.AMBER_STRICT: 0, Tlp.RED: 0}
_STRICTNESS = {tlp: rank for rank, tlp in enumerate(Tlp)}


@dataclass(frozen=True, slots=True)
class MispOrg:
    """A MISP organisation: the event's creator (``Orgc``) and owner (``Org``)."""

    name: str
    uuid: str


@dataclass(frozen=True, slots=True)
class ExportedSignal:
    """A signal as the writer takes it, with what a stored signal adds: the uuid its
    attribute (or object) keeps from export to export, and its times."""

    signal: SignalInput
    uuid: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None


def _tags(signal: SignalInput) -> list[dict[str, str]]:
    tags = [{"name": "accord:{}=\"{}\"".format(*label.split(":", 1))}
            for label in signal.labels]
    if signal.tlp:
        tags.append({"name": f"tlp:{Tlp.parse(signal.tlp).value.lower()}"})
    return tags


def _epoch(when: dt.datetime | None) -> str:
    return str(int((when or dt.datetime.now(dt.UTC)).timestamp()))


class _EventWriter:
    """Collects attributes and objects, and the facts the event takes from them."""

    def __init__(self, to_ids: bool) -> None:
        self.to_ids = to_ids
        self.attributes: list[dict[str, Any]] = []
        self.objects: list[dict[str, Any]] = []
        self.strictest: Tlp | None = None
        self.newest: dt.datetime | None = None

    def add(self, item: ExportedSignal) -> None:
        signal = item.signal
        ref = signal.source_ref.removeprefix("misp:")
        base = ref if signal.source_ref.startswith("misp:") else item.uuid or str(uuid.uuid4())
        tlp = Tlp.parse(signal.tlp) if signal.tlp else None
        if tlp is not None and (self.strictest is None
                                or _STRICTNESS[tlp] > _STRICTNESS[self.strictest]):
            self.strictest = tlp
        for when in (item.created, item.updated):
            if when is not None and (self.newest is None or when > self.newest):
                self.newest = when
        attribute: dict[str, Any] = {
            "uuid": base, "value": signal.value, "to_ids": self.to_ids,
            "comment": signal.rationale, "timestamp": _epoch(item.updated or item.created),
            "Tag": _tags(signal),
        }
        if tlp is not None:
            attribute["distribution"] = str(DISTRIBUTION[tlp])
        written = WRITTEN_TYPES.get(signal.signal_type)
        if written is not None:
            self.attributes.append({"type": written[0], "category": written[1], **attribute})
        else:
            self.objects.append(self._object(item, attribute))

    def _object(self, item: ExportedSignal, attribute: dict[str, Any]) -> dict[str, Any]:
        signal = item.signal
        relation = RELATION_OF_TYPE.get(signal.signal_type, "hash")
        misp_type = TEMPLATE_RELATIONS[relation][0]
        base = attribute["uuid"]
        category = "Payload delivery"
        attributes = [{"object_relation": relation, "type": misp_type, "category": category,
                       **attribute}]
        extra = []
        if relation == "hash":
            extra.append(("signal-type", "text", signal.signal_type))
        if signal.quality is not None:
            extra.append(("quality", "counter", str(signal.quality)))
        for name, kind, value in extra:
            attributes.append({"object_relation": name, "type": kind, "category": "Other",
                               "value": value, "to_ids": False, "disable_correlation": True,
                               "uuid": str(uuid.uuid5(uuid.UUID(base), name))
                               if _is_uuid(base) else str(uuid.uuid4()),
                               "timestamp": attribute["timestamp"]})
        obj: dict[str, Any] = {
            "name": TEMPLATE_NAME, "meta-category": "file",
            "description": f"An Accord {signal.signal_type} signal",
            "template_uuid": TEMPLATE_UUID, "template_version": str(TEMPLATE_VERSION),
            "uuid": str(uuid.uuid5(uuid.UUID(base), "object")) if _is_uuid(base)
            else str(uuid.uuid4()),
            "comment": signal.rationale, "timestamp": attribute["timestamp"],
            "Attribute": attributes,
        }
        if "distribution" in attribute:
            obj["distribution"] = attribute["distribution"]
        return obj


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def write_misp_event(signals: Iterable[SignalInput | ExportedSignal], out: IO[str], *,
                     info: str = "Accord signals", event_uuid: str | None = None,
                     org: MispOrg | None = None, tlp: str | None = None,
                     negative: bool = False) -> int:
    """Write one MISP event (see the module docstring); returns how many signals it holds.

    ``tlp`` is the event's TLP when it holds no signal with one (an export's bank
    default); ``negative`` (a "known legitimate" bank) writes ``to_ids: false``.
    """
    writer = _EventWriter(to_ids=not negative)
    for given in signals:
        writer.add(given if isinstance(given, ExportedSignal) else ExportedSignal(given))
    event_tlp = writer.strictest or (Tlp.parse(tlp) if tlp else None)
    event: dict[str, Any] = {
        "uuid": event_uuid or str(uuid.uuid4()), "info": info,
        "date": (writer.newest or dt.datetime.now(dt.UTC)).date().isoformat(),
        "timestamp": _epoch(writer.newest), "published": False,
        "threat_level_id": "4", "analysis": "2",
        "distribution": str(DISTRIBUTION[event_tlp] if event_tlp else 0),
    }
    if org is not None:
        event["Orgc"] = event["Org"] = {"name": org.name, "uuid": org.uuid}
    event["Tag"] = [{"name": f"tlp:{event_tlp.value.lower()}"}] if event_tlp else []
    event["Attribute"] = writer.attributes
    event["Object"] = writer.objects
    json.dump({"Event": event}, out, indent=1, ensure_ascii=False)
    out.write("\n")
    return len(writer.attributes) + len(writer.objects)
