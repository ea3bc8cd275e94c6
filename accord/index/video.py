"""The ``video`` index kind: vPDQ's rule, on top of the PDQ index of every signal frame.

Each good-quality distinct frame hash of every video signal is a row in one
``PdqIndex``. A query video's frames are searched at once; for each candidate
signal the two vPDQ percentages follow: the share of query frames that match
some frame of the signal, and the share of the signal's frames matched by some
query frame. ``distance`` is 100 minus the smaller one, as ``video_pdq``
defines it, so a threshold of 20 means at least 80 % both ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from accord.index.pdq import PdqIndex, hex_to_array
from accord.index.protocol import Candidate, ItemsIndex

# The frame-set format this kind indexes (``video_pdq`` values are written in it): a
# frame matches another within this PDQ distance, and only frames of this quality count.
FRAME_MATCH_DISTANCE = 31
FRAME_MIN_QUALITY = 50


def parse_frames(value: str) -> list[tuple[int, int, str]]:
    """The ``(frame, quality, pdq hex)`` triples of a canonical frame-set value."""
    triples = []
    for item in value.split(";"):
        frame, quality, pdq = item.split(":")
        triples.append((int(frame), int(quality), pdq))
    return triples


def good_frames(value: str) -> list[str]:
    """A canonical video value's distinct frame hashes of usable quality."""
    return sorted({h for _, q, h in parse_frames(value) if q >= FRAME_MIN_QUALITY})


class VideoIndex(ItemsIndex):
    """Frame hashes of video signals, searchable by a whole query video."""

    kind: ClassVar[str] = "video"
    snapshot_format: ClassVar[str] = "accord.video-index"

    def __init__(self) -> None:
        self._frames = PdqIndex()
        self._signal_of: dict[int, int] = {}   # frame row -> signal id
        self._rows_of: dict[int, list[int]] = {}  # signal id -> frame rows
        self._next_row = 0
        self._values: dict[int, str] = {}

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index canonical ``video_pdq`` values."""
        for signal_id, value in zip(ids, values, strict=True):
            self._add(signal_id, value)

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""
        for signal_id in ids:
            self._forget(signal_id)

    def _add(self, signal_id: int, value: str) -> None:
        self._forget(signal_id)
        self._values[signal_id] = value
        frames = good_frames(value)
        if not frames:
            return
        rows = list(range(self._next_row, self._next_row + len(frames)))
        self._next_row += len(frames)
        self._frames.add(np.asarray(rows, dtype=np.int64), hex_to_array(frames))
        self._rows_of[signal_id] = rows
        for row in rows:
            self._signal_of[row] = signal_id

    def _forget(self, signal_id: int) -> None:
        self._values.pop(signal_id, None)
        rows = self._rows_of.pop(signal_id, None)
        if rows is None:
            return
        self._frames.remove(np.asarray(rows, dtype=np.int64))
        for row in rows:
            del self._signal_of[row]

    def search(self, value: str, limit: int) -> list[Candidate]:
        """``(signal id, distance)`` of videos within ``limit``, closest first."""
        frames = good_frames(value)
        if not frames:
            return []
        results = self._frames.search_many(hex_to_array(frames), FRAME_MATCH_DISTANCE, threads=1)
        query_hits: dict[int, set[int]] = defaultdict(set)   # signal -> query frames matched
        signal_hits: dict[int, set[int]] = defaultdict(set)  # signal -> its frames matched
        for query_frame, (rows, _) in enumerate(results):
            for row in rows.tolist():
                signal_id = self._signal_of[row]
                query_hits[signal_id].add(query_frame)
                signal_hits[signal_id].add(row)
        found = []
        for signal_id, matched in query_hits.items():
            query_pct = 100.0 * len(matched) / len(frames)
            signal_pct = 100.0 * len(signal_hits[signal_id]) / len(self._rows_of[signal_id])
            distance = 100 - int(min(query_pct, signal_pct))
            if distance <= limit:
                found.append((distance, signal_id))
        return [(i, d) for d, i in sorted(found)]

    def items(self) -> list[tuple[int, str]]:
        """(id, canonical value) pairs, sorted by id."""
        return sorted(self._values.items())

    def size(self) -> int:
        """How many videos the index holds (those with at least one usable frame)."""
        return len(self._rows_of)
