"""A signal's value hashed from a file on the contributor's side, with what was done first.

``accord signal add BANK pdq --file F`` hashes F as ``accord hash`` would.
With ``unletterbox`` the picture's uniform bars are removed before PDQ
(:mod:`accord.media.unletterbox`), and the signal's provenance records it
(``Signal.preprocessing``: "unletterboxed 640x480: top 60, ..."), so that a
partner reading the signal knows its hash is of the picture without its bars,
not of the file as it circulates. Query-side matching unletterboxes uploads
too (``accord.matching.variants``), so either hash is found.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.config import Settings
from accord.errors import Invalid
from accord.media.image import decode_image
from accord.media.limits import MediaLimits
from accord.media.sniff import MediaKind
from accord.media.source import load_media
from accord.media.unletterbox import unletterbox
from accord.signals.hashing import hash_file
from accord.signals.pdq import PdqSignal, pdq_hash


@dataclass(frozen=True, slots=True)
class FileSignal:
    """A value hashed from a file, its quality, and the preprocessing done first."""

    value: str
    quality: int | None
    preprocessing: str = ""


def hash_for_signal(source: Path | bytes, signal_type: str, settings: Settings, *,
                    unletterboxed: bool = False, name: str | None = None) -> FileSignal:
    """The ``signal_type`` value of a file (``unletterboxed``: PDQ of the picture without
    its bars). Raises ``Invalid`` when the type does not hash this file."""
    kind = signal_type.strip().lower()
    if unletterboxed and kind != PdqSignal.name:
        raise Invalid("--unletterbox applies to pdq signals, not {kind}",
                      hint="leave --unletterbox out for this type", kind=kind)
    if not unletterboxed:
        [result] = [r for r in hash_file(source, settings=settings, types=[kind], name=name)
                    if r.variant is None]
        return FileSignal(result.value, result.quality)
    media = load_media(source, MediaLimits.from_settings(settings), name=name)
    if media.kind is not MediaKind.IMAGE:
        raise Invalid("{name}: --unletterbox needs an image, but the file is {kind}",
                      name=media.name, kind=media.kind.value)
    inner, borders = unletterbox(decode_image(media))
    value, quality = pdq_hash(np.ascontiguousarray(inner))
    note = borders.describe() if borders.any else "unletterboxed: no bars found"
    return FileSignal(value, quality, note)
