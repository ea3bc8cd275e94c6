"""A bank's signals as one MISP event: the facts the event takes from the node's database.

``write_misp_event`` (``formats/misp_write.py``) writes the event; this module gives it
what a stored bank knows: the owning partner (the event's ``Orgc`` and ``Org``), the
bank's name, default TLP and negativity, and uuids that stay the same from export to
export, so a MISP instance that imports a bank twice updates one event:

- event: ``uuid5(ACCORD_NAMESPACE, "<node>:misp-event:<bank id>")``;
- attribute or object: ``uuid5(ACCORD_NAMESPACE, "<node>:misp-attribute:<signal id>")``,
  unless the signal came from MISP (``source_ref`` ``misp:<uuid>``), which keeps its uuid;
- organisation: ``uuid5(ACCORD_NAMESPACE, "<node>:identity:<partner id>")``, the uuid
  part of the partner's STIX ``identity`` id.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import IO

from accord.config import Settings
from accord.curation.banks import find_bank
from accord.curation.signals import SignalInput
from accord.exchange.formats.misp_write import ExportedSignal, MispOrg, write_misp_event
from accord.exchange.stix_common import ACCORD_NAMESPACE
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database


def _name(node_id: str, kind: str, local_id: int) -> str:
    return str(uuid.uuid5(ACCORD_NAMESPACE, f"{node_id}:{kind}:{local_id}"))


def export_misp_bank(db: Database, bank: str | int, signals: Iterable[r.Signal],
                     out: IO[str], settings: Settings) -> int:
    """Write ``signals`` (already filtered by the visibility rule) of ``bank`` as one
    MISP event; returns how many it holds."""
    node_id = settings.resolved_node_id()
    with db.reader() as session:
        row = find_bank(session, bank)
        partner = session.get(m.Partner, row.owner_partner_id)
        facts = (row.id, row.name, row.default_tlp, row.negative, row.owner_partner_id,
                 partner.name if partner is not None else f"partner {row.owner_partner_id}")
    bank_id, bank_name, default_tlp, negative, owner_id, owner_name = facts
    items = (ExportedSignal(
        SignalInput(s.signal_type, s.value, s.quality, tuple(s.labels), s.tlp, s.rationale,
                    s.source_ref),
        uuid=_name(node_id, "misp-attribute", s.id), created=s.created_at,
        updated=s.updated_at) for s in signals)
    return write_misp_event(
        items, out, info=f"Accord bank {bank_name}",
        event_uuid=_name(node_id, "misp-event", bank_id),
        org=MispOrg(owner_name, _name(node_id, "identity", owner_id)),
        tlp=default_tlp, negative=negative)
