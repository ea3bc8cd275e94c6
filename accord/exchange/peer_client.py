"""Talking to a peer's TAXII 2.1 server with taxii2-client, within time and size limits.

``connect`` gives a taxii2-client connection whose every request has a time
limit (``sync_timeout_seconds``, and four times that for a whole body) and a
size limit (``taxii_max_envelope_bytes``); ``open_collection`` finds the
peer's collection by id or title; ``check_envelope`` refuses a page that is
not a TAXII envelope; ``describe`` turns any failure into a line for
``accord peer list``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import requests
from taxii2client import exceptions as taxii_errors
from taxii2client.common import _HTTPConnection
from taxii2client.v21 import ApiRoot, Collection

from accord.config import Settings
from accord.errors import AccordError, PartnerUnavailable, trimmed
from accord.exchange.taxii.collections import current_collection_id
from accord.safeguards import outbound
from accord.store import models as m
from accord.store import sealed

log = logging.getLogger(__name__)


class PeerFailed(PartnerUnavailable):
    """The peer failed, stalled, or sent something that is not a TAXII envelope."""

    title = "Peer failed"


class _BoundedSession(requests.Session):
    """A session whose every request has a time limit and a size limit."""

    def __init__(self, timeout: float, max_bytes: int) -> None:
        super().__init__()
        self.timeout, self.max_bytes = timeout, max_bytes
        self.last_headers: dict[str, str] = {}

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs["stream"] = True
        method = method.decode() if isinstance(method, bytes) else method
        response = super().request(method, url, *args, **kwargs)
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=4 * self.timeout)
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > self.max_bytes:
                response.close()
                raise PeerFailed("the peer sent more than {max_bytes:,} bytes in one response",
                                 hint="ask it for smaller pages (ACCORD_SYNC_PAGE_SIZE) or raise "
                                      "ACCORD_TAXII_MAX_ENVELOPE_BYTES", max_bytes=self.max_bytes)
            if dt.datetime.now(dt.UTC) > deadline:
                response.close()
                raise PeerFailed("the peer is sending too slowly (stalled)")
        response._content = bytes(body)
        self.last_headers = dict(response.headers)
        return response


class _Bearer(requests.auth.AuthBase):
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.key}"
        return request


def connect(peer: m.Peer, settings: Settings) -> tuple[_HTTPConnection, _BoundedSession]:
    """A connection to ``peer`` whose every request (redirects too) connects only to an
    address the outbound rule allows (``accord.safeguards.outbound``)."""
    conn = _HTTPConnection(version="2.1")
    session = _BoundedSession(settings.sync_timeout_seconds, settings.taxii_max_envelope_bytes)
    session.headers.update(conn.session.headers)
    # The key is opened only here, for this run's session (never logged nor kept).
    key = sealed.open_secret(settings, peer.api_key, f"peer {peer.name}'s API key") \
        if peer.api_key else None
    if key and peer.username:
        session.auth = requests.auth.HTTPBasicAuth(peer.username, key)
    elif key:
        session.auth = _Bearer(key)
    outbound.Outbound.from_settings(settings).harden(session)
    conn.session = session
    return conn, session


def _collections(peer: m.Peer, conn: _HTTPConnection) -> Iterator[Collection]:
    # taxii2-client's Server builds its API roots with fresh connections (losing our
    # time and size limits and any auth object), so discovery is read here instead.
    try:
        discovery = conn.get(peer.url)
        urls = [urljoin(peer.url, str(u)) for u in discovery.get("api_roots", [])]
    except (taxii_errors.TAXIIServiceException, requests.HTTPError, AttributeError):
        urls = [peer.url]  # the URL may be an API root itself
    for url in urls:
        yield from ApiRoot(url, conn=conn).collections


def open_collection(peer: m.Peer, conn: _HTTPConnection) -> Collection:
    found = list(_collections(peer, conn))
    # An Accord peer's uuid5 collection id of before names its version 4 id of today.
    wanted = (peer.collection, current_collection_id(peer.collection))
    for collection in found:
        if collection.id in wanted or collection.title == peer.collection:
            return collection
    titles = ", ".join(f"{c.id} ({c.title})" for c in found) or "none"
    raise PeerFailed("the peer has no collection {collection} that we may read",
                     hint="its collections: {titles}", collection=trimmed(peer.collection),
                     titles=titles[:400])


def describe(error: BaseException) -> str:
    refused = _refusal(error)
    if refused is not None:
        # The same words as an unresolvable host: which internal names the node's resolver
        # knows is not told to the partner; the operator's log has the reason.
        log.warning("peer connection refused: %s", refused.message)
        return "cannot connect to the peer"
    if isinstance(error, AccordError):
        return error.message
    if isinstance(error, requests.Timeout):
        return f"the peer did not answer in time ({type(error).__name__})"
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"the peer answered HTTP {error.response.status_code}"
    if isinstance(error, requests.ConnectionError):
        return "cannot connect to the peer"
    if isinstance(error, taxii_errors.InvalidJSONError):
        return "the peer sent a page that is not JSON"
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:300]}"


def _refusal(error: BaseException | None) -> outbound.OutboundRefused | None:
    """The outbound refusal behind ``error`` (requests wraps what the transport raised)."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, outbound.OutboundRefused):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def check_envelope(page: object) -> dict[str, Any]:
    if not isinstance(page, dict):
        raise PeerFailed("the peer sent a page that is not a TAXII envelope (not an object)")
    if not isinstance(page.get("objects", []), list):
        raise PeerFailed("the peer sent an envelope whose 'objects' is not a list")
    if not isinstance(page.get("more", False), bool):
        raise PeerFailed("the peer sent an envelope whose 'more' is not true or false")
    if page.get("next") is not None and not isinstance(page.get("next"), str):
        raise PeerFailed("the peer sent an envelope whose 'next' is not text")
    return page
