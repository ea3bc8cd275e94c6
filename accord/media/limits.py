"""The limits one file is hashed under, and the clock that enforces the time limit.

``MediaLimits`` copies the relevant fields of :class:`accord.config.Settings` into a
small frozen value, so that it can travel to worker processes cheaply.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from accord.config import Settings
from accord.media.errors import HashTimeout


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """Upper bounds for one file; each field mirrors the ``Settings`` field of that name."""

    max_file_bytes: int
    max_image_pixels: int
    max_video_seconds: float
    max_video_frames: int
    max_pdf_pages: int
    max_text_bytes: int
    hash_timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaLimits:
        """The limits configured for this node."""
        return cls(
            max_file_bytes=settings.max_file_bytes,
            max_image_pixels=settings.max_image_pixels,
            max_video_seconds=settings.max_video_seconds,
            max_video_frames=settings.max_video_frames,
            max_pdf_pages=settings.max_pdf_pages,
            max_text_bytes=settings.max_text_bytes,
            hash_timeout_seconds=settings.hash_timeout_seconds,
        )


class Deadline:
    """A time limit that long loops (video frames, PDF pages) check between steps.

    Checking is cooperative: it works in any thread and any process, unlike
    ``SIGALRM``. A single native call (one bounded image decode) is not
    interrupted, which the pixel limit keeps short.
    """

    __slots__ = ("_ends_at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds

    def check(self, what: str) -> None:
        """Raise :class:`HashTimeout` if the time is up; ``what`` names the step."""
        if time.monotonic() > self._ends_at:
            raise HashTimeout("hashing took longer than {seconds:g} s (stopped while {what})",
                              hint="raise ACCORD_HASH_TIMEOUT_SECONDS if such files are expected",
                              seconds=self.seconds, what=what)


@contextmanager
def hard_time_limit(seconds: float, name: str) -> Iterator[None]:
    """Raise :class:`HashTimeout` in this thread after ``seconds``, via ``SIGALRM``.

    A backstop for the cooperative :class:`Deadline`: it also stops a parser
    stuck in a pure-Python loop (a hostile PDF). Signals reach only the main
    thread of a process, so elsewhere (an API worker thread) this does nothing
    and the cooperative checks alone apply. Batch hashing runs each file in the
    main thread of a worker process, where it works.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def _expired(signum: int, frame: FrameType | None) -> None:
        raise HashTimeout("{name}: hashing took longer than {seconds:g} s (stopped by the hard "
                          "time limit)",
                          hint="raise ACCORD_HASH_TIMEOUT_SECONDS if such files are expected",
                          name=name, seconds=seconds)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
