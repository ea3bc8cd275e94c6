"""``/api/v1/hash`` and ``/api/v1/match``: what platforms call at upload time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from fastapi import APIRouter, UploadFile
from fastapi.concurrency import run_in_threadpool

from accord.api.deps import ActorDep, StateDep, ViewerDep
from accord.api.schemas.matching import (
    BatchRequest,
    BatchResponse,
    HashResponse,
    MatchRequest,
    MatchResponse,
)
from accord.errors import AccordError, Invalid
from accord.matching.engine import Hit
from accord.matching.service import QueryResult, describe, match_file
from accord.sharing.roles import CAN_READ
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file

router = APIRouter(prefix="/api/v1", tags=["matching"])


def _body(result: QueryResult) -> dict[str, object]:
    return {"query": result.query, "signal_type": result.signal_type, "value": result.value,
            "variant": result.variant, "error": result.error,
            "matches": [{"signal_id": m.signal_id, "signal_type": m.signal_type, "value": m.value,
                         "distance": m.distance, "bank": m.bank, "labels": list(m.labels),
                         "tlp": m.tlp, "negative": m.negative} for m in result.matches]}


async def _upload(state: StateDep, file: UploadFile) -> bytes:
    data = await file.read(state.settings.max_file_bytes + 1)
    if len(data) > state.settings.max_file_bytes:
        raise Invalid(f"the upload is over the limit of {state.settings.max_file_bytes:,} bytes")
    return data


@router.post("/hash", response_model=HashResponse)
async def hash_upload(state: StateDep, actor: ActorDep, file: UploadFile) -> dict[str, object]:
    """Hash an uploaded file with every signal type that applies to its content."""
    actor.require(CAN_READ, "hash content")
    data = await _upload(state, file)
    results = await run_in_threadpool(hash_file, data, settings=state.settings,
                                      name=file.filename or "upload")
    return {"signals": [{"signal_type": r.signal_type, "value": r.value, "quality": r.quality,
                         "variant": r.variant} for r in results]}


@router.post("/match", response_model=MatchResponse)
async def match_one(body: MatchRequest, state: StateDep, actor: ActorDep,
                    viewer: ViewerDep) -> dict[str, object]:
    """Match one hash or URL against everything the caller's partner may see."""
    kind = get_signal_type(body.signal_type.strip().lower())
    value = kind.validate(body.value)
    engine = state.engine
    hits = engine.lookup(viewer, kind.name, value, body.threshold) if engine else []
    result = QueryResult(f"{kind.name}:{value}", kind.name, value,
                         await run_in_threadpool(describe, state.db, hits) if hits else ())
    return _body(result)


@router.post("/match/batch", response_model=BatchResponse)
async def match_batch(body: BatchRequest, state: StateDep, viewer: ViewerDep
                      ) -> dict[str, object]:
    """Match up to ``ACCORD_API_BATCH_LIMIT`` hashes at once; results keep the query order."""
    if len(body.queries) > state.settings.api_batch_limit:
        raise Invalid(f"{len(body.queries):,} queries in one batch; the limit is "
                      f"{state.settings.api_batch_limit:,}")
    results: list[QueryResult | None] = [None] * len(body.queries)
    by_type: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for position, query in enumerate(body.queries):
        try:
            kind = get_signal_type(query.signal_type.strip().lower())
            by_type[kind.name].append((position, kind.validate(query.value)))
        except AccordError as error:
            results[position] = QueryResult(f"{query.signal_type}:{query.value[:64]}",
                                            error=error.message)
    engine = state.engine
    found: list[tuple[int, str, str, list[Hit]]] = []
    for kind_name, items in by_type.items():
        per_query = (engine.lookup_many(viewer, kind_name, [v for _, v in items]) if engine
                     else [[] for _ in items])
        found.extend((p, kind_name, v, h) for (p, v), h in zip(items, per_query, strict=True))
    every_hit = [hit for *_, hits in found for hit in hits]
    described = {m.signal_id: m for m in
                 (await run_in_threadpool(describe, state.db, every_hit) if every_hit else ())}
    for position, kind_name, value, query_hits in found:
        matches = tuple(replace(described[h.signal_id], distance=h.distance)
                        for h in query_hits if h.signal_id in described)
        results[position] = QueryResult(f"{kind_name}:{value}", kind_name, value, matches)
    return {"results": [_body(r) for r in results if r is not None]}


@router.post("/match/file", response_model=BatchResponse)
async def match_upload(state: StateDep, viewer: ViewerDep, file: UploadFile
                       ) -> dict[str, object]:
    """Hash an uploaded file and match each of its hashes."""
    data = await _upload(state, file)
    engine = state.engine
    if engine is None:
        return {"results": []}
    results = await run_in_threadpool(match_file, engine, viewer, data, state.settings,
                                      name=file.filename or "upload")
    return {"results": [_body(r) for r in results]}
