"""Signal files in other tools' formats: import (streamed) and export, per bank.

The same service as ``accord import`` / ``accord export``
(``accord.exchange.files``): HMA CSV, TAT JSON, MISP JSON, STIX bundles and
TAXII envelopes. RED and AMBER+STRICT signals are never exported.
"""

from __future__ import annotations

import tempfile
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from accord.api.deps import ActorDep, NodeDep
from accord.errors import Invalid
from accord.exchange import files

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
