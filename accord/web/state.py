"""What the web UI keeps per worker: templates, taxonomy, session codec, small caches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accord.api.state import ApiState
from accord.audit import VerifyReport
from accord.taxonomy import Taxonomy, load_taxonomy
from accord.web.session import SessionCodec

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
Value = TypeVar("Value")

# Dashboard counts scan every visible signal; a minute-old figure is good enough there.
COUNTS_TTL_SECONDS = 60.0


class TtlCache:
    """A small per-worker cache of expensive aggregates, each kept for ``ttl`` seconds."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[object, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], Value]) -> Value:
        """The cached value for ``key``, computed again once it is older than ``ttl``."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
        if found is not None and now - found[0] < self.ttl:
            return found[1]  # type: ignore[return-value]  # stored by this same key's compute
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget everything (after this worker changed what the figures count)."""
        with self._lock:
            self._items.clear()


@dataclass
class WebState:
    """The UI's per-worker state, beside the API's ``ApiState``."""

    api: ApiState
    env: Environment
    codec: SessionCodec
    taxonomy: Taxonomy
    imports_dir: Path
    counts: TtlCache = field(default_factory=lambda: TtlCache(COUNTS_TTL_SECONDS))
    last_verify: VerifyReport | None = None

    @classmethod
    def build(cls, api: ApiState) -> WebState:
        """Templates, the taxonomy and the session key for this node."""
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        imports = Path(api.settings.home) / "web-imports"
        return cls(api, env, SessionCodec(api.settings),
                   load_taxonomy(api.settings.taxonomy_path), imports)
