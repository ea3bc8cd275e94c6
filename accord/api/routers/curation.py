"""Banks, signals (single, bulk, retraction) and opinions."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from accord.api.deps import ActorDep, AfterQuery, IdPath, NodeDep
from accord.api.schemas.curation import (
    BankCreate,
    BankMatching,
    BankOut,
    ImportOut,
    ImportRecordOut,
    OpinionCreate,
    OpinionOut,
    Retraction,
    SignalCreate,
    SignalOut,
    SignalPage,
)
from accord.curation import banks, import_history, importer, opinions, signals
from accord.errors import Invalid, PermissionDenied
from accord.sharing.roles import Actor

router = APIRouter(prefix="/api/v1", tags=["curation"])


def _partner(actor: Actor) -> int:
    if actor.partner_id is None:
        raise PermissionDenied("this key belongs to no partner")
    return actor.partner_id


@router.get("/banks", response_model=list[BankOut])
def list_banks(node: NodeDep, actor: ActorDep) -> list[dict[str, object]]:
    """The caller's partner's banks."""
    return [asdict(b) for b in banks.bank_list(node.db, _partner(actor))]


@router.get("/banks/{bank}/imports", response_model=list[ImportRecordOut])
def list_imports(bank: str, node: NodeDep, actor: ActorDep,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, object]]:
    """The latest bulk imports into one of the caller's partner's banks, newest first."""
    return [asdict(i) for i in import_history.import_history(node.db, actor, bank, limit)]


@router.post("/banks", response_model=BankOut, status_code=201)
def create_bank(body: BankCreate, node: NodeDep, actor: ActorDep) -> dict[str, object]:
    """Create a bank for the caller's partner (auto-action stays off unless asked for)."""
    return asdict(banks.bank_add(
        node.db, actor, body.name, _partner(actor), default_tlp=body.default_tlp,
        channel=body.channel, description=body.description, negative=body.negative,
        auto_action=body.auto_action, pdq_threshold=body.pdq_threshold,
        tmk_threshold=body.tmk_threshold,
        match_variants=body.match_variants))


@router.patch("/banks/{bank}", response_model=BankOut)
def set_bank_matching(bank: str, body: BankMatching, node: NodeDep, actor: ActorDep
                      ) -> dict[str, object]:
    """Change how uploads match a bank: its query variants, PDQ and TMK thresholds, and
    whether it matches at all."""
    given = body.model_fields_set
    return asdict(banks.bank_set_matching(
        node.db, actor, bank,
        match_variants=body.match_variants if "match_variants" in given else banks.KEEP,
        pdq_threshold=body.pdq_threshold if "pdq_threshold" in given else banks.KEEP,
        tmk_threshold=body.tmk_threshold if "tmk_threshold" in given else banks.KEEP,
        enabled=body.matching_enabled if "matching_enabled" in given else banks.KEEP))


@router.get("/signals", response_model=SignalPage)
def list_signals(
    node: NodeDep, actor: ActorDep,
    bank: str | None = None, status: str = "active", signal_type: str | None = None,
    label: str | None = None, after: AfterQuery = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, object]:
    """Signals the caller may see, filtered, in id order; page with ``after``."""
    page = signals.signal_list(node.db, actor, bank=bank, status=status,
                               signal_type=signal_type, label=label, after_id=after, limit=limit)
    return {"signals": [asdict(s) for s in page],
            "next_after": page[-1].id if len(page) == limit else None}


@router.get("/signals/{signal_id}", response_model=SignalOut)
def get_signal(signal_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, object]:
    """One signal the caller may see."""
    return asdict(signals.signal_get(node.db, actor, signal_id))


@router.post("/banks/{bank}/signals", response_model=SignalOut, status_code=201)
def add_signal(bank: str, body: SignalCreate, node: NodeDep, actor: ActorDep
               ) -> dict[str, object]:
    """Add one signal to a bank of the caller's partner."""
    given = signals.SignalInput(body.signal_type, body.value, body.quality, tuple(body.labels),
                                body.tlp, body.rationale, body.source_ref, body.preprocessing)
    return asdict(signals.signal_add(node.db, actor, bank, given, node.settings))


# The route streams its body itself; this documents it.
_IMPORT_BODY = {"requestBody": {"required": True, "content": {
    media: {"schema": {"type": "string"}} for media in ("text/csv", "application/x-ndjson")}}}


@router.post("/banks/{bank}/signals/import", response_model=ImportOut,
             openapi_extra=_IMPORT_BODY)
async def import_signals(
    bank: str, request: Request, node: NodeDep, actor: ActorDep,
    format: Annotated[str, Query(pattern="^(csv|jsonl)$")] = "csv",
    strict: bool = False,
) -> dict[str, object]:
    """Bulk import: the body is a CSV (signal_type,signal_value,...) or JSON-lines file."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        if spool.tell() == 0:
            raise Invalid("the request body is empty: send the CSV or JSON-lines file")
        spool.seek(0)
        report = await run_in_threadpool(importer.import_signals, node.db, actor, bank,
                                         spool, node.settings, fmt=format, strict=strict,
                                         filename=f"api-upload.{format}")
    return {"rows": report.rows, "imported": report.imported, "duplicates": report.duplicates,
            "error_count": report.error_count, "rolled_back": report.rolled_back,
            "errors": [{"line": e.line, "message": e.message} for e in report.errors]}


@router.post("/signals/{signal_id}/retract", response_model=SignalOut)
def retract_signal(signal_id: IdPath, body: Retraction, node: NodeDep, actor: ActorDep
                   ) -> dict[str, object]:
    """Retract a signal of the caller's partner (a tombstone; it stops matching)."""
    return asdict(signals.signal_retract(node.db, actor, signal_id, body.reason))


@router.post("/signals/{signal_id}/opinions", response_model=OpinionOut, status_code=201)
def give_opinion(signal_id: IdPath, body: OpinionCreate, node: NodeDep, actor: ActorDep
                 ) -> dict[str, object]:
    """Record the caller's partner's opinion (agree, disagree, false-positive, seen); a
    dispute may name the one of the signal's labels it disputes."""
    return asdict(opinions.opinion_set(node.db, actor, signal_id, body.kind, body.note,
                                       node.settings, label=body.label))


@router.get("/signals/{signal_id}/opinions", response_model=list[OpinionOut])
def list_opinions(signal_id: IdPath, node: NodeDep, actor: ActorDep) -> list[dict[str, object]]:
    """Every partner's opinion of a signal the caller may see."""
    return [asdict(o) for o in opinions.opinion_list(node.db, actor, signal_id)]
