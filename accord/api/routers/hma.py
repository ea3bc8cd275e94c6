"""HMA 2's HTTP API under ``/hma/``: so an HMA client (ROOST's Coop) switches by changing a URL.

Paths, query parameters, bodies and answers follow HMA's blueprints
(``hasher-matcher-actioner/src/OpenMediaMatch/blueprints/`` of
facebook/ThreatExchange, BSD-licensed, read at baefb4e; Coop, Apache-2.0, read
at 1c1f54d, calls exactly these). Each handler parses, calls one function of
``accord.exchange.hma_api`` (which calls Accord's own hashing, match and
curation services for the key's partner) and renders. Authentication is
Accord's bearer key; ``/hma/status`` is open, as HMA's is.

Errors are Accord's problem+json; where HMA answers an error itself (400, 403,
404, 413, 503) the body also carries HMA's ``message`` (and ``details``, the
hint), so an HMA client reads it as it reads HMA's ``{"message": ...}``. ``docs/exchanges.md``
lists each path's mapping and every difference from HMA.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from accord.api.deps import ActorDep, IdPath, NodeDep, ViewerDep, caller
from accord.api.problems import problem
from accord.errors import (
    AccordError,
    Conflict,
    Invalid,
    PartnerUnavailable,
    PermissionDenied,
    TooLarge,
    http_status,
)
from accord.exchange import hma_api
from accord.exchange.content_fetch import FetchPolicy, fetch_url
from accord.matching.engine import MatchEngine
from accord.node import Node
from accord.sharing.roles import CAN_READ
from accord.sharing.visibility import Viewer

# The statuses HMA itself answers with {"message": ...}.
HMA_STATUSES = frozenset({400, 403, 404, 413, 503})


def hma_error(request: Request, error: AccordError) -> Response | None:
    """For a status HMA answers itself: Accord's problem details carrying HMA's ``message``
    (and ``details``, the hint), so HMA clients and problem+json clients both read it."""
    status = http_status(error)
    if status not in HMA_STATUSES:
        return None
    extra = {"hint": error.hint, "details": error.hint} if error.hint else {}
    return problem(request, status, error.title, error.message, message=error.message, **extra)


class HmaRoute(APIRoute):
    """A route whose Accord errors HMA also defines come back in HMA's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def hma_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except AccordError as error:
                response = hma_error(request, error)
                if response is None:
                    raise
                return response

        return hma_errors


router = APIRouter(prefix="/hma", tags=["hma"], route_class=HmaRoute)
Text = Annotated[str | None, Query(max_length=10_000)]


def _engine(node: Node) -> MatchEngine:
    if node.engine is None:
        raise PartnerUnavailable("index not yet ready", hint="retry once /hma/status says "
                                 "I-AM-ALIVE")
    return node.engine


def _banks(banks: str | None) -> set[str] | None:
    return set(banks.split(",")) if banks else None


async def _fetch(node: Node, url: str) -> tuple[bytes, str]:
    fetched = await run_in_threadpool(fetch_url, url, FetchPolicy.from_settings(node.settings))
    return fetched.data, fetched.content_type


async def _hash_url(node: Node, url: str, content_type: str | None, types: str | None
                    ) -> hma_api.Hashed:
    data, mime = await _fetch(node, url)
    return await run_in_threadpool(hma_api.hash_content, data, node.settings,
                                   content_type=content_type, mime=mime, types=types,
                                   name="url")


async def _hash_form(node: Node, request: Request) -> tuple[hma_api.Hashed, dict[str, str]]:
    """HMA's multipart upload: one file, under a field named after its content type; and
    the form's text fields."""
    async with request.form() as form:
        files = [(k, v) for k, v in form.multi_items() if isinstance(v, UploadFile)]
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        if not files:
            raise Invalid("Missing multipart/form-data file upload")
        if len(files) > 1:
            raise Invalid("Only one file allowed per request")
        field, upload = files[0]
        if field not in hma_api.CONTENT_TYPES:
            raise Invalid("no such content_type: {field!r}",
                          hint="name the form field photo or video", field=field[:60])
        data = await upload.read(node.settings.max_file_bytes + 1)
        name = upload.filename or "upload"
    if len(data) > node.settings.max_file_bytes:
        raise TooLarge("the upload is over the limit of {max_file_bytes:,} bytes",
                       max_file_bytes=node.settings.max_file_bytes)
    hashed = await run_in_threadpool(hma_api.hash_content, data, node.settings,
                                     content_type=field, name=name)
    return hashed, fields


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def _json_body(request: Request) -> object:
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Invalid("the request body is not valid JSON") from None


@router.get("/status", response_class=PlainTextResponse)
def status(node: NodeDep) -> PlainTextResponse:
    """HMA's health check: ``I-AM-ALIVE``, or 503 ``INDEX-NOT-LOADED``."""
    if node.engine is None:
        return PlainTextResponse("INDEX-NOT-LOADED", status_code=503)
    return PlainTextResponse("I-AM-ALIVE")


# -- hashing -------------------------------------------------------------------------------


@router.get("/h/hash")
async def hash_url(node: NodeDep, actor: ActorDep, url: Annotated[str, Query(max_length=8192)],
                   content_type: Text = None, types: Text = None) -> Response:
    """Fetch ``url`` (allow-listed hosts only) and hash it: ``{signal_type: hash}``."""
    actor.require(CAN_READ, "hash content")
    return _json((await _hash_url(node, url, content_type, types)).values)


@router.post("/h/hash")
async def hash_upload(request: Request, node: NodeDep, actor: ActorDep) -> Response:
    """Hash an uploaded file (multipart field ``photo`` or ``video``)."""
    actor.require(CAN_READ, "hash content")
    return _json((await _hash_form(node, request))[0].values)


# -- matching ------------------------------------------------------------------------------


def _lookup_all(node: Node, viewer: Viewer, hashes: dict[str, str], wanted: set[str] | None
                ) -> dict[str, object]:
    engine = _engine(node)
    return {name: hma_api.lookup(engine, viewer, name, value, wanted, node.descriptions)
            for name, value in hashes.items()}


@router.get("/m/lookup")
async def lookup(node: NodeDep, viewer: ViewerDep, url: Text = None, content_type: Text = None,
                 types: Text = None, signal: Text = None, signal_type: Text = None,
                 banks: Text = None, seed: Text = None, bypass_coinflip: bool = False
                 ) -> Response:
    """Matches by bank of a hash (``signal_type`` and ``signal``) or of a URL's content.

    Served by ``lookup_fast`` (``accord.api.fastpath``); this route documents it."""
    return await _lookup(node, viewer, url, content_type, types, signal, signal_type, banks)


async def lookup_fast(request: Request) -> Response:
    """``GET /hma/m/lookup`` without FastAPI's router and dependency solver (as
    ``/api/v1/match`` is served): a platform calls it for every upload."""
    try:
        node, _, viewer = caller(request)
        given = request.query_params
        texts = [given.get(name) for name in _LOOKUP_TEXTS]
        if any(t is not None and len(t) > 10_000 for t in texts):
            raise Invalid("a query parameter is over 10,000 characters")
        return await _lookup(node, viewer, *texts)
    except AccordError as error:
        response = hma_error(request, error)
        if response is None:
            raise
        return response


_LOOKUP_TEXTS = ("url", "content_type", "types", "signal", "signal_type", "banks")


async def _lookup(node: Node, viewer: Viewer, url: str | None, content_type: str | None,
                  types: str | None, signal: str | None, signal_type: str | None,
                  banks: str | None) -> Response:
    wanted = _banks(banks)
    if not url:
        if not signal or not signal_type:
            raise Invalid("Either url or both signal and signal_type are required")
        # In the event loop, as /api/v1/match: a thread hop costs more than the match.
        return _json(hma_api.lookup(_engine(node), viewer, signal_type, signal, wanted,
                                    node.descriptions))
    hashed = await _hash_url(node, url, content_type, types)
    found = _lookup_all(node, viewer, hashed.values, wanted)
    return _json(found.get(signal_type, {}) if signal_type else found)


@router.post("/m/lookup")
async def lookup_upload(request: Request, node: NodeDep, viewer: ViewerDep,
                        banks: Text = None, seed: Text = None, bypass_coinflip: bool = False
                        ) -> Response:
    """Matches by signal type and bank of an uploaded file."""
    hashed, _ = await _hash_form(node, request)
    return _json(_lookup_all(node, viewer, hashed.values, _banks(banks)))


@router.get("/m/raw_lookup")
async def raw_lookup(node: NodeDep, viewer: ViewerDep,
                     signal: Annotated[str, Query(max_length=10_000)],
                     signal_type: Annotated[str, Query(max_length=100)],
                     banks: Text = None, include_distance: bool = False) -> Response:
    """Ids of matching bank content (with distances if asked), every visible bank."""
    return _json({"matches": hma_api.raw_lookup(
        _engine(node), viewer, signal_type, signal, _banks(banks), include_distance,
        node.descriptions)})


@router.post("/m/compare")
async def compare(request: Request, node: NodeDep, viewer: ViewerDep) -> Response:
    """Distances between pairs of hashes: ``{"pdq": [h1, h2]}`` -> ``{"pdq": [true, {...}]}``."""
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise Invalid("Request input was not a dict")
    return _json(hma_api.compare(body, node.settings))


@router.get("/m/index/status")
async def index_status(node: NodeDep, viewer: ViewerDep, signal_type: Text = None
                       ) -> Response:
    """Per signal type: whether its index is loaded, the time it is built to, its size."""
    engine = _engine(node)
    built = await run_in_threadpool(hma_api.built_to, node.db, engine.cursor)
    return _json(hma_api.index_status(engine, built, signal_type))


# -- curation ------------------------------------------------------------------------------


@router.get("/c/banks")
def list_banks(node: NodeDep, viewer: ViewerDep) -> Response:
    """Every bank the caller's partner may see."""
    return _json([hma_api.bank_body(b) for b in hma_api.visible_banks(node.db, viewer)])


@router.post("/c/banks", status_code=201)
async def create_bank(request: Request, node: NodeDep, actor: ActorDep) -> Response:
    """A new bank of the caller's partner (201)."""
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise Invalid("the request body should be a JSON object with a name")
    try:
        bank = await run_in_threadpool(hma_api.bank_create, node.db, actor, body.get("name"),
                                       body.get("enabled_ratio"), body.get("enabled"))
    except Conflict:  # HMA answers a taken name with 403
        raise PermissionDenied("Bank already exists") from None
    return _json(hma_api.bank_body(bank), 201)


@router.get("/c/bank/{bank_name}")
def get_bank(bank_name: str, node: NodeDep, viewer: ViewerDep) -> Response:
    """One bank the caller may see (404 otherwise)."""
    return _json(hma_api.bank_body(hma_api.visible_bank(node.db, viewer, bank_name)))


@router.put("/c/bank/{bank_name}")
async def update_bank(request: Request, bank_name: str, node: NodeDep, actor: ActorDep,
                      viewer: ViewerDep) -> Response:
    """Rename a bank and switch its matching on or off: ``{"name", "enabled_ratio",
    "enabled"}``, each optional (200, the bank)."""
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise Invalid("the request body should be a JSON object (name, enabled_ratio, "
                      "enabled)")
    try:
        bank = await run_in_threadpool(hma_api.bank_update, node.db, actor, viewer,
                                       bank_name, body.get("name"), body.get("enabled_ratio"),
                                       body.get("enabled"))
    except Conflict:  # HMA answers a taken name with 403
        raise PermissionDenied("Bank name already exists") from None
    return _json(hma_api.bank_body(bank))


@router.delete("/c/bank/{bank_name}")
def delete_bank(bank_name: str, node: NodeDep, actor: ActorDep, viewer: ViewerDep
                ) -> Response:
    """Delete a bank that never held a signal (``{"message": "Done"}``); one that did is
    kept (409, retract its content instead)."""
    hma_api.bank_delete(node.db, actor, viewer, bank_name)
    return _json({"message": "Done"})


@router.post("/c/bank/{bank_name}/content")
async def add_content(request: Request, bank_name: str, node: NodeDep, actor: ActorDep,
                      viewer: ViewerDep, url: Text = None, content_type: Text = None,
                      types: Text = None, content_id: Text = None) -> Response:
    """Hash content (``url`` or a multipart upload) and add its hashes to the bank."""
    await run_in_threadpool(hma_api.visible_bank, node.db, viewer, bank_name)
    note: object = None
    metadata: object = None
    if url:
        hashed = await _hash_url(node, url, content_type, types)
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await _json_body(request)
            if isinstance(body, dict):
                note, metadata = body.get("note"), body.get("metadata")
    elif request.headers.get("content-type", "").startswith("multipart/form-data"):
        hashed, fields = await _hash_form(node, request)
        note = fields.get("note")
        metadata = _form_metadata(fields["metadata"]) if "metadata" in fields else None
        content_id = content_id or fields.get("content_id")
    else:
        raise Invalid("Neither `url` nor multipart file upload was received")
    ref = content_id or hma_api.metadata_ref(metadata)
    out = await run_in_threadpool(
        hma_api.add_signals, node.db, actor, viewer, bank_name, hashed.values, node.settings,
        note=hma_api.check_note(note), content_ref=ref[:200], qualities=hashed.qualities)
    return _json(out)


def _form_metadata(raw: str) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Invalid("metadata form field must be valid JSON") from None


@router.get("/c/bank/{bank_name}/content/{content_id}")
def get_content(bank_name: str, content_id: IdPath,
                node: NodeDep, actor: ActorDep, viewer: ViewerDep,
                include_signals: bool = False) -> Response:
    """One content item (an Accord signal) of a bank the caller may see."""
    return _json(hma_api.content_body(node.db, actor, viewer, bank_name, content_id,
                                      include_signals=include_signals))


@router.delete("/c/bank/{bank_name}/content/{content_id}")
def delete_content(bank_name: str, content_id: IdPath, node: NodeDep, actor: ActorDep,
                   viewer: ViewerDep) -> Response:
    """Retract a content item (an Accord signal): ``{"deleted": 1}``, or 0 for none."""
    return _json({"deleted": hma_api.content_delete(node.db, actor, viewer, bank_name,
                                                    content_id)})


@router.post("/c/bank/{bank_name}/signal")
async def add_signals(request: Request, bank_name: str, node: NodeDep, actor: ActorDep,
                      viewer: ViewerDep) -> Response:
    """Add hashes directly: ``{"pdq": "<hash>", "note": "..."}``."""
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise Invalid("the request body should be a JSON object of signal_type: hash")
    note = hma_api.check_note(body.pop("note", None))
    out = await run_in_threadpool(hma_api.add_signals, node.db, actor, viewer, bank_name,
                                  body, node.settings, note=note)
    return _json(out)

