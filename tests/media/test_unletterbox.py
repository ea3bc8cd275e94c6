"""Unletterboxing: uniform bars come off, the picture itself never does."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from accord.media.unletterbox import find_borders, unframe, unletterbox
from accord.signals._hex import hamming_hex
from accord.signals.pdq import pdq_hash
from tests.media.media_factories import gradient_rgb


def _framed(rgb: np.ndarray, top: int, bottom: int, left: int, right: int,
            colour: tuple[int, int, int] = (0, 0, 0)) -> np.ndarray:
    height, width = rgb.shape[:2]
    out = np.empty((height + top + bottom, width + left + right, 3), dtype=np.uint8)
    out[:] = colour
    out[top:top + height, left:left + width] = rgb
    return out


def _jpeg(rgb: np.ndarray, quality: int = 75) -> np.ndarray:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))


@pytest.mark.parametrize(("sides", "colour"), [
    ((40, 40, 0, 0), (0, 0, 0)),  # letterbox
    ((0, 0, 55, 55), (0, 0, 0)),  # pillarbox
    ((30, 30, 20, 20), (0, 0, 0)),  # both
    ((0, 64, 0, 0), (255, 255, 255)),  # pad to square, white, one side
    ((12, 7, 33, 3), (30, 90, 200)),  # a coloured frame, uneven
])
def test_uniform_bars_of_any_colour_are_found_exactly(sides: tuple[int, int, int, int],
                                                      colour: tuple[int, int, int]) -> None:
    picture = gradient_rgb(160, 120, seed=3)
    found = find_borders(_framed(picture, *sides, colour=colour))
    assert (found.top, found.bottom, found.left, found.right) == sides


def test_bars_survive_jpeg_noise_within_a_pixel_or_two() -> None:
    picture = gradient_rgb(160, 120, seed=4)
    found = find_borders(_jpeg(_framed(picture, 48, 48, 0, 0)))
    assert abs(found.top - 48) <= 2 and abs(found.bottom - 48) <= 2
    assert found.left == found.right == 0


def test_the_unletterboxed_picture_hashes_like_the_original() -> None:
    picture = gradient_rgb(240, 160, seed=5)
    boxed = _jpeg(_framed(picture, 80, 80, 0, 0), quality=90)
    inner, found = unletterbox(boxed)
    assert found.any and inner.shape[0] < boxed.shape[0]
    original, _ = pdq_hash(picture)
    assert hamming_hex(pdq_hash(np.ascontiguousarray(inner))[0], original) <= 31
    assert hamming_hex(pdq_hash(boxed)[0], original) > 31  # what unletterboxing is for


def test_a_picture_without_bars_is_left_whole() -> None:
    picture = gradient_rgb(96, 64, seed=6)
    inner, found = unletterbox(picture)
    assert not found.any and inner is picture


@pytest.mark.parametrize("shape", [(64, 64), (5, 300), (300, 5)])
def test_one_colour_all_over_or_tiny_pictures_are_not_cropped_to_nothing(
        shape: tuple[int, int]) -> None:
    flat = np.full((*shape, 3), 17, dtype=np.uint8)
    assert not find_borders(flat).any


def test_bars_that_would_leave_a_sliver_are_taken_for_the_picture() -> None:
    sliver = _framed(gradient_rgb(100, 10, seed=1), 95, 95, 0, 0)  # 10 of 200 rows kept
    assert not find_borders(sliver).any


def test_the_description_names_every_side() -> None:
    found = find_borders(_framed(gradient_rgb(96, 64), 10, 0, 0, 0))
    assert found.describe() == "unletterboxed 96x74: top 10, bottom 0, left 0, right 0"


def test_black_only_with_every_pixel_is_python_threatexchanges_rule() -> None:
    # pytx removes rows whose every channel is <= the threshold, and only black ones.
    picture = gradient_rgb(120, 90, seed=2)
    boxed = _framed(picture, 20, 20, 0, 0, colour=(10, 10, 10))
    boxed[5, 60] = (16, 16, 16)  # one pixel over the threshold stops pytx's scan there
    found = find_borders(boxed, tolerance=15, fraction=1.0, black_only=True)
    assert (found.top, found.bottom) == (5, 20)
    white = _framed(picture, 20, 20, 0, 0, colour=(255, 255, 255))
    assert not find_borders(white, tolerance=15, fraction=1.0, black_only=True).any


def test_the_reference_images_have_no_bars_to_remove(vectors_dir: Path) -> None:
    # The PDQ reference set has no letterboxed image; its pictures must come through whole.
    folder = vectors_dir / "pdq" / "data"
    for name in ("bridge-mods/aaa-orig.jpg", "reg-test-input/labelme-subset/q0003.jpg"):
        rgb = np.asarray(Image.open(folder / name).convert("RGB"))
        assert not find_borders(rgb).any, name


def test_a_screenshot_frame_with_text_comes_off_band_by_band() -> None:
    picture = gradient_rgb(200, 150, seed=8)
    page = Image.new("RGB", (240, 400), (250, 250, 250))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 240, 20), fill=(15, 15, 15))  # status bar
    draw.text((40, 35), "someone posted", fill=(20, 20, 20), font_size=16)
    page.paste(Image.fromarray(picture), (20, 70))
    draw.text((5, 240), "a caption under the picture, two lines", fill=(20, 20, 20),
              font_size=14)
    draw.text((5, 262), "of it, and buttons", fill=(20, 20, 20), font_size=14)
    framed = np.asarray(page)
    assert not find_borders(framed).any or find_borders(framed).top < 70
    inner, found = unframe(framed)
    assert (found.top, found.left, found.right, found.bottom) == (70, 20, 20, 400 - 220)
    assert inner.shape == picture.shape


def test_unframing_a_picture_without_a_frame_keeps_it() -> None:
    picture = gradient_rgb(120, 90, seed=9)
    assert not unframe(picture)[1].any
