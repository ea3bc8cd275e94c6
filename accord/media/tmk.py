"""Hash a video with TMK+PDQF: the reference pipeline, in PyAV and numpy.

TMK+PDQF is Meta's temporal match kernel over float PDQ frame features,
published in the ThreatExchange repository (``tmk/cpp``, BSD licence,
copyright Meta Platforms, Inc. and affiliates). This is Accord's own code; it
follows the reference ``tmk-hash-video`` step by step:

1. **Frames.** The reference pipes the video through
   ``ffmpeg -i IN -s 64:64 -an -f rawvideo -pix_fmt rgb24 -r 15``. Here PyAV
   decodes every frame, FFmpeg's swscale shrinks it to 64 x 64 RGB with the
   bicubic filter the ``ffmpeg`` tool uses by default, and :class:`ConstantRate`
   re-times the frames to 15 a second the way ``ffmpeg`` 4.1's constant-frame-
   rate output does it (``do_video_out``: a frame is dropped when it lands more
   than 1.1 output frames early and repeated when it lands more than 1.1 late),
   so the frame sequence and count equal the reference's (62 frames for the
   4.3-second ``doorknob`` sample, as its ``.tmk`` records).
2. **PDQF.** Per frame, luma ``0.299 R + 0.587 G + 0.114 B`` and the 16 x 16
   low-frequency block of its 2-D DCT (PDQ's ``dct64To16``, without the median
   threshold that turns it into bits): a 256-float feature. All frames at once,
   as two matrix products.
3. **TMK.** The pure average is the mean raw feature. Each feature is
   L2-normalised, then for each of the four periods ``T`` the cosine features are
   ``sum_t f_t cos(2 pi j t / T)`` and the sine features the same with ``sin``
   (``j`` = 0..31, the sine feature of ``j`` = 0 staying zero); each is then
   L2-normalised and scaled by ``sqrt(a_j)``, the Poullot coefficients. Again a
   matrix product per period.

Decoding dominates the cost; the numpy steps take a few milliseconds for a
minute of video.
"""

from __future__ import annotations

import io
import math
from fractions import Fraction
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from accord.index.tmk_features import (
    COEFFICIENTS,
    FRAMES_PER_SECOND,
    PDQF_MAGIC,
    PERIODS,
    TmkFeatures,
)
from accord.media.errors import (
    CorruptMedia,
    InsufficientContent,
    UnsupportedMedia,
)
from accord.media.source import Media
from accord.media.video import check_header, too_long

FRAME_SIZE = 64
MIN_FRAMES = 2  # one frame has no time to match: it is an image
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _dct_matrix() -> npt.NDArray[np.float32]:
    # PDQ's 16 x 64 DCT-II rows 1..16, scaled by sqrt(2/64), in float32 as PDQ keeps it.
    i = np.arange(1, 17, dtype=np.float64)[:, None]
    j = np.arange(64, dtype=np.float64)[None, :]
    return (math.sqrt(2.0 / 64) * np.cos(math.pi / 2.0 / 64 * i * (2 * j + 1))).astype(
        np.float32)


DCT = _dct_matrix()


def hash_video(media: Media) -> TmkFeatures:
    """The TMK+PDQF features of a video (see the module docstring)."""
    frames, distinct = decode_frames(media)
    if distinct < MIN_FRAMES:
        hint = "a still image (or a one-frame video) is matched with pdq, not tmk"
        if distinct == 1:
            raise InsufficientContent("{name}: the video has 1 distinct frame; TMK needs at "
                                      "least {min_frames}", hint=hint, name=media.name,
                                      min_frames=MIN_FRAMES)
        raise InsufficientContent("{name}: the video has {distinct} distinct frames; TMK needs "
                                  "at least {min_frames}", hint=hint, name=media.name,
                                  distinct=distinct, min_frames=MIN_FRAMES)
    media.deadline.check("computing TMK features")
    return tmk_features(pdqf(frames))


def pdqf(frames: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Float PDQ features (n, 256) of 64 x 64 RGB frames (n, 64, 64, 3)."""
    luma = frames.astype(np.float32) @ _LUMA  # (n, 64, 64)
    return (DCT @ luma @ DCT.T).reshape(len(frames), 256)


def tmk_features(features: npt.NDArray[np.float32]) -> TmkFeatures:
    """The TMK feature vectors of a video's frame features, in frame order."""
    count, dim = features.shape
    raw = features.astype(np.float64)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    unit = np.where(norms > 0, raw / np.where(norms > 0, norms, 1.0), 0.0)
    t = np.arange(count, dtype=np.float64)
    j = np.arange(len(COEFFICIENTS), dtype=np.float64)
    cos = np.empty((len(PERIODS), len(j), dim))
    sin = np.empty_like(cos)
    for p, period in enumerate(PERIODS):
        arg = 2.0 * math.pi * np.outer(j, t) / period  # (C, n)
        cos[p] = np.cos(arg) @ unit
        sin[p] = np.sin(arg) @ unit
    sin[:, 0] = 0.0  # the reference never accumulates the j = 0 sine feature
    scale = np.sqrt(COEFFICIENTS.astype(np.float64))[None, :, None]
    return TmkFeatures(
        algorithm=PDQF_MAGIC, frames_per_second=FRAMES_PER_SECOND, frame_count=count,
        periods=np.array(PERIODS, dtype=np.int32), coefficients=COEFFICIENTS.copy(),
        pure_average=(raw.sum(axis=0) / count).astype(np.float32),
        cos=(_unit_rows(cos) * scale).astype(np.float32),
        sin=(_unit_rows(sin) * scale).astype(np.float32))


def _unit_rows(block: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norms = np.linalg.norm(block, axis=-1, keepdims=True)
    return np.where(norms > 0, block / np.where(norms > 0, norms, 1.0), 0.0)


# ---------------------------------------------------------------- decoding


def decode_frames(media: Media) -> tuple[npt.NDArray[np.uint8], int]:
    """The video's frames as the reference sees them, 64 x 64 RGB at 15 frames a second, and
    how many distinct decoded frames they show."""
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
        stream.thread_type = "AUTO"
        try:
            return _resampled(media, container, stream)
        except (av.FFmpegError, ValueError, OSError) as err:
            raise CorruptMedia("{name}: video data does not decode ({err})", name=media.name,
                               err=err) from err


def _resampled(media: Media, container: Any, stream: Any) -> tuple[npt.NDArray[np.uint8], int]:
    start = Fraction(container.start_time or 0, av.time_base)
    time_base = stream.time_base or Fraction(1, 90000)
    clock = ConstantRate(stream.guessed_rate or stream.average_rate,
                         single_stream=len(container.streams) == 1)
    # The most frames 15 a second over the longest video allowed, plus slack.
    cap = int(media.limits.max_video_seconds * FRAMES_PER_SECOND) + 2
    out: list[npt.NDArray[np.uint8]] = []
    distinct = 0
    previous: Any = None
    previous_pixels: npt.NDArray[np.uint8] | None = None
    for index, frame in enumerate(container.decode(stream)):
        media.deadline.check(f"decoding video frame {index}")
        if frame.pts is None:
            raise CorruptMedia("{name}: video frame {index} has no timestamp", name=media.name,
                               index=index)
        seconds = Fraction(frame.pts) * time_base - start
        if seconds > media.limits.max_video_seconds:
            raise too_long(media, float(seconds))
        repeat_previous, shown = clock.step(seconds, _duration(frame, time_base))
        if repeat_previous and previous is not None:
            if previous_pixels is None:  # dropped when it came, needed now
                previous_pixels = _shrink(previous)
                distinct += 1
            out += [previous_pixels] * repeat_previous
            shown -= repeat_previous
        previous, previous_pixels = frame, None
        if shown:  # only frames the output shows are scaled (half of a 30 fps video's)
            previous_pixels = _shrink(frame)
            distinct += 1
            out += [previous_pixels] * shown
        if len(out) > cap:
            raise too_long(media, len(out) / FRAMES_PER_SECOND)
    tail = clock.flush()
    if tail and previous is not None:
        if previous_pixels is None:
            previous_pixels = _shrink(previous)
            distinct += 1
        out += [previous_pixels] * tail
    if not out:
        return np.zeros((0, FRAME_SIZE, FRAME_SIZE, 3), dtype=np.uint8), distinct
    return np.stack(out), distinct


def _shrink(frame: Any) -> npt.NDArray[np.uint8]:
    # The ffmpeg tool's default scaler flags are "bicubic" (swscale, as ffmpeg runs it).
    pixels: npt.NDArray[np.uint8] = frame.reformat(
        FRAME_SIZE, FRAME_SIZE, "rgb24", interpolation="BICUBIC").to_ndarray()
    return pixels


def _duration(frame: Any, time_base: Fraction) -> Fraction | None:
    duration = getattr(frame, "duration", None)
    return Fraction(duration) * time_base if duration else None


class ConstantRate:
    """ffmpeg 4.1's 15 fps constant-rate output (``do_video_out``), one input frame at a time.

    For ``-r 15`` into a format without timestamps (``rawvideo``) ffmpeg uses
    ``vsync cfr`` (``vscfr`` for a file with one stream): a frame landing more
    than 1.1 output frames early is dropped; one landing later is shown
    ``round(delta)`` times, the previous input frame filling the gap.
    """

    def __init__(self, rate: Fraction | None, *, single_stream: bool = False) -> None:
        self.default = min(1.0, FRAMES_PER_SECOND / float(rate)) if rate else 1.0
        self.single_stream = single_stream
        self.sync_opts = 0  # output frames so far
        self.recent = [0, 0, 0]  # the last three "repeat the previous frame" counts
        self.first = True

    def step(self, seconds: Fraction, frame_duration: Fraction | None) -> tuple[int, int]:
        """``(repeats of the previous frame, output frames in all)`` for the next input frame."""
        duration = self.default
        if frame_duration is not None and round(float(frame_duration) * FRAMES_PER_SECOND) > 0:
            duration = float(round(float(frame_duration) * FRAMES_PER_SECOND))
        sync_ipts = _float_pts(seconds)
        delta0 = sync_ipts - self.sync_opts
        delta = delta0 + duration
        if delta0 < 0 < delta:
            delta0 = 0.0  # clipped: the frame starts at the current output slot
        if self.single_stream and self.first and delta0 >= 0.5:
            delta, delta0, self.sync_opts = duration, 0.0, round(sync_ipts)
        shown, repeat_previous = 1, 0
        if delta < -1.1:
            shown = 0
        elif delta > 1.1:
            shown = round(delta)
            if delta0 > 1.1:
                repeat_previous = round(delta0 - 0.6)
        repeat_previous = min(repeat_previous, shown)
        self.recent = [repeat_previous, *self.recent[:2]]
        self.sync_opts += shown
        self.first = False
        return repeat_previous, shown

    def flush(self) -> int:
        """How many more times the end of the stream shows the last frame."""
        return sorted(self.recent)[1]


def cfr_copies(timings: list[tuple[Fraction, Fraction | None]], rate: Fraction | None,
               *, single_stream: bool = False) -> list[int]:
    """How many times each input frame appears in the 15 fps output (:class:`ConstantRate`)."""
    clock = ConstantRate(rate, single_stream=single_stream)
    copies = [0] * len(timings)
    for index, (seconds, frame_duration) in enumerate(timings):
        repeat_previous, shown = clock.step(seconds, frame_duration)
        if index > 0:
            copies[index - 1] += repeat_previous
            shown -= repeat_previous
        copies[index] += shown
    if copies:
        copies[-1] += clock.flush()
    return copies


def _float_pts(seconds: Fraction) -> float:
    # ffmpeg keeps 16 extra bits of the 1/15 s output time base, then nudges off midpoints.
    ticks = seconds * FRAMES_PER_SECOND * (1 << 16)
    half = Fraction(1, 2)  # av_rescale_q rounds to nearest, halves away from zero
    rounded = math.floor(ticks + half) if ticks >= 0 else -math.floor(-ticks + half)
    value = rounded / (1 << 16)
    return value + (math.copysign(1.0, value) / (1 << 17) if value else 0.0)


