"""What one server worker holds: settings, database, match engine, caches, refresher."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from accord.api.auth import KeyCache
from accord.api.cache import DescriptionCache
from accord.config import Settings
from accord.incidents import crisis
from accord.matching.engine import MatchEngine
from accord.review.delivery import DeliveryWorker
from accord.sharing.visibility import Viewer, viewer_for
from accord.store.database import Database

log = logging.getLogger("accord.api")


@dataclass
class ApiState:
    """Per-worker state; ``start`` loads the engine and runs the refresher thread."""

    settings: Settings
    db: Database
    engine: MatchEngine | None = None
    keys: KeyCache = field(init=False)
    _viewers: dict[int, Viewer] = field(default_factory=dict)
    described: DescriptionCache = field(default_factory=DescriptionCache)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _deliveries: DeliveryWorker | None = None

    def __post_init__(self) -> None:
        self.keys = KeyCache(self.db, self.settings.api_rate_limit)

    def start(self) -> None:
        """Load the match index (snapshot + changes) and start applying changes."""
        self.engine = MatchEngine.open(self.db, self.settings)
        self.engine.listeners.append(self._on_events)
        self._thread = threading.Thread(target=self._refresh_loop, name="accord-refresh",
                                        daemon=True)
        self._thread.start()
        self._deliveries = DeliveryWorker(self.db, self.settings)
        self._deliveries.start()

    def stop(self) -> None:
        """Stop the refresher and close database connections."""
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

    def _on_events(self, actions: list[str]) -> None:
        self.keys.on_events(actions)
        self.described.on_events(actions)
        if any(a.startswith(("channel.", "partner.")) for a in actions):
            self._viewers.clear()

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.settings.refresh_interval_seconds):
            self.refresh_once()

    def refresh_once(self) -> None:
        """One refresher pass: expire crises that are due (their banks' sharing narrows at
        once), then apply store changes to the match index."""
        try:
            if crisis.any_due(self.db):
                crisis.expire_due(self.db)
        except Exception:  # keep serving; the next pass retries
            log.exception("expiring crises failed")
        try:
            if self.engine is not None:
                self.engine.refresh()
        except Exception:  # keep serving; the next pass retries
            log.exception("refreshing the match index failed")
