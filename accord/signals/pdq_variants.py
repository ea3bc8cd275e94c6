"""The names of PDQ query variants, and the per-bank setting that chooses among them.

A bank's ``match_variants`` says which variants of an uploaded picture may hit
its plain PDQ signals (see :mod:`accord.matching.variants`, which hashes them,
and docs/matching-quality.md, which measures them). The vocabulary lives here,
below curation, so that a bank's setting is checked where it is written.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.errors import Invalid, trimmed
from accord.signals.pdq import DIHEDRAL_VARIANTS

ORIGINAL = "original"
UNLETTERBOXED = "unletterboxed"
UNFRAMED = "unframed"
CROP_SCALES = {"crop90": 0.9, "crop80": 0.8, "crop70": 0.7, "crop60": 0.6}
"""Central crops: the share of each side kept, around the centre."""

DIHEDRAL = tuple(v for v in DIHEDRAL_VARIANTS if v != ORIGINAL)
ALL_VARIANTS = (ORIGINAL, *DIHEDRAL, UNLETTERBOXED, UNFRAMED, *CROP_SCALES)
"""Every variant, in the order ties between them are broken."""

GROUPS: dict[str, tuple[str, ...]] = {
    "plain": (ORIGINAL,),
    "dihedral": DIHEDRAL,
    "unletterbox": (UNLETTERBOXED,),
    "unframe": (UNFRAMED,),
    "crops": tuple(CROP_SCALES),
    "all": ALL_VARIANTS,
}
"""Names a setting may use for several variants at once."""

DEFAULT_VARIANTS = frozenset((ORIGINAL, *DIHEDRAL, UNLETTERBOXED, UNFRAMED))
"""A bank's variants unless it sets its own: see docs/matching-quality.md for why."""


def parse_variants(text: str | Iterable[str]) -> frozenset[str]:
    """A variant setting (``"dihedral,unletterbox"``: names or groups) as variant names.

    ``original`` is always included. Raises ``Invalid`` naming the unknown word.
    """
    words = text.split(",") if isinstance(text, str) else list(text)
    chosen = {ORIGINAL}
    for word in (w.strip().lower() for w in words):
        if not word:
            continue
        if word in GROUPS:
            chosen.update(GROUPS[word])
        elif word in ALL_VARIANTS:
            chosen.add(word)
        else:
            raise Invalid("unknown match variant {word}",
                          hint="use any of: {value}, separated by commas", word=trimmed(word),
                          value=', '.join((*GROUPS, *ALL_VARIANTS)))
    return frozenset(chosen)


def variants_text(variants: Iterable[str]) -> str:
    """The canonical spelling of a variant set (as stored on a bank): names in order."""
    chosen = set(variants) | {ORIGINAL}
    return ",".join(v for v in ALL_VARIANTS if v in chosen)


def bank_variants(stored: str | None) -> frozenset[str]:
    """A bank's variants from its stored setting (``None``: the default)."""
    return DEFAULT_VARIANTS if stored is None else parse_variants(stored)
