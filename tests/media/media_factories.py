"""Generators of small test media, good and hostile, made at test time (no stored samples).

Imported by the media, signals and CLI tests as ``tests.media.media_factories``.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable

import av
import numpy as np
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

PANGRAM = (
    "Accord shares hashes of known terrorist content between partner organisations, "
    "with labels, provenance and a TLP marking on every item. "
)


_WORDS = [
    "partner",
    "signal",
    "hash",
    "match",
    "review",
    "label",
    "channel",
    "video",
    "image",
    "report",
    "incident",
    "border",
    "analyst",
    "platform",
    "river",
    "mountain",
    "winter",
    "market",
    "language",
    "bridge",
    "station",
    "network",
    "record",
    "archive",
    "council",
    "harbour",
    "library",
    "garden",
    "village",
    "engine",
    "letter",
    "summer",
    "forest",
]


def prose(seed: int = 0, words: int = 600) -> str:
    """Varied, reproducible text of ``words`` words (plenty for TLSH)."""
    rng = np.random.default_rng(seed)
    return " ".join(_WORDS[i] for i in rng.integers(0, len(_WORDS), size=words))


def gradient_rgb(width: int = 96, height: int = 64, seed: int = 0) -> np.ndarray:
    """A smooth, featureful RGB picture (PDQ quality 100), different for each seed."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack(
        [np.sin(x / (5 + seed % 7)) + np.cos(y / 4), np.cos(x / 9) * np.sin(y / 3), x / width],
        axis=-1,
    )
    noise = rng.normal(0, 0.05, size=base.shape)
    scaled = (base + noise - (base + noise).min()) / np.ptp(base + noise) * 255
    return scaled.astype(np.uint8)


def jpeg_bytes(rgb: np.ndarray | None = None, quality: int = 90) -> bytes:
    """A JPEG of ``rgb`` (default: :func:`gradient_rgb`)."""
    out = io.BytesIO()
    Image.fromarray(gradient_rgb() if rgb is None else rgb).save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    """A PNG of a Pillow image, in its own mode."""
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit grey PNG of ``width`` x ``height`` black pixels: ~100 KB on disk.

    Decoded it would be ``width * height`` pixels (900 million by default).
    """
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def pdf_with_text(pages: Iterable[str]) -> bytes:
    """A PDF with one page per string, each drawn in Helvetica (extractable text)."""
    writer = PdfWriter()
    font = writer._add_object(  # pypdf has no public "add object"; fine for a test helper
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        stream.set_data(_text_operators(text))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mp4_bytes(seconds: float = 3.5, fps: int = 10, size: tuple[int, int] = (64, 48)) -> bytes:
    """An MPEG-4 video of a moving gradient, ``seconds`` long at ``fps`` frames a second."""
    width, height = size
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(round(seconds * fps)):
            pixels = np.roll(gradient_rgb(width, height, seed=index // fps), index, axis=1)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _text_operators(text: str) -> bytes:
    lines = [
        line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        for line in _wrapped(text, 80)
    ]
    body = " T* ".join(f"({line}) Tj" for line in lines)
    return f"BT /F1 11 Tf 14 TL 40 750 Td {body} ET".encode("latin-1")


def _wrapped(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def h264_bytes(
    seconds: float = 4.0,
    fps: int = 25,
    size: tuple[int, int] = (96, 64),
    container: str = "mp4",
    options: dict[str, str] | None = None,
) -> bytes:
    """An H.264 video (libx264) with B-frames, of noise scrolling across and down.

    ``options`` go to libx264 (default: a key frame every 12 frames, 3 B-frames), so
    that the sampled frames fall inside groups of pictures, not only on key frames.
    """
    width, height = size
    rng = np.random.default_rng(5)
    base = rng.integers(0, 256, (height * 2, width * 2, 3), dtype=np.uint8)
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as muxer:
        stream = muxer.add_stream("libx264", rate=fps, options=options or {"g": "12", "bf": "3"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(round(seconds * fps)):
            row = index % height
            pixels = np.roll(base, index * 3, axis=1)[row : row + height, :width]
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return out.getvalue()


def exif_jpeg_bytes(rgb: np.ndarray, orientation: int, quality: int = 95) -> bytes:
    """A JPEG of ``rgb`` whose EXIF Orientation tag is ``orientation`` (1-8)."""
    image = Image.fromarray(rgb)
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()
