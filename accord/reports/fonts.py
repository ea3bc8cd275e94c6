"""The fonts reports are set in, for PDFs and charts, and the one switch that makes
matplotlib use them.

Three installed font packages (SIL Open Font License 1.1, all embedded as subsets in
each PDF) cover the six UN languages between them:

========================  ================================  =========================
family                    package (pinned in pyproject)     scripts
========================  ================================  =========================
Noto Sans                 ``fontpkg-noto-sans``             Latin, Cyrillic, Greek
Noto Sans Arabic          ``fontpkg-noto-sans-arabic``      Arabic
Noto Sans SC              ``pylopdf-fonts-zh-cn``           Han (Simplified Chinese)
========================  ================================  =========================

matplotlib (3.11, with libraqm) falls back from one family of ``FAMILIES`` to the next
glyph by glyph, and shapes Arabic (joining forms, ligatures) and lays it out right to
left itself, so no reshaping is done here. Free text never reaches mathtext: a ``$``
in a place name or a partner's name is drawn as a dollar sign (``text.parse_math``).

:func:`use` is called by every function that draws (charts, PDF pages), not at import:
it registers the font files with matplotlib once and sets the defaults.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import pylopdf_fonts_zh_cn

FAMILIES = ("Noto Sans", "Noto Sans Arabic", "Noto Sans SC")
"""The fallback order: Latin and Cyrillic first, then Arabic, then Han."""
_FIRST = {"ar": "Noto Sans Arabic", "zh_Hans": "Noto Sans SC"}
"""The family a language's text is set in first (each also has Latin and digits): a
line of Arabic laid out in one font keeps its spaces where they belong."""

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def families(locale: str) -> list[str]:
    """The fallback order for text in ``locale``: its own script's family first."""
    first = _FIRST.get(locale)
    return [first, *(f for f in FAMILIES if f != first)] if first else list(FAMILIES)


def apply(fig: Figure, locale: str) -> Figure:
    """Set every text of ``fig`` (titles, axes, ticks, legends) in ``locale``'s order of
    families. Per figure, not through rcParams: reports in several languages may be drawn
    at once in a server's threads."""
    from matplotlib.text import Text

    order = families(locale)
    for ax in fig.axes:
        ax.tick_params(labelfontfamily=order)
    for text in fig.findobj(Text):
        text.set_fontfamily(order)
        text.set_text(drawable(text.get_text()))
    return fig


def font_files() -> tuple[Path, ...]:
    """The font files, in the order of ``FAMILIES``."""
    return (fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf",
            fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf",
            pylopdf_fonts_zh_cn.sans_path())


@cache
def use() -> None:
    """Register the fonts with matplotlib and make them, without mathtext, the default."""
    from matplotlib import font_manager, rcParams

    for path in font_files():
        font_manager.fontManager.addfont(str(path))
    rcParams["font.family"] = list(FAMILIES)
    rcParams["text.parse_math"] = False
    rcParams["axes.unicode_minus"] = False  # U+2212 is in every font, but "-" reads the same
    rcParams["svg.fonttype"] = "path"  # SVG charts carry their glyphs: no font needed to view
    rcParams["pdf.fonttype"] = 3  # subsets of the glyphs used; Type 42 is ten times slower


@cache
def coverage() -> frozenset[int]:
    """Every code point some font of ``FAMILIES`` has a glyph for."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in font_files():
        with TTFont(str(path), lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


def drawable(text: str) -> str:
    """``text`` as it can be drawn: a line break or tab becomes a space, and a character no
    report font has (a control character, a script not shipped) becomes "?", not a box."""
    have = coverage()
    return "".join(" " if ch in "\n\r\t" else ch if ord(ch) in have else "?" for ch in text)


def missing(text: str) -> set[str]:
    """The characters of ``text`` no report font can draw (they would print as boxes);
    line breaks and tabs are not drawn and never missing."""
    have = coverage()
    return {ch for ch in text if ch not in "\n\r\t" and ord(ch) not in have}
