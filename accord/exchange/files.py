"""Import and export of signal files in the ecosystem's formats, for the CLI and the API.

=====================  ==========================================================
format                 what it is
=====================  ==========================================================
``hma``                HMA / python-threatexchange: ``<signal_type> <signal>`` lines
                       (pytx's ``local_file``); reads pytx's ``dataset`` CSV too
``tat``                Tech Against Terrorism (TCAP) hash-list JSON
``misp``               MISP event JSON (hash and URL attributes, perceptual-hash objects,
                       labels as ``accord:`` taxonomy tags)
``stix``               a STIX 2.1 bundle
``taxii-envelope``     a TAXII 2.1 envelope (``{"more": false, "objects": [...]}``):
                       how an air-gapped node moves signals, retractions included
=====================  ==========================================================

Export writes the signals of one bank the actor may see, minus what never
leaves the node (``Purpose.LEAVE_NODE`` of the visibility rule): RED and
AMBER+STRICT signals are left out of every format.
STIX and envelope exports carry retracted signals as revoked indicators and
quarantined ones as indicators whose status says so, so the importing node
retracts or quarantines them too; the other formats carry active signals
only. Import goes through the bulk importer (HMA, TAT, MISP) or
``taxii.ingest`` (STIX, envelopes: revoked indicators retract).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import select

from accord.config import Settings
from accord.curation import importer
from accord.curation.banks import find_bank_for
from accord.curation.formats import Row, text_stream
from accord.curation.report import ImportReport
from accord.curation.signals import SignalInput, Status, signal_records
from accord.errors import Invalid, trimmed
from accord.exchange.formats import (
    read_hma,
    read_misp_event,
    read_tat_json,
    write_hma,
    write_tat_json,
)
from accord.exchange.formats.misp_export import export_misp_bank
from accord.exchange.formats.tat import DatedSignal
from accord.exchange.indicator import IndicatorRenderer, SignalRow
from accord.exchange.stix import self_contained_bundle
from accord.exchange.taxii.ingest import ingest_objects
from accord.safeguards import json_input
from accord.sharing.roles import Actor
from accord.sharing.visibility import Purpose, may_see, viewer_of
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

FORMATS = ("hma", "tat", "misp", "stix", "taxii-envelope")
_ROW_READERS: dict[str, Callable[[IO[str]], Iterator[Row]]] = {
    "hma": read_hma, "tat": read_tat_json, "misp": read_misp_event,
}
_PAGE = 5000


def check_format(fmt: str) -> str:
    """``fmt`` as one of ``FORMATS``; ``Invalid`` listing them otherwise."""
    choice = fmt.strip().lower()
    if choice not in FORMATS:
        raise Invalid("format {fmt} is not known", hint="use one of {formats}", fmt=trimmed(fmt),
                      formats=", ".join(FORMATS))
    return choice


def import_file(db: Database, actor: Actor, bank: str | int, source: IO[bytes], fmt: str,
                settings: Settings, *, name: str = "<stream>") -> ImportReport:
    """Import a file of format ``fmt`` into ``bank``; bad rows or objects are reported
    (each refusal's ``where`` is ``line N`` or the object's id)."""
    fmt = check_format(fmt)
    if fmt in _ROW_READERS:
        stream = text_stream(source)
        try:
            return importer.import_rows(db, actor, bank, _ROW_READERS[fmt](stream), settings,
                                        source=name)
        except UnicodeDecodeError as exc:
            raise Invalid("the file is not UTF-8 text (byte {start})", start=exc.start) from None
        finally:
            stream.detach()
    raw = source.read(settings.taxii_max_envelope_bytes + 1)
    if len(raw) > settings.taxii_max_envelope_bytes:
        raise Invalid("the file is over the limit of {taxii_max_envelope_bytes:,} bytes for a "
                      "STIX bundle or TAXII envelope",
                      hint="split it, or raise ACCORD_TAXII_MAX_ENVELOPE_BYTES",
                      taxii_max_envelope_bytes=settings.taxii_max_envelope_bytes)
    return ingest_objects(db, actor, bank, _objects(raw, fmt), settings, source=name,
                          successes=False, report_labels=True)


def _objects(raw: bytes, fmt: str) -> list[object]:
    data = json_input.loads(raw, "the file")
    if not isinstance(data, dict) or not isinstance(data.get("objects", []), list):
        raise Invalid("the file is not a {fmt}: expected a JSON object with an 'objects' list",
                      fmt=fmt)
    if fmt == "stix" and data.get("type") != "bundle":
        raise Invalid("the file is a {type}, not a STIX bundle",
                      hint="a TAXII envelope is --format taxii-envelope",
                      type=trimmed(data.get('type')))
    if fmt == "taxii-envelope" and "type" in data:
        raise Invalid("the file is a {type} object, not a TAXII envelope",
                      hint="a STIX bundle is --format stix", type=trimmed(data.get('type')))
    objects: list[object] = data.get("objects", [])
    return objects


def export_file(db: Database, actor: Actor, bank: str | int, out: IO[str], fmt: str,
                settings: Settings) -> int:
    """Write ``bank``'s signals that may leave the node in format ``fmt``; returns the count."""
    fmt = check_format(fmt)
    with_retracted = fmt in ("stix", "taxii-envelope")
    chosen = list(exportable(db, actor, bank, with_retracted))
    if fmt in ("stix", "taxii-envelope"):
        renderer = IndicatorRenderer(settings.resolved_node_id())
        objects = [renderer.indicator(row) for row, _ in chosen]
        body: dict[str, Any] = (self_contained_bundle(db, settings.resolved_node_id(), objects)
                                if fmt == "stix"
                                else {"more": False, "objects": objects})
        json.dump(body, out, ensure_ascii=False)
        out.write("\n")
        return len(objects)
    if fmt == "misp":
        return export_misp_bank(db, bank, [s for _, s in chosen], out, settings)
    inputs = [SignalInput(s.signal_type, s.value, s.quality, s.labels, s.tlp, s.rationale,
                          s.source_ref) for _, s in chosen]
    if fmt == "tat":  # a TCAP entry carries the signal's dates
        return write_tat_json([DatedSignal(i, s.created_at, s.updated_at)
                               for i, (_, s) in zip(inputs, chosen, strict=True)], out)
    return write_hma(inputs, out)


def exportable(db: Database, actor: Actor, bank: str | int,
                with_retracted: bool) -> Iterator[tuple[SignalRow, r.Signal]]:
    """The bank's signals the actor may see and pass on, by id, page by page."""
    after = 0
    statuses = [Status.ACTIVE.value] + (
        [Status.QUARANTINED.value, Status.RETRACTED.value] if with_retracted else [])
    while True:
        with db.reader() as session:
            row = find_bank_for(session, actor, bank)
            viewer = viewer_of(session, actor)
            page = session.execute(
                select(m.Signal).where(m.Signal.bank_id == row.id, m.Signal.id > after,
                                       m.Signal.status.in_(statuses))
                .order_by(m.Signal.id).limit(_PAGE)).scalars().all()
            records = signal_records(session, page)
            negative = row.negative
        if not records:
            return
        for s in records:
            if may_see(viewer, s, Purpose.LEAVE_NODE):
                yield SignalRow(s.id, s.owner_partner_id, s.signal_type, s.value, s.quality,
                                s.tlp, s.status, s.rationale, s.source_ref, s.created_at,
                                s.updated_at, negative, s.labels), s
        after = records[-1].id


def export_bytes(db: Database, actor: Actor, bank: str | int, fmt: str,
                 settings: Settings) -> tuple[bytes, int]:
    """``export_file`` into memory (for the API); the body and the count."""
    out = io.StringIO()
    count = export_file(db, actor, bank, out, fmt, settings)
    return out.getvalue().encode(), count
