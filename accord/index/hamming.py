"""The ``hamming256`` index kind: :class:`~accord.index.pdq.PdqIndex` behind ``SignalIndex``.

The adapter turns canonical hex values into the 32-byte codes the exact
radius index takes, answers batches with one ``search_batch`` call (most
queries of a large batch match nothing, so they cost an empty list only), and
defers the adds of a bulk load to one ``PdqIndex.build``: building once is
several times cheaper than merging batch after batch into the segment.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt

from accord.index.codes import CODE_BYTES, hex_to_array
from accord.index.pdq import PdqIndex
from accord.index.protocol import Candidate, SignalIndex


def codes_of(values: Sequence[str]) -> npt.NDArray[np.uint8]:
    """Hex values as a ``(n, 32)`` array; a malformed one raises ``Invalid`` naming it."""
    try:
        return np.frombuffer(bytes.fromhex("".join(values)), np.uint8).reshape(-1, CODE_BYTES)
    except ValueError:
        return hex_to_array(values)  # raises the precise message


class HammingIndex(SignalIndex):
    """Exact Hamming-radius search over 256-bit hex values (PDQ)."""

    kind: ClassVar[str] = "hamming256"

    def __init__(self, index: PdqIndex | None = None) -> None:
        self.index = index if index is not None else PdqIndex()
        self._pending: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]] | None = None

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index ``values[i]`` under ``ids[i]``; inside :meth:`bulk`, at the end."""
        if not ids:
            return
        batch = (np.fromiter(ids, np.int64, len(ids)), codes_of(values))
        if self._pending is not None:
            self._pending.append(batch)
        else:
            self.index.add(*batch)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Collect the adds inside, then build the segment once."""
        self._pending = []
        try:
            yield
            pending = self._pending
        finally:
            self._pending = None
        if not pending:
            return
        ids = np.concatenate([i for i, _ in pending])
        codes = np.concatenate([c for _, c in pending])
        if len(self.index):
            self.index.add(ids, codes)
        else:
            self.index = PdqIndex.build(ids, codes)

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""
        self.index.remove(np.asarray(ids, dtype=np.int64))

    def search(self, value: str, limit: int) -> list[Candidate]:
        """Every indexed value within ``limit`` bits of ``value``, closest first."""
        ids, distances = self.index.search(bytes.fromhex(value), limit)
        return list(zip(ids.tolist(), distances.tolist(), strict=True))

    def search_many(self, values: Sequence[str], limit: int,
                    threads: int | None = None) -> list[Sequence[Candidate]]:
        """:meth:`search` for each value, on ``threads`` cores (default all) at once."""
        # Most queries of a large batch match nothing: they share one empty tuple.
        results: list[Sequence[Candidate]] = [()] * len(values)
        if not values:
            return results
        counts, ids, dists = self.index.search_batch(codes_of(values), limit, threads=threads)
        ends = np.cumsum(counts, dtype=np.int64)
        all_ids, all_dists = ids.tolist(), dists.tolist()
        for i in np.flatnonzero(counts).tolist():
            hi = int(ends[i])
            lo = hi - int(counts[i])
            results[i] = list(zip(all_ids[lo:hi], all_dists[lo:hi], strict=True))
        return results

    def size(self) -> int:
        """How many values the index holds."""
        return len(self.index)

    def save(self, folder: Path) -> None:
        """The PDQ index's own snapshot (see :mod:`accord.index.snapshot`)."""
        self.index.save(folder)

    @classmethod
    def load(cls, folder: Path) -> Self:
        """Reload a snapshot, memory-mapping its large arrays."""
        return cls(PdqIndex.load(folder, mmap=True))
