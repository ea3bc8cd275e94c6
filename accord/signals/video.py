"""``video_pdq``: a vPDQ-compatible video hash, the PDQ hashes of one frame per second.

Canonical value: one item per sampled frame, ``<frame>:<quality>:<pdq hex>``,
items joined by ``;`` and sorted by frame number, for example
``0:100:f8f8...9b22;30:98:f8f0...9b22``. ``frame`` is the frame's index among
all decoded frames (vPDQ's frame number), ``quality`` PDQ's 0-100 quality.
That is vPDQ's line format (``frame,quality,hash,timestamp``) less the
timestamp, which matching never uses, in about 72 bytes a frame instead of
JSON's hundred-odd.

Distance follows vPDQ's comparison: frames of quality under 50 are ignored,
each side's distinct hashes are compared with PDQ distance at most 31, and the
two percentages (query frames found in the other video, and the other video's
frames found in the query) are computed. ``distance`` is ``100`` minus the
*smaller* percentage, so the default threshold of 20 means "at least 80 % of
frames match both ways".
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from accord.index.video import FRAME_MATCH_DISTANCE, FRAME_MIN_QUALITY, parse_frames
from accord.media.errors import CorruptMedia
from accord.media.sniff import MediaKind
from accord.media.source import Media
from accord.media.video import sample_frames
from accord.signals.base import (
    ContentHasher,
    HashOptions,
    HashResult,
    IndexKind,
    InvalidSignal,
    SignalType,
)
from accord.signals.pdq import pdq_hash

_FRAME_RE = re.compile(r"(\d{1,9}):(\d{1,3}):([0-9a-f]{64})")


def format_frames(frames: Sequence[tuple[int, int, str]]) -> str:
    """The canonical string for ``(frame, quality, pdq hex)`` triples."""
    ordered = sorted({frame: (frame, q, h.lower()) for frame, q, h in frames}.values())
    return ";".join(f"{frame}:{quality}:{value}" for frame, quality, value in ordered)


def match_percentages(a: str, b: str) -> tuple[float, float]:
    """vPDQ's (a-in-b, b-in-a) percentages of distinct good-quality frames that match."""
    left, right = _good_hashes(a), _good_hashes(b)
    if len(left) == 0 or len(right) == 0:
        return 0.0, 0.0
    close = _close_pairs(left, right)
    return 100.0 * close.any(axis=1).mean(), 100.0 * close.any(axis=0).mean()


class VideoPdqSignal(SignalType, ContentHasher):
    """PDQ hashes of one frame per second of a video, in vPDQ's terms."""

    name: ClassVar[str] = "video_pdq"
    index_kind: ClassVar[IndexKind] = "video"
    default_threshold: ClassVar[int] = 20
    has_quality: ClassVar[bool] = True
    content_kinds: ClassVar[frozenset[MediaKind]] = frozenset({MediaKind.VIDEO})

    @classmethod
    def validate(cls, value: str) -> str:
        """Check every ``frame:quality:hex`` item; returns them sorted, hex lower-cased."""
        if not isinstance(value, str) or not value.strip():
            raise InvalidSignal.for_value(cls.name, value, "expected at least one frame")
        triples = []
        for position, item in enumerate(value.strip().lower().split(";")):
            match = _FRAME_RE.fullmatch(item.strip())
            if match is None or int(match.group(2)) > 100:
                raise InvalidSignal.for_value(
                    cls.name,
                    value,
                    f"item {position} is not '<frame>:<quality 0-100>:<64 hex digits>'",
                )
            triples.append((int(match.group(1)), int(match.group(2)), match.group(3)))
        if len({frame for frame, _, _ in triples}) != len(triples):
            raise InvalidSignal.for_value(cls.name, value, "a frame number appears twice")
        return format_frames(triples)

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """100 minus the smaller of vPDQ's two match percentages (0: all frames match)."""
        return 100 - int(min(match_percentages(a, b)))

    @classmethod
    def examples(cls) -> list[str]:
        """Short made-up videos of one to three frames."""
        bridge = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
        return [
            f"0:100:{bridge}",
            f"0:100:{bridge};30:90:{'a5' * 32}",
            f"0:80:{'0f' * 32};25:75:{'f0' * 32};50:70:{'3c' * 32}",
        ]

    @classmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """Decode one frame per second and PDQ-hash each; quality is the frames' median."""
        triples = []
        for frame in sample_frames(media, exact=options.exact):
            value, quality = pdq_hash(frame.rgb)
            triples.append((frame.number, quality, value))
        if not triples:
            raise CorruptMedia(f"{media.name}: the video has no decodable frames")
        quality = int(statistics.median_low(q for _, q, _ in triples))
        return [HashResult(cls.name, format_frames(triples), quality)]


def _good_hashes(value: str) -> npt.NDArray[np.uint8]:
    distinct = {pdq for _, quality, pdq in parse_frames(value) if quality >= FRAME_MIN_QUALITY}
    if not distinct:
        return np.zeros((0, 32), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(sorted(distinct))), dtype=np.uint8).reshape(-1, 32)


def _close_pairs(
    left: npt.NDArray[np.uint8], right: npt.NDArray[np.uint8]
) -> npt.NDArray[np.bool_]:
    # Pairwise Hamming distances, a block of rows at a time to bound memory.
    out = np.empty((len(left), len(right)), dtype=bool)
    for start in range(0, len(left), 256):
        block = left[start : start + 256, None, :] ^ right[None, :, :]
        bits = np.bitwise_count(block).sum(axis=2)
        out[start : start + 256] = bits <= FRAME_MATCH_DISTANCE
    return out
