"""Safe image decoding: hostile and broken images fail with clear typed errors, quickly."""

from __future__ import annotations

import io
import time
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from accord.media.errors import CorruptMedia, DecompressionBomb, MediaTooSmall, UnsupportedMedia
from accord.media.image import decode_image
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from tests.media.media_factories import gradient_rgb, jpeg_bytes, png_bomb, png_bytes


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A valid PNG of 30,000 x 30,000 pixels, about 100 KB on disk."""
    return png_bomb()


def test_a_good_jpeg_decodes_to_rgb(limits: MediaLimits) -> None:
    rgb = decode_image(load_media(jpeg_bytes(), limits))
    assert rgb.shape == (64, 96, 3)
    assert rgb.dtype == np.uint8


def test_a_decompression_bomb_is_refused_from_its_header(bomb: bytes, limits: MediaLimits) -> None:
    assert len(bomb) < 200_000
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(DecompressionBomb, match="max_image_pixels") as caught:
        decode_image(load_media(bomb, limits, name="bomb.png"))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "bomb.png" in caught.value.message
    assert elapsed < 1.0
    assert peak < 50_000_000  # the 900-megapixel image was never decoded


def test_an_image_just_over_the_pixel_limit_is_refused_by_accord_not_a_pillow_warning(
    tight_limits: MediaLimits,
) -> None:
    # 400 x 300 = 120,000 pixels: over the 100,000 limit but under Pillow's 2x error line,
    # where Pillow only warns; the warning must not leak (pytest turns warnings into errors).
    data = png_bytes(Image.new("L", (400, 300)))
    with pytest.raises(DecompressionBomb, match="max_image_pixels"):
        decode_image(load_media(data, tight_limits))


def test_a_truncated_jpeg_is_corrupt(limits: MediaLimits) -> None:
    data = jpeg_bytes(gradient_rgb(640, 480))
    with pytest.raises(CorruptMedia, match=r"cut\.jpg: image data does not decode"):
        decode_image(load_media(data[: len(data) // 2], limits, name="cut.jpg"))


def test_a_jpeg_cut_inside_its_header_is_corrupt(limits: MediaLimits) -> None:
    with pytest.raises((CorruptMedia, UnsupportedMedia)):
        decode_image(load_media(jpeg_bytes()[:40], limits, name="stub.jpg"))


@pytest.mark.parametrize("size", [(1, 1), (7, 200), (200, 3)])
def test_a_tiny_image_is_too_small_to_hash(limits: MediaLimits, size: tuple[int, int]) -> None:
    data = png_bytes(Image.new("RGB", size, "white"))
    with pytest.raises(MediaTooSmall, match=rf"{size[0]}x{size[1]} pixels; .* at least 8x8"):
        decode_image(load_media(data, limits))


def test_alpha_is_dropped_not_composited(limits: MediaLimits) -> None:
    rgba = np.zeros((16, 16, 4), dtype=np.uint8)
    rgba[..., 0] = 200  # red under fully transparent alpha stays red
    rgb = decode_image(load_media(png_bytes(Image.fromarray(rgba)), limits))
    assert (rgb[..., 0] == 200).all()


def test_16_bit_grey_keeps_its_high_byte(limits: MediaLimits) -> None:
    wide = np.full((16, 16), 0x8000, dtype=np.uint16)
    rgb = decode_image(load_media(png_bytes(Image.fromarray(wide)), limits))
    assert (rgb == 0x80).all()


def test_an_animated_gif_is_hashed_from_its_first_frame(limits: MediaLimits) -> None:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    rgb = decode_image(load_media(out.getvalue(), limits))
    assert tuple(rgb[0, 0]) == (255, 0, 0)
