"""The reference ``vpdq-hash-video`` tool's ``.txt`` output, read into and written from
``video_pdq`` values.

The tool (ThreatExchange ``vpdq/cpp``, BSD licence; ``io/vpdqio.cpp``) writes
one line per hashed frame: ``frame,quality,pdq hex,timestamp``, the timestamp
being ``frame / fps`` in seconds with three decimals. Its reader needs all four
fields; :func:`read_vpdq_txt` also takes three (``frame,quality,hash``, the
layout the sample-hash README names) and ignores the timestamp, which Accord's
value does not keep. :func:`write_vpdq_txt` adds it back from the frame rate,
computed as the tool does (in 32-bit floats), so that a file read and written
again at its video's frame rate comes out byte for byte the same.
"""

from __future__ import annotations

import re

import numpy as np

from accord.index.video import parse_frames
from accord.signals.base import InvalidSignal
from accord.signals.registry import get_signal_type

_LINE = re.compile(
    r"(?P<frame>\d{1,9}),(?P<quality>\d{1,3}),(?P<hash>[0-9a-fA-F]{64})(?:,(?P<time>\d+(?:\.\d*)?))?"
)
_HINT = "expected the output of vpdq-hash-video, one hashed frame per line"


def read_vpdq_txt(text: str) -> str:
    """The canonical ``video_pdq`` value of a ``vpdq-hash-video`` output file.

    Raises :class:`InvalidSignal` naming the first bad line (1-based)."""
    items: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line.strip())
        if match is None or int(match["quality"]) > 100:
            raise InvalidSignal("vpdq .txt line {number} is not 'frame,quality (0-100),64 hex "
                                "digits,timestamp': {line!r}", hint=_HINT, number=number,
                                line=line.strip()[:100])
        frame = int(match["frame"])
        if frame in items:
            raise InvalidSignal("vpdq .txt line {number}: frame {frame} appears twice", hint=_HINT,
                                number=number, frame=frame)
        items[frame] = f"{frame}:{int(match['quality'])}:{match['hash']}"
    if not items:
        raise InvalidSignal("the vpdq .txt file has no frame lines", hint=_HINT)
    return get_signal_type("video_pdq").validate(";".join(items.values()))


def write_vpdq_txt(value: str, fps: float) -> str:
    """``value`` as ``vpdq-hash-video`` writes it, timestamps from ``fps``."""
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps}")
    rate = np.float32(fps)
    lines = [
        f"{frame},{quality},{pdq},{float(np.float32(frame) / rate):.3f}\n"
        for frame, quality, pdq in parse_frames(get_signal_type("video_pdq").validate(value))
    ]
    return "".join(lines)
