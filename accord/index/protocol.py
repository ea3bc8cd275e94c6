"""The ``SignalIndex`` protocol: what the match engine asks of every index kind.

An index holds the canonical values of the matchable signals of one signal
type, keyed by signal id, and answers "which ids lie within ``limit`` of this
value?" as ``(id, distance)`` candidates, closest first (distance 0 for exact
kinds). The engine never looks inside: it builds one index per signal type,
of the class the type's ``index_kind`` names in :mod:`accord.index.registry`,
and feeds, snapshots and searches it through these methods only.

Do:
- make ``add`` replace what an id had, and ``remove`` ignore unknown ids;
- return candidates sorted by (distance, id);
- keep ``save``/``load`` in versioned, non-pickle formats, refusing what another
  version wrote with :class:`accord.errors.Invalid` (the engine then rebuilds).

Don't:
- decide visibility or bank thresholds (the engine does, on the candidates);
- keep a reference to the store: an index sees ids and values only.

Writers are serialised by the caller; searches may run in parallel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Protocol, Self

from accord.errors import Invalid

Candidate = tuple[int, int]
"""A signal id and its distance from the query."""


class SignalIndex(Protocol):
    """Canonical values of one signal type's matchable signals, searchable by distance."""

    kind: ClassVar[str]
    """The index kind's name, as signal types declare it in ``index_kind``."""

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index ``values[i]`` under ``ids[i]`` (replacing what an id had)."""

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""

    def search(self, value: str, limit: int) -> list[Candidate]:
        """Candidates within ``limit`` of ``value``, closest first."""

    def search_many(self, values: Sequence[str], limit: int,
                    threads: int | None = None) -> list[Sequence[Candidate]]:
        """:meth:`search` for each of ``values``; kinds with a batch search override it.

        The lists are the caller's to read, not to change (empty ones may be shared)."""
        return [self.search(value, limit) for value in values]

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A bulk load: ``add`` calls inside may be deferred to the end (no searches
        meanwhile). The default indexes each add at once."""
        yield

    def size(self) -> int:
        """How many signals the index holds."""

    def save(self, folder: Path) -> None:
        """Write a snapshot of the index into ``folder`` (created if missing)."""

    @classmethod
    def load(cls, folder: Path) -> Self:
        """The index a :meth:`save` left in ``folder``; :class:`Invalid` if unreadable."""


ITEMS_FILE = "items.json"


class ItemsIndex(SignalIndex):
    """An index kind that keeps each signal's value: its snapshot is the ``(id, value)``
    pairs as versioned JSON, and loading re-adds them."""

    snapshot_format: ClassVar[str]
    """The snapshot's format name, e.g. ``accord.exact-index``."""
    snapshot_version: ClassVar[int] = 1

    def items(self) -> list[tuple[int, str]]:
        """(id, value) pairs, sorted by id."""
        raise NotImplementedError

    def save(self, folder: Path) -> None:
        """Write the (id, value) pairs as versioned JSON into ``folder``."""
        save_items(folder, self.snapshot_format, self.snapshot_version, self.items())

    @classmethod
    def load(cls, folder: Path) -> Self:
        """The index :meth:`save` left in ``folder``."""
        index = cls()
        items = load_items(folder, cls.snapshot_format, cls.snapshot_version)
        index.add([i for i, _ in items], [v for _, v in items])
        return index


def save_items(folder: Path, fmt: str, version: int, items: list[tuple[int, str]]) -> None:
    """Snapshot of a value-keeping index: ``(id, value)`` pairs as versioned JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{ITEMS_FILE}.tmp"
    tmp.write_text(json.dumps({"format": fmt, "version": version, "items": items}))
    tmp.replace(folder / ITEMS_FILE)


def load_items(folder: Path, fmt: str, version: int) -> list[tuple[int, str]]:
    """The ``(id, value)`` pairs :func:`save_items` wrote; :class:`Invalid` otherwise."""
    path = folder / ITEMS_FILE
    try:
        data: Any = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Invalid("{path} is not a readable index snapshot: {exc}",
                      hint="rebuild the index with: accord index build", path=path,
                      exc=exc) from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise Invalid("{path} is not a {fmt} snapshot",
                      hint="rebuild the index with: accord index build", path=path, fmt=fmt)
    if data.get("version") != version:
        raise Invalid("{path} is snapshot version {version!r}; this Accord reads version "
                      "{version_2}", hint="rebuild the index with: accord index build", path=path,
                      version=data.get('version'), version_2=version)
    try:
        return [(int(i), str(v)) for i, v in data["items"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid("{path} has malformed items: {exc}",
                      hint="rebuild the index with: accord index build", path=path,
                      exc=exc) from None
