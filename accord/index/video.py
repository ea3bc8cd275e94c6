"""The ``video`` index kind: vPDQ's rule, on top of the PDQ index of every signal frame.

The rule (``docs/signal-types.md``, "Comparing videos sampled at different
rates") is vPDQ's two-way percentage (ThreatExchange ``vpdq``, BSD licence:
``cpp/vpdq/cpp/hashing/matchTwoHash.cpp`` and python-threatexchange's
``vpdq_brute_matcher.py``; this is Accord's own code): frames of quality under
50 are dropped, each side's distinct hashes are compared at PDQ distance at
most 31, and two shares follow, of each side's frames found in the other.

vPDQ counts single frames, which only works when both sides sampled the video
at the same rate: hashed every frame, a video has thirty near-copies of each
one-per-second frame, and most of them find no partner among the sparse side's
frames (10-36 % on the reference samples). So the side that was sampled at
least twice as densely is counted in *cells* of the other side's sampling step
(its frame-number gap): a cell counts if its first frame is of usable quality
(the frame the sparser sampling would have taken) and is found if any of its
usable frames matches. Where both sides share a rate every cell is one frame
and the rule is exactly vPDQ's.

Each distinct usable frame hash of every video signal is a row in one
``PdqIndex``; a query video's frames are searched at once and the shares of
each candidate follow from the hits. ``distance`` is 100 minus the smaller
share, as ``video_pdq`` defines it, so a threshold of 20 means at least 80 %
both ways.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.index.pdq import PdqIndex, hex_to_array
from accord.index.protocol import Candidate, ItemsIndex

# The frame-set format this kind indexes (``video_pdq`` values are written in it): a
# frame matches another within this PDQ distance, and only frames of this quality count.
FRAME_MATCH_DISTANCE = 31
FRAME_MIN_QUALITY = 50
# A side is counted in cells of the other's step when it was sampled at least this
# many times as densely (so 29 and 30 frames a second, or slightly uneven sampling,
# are compared frame by frame, as vPDQ does).
DENSER_RATIO = 2


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


def sampling_step(frames: Sequence[int]) -> int:
    """The frames between two samples: the median gap of the sorted frame numbers
    (1 for every frame, ``int(fps)`` for one a second); 0 for a single frame."""
    ordered = sorted(set(frames))
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    return int(statistics.median_low(gaps)) if gaps else 0


Unit = tuple[int, ...]
"""What one side's share counts: indexes into that side's distinct hashes."""


@dataclass(frozen=True, slots=True)
class FrameSet:
    """A video value as the comparison sees it."""

    hashes: tuple[str, ...]
    """Distinct hashes of the frames of usable quality, sorted."""
    frames: tuple[tuple[int, int], ...]
    """Every frame, by number: ``(frame, index into hashes)``, index -1 when unusable."""
    step: int
    """:func:`sampling_step` of all frames, usable or not."""

    @classmethod
    def of(cls, value: str) -> FrameSet:
        """The frame set of a canonical ``frame:quality:hex;...`` value."""
        triples = sorted(parse_frames(value))
        hashes = sorted({h for _, q, h in triples if q >= FRAME_MIN_QUALITY})
        position = {h: i for i, h in enumerate(hashes)}
        frames = tuple(
            (f, position[h] if q >= FRAME_MIN_QUALITY else -1) for f, q, h in triples
        )
        return cls(tuple(hashes), frames, sampling_step([f for f, _, _ in triples]))

    def units(self, other_step: int) -> list[Unit]:
        """The distinct units this side's share counts, against a side sampled every
        ``other_step`` frames: its usable distinct hashes, or cells of ``other_step``
        frames where this side is at least :data:`DENSER_RATIO` times as dense."""
        if self.step == 0 or other_step < DENSER_RATIO * self.step:
            return sorted({(i,) for _, i in self.frames if i >= 0})
        cells: dict[int, list[int]] = defaultdict(list)
        start = self.frames[0][0]
        for frame, index in self.frames:          # in frame order: first frame first
            cells[(frame - start) // other_step].append(index)
        return sorted(
            {tuple(sorted({i for i in cell if i >= 0})) for cell in cells.values() if cell[0] >= 0}
        )


def share(units: Sequence[Unit], found: Collection[int]) -> float:
    """Percentage of ``units`` with a hash in ``found`` (0 when there are none)."""
    if not units:
        return 0.0
    return 100.0 * sum(any(i in found for i in unit) for unit in units) / len(units)


def shares(
    left: FrameSet, right: FrameSet, left_found: Collection[int], right_found: Collection[int]
) -> tuple[float, float]:
    """(left-in-right, right-in-left) percentages, given which distinct hashes of each
    side lie within :data:`FRAME_MATCH_DISTANCE` of some usable frame of the other."""
    return (
        share(left.units(right.step), left_found),
        share(right.units(left.step), right_found),
    )


def distance_of(shares_: tuple[float, float]) -> int:
    """``video_pdq``'s distance: 100 minus the smaller share, rounded down."""
    return 100 - int(min(shares_))


@dataclass(frozen=True, slots=True)
class _Entry:
    frames: FrameSet
    first_row: int          # rows first_row .. first_row + len(hashes) - 1


class VideoIndex(ItemsIndex):
    """Frame hashes of video signals, searchable by a whole query video."""

    kind: ClassVar[str] = "video"
    snapshot_format: ClassVar[str] = "accord.video-index"

    def __init__(self) -> None:
        self._frames = PdqIndex()
        self._signal_of: dict[int, int] = {}   # frame row -> signal id
        self._entries: dict[int, _Entry] = {}  # signal id -> its frames and rows
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
        frames = FrameSet.of(value)
        if not frames.hashes:
            return
        rows = np.arange(self._next_row, self._next_row + len(frames.hashes), dtype=np.int64)
        self._frames.add(rows, hex_to_array(list(frames.hashes)))
        self._entries[signal_id] = _Entry(frames, self._next_row)
        self._next_row += len(frames.hashes)
        for row in rows.tolist():
            self._signal_of[row] = signal_id

    def _forget(self, signal_id: int) -> None:
        self._values.pop(signal_id, None)
        entry = self._entries.pop(signal_id, None)
        if entry is None:
            return
        rows = np.arange(entry.first_row, entry.first_row + len(entry.frames.hashes))
        self._frames.remove(rows.astype(np.int64))
        for row in rows.tolist():
            del self._signal_of[row]

    def search(self, value: str, limit: int) -> list[Candidate]:
        """``(signal id, distance)`` of videos within ``limit``, closest first."""
        query = FrameSet.of(value)
        if not query.hashes:
            return []
        results = self._frames.search_many(
            hex_to_array(list(query.hashes)), FRAME_MATCH_DISTANCE, threads=1
        )
        query_found: dict[int, set[int]] = defaultdict(set)   # signal -> query hashes found
        signal_found: dict[int, set[int]] = defaultdict(set)  # signal -> its hashes found
        for query_hash, (rows, _) in enumerate(results):
            for row in rows.tolist():
                signal_id = self._signal_of[row]
                query_found[signal_id].add(query_hash)
                signal_found[signal_id].add(row - self._entries[signal_id].first_row)
        found = []
        query_units: dict[int, list[Unit]] = {}  # by the candidate's sampling step
        for signal_id, matched in query_found.items():
            frames = self._entries[signal_id].frames
            if frames.step not in query_units:
                query_units[frames.step] = query.units(frames.step)
            pair = (
                share(query_units[frames.step], matched),
                share(frames.units(query.step), signal_found[signal_id]),
            )
            distance = distance_of(pair)
            if distance <= limit:
                found.append((distance, signal_id))
        return [(i, d) for d, i in sorted(found)]

    def items(self) -> list[tuple[int, str]]:
        """(id, canonical value) pairs, sorted by id."""
        return sorted(self._values.items())

    def size(self) -> int:
        """How many videos the index holds (those with at least one usable frame)."""
        return len(self._entries)
