"""Typed errors for untrusted media: each says what was wrong and which limit applied.

All subclass :class:`accord.errors.Invalid`: the file, not Accord, is at fault.
Messages name the file (as given by the caller) and numbers, never content.
"""

from __future__ import annotations

from accord.errors import Invalid


class MediaError(Invalid):
    """Base class: a file could not be hashed safely."""

    title = "Unusable media"


class UnsupportedMedia(MediaError):
    """The content is of a kind (or format) Accord cannot hash with the chosen types."""

    title = "Unsupported media"


class MediaTooLarge(MediaError):
    """The file breaks a size limit (bytes, duration, frames, pages, text)."""

    title = "Media too large"


class DecompressionBomb(MediaTooLarge):
    """An image whose header claims more pixels than ``max_image_pixels``."""

    title = "Decompression bomb"


class MediaTooSmall(MediaError):
    """The content is too small to give a meaningful hash (a 1x1 image, an empty file)."""

    title = "Media too small"


class CorruptMedia(MediaError):
    """The content claims a format but does not decode (truncated, damaged)."""

    title = "Corrupt media"


class InsufficientContent(MediaError):
    """The content decodes but carries too little information for the hash (short text)."""

    title = "Insufficient content"


class HashTimeout(MediaError):
    """Hashing one file took longer than ``hash_timeout_seconds``."""

    title = "Hash time limit"


class UnreadableMedia(MediaError):
    """The file could not be read at all (missing, permission denied, a symlink loop)."""

    title = "Unreadable file"
