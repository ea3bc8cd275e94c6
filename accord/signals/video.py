"""``video_pdq``: a vPDQ-compatible video hash, the PDQ hashes of one frame per second.

Canonical value: one item per sampled frame, ``<frame>:<quality>:<pdq hex>``,
items joined by ``;`` and sorted by frame number, for example
``0:100:f8f8...9b22;30:98:f8f0...9b22``. ``frame`` is the frame's index among
all decoded frames (vPDQ's frame number), ``quality`` PDQ's 0-100 quality.
That is vPDQ's line format (``frame,quality,hash,timestamp``) less the
timestamp, which matching never uses, in about 72 bytes a frame instead of
JSON's hundred-odd.

Distance follows vPDQ's comparison (:mod:`accord.signals.vpdq_match`): frames
of quality under 50 are ignored, each side's distinct hashes are compared with
PDQ distance at most 31, and the two percentages (query frames found in the
other video, and the other video's frames found in the query) are computed,
the side sampled at least twice as densely counting in cells of the other's
sampling step, so hashes of every frame and of one a second match.
``distance`` is ``100`` minus the *smaller* percentage, so the default
threshold of 20 means "at least 80 % of frames match both ways".

pytx's ``vpdq`` value (python-threatexchange's vpdq extension, Apache-2.0:
``threatexchange/extensions/vpdq/vpdq_util.py``) is a JSON list of
``"<pdq hex>,<quality>,<timestamp>"`` strings, one per sampled frame, in frame
order; the timestamp is in seconds, written with Python's ``.3`` format (three
significant digits, so ``1.23e+02`` for 123.4 s). :func:`from_vpdq_json` and
:func:`to_vpdq_json` convert between the two, and ``validate`` accepts either
form. pytx's value has no frame numbers and Accord's no timestamps, and the
comparison reads frame numbers as time (a side sampled densely counts in cells of
the other's step), so frames are numbered at a nominal 30 fps: the ``n``-th item
of a pytx list becomes frame ``n * step``, ``step`` being ``round(30 *`` the
median gap between its timestamps``)`` (at least 1: 1 for a list of every frame,
30 for one a second; pytx's three-digit timestamps are too coarse to number
frames from directly past 10 s). Written back, frame ``f`` is at ``f / 30``
seconds. Hashes and qualities, all that matching uses, are carried exactly;
timestamps come back at the nominal rate, not the video's own.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

from accord.errors import Phrase
from accord.index.video import parse_frames
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
from accord.signals.vpdq_match import match_percentages

_FRAME_RE = re.compile(r"(\d{1,9}):(\d{1,3}):([0-9a-f]{64})")
_VPDQ_ITEM_RE = re.compile(r"([0-9a-f]{64}),(\d{1,3}),([0-9.e+-]{1,32})")
NOMINAL_FPS = 30  # frames of a pytx value are numbered at this rate (see the docstring)
VPDQ_TIMESTAMP_FORMAT = ".3"  # pytx's VpdqCompactFeature.__str__: 3 significant digits


def format_frames(frames: Sequence[tuple[int, int, str]]) -> str:
    """The canonical string for ``(frame, quality, pdq hex)`` triples."""
    ordered = sorted({frame: (frame, q, h.lower()) for frame, q, h in frames}.values())
    return ";".join(f"{frame}:{quality}:{value}" for frame, quality, value in ordered)


def from_vpdq_json(value: str) -> str:
    """Accord's canonical value for pytx's ``vpdq`` JSON list (see the module docstring).

    Raises :class:`InvalidSignal` naming the first item that is not
    ``"<64 hex digits>,<quality 0-100>,<seconds>"``.
    """
    try:
        items = json.loads(value)
    except (json.JSONDecodeError, RecursionError):
        raise InvalidSignal.for_value("vpdq", value, Phrase("not a JSON list")) from None
    if not isinstance(items, list) or not items:
        raise InvalidSignal.for_value("vpdq", value, Phrase(
            "expected a JSON list of at least one '<pdq hex>,<quality>,<timestamp>' string"))
    triples = []
    for position, item in enumerate(items):
        match = _VPDQ_ITEM_RE.fullmatch(item.strip().lower()) if isinstance(item, str) else None
        if match is None or int(match.group(2)) > 100 or not _is_time(match.group(3)):
            raise InvalidSignal.for_value(
                "vpdq", value,
                Phrase("item {position} is not '<64 hex digits>,<quality 0-100>,<seconds>'",
                       position=position))
        triples.append((float(match.group(3)), int(match.group(2)), match.group(1)))
    gaps = [b[0] - a[0] for a, b in pairwise(triples)]
    step = max(1, round(NOMINAL_FPS * statistics.median(gaps))) if gaps else 1
    return format_frames([(n * step, quality, pdq)
                          for n, (_, quality, pdq) in enumerate(triples)])


def to_vpdq_json(value: str) -> str:
    """pytx's ``vpdq`` JSON list for a canonical ``video_pdq`` value, as pytx writes it."""
    items = [f"{pdq},{quality},{frame / NOMINAL_FPS:{VPDQ_TIMESTAMP_FORMAT}}"
             for frame, quality, pdq in parse_frames(value)]
    return json.dumps(items)


def _is_time(text: str) -> bool:
    try:
        seconds = float(text)
    except ValueError:
        return False
    return 0 <= seconds < float("inf")


class VideoPdqSignal(SignalType, ContentHasher):
    """PDQ hashes of one frame per second of a video, in vPDQ's terms."""

    name: ClassVar[str] = "video_pdq"
    index_kind: ClassVar[IndexKind] = "video"
    default_threshold: ClassVar[int] = 20
    has_quality: ClassVar[bool] = True
    content_kinds: ClassVar[frozenset[MediaKind]] = frozenset({MediaKind.VIDEO})

    @classmethod
    def validate(cls, value: str) -> str:
        """Check every ``frame:quality:hex`` item; returns them sorted, hex lower-cased.

        A pytx ``vpdq`` value (a JSON list) is converted (:func:`from_vpdq_json`).
        """
        if not isinstance(value, str) or not value.strip():
            raise InvalidSignal.for_value(cls.name, value, Phrase("expected at least one frame"))
        if value.lstrip().startswith("["):
            return from_vpdq_json(value)
        triples = []
        for position, item in enumerate(value.strip().lower().split(";")):
            match = _FRAME_RE.fullmatch(item.strip())
            if match is None or int(match.group(2)) > 100:
                raise InvalidSignal.for_value(
                    cls.name,
                    value,
                    Phrase("item {position} is not '<frame>:<quality 0-100>:<64 hex digits>'",
                           position=position),
                )
            triples.append((int(match.group(1)), int(match.group(2)), match.group(3)))
        if len({frame for frame, _, _ in triples}) != len(triples):
            raise InvalidSignal.for_value(cls.name, value, Phrase("a frame number appears twice"))
        return format_frames(triples)

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """100 minus the smaller of the two match percentages (0: all frames match)."""
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
            raise CorruptMedia("{name}: the video has no decodable frames", name=media.name)
        quality = int(statistics.median_low(q for _, q, _ in triples))
        return [HashResult(cls.name, format_frames(triples), quality)]

