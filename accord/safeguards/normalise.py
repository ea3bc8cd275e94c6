# ruff: noqa: RUF002  (names, look-alikes and full-width forms in other scripts are the point)
"""Text as the personal-data detector reads it: one form however it was typed.

A partner who wants a name past the detector can type it in full-width forms
(``Ｊｏｈｎ``), with zero-width or bidi control characters inside it
(``Jo\u200bhn``), with Cyrillic or Greek look-alikes of Latin letters
(``Јоhn``, Cyrillic Je and o), or with digits of another script (``٠٦١٢``).
``normalised`` undoes all of these before any pattern is tried:

1. NFC, then each character's NFKC form (full-width and other compatibility
   forms become the plain letters and digits, ligatures are split);
2. format characters removed (Unicode category Cf: zero-width space and
   joiners, the bidi embeddings, overrides and isolates, the soft hyphen,
   the byte-order mark) along with the variation selectors;
3. every decimal digit written as its ASCII digit;
4. in a word that mixes Latin letters with Cyrillic or Greek ones, or that is
   made only of Cyrillic or Greek look-alikes of Latin letters in a text
   mostly written in Latin letters, those look-alikes replaced by the Latin
   letters (Unicode's confusables data, as the pinned ``confusable-homoglyphs``
   package ships it). Words in real
   Cyrillic or Greek, which hold letters with no Latin look-alike, are kept,
   for the Cyrillic patterns to read.

``Normalised.origin`` maps each position back to the text as typed, so a
finding can say where it is in what the partner wrote.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Normalised", "normalised", "skeleton"]

_SCRIPTS = ("CYRILLIC", "GREEK")


@lru_cache(maxsize=1)
def look_alikes() -> dict[str, str]:
    """Cyrillic and Greek letters that look like one ASCII letter, and that letter."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath(
        "confusables.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or not unicodedata.name(char, "").startswith(_SCRIPTS):
            continue
        for glyph in glyphs:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                table[char] = latin
                break
    return table


def _dropped(char: str) -> bool:
    """Format characters (zero-width, bidi controls, soft hyphen) and variation selectors."""
    return unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f"


@dataclass(frozen=True, slots=True)
class Normalised:
    """The text as the detector reads it, and where each of its characters was typed."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the typed text that ``text[start:end]`` came from."""
        if not self.origin:
            return 0, 0
        first = self.origin[min(start, len(self.origin) - 1)]
        last = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return first, last


def _compatible(text: str) -> tuple[list[str], list[int]]:
    """Steps 1-3: characters in NFKC form, format characters dropped, ASCII digits."""
    chars: list[str] = []
    origin: list[int] = []
    for at, char in enumerate(unicodedata.normalize("NFC", text)):
        if _dropped(char):
            continue
        for part in unicodedata.normalize("NFKC", char):
            if part.isdecimal() and not part.isascii():
                part = str(unicodedata.decimal(part))
            if not _dropped(part):
                chars.append(part)
                origin.append(at)
    return chars, origin


def _mostly_latin(chars: list[str]) -> bool:
    """Whether the text's Latin letters outnumber its Cyrillic and Greek ones."""
    latin = sum(1 for c in chars if c.isascii() and c.isalpha())
    other = sum(1 for c in chars if c.isalpha() and unicodedata.name(c, "").startswith(_SCRIPTS))
    return latin > other


def _fold_words(chars: list[str]) -> None:
    """Step 4, in place: look-alikes replaced in mixed words, and in look-alike-only
    words of a text mostly in Latin letters ("Тарас" stays Cyrillic in Cyrillic text)."""
    table = look_alikes()
    latin_text = _mostly_latin(chars)
    start = 0
    while start < len(chars):
        if not chars[start].isalpha():
            start += 1
            continue
        end = start
        while end < len(chars) and (chars[end].isalpha() or unicodedata.combining(chars[end])):
            end += 1
        word = chars[start:end]
        latin = any(c.isascii() for c in word)
        if any(c in table for c in word) and (latin or (latin_text and all(
                c in table for c in word if c.isalpha()))):
            chars[start:end] = [table.get(c, c) for c in word]
        start = end


def normalised(text: str) -> Normalised:
    """``text`` in the one form the detector reads (see the module docstring)."""
    chars, origin = _compatible(text)
    _fold_words(chars)
    return Normalised("".join(chars), tuple(origin))


def skeleton(name: str) -> str:
    """What a name looks like, for telling apart names a reader would take for the same:
    its normalised form (look-alike letters, full-width forms and invisible characters
    undone, every Cyrillic or Greek look-alike as its Latin letter), case-folded, with
    runs of spaces, hyphens and underscores as one space."""
    alike = look_alikes()
    folded = "".join(alike.get(c, c) for c in normalised(name).text).casefold()
    return " ".join(folded.replace("-", " ").replace("_", " ").split())
