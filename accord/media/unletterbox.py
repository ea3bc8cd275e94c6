"""Remove uniform borders (letterbox, pillarbox, padding) from a decoded picture.

A re-upload often carries bars the original never had: black letterboxing, a
white pad-to-square, a coloured frame. PDQ hashes the whole picture, so the
bars move the hash far from the original's; cropping them away first brings
it back. python-threatexchange's ``content_type/preprocess/unletterboxing.py``
(Meta, BSD licence) does this for black bars, one pixel row at a time through
Pillow; this is an independent numpy implementation of the same idea that
also takes bars of any uniform colour (each side's own), tolerates JPEG noise,
and never crops a picture down to nothing. :func:`unframe` loosens the rule to
take a picture out of a screenshot's frame.

The rule, per side, working inwards: a row (or column) is border when at least
``fraction`` of its pixels lie within ``tolerance`` (per channel) of that
side's border colour, the median colour of the outermost row. Top and bottom
are found first, then left and right within the remaining rows, so a
letterboxed and pillarboxed picture loses all four bars. With
``black_only=True`` and ``fraction=1.0`` the rule is pytx's: every pixel's
channels at or below ``tolerance``.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.media.image import MIN_IMAGE_SIDE, RGBArray

DEFAULT_TOLERANCE = 24
"""Per-channel distance from the border colour still counted as border (JPEG ringing)."""

DEFAULT_FRACTION = 0.98
"""Share of a row's pixels that must be border-coloured for the row to be border."""

MIN_KEPT = 0.2
"""Never keep less than this share of either side: below it the "border" is the picture."""

FRAME_RUN = 0.2
"""For :func:`unframe`: the longest stretch off the background a frame row may hold."""

FRAME_PASSES = 4

_CHUNK = 32  # rows tested per numpy step while walking inwards


@dataclass(frozen=True, slots=True)
class Borders:
    """Pixels removed from each side of a picture of ``width`` x ``height``."""

    top: int
    bottom: int
    left: int
    right: int
    width: int
    height: int

    @property
    def any(self) -> bool:
        """Whether anything is removed."""
        return bool(self.top or self.bottom or self.left or self.right)

    def describe(self) -> str:
        """``"unletterboxed 640x480: top 60, bottom 60, left 0, right 0"`` (provenance)."""
        return (f"unletterboxed {self.width}x{self.height}: top {self.top}, bottom "
                f"{self.bottom}, left {self.left}, right {self.right}")


def find_borders(rgb: RGBArray, *, tolerance: int = DEFAULT_TOLERANCE,
                 fraction: float = DEFAULT_FRACTION, black_only: bool = False) -> Borders:
    """The uniform bars around ``rgb`` (an ``(height, width, 3)`` uint8 array)."""
    return _borders(rgb, tolerance, fraction, black_only, None)


def _borders(rgb: RGBArray, tolerance: int, fraction: float, black_only: bool,
             run: float | None) -> Borders:
    height, width = rgb.shape[:2]
    none = Borders(0, 0, 0, 0, width, height)
    if min(height, width) < MIN_IMAGE_SIDE:
        return none
    pixels = rgb.astype(np.int16)
    top = _leading(pixels, tolerance, fraction, black_only, run)
    bottom = _leading(pixels[::-1], tolerance, fraction, black_only, run)
    if top + bottom >= height:  # one colour all over: nothing to unletterbox
        return none
    rows = pixels[top:height - bottom]
    left = _leading(rows.transpose(1, 0, 2), tolerance, fraction, black_only, run)
    right = _leading(rows[:, ::-1].transpose(1, 0, 2), tolerance, fraction, black_only,
                     run)
    kept_h, kept_w = height - top - bottom, width - left - right
    if (kept_w <= 0 or kept_h < max(MIN_IMAGE_SIDE, MIN_KEPT * height)
            or kept_w < max(MIN_IMAGE_SIDE, MIN_KEPT * width)):
        return none
    return Borders(top, bottom, left, right, width, height)


def unletterbox(rgb: RGBArray, *, tolerance: int = DEFAULT_TOLERANCE,
                fraction: float = DEFAULT_FRACTION, black_only: bool = False
                ) -> tuple[RGBArray, Borders]:
    """``rgb`` without its uniform bars (a view, not a copy), and the bars removed."""
    found = find_borders(rgb, tolerance=tolerance, fraction=fraction, black_only=black_only)
    if not found.any:
        return rgb, found
    cropped = rgb[found.top:found.height - found.bottom, found.left:found.width - found.right]
    return cropped, found


def unframe(rgb: RGBArray, *, tolerance: int = DEFAULT_TOLERANCE,
            run: float = FRAME_RUN, passes: int = FRAME_PASSES
            ) -> tuple[RGBArray, Borders]:
    """``rgb`` without the frame around a picture pasted into a larger image (a screenshot).

    :func:`unletterbox` with another rule for a border row: no stretch of
    pixels off the side's background colour longer than ``run`` of the row (a
    line of text is many short stretches, a picture's row one long one),
    repeated up to ``passes`` times so that bands of different colours (a dark
    status bar above a white page) come off one after another. The total
    removed is returned against the original size.
    """
    height, width = rgb.shape[:2]
    top = bottom = left = right = 0
    inner = rgb
    for _ in range(passes):
        found = _borders(inner, tolerance, 0.0, False, run)
        if not found.any:
            break
        inner = inner[found.top:found.height - found.bottom,
                      found.left:found.width - found.right]
        top, bottom = top + found.top, bottom + found.bottom
        left, right = left + found.left, right + found.right
    return inner, Borders(top, bottom, left, right, width, height)


def _leading(pixels: npt.NDArray[np.int16], tolerance: int, fraction: float,
             black_only: bool, run: float | None) -> int:
    """How many leading rows of ``pixels`` (rows, columns, 3) are border rows: rows with
    ``fraction`` of their pixels near the reference colour, or (``run`` given) with no
    stretch off it longer than ``run`` of the row."""
    reference = (np.zeros(3, dtype=np.int16) if black_only
                 else np.median(pixels[0], axis=0).astype(np.int16))
    total = pixels.shape[0]
    if run is not None and (np.abs(pixels[0] - reference).max(axis=1) <= tolerance).mean() < 0.9:
        return 0  # a frame starts with a plain row: this side begins in the picture
    start = 0
    while start < total:
        block = pixels[start:start + _CHUNK]
        near = np.abs(block - reference).max(axis=2) <= tolerance
        if run is None:
            failing = np.flatnonzero(near.mean(axis=1) < fraction)
        else:
            failing = np.flatnonzero(_longest_off(near) > run * near.shape[1])
        if failing.size:
            return start + int(failing[0])
        start += block.shape[0]
    return int(total)


def _longest_off(near: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Per row of a boolean array, the longest stretch of False."""
    rows, length = near.shape
    # Positions of the "near" pixels, with sentinels at both ends; gaps between them
    # are the stretches off the colour.
    padded = np.ones((rows, length + 2), dtype=bool)
    padded[:, 1:-1] = near
    out = np.zeros(rows, dtype=np.int64)
    for index in range(rows):
        positions = np.flatnonzero(padded[index])
        out[index] = int(np.diff(positions).max()) - 1
    return out
