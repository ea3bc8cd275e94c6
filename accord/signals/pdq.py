"""``pdq``: Meta's 256-bit perceptual image hash, computed with the ``pdqhash`` package.

Values are 64 lower-case hex digits; distance is the Hamming distance in bits
(0-256); two images match at 31 bits or fewer. Each hash comes with PDQ's
quality (0-100): below about 50 the image has too little detail for the hash
to be trusted, and matching ignores it (``Settings.pdq_min_quality``).

With ``HashOptions(dihedral=True)`` the hasher also emits the hashes of the
seven other rotations and flips of the image, so a rotated or mirrored copy of
a known image can be matched.

Speed: images whose sides are both at least 1,024 pixels are decoded at 1/2,
1/4 or 1/8 scale (never below :data:`~accord.media.image.FAST_MIN_SIDE` =
512 pixels a side) before PDQ's own downsampling to 64x64. That is 3.5x (1080p)
to 11x (4K) faster than hashing every pixel and changes hashes of quality >= 50
by a median of 2-4 bits, at most 18 on the benchmark corpus (bound: median <= 4,
maximum <= 20, against PDQ's match threshold of 31); ``HashOptions(exact=True)``
(``accord hash --exact``, ``Settings.hash_exact``) hashes every pixel, as
``pdqhash`` on a full Pillow decode does. Smaller images are always hashed exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import numpy.typing as npt
import pdqhash

from accord.media.image import FAST_MIN_SIDE, RGBArray, decode_image
from accord.media.sniff import MediaKind
from accord.media.source import Media
from accord.signals._hex import HexSignal, hamming_hex
from accord.signals.base import ContentHasher, HashOptions, HashResult, IndexKind

if TYPE_CHECKING:
    from accord.config import Settings

_DIHEDRAL: dict[str, Callable[[RGBArray], RGBArray]] = {
    "original": lambda a: a,
    "rotate90": lambda a: np.rot90(a, 1),  # counter-clockwise
    "rotate180": lambda a: np.rot90(a, 2),
    "rotate270": lambda a: np.rot90(a, 3),
    "flipx": lambda a: a[::-1],  # mirrored about the horizontal (x) axis: upside down
    "flipy": lambda a: a[:, ::-1],  # mirrored about the vertical (y) axis: left-right
    "flipplus1": lambda a: a.transpose(1, 0, 2),  # mirrored about the main diagonal
    "flipminus1": lambda a: np.rot90(a, 2).transpose(1, 0, 2),  # about the anti-diagonal
}
"""The eight dihedral transforms, named as PDQ's reference test images and pytx name them."""

DIHEDRAL_VARIANTS = tuple(_DIHEDRAL)
DIHEDRAL_TRANSFORMS = _DIHEDRAL

FAST_PATH_MAX_BITS = 20
"""The bound on the fast path: on the benchmark corpus (``bench/hash.py``, 144 photographs
at 1080p and 4K) no fast hash of quality 50 or more (those shared and matched) may be
further than this from the exact one, and the median no further than
:data:`FAST_PATH_MEDIAN_BITS`. Decoding down to 512 pixels a side meets it (median 2,
maximum 18); down to 256 does not (median 8, maximum 34), so the fast path never goes
below 512. Hashes of quality under 50, which PDQ itself calls unreliable, can move
further (two of quality 0 moved 36 and 38 bits)."""

FAST_PATH_MEDIAN_BITS = 4


def bits_to_hex(bits: npt.NDArray[np.generic]) -> str:
    """A 256-element 0/1 vector (most significant bit first) as 64 hex digits."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def pdq_hash(rgb: RGBArray) -> tuple[str, int]:
    """The PDQ hash (hex) and quality of an RGB image."""
    bits, quality = pdqhash.compute(rgb)
    return bits_to_hex(bits), int(quality)


def pdq_dihedral(rgb: RGBArray) -> list[tuple[str, str, int]]:
    """``(variant, hash, quality)`` for each of the eight rotations and flips of an image.

    Each variant is hashed from transformed pixels, not derived from the
    original's DCT as ``pdqhash.compute_dihedral`` does: that shortcut lands up to 8
    bits from a really rotated copy on photographs and 60-90 bits on noisy images,
    whereas hashing the pixels reproduces python-threatexchange's rotation hashes
    exactly. It costs eight PDQ computations, only when asked for.
    """
    return [
        (variant, *pdq_hash(np.ascontiguousarray(transform(rgb))))
        for variant, transform in _DIHEDRAL.items()
    ]


class PdqSignal(HexSignal, ContentHasher):
    """PDQ hash of a still image (64 hex digits, with quality)."""

    name: ClassVar[str] = "pdq"
    index_kind: ClassVar[IndexKind] = "hamming256"
    default_threshold: ClassVar[int] = 31
    has_quality: ClassVar[bool] = True
    bank_threshold: ClassVar[bool] = True
    content_kinds: ClassVar[frozenset[MediaKind]] = frozenset({MediaKind.IMAGE})
    hex_digits: ClassVar[int] = 64

    @classmethod
    def match_threshold(cls, settings: Settings) -> int:
        """``Settings.pdq_match_threshold``."""
        return settings.pdq_match_threshold

    @classmethod
    def min_quality(cls, settings: Settings) -> int | None:
        """``Settings.pdq_min_quality``: lower-quality hashes match too much."""
        return settings.pdq_min_quality

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """Hamming distance in bits between two canonical hashes."""
        return hamming_hex(a, b)

    @classmethod
    def examples(cls) -> list[str]:
        """The PDQ hash of the reference "bridge" photograph and two made-up values."""
        return [
            "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
            "0" * 32 + "f" * 32,
            "a5" * 32,
        ]

    @classmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """Decode the image safely and hash it (and its dihedral variants when asked)."""
        rgb = decode_image(media, min_side=None if options.exact else FAST_MIN_SIDE)
        if not options.dihedral:
            value, quality = pdq_hash(rgb)
            return [HashResult(cls.name, value, quality)]
        variants = pdq_dihedral(rgb)
        media.deadline.check("hashing dihedral variants")
        return [
            HashResult(cls.name, value, quality, None if variant == "original" else variant)
            for variant, value, quality in variants
        ]
