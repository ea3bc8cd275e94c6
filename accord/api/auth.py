"""Bearer-key authentication with a short-lived cache, and a rate limit per key.

Checking a key against the store costs a query and a write (its last-used
time) per request; the cache keeps the answer per worker and is emptied
whenever the node's change feed shows a key revoked or a member changed, so a revoked
key stops working within one refresh interval. Last-used times are written at
most once a minute per key.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from accord.audit import AuditAction
from accord.errors import PermissionDenied, TooManyRequests, Unauthorized
from accord.sharing.roles import Actor
from accord.sharing.service import key_authenticate
from accord.store.database import Database

_INVALIDATING = AuditAction.of("key", "member")


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class KeyCache:
    """API key -> actor, per worker, invalidated from the audit feed."""

    def __init__(self, db: Database, rate: float) -> None:
        self.db, self.rate = db, rate
        self._actors: dict[str, tuple[Actor, float]] = {}
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def actor(self, authorization: str | None) -> Actor:
        """The actor for an ``Authorization: Bearer <key>`` header, rate-limited."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthorized("an API key is required: send Authorization: Bearer <key>",
                               hint="create one with: accord key create USERNAME")
        secret = authorization[7:].strip()
        digest = hashlib.sha256(secret.encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._actors.get(digest)
        if cached is None or now - cached[1] > 60:
            try:
                actor = key_authenticate(self.db, secret)
            except PermissionDenied:
                raise Unauthorized("the API key is unknown or revoked") from None
            with self._lock:
                self._actors[digest] = (actor, now)
        else:
            actor = cached[0]
        self._spend(digest, now)
        return actor

    def _spend(self, digest: str, now: float) -> None:
        with self._lock:
            bucket = self._buckets.get(digest)
            if bucket is None:
                bucket = self._buckets[digest] = _Bucket(2 * self.rate, now)
            bucket.tokens = min(2 * self.rate, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens < 1:
                raise TooManyRequests("rate limit of {rate:g} requests/s exceeded",
                                      retry_after=(1 - bucket.tokens) / self.rate, rate=self.rate)
            bucket.tokens -= 1

    def on_events(self, actions: list[str]) -> None:
        """Forget every cached key when the audit feed shows a key or member change."""
        if any(a in _INVALIDATING for a in actions):
            with self._lock:
                self._actors.clear()
