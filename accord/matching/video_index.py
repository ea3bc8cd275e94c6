"""Video matching by vPDQ's rule, on top of the PDQ index of every signal frame.

Each good-quality distinct frame hash of every video signal is a row in one
``PdqIndex``. A query video's frames are searched at once; for each candidate
signal the two vPDQ percentages follow: the share of query frames that match
some frame of the signal, and the share of the signal's frames matched by some
query frame. ``distance`` is 100 minus the smaller one, as ``video_pdq``
defines it, so a threshold of 20 means at least 80 % both ways.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from accord.index.pdq import PdqIndex, hex_to_array
from accord.signals.video import FRAME_MATCH_DISTANCE, FRAME_MIN_QUALITY, parse_frames


def good_frames(value: str) -> list[str]:
    """A canonical video value's distinct frame hashes of usable quality."""
    return sorted({h for _, q, h in parse_frames(value) if q >= FRAME_MIN_QUALITY})


class VideoIndex:
    """Frame hashes of video signals, searchable by a whole query video."""

    def __init__(self) -> None:
        self._frames = PdqIndex()
        self._signal_of: dict[int, int] = {}   # frame row -> signal id
        self._rows_of: dict[int, list[int]] = {}  # signal id -> frame rows
        self._next_row = 0
        self._values: dict[int, str] = {}

    def add(self, signal_id: int, value: str) -> None:
        """Index a canonical ``video_pdq`` value for ``signal_id``."""
        self.remove(signal_id)
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

    def remove(self, signal_id: int) -> None:
        """Forget ``signal_id``; unknown ids are ignored."""
        self._values.pop(signal_id, None)
        rows = self._rows_of.pop(signal_id, None)
        if rows is None:
            return
        self._frames.remove(np.asarray(rows, dtype=np.int64))
        for row in rows:
            del self._signal_of[row]

    def search(self, value: str, threshold: int) -> list[tuple[int, int]]:
        """``(signal id, distance)`` of videos within ``threshold``, closest first."""
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
            if distance <= threshold:
                found.append((distance, signal_id))
        return [(i, d) for d, i in sorted(found)]

    def items(self) -> list[tuple[int, str]]:
        """(id, canonical value) pairs, for snapshots."""
        return sorted(self._values.items())

    def __len__(self) -> int:
        return len(self._rows_of)
