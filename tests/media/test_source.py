"""Loading untrusted input: byte limit before reading, empty files, odd paths."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from accord.media.errors import (
    HashTimeout,
    MediaTooLarge,
    MediaTooSmall,
    UnreadableMedia,
    UnsupportedMedia,
)
from accord.media.limits import MediaLimits, hard_time_limit
from accord.media.source import load_media, read_stream


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(
    tmp_path: Path, tight_limits: MediaLimits
) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:  # sparse: 1 GB that costs no disk and no reading
        handle.truncate(1 << 30)
    with pytest.raises(MediaTooLarge, match=r"larger than the limit of 10000 bytes"):
        load_media(big, tight_limits)


def test_bytes_over_the_limit_are_refused(tight_limits: MediaLimits) -> None:
    with pytest.raises(MediaTooLarge, match="max_file_bytes"):
        load_media(b"x" * 10_001, tight_limits)


def test_standard_input_is_read_no_further_than_the_limit(tight_limits: MediaLimits) -> None:
    assert read_stream(io.BytesIO(b"x" * 10_000), tight_limits) == b"x" * 10_000
    with pytest.raises(MediaTooLarge, match=r"^-: file is larger"):
        read_stream(io.BytesIO(b"x" * 50_000), tight_limits)


def test_an_empty_file_is_a_clear_error(tmp_path: Path, limits: MediaLimits) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(MediaTooSmall, match=r"empty\.jpg: the file is empty"):
        load_media(empty, limits)


def test_a_missing_file_is_unreadable(tmp_path: Path, limits: MediaLimits) -> None:
    with pytest.raises(UnreadableMedia, match=r"gone\.png: cannot read the file"):
        load_media(tmp_path / "gone.png", limits)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, limits: MediaLimits) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedMedia, match="not a regular file"):
        load_media(fifo, limits)


def test_the_hard_time_limit_stops_a_stuck_python_loop() -> None:
    started = time.perf_counter()
    with (
        pytest.raises(HashTimeout, match=r"stuck\.pdf: .* hard time limit"),
        hard_time_limit(0.05, "stuck.pdf"),
    ):
        while True:
            time.sleep(0.001)
    assert time.perf_counter() - started < 1.0
