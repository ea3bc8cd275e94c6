"""A personal-data detector for the free text partners write (requests, liaison records).

Accord never carries information about individual people (DESIGN.md section
10), so every free text written into a record passes through ``check_text``
(by way of ``accord.safeguards.free_text.checked_text``), which refuses it with
``PersonalDataFound`` naming what it found (the kind and a masked excerpt,
never the value in full).

What it looks for, and how:

- e-mail addresses (a regular expression);
- phone numbers: ``+`` or ``00`` followed by 8-15 digits, or national-format
  groups of digits (``(020) 7946 0958``, ``0612 345 678``) of 8-15 digits;
- passport numbers: a passport keyword (passport, passeport, pasaporte,
  护照, جواز) followed by a 6-9 character number, the common shape of one or
  two capital letters and 6-8 digits (``X1234567``), and machine-readable zone
  lines (``P<GBR...``);
- national identity numbers: an identity keyword (national ID, identity card,
  ID number, SSN, 身份证, الرقم الوطني...) followed by a number, the 18-character
  Chinese resident ID shape, the US SSN shape and any run of 9 or more digits;
- dates of birth: a birth keyword (born, DOB, date of birth, né(e), 出生, مواليد,
  تاريخ الميلاد) followed within a few words by a date or a year;
- personal names in Latin script: a known given name (the ``gender-guesser``
  list of about 40,000 given names from many countries) followed by a
  capitalised word that is not a place or organisation noun (Basin, Falls,
  Group...), the given name not being a country's name (Chad, Jordan, Georgia:
  from ``pycountry``), or an honorific (Mr, Mrs, Ms, Dr, Sheikh, Imam, Mullah,
  Emir...) followed by a capitalised word, or "named"/"called" followed by one;
- personal names in Han script: a common Chinese surname (the 100 commonest)
  followed by one or two Han characters and a title (先生, 女士, 小姐, 同志,
  教授, 博士, 某), or after a naming word (名叫, 叫做, 姓名, 嫌疑人, 嫌犯);
- personal names in Arabic script: a name particle (أبو, ابن, بن, بنت, أم, عبد)
  or an honorific (السيد, الشيخ, الأستاذ, الدكتور, الإمام) followed by a word.

Limits (a detector, not a guarantee): it cannot tell a person's name without
these shapes (a lone surname, a name in lower case, transliterations it does
not know, names in other scripts); it flags some harmless text (a month
"May" before a capitalised word, an organisation named after a person) —
names of entities and partners stored on this node are exempt, so
organisations such as "Abu Sayyaf Group" are not refused once recorded as
entities; phone-number and ID shapes overlap, so a long reference number is
refused as an identity number (write references as Accord object references
instead, e.g. ``incident:12``). Hash values (hexadecimal) are not mistaken for
numbers: digit runs inside longer words do not count.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from accord.errors import Invalid


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of text that looks like personal data: its kind, place and a masked excerpt."""

    kind: str
    start: int
    end: int
    masked: str


class PersonalDataFound(Invalid):
    """Free text holds what looks like data on a person; it was not stored."""

    title = "Personal data refused"

    def __init__(self, field: str, findings: list[Finding]) -> None:
        kinds = sorted({f.kind for f in findings})
        shown = "; ".join(f"{f.kind} at characters {f.start}-{f.end} ({f.masked})"
                          for f in findings[:5])
        super().__init__(
            f"the {field} looks like it holds personal data: {shown}",
            hint="Accord carries no information about individual people: remove "
            + ", ".join(kinds)
            + " and refer to Accord objects instead (entity:REF, incident:ID, signal:ID)",
        )
        self.field = field
        self.findings = findings


def mask(text: str) -> str:
    """The first two characters of ``text``, the rest as ``*`` (at most 8 shown)."""
    text = text.strip()
    visible = text[:2]
    return visible + "*" * min(max(len(text) - 2, 1), 6)


_BOUND_L = r"(?<![\w+])"
_BOUND_R = r"(?![\w])"
_DATE = (r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}"
         r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|(?:19|20)\d{2})")
_HAN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_LATIN_HONORIFICS = (r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Mme|Mlle|M|Herr|Frau|Sr|Sra|Sheikh|"
                     r"Shaykh|Imam|Mullah|Mufti|Emir|Amir|Maulana|Sayyid|Hajji|Haji")
_CAP_WORD = r"[A-Z][a-z'\u2019-]+(?:[A-Z][a-z]+)?"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an e-mail address",
     re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a passport number",
     re.compile(r"(?i:passport|passeport|pasaporte|reisepass|护照|護照|جواز(?:\s+السفر)?)"
                r"(?:\s*(?:no\.?|number|num|n°|#|号码|号|رقم))?\s*[:#]?\s*[A-Z0-9]{6,9}"
                + _BOUND_R)),
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
                r"|مواليد|تاريخ\s+الميلاد|من\s+مواليد)\s*(?:on|in|le|:)?\s*" + _DATE)),
    ("a personal name (Latin script)",
     re.compile(r"\b(?:" + _LATIN_HONORIFICS + r")\.?\s+" + _CAP_WORD)),
    ("a personal name (Latin script)",
     re.compile(r"\b(?:named|called|alias|aka|a\.k\.a\.)\s+" + _CAP_WORD)),
    ("a personal name (Han script)",
     re.compile("[" + _HAN_SURNAMES + r"][\u4e00-\u9fff]{0,2}"
                r"(?:先生|女士|小姐|同志|教授|博士|某)")),
    ("a personal name (Han script)",
     re.compile(r"(?:名叫|叫做|姓名|嫌疑人|嫌犯|犯罪嫌疑人)[:\uff1a\s]*[\u4e00-\u9fff]{2,4}")),
    ("a personal name (Arabic script)",
     re.compile(r"(?<![\u0600-\u06ff])(?:(?:أبو|ابو|ابن|بن|بنت|أم|ام|السيد|الشيخ|الأستاذ"
                r"|الاستاذ|الدكتور|الإمام|الامام)\s+|عبد\s*(?=ال))[\u0621-\u064a]{2,}")),
)
# A Latin given name followed by a capitalised word: checked against the name list.
# A lookahead, so that "Is John Smith" tries "John Smith" too.
_NAME_PAIR = re.compile(r"\b(" + _CAP_WORD + r")(?=(\s+" + _CAP_WORD + r")\b)")
_GIVEN = frozenset({"male", "female", "mostly_male", "mostly_female", "andy"})


@lru_cache(maxsize=1)
def _given_names() -> object:
    """The given-name list (loaded once, about 0.2 s)."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=True)


def _is_given_name(word: str) -> bool:
    detector = _given_names()
    return detector.get_gender(word) in _GIVEN  # type: ignore[attr-defined]


# Words that, after a given name, make a place or an organisation ("Chad Basin",
# "Victoria Falls", "Jordan Valley Brigade"), not a person.
_NOT_SURNAMES = frozenset(
    ["Basin", "Valley", "Region", "Province", "State", "Falls", "Lake", "River", "Sea",
     "Coast", "Mountains", "Desert", "Corridor", "Strait", "Islands", "Island", "Delta",
     "Highlands", "Peninsula", "Gulf", "Border", "District", "County", "City", "Forum",
     "Group", "Front", "Brigade", "Movement", "Network", "Army", "Party", "Council", "Agency",
     "Platform", "Foundation", "Institute", "University", "Programme", "Program", "Initiative",
     "Declaration", "Accord", "Process", "Protocol", "Convention", "Resolution", "Day",
     "Period"])


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Country names (ISO 3166, via pycountry) that are also given names: Chad, Jordan..."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            names.update(getattr(country, attr, "").split())
    return frozenset(names)


def _is_person_pair(first: str, second: str) -> bool:
    """A given name followed by a word that is not a place or organisation noun."""
    return (_is_given_name(first) and second not in _NOT_SURNAMES
            and first not in _country_words())


def _exempt(text: str, allowed: Iterable[str]) -> str:
    """``text`` with each allowed name (entities, partners) blanked, keeping offsets."""
    for name in sorted({a for a in allowed if len(a.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(name), lambda m: " " * len(m.group(0)), text,
                      flags=re.IGNORECASE)
    return text


def find_personal_data(text: str, allowed: Iterable[str] = ()) -> list[Finding]:
    """Every stretch of ``text`` that looks like personal data, by position.

    ``allowed`` names (of entities and partners on this node) are never flagged.
    """
    scanned = _exempt(text, allowed)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, start, end, mask(text[start:end])))

    for kind, pattern in PATTERNS:
        for match in pattern.finditer(scanned):
            add(kind, match.start(), match.end())
    for match in _NAME_PAIR.finditer(scanned):
        if _is_person_pair(match.group(1), match.group(2).strip()):
            add("a personal name (Latin script)", match.start(), match.end(2))
    return sorted(found, key=lambda f: f.start)


def check_text(field: str, text: str, allowed: Iterable[str] = ()) -> str:
    """``text``, stripped, or ``PersonalDataFound`` naming what looks like personal data."""
    text = text.strip()
    findings = find_personal_data(text, allowed)
    if findings:
        raise PersonalDataFound(field, findings)
    return text
