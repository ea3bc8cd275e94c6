"""FastAPI dependencies: the node, the authenticated actor, what the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from accord import i18n
from accord.api.auth import KeyCache
from accord.errors import PermissionDenied
from accord.node import Node
from accord.reports.document import reader_locale
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer

# Async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a hop
# that cost more than the whole match. These only touch the store on a cache miss.


def node_of(request: Request) -> Node:
    """The node this app serves (``accord.api.app.install`` put it there)."""
    node: Node = request.app.state.accord_node
    return node


def keys_of(request: Request) -> KeyCache:
    """The API's key cache for this worker."""
    keys: KeyCache = request.app.state.accord_keys
    return keys


async def get_node(request: Request) -> Node:
    """The node, as a dependency."""
    return node_of(request)


# What a sync-role key reaches outside TAXII (whose router authenticates on its own): the
# signal feed accord.pytx and HMA read. Every other route answers it 403.
SYNC_ROUTES = frozenset({("GET", "/api/v1/signals")})
SYNC_PREFIXES = ("/api/v1/peers",)  # this node's peers: list, skip ledgers, sync now


def _within_role(request: Request, actor: Actor) -> Actor:
    if (request.method, request.url.path) not in SYNC_ROUTES and not (
            request.url.path + "/").startswith(tuple(p + "/" for p in SYNC_PREFIXES)):
        actor.require_beyond_sync(f"use {request.method} {request.url.path}")
    return actor


async def get_actor(request: Request,
                    authorization: Annotated[str | None, Header()] = None) -> Actor:
    """The member behind the request's bearer key (401 without a valid one; 403 for a
    sync-role key outside what sync needs)."""
    return _within_role(request, keys_of(request).actor(authorization))


def _viewer(node: Node, actor: Actor) -> Viewer:
    if actor.partner_id is None:  # keys belong to members, so this means a broken store
        raise PermissionDenied("this key belongs to no partner")
    return node.viewer(actor.partner_id)


async def get_viewer(node: Annotated[Node, Depends(get_node)],
                     actor: Annotated[Actor, Depends(get_actor)]) -> Viewer:
    """What the caller's partner may see."""
    return _viewer(node, actor)


async def get_locale(request: Request, lang: Annotated[str | None, Query(
        max_length=35, description="The reader's language (en, zh-Hans, ar, fr, ru, es); "
        "without it, the Accept-Language header chooses")] = None) -> str:
    """The reader's locale: ``?lang=``, else ``Accept-Language``, else English. Answers
    that give text in it say so with ``Content-Language`` (:func:`content_language`)."""
    if lang is None:
        return i18n.negotiate(request.headers.get("accept-language"))
    return reader_locale(lang)


def request_locale(request: Request) -> str:
    """:func:`get_locale` for an answer that must not fail itself (an error's): a ``?lang=``
    naming none of the six languages reads as English instead of being refused."""
    lang = request.query_params.get("lang")
    if lang is None:
        return i18n.negotiate(request.headers.get("accept-language"))
    return i18n.canonical(lang[:35])


def content_language(locale: str) -> dict[str, str]:
    """The ``Content-Language`` header of an answer in ``locale``."""
    return {"Content-Language": i18n.html_lang(locale)}


# Row ids are INTEGER columns, 32-bit on PostgreSQL: a larger number names no row, and the
# database refuses to compare with one ("integer out of range", so a 500 rather than a 404).
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
AfterQuery = Annotated[int, Query(ge=0, le=MAX_ID)]

NodeDep = Annotated[Node, Depends(get_node)]
ActorDep = Annotated[Actor, Depends(get_actor)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
LocaleDep = Annotated[str, Depends(get_locale)]


def caller(request: Request) -> tuple[Node, Actor, Viewer]:
    """Node, actor and viewer in one step, for the hot routes that skip FastAPI's
    dependency solver (about half a millisecond a request on these machines)."""
    node = node_of(request)
    actor = _within_role(request, keys_of(request).actor(request.headers.get("authorization")))
    return node, actor, _viewer(node, actor)
