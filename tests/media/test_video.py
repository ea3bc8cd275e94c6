"""Safe video decoding with PyAV: one frame a second, within duration, frame and time limits;
the fast decode yields the very frames a decode of every frame does."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.config import Settings
from accord.media.errors import CorruptMedia, DecompressionBomb, HashTimeout, MediaTooLarge
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from accord.media.video import sample_frames
from accord.signals.hashing import hash_file
from tests.media.media_factories import h264_bytes, mp4_bytes


def test_one_frame_per_second_is_sampled_with_vpdq_frame_numbers(limits: MediaLimits) -> None:
    frames = list(sample_frames(load_media(mp4_bytes(seconds=3.5, fps=10), limits)))
    assert [f.number for f in frames] == [0, 10, 20, 30]
    assert [f.seconds for f in frames] == [0.0, 1.0, 2.0, 3.0]
    assert frames[0].rgb.shape == (48, 64, 3)


def test_a_video_longer_than_the_limit_is_refused_before_decoding(
    tight_limits: MediaLimits,
) -> None:
    media = load_media(mp4_bytes(seconds=3), tight_limits, name="long.mp4")
    with pytest.raises(
        MediaTooLarge, match=r"long\.mp4: video lasts 3\.0 s, over the limit of 2 s"
    ):
        next(sample_frames(media))


def test_more_sampled_frames_than_the_limit_are_refused(tight_limits: MediaLimits) -> None:
    limits = dataclasses.replace(tight_limits, max_video_seconds=60.0)
    with pytest.raises(MediaTooLarge, match="more than 2 frames at one per second"):
        list(sample_frames(load_media(mp4_bytes(seconds=3), limits)))


def test_oversized_frames_are_refused(tight_limits: MediaLimits) -> None:
    limits = dataclasses.replace(tight_limits, max_image_pixels=1000)
    with pytest.raises(DecompressionBomb, match=r"64x48 = 3072 pixels"):
        next(sample_frames(load_media(mp4_bytes(seconds=1), limits)))


def test_random_bytes_in_a_video_container_are_corrupt(limits: MediaLimits) -> None:
    fake = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 16  # MP4 magic, garbage after
    with pytest.raises(CorruptMedia, match=r"fake\.mp4: the video"):
        list(sample_frames(load_media(fake, limits, name="fake.mp4")))


def test_decoding_stops_at_the_time_limit(limits: MediaLimits) -> None:
    instant = dataclasses.replace(limits, hash_timeout_seconds=1e-9)
    with pytest.raises(HashTimeout, match="stopped while decoding video frame 0"):
        list(sample_frames(load_media(mp4_bytes(seconds=1), instant)))


# --- the fast decode: only the sampled frames and what they are predicted from ----------

_H264_CASES = {
    "mp4, key frame every 12": {},
    "MPEG-TS (Annex B start codes)": {"container": "mpegts"},
    "open GOP (key frames not IDR)": {
        "options": {"g": "20", "bf": "3", "x264-params": "open-gop=1"}
    },
    "x264's default GOP of 250": {"options": {"bf": "2"}},
    "Matroska, key frame every 40": {"container": "matroska", "options": {"g": "40"}},
}


def _same_frames(data: bytes, limits: MediaLimits) -> int:
    exact = list(sample_frames(load_media(data, limits), exact=True))
    fast = list(sample_frames(load_media(data, limits)))
    assert [(f.number, f.seconds) for f in fast] == [(f.number, f.seconds) for f in exact]
    for a, b in zip(fast, exact, strict=True):
        assert np.array_equal(a.rgb, b.rgb), a.number
    return len(exact)


@pytest.mark.parametrize("case", sorted(_H264_CASES))
def test_the_fast_decode_yields_exactly_the_frames_of_a_full_decode(
    case: str, limits: MediaLimits
) -> None:
    kwargs: dict[str, Any] = {"seconds": 6.0, **_H264_CASES[case]}
    assert _same_frames(h264_bytes(**kwargs), limits) == 6


def test_the_fast_decode_of_an_mpeg4_video_matches_too(limits: MediaLimits) -> None:
    assert _same_frames(mp4_bytes(seconds=3.5, fps=10), limits) == 4


def test_the_sample_videos_hash_identically_fast_and_exact(vectors_dir: Path) -> None:
    videos = sorted((vectors_dir / "tmk" / "sample-videos").glob("*.mp4"))
    assert len(videos) >= 3
    for path in videos:
        fast = hash_file(path, settings=Settings(), types=["video_pdq"])
        exact = hash_file(path, settings=Settings(), types=["video_pdq"], exact=True)
        assert fast == exact, path.name


def test_the_fast_decode_refuses_too_many_sampled_frames_before_decoding(
    tight_limits: MediaLimits,
) -> None:
    limits = dataclasses.replace(tight_limits, max_video_seconds=60.0, max_file_bytes=10**7)
    frames = sample_frames(load_media(h264_bytes(seconds=4.0), limits))
    with pytest.raises(MediaTooLarge, match="more than 2 frames at one per second"):
        next(frames)
