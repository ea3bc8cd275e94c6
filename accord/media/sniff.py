"""Decide what a file is from its first bytes (magic numbers), never from its name.

The name is used for one thing only: a file whose name promises media (``.mp4``,
``.jpg``, ``.pdf``) but whose content matches no known format is refused, since
the caller expects a perceptual hash Accord cannot give.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath

SNIFF_BYTES = 4096


class MediaKind(StrEnum):
    """What a file holds, as far as hashing is concerned."""

    IMAGE = "image"
    VIDEO = "video"
    PDF = "pdf"
    TEXT = "text"
    BINARY = "binary"


# ISO base media (MP4, MOV, 3GP...) brands that hold still images, not video.
_IMAGE_BRANDS = frozenset({b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"})

_IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)

_VIDEO_MAGIC: tuple[bytes, ...] = (
    b"\x1a\x45\xdf\xa3",  # Matroska / WebM
    b"FLV\x01",
    b"\x00\x00\x01\xba",  # MPEG program stream
    b"\x00\x00\x01\xb3",  # MPEG-1/2 video elementary stream
)

_EXTENSION_KINDS: dict[str, MediaKind] = {
    **dict.fromkeys(
        (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".avif"),
        MediaKind.IMAGE,
    ),
    **dict.fromkeys(
        (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".flv", ".mpg", ".mpeg", ".ts", ".3gp"),
        MediaKind.VIDEO,
    ),
    ".pdf": MediaKind.PDF,
}


def sniff(head: bytes) -> MediaKind:
    """Return the kind of content that starts with ``head`` (pass at least 4 KiB)."""
    if head.startswith(_IMAGE_MAGIC) or _is_riff(head, b"WEBP"):
        return MediaKind.IMAGE
    if head[4:8] == b"ftyp":
        return MediaKind.IMAGE if head[8:12] in _IMAGE_BRANDS else MediaKind.VIDEO
    if head.startswith(_VIDEO_MAGIC) or _is_riff(head, b"AVI ") or _is_mpeg_ts(head):
        return MediaKind.VIDEO
    # The PDF header may follow up to 1 KiB of junk, and readers accept that.
    if b"%PDF-" in head[:1024]:
        return MediaKind.PDF
    if _looks_like_text(head):
        return MediaKind.TEXT
    return MediaKind.BINARY


def kind_claimed_by_name(name: str) -> MediaKind | None:
    """The media kind a file name's extension promises, if any."""
    return _EXTENSION_KINDS.get(PurePath(name).suffix.lower())


def _is_riff(head: bytes, form: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == form


def _is_mpeg_ts(head: bytes) -> bool:
    # Transport streams repeat a 0x47 sync byte every 188 bytes.
    return len(head) >= 188 * 3 and all(head[i] == 0x47 for i in (0, 188, 376))


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        # A multi-byte character cut at the end of the sniffed window is fine.
        if err.start < len(head) - 3:
            return False
        text = head[: err.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100
