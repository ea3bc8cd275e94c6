"""Decode an untrusted video with PyAV (bundled FFmpeg libraries, no ``ffmpeg`` binary).

:func:`sample_frames` yields one frame per second as RGB pixels, chosen the way
vPDQ chooses them: every ``round(fps)``-th decoded frame, numbered by its index
among all decoded frames, so frame numbers line up with vPDQ's output. Where
the stream has no frame rate, the first frame at or after each whole second of
presentation time is taken instead.

Limits, checked before decoding where the container says enough: duration
(``max_video_seconds``), frame size (``max_image_pixels``); while decoding:
sampled frames (``max_video_frames``), presentation time, and the deadline.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import av

from accord.media.errors import (
    CorruptMedia,
    DecompressionBomb,
    MediaTooLarge,
    UnsupportedMedia,
)
from accord.media.image import RGBArray
from accord.media.source import Media


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One sampled frame: its index among decoded frames, its time, its pixels."""

    number: int
    seconds: float
    rgb: RGBArray


def sample_frames(media: Media) -> Iterator[VideoFrame]:
    """Yield one frame per second of ``media`` (see the module docstring)."""
    try:
        container = av.open(io.BytesIO(media.data), mode="r")
    except (av.FFmpegError, ValueError, OSError) as err:
        raise CorruptMedia(f"{media.name}: the video container does not open ({err})") from err
    with container:
        if not container.streams.video:
            raise UnsupportedMedia(f"{media.name}: the file has no video stream")
        stream = container.streams.video[0]
        _check_header(media, container, stream)
        try:
            yield from _sampled(media, container, stream)
        except (av.FFmpegError, ValueError, OSError) as err:
            raise CorruptMedia(f"{media.name}: video data does not decode ({err})") from err


def _check_header(media: Media, container: Any, stream: Any) -> None:
    limits = media.limits
    seconds = container.duration / av.time_base if container.duration else None
    if seconds is not None and seconds > limits.max_video_seconds:
        raise _too_long(media, seconds)
    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > limits.max_image_pixels:
        raise DecompressionBomb(
            f"{media.name}: video frames are {width}x{height} = {width * height} pixels, over "
            f"the limit of {limits.max_image_pixels} (max_image_pixels)"
        )


def _sampled(media: Media, container: Any, stream: Any) -> Iterator[VideoFrame]:
    limits = media.limits
    rate = stream.average_rate or stream.guessed_rate
    every = max(1, round(float(rate))) if rate else 0
    next_second = 0.0
    taken = 0
    for index, frame in enumerate(container.decode(stream)):
        media.deadline.check(f"decoding video frame {index}")
        seconds = float(frame.time) if frame.time is not None else index / float(rate or 1)
        if seconds > limits.max_video_seconds:
            raise _too_long(media, seconds)
        if every:
            wanted = index % every == 0
            seconds = index / float(rate)
        else:
            wanted = seconds >= next_second
        if not wanted:
            continue
        taken += 1
        if taken > limits.max_video_frames:
            raise MediaTooLarge(
                f"{media.name}: more than {limits.max_video_frames} frames at one per second "
                f"(max_video_frames)",
                hint="raise ACCORD_MAX_VIDEO_FRAMES if such videos are expected",
            )
        next_second = float(int(seconds) + 1)
        yield VideoFrame(index, seconds, frame.to_ndarray(format="rgb24"))


def _too_long(media: Media, seconds: float) -> MediaTooLarge:
    return MediaTooLarge(
        f"{media.name}: video lasts {seconds:.1f} s, over the limit of "
        f"{media.limits.max_video_seconds:g} s (max_video_seconds)",
        hint="raise ACCORD_MAX_VIDEO_SECONDS if such videos are expected",
    )
