"""Match a pasted hash or an uploaded file against what the partner may see.

With a content reference the matches are recorded for the partner's review
queue, exactly as the match API records them.
"""

from __future__ import annotations

from fastapi import Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from accord.errors import Invalid, PartnerUnavailable
from accord.matching.engine import MatchEngine
from accord.matching.service import QueryResult, match_file, match_query, parse_query
from accord.review.service import record_matches
from accord.sharing.roles import CAN_READ
from accord.signals import signal_type_names
from accord.web.i18n import N_
from accord.web.labels import entities_for
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()


def _engine(visit: Visit) -> MatchEngine:
    engine = visit.web.node.engine
    if engine is None:
        raise PartnerUnavailable(N_("The match index is still loading."),
                                 hint=N_("Try again in a few seconds."))
    return engine


@router.get("/match")
def match_page(visit: Member) -> Response:
    """The form: a hash (TYPE:VALUE) or a file, and an optional content reference."""
    visit.me.require(CAN_READ, "match content")
    return visit.render("match.html", results=None, types=signal_type_names(), query="",
                        content_ref="", recorded=[], entities={})


def _answer(visit: Visit, results: list[QueryResult], content_ref: str, query: str
            ) -> Response:
    recorded = []
    if content_ref:
        found = [m for result in results for m in result.matches]
        recorded = record_matches(visit.db, visit.me, content_ref, found)
    entities = entities_for(visit.db, [label for result in results for m in result.matches
                                       for label in m.labels])
    return visit.render("match.html", results=results, types=signal_type_names(),
                        query=query, content_ref=content_ref, recorded=recorded,
                        entities=entities)


@router.post("/match")
def match_hash(visit: Member, form: Posted) -> Response:
    """Match one pasted hash or URL."""
    visit.me.require(CAN_READ, "match content")
    query = field(form, "query")
    kind, value = parse_query(query)
    result = match_query(_engine(visit), visit.viewer(), kind, value,
                         descriptions=visit.web.node.descriptions)
    return _answer(visit, [result], field(form, "content_ref"), query)


@router.post("/match/file")
async def match_upload(visit: Member, form: Posted) -> Response:
    """Hash an uploaded file with every type that applies, and match each hash."""
    visit.me.require(CAN_READ, "match content")
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(N_("Choose a file to match."))
    node = visit.web.node
    limit = node.settings.max_file_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(N_("The file is over the size limit."), hint=N_(
            "Match a smaller file, or ask the operator to raise ACCORD_MAX_FILE_BYTES."))
    engine = _engine(visit)
    results = await run_in_threadpool(match_file, engine, visit.viewer(), data, node.settings,
                                      name=upload.filename, descriptions=node.descriptions)
    return await run_in_threadpool(_answer, visit, results, field(form, "content_ref"),
                                   upload.filename)
