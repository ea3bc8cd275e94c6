"""``/api/v1/hash`` and ``/api/v1/match``: what platforms call at upload time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from accord.api.deps import ActorDep, NodeDep, ViewerDep, caller
from accord.api.schemas.matching import (
    BatchRequest,
    BatchResponse,
    HashResponse,
    MatchRequest,
    MatchResponse,
)
from accord.errors import AccordError, Invalid, PartnerUnavailable
from accord.matching.engine import MatchEngine
from accord.matching.service import (
    match_body,
    match_file,
    match_query,
    match_values,
    parse_value,
    query_type,
    result_body,
)
from accord.node import Node
from accord.review.service import record_matches
from accord.sharing.roles import CAN_READ
from accord.signals.base import SignalType
from accord.signals.hashing import hash_file

router = APIRouter(prefix="/api/v1", tags=["matching"])
Model = TypeVar("Model", bound=BaseModel)


async def _upload(node: NodeDep, file: UploadFile) -> bytes:
    data = await file.read(node.settings.max_file_bytes + 1)
    if len(data) > node.settings.max_file_bytes:
        raise Invalid("the upload is over the limit of {max_file_bytes:,} bytes",
                      max_file_bytes=node.settings.max_file_bytes)
    return data


@router.post("/hash", response_model=HashResponse)
async def hash_upload(node: NodeDep, actor: ActorDep, file: UploadFile) -> dict[str, object]:
    """Hash an uploaded file with every signal type that applies to its content."""
    actor.require(CAN_READ, "hash content")
    data = await _upload(node, file)
    results = await run_in_threadpool(hash_file, data, settings=node.settings,
                                      name=file.filename or "upload")
    return {"signals": [{"signal_type": r.signal_type, "value": r.value, "quality": r.quality,
                         "variant": r.variant} for r in results]}


# Schemas of request bodies that routes parse themselves; app.openapi() adds them to
# the document's components so every $ref resolves.
EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {}


def _body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a request body a route parses itself."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    EXTRA_SCHEMAS.update(schema.pop("$defs", {}))
    EXTRA_SCHEMAS[model.__name__] = schema
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


async def _parse(request: Request, model: type[Model]) -> Model:
    return _parse_bytes(await request.body(), model)


def _parse_bytes(raw: bytes, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


@router.post("/match", response_model=MatchResponse, openapi_extra=_body_schema(MatchRequest))
async def match_one(request: Request) -> Response:
    """Match one hash or URL against everything the caller's partner may see."""
    node, actor, viewer = caller(request)
    body = await _parse(request, MatchRequest)
    kind, value = parse_value(body.signal_type, body.value)
    engine = _engine(node)
    # In the event loop, not a thread: a hop costs more than the match itself, and the
    # store is only read on a description-cache miss (as for keys and viewers).
    result = match_query(engine, viewer, kind, value, threshold=body.threshold,
                         descriptions=node.descriptions)
    out = result_body(result)
    if body.content_ref is not None:
        recorded = await run_in_threadpool(record_matches, node.db, actor, body.content_ref,
                                           result.matches)
        out["match_ids"] = [m.id for m in recorded]
        out["states"] = [m.state for m in recorded]
    return _json(out)


def _engine(node: Node) -> MatchEngine:
    if node.engine is None:  # the app's lifespan starts the node before any request
        raise PartnerUnavailable("the match index is not loaded yet",
                                 hint="retry once /readyz answers 200")
    return node.engine


def _json(body: object) -> Response:
    # Bodies are built from plain values above; skipping FastAPI's re-validation and
    # jsonable_encoder walk is most of the cost of a batch response.
    return Response(orjson.dumps(body), media_type="application/json")


@router.post("/match/batch", response_model=BatchResponse,
             openapi_extra=_body_schema(BatchRequest))
async def match_batch(request: Request) -> Response:
    """Match up to ``ACCORD_API_BATCH_LIMIT`` hashes at once; results keep the query order."""
    node, _, viewer = caller(request)
    queries = batch_queries(await request.body())
    if len(queries) > node.settings.api_batch_limit:
        raise Invalid("{queries_count:,} queries in one batch; the limit is {api_batch_limit:,}",
                      queries_count=len(queries), api_batch_limit=node.settings.api_batch_limit)
    results: list[dict[str, object] | None] = [None] * len(queries)
    positions: dict[str, list[int]] = defaultdict(list)
    values: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, type[SignalType] | AccordError] = {}
    for position, (type_name, value) in enumerate(queries):
        kind = kinds.get(type_name)
        if kind is None:
            kind = kinds[type_name] = _kind_or_error(type_name)
        try:
            if isinstance(kind, AccordError):
                raise kind
            canonical = kind.validate(value)
        except AccordError as error:
            results[position] = match_body(f"{type_name}:{value[:64]}", None, None, (),
                                           None, error.message)
            continue
        positions[kind.name].append(position)
        values[kind.name].append(canonical)
    engine = _engine(node)
    for kind_name, kind_values in values.items():
        # In a thread: the search releases the GIL, so this worker's other
        # requests (single matches, health checks) go on meanwhile.
        per_query = await run_in_threadpool(match_values, engine, viewer, kind_name,
                                            kind_values, descriptions=node.descriptions)
        for position, value, matches in zip(positions[kind_name], kind_values, per_query,
                                            strict=True):
            results[position] = match_body(f"{kind_name}:{value}", kind_name, value, matches)
    return _json({"results": results})


def _kind_or_error(type_name: str) -> type[SignalType] | AccordError:
    try:
        return query_type(type_name)
    except AccordError as error:
        return error


def batch_queries(raw: bytes) -> list[tuple[str, str]]:
    """``(signal_type, value)`` of each query of a batch body, in order.

    Validating ten thousand small objects through the model costs more than
    matching them, so a body of exactly the documented shape is checked here in
    plain Python; anything else (or anything that fails a check) goes through
    ``BatchRequest`` so its errors come back as the usual 422 problem.
    """
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict) and data.keys() == {"queries"}:
        items = data["queries"]
        if isinstance(items, list) and items:
            out = []
            for item in items:
                if not (isinstance(item, dict) and item.keys() == _QUERY_KEYS):
                    break
                kind, value = item["signal_type"], item["value"]
                if not (isinstance(kind, str) and isinstance(value, str) and len(kind) <= 30
                        and len(value) <= 1_000_000 and "\x00" not in kind
                        and "\x00" not in value):
                    break
                out.append((kind, value))
            else:
                return out
    body = _parse_bytes(raw, BatchRequest)
    return [(q.signal_type, q.value) for q in body.queries]


_QUERY_KEYS = {"signal_type", "value"}


@router.post("/match/file", response_model=BatchResponse)
async def match_upload(node: NodeDep, viewer: ViewerDep, file: UploadFile
                       ) -> dict[str, object]:
    """Hash an uploaded file and match each of its hashes."""
    data = await _upload(node, file)
    results = await run_in_threadpool(match_file, _engine(node), viewer, data, node.settings,
                                      name=file.filename or "upload",
                                      descriptions=node.descriptions)
    return {"results": [result_body(r) for r in results]}
