"""The running node: what one server worker holds and keeps current, started and stopped once.

A ``Node`` owns the database, the match engine, the refresher thread that
applies the change feed to the engine (and expires crises that are due, and
checkpoints the audit chain's head when one is due), the
webhook delivery worker, and the caches the feed invalidates: matched-signal
descriptions and partners' viewers. ``accord.app.create_app`` builds one per
worker, mounts the API and the web UI over it, starts it when the app starts
and stops it when the app stops; the edges only read from it. An edge with a
cache of its own (the API's key cache) adds itself to ``listeners``.

No fastapi, starlette, typer or jinja2 here: a node is not an HTTP thing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from accord import audit_anchor
from accord.audit import AuditAction
from accord.config import Settings
from accord.errors import Conflict
from accord.incidents import crisis
from accord.matching.descriptions import DescriptionCache
from accord.matching.engine import MatchEngine
from accord.review.delivery import DeliveryWorker
from accord.sharing.visibility import Viewer, viewer_for
from accord.store.database import Database

log = logging.getLogger("accord.node")
# Actions after which a partner's view (its channels, the partners) may have changed.
_SHARING = AuditAction.of("channel", "partner")

# Called with the actions of each batch of audit events the refresher applied.
Listener = Callable[[list[str]], None]


class Node:
    """One worker's node; ``start`` loads the engine and starts the background work."""

    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db if db is not None else Database(settings.resolved_database_url())
        self.engine: MatchEngine | None = None
        self.descriptions = DescriptionCache()
        self.listeners: list[Listener] = []
        self._viewers: dict[int, Viewer] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._deliveries: DeliveryWorker | None = None
        self._anchor_after = 0.0  # monotonic time before which no checkpoint is tried

    @property
    def running(self) -> bool:
        """True between ``start`` and ``stop``."""
        return self._thread is not None and not self._stop.is_set()

    def start(self) -> None:
        """Load the match index (snapshot + changes), start applying changes and
        delivering webhooks. A node starts once."""
        if self._thread is not None:
            raise Conflict("this node has already been started",
                           hint="build a new Node (one per worker) instead of restarting one")
        self.engine = MatchEngine.open(self.db, self.settings)
        self.engine.listeners.append(self.on_events)
        self._thread = threading.Thread(target=self._refresh_loop, name="accord-refresh",
                                        daemon=True)
        self._thread.start()
        self._deliveries = DeliveryWorker(self.db, self.settings)
        self._deliveries.start()

    def stop(self) -> None:
        """Stop the refresher and the deliveries, then close database connections."""
        self._stop.set()
        if self._deliveries is not None:
            self._deliveries.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.db.dispose()

    def viewer(self, partner_id: int) -> Viewer:
        """The partner's viewer (channel memberships), cached until a channel changes."""
        cached = self._viewers.get(partner_id)
        if cached is None:
            with self.db.reader() as session:
                cached = self._viewers[partner_id] = viewer_for(session, partner_id)
        return cached

    def on_events(self, actions: list[str]) -> None:
        """Drop what the applied audit actions made stale, then tell the listeners."""
        self.descriptions.on_events(actions)
        if any(a in _SHARING for a in actions):
            self._viewers.clear()
        for listener in self.listeners:
            listener(actions)

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.settings.refresh_interval_seconds):
            self.refresh_once()

    def refresh_once(self) -> None:
        """One refresher pass: expire crises that are due (their banks' sharing narrows at
        once), checkpoint the audit chain if due, then apply store changes to the match
        index."""
        try:
            if crisis.any_due(self.db):
                crisis.expire_due(self.db)
        except Exception:  # keep serving; the next pass retries
            log.exception("expiring crises failed")
        self._checkpoint_if_due()
        try:
            if self.engine is not None:
                self.engine.refresh()
        except Exception:  # keep serving; the next pass retries
            log.exception("refreshing the match index failed")

    def _checkpoint_if_due(self) -> None:
        """Sign the audit chain's head (key made on first use) into the database and the
        witness file, every ACCORD_AUDIT_CHECKPOINT_EVENTS events or _SECONDS."""
        if time.monotonic() < self._anchor_after:
            return
        try:
            if audit_anchor.checkpoint_due(self.db, self.settings):
                key = audit_anchor.load_key(self.settings, create=True)
                if key is not None:
                    audit_anchor.checkpoint(self.db, key,
                                            witnesses=audit_anchor.witness_files(self.settings))
        except Exception:  # keep serving; retry in a minute, not on every pass
            self._anchor_after = time.monotonic() + 60
            log.exception("checkpointing the audit log failed")
