"""The two parts of a :class:`~accord.index.pdq.PdqIndex`: a large immutable
multi-index segment and a small brute-force delta.

:class:`Segment` keeps its rows sorted by id, so an id is found by binary
search and a row number orders results exactly as its id does; removals set a
bit in a tombstone bitmap. :class:`Delta` takes recent adds and is scanned
linearly until the owner merges it into a new segment. Both answer a batch of
queries in the same shape: ``(counts, ids, distances)``, the hits of query
``i`` being the ``counts[i]`` entries after those of the queries before it,
sorted by distance then id.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid
from accord.index import _mih
from accord.index.codes import CODE_BYTES, Codes, Ids

__all__ = ["NBUCKETS", "NCHUNKS", "Counts", "Delta", "Dists", "Hits", "Ids", "Segment",
           "unique_last"]

NCHUNKS = _mih.NCHUNKS
NBUCKETS = _mih.NBUCKETS
MAX_ROWS = (1 << 32) - 1

Counts = npt.NDArray[np.uint64]
Dists = npt.NDArray[np.int32]
Hits = tuple[Counts, Ids, Dists]


def unique_last(ids: Ids, codes: Codes) -> tuple[Ids, Codes]:
    """Sort entries by id, keeping the last code given for a repeated id."""
    if ids.size < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return ids, codes
    reversed_ids = ids[::-1]
    unique, first = np.unique(reversed_ids, return_index=True)
    return unique.astype(np.int64), np.ascontiguousarray(codes[ids.size - 1 - first])


def _row_width(count: int) -> int:
    """Bytes per row number in the permutations: 3 while rows fit in 24 bits."""
    return 3 if count < (1 << 24) else 4


class Segment:
    """Multi-index tables over codes sorted by id, with a tombstone bitmap.

    Memory per row: 32 bytes of code, 8 of id, ``11 * (width + 1)`` of chunk
    tables (row numbers of width 3 below 2**24 rows, else 4, and one byte of
    low chunk bits) and one tombstone bit; the bucket offsets are a fixed
    2.75 MiB. Arrays may be read-only memory maps; the bitmap is always an
    in-memory copy so that removals never write to a snapshot.
    """

    def __init__(self, ids: Ids, codes: Codes, offsets: npt.NDArray[np.uint32],
                 perms: npt.NDArray[np.uint8], lows: npt.NDArray[np.uint8],
                 tomb: npt.NDArray[np.uint8]) -> None:
        self.ids = ids
        self.codes = codes
        self.offsets = offsets
        self.perms = perms
        self.lows = lows
        self.width = _row_width(ids.size)
        self.tomb = tomb
        self.dead = int(np.bitwise_count(tomb).sum(dtype=np.int64))

    @classmethod
    def build(cls, ids: Ids, codes: Codes) -> Segment:
        """Tables for unique ``ids`` in ascending order and their ``codes``."""
        if ids.size > MAX_ROWS:
            raise Invalid("{size} hashes is more than one index segment holds ({max_rows})",
                          size=ids.size, max_rows=MAX_ROWS)
        width = _row_width(ids.size)
        offsets = np.empty((NCHUNKS, NBUCKETS + 1), dtype=np.uint32)
        perms = np.empty((NCHUNKS, ids.size * width), dtype=np.uint8)
        lows = np.empty((NCHUNKS, ids.size), dtype=np.uint8)
        _mih.build(codes, width, offsets, perms, lows)
        tomb = np.zeros((ids.size + 7) // 8, dtype=np.uint8)
        return cls(ids, codes, offsets, perms, lows, tomb)

    @classmethod
    def empty(cls) -> Segment:
        """A segment with no rows."""
        return cls.build(np.empty(0, np.int64), np.empty((0, CODE_BYTES), np.uint8))

    @property
    def live(self) -> int:
        """Rows not removed."""
        return self.ids.size - self.dead

    def live_entries(self) -> tuple[Ids, Codes]:
        """Ids and codes of the rows not removed, in id order."""
        if self.dead == 0:
            return self.ids, self.codes
        alive = np.unpackbits(self.tomb, bitorder="little", count=self.ids.size) == 0
        return self.ids[alive], self.codes[alive]

    def rows_of(self, ids: Ids) -> npt.NDArray[np.intp]:
        """Row numbers of the live rows among ``ids`` (unknown ids are skipped)."""
        if self.ids.size == 0 or ids.size == 0:
            return np.empty(0, np.intp)
        rows = np.minimum(np.searchsorted(self.ids, ids), self.ids.size - 1)
        rows = rows[self.ids[rows] == ids]
        dead = (self.tomb[rows >> 3] >> (rows & 7).astype(np.uint8)) & 1
        live: npt.NDArray[np.intp] = rows[dead == 0]
        return live

    def kill(self, ids: Ids) -> int:
        """Tombstone the live rows with these ids; returns how many there were."""
        rows = np.unique(self.rows_of(ids))
        if rows.size:
            np.bitwise_or.at(self.tomb, rows >> 3, (1 << (rows & 7)).astype(np.uint8))
            self.dead += int(rows.size)
        return int(rows.size)

    def search(self, queries: bytes, radius: int, threads: int,
               order: int = _mih.ORDER_AUTO) -> Hits:
        """Live rows within ``radius`` of each 32-byte query in ``queries``.

        ``order`` forces how a batch is searched (``_mih.ORDER_QUERY``, ``_BUCKET``
        or ``_SWEPT``; the results are the same), for tests and benchmarks."""
        tomb = self.tomb if self.dead else None
        counts, rows, dists = _mih.search(self.codes, self.offsets, self.perms, self.lows,
                                          self.width, tomb, queries, radius, threads, order)
        return (np.frombuffer(counts, np.uint64), self.ids[np.frombuffer(rows, np.uint32)],
                np.frombuffer(dists, np.int32).copy())

    def nbytes(self) -> int:
        """Bytes held by the arrays (mapped pages included)."""
        arrays = (self.ids, self.codes, self.offsets, self.perms, self.lows, self.tomb)
        return sum(a.nbytes for a in arrays)


class Delta:
    """Recent adds, searched by linear scan; grows by doubling."""

    def __init__(self, ids: Ids | None = None, codes: Codes | None = None) -> None:
        self.ids = np.empty(0, np.int64) if ids is None else ids.copy()
        self.codes = np.empty((0, CODE_BYTES), np.uint8) if codes is None else codes.copy()
        self.size = self.ids.size

    def entries(self) -> tuple[Ids, Codes]:
        """The ids and codes held, in insertion order."""
        return self.ids[:self.size], self.codes[:self.size]

    def append(self, ids: Ids, codes: Codes) -> None:
        """Add entries whose ids are not already here."""
        end = self.size + ids.size
        if end > self.ids.size:
            capacity = max(end, 2 * self.ids.size, 1024)
            grown_ids = np.empty(capacity, np.int64)
            grown_codes = np.empty((capacity, CODE_BYTES), np.uint8)
            grown_ids[:self.size] = self.ids[:self.size]
            grown_codes[:self.size] = self.codes[:self.size]
            self.ids, self.codes = grown_ids, grown_codes
        self.ids[self.size:end] = ids
        self.codes[self.size:end] = codes
        self.size = end

    def discard(self, ids: Ids) -> int:
        """Drop entries with these ids; returns how many there were."""
        if self.size == 0 or ids.size == 0:
            return 0
        gone = np.isin(self.ids[:self.size], ids)
        count = int(gone.sum())
        if count:
            keep = ~gone
            self.ids[:self.size - count] = self.ids[:self.size][keep]
            self.codes[:self.size - count] = self.codes[:self.size][keep]
            self.size -= count
        return count

    def search(self, queries: bytes, radius: int, threads: int) -> Hits:
        """Entries within ``radius`` of each query, by linear scan."""
        counts, rows, dists = _mih.search(self.codes[:self.size], None, None, None, 3, None,
                                          queries, radius, threads)
        return (np.frombuffer(counts, np.uint64), self.ids[np.frombuffer(rows, np.uint32)],
                np.frombuffer(dists, np.int32).copy())

    def nbytes(self) -> int:
        """Bytes held, spare capacity included."""
        return int(self.ids.nbytes + self.codes.nbytes)
