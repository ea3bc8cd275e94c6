"""Exact Hamming-radius search over 256-bit PDQ hashes, with incremental updates.

:class:`PdqIndex` returns *every* indexed hash within distance ``radius``
(default 31) of a query, never an approximation. It is one large immutable
multi-index :class:`~accord.index.segment.Segment` (11 chunk tables of 23-24
bits, hot loops in C) plus a small :class:`~accord.index.segment.Delta` that takes
adds and is scanned linearly. Removals set a tombstone bit; when the delta
outgrows ``max_delta`` or tombstones pass an eighth of the segment, both are
merged into a new segment (the old one stays valid for readers holding it).
Every change is visible to the next query.

Writers must be serialised by the caller (one writer, or a lock shared with
readers); searches release the GIL and may run in parallel with each other.
See ``docs/matching-index.md`` for the layout, the exactness argument and the
measured figures.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid
from accord.index import snapshot
from accord.index.codes import (
    CODE_BYTES,
    as_codes,
    as_ids,
    as_query,
    as_radius,
    brute_force,
    hex_to_array,
)
from accord.index.segment import (
    NBUCKETS,
    NCHUNKS,
    Delta,
    Dists,
    Hits,
    Ids,
    Segment,
    unique_last,
)

__all__ = ["PdqIndex", "brute_force", "hex_to_array"]

FORMAT = "accord.pdq-index"
FORMAT_VERSION = 1
DEFAULT_RADIUS = 31
DEFAULT_MAX_DELTA = 16384
Result = tuple[Ids, Dists]


class PdqIndex:
    """Exact radius index over PDQ hashes, keyed by int64 ids.

    Build it in one go with :meth:`build`, then :meth:`add` and
    :meth:`remove`; :meth:`search` answers one query, :meth:`search_many` a
    batch on several threads. Results are ``(ids, distances)`` sorted by
    distance, then id.
    """

    def __init__(self) -> None:
        self.max_delta = DEFAULT_MAX_DELTA
        self._main = Segment.empty()
        self._delta = Delta()

    @classmethod
    def build(cls, ids: npt.NDArray[np.int64], hashes: npt.NDArray[np.uint8]) -> PdqIndex:
        """An index of ``hashes`` (uint8, shape (n, 32)) under ``ids``; a repeated id keeps
        its last hash."""
        codes = as_codes(hashes)
        index = cls()
        index._main = Segment.build(*unique_last(as_ids(ids, codes.shape[0]), codes))
        return index

    def __len__(self) -> int:
        """Live entries."""
        return self._main.live + self._delta.size

    def add(self, ids: npt.NDArray[np.int64], hashes: npt.NDArray[np.uint8]) -> None:
        """Add entries; an id already present gets the new hash."""
        codes = as_codes(hashes)
        new_ids, new_codes = unique_last(as_ids(ids, codes.shape[0]), codes)
        self._main.kill(new_ids)
        self._delta.discard(new_ids)
        if self._delta.size + new_ids.size > self.max_delta:
            self._merge(new_ids, new_codes)
        else:
            self._delta.append(new_ids, new_codes)

    def remove(self, ids: npt.NDArray[np.int64]) -> None:
        """Remove entries by id; unknown ids are ignored."""
        gone = as_ids(ids)
        self._main.kill(gone)
        self._delta.discard(gone)
        if self._main.dead > max(self.max_delta, self._main.ids.size // 8):
            self._merge(np.empty(0, np.int64), np.empty((0, CODE_BYTES), np.uint8))

    def compact(self) -> None:
        """Merge the delta and drop tombstoned rows now (normally automatic)."""
        if self._delta.size or self._main.dead:
            self._merge(np.empty(0, np.int64), np.empty((0, CODE_BYTES), np.uint8))

    def _merge(self, ids: Ids, codes: npt.NDArray[np.uint8]) -> None:
        """Rebuild the segment from its live rows, the delta and ``ids``/``codes``.

        The delta and the new entries never share an id with a live row (adds
        tombstone the old row first), so they are sorted and inserted into the
        already sorted live rows: one copy of the codes, not a full re-sort.
        """
        delta_ids, delta_codes = self._delta.entries()
        extra_ids, extra_codes = unique_last(np.concatenate([delta_ids, ids]),
                                             np.concatenate([delta_codes, codes]))
        main_ids, main_codes = self._main.live_entries()
        at = np.searchsorted(main_ids, extra_ids)
        all_ids = np.insert(main_ids, at, extra_ids)
        all_codes = np.insert(main_codes, at, extra_codes, axis=0)
        del main_ids, main_codes
        self._main = Segment.build(all_ids, all_codes)
        self._delta = Delta()

    def search(self, query: bytes | npt.NDArray[np.uint8],
               radius: int = DEFAULT_RADIUS) -> Result:
        """Ids and distances of all entries within ``radius`` bits of ``query``."""
        _, ids, dists = self._search(as_query(query), as_radius(radius), 1)
        return ids, dists

    def search_many(self, queries: npt.NDArray[np.uint8], radius: int = DEFAULT_RADIUS,
                    threads: int | None = None) -> list[Result]:
        """:meth:`search` for each row of ``queries`` (uint8, shape (m, 32)), on
        ``threads`` threads (default: all cores)."""
        counts, ids, dists = self.search_batch(queries, radius, threads)
        if counts.size == 1:
            return [(ids, dists)]
        cuts = np.cumsum(counts[:-1], dtype=np.int64)
        return list(zip(np.split(ids, cuts), np.split(dists, cuts), strict=True))

    def search_batch(self, queries: npt.NDArray[np.uint8], radius: int = DEFAULT_RADIUS,
                     threads: int | None = None) -> Hits:
        """:meth:`search_many` in flat form: ``(counts, ids, distances)``, query i's
        hits being the ``counts[i]`` entries after those of the queries before it.

        Cheaper than :meth:`search_many` for large batches where most queries
        match nothing: no per-query arrays are made."""
        codes = as_codes(queries, "queries")
        if threads is None:
            threads = os.cpu_count() or 1
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise Invalid("threads must be a positive integer, got {threads!r}", threads=threads)
        return self._search(codes.tobytes(), as_radius(radius), threads)

    def _search(self, queries: bytes, radius: int, threads: int) -> Hits:
        found = self._main.search(queries, radius, threads)
        if self._delta.size:
            return _merged(found, self._delta.search(queries, radius, threads))
        return found

    def nbytes(self) -> int:
        """Bytes held by the index arrays (memory-mapped ones included)."""
        return self._main.nbytes() + self._delta.nbytes()

    def save(self, path: Path) -> None:
        """Write a snapshot folder at ``path`` (see :mod:`accord.index.snapshot`)."""
        main, (delta_ids, delta_codes) = self._main, self._delta.entries()
        arrays: snapshot.Arrays = {
            "ids": main.ids, "codes": main.codes, "offsets": main.offsets, "perms": main.perms,
            "lows": main.lows, "tomb": main.tomb, "delta_ids": delta_ids,
            "delta_codes": delta_codes}
        meta = {"rows": int(main.ids.size), "live": len(self)}
        snapshot.write(Path(path), FORMAT, FORMAT_VERSION, meta, arrays)

    @classmethod
    def load(cls, path: Path, mmap: bool = True, verify: bool = True) -> PdqIndex:
        """Reload a snapshot written by :meth:`save`, memory-mapping the large arrays.

        ``verify`` checks every array's CRC-32 (one read of the files); the
        layout is always checked, so a corrupt snapshot is refused with
        :class:`~accord.errors.Invalid` rather than read out of bounds.
        """
        _, arrays = snapshot.read(Path(path), FORMAT, FORMAT_VERSION, mmap, verify)
        index = cls()
        index._main = _segment_from(path, arrays)
        delta_ids, delta_codes = arrays.get("delta_ids"), arrays.get("delta_codes")
        if delta_ids is None or delta_codes is None or delta_ids.ndim != 1 \
                or delta_codes.shape != (delta_ids.size, CODE_BYTES):
            raise Invalid("snapshot {path} has a malformed delta", path=path)
        index._delta = Delta(np.asarray(delta_ids, np.int64), np.asarray(delta_codes, np.uint8))
        return index


def _segment_from(path: Path, arrays: snapshot.Arrays) -> Segment:
    """A segment from snapshot arrays, after checking that they fit together."""
    try:
        ids, codes = arrays["ids"], arrays["codes"]
        offsets, perms, lows = arrays["offsets"], arrays["perms"], arrays["lows"]
        tomb = arrays["tomb"]
    except KeyError as exc:
        raise Invalid("snapshot {path} lacks array {exc}", path=path, exc=exc) from None
    n = ids.shape[0] if ids.ndim == 1 else -1
    width = 3 if n < (1 << 24) else 4
    expected = {"ids": (ids, np.int64, (n,)), "codes": (codes, np.uint8, (n, CODE_BYTES)),
                "offsets": (offsets, np.uint32, (NCHUNKS, NBUCKETS + 1)),
                "perms": (perms, np.uint8, (NCHUNKS, n * width)),
                "lows": (lows, np.uint8, (NCHUNKS, n)),
                "tomb": (tomb, np.uint8, ((n + 7) // 8,))}
    for name, (array, dtype, shape) in expected.items():
        if array.dtype != dtype or array.shape != shape:
            raise Invalid("snapshot {path}: array {name} is {dtype} {shape}, expected "
                          "{expected_dtype} {expected_shape}", path=path, name=name,
                          dtype=array.dtype, shape=array.shape, expected_dtype=np.dtype(dtype),
                          expected_shape=shape)
    # The C kernel trusts offsets (monotonic, ending at n) and row numbers < n.
    if n and (bool(np.any(np.diff(offsets.astype(np.int64), axis=1) < 0))
              or bool(np.any(offsets[:, 0] != 0)) or bool(np.any(offsets[:, -1] != n))):
        raise Invalid("snapshot {path}: offsets are inconsistent", path=path)
    if n > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise Invalid("snapshot {path}: ids are not strictly increasing", path=path)
    return Segment(ids, codes, offsets, perms, lows, np.array(tomb, dtype=np.uint8))


def _merged(main: Hits, delta: Hits) -> Hits:
    """Per-query hits of the segment and the delta together, each query's re-sorted
    by (distance, id)."""
    counts, ids, dists = main
    d_counts, d_ids, d_dists = delta
    if not d_counts.any():
        return main
    query = np.concatenate([np.repeat(np.arange(counts.size), counts.astype(np.int64)),
                            np.repeat(np.arange(d_counts.size), d_counts.astype(np.int64))])
    all_ids = np.concatenate([ids, d_ids])
    all_dists = np.concatenate([dists, d_dists])
    order = np.lexsort((all_ids, all_dists, query))
    return counts + d_counts, all_ids[order], all_dists[order]
