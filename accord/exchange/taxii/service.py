"""The TAXII 2.1 operations, as the router (and tests) call them.

Each function takes plain values, an ``Actor`` and the ``Database``; it
returns TAXII resources as dicts and raises ``accord.errors`` classes, which
the router turns into TAXII error messages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from sqlalchemy import select

from accord import __version__, audit
from accord.config import Settings
from accord.errors import Invalid, NotFound, PermissionDenied, trimmed
from accord.exchange.indicator import IndicatorRenderer
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.exchange.taxii.collections import Collection, collections_for, find_collection
from accord.exchange.taxii.ingest import ingest_objects
from accord.exchange.taxii.pages import (
    Page,
    PageQuery,
    envelope,
    manifest,
    read_page,
    taxii_time,
    versions,
)
from accord.safeguards import json_input
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.visibility import viewer_of
from accord.store import models as m
from accord.store.database import Database

API_ROOT = "api"


@dataclass(frozen=True, slots=True)
class Answer:
    """A TAXII resource and the headers that go with it."""

    body: dict[str, Any]
    headers: dict[str, str]


def discovery(base: str) -> dict[str, Any]:
    """The discovery resource; ``base`` is the server's ``.../taxii2/`` URL."""
    root = f"{base}{API_ROOT}/"
    return {"title": "Accord TAXII 2.1 server",
            "description": "Signals (hashes and URLs of known terrorist content) shared "
                           "through Accord, by TLP scope and channel.",
            "default": root, "api_roots": [root]}


def api_root(settings: Settings) -> dict[str, Any]:
    """The API root resource."""
    return {"title": "Accord signals", "description": f"Accord {__version__}",
            "versions": [MEDIA_TYPE_TAXII], "max_content_length": settings.taxii_max_envelope_bytes}


def list_collections(db: Database, actor: Actor, settings: Settings) -> dict[str, Any]:
    """The collections resource: what the actor's partner may read."""
    with db.reader() as session:
        found = collections_for(session, actor, settings.resolved_node_id())
    return {"collections": [c.as_taxii() for c in found]}


def get_collection(db: Database, actor: Actor, settings: Settings,
                   collection_id: str) -> dict[str, Any]:
    """One collection resource."""
    with db.reader() as session:
        return find_collection(session, actor, settings.resolved_node_id(),
                               collection_id).as_taxii()


def _page(db: Database, actor: Actor, settings: Settings, collection_id: str,
          query: PageQuery) -> tuple[Page, Collection]:
    if actor.partner_id is None:
        raise PermissionDenied("TAXII serves partners: use a member's API key")
    limit = max(1, min(query.limit, settings.taxii_max_page_size))
    node_id = settings.resolved_node_id()
    with db.reader() as session:
        collection = find_collection(session, actor, node_id, collection_id)
        viewer = viewer_of(session, actor)
        page = read_page(session, viewer, collection, node_id, replace(query, limit=limit))
    return page, collection


def _date_headers(page: Page) -> dict[str, str]:
    if page.first_added is None or page.last_added is None:
        return {}
    return {"X-TAXII-Date-Added-First": page.first_added,
            "X-TAXII-Date-Added-Last": page.last_added}


def get_objects(db: Database, actor: Actor, settings: Settings, collection_id: str,
                query: PageQuery) -> Answer:
    """An envelope of objects: the page after ``query.after``, filtered."""
    page, _ = _page(db, actor, settings, collection_id, query)
    body = envelope(page, IndicatorRenderer(settings.resolved_node_id()))
    return Answer(body, _date_headers(page))


def get_object(db: Database, actor: Actor, settings: Settings, collection_id: str,
               object_id: str, query: PageQuery) -> Answer:
    """An envelope with one object (its versions the query asks for)."""
    page, _ = _page(db, actor, settings, collection_id,
                    replace(query, types=None, ids=frozenset({object_id})))
    if not page.rows:
        raise NotFound("no object {object_id} in this collection", object_id=trimmed(object_id))
    body = envelope(page, IndicatorRenderer(settings.resolved_node_id()))
    return Answer(body, _date_headers(page))


def get_manifest(db: Database, actor: Actor, settings: Settings, collection_id: str,
                 query: PageQuery) -> Answer:
    """The manifest of the page after ``query.after``."""
    page, _ = _page(db, actor, settings, collection_id, query)
    return Answer(manifest(page, settings.resolved_node_id()), _date_headers(page))


def get_versions(db: Database, actor: Actor, settings: Settings, collection_id: str,
                 object_id: str) -> Answer:
    """The versions resource of one object."""
    if actor.partner_id is None:
        raise PermissionDenied("TAXII serves partners: use a member's API key")
    node_id = settings.resolved_node_id()
    with db.reader() as session:
        collection = find_collection(session, actor, node_id, collection_id)
        body = versions(session, viewer_of(session, actor), collection, node_id,
                        object_id)
    return Answer(body, {})


def delete_object(db: Database, actor: Actor, settings: Settings, collection_id: str,
                  object_id: str) -> NoReturn:
    """TAXII 2.1 "Delete An Object", refused with 403 (``NotFound`` for a collection
    the actor may not read): a peer already holding a signal stops matching it only when
    it receives a revoked version, which a deletion would never give it."""
    with db.reader() as session:
        collection = find_collection(session, actor, settings.resolved_node_id(),
                                     collection_id)
    raise PermissionDenied("objects are not deleted from {title!r} (asked for {object_id})",
                           hint="withdraw a signal by POSTing a revoked version of its indicator "
                                "(or retracting it on its node): peers holding it then stop "
                                "matching it too", title=collection.title,
                           object_id=trimmed(object_id))


def parse_envelope(raw: bytes, settings: Settings) -> list[object]:
    """The objects of a TAXII envelope (or STIX bundle) body; ``Invalid`` when unusable."""
    if len(raw) > settings.taxii_max_envelope_bytes:
        raise Invalid("the envelope is {raw_count:,} bytes, over the limit of "
                      "{taxii_max_envelope_bytes:,}",
                      hint="send fewer objects per request (ACCORD_TAXII_MAX_ENVELOPE_BYTES)",
                      raw_count=len(raw),
                      taxii_max_envelope_bytes=settings.taxii_max_envelope_bytes)
    body = json_input.loads(raw, "the envelope")
    if not isinstance(body, dict) or not isinstance(body.get("objects", []), list):
        raise Invalid("expected a TAXII envelope: a JSON object with an 'objects' list")
    if body.get("type") not in (None, "bundle"):
        raise Invalid("expected a TAXII envelope, got a {type} object",
                      type=trimmed(body.get('type')))
    objects: list[object] = body.get("objects", [])
    return objects


def add_objects(db: Database, actor: Actor, settings: Settings, collection_id: str,
                raw: bytes) -> dict[str, Any]:
    """Ingest a POSTed envelope into the actor's bank for the collection; a status resource."""
    actor.require(CAN_CURATE, "add objects to a TAXII collection")
    with db.reader() as session:
        collection = find_collection(session, actor, settings.resolved_node_id(), collection_id)
    if collection.write_bank_id is None:
        raise PermissionDenied("you may not write to collection {title!r}",
                               hint="a curator may write to a channel collection when its partner "
                                    "owns a bank sharing into that channel", title=collection.title)
    objects = parse_envelope(raw, settings)
    report = ingest_objects(db, actor, collection.write_bank_id, objects, settings,
                            source=f"taxii:{collection.id}")
    status_id = str(uuid.uuid4())
    with db.transaction() as session:
        session.add(m.TaxiiStatus(id=status_id, partner_id=actor.partner_id,
                                  collection=collection.id, total=report.rows,
                                  successes=report.successes,
                                  failures=[e.as_taxii() for e in report.errors],
                                  created_at=m.utcnow()))
        audit.record(session, actor, audit.AuditAction.TAXII_ADD, "taxii_status", status_id, {
            "collection": collection.id, "total": report.rows, "added": report.imported,
            "retracted": report.retracted, "quarantined": report.quarantined,
            "lifted": report.lifted, "failed": report.error_count,
            "ignored": report.ignored})
    return get_status(db, actor, status_id)


def get_status(db: Database, actor: Actor, status_id: str) -> dict[str, Any]:
    """A status resource the actor's partner created."""
    with db.reader() as session:
        row = session.execute(select(m.TaxiiStatus).where(
            m.TaxiiStatus.id == status_id[:36])).scalar_one_or_none()
        if row is None or (actor.partner_id is not None and row.partner_id != actor.partner_id):
            raise NotFound("no status {status_id}", status_id=trimmed(status_id))
        body: dict[str, Any] = {
            "id": row.id, "status": "complete", "request_timestamp": taxii_time(row.created_at),
            "total_count": row.total, "success_count": len(row.successes),
            "failure_count": len(row.failures), "pending_count": 0,
        }
        if row.successes:
            body["successes"] = row.successes
        if row.failures:
            body["failures"] = row.failures
        return body

