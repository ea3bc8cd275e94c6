"""Decode an untrusted video with PyAV (bundled FFmpeg libraries, no ``ffmpeg`` binary).

:func:`sample_frames` yields one frame per second as RGB pixels, chosen the way
vPDQ chooses them: every ``int(fps)``-th decoded frame (29 at 29.97 fps, as
``vpdq-hash-video -r 1``; :func:`sample_step`), numbered by its index
among all decoded frames, so frame numbers line up with vPDQ's output. Where
the stream has no frame rate, the first frame at or after each whole second of
presentation time is taken instead.

Limits, checked before decoding where the container says enough: duration
(``max_video_seconds``), frame size (``max_image_pixels``); while decoding:
sampled frames (``max_video_frames``), presentation time, and the deadline.

Speed: unless ``exact`` is asked for, only the frames that are sampled, and the
frames they are predicted from, are decoded. A first pass reads the packets'
timestamps without decoding (the frame numbers are the ranks of those
timestamps); then each packet that shows no sampled frame is decoded with
``skip_frame = NONREF``, so the decoder drops it when no other frame refers to
it, and, in H.264 streams whose key frames are IDR pictures (nothing after an
IDR refers to anything before it), the packets after the last sampled frame
of each IDR period are not decoded at all. The sampled frames come out
bit-identical to a decode of every frame (the sample videos are tested).
Streams without a frame rate or with missing or repeated timestamps are
decoded frame by frame, as with ``exact``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class _Plan:
    """Which packets to decode: ``wanted`` maps a sampled frame's pts to its number."""

    wanted: dict[int, int] = field(default_factory=dict)
    send: list[bool] = field(default_factory=list)
    last_seconds: float = 0.0


def sample_frames(media: Media, *, exact: bool = False) -> Iterator[VideoFrame]:
    """Yield one frame per second of ``media`` (see the module docstring).

    ``exact`` decodes every frame; the default decodes only what the sampled
    frames need, and yields the same frames.
    """
    try:
        container = av.open(io.BytesIO(media.data), mode="r")
    except (av.FFmpegError, ValueError, OSError) as err:
        raise CorruptMedia("{name}: the video container does not open ({err})", name=media.name,
                           err=err) from err
    with container:
        if not container.streams.video:
            raise UnsupportedMedia("{name}: the file has no video stream", name=media.name)
        stream = container.streams.video[0]
        check_header(media, container, stream)
        try:
            plan = None if exact else _plan(media, stream)
            if plan is None:
                yield from _sampled(media, container, stream)
            else:
                yield from _planned(media, container, stream, plan)
        except (av.FFmpegError, ValueError, OSError) as err:
            raise CorruptMedia("{name}: video data does not decode ({err})", name=media.name,
                               err=err) from err


def check_header(media: Media, container: Any, stream: Any) -> None:
    """Refuse a video over the duration or frame-size limits, from its header alone."""
    limits = media.limits
    seconds = container.duration / av.time_base if container.duration else None
    if seconds is not None and seconds > limits.max_video_seconds:
        raise too_long(media, seconds)
    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > limits.max_image_pixels:
        raise DecompressionBomb("{name}: video frames are {width}x{height} = {pixels} pixels, "
                                "over the limit of {max_image_pixels} (max_image_pixels)",
                                name=media.name, width=width, height=height, pixels=width * height,
                                max_image_pixels=limits.max_image_pixels)


def sample_step(rate: Any) -> int:
    """Frames between two sampled ones at ``rate`` frames a second: vPDQ's
    ``int(secondsPerHash * frameRate)``, at least 1 (so 29 at 29.97 fps, not 30)."""
    return max(1, int(float(rate)))


def _sampled(media: Media, container: Any, stream: Any) -> Iterator[VideoFrame]:
    limits = media.limits
    rate = stream.average_rate or stream.guessed_rate
    every = sample_step(rate) if rate else 0
    next_second = 0.0
    taken = 0
    for index, frame in enumerate(container.decode(stream)):
        media.deadline.check(f"decoding video frame {index}")
        seconds = float(frame.time) if frame.time is not None else index / float(rate or 1)
        if seconds > limits.max_video_seconds:
            raise too_long(media, seconds)
        if every:
            wanted = index % every == 0
            seconds = index / float(rate)
        else:
            wanted = seconds >= next_second
        if not wanted:
            continue
        taken += 1
        if taken > limits.max_video_frames:
            raise _too_many(media)
        next_second = float(int(seconds) + 1)
        yield VideoFrame(index, seconds, frame.to_ndarray(format="rgb24"))


def _plan(media: Media, stream: Any) -> _Plan | None:
    """The packets to decode for the sampled frames, from a pass that decodes nothing.

    ``None`` where the frame numbers cannot be known from timestamps alone.
    """
    rate = stream.average_rate or stream.guessed_rate
    if not rate:
        return None
    every = sample_step(rate)
    with av.open(io.BytesIO(media.data), mode="r") as container:
        ours = container.streams.video[0]
        idr_periods = ours.codec_context.name == "h264"
        length_size = _nal_length_size(ours.codec_context.extradata)
        packets: list[tuple[int, bool]] = []
        for count, packet in enumerate(container.demux(ours)):
            if count and count % 4096 == 0:
                media.deadline.check(f"reading video packet {count}")
            if not packet.size:
                continue
            if packet.pts is None:
                return None
            idr = idr_periods and packet.is_keyframe and _has_idr(bytes(packet), length_size)
            idr_periods = idr_periods and (idr or not packet.is_keyframe)
            packets.append((packet.pts, idr))
        time_base = float(ours.time_base) if ours.time_base else 0.0
    ordered = sorted(pts for pts, _ in packets)
    if len(set(ordered)) != len(ordered) or not ordered:
        return None
    plan = _Plan({pts: number for number, pts in enumerate(ordered) if number % every == 0})
    plan.last_seconds = ordered[-1] * time_base
    if len(plan.wanted) > media.limits.max_video_frames:
        raise _too_many(media)
    # Walking back in decode order: a packet is needed when a sampled frame follows it
    # before the next IDR picture (only where every key frame is one).
    needed = not idr_periods
    for pts, idr in reversed(packets):
        needed = needed or pts in plan.wanted
        plan.send.append(needed)
        needed = needed and not (idr_periods and idr)
    plan.send.reverse()
    return plan


def _planned(media: Media, container: Any, stream: Any, plan: _Plan) -> Iterator[VideoFrame]:
    if plan.last_seconds > media.limits.max_video_seconds:
        raise too_long(media, plan.last_seconds)
    rate = float(stream.average_rate or stream.guessed_rate)
    codec = stream.codec_context
    position = 0
    for packet in container.demux(stream):
        if not packet.size:
            continue
        media.deadline.check(f"decoding video frame {position}")
        position += 1
        if not plan.send[position - 1]:
            continue
        codec.skip_frame = "DEFAULT" if packet.pts in plan.wanted else "NONREF"
        yield from _wanted(codec.decode(packet), plan, rate)
    codec.skip_frame = "DEFAULT"
    yield from _wanted(codec.decode(None), plan, rate)


def _wanted(frames: Any, plan: _Plan, rate: float) -> Iterator[VideoFrame]:
    for frame in frames:
        number = plan.wanted.get(frame.pts)
        if number is not None:
            yield VideoFrame(number, number / rate, frame.to_ndarray(format="rgb24"))


def _nal_length_size(extradata: bytes | None) -> int | None:
    """Bytes in each NAL unit's length prefix (avcC), or ``None`` for Annex B start codes."""
    if extradata and len(extradata) > 4 and extradata[0] == 1:
        return (extradata[4] & 3) + 1
    return None


def _has_idr(data: bytes, length_size: int | None) -> bool:
    """Whether an H.264 access unit holds an IDR slice (NAL unit type 5)."""
    if length_size is None:  # Annex B: the byte after each 00 00 01 start code
        start = data.find(b"\x00\x00\x01")
        while start != -1 and start + 3 < len(data):
            if data[start + 3] & 0x1F == 5:
                return True
            start = data.find(b"\x00\x00\x01", start + 3)
        return False
    offset = 0
    while offset + length_size < len(data):
        size = int.from_bytes(data[offset : offset + length_size], "big")
        if data[offset + length_size] & 0x1F == 5:
            return True
        offset += length_size + size
    return False


def _too_many(media: Media) -> MediaTooLarge:
    return MediaTooLarge("{name}: more than {max_video_frames} frames at one per second "
                         "(max_video_frames)",
                         hint="raise ACCORD_MAX_VIDEO_FRAMES if such videos are expected",
                         name=media.name, max_video_frames=media.limits.max_video_frames)


def too_long(media: Media, seconds: float) -> MediaTooLarge:
    """The error for a video longer than ``max_video_seconds``."""
    return MediaTooLarge("{name}: video lasts {seconds:.1f} s, over the limit of "
                         "{max_video_seconds:g} s (max_video_seconds)",
                         hint="raise ACCORD_MAX_VIDEO_SECONDS if such videos are expected",
                         name=media.name, seconds=seconds,
                         max_video_seconds=media.limits.max_video_seconds)
