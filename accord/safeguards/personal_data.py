# ruff: noqa: RUF002  (names, look-alikes and full-width forms in other scripts are the point)
"""The personal-data detector for every free text Accord stores or shares.

Accord never carries information about individual people (DESIGN.md section
10), so every free text written into a record passes through ``check_text``
(by way of ``accord.safeguards.free_text``, the one entry every service
calls), which refuses it with ``PersonalDataFound`` naming the field, the kind
of data found and where (never the value found, not even masked).

The text is first put in one form (``accord.safeguards.normalise``: NFKC,
zero-width and bidi controls removed, Cyrillic and Greek look-alikes of Latin
letters folded, every digit as an ASCII digit), so ``Ｊｏｈｎ Ｓｍｉｔｈ``,
``Jo\u200bhn`` and ``Јоhn`` read as ``John``. Then it looks for:

- e-mail addresses (a regular expression);
- phone numbers: Google's libphonenumber rules (the pinned ``phonenumbers``
  package) for international numbers and for national numbers of the
  regions in ``PHONE_REGIONS``, plus ``+``/``00`` and 8-15 digits, and
  national-format groups of digits (``(020) 7946 0958``, ``0612 345 678``);
- handles: ``@name`` accounts on social platforms and messaging apps
  (``@someone``, ``t.me/someone``);
- passport numbers: a passport keyword (passport, passeport, pasaporte,
  护照, جواز) followed by a 6-9 character number, the common shape of one or
  two capital letters and 6-8 digits (``X1234567``), and machine-readable zone
  lines (``P<GBR...``);
- national identity numbers: an identity keyword (national ID, identity card,
  ID number, SSN, 身份证, الرقم الوطني...) followed by a number, the 18-character
  Chinese resident ID shape, the US SSN shape and any run of 9 or more digits;
- dates of birth: a birth keyword (born, DOB, date of birth, né(e), 出生, مواليد,
  تاريخ الميلاد) followed within a few words by a date or a year;
- personal names in Latin, Han, Cyrillic and Arabic script and their
  transliterations (``accord.safeguards.names``; its rates on Accord's test
  list are in docs/safeguards.md).

Limits (a detector, not a guarantee): it cannot tell a person's name without
these shapes (a lone surname, a name in lower case, transliterations it does
not know, names in other scripts); it flags some harmless text (an
organisation named after a person) — names of entities and partners stored
on this node are exempt, so organisations such as "Abu Sayyaf Group" are not
refused once recorded as entities; phone-number and ID shapes overlap, so a
long reference number is refused as an identity number (write references as
Accord object references instead, e.g. ``incident:12``). Hash values
(hexadecimal) are not mistaken for numbers: digit runs inside longer words do
not count.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from accord.errors import Joined, Phrase, Unprocessable
from accord.safeguards.normalise import Normalised, normalised

__all__ = ["Finding", "PersonalDataFound", "check_text", "find_personal_data", "mask"]

# National formats tried besides international ones (+ and a country code).
PHONE_REGIONS = (None, "US", "GB", "FR", "DE", "ES", "IT", "NL", "BE", "RU", "UA", "TR", "CN",
                 "IN", "PK", "BD", "ID", "PH", "SA", "AE", "EG", "IQ", "SY", "JO", "MA", "DZ",
                 "NG", "KE", "AF", "KZ", "UZ")
# A date or a number range is not a phone number, whatever a region's format allows.
_NOT_PHONE = re.compile(r"\(?\d{4}-\d{1,2}-\d{1,2}|\d{4}\s*[-/]\s*\d{2,4}|\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of text that looks like personal data: its kind and where it was typed."""

    kind: str
    start: int
    end: int

    @property
    def masked(self) -> str:
        """The finding as stars, one per character (at most 8): never the value itself."""
        return "*" * min(max(self.end - self.start, 1), 8)


KIND_WORDS: dict[str, Phrase] = {phrase.template: phrase for phrase in (
    Phrase("an e-mail address"), Phrase("a social media or messaging handle"),
    Phrase("a passport number"), Phrase("a passport machine-readable line"),
    Phrase("a national identity number"), Phrase("a phone number"),
    Phrase("an identity or phone number"), Phrase("a date of birth"),
    Phrase("a personal name (Latin script)"),
    Phrase("a personal name (Cyrillic script or its transliteration)"),
    Phrase("a personal name (Arabic, transliterated)"),
    Phrase("a personal name (Arabic script)"), Phrase("a personal name (Han script)"))}
"""Each kind of finding as a phrase its error's reader gets in their language."""


def kind_words(kind: str) -> Phrase | str:
    """``kind`` as a translatable phrase (as it is, for a kind the table lacks)."""
    return KIND_WORDS.get(kind, kind)


class PersonalDataFound(Unprocessable):
    """Free text holds what looks like data on a person; it was not stored (HTTP 422).

    The message names the field, the kinds found and where they are (character
    positions in the text as given), never the value found.
    """

    title = "Personal data refused"

    def __init__(self, field: str, findings: list[Finding]) -> None:
        kinds = list(dict.fromkeys(f.kind for f in findings))
        shown = Joined("; ", [Phrase("{kind} at characters {start}-{end}", kind=kind_words(f.kind),
                                     start=f.start + 1, end=f.end) for f in findings[:5]])
        named = Joined(", ", map(kind_words, kinds))
        hint = ("Accord carries no information about individual people: remove {kinds} and "
                "refer to Accord objects instead (entity:REF, incident:ID, signal:ID)")
        if len(findings) > 5:
            super().__init__("the {field} looks like it holds personal data: {found} and "
                             "{more} more", hint=hint, field=field, found=shown,
                             more=len(findings) - 5, kinds=named)
        else:
            super().__init__("the {field} looks like it holds personal data: {found}",
                             hint=hint, field=field, found=shown, kinds=named)
        self.field = field
        self.findings = findings
        self.kinds = kinds


def mask(text: str) -> str:
    """The first two characters of ``text``, the rest as ``*`` (at most 8 shown)."""
    text = text.strip()
    visible = text[:2]
    return visible + "*" * min(max(len(text) - 2, 1), 6)


_BOUND_L = r"(?<![\w+])"
_BOUND_R = r"(?![\w])"
_DATE = (r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}"
         r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|(?:19|20)\d{2})")

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an e-mail address",
     re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a social media or messaging handle",
     re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{3,30}\b(?![.@(]\w?)"
                r"|\b(?:t\.me|telegram\.me|wa\.me|x\.com|twitter\.com|instagram\.com"
                r"|tiktok\.com/@?|facebook\.com|vk\.com)/[A-Za-z0-9_.]{3,}")),
    ("a passport number",
     re.compile(r"(?i:passport|passeport|pasaporte|reisepass|паспорт|护照|護照|جواز(?:\s+السفر)?)"
                r"(?:\s*(?:no\.?|number|num|n°|#|№|номер|号码|号|رقم))?\s*[:#]?\s*"
                r"[A-Z0-9]{6,9}" + _BOUND_R)),
    ("a passport machine-readable line",
     re.compile(r"P<[A-Z]{3}[A-Z<]{5,}")),
    ("a passport number",
     re.compile(_BOUND_L + r"[A-Z]{1,2}\d{6,8}" + _BOUND_R)),
    ("a national identity number",
     re.compile(r"(?i:national\s+id(?:entity)?(?:\s+(?:card|number|no\.?))?|identity\s+card"
                r"|id\s+(?:card|number|no\.?)|ssn|social\s+security\s+number|身份证(?:号码?)?"
                r"|الرقم\s+الوطني|بطاقة\s+الهوية|رقم\s+الهوية)\s*[:#]?\s*[A-Z0-9-]{5,}")),
    ("a national identity number",
     re.compile(_BOUND_L + r"\d{17}[\dXx]" + _BOUND_R)),
    ("a national identity number",
     re.compile(_BOUND_L + r"\d{3}-\d{2}-\d{4}" + _BOUND_R)),
    ("a phone number",
     re.compile(_BOUND_L + r"(?:\+|00)\d(?:[\s.()-]{0,2}\d){7,14}" + _BOUND_R)),
    ("a phone number",
     re.compile(_BOUND_L + r"\(?0\d{1,4}\)?(?:[\s.-]\d{2,4}){2,4}" + _BOUND_R)),
    ("an identity or phone number",
     re.compile(_BOUND_L + r"\d{9,}" + _BOUND_R)),
    ("a date of birth",
     re.compile(r"(?i:\bborn\b|\bd\.?o\.?b\.?|date\s+of\s+birth|\bnée?\b|出生(?:日期|于|於)?"
                r"|родил(?:ся|ась)|дата\s+рождения"
                r"|مواليد|تاريخ\s+الميلاد|من\s+مواليد)\s*(?:on|in|le|:)?\s*" + _DATE)),
)
_PHONE_DIGITS = 7  # fewer digits than this in a text: no phone number to look for


# Stretches that could be a phone number: digits with separators, 7 digits or more.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d(?!\w)")


def _phones(text: str) -> list[tuple[int, int]]:
    """Phone numbers by libphonenumber's rules, international and national formats (only
    the stretches of digits are handed to it: the whole text would cost 30 times more)."""
    import phonenumbers  # loaded on the first check: a command that checks nothing starts faster

    spans: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in run.group()) < _PHONE_DIGITS or _NOT_PHONE.fullmatch(
                run.group().strip()):
            continue
        for region in PHONE_REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(run.group(), region,
                                                         leniency=phonenumbers.Leniency.VALID):
                if not _NOT_PHONE.fullmatch(match.raw_string):
                    spans.append((run.start() + match.start, run.start() + match.end))
    return spans


@lru_cache(maxsize=8)
def _exempt_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for the allowed names, normalised, longest first (read once per set)."""
    forms = sorted({normalised(a).text.strip() for a in names if len(a.strip()) >= 3},
                   key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)), re.IGNORECASE) if forms else None


def _exempt(text: str, allowed: Iterable[str]) -> str:
    """``text`` with each allowed name (entities, partners) blanked, keeping offsets."""
    pattern = _exempt_pattern(frozenset(allowed))
    return pattern.sub(lambda m: " " * len(m.group(0)), text) if pattern else text


# Ids that hold digit runs but say nothing of a person: UUIDs (STIX and MISP ids).
_IDS = re.compile(r"\b[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b")


_URL = re.compile(r"\bhttps?://\S+")
# Kinds that a URL's digits (a post or page id) are not: ``_spans`` drops them there.
_NUMBERS = frozenset({"a passport number", "a national identity number", "a phone number",
                      "an identity or phone number"})


def _spans(text: str, place: bool) -> list[tuple[str, int, int]]:
    """(kind, start, end) of everything in normalised ``text`` that looks like personal data."""
    from accord.safeguards.names import find_names  # its tables load on the first check

    text = _IDS.sub(lambda m: " " * len(m.group(0)), text)
    urls = [m.span() for m in _URL.finditer(text)]
    found = [(kind, m.start(), m.end()) for kind, pattern in PATTERNS
             for m in pattern.finditer(text)]
    found += [("a phone number", start, end) for start, end in _phones(text)]
    if urls:
        found = [f for f in found if f[0] not in _NUMBERS
                 or not any(s <= f[1] and f[2] <= e for s, e in urls)]
    found += [(kind, start, end) for start, end, kind in find_names(text, place=place)]
    return found


def find_personal_data(text: str, allowed: Iterable[str] = (), *,
                       place: bool = False) -> list[Finding]:
    """Every stretch of ``text`` that looks like personal data, by position in ``text``.

    ``text`` is normalised first (``accord.safeguards.normalise``); positions are those
    of the text as given. ``allowed`` names (of entities and partners on this node)
    are never flagged. ``place``: the text names a place or a group
    (``accord.safeguards.names.find_names``).
    """
    norm: Normalised = normalised(text)
    taken: list[tuple[int, int]] = []
    found: list[Finding] = []
    for kind, start, end in _spans(_exempt(norm.text, allowed), place):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        first, last = norm.span(start, end)
        found.append(Finding(kind, first, last))
    return sorted(found, key=lambda f: f.start)


def check_text(field: str, text: str, allowed: Iterable[str] = (), *,
               place: bool = False) -> str:
    """``text``, stripped, or ``PersonalDataFound`` naming what looks like personal data."""
    text = text.strip()
    findings = find_personal_data(text, allowed, place=place)
    if findings:
        raise PersonalDataFound(field, findings)
    return text
