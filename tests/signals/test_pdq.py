"""``pdq``: Accord reproduces the published PDQ hashes and decodes every colour mode.

Reference data: ``../shared/vectors`` (see its README). Accord is held to the
README's bar: exactly the ``pdqhash`` rows of ``computed_pdq_hashes.tsv``, and
within 12 bits of every published hash (exactly, where a row's tolerance is 0).
The few reference rows Accord deliberately differs from are listed in
``KNOWN_DIFFERENCES`` with the reason; ``docs/signal-types.md`` explains them.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from accord.config import Settings
from accord.media.image import FAST_MIN_SIDE
from accord.signals import HashResult, get_signal_type
from accord.signals.hashing import hash_file
from accord.signals.pdq import FAST_PATH_MAX_BITS
from tests.signals.signal_contract import SignalTypeContract

PDQ = get_signal_type("pdq")
README_TOLERANCE = 12
BRIDGE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
I16 = "python-threatexchange/threatexchange/tests/hashing/resources/I16.png"
LETTERBOXED = (
    "python-threatexchange/threatexchange/tests/hashing/resources/letterboxed_sample-b.jpg"
)

KNOWN_DIFFERENCES = {
    (I16, "pdqhash"): "16-bit grey: pdqhash/pytx clip samples over 255 to white; Accord scales",
    (I16, "pytx_unittest"): "16-bit grey: same clipping (its quality of 36 shows it)",
    (LETTERBOXED, "pytx_unittest_unletterbox"): "hash after pytx's unletterbox preprocessing",
    (LETTERBOXED, "pytx_unittest_unletterbox_bt25"): "hash after pytx's unletterbox preprocessing",
}


class TestPdqSignal(SignalTypeContract):
    name = "pdq"
    canonical_cases = (
        (BRIDGE.upper(), BRIDGE),
        (f" {BRIDGE}\n", BRIDGE),
    )
    invalid_cases = (
        (BRIDGE[:-1], "expected 64 hex digits, got 63"),
        (BRIDGE + "00", "expected 64 hex digits, got 66"),
        ("0x" + BRIDGE[2:], "found 'x' at position 1"),
        (b"\x00" * 32, "expected a string"),
    )


def _distance(a: str, b: str) -> int:
    return PDQ.distance(a, b)


@functools.cache
def _hashes(path: Path, dihedral: bool = False, exact: bool = False) -> tuple[HashResult, ...]:
    """PDQ of a reference image, and its dihedral variants if asked (cached: images recur).

    ``exact``: every pixel hashed, as ``pdqhash`` does; by default Accord's fast path,
    which decodes images of 1,024 pixels a side or more at reduced scale."""
    return tuple(
        hash_file(path, settings=Settings(), types=["pdq"], dihedral=dihedral, exact=exact)
    )


def _variant(results: tuple[HashResult, ...], variant: str | None) -> HashResult:
    return next(r for r in results if r.variant == variant)


def _computed_rows(vectors: Path) -> list[dict[str, str]]:
    with open(vectors / "expected" / "computed_pdq_hashes.tsv", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [r for r in rows if r["impl"] == "pdqhash" and (vectors / r["image"]).exists()]


def test_pdqhash_rows_of_the_computed_table_are_reproduced_exactly(vectors_dir: Path) -> None:
    rows = _computed_rows(vectors_dir)
    assert len(rows) >= 36
    for row in rows:
        if (row["image"], "pdqhash") in KNOWN_DIFFERENCES:
            continue
        result = _variant(_hashes(vectors_dir / row["image"], exact=True), None)
        assert (result.value, result.quality) == (row["hash"], int(row["quality"])), row["image"]


def test_the_default_fast_path_is_exact_on_small_images_and_within_its_bound_on_large(
    vectors_dir: Path,
) -> None:
    rows = _computed_rows(vectors_dir)
    reduced = 0
    for row in rows:
        if (row["image"], "pdqhash") in KNOWN_DIFFERENCES:
            continue
        path = vectors_dir / row["image"]
        result = _variant(_hashes(path), None)
        with Image.open(path) as image:
            large = min(image.size) >= 2 * FAST_MIN_SIDE
        if not large:
            assert (result.value, result.quality) == (row["hash"], int(row["quality"])), path
            continue
        reduced += 1
        assert _distance(result.value, row["hash"]) <= FAST_PATH_MAX_BITS, path
    assert reduced >= 1  # letterboxed_sample-b.jpg, 2000 x 1404


def test_every_published_hash_is_reproduced_within_the_readme_tolerance(
    vectors_dir: Path,
) -> None:
    published = json.loads((vectors_dir / "expected" / "published_pdq_hashes.json").read_text())
    checked = 0
    for row in published:
        path = vectors_dir / row["image"]
        if not path.exists() or (row["image"], row["source"]) in KNOWN_DIFFERENCES:
            continue
        variant = _published_variant(row["source"])
        result = _variant(_hashes(path, variant is not None), variant)
        tolerance = min(README_TOLERANCE, row["tolerance"] if row["tolerance"] is not None else 99)
        assert _distance(result.value, row["hash"]) <= tolerance, (row["image"], row["source"])
        if row["quality"] is not None and row["tolerance"] == 0:
            assert result.quality == row["quality"]
        checked += 1
    assert checked >= 90


def _published_variant(source: str) -> str | None:
    # pytx's rotation rows are named like "pytx_unittest_rotations_ROTATE90".
    if "_rotations_" not in source:
        return None
    name = source.rsplit("_", 1)[1].lower()
    return None if name == "original" else name


def test_16_bit_grey_reference_differs_only_by_the_clipping_bug(vectors_dir: Path) -> None:
    """Accord's I16.png hash is that of the correctly scaled pixels, not the clipped ones."""
    pixels = np.asarray(Image.open(vectors_dir / I16))
    scaled = np.repeat((pixels >> 8).astype(np.uint8)[:, :, None], 3, axis=2)
    expected = hash_file(_png(scaled), settings=Settings(), types=["pdq"])[0]
    assert _variant(_hashes(vectors_dir / I16), None).value == expected.value


def test_every_colour_mode_variant_lands_within_2_bits_of_its_rgb_original(
    vectors_dir: Path,
) -> None:
    modes = vectors_dir / "pdq" / "data" / "misc-images" / "modes"
    original = _variant(_hashes(modes / "original.jpg"), None).value
    variants = sorted(p for p in modes.iterdir() if p.suffix != ".md")
    assert {"CMYK.jpg", "P.png", "1.png", "L.png"} <= {p.name for p in variants}
    for path in variants:
        assert _distance(_variant(_hashes(path), None).value, original) <= 2, path.name


@pytest.mark.parametrize("mode", ["I;16", "I", "F", "RGBA", "LA", "CMYK"])
def test_generated_colour_modes_land_within_2_bits_of_the_original(
    vectors_dir: Path, mode: str
) -> None:
    source = Image.open(vectors_dir / "pdq" / "data" / "misc-images" / "modes" / "original.jpg")
    source = source.resize((400, 251))
    original = hash_file(_png(np.asarray(source)), settings=Settings(), types=["pdq"])[0].value
    variant = _as_mode(source, mode)
    data = _encoded(variant)
    assert Image.open(io.BytesIO(data)).mode == mode
    (result,) = hash_file(data, settings=Settings(), types=["pdq"])
    assert _distance(result.value, original) <= 2


def test_naive_16_bit_conversion_would_be_far_from_the_original(vectors_dir: Path) -> None:
    """Why 16-bit grey needs care: Pillow's convert("RGB") clips, which changes the image."""
    source = Image.open(vectors_dir / "pdq" / "data" / "misc-images" / "modes" / "original.jpg")
    source = source.resize((400, 251))
    sixteen = _as_mode(source, "I;16")
    naive = np.asarray(Image.open(io.BytesIO(_encoded(sixteen))).convert("RGB"))
    original = hash_file(_png(np.asarray(source)), settings=Settings(), types=["pdq"])[0]
    clipped = hash_file(_png(naive), settings=Settings(), types=["pdq"])[0]
    assert _distance(clipped.value, original.value) > PDQ.default_threshold


def test_dihedral_option_gives_8_hashes_that_match_rotated_copies(vectors_dir: Path) -> None:
    folder = vectors_dir / "pdq" / "data" / "reg-test-input" / "dih"
    variants = _hashes(folder / "bridge-1-original.jpg", dihedral=True)
    assert [r.variant for r in variants] == [
        None,
        "rotate90",
        "rotate180",
        "rotate270",
        "flipx",
        "flipy",
        "flipplus1",
        "flipminus1",
    ]
    names = ["original", "rotate-90", "rotate-180", "rotate-270", "flipx", "flipy"]
    names += ["flip-plus-1", "flip-minus-1"]
    for index, name in enumerate(names, start=1):
        copy = _variant(_hashes(folder / f"bridge-{index}-{name}.jpg"), None)
        distances = [_distance(copy.value, v.value) for v in variants]
        assert min(distances) == distances[index - 1] <= README_TOLERANCE
        assert sorted(distances)[1] > PDQ.default_threshold  # matches that variant only


def test_quality_is_reported_and_low_for_featureless_images(vectors_dir: Path) -> None:
    flat = np.full((64, 64, 3), 128, dtype=np.uint8)
    (result,) = hash_file(_png(flat), settings=Settings(), types=["pdq"])
    assert result.quality == 0
    bridge = _variant(_hashes(vectors_dir / "pdq" / "data" / "bridge-mods" / "aaa-orig.jpg"), None)
    assert bridge.quality == 100


def _png(pixels: np.ndarray) -> bytes:
    return _encoded(Image.fromarray(pixels))


def _encoded(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, {"CMYK": "JPEG", "I": "TIFF", "F": "TIFF"}.get(image.mode, "PNG"))
    return out.getvalue()


def _as_mode(source: Image.Image, mode: str) -> Image.Image:
    grey = np.asarray(source.convert("L"))
    if mode in ("I;16", "I"):
        wide = grey.astype(np.uint16) * 257  # full 16-bit range, as a scanner would give
        return Image.fromarray(wide if mode == "I;16" else wide.astype(np.int32))
    if mode == "F":
        return Image.fromarray(grey.astype(np.float32))
    if mode == "RGBA":
        # Alpha varies across the image; the colour under it is the original's.
        rgba = source.convert("RGBA")
        rgba.putalpha(Image.linear_gradient("L").resize(source.size))
        return rgba
    return source.convert(mode)
