"""Signal files in other tools' formats: import (streamed) and export, per bank; and this
node's peers (TAXII servers and python-threatexchange exchanges): their state, their skip
ledgers, a sync now (the same services as ``accord peer list``/``skipped`` and ``accord
sync``).

The same service as ``accord import`` / ``accord export``
(``accord.exchange.files``): HMA CSV, TAT JSON, MISP JSON, STIX bundles and
TAXII envelopes. RED and AMBER+STRICT signals are never exported.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from accord.api.deps import ActorDep, NodeDep
from accord.errors import Invalid
from accord.exchange import files, peers, sync, writeback

router = APIRouter(prefix="/api/v1", tags=["exchange"])
FormatQuery = Annotated[str, Query(pattern="^(hma|tat|misp|stix|taxii-envelope)$")]
MEDIA_TYPES = {"hma": "text/plain", "tat": "application/json", "misp": "application/json",
               "stix": "application/stix+json;version=2.1",
               "taxii-envelope": "application/taxii+json;version=2.1"}


class FileImportOut(BaseModel):
    """What importing a file did (errors name a line or an object id)."""

    rows: int
    imported: int
    duplicates: int
    retracted: int
    ignored: int
    error_count: int
    errors: list[dict[str, str]]


_BODY = {"requestBody": {"required": True, "content": {
    media: {"schema": {"type": "string"}} for media in sorted(set(MEDIA_TYPES.values()))}}}


@router.post("/banks/{bank}/files/import", response_model=FileImportOut,
             openapi_extra=_BODY)
async def import_file(bank: str, request: Request, node: NodeDep, actor: ActorDep,
                      format: FormatQuery) -> dict[str, object]:
    """Import a file (the request body) in ``format`` into a bank of the caller's partner."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        if spool.tell() == 0:
            raise Invalid("the request body is empty: send the file")
        spool.seek(0)
        report = await run_in_threadpool(files.import_file, node.db, actor, bank, spool,
                                         format, node.settings, name=f"api:{format}")
    return {"rows": report.rows, "imported": report.imported,
            "duplicates": report.duplicates, "retracted": report.retracted,
            "quarantined": report.quarantined, "lifted": report.lifted,
            "ignored": report.ignored, "error_count": report.error_count,
            "errors": [{"where": e.where, "message": e.message} for e in report.errors[:1000]]}


@router.get("/banks/{bank}/files/export", response_class=Response,
            responses={200: {"content": {m: {} for m in sorted(set(MEDIA_TYPES.values()))}}})
def export_file(bank: str, node: NodeDep, actor: ActorDep, format: FormatQuery) -> Response:
    """A bank's signals the caller may pass on, as a file in ``format``."""
    body, count = files.export_bytes(node.db, actor, bank, format, node.settings)
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"X-Accord-Count": str(count)})


class PeerOut(BaseModel):
    """A peer and what its last run did (never its credentials)."""

    name: str
    kind: str
    exchange: str | None
    url: str
    collection: str
    bank: str | None
    state: str
    last_run_at: str | None
    last_error: str | None
    cursor: str | None
    pulled: int
    pushed: int
    skipped: int
    write_back: bool
    opinions: dict[str, int]


class PeerPatch(BaseModel):
    """A change to a peer's settings."""

    model_config = ConfigDict(extra="forbid")
    write_back: bool


class OpinionOut(BaseModel):
    """An opinion written back to an exchange peer, and where its delivery stands."""

    id: int
    signal_id: int
    upstream_id: str
    kind: str
    state: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    created_at: str
    delivered_at: str | None


class SkipOut(BaseModel):
    """A record a peer sent that was not stored, and why."""

    record_key: str
    reason: str
    skipped_at: str


class SyncOut(BaseModel):
    """What one sync run did."""

    peer: str
    pages: int
    received: int
    added: int
    duplicates: int
    retracted: int
    quarantined: int
    refused: int
    pushed: int
    written_back: int
    write_back_failed: int
    error: str | None
    notes: list[str]


def _peer(p: peers.PeerRecord) -> dict[str, object]:
    return {"name": p.name, "kind": p.kind, "exchange": p.exchange, "url": p.url,
            "collection": p.collection, "bank": p.bank, "state": p.state,
            "last_run_at": p.last_run_at.isoformat() if p.last_run_at else None,
            "last_error": p.last_error, "cursor": p.cursor, "pulled": p.pulled,
            "pushed": p.pushed, "skipped": p.skipped, "write_back": p.write_back,
            "opinions": dict(p.opinions)}


def _time(at: dt.datetime | None) -> str | None:
    return at.isoformat() if at else None


@router.get("/peers", response_model=list[PeerOut])
async def list_peers(node: NodeDep, actor: ActorDep) -> list[dict[str, object]]:
    """The peers of the caller's partner (pulling into its banks), by name."""
    found = await run_in_threadpool(peers.peer_list, node.db, actor)
    return [_peer(p) for p in found]


@router.patch("/peers/{name}", response_model=PeerOut)
async def peer_patch(name: str, body: PeerPatch, node: NodeDep, actor: ActorDep
                     ) -> dict[str, object]:
    """Switch write-back of verdicts and disputes to an exchange peer on or off."""
    p = await run_in_threadpool(writeback.peer_write_back_set, node.db, actor, name,
                                body.write_back)
    return _peer(p)


@router.get("/peers/{name}/opinions", response_model=list[OpinionOut])
async def peer_opinions(name: str, node: NodeDep, actor: ActorDep,
                        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000
                        ) -> list[dict[str, object]]:
    """The opinions written back to the peer, newest first, with their delivery state."""
    found = await run_in_threadpool(writeback.peer_opinions, node.db, actor, name,
                                    limit=limit)
    return [{"id": o.id, "signal_id": o.signal_id, "upstream_id": o.upstream_id,
             "kind": o.kind, "state": o.state, "attempts": o.attempts,
             "next_attempt_at": _time(o.next_attempt_at), "last_error": o.last_error,
             "created_at": o.created_at.isoformat(), "delivered_at": _time(o.delivered_at)}
            for o in found]


@router.get("/peers/{name}/skipped", response_model=list[SkipOut])
async def peer_skipped(name: str, node: NodeDep, actor: ActorDep,
                       limit: Annotated[int, Query(ge=1, le=10_000)] = 1000
                       ) -> list[dict[str, str]]:
    """The peer's skip ledger, newest first: records not stored, and why."""
    found = await run_in_threadpool(peers.peer_skipped, node.db, actor, name, limit=limit)
    return [{"record_key": s.record_key, "reason": s.reason,
             "skipped_at": s.skipped_at.isoformat()} for s in found]


@router.post("/peers/{name}/sync", response_model=SyncOut)
async def peer_sync(name: str, node: NodeDep, actor: ActorDep) -> dict[str, object]:
    """Pull from (and, for a TAXII peer, push to) one peer now."""
    r = await run_in_threadpool(lambda: sync.sync_peer(node.db, node.settings, name,
                                                       actor=actor))
    return {"peer": r.peer, "pages": r.pages, "received": r.received, "added": r.added,
            "duplicates": r.duplicates, "retracted": r.retracted,
            "quarantined": r.quarantined, "refused": r.refused, "pushed": r.pushed,
            "written_back": r.written_back, "write_back_failed": r.write_back_failed,
            "error": r.error, "notes": r.notes}
