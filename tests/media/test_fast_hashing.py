"""Fast hashing: large images decoded at reduced scale within PDQ's documented bound,
EXIF orientation applied before hashing, and the exact path still on request.

The bound (``FAST_PATH_MAX_BITS``, ``FAST_PATH_MEDIAN_BITS``) is measured by
``bench/hash.py`` on a larger corpus; these tests hold the fast path to it on the
reference images upscaled to 1080p and 4K, and on matplotlib's sample photograph.
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from PIL import Image

from accord.config import Settings
from accord.media.image import FAST_MIN_SIDE, decode_image, reduction
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from accord.signals.hashing import hash_file
from accord.signals.pdq import FAST_PATH_MAX_BITS, FAST_PATH_MEDIAN_BITS, PdqSignal, pdq_hash
from tests.media.media_factories import exif_jpeg_bytes, gradient_rgb, jpeg_bytes, png_bytes

# The inverse of what each EXIF orientation asks a viewer to do: stored pixels that,
# once the tag is applied, give back the upright picture.
_STORED = {
    2: lambda a: a[:, ::-1],  # mirrored left-right
    3: lambda a: np.rot90(a, 2),
    4: lambda a: a[::-1],  # mirrored top-bottom
    5: lambda a: a.transpose(1, 0, 2),  # transposed
    6: lambda a: np.rot90(a, 1),  # stored turned 90 degrees anticlockwise: "rotate 90 CW"
    7: lambda a: np.rot90(a, 2).transpose(1, 0, 2),  # transversed
    8: lambda a: np.rot90(a, -1),  # stored turned 90 degrees clockwise: "rotate 270 CW"
}


def _pdq(data: bytes, *, exact: bool = False) -> tuple[str, int | None]:
    [result] = hash_file(data, settings=Settings(), types=["pdq"], exact=exact)
    return result.value, result.quality


def _reference(data: bytes) -> tuple[str, int]:
    """What ``pdqhash`` gives on a full Pillow decode (the exact path's definition)."""
    return pdq_hash(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))


def _photo(width: int, height: int, seed: int) -> np.ndarray:
    """Smooth shapes plus a little noise: PDQ quality 100, like a photograph."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rng = np.random.default_rng(seed)
    fx, fy, phase = rng.uniform(0.002, 0.01, size=3)
    channels = [np.sin(x * fx + phase * c) + np.cos(y * fy * (c + 1)) for c in range(3)]
    pixels = np.stack(channels, axis=-1) + rng.normal(0, 0.1, (height, width, 3))
    pixels = (pixels - pixels.min()) / np.ptp(pixels) * 255
    return pixels.astype(np.uint8)


# --- EXIF orientation -------------------------------------------------------------------


@pytest.mark.parametrize("orientation", sorted(_STORED))
def test_an_exif_rotated_jpeg_hashes_as_its_upright_picture(orientation: int) -> None:
    upright = np.asarray(_grace_hopper().resize((256, 160)))
    stored = np.ascontiguousarray(_STORED[orientation](upright))
    data = exif_jpeg_bytes(stored, orientation)
    stored_pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    turned_back = np.ascontiguousarray(_STORED_INVERSE[orientation](stored_pixels))
    value, _ = _pdq(data)
    # Exactly the hash of its own pixels turned upright...
    assert value == pdq_hash(turned_back)[0]
    # ...so within JPEG noise of the upright picture, not a rotation (~128 bits) away.
    assert PdqSignal.distance(value, _pdq(jpeg_bytes(upright, quality=95))[0]) <= 8
    assert PdqSignal.distance(value, pdq_hash(stored_pixels)[0]) > 31 or orientation in (2, 4)


_STORED_INVERSE = {
    2: lambda a: a[:, ::-1],
    3: lambda a: np.rot90(a, 2),
    4: lambda a: a[::-1],
    5: lambda a: a.transpose(1, 0, 2),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: np.rot90(a.transpose(1, 0, 2), 2),
    8: lambda a: np.rot90(a, 1),
}


def test_a_rotated_jpeg_decodes_to_the_upright_shape(limits: MediaLimits) -> None:
    data = exif_jpeg_bytes(np.ascontiguousarray(np.rot90(gradient_rgb(96, 64), 1)), 6)
    assert decode_image(load_media(data, limits)).shape == (64, 96, 3)


def test_an_unreadable_exif_block_counts_as_upright(limits: MediaLimits) -> None:
    rgb = gradient_rgb(96, 64)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=95, exif=b"Exif\x00\x00II*\x00\xff\xff")
    assert decode_image(load_media(out.getvalue(), limits)).shape == (64, 96, 3)


# --- reduced decoding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "factor"),
    [((1920, 1080), 2), ((3840, 2160), 4), ((8192, 4200), 8), ((1023, 4000), 1), ((600, 400), 1)],
)
def test_the_reduction_keeps_both_sides_at_least_the_minimum(
    size: tuple[int, int], factor: int
) -> None:
    assert reduction(*size, FAST_MIN_SIDE) == factor
    assert min(size) // factor >= FAST_MIN_SIDE or factor == 1


def test_a_large_jpeg_is_decoded_at_reduced_scale_and_in_full_when_exact(
    limits: MediaLimits,
) -> None:
    data = jpeg_bytes(_photo(2048, 1152, seed=1))
    assert decode_image(load_media(data, limits), min_side=FAST_MIN_SIDE).shape == (576, 1024, 3)
    assert decode_image(load_media(data, limits)).shape == (1152, 2048, 3)


def test_a_large_png_is_reduced_by_box_averaging(limits: MediaLimits) -> None:
    rgb = _photo(1100, 1030, seed=2)
    data = png_bytes(Image.fromarray(rgb))
    reduced = decode_image(load_media(data, limits), min_side=FAST_MIN_SIDE)
    assert reduced.shape == (515, 550, 3)
    assert np.array_equal(reduced, np.asarray(Image.fromarray(rgb).reduce(2)))


def test_a_large_palette_png_is_reduced_from_its_rgb_pixels(limits: MediaLimits) -> None:
    image = Image.fromarray(_photo(1100, 1030, seed=2)).convert("P")
    rgb = decode_image(load_media(png_bytes(image), limits), min_side=FAST_MIN_SIDE)
    assert np.array_equal(rgb, np.asarray(image.convert("RGB").reduce(2)))


def test_alpha_is_dropped_before_averaging_not_premultiplied(limits: MediaLimits) -> None:
    rgba = np.zeros((1030, 1100, 4), dtype=np.uint8)
    rgba[..., 0] = 200  # red under fully transparent alpha stays red, as in the exact path
    rgb = decode_image(load_media(png_bytes(Image.fromarray(rgba)), limits), min_side=512)
    assert rgb.shape == (515, 550, 3)
    assert (rgb[..., 0] == 200).all()


def test_small_images_hash_exactly_on_the_fast_path() -> None:
    data = jpeg_bytes(_photo(1500, 1000, seed=3))  # 1000 < 2 x 512: no reduction
    assert _pdq(data) == _pdq(data, exact=True) == _reference(data)


def test_exact_hashes_every_pixel_as_pdqhash_on_a_full_pillow_decode() -> None:
    data = jpeg_bytes(_photo(1920, 1080, seed=4))
    assert _pdq(data, exact=True) == _reference(data)


def test_the_hash_exact_setting_turns_the_fast_path_off() -> None:
    data = jpeg_bytes(_photo(1920, 1080, seed=5))
    [result] = hash_file(data, settings=Settings(hash_exact=True), types=["pdq"])
    assert (result.value, result.quality) == _reference(data)


def _upscaled(vectors: Path) -> list[bytes]:
    folder = vectors / "pdq" / "data"
    sources = sorted(folder.glob("bridge-mods/*.jpg"))
    sources += sorted(folder.glob("reg-test-input/*/*.jpg"))
    out = []
    for path in sources:
        image = Image.open(path).convert("RGB")
        for size in ((1920, 1080), (3840, 2160)):
            width, height = size if image.width >= image.height else size[::-1]
            buffer = io.BytesIO()
            image.resize((width, height), Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=90)
            out.append(buffer.getvalue())
    return out


def test_the_fast_path_stays_within_its_bound_on_upscaled_reference_images(
    vectors_dir: Path,
) -> None:
    corpus = _upscaled(vectors_dir)
    assert len(corpus) >= 30
    bits, quality_changes = [], []
    for data in corpus:
        (fast, fast_quality), (exact, exact_quality) = _pdq(data), _reference(data)
        if exact_quality >= 50:  # the bound covers the hashes that are shared and matched
            bits.append(PdqSignal.distance(fast, exact))
        quality_changes.append(abs((fast_quality or 0) - exact_quality))
    assert max(bits) <= FAST_PATH_MAX_BITS, bits
    assert statistics.median(bits) <= FAST_PATH_MEDIAN_BITS, bits
    assert max(quality_changes) <= 5


def test_the_fast_path_stays_within_its_bound_on_a_real_photograph() -> None:
    # matplotlib's sample photograph (a dependency, so no ../shared needed), upscaled to
    # 1080p and 4K both ways round, plain and with sensor-like noise.
    photo = _grace_hopper()
    rng = np.random.default_rng(7)
    bits = []
    for size in ((1920, 1080), (1080, 1920), (3840, 2160), (2160, 3840)):
        big = np.asarray(photo.resize(size, Image.Resampling.LANCZOS)).astype(np.float32)
        for noise in (0.0, 6.0):
            pixels = np.clip(big + rng.normal(0, noise, (*big.shape[:2], 1)), 0, 255)
            data = jpeg_bytes(pixels.astype(np.uint8))
            bits.append(PdqSignal.distance(_pdq(data)[0], _reference(data)[0]))
    assert max(bits) <= FAST_PATH_MAX_BITS, bits
    assert statistics.median(bits) <= FAST_PATH_MEDIAN_BITS, bits


def _grace_hopper() -> Image.Image:
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    return Image.open(path).convert("RGB")


def test_dihedral_variants_use_the_same_fast_decode() -> None:
    data = jpeg_bytes(_photo(1920, 1080, seed=6))
    results = hash_file(data, settings=Settings(), types=["pdq"], dihedral=True)
    original = next(r for r in results if r.variant is None)
    assert original.value == _pdq(data)[0]
    assert len(results) == 8
    assert pdqhash.compute is not None  # the reference stays importable for the exact path
