"""Media kind comes from the content's magic bytes, not from the file name."""

from __future__ import annotations

import pytest

from accord.media.errors import UnsupportedMedia
from accord.media.limits import MediaLimits
from accord.media.sniff import MediaKind, sniff
from accord.media.source import load_media
from tests.media.media_factories import blank_pdf, jpeg_bytes, mp4_bytes

MAGIC_TABLE = [
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, MediaKind.IMAGE),  # JPEG
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, MediaKind.IMAGE),
    (b"GIF89a" + b"\x00" * 20, MediaKind.IMAGE),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", MediaKind.IMAGE),
    (b"II*\x00" + b"\x00" * 20, MediaKind.IMAGE),  # TIFF
    (b"\x00\x00\x00\x1cftypavif" + b"\x00" * 20, MediaKind.IMAGE),  # AVIF is a still image
    (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 20, MediaKind.VIDEO),  # MP4
    (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 20, MediaKind.VIDEO),  # QuickTime
    (b"\x1a\x45\xdf\xa3" + b"\x00" * 20, MediaKind.VIDEO),  # Matroska / WebM
    (b"RIFF\x00\x00\x00\x00AVI LIST", MediaKind.VIDEO),
    ((b"\x47" + b"\x00" * 187) * 4, MediaKind.VIDEO),  # MPEG transport stream
    (b"%PDF-1.7\n", MediaKind.PDF),
    (b"junk before the header %PDF-1.4\n", MediaKind.PDF),
    ("Plain text, with ünïcödé.\n".encode(), MediaKind.TEXT),
    (b"\x00\x01\x02\x03binary", MediaKind.BINARY),
    (bytes(range(128, 256)), MediaKind.BINARY),  # not UTF-8
]


@pytest.mark.parametrize(("head", "kind"), MAGIC_TABLE)
def test_magic_bytes_decide_the_kind(head: bytes, kind: MediaKind) -> None:
    assert sniff(head) is kind


def test_real_files_are_sniffed_by_content_whatever_their_name(limits: MediaLimits) -> None:
    assert load_media(jpeg_bytes(), limits, name="photo.pdf").kind is MediaKind.IMAGE
    assert load_media(mp4_bytes(seconds=1), limits, name="clip.jpg").kind is MediaKind.VIDEO
    assert load_media(blank_pdf(1), limits, name="doc.txt").kind is MediaKind.PDF


@pytest.mark.parametrize("name", ["clip.mp4", "photo.JPG", "report.pdf"])
def test_unknown_content_named_as_media_is_refused(limits: MediaLimits, name: str) -> None:
    with pytest.raises(UnsupportedMedia, match=rf"{name}: the name says .* no known"):
        load_media(bytes(range(256)) * 8, limits, name=name)


def test_unknown_content_with_a_neutral_name_is_plain_binary(limits: MediaLimits) -> None:
    assert load_media(bytes(range(256)), limits, name="blob.bin").kind is MediaKind.BINARY
