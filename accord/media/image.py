"""Decode an untrusted still image into RGB pixels, safely and the same way every time.

Safety: the pixel count from the header is checked *before* pixels are decoded,
and Pillow's own ``MAX_IMAGE_PIXELS`` guard is set to the same limit as a
second line of defence. Pillow's ``DecompressionBombWarning`` is turned into an
error (:class:`DecompressionBomb`) rather than left to print.

Colour: every mode ends as 8-bit RGB. Alpha is dropped, not composited, as the
PDQ reference implementations do (C++, Java and python-threatexchange agree on
``LA.png``). CMYK, palette and 1-bit images go through Pillow's converters,
which handle Adobe's inverted CMYK. 16-bit grey is scaled (high byte), not
clipped: ``convert("RGB")`` clips it, which turns most of the picture white.

Orientation: an EXIF ``Orientation`` tag (2-8) is applied, so a phone photo
stored sideways with a "rotate 90" tag gives the pixels people see. A tag that
cannot be read counts as "upright". ``--dihedral`` still covers copies whose
pixels really are rotated.

Reduced decoding (``min_side``): a large image can be decoded at 1/2, 1/4 or
1/8 of its size, the largest reduction that keeps both sides at least
``min_side`` pixels. JPEGs are reduced in the DCT domain while they decode
(libjpeg's scaled IDCT, through Pillow's ``draft``), which skips most of the
decoding work; other formats are decoded in full, turned into RGB as above,
and box-averaged (``Image.reduce``). :data:`FAST_MIN_SIDE` and the bit
differences it costs PDQ are measured in ``docs/signal-types.md`` ("Hashing
speed").
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import numpy.typing as npt
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from accord.media.errors import CorruptMedia, DecompressionBomb, MediaTooSmall, UnsupportedMedia
from accord.media.source import Media

MIN_IMAGE_SIDE = 8
"""Images narrower or shorter than this many pixels carry no usable perceptual detail."""

FAST_MIN_SIDE = 512
"""Reduced decoding keeps both sides at least this long: PDQ then lands within the
documented bound of the full decode (at 256 it does not)."""

REDUCTIONS = (8, 4, 2)
"""The scales libjpeg can decode at, largest first."""

RGBArray = npt.NDArray[np.uint8]

_SIXTEEN_BIT_GREY = frozenset({"I;16", "I;16B", "I;16L", "I;16N"})


def decode_image(media: Media, *, min_side: int | None = None) -> RGBArray:
    """The first frame of ``media``, upright, as an ``(height, width, 3)`` uint8 array.

    With ``min_side``, a large image is decoded at reduced scale (see the module
    docstring); without it, every pixel is decoded.
    """
    limit = media.limits.max_image_pixels
    image = _open(media, limit)
    width, height = image.size
    if width * height > limit:
        raise _bomb(media.name, width, height, limit)
    if min(width, height) < MIN_IMAGE_SIDE:
        raise MediaTooSmall("{name}: image is {width}x{height} pixels; perceptual hashing needs "
                            "at least {min_image_side}x{min_image_side}", name=media.name,
                            width=width, height=height, min_image_side=MIN_IMAGE_SIDE)
    factor = reduction(width, height, min_side) if min_side else 1
    try:
        if factor > 1 and min_side and image.draft(None, (min_side, min_side)) is not None:
            factor = 1  # a JPEG: libjpeg decodes at 1/factor (draft applies the same rule)
        image.load()
        rgb = to_rgb(upright(image))
        if factor > 1:  # averaged after alpha is dropped, as the exact path drops it
            rgb = np.asarray(Image.fromarray(rgb).reduce(factor))
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise CorruptMedia("{name}: image data does not decode ({err})", name=media.name,
                           err=err) from err
    media.deadline.check("decoding the image")
    return rgb


def reduction(width: int, height: int, min_side: int) -> int:
    """The largest of 8, 4, 2 that keeps both sides at least ``min_side``, else 1.

    The same rule as Pillow's JPEG ``draft``, so that JPEGs and other formats
    are reduced alike.
    """
    scale = min(width // min_side, height // min_side)
    return next((factor for factor in REDUCTIONS if scale >= factor), 1)


def upright(image: Image.Image) -> Image.Image:
    """``image`` turned as its EXIF ``Orientation`` tag says (itself when there is none)."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, TypeError):
        return image  # unreadable EXIF: treated as upright rather than failing the image
    if orientation not in range(2, 9):
        return image
    return ImageOps.exif_transpose(image)


def to_rgb(image: Image.Image) -> RGBArray:
    """Pixels of a loaded image of any Pillow mode as 8-bit RGB (see module docstring)."""
    mode = image.mode
    if mode == "RGB":
        return np.asarray(image)
    if mode in _SIXTEEN_BIT_GREY or mode == "I":
        return _grey_to_rgb(_wide_grey_to_8bit(np.asarray(image)))
    if mode == "F":
        return _grey_to_rgb(np.clip(np.asarray(image), 0, 255).astype(np.uint8))
    try:
        return np.asarray(image.convert("RGB"))
    except ValueError as err:
        raise UnsupportedMedia("image colour mode {mode!r} cannot be converted to RGB",
                               mode=mode) from err


def _open(media: Media, limit: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = limit
    # Pillow warns (rather than fails) between 1x and 2x its limit; make that an
    # error here. filterwarnings replaces an identical filter, so this is idempotent.
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    try:
        return Image.open(io.BytesIO(media.data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise DecompressionBomb("{name}: image header claims more than the limit of {limit} "
                                "pixels (max_image_pixels); Pillow: {err}",
                                hint="raise ACCORD_MAX_IMAGE_PIXELS if such images are expected",
                                name=media.name, limit=limit, err=err) from err
    except UnidentifiedImageError as err:
        if media.data[4:8] == b"ftyp":  # HEIF family: a real format this build cannot read
            raise UnsupportedMedia("{name}: HEIF images cannot be decoded",
                                   name=media.name) from err
        raise CorruptMedia("{name}: starts like an image but its header does not decode",
                           name=media.name) from err
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise CorruptMedia("{name}: image header does not decode ({err})", name=media.name,
                           err=err) from err


def _bomb(name: str, width: int, height: int, limit: int) -> DecompressionBomb:
    return DecompressionBomb("{name}: image is {width}x{height} = {pixels} pixels, over the "
                             "limit of {limit} (max_image_pixels)",
                             hint="raise ACCORD_MAX_IMAGE_PIXELS if such images are expected",
                             name=name, width=width, height=height, pixels=width * height,
                             limit=limit)


def _wide_grey_to_8bit(pixels: npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    # 16-bit samples keep their high byte; 32-bit "I" images are read as 16-bit
    # when any sample needs more than 8 bits, else taken as they are.
    wide = np.clip(pixels.astype(np.int64), 0, 65535)
    if wide.max(initial=0) > 255 or pixels.dtype.itemsize == 2:
        wide >>= 8
    return wide.astype(np.uint8)


def _grey_to_rgb(grey: npt.NDArray[np.uint8]) -> RGBArray:
    return np.repeat(grey[:, :, np.newaxis], 3, axis=2)
