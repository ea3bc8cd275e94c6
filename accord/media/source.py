"""Read untrusted input into memory under the byte limit, and sniff its kind."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from accord.media.errors import MediaTooLarge, MediaTooSmall, UnreadableMedia, UnsupportedMedia
from accord.media.limits import Deadline, MediaLimits
from accord.media.sniff import SNIFF_BYTES, MediaKind, kind_claimed_by_name, sniff


@dataclass(frozen=True, slots=True)
class Media:
    """One file's bytes, what they were sniffed as, and the limits to decode them under."""

    name: str
    data: bytes
    kind: MediaKind
    limits: MediaLimits
    deadline: Deadline = field(compare=False)


def load_media(source: Path | bytes, limits: MediaLimits, *, name: str | None = None) -> Media:
    """Read ``source`` (a path or the bytes themselves) and sniff what it holds.

    Raises :class:`MediaTooLarge` before reading a file over ``max_file_bytes``,
    :class:`MediaTooSmall` for an empty file, :class:`UnreadableMedia` when the
    path cannot be read, and :class:`UnsupportedMedia` when the name promises
    media (``clip.mp4``) the content is not.
    """
    deadline = Deadline(limits.hash_timeout_seconds)
    if isinstance(source, bytes):
        label = name or "<bytes>"
        data = _checked_size(source, len(source), limits, label)
    else:
        label = name or str(source)
        data = _read_path(source, limits, label)
    if not data:
        raise MediaTooSmall("{label}: the file is empty", label=label)
    kind = sniff(data[:SNIFF_BYTES])
    _refuse_disguised(label, kind)
    return Media(name=label, data=data, kind=kind, limits=limits, deadline=deadline)


def read_stream(stream: BinaryIO, limits: MediaLimits) -> bytes:
    """Read a stream (standard input) up to the byte limit, refusing anything longer."""
    data = stream.read(limits.max_file_bytes + 1)
    return _checked_size(data, len(data), limits, "-")


def _read_path(path: Path, limits: MediaLimits, label: str) -> bytes:
    try:
        # stat before open: opening a FIFO or device could block or never end.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedMedia("{label}: not a regular file", label=label)
        _checked_size(b"", info.st_size, limits, label)
        with open(path, "rb") as handle:
            # Read one byte past the limit: the file may have grown since stat.
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as err:
        raise UnreadableMedia("{label}: cannot read the file ({strerror})", label=label,
                              strerror=err.strerror or err) from err
    return _checked_size(data, len(data), limits, label)


def _checked_size(data: bytes, size: int, limits: MediaLimits, label: str) -> bytes:
    if size > limits.max_file_bytes:
        raise MediaTooLarge("{label}: file is larger than the limit of {max_file_bytes} bytes "
                            "(max_file_bytes)",
                            hint="raise ACCORD_MAX_FILE_BYTES if such files are expected",
                            label=label, max_file_bytes=limits.max_file_bytes)
    return data


def _refuse_disguised(label: str, kind: MediaKind) -> None:
    claimed = kind_claimed_by_name(label)
    if claimed is not None and kind in (MediaKind.BINARY, MediaKind.TEXT):
        raise UnsupportedMedia("{label}: the name says {claimed} but the content matches no known "
                               "{claimed} format (sniffed as {kind})", label=label,
                               claimed=claimed.value, kind=kind.value)
