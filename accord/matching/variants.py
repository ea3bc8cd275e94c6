"""Query-side expansion: an uploaded picture matched as a set of standard PDQ hashes.

Banks hold plain PDQ hashes, the ones every partner and HMA share; nothing
about them changes. What changes is the query: besides the picture as given
(``original``), the engine may also look up

- the seven other dihedral transforms (``rotate90`` ... ``flipminus1``), so a
  mirrored or rotated re-upload meets the original's hash. Each is hashed from
  transformed pixels (as python-threatexchange's rotations are), not derived
  with ``pdqhash.compute_dihedral``'s one-call shortcut: that lands up to 8
  bits off on photographs and 40 or more on smooth pictures, where a mirrored
  copy then misses (``tests/matching/test_variants.py`` has such a picture);
- the picture with its uniform bars removed (``unletterboxed``,
  :mod:`accord.media.unletterbox`): letterboxing, padding to square, frames;
- the picture taken out of a larger frame (``unframed``: a screenshot's page
  around it, bands of text included; :func:`accord.media.unletterbox.unframe`);
- central crops at fixed scales (``crop90`` ... ``crop60``: the middle 90% ...
  60% of each side), for a picture pasted into a larger frame.

Which variants run is a per-bank setting (``Bank.match_variants``; ``None``
takes :data:`DEFAULT_VARIANTS`, the set ``bench/robustness.py`` supports, see
docs/matching-quality.md). A hit from a variant counts only in banks that
enabled it. Every query hash goes through ``match_values`` and so through the
one visibility rule: expansion can never return a signal the partner may not
see. Each matched signal is reported once, with the variant that came
closest (ties: the earlier variant in :data:`ALL_VARIANTS`) and its distance.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pdqhash

from accord.media.image import FAST_MIN_SIDE, RGBArray, decode_image
from accord.media.source import Media
from accord.media.unletterbox import unframe, unletterbox
from accord.signals.pdq import DIHEDRAL_TRANSFORMS, bits_to_hex
from accord.signals.pdq_variants import (
    ALL_VARIANTS,
    CROP_SCALES,
    DEFAULT_VARIANTS,
    ORIGINAL,
    UNFRAMED,
    UNLETTERBOXED,
    bank_variants,
    parse_variants,
    variants_text,
)

__all__ = ["ALL_VARIANTS", "DEFAULT_VARIANTS", "VariantHash", "bank_variants",
           "image_variants", "parse_variants", "picture_variants", "usable", "variants_text",
           "wanted_variants"]


@dataclass(frozen=True, slots=True)
class VariantHash:
    """One PDQ hash of a query picture, and the variant of the picture it is of."""

    variant: str
    value: str
    quality: int


def image_variants(rgb: RGBArray, wanted: Iterable[str]) -> list[VariantHash]:
    """The PDQ hashes of the ``wanted`` variants of a decoded picture, in tie order.

    A variant that would be the picture itself (no bars to remove) is left out.
    """
    chosen = set(wanted) | {ORIGINAL}
    out = [_hash(name, transform(rgb)) for name, transform in DIHEDRAL_TRANSFORMS.items()
           if name in chosen]
    if UNLETTERBOXED in chosen:
        inner, borders = unletterbox(rgb)
        if borders.any:
            out.append(_hash(UNLETTERBOXED, inner))
    if UNFRAMED in chosen:
        inner, borders = unframe(rgb)
        if borders.any and (UNLETTERBOXED not in chosen or borders != unletterbox(rgb)[1]):
            out.append(_hash(UNFRAMED, inner))
    height, width = rgb.shape[:2]
    for name, scale in CROP_SCALES.items():
        if name in chosen:
            dy, dx = round(height * (1 - scale) / 2), round(width * (1 - scale) / 2)
            out.append(_hash(name, rgb[dy:height - dy, dx:width - dx]))
    return out


def _hash(variant: str, rgb: RGBArray) -> VariantHash:
    bits, quality = pdqhash.compute(np.ascontiguousarray(rgb))
    return VariantHash(variant, bits_to_hex(bits), int(quality))


def picture_variants(media: Media, wanted: Iterable[str], min_quality: int | None,
                     *, exact: bool = False) -> list[VariantHash]:
    """Decode an image (``accord.media.image.decode_image``; at reduced scale unless
    ``exact``, as ``PdqSignal`` does) and hash its ``wanted`` variants. Derived variants
    whose PDQ quality is under ``min_quality`` are left out: a flat crop's hash is noise,
    and would only add false matches."""
    rgb = decode_image(media, min_side=None if exact else FAST_MIN_SIDE)
    hashes = image_variants(rgb, wanted)
    media.deadline.check("hashing the picture's variants")
    return usable(hashes, min_quality)


def usable(hashes: Iterable[VariantHash], min_quality: int | None) -> list[VariantHash]:
    """The original, and the derived variants of at least ``min_quality``."""
    return [h for h in hashes if h.variant == ORIGINAL or min_quality is None
            or h.quality >= min_quality]


def wanted_variants(by_bank: Mapping[str, frozenset[str]],
                    override: frozenset[str] | None) -> frozenset[str]:
    """The variants to hash for a query: the override, else every bank's (default: the
    default's, when no bank is loaded)."""
    if override is not None:
        return override
    return frozenset().union(*by_bank.values()) if by_bank else DEFAULT_VARIANTS
