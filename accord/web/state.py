"""What the web UI keeps per worker beside the node: templates, taxonomy, session codec,
small caches."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accord.audit import VerifyReport
from accord.node import Node
from accord.taxonomy import Taxonomy, load_taxonomy
from accord.web.session import SessionCodec

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
Value = TypeVar("Value")
log = logging.getLogger("accord.web")

# Dashboard and bank counts scan every visible signal; a minute-old figure is good enough.
COUNTS_TTL_SECONDS = 60.0
REPORTS_KEPT = 32


class Figures:
    """Expensive aggregates (whole-table counts) computed off the request path.

    ``get`` answers at once with the latest value (None before the first one is
    ready) and, when that value is older than ``ttl`` or was invalidated, starts
    computing a new one in a thread; a page shows the figures it has and asks
    again shortly. So no request waits for a scan of a million signals, and each
    figure costs at most one scan per ``ttl`` per worker.
    """

    def __init__(self, ttl: float, max_items: int | None = None) -> None:
        self.ttl, self.max_items = ttl, max_items
        self._items: dict[Hashable, tuple[float, object]] = {}
        self._stale: set[Hashable] = set()
        self._running: set[Hashable] = set()
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value | None:
        """The latest value for ``key`` (None while the first is computed)."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            fresh = (found is not None and now - found[0] < self.ttl
                     and key not in self._stale)
            start = not fresh and key not in self._running
            if start:
                self._running.add(key)
        if start:
            worker = threading.Thread(target=self._compute, args=(key, compute), daemon=True,
                                      name="accord-web-figures")
            with self._lock:
                self._threads.add(worker)
            worker.start()
        return None if found is None else found[1]  # type: ignore[return-value]  # same key's compute

    def _compute(self, key: Hashable, compute: Callable[[], object]) -> None:
        try:
            value = compute()
            with self._lock:
                self._items[key] = (time.monotonic(), value)
                self._stale.discard(key)
                while self.max_items is not None and len(self._items) > self.max_items:
                    del self._items[min(self._items, key=lambda k: self._items[k][0])]
        except Exception:  # a thread has no caller: log it, the next request retries
            log.exception("computing the figures %r failed", key)
        finally:
            with self._lock:
                self._running.discard(key)
                self._threads.discard(threading.current_thread())

    def stop(self, timeout_s: float = 30.0) -> None:
        """Wait for the figures being computed (before the database closes)."""
        with self._lock:
            running = list(self._threads)
        for worker in running:
            worker.join(timeout_s)

    def invalidate(self) -> None:
        """Recompute every figure on its next use (after this worker changed the data)."""
        with self._lock:
            self._stale = set(self._items)

    def clear(self) -> None:
        """Forget every figure (benchmarks measure the first computation)."""
        with self._lock:
            self._items.clear()
            self._stale.clear()


@dataclass
class WebState:
    """The UI's per-worker state, over the node it shares with the API."""

    node: Node
    env: Environment
    codec: SessionCodec
    taxonomy: Taxonomy
    imports_dir: Path
    counts: Figures = field(default_factory=lambda: Figures(COUNTS_TTL_SECONDS))
    # Reports (analytics and charts) are computed off the request path too; the latest
    # REPORTS_KEPT are kept for a minute, per partner and parameters.
    reports: Figures = field(default_factory=lambda: Figures(COUNTS_TTL_SECONDS, REPORTS_KEPT))
    last_verify: VerifyReport | None = None

    def stop(self) -> None:
        """Let background work that uses the database finish (the app is stopping)."""
        self.counts.stop()
        self.reports.stop()

    @classmethod
    def build(cls, node: Node) -> WebState:
        """Templates, the taxonomy and the session key for this node."""
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        imports = Path(node.settings.home) / "web-imports"
        return cls(node, env, SessionCodec(node.settings),
                   load_taxonomy(node.settings.taxonomy_path), imports)
