# ruff: noqa: RUF001, SIM905  (names, look-alikes and full-width forms in other scripts are the point)
"""Personal names in free text: Latin, Han, Cyrillic and Arabic script, and transliterations.

``find_names(text)`` gives the (start, end, script) of every stretch of
``text`` (already normalised by ``accord.safeguards.normalise``) shaped like a
person's name. The shapes, by script:

- Latin: a known given name (the ``gender-guesser`` list of about 40,000
  given names from many countries, country names such as Chad or Jordan
  excepted) before a capitalised word that is not a place or organisation
  noun ("John Smith", "Zhang Wei"), or before a surname in capitals ("John
  SMITH"); "Surname, Given" and "SURNAME Given" ("Smith, John", "KARIMOV
  Rustam"); an honorific (Mr, Dr, Sheikh, Imam...) or "named"/"called"/"alias"
  before a capitalised word;
- Cyrillic and its Latin transliteration: a patronymic (-ovich, -evna, -ович,
  -овна...) after a capitalised word; a capitalised word next to a surname with
  a Russian, Ukrainian, Georgian or Armenian ending (-ov, -eva, -enko, -sky,
  -shvili, -yan, -ов, -ева, -енко, -ский...); a common Cyrillic given name
  (Иван, Ольга, Рустам...) before a capitalised Cyrillic word;
- Arabic transliterations: "X bin/ibn/bint Y", a kunya (Abu/Umm + a name),
  Abd al-/Abdul/Abdel + a name, a given name before al-/el- + a name
  ("Khalid al-Masri");
- Arabic script: a name particle (أبو, ابن, بن, بنت, أم, عبد) or an honorific
  (السيد, الشيخ...) before a word, two common given names in a row (أحمد حسن),
  a common given name before an al- word (محمد الأمين);
- Han (``accord.safeguards.names_han``): a common surname with one or two
  given-name characters, standing alone, with a title, after a naming word or
  before a verb of speech or posting; not inside running Chinese, where a
  surname character most often starts an ordinary word (王国, 高度, 金融).

The rates these shapes reach on Accord's own test list (tests/safeguards/data/
names.json) are in docs/safeguards.md, and tests/safeguards/test_names.py
fails if they fall below the documented figures.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from accord.safeguards.names_han import HAN, HAN_AFTER, HAN_TITLED, han_names

__all__ = ["find_names"]

Span = tuple[int, int, str]

# ---- Latin script ------------------------------------------------------------------------

_HONORIFICS = (r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Mme|Mlle|M|Herr|Frau|Sr|Sra|Sheikh|"
               r"Shaykh|Imam|Mullah|Mufti|Emir|Amir|Maulana|Sayyid|Hajji|Haji|Ustaz|Ustadh")
_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ\u0100-\u017f"
_CAP = "[" + _UP + "][" + _LOW + "'\u2019-]+(?:[" + _UP + "][" + _LOW + "]+)?"
_UPPER = "[" + _UP + "]{2,}(?:-[" + _UP + "]{2,})?"
_LATIN = "a personal name (Latin script)"
_CYRILLIC = "a personal name (Cyrillic script or its transliteration)"
_ARABIC_LATIN = "a personal name (Arabic, transliterated)"
_ARABIC = "a personal name (Arabic script)"

_TITLED = re.compile(r"\b(?:" + _HONORIFICS + r")\.?\s+" + _CAP)
_NAMED = re.compile(r"\b(?:named|called|alias|aka|a\.k\.a\.)\s+" + _CAP)
# Lookaheads, so that "Is John Smith" tries "John Smith" too.
_PAIR = re.compile(r"\b(" + _CAP + r")(?=(\s+" + _CAP + r")\b)")
_PAIR_UPPER = re.compile(r"\b(" + _CAP + r")\s+(" + _UPPER + r")\b")
_SURNAME_GIVEN = re.compile(r"\b(" + _CAP + "|" + _UPPER + r"),\s+(" + _CAP + r")\b")
_UPPER_GIVEN = re.compile(r"\b(" + _UPPER + r")\s+(" + _CAP + r")\b")

# After a given name these make a place or an organisation ("Chad Basin", "Victoria
# Falls", "Jordan Valley Brigade"), not a person.
_NOT_SURNAMES = frozenset(
    ["Basin", "Valley", "Region", "Province", "State", "Falls", "Lake", "River", "Sea",
     "Coast", "Mountains", "Desert", "Corridor", "Strait", "Islands", "Island", "Delta",
     "Highlands", "Peninsula", "Gulf", "Border", "District", "County", "City", "Forum",
     "Group", "Front", "Brigade", "Brigades", "Movement", "Network", "Army", "Party",
     "Council", "Agency", "Platform", "Foundation", "Institute", "University", "Programme",
     "Program", "Initiative", "Declaration", "Accord", "Process", "Protocol", "Convention",
     "Resolution", "Day", "Period", "Street", "Square", "Airport", "Station", "Mosque",
     "Church", "Market", "Hotel", "Hospital", "School", "Centre", "Center", "Camp", "Bridge",
     "Road", "Media", "News", "Channel", "Magazine", "Committee", "Office", "Force", "Forces",
     "Battalion", "Wing", "Faction", "Organisation", "Organization", "Union", "League",
     "Society", "Company", "Bank", "Fund", "Trust", "Team", "List", "Report", "Review"])
# Capitalised words that start sentences or clauses, never surnames ("However, Grace").
_STARTERS = frozenset(
    ["However", "Yesterday", "Today", "Tomorrow", "Meanwhile", "Moreover", "Furthermore",
     "Also", "Then", "Next", "First", "Second", "Third", "Finally", "Indeed", "Thus",
     "Therefore", "Hence", "Still", "Instead", "Otherwise", "Overall", "Recently",
     "Previously", "Later", "Earlier", "Afterwards", "Nevertheless", "Nonetheless",
     "Consequently", "Additionally", "Similarly", "Likewise", "Accordingly", "Currently",
     "Again", "Here", "There", "Now", "Please", "Yes", "No", "In", "On", "At", "From", "To",
     "Via", "Near", "Across", "Through", "Outside", "Inside", "Since", "Until", "After",
     "Before", "During", "Under", "Over", "Between", "Among", "Within", "Without", "For",
     "With", "By", "Of", "As", "If", "When", "While", "Where", "Although", "Though", "But",
     "And", "Or", "So", "Yet", "The", "A", "An", "This", "That", "These", "Those", "Our",
     "Their", "Its", "His", "Her", "We", "They", "It", "Visit", "See", "Note", "Share",
     "Review", "Check", "Send", "Report", "Reports", "Signals", "Signal", "Incident",
     "Incidents", "Partners", "Partner", "Platforms", "Platform", "Northern", "Southern",
     "Eastern", "Western", "Central", "North", "South", "East", "West", "Upper", "Lower",
     "New", "Old", "Greater", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
     "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December", "Ramadan", "Eid"])
# Words of place names and of the names of armed groups that are also given names
# ("Santa Maria", "Hayat Tahrir al-Sham", "Ansar al-Sharia", "Tal Afar").
_NOT_GIVEN = frozenset(
    ["Santa", "San", "Santo", "Sao", "Saint", "St", "Tal", "Tell", "Mir", "Al", "El", "Ras",
     "Bir", "Ain", "Wadi", "Jebel", "Jabal", "Kafr", "Deir", "Dar", "Bab", "Port", "Fort",
     "Mount", "Cape", "Mai", "Ansar", "Hayat", "Hay'at", "Tahrir", "Jamaat", "Jama'at",
     "Harakat", "Jabhat", "Jaish", "Lashkar", "Tehrik", "Hizb", "Jund", "Katibat", "Liwa",
     "Saraya", "Ahrar", "Majlis", "Bayt", "Sham", "Islam", "Allah", "Mujahideen", "Nusrat",
     "Dawla", "Wilayat", "Tanzim", "Sharia", "Shura", "Christian", "Muslim", "Abu", "Abou",
     "Umm", "Um", "Abd", "Bin", "Ibn"])
# Given names that are also words which start sentences or name things ("Grace period",
# "Mark the signal", "Will the platform"): names only after a surname ("Oduya, Grace").
_WORD_NAMES = frozenset(["Justice", "Liberty", "Unity", "Victory", "Freedom", "Hope", "Faith",
                         "Grace", "Will", "Mark", "Patience", "Precious", "Summer", "Rose"])
# Acronyms written in capitals that are not surnames ("UN Grace period").
_ACRONYMS = frozenset(
    ["UN", "EU", "UK", "US", "USA", "UAE", "ISIS", "ISIL", "IS", "AQ", "AQAP", "AQIM", "TLP",
     "RED", "AMBER", "GREEN", "CLEAR", "STRICT", "NATO", "GIFCT", "TCAP", "TAT", "URL",
     "PDQ", "MD5", "TMK", "CSV", "JSON", "STIX", "TAXII", "MISP", "API", "ID", "GTD",
     "ACLED", "HMA", "CT", "CVE", "PVE", "NGO", "OSCE", "AU", "ECOWAS", "SADC", "IGAD",
     "ASEAN", "OIC", "INTERPOL", "EUROPOL", "FATF", "UNSC", "UNODC", "UNOCT", "CTED",
     "HQ", "QA", "PDF", "HTML", "ISWAP", "JNIM", "HTS", "TTP", "BLA", "LTTE", "FARC",
     "ETA", "IRA", "PKK", "HAMAS", "NPA", "AND", "OR", "NOT", "THE", "OF", "FOR", "IN"])

# Surname and patronymic endings, Latin transliterations and Cyrillic.
_PATRONYMIC = r"(?:ovich|evich|ovitch|ovna|evna|ich|ichna|oglu|ogly|uly|kyzy)"
_SURNAME_END = (r"(?:ov|ev|yov|ova|eva|yova|enko|sky|skiy|skii|ski|skaya|tsky|tskaya|shvili"
                r"|dze|chuk|yuk)")
_PATRONYM_PAIR = re.compile(r"\b(" + _CAP + r")\s+([A-Z][a-z]+" + _PATRONYMIC + r")\b")
_SUFFIX_PAIR = re.compile(r"\b(" + _CAP + r")\s+([A-Z][a-z]{2,}" + _SURNAME_END + r")\b")
_SUFFIX_FIRST = re.compile(r"\b([A-Z][a-z]{2,}" + _SURNAME_END + r")\s+(" + _CAP + r")\b")

_CYR_CAP = r"[А-ЯЁІЇЄҐЎ][а-яёіїєґў'-]+"
_CYR_PATRONYMIC = r"(?:ович|евич|ич|овна|евна|ична|инична|оглы|улы|кызы)"
_CYR_SURNAME_END = (r"(?:ов|ев|ёв|ова|ева|ёва|ин|ина|ын|ына|енко|ко|ский|ская|цкий|цкая|швили"
                    r"|дзе|ян|ук|юк|чук)")
_CYR_GIVEN = frozenset(
    "Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Артем Борис Вадим Валентин "
    "Валерий Василий Виктор Виталий Владимир Владислав Вячеслав Геннадий Георгий Глеб Григорий "
    "Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Лев Леонид Максим "
    "Марат Михаил Никита Николай Олег Павел Пётр Петр Роман Руслан Рустам Сергей Станислав "
    "Степан Тимур Фёдор Федор Юрий Ярослав Тарас Богдан Мирослав Анзор Ахмед Магомед Мухаммад "
    "Шамиль Ислам Рамзан Зелимхан Бахтиёр Фарход Алишер Азиз Анна Анастасия Алёна Алина Валентина "
    "Вера Виктория Галина Дарья Екатерина Елена Ирина Людмила Марина Мария Наталья Надежда Нина "
    "Ольга Оксана Светлана Татьяна Юлия Лариса Зарема Мадина Фатима Айгуль Гульнара".split())
_CYR_PATRONYM_PAIR = re.compile(_CYR_CAP + r"\s+[А-ЯЁ][а-яё]+" + _CYR_PATRONYMIC + r"(?![а-яё])")
_CYR_SUFFIX_PAIR = re.compile(r"(?<![А-Яа-яЁё])(" + _CYR_CAP + r")\s+([А-ЯЁ][а-яё]{2,}"
                              + _CYR_SURNAME_END + r")(?![а-яё])")
_CYR_SUFFIX_FIRST = re.compile(r"(?<![А-Яа-яЁё])([А-ЯЁ][а-яё]{2,}" + _CYR_SURNAME_END
                               + r")\s+(" + _CYR_CAP + r")(?![а-яё])")
_CYR_GIVEN_PAIR = re.compile(r"(?<![А-Яа-яЁё])(" + _CYR_CAP + r")\s+(" + _CYR_CAP + r")")
# Capitalised Cyrillic words that start a clause or name a place or body, not a person.
_CYR_NOT_NAMES = frozenset(
    "В На По С Со К Ко От До Из За Для При Про Это Эти Этот Как Так Но И А Или Также Однако "
    "Сегодня Вчера Завтра Затем После Перед Между Через Около Партнёры Партнеры Группа Отчёт "
    "Отчет Совет Комитет Министерство Республика Область Край Район Москва Россия Украина "
    "Казахстан Узбекистан Таджикистан Кыргызстан Киргизия Туркменистан Беларусь Белоруссия "
    "Грузия Армения Азербайджан Чечня Дагестан Ингушетия Сирия Ирак Афганистан Европа Азия "
    "Государство Исламское Фронт Движение Организация Сеть Канал Платформа Инцидент Сигнал "
    "Всего Каждый Каждая Несколько Многие Большинство Число Количество Январь Февраль Март "
    "Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь Северный Южный Восточный "
    "Западный Центральный Новый Старый".split())

# Arabic names, transliterated.
_ARABIC_GIVEN = frozenset(
    "Mohammed Muhammad Mohamed Mohammad Muhammed Ahmad Ahmed Ali Omar Umar Khalid Khaled "
    "Hassan Hasan Hussein Husayn Hussain Ibrahim Yusuf Youssef Yousef Mustafa Mostafa Abdullah "
    "Abdallah Hamza Bilal Tariq Tarek Osama Usama Ayman Anwar Faisal Saad Said Saeed Karim "
    "Jamal Nasser Nasir Walid Waleed Zaid Zayd Ziad Samir Hamid Rashid Mahmoud Mahmud Salah "
    "Salih Saleh Ismail Ismael Idris Musa Isa Yahya Younis Yunus Suleiman Sulayman Khalil "
    "Mansour Mansur Nabil Adel Adil Hisham Hesham Imad Emad Majid Maher Marwan Nizar Qasim "
    "Qassem Rami Raed Sami Tamer Wael Yasser Yasir Zakaria Zakariya Fatima Fatimah Aisha "
    "Aysha Maryam Mariam Zainab Zaynab Khadija Khadijah Amina Aminah Hafsa Asma Layla Leila "
    "Salma Nour Noor Huda Hana Rania Samira Yasmin Yasmine Safiya".split())
_BIN = re.compile(r"\b(" + _CAP + r")\s+(?:bin|ibn|bint|binti|ben|ould)\s+(?:(?:al|el)-)?"
                  + _CAP)
_KUNYA = re.compile(r"\b(?:Abu|Abou|Abo|Umm|Um|Oum)\s+((?:(?:al|el|Al|El)-)?" + _CAP + r")"
                    r"(?:\s+(" + _CAP + r"))?")
_ABD = re.compile(r"\b(?:Abd|Abdul|Abdel|Abdal|Abdur|Abdoul)(?:[ -]?(?:al|el|ul|ur|ar|as|an)"
                  r")?[ -]" + _CAP + r"|\b(?:Abdul|Abdel|Abdur)[a-z]{3,}\b")
_AL_PAIR = re.compile(r"\b(" + _CAP + r")\s+((?:al|el|Al|El|ul|ad|ar|as|at|az|an)-" + _CAP + r")")
# Kunya words that name places and groups, not people ("Abu Dhabi", "Abu Sayyaf").
_KUNYA_PLACES = frozenset(["Dhabi", "Ghraib", "Simbel", "Sayyaf", "Kamal", "Qir", "Hamad"])

# Arabic script.
_ARABIC_PARTICLE = re.compile(
    r"(?<![\u0600-\u06ff])(?:(?:أبو|ابو|ابن|بن|بنت|أم|ام|السيد|السيدة|الشيخ|الأستاذ|الاستاذ"
    r"|الدكتور|الإمام|الامام|الحاج|المدعو|المدعوة)\s+(?!ظبي|غريب)|عبد\s*(?=ال))"
    r"[\u0621-\u064a]{2,}")
_AR_GIVEN = frozenset(
    "محمد أحمد احمد محمود مصطفى خالد عمر يوسف إبراهيم ابراهيم إسماعيل اسماعيل عبدالله "
    "عبدالرحمن عبدالعزيز حسين حسن علي عثمان طارق أسامة اسامة أيمن ايمن حمزة بلال فيصل سعد سعيد "
    "كريم جمال ناصر وليد زيد زياد سمير حامد راشد صالح يحيى يونس موسى عيسى سليمان خليل منصور "
    "نبيل عادل هشام عماد ماجد ماهر مروان قاسم رامي سامي ياسر زكريا فاطمة عائشة مريم زينب خديجة "
    "أمينة امينة حفصة أسماء اسماء ليلى سلمى نور هدى رانيا سميرة ياسمين صفية".split())
_AR_WORD = r"[\u0621-\u064a]{2,}"
_AR_PAIR = re.compile(r"(?<![\u0600-\u06ff])(" + _AR_WORD + r")\s+(" + _AR_WORD + r")")

@lru_cache(maxsize=1)
def _detector() -> object:
    """The given-name list (loaded once, about 0.2 s)."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=True)


_GIVEN = frozenset({"male", "female", "mostly_male", "mostly_female", "andy"})


@lru_cache(maxsize=65536)
def is_given_name(word: str, *, after_surname: bool = False) -> bool:
    """Whether ``word`` (capitalised) is a known given name and not a country's name.

    ``after_surname``: it follows a surname ("Oduya, Grace"), where words that are
    also given names (Grace, Hope, Mark) count as names.
    """
    if word in _country_words() or word in _STARTERS or word in _NOT_GIVEN:
        return False
    if word in _WORD_NAMES and not after_surname:
        return False
    if word in _ARABIC_GIVEN:
        return True
    return _detector().get_gender(word) in _GIVEN  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Words of country and language names (ISO 3166 and 639, via pycountry), which are
    also given names (Chad, Jordan, German)."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            names.update(getattr(country, attr, "").split())
    for language in pycountry.languages:
        if getattr(language, "alpha_2", None):
            names.update(language.name.split())
    return frozenset(names)


def _surname_like(word: str) -> bool:
    """A capitalised word that may be a surname: not a place noun, starter or country."""
    return (word not in _NOT_SURNAMES and word not in _STARTERS and word not in _NOT_GIVEN
            and word not in _country_words())


_NEXT_WORD = re.compile(r"[\s,]*([A-Za-z]+)")


def _names_a_body(text: str, end: int) -> bool:
    """Whether the word after ``end`` makes the name a place's or a body's ("Abdullah
    Azzam Brigades", "Omar Abdel Rahman brigade")."""
    following = _NEXT_WORD.match(text, end)
    return following is not None and following.group(1).title() in _NOT_SURNAMES


def _latin(text: str) -> Iterator[Span]:
    for pattern in (_TITLED, _NAMED):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), _LATIN
    for match in _PAIR.finditer(text):
        second = match.group(2).strip()
        if is_given_name(match.group(1)) and _surname_like(second):
            yield match.start(), match.end(2), _LATIN
    for match in _PAIR_UPPER.finditer(text):
        if is_given_name(match.group(1)) and match.group(2) not in _ACRONYMS:
            yield match.start(), match.end(), _LATIN
    for pattern in (_SURNAME_GIVEN, _UPPER_GIVEN):
        for match in pattern.finditer(text):
            surname, given = match.group(1), match.group(2)
            if (is_given_name(given, after_surname=True) and surname not in _ACRONYMS
                    and _surname_like(surname) and _surname_like(surname.title())):
                yield match.start(), match.end(), _LATIN


def _cyrillic(text: str) -> Iterator[Span]:
    for match in _PATRONYM_PAIR.finditer(text):
        if _surname_like(match.group(1)):
            yield match.start(), match.end(), _CYRILLIC
    for pattern in (_SUFFIX_PAIR, _SUFFIX_FIRST):
        for match in pattern.finditer(text):
            if all(_surname_like(w) for w in match.groups()):
                yield match.start(), match.end(), _CYRILLIC
    for match in _CYR_PATRONYM_PAIR.finditer(text):
        yield match.start(), match.end(), _CYRILLIC
    for pattern in (_CYR_SUFFIX_PAIR, _CYR_SUFFIX_FIRST):
        for match in pattern.finditer(text):
            if not any(w in _CYR_NOT_NAMES for w in match.groups()):
                yield match.start(), match.end(), _CYRILLIC
    for match in _CYR_GIVEN_PAIR.finditer(text):
        first, second = match.groups()
        if (first in _CYR_GIVEN or second in _CYR_GIVEN) and not (
                {first, second} & _CYR_NOT_NAMES):
            yield match.start(), match.end(), _CYRILLIC


def _arabic(text: str) -> Iterator[Span]:
    for match in _BIN.finditer(text):
        if _surname_like(match.group(1)):
            yield match.start(), match.end(), _ARABIC_LATIN
    for match in _KUNYA.finditer(text):
        name = match.group(1)
        bare = re.sub(r"^(?:al|el|Al|El)-", "", name)
        if bare not in _KUNYA_PLACES and _surname_like(bare):
            end = match.end(2) if match.group(2) and _surname_like(match.group(2)) else \
                match.end(1)
            yield match.start(), end, _ARABIC_LATIN
    for match in _ABD.finditer(text):
        yield match.start(), match.end(), _ARABIC_LATIN
    for match in _AL_PAIR.finditer(text):
        if is_given_name(match.group(1)):
            yield match.start(), match.end(), _ARABIC_LATIN
    for match in _ARABIC_PARTICLE.finditer(text):
        yield match.start(), match.end(), _ARABIC
    for match in _AR_PAIR.finditer(text):
        first, second = match.groups()
        if first in _AR_GIVEN and (second in _AR_GIVEN or second.startswith("ال")):
            yield match.start(), match.end(), _ARABIC


_PLACE_SAFE = (_TITLED, _NAMED, _PATRONYM_PAIR, _CYR_PATRONYM_PAIR, HAN_TITLED, HAN_AFTER)


def find_names(text: str, *, place: bool = False) -> list[Span]:
    """(start, end, kind) of every stretch of normalised ``text`` shaped like a name.

    ``place``: the text names a place or a group (an incident's city, province or
    perpetrator group), which are often named after people (Abu Ghraib, Dera Ismail
    Khan, Abdullah Azzam Brigades): only the shapes no place has are looked for
    (a title or honorific, "named", a patronymic, a Han title or naming word).
    """
    if place:
        kinds = {_TITLED: _LATIN, _NAMED: _LATIN, _PATRONYM_PAIR: _CYRILLIC,
                 _CYR_PATRONYM_PAIR: _CYRILLIC, HAN_TITLED: HAN, HAN_AFTER: HAN}
        return [(m.start(), m.end(), kinds[p]) for p in _PLACE_SAFE for m in p.finditer(text)]
    latin = [s for s in [*_latin(text), *_cyrillic(text), *_arabic(text)]
             if not _names_a_body(text, s[1])]
    return [*latin, *han_names(text)]
