"""Safe video decoding with PyAV: one frame a second, within duration, frame and time limits."""

from __future__ import annotations

import dataclasses

import pytest

from accord.media.errors import CorruptMedia, DecompressionBomb, HashTimeout, MediaTooLarge
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from accord.media.video import sample_frames
from tests.media.media_factories import mp4_bytes


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
