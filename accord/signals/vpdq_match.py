"""Comparing two ``video_pdq`` values: Accord's rule and vPDQ's own.

:func:`match_percentages` is the comparison ``video_pdq``'s distance and the
``video`` index use (the rule is described in :mod:`accord.index.video`): vPDQ's
two-way percentages, with the side sampled at least twice as densely counted
in cells of the other side's sampling step, so that a hash of every frame and
one of a frame a second of the same video match both ways.

:func:`vpdq_percentages` is vPDQ's rule as the reference implements it
(ThreatExchange ``vpdq``, BSD licence; python-threatexchange's
``match_VPDQ_hash_brute``: exact duplicates dropped, quality filter, PDQ
distance at most 31). The two agree wherever both sides share a sampling rate.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.index.pdq import hex_to_array
from accord.index.video import (
    FRAME_MATCH_DISTANCE,
    FRAME_MIN_QUALITY,
    FrameSet,
    parse_frames,
    shares,
)


def match_percentages(a: str, b: str) -> tuple[float, float]:
    """(a-in-b, b-in-a) percentages under Accord's sampling-rate-aware rule."""
    left, right = FrameSet.of(a), FrameSet.of(b)
    if not left.hashes or not right.hashes:
        return 0.0, 0.0
    close = close_pairs(hex_to_array(list(left.hashes)), hex_to_array(list(right.hashes)))
    left_found = set(np.flatnonzero(close.any(axis=1)).tolist())
    right_found = set(np.flatnonzero(close.any(axis=0)).tolist())
    return shares(left, right, left_found, right_found)


def vpdq_percentages(
    query: str,
    compared: str,
    distance: int = FRAME_MATCH_DISTANCE,
    quality: int = FRAME_MIN_QUALITY,
) -> tuple[float, float]:
    """vPDQ's (query-match, compared-match) percentages, counting distinct frames.

    The reference C++ ``matchTwoHashBrute`` differs in two details: it counts a
    frame pair as matching below ``distance`` (not at it) and keeps duplicates.
    """
    left, right = (_distinct(v, quality) for v in (query, compared))
    if len(left) == 0 or len(right) == 0:
        return 0.0, 0.0
    close = close_pairs(left, right, distance)
    return 100.0 * float(close.any(axis=1).mean()), 100.0 * float(close.any(axis=0).mean())


def subsample(value: str, every: int) -> str:
    """The frames of ``value`` whose number is a multiple of ``every``: what
    ``vpdq-hash-video -r S`` keeps of a hash of every frame, with ``every`` =
    ``int(S * fps)`` (e.g. 30 for one a second at 30 fps)."""
    if every < 1:
        raise ValueError(f"every must be at least 1, got {every}")
    kept = [f"{f}:{q}:{h}" for f, q, h in parse_frames(value) if f % every == 0]
    return ";".join(kept)


def close_pairs(
    left: npt.NDArray[np.uint8], right: npt.NDArray[np.uint8], distance: int = FRAME_MATCH_DISTANCE
) -> npt.NDArray[np.bool_]:
    """``[i, j]``: PDQ hashes ``left[i]`` and ``right[j]`` are at most ``distance`` bits apart."""
    out = np.empty((len(left), len(right)), dtype=bool)
    for start in range(0, len(left), 256):  # a block of rows at a time, to bound memory
        block = left[start : start + 256, None, :] ^ right[None, :, :]
        out[start : start + 256] = np.bitwise_count(block).sum(axis=2) <= distance
    return out


def _distinct(value: str, quality: int) -> npt.NDArray[np.uint8]:
    # python-threatexchange's order: drop repeated hashes (the first one stays), then
    # filter on quality.
    first: dict[str, int] = {}
    for _, q, h in sorted(parse_frames(value)):
        first.setdefault(h, q)
    distinct = [h for h, q in first.items() if q >= quality]
    if not distinct:
        return np.zeros((0, 32), dtype=np.uint8)
    return hex_to_array(distinct)
