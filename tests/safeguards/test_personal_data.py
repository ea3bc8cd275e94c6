# ruff: noqa: RUF001  (full-width forms are what these tests type)
"""The personal-data detector: what it refuses, what it lets through, what it says."""

from __future__ import annotations

import pytest

from accord.errors import Phrase
from accord.safeguards.personal_data import PersonalDataFound, check_text, find_personal_data

PERSONAL = [
    ("His passport number is X1234567.", "a passport number"),
    ("passport: 123456789", "a passport number"),
    ("P<GBRSMITH<<JOHN", "a passport machine-readable line"),
    ("call +44 20 7946 0958 after the meeting", "a phone number"),
    ("reach them on (020) 7946 0958", "a phone number"),
    ("write to someone@example.org", "an e-mail address"),
    ("SSN 123-45-6789", "a national identity number"),
    ("身份证号码 110101199003074514", "a national identity number"),
    ("national ID 12345678", "a national identity number"),
    ("born on 12/03/1990", "a date of birth"),
    ("date of birth 3 March 1988", "a date of birth"),
    ("من مواليد 1990", "a date of birth"),
    ("We met John Smith there", "a personal name (Latin script)"),
    ("Fatima Zahra was seen", "a personal name (Latin script)"),
    ("Mr Haddad attended", "a personal name (Latin script)"),
    ("a recruiter named Karimov", "a personal name (Latin script)"),
    ("张伟先生参加了会议", "a personal name (Han script)"),
    ("嫌疑人李明", "a personal name (Han script)"),
    ("أبو محمد", "a personal name (Arabic script)"),
    ("السيد أحمد", "a personal name (Arabic script)"),
]

ORDINARY = [
    "Please clarify the designation basis of entity:qde-901 under the UN list.",
    "Share hashes for incident:12 (2024-03-02 attack on a transit hub).",
    "Example Front magazine issue 7 circulated in March 2024 on three platforms.",
    "Hash 3918237461092837465abcdef0123456789abcdef0123456789abcdef01234567 matched.",
    "Agency North and Agency South agreed on the action plan for Q3 2025.",
    "Escalation in the Sahel region: 14 incidents between 2019 and 2023.",
    "Designation reference QDe.004 since 2001-10-06; EU-2002-334 delisted.",
    "请澄清该组织的认定依据。",
    "يرجى توضيح أساس التصنيف وبنود الاتفاق أمام اللجنة",
    "Meeting on 2025-06-12 in Nairobi; 1,234 removals reported.",
    "Spill-over from the Lake Chad Basin and the Jordan Valley into new provinces.",
    "Extend the Grace Period for the Victoria Falls Declaration review.",
]
EXEMPT = ["Agency North", "Agency South", "Example Front"]


@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_personal_data_is_found_and_named(text: str, kind: str) -> None:
    assert kind in [f.kind for f in find_personal_data(text, EXEMPT)]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_cooperation_text_passes(text: str) -> None:
    assert check_text("request text", text, EXEMPT) == text


def test_the_refusal_names_what_was_found_without_echoing_it() -> None:
    with pytest.raises(PersonalDataFound) as caught:
        check_text("request text", "His passport number is X1234567, phone +33 6 12 34 56 78")
    message = str(caught.value)
    assert "a passport number" in message and "a phone number" in message
    assert "X1234567" not in message and "12 34 56 78" not in message
    assert "no information about individual people" in message


def test_names_of_entities_stored_on_the_node_are_not_refused() -> None:
    text = "Katiba Omar Haddad propaganda resurfaced"
    assert find_personal_data(text) != []
    assert check_text("text", text, ["Katiba Omar Haddad"]) == text


DISGUISED = [
    ("Ｊｏｈｎ Ｓｍｉｔｈ was seen", "full-width forms"),
    ("Jo\u200bhn Sm\u200dith was seen", "zero-width characters"),
    ("John \u202eSmith\u202c was seen", "bidi controls"),
    ("\u0408\u043ehn \u0405mith was seen", "Cyrillic look-alikes"),
    ("\u039cr Haddad attended", "a Greek look-alike"),
    ("call \u0660\u0666\u0661\u0662 \u0663\u0664\u0665 \u0666\u0667\u0668", "Arabic-Indic digits"),
    ("call ＋４４ ２０ ７９４６ ０９５８", "full-width digits"),
    ("write to some\u00adone@example.org", "a soft hyphen"),
]


@pytest.mark.parametrize(("text", "disguise"), DISGUISED)
def test_personal_data_is_found_however_it_is_typed(text: str, disguise: str) -> None:
    assert find_personal_data(text), disguise


def test_a_finding_says_where_it_is_in_the_text_as_typed() -> None:
    text = "Seen: Ｊｏｈｎ Ｓｍｉｔｈ."
    (found,) = find_personal_data(text)
    assert (found.start, found.end) == (6, 16)
    assert text[found.start:found.end] == "Ｊｏｈｎ Ｓｍｉｔｈ"


def test_real_cyrillic_words_are_not_folded_into_latin() -> None:
    from accord.safeguards.normalise import normalised

    assert normalised("\u0418\u0432\u0430\u043d").text == "\u0418\u0432\u0430\u043d"
    assert normalised("P\u0430ypal").text == "Paypal"


@pytest.mark.parametrize("text", [
    "+7 (912) 345-67-89 is the contact", "call 202-555-0173", "电话 138 0013 8000",
    "reach @recruiter_77 on the platform", "see t.me/somechannel99 for the handle",
])
def test_phone_numbers_and_handles_are_found(text: str) -> None:
    kinds = {f.kind for f in find_personal_data(text)}
    assert kinds & {"a phone number", "an identity or phone number",
                    "a social media or messaging handle"}


def test_a_refusal_is_a_422_naming_the_field_and_kind_without_the_value() -> None:
    from accord.errors import http_status

    with pytest.raises(PersonalDataFound) as caught:
        check_text("rationale", "uploaded by Rustam Karimov")
    assert http_status(caught.value) == 422
    assert caught.value.field == "rationale"
    assert "the rationale looks like it holds personal data: a personal name" in str(caught.value)
    assert "Ru" not in caught.value.message and "Karimov" not in str(caught.value)


@pytest.mark.parametrize("text", [
    "source https://example.org/news/2024/03/1234567890123 reported it",
    "MISP event 5f3c1a2b-1234-4abc-8def-123456789012 from the partner feed",
    "=SUM(A1) and @SUM(A1) are spreadsheet formulas",
])
def test_ids_inside_urls_and_uuids_are_not_taken_for_personal_numbers(text: str) -> None:
    assert find_personal_data(text) == []


PLACES = ["Abu Ghraib", "Dera Ismail Khan", "Mohammad Agha", "Santa Maria", "Mir Ali",
          "Abdullah Azzam Brigades", "Omar Abdel Rahman brigade", "Jaish-e-Mohammad (JeM)",
          "Hayat Tahrir al-Sham", "Ansar al-Sharia (Libya)", "Saint Petersburg", "Port Harcourt"]


@pytest.mark.parametrize("text", PLACES)
def test_places_and_groups_named_after_people_pass_as_place_texts(text: str) -> None:
    assert check_text("city", text, place=True) == text


@pytest.mark.parametrize(("text", "kind"), [
    ("house of Mr Karimov", "a personal name (Latin script)"),
    ("farm of Ivan Petrovich", "a personal name (Cyrillic script or its transliteration)"),
    ("call +44 20 7946 0958", "a phone number"),
    ("张伟先生家", "a personal name (Han script)"),
])
def test_a_place_text_is_still_refused_for_what_no_place_holds(text: str, kind: str) -> None:
    assert kind in [f.kind for f in find_personal_data(text, place=True)]


def test_a_refusal_names_what_it_found_in_the_readers_language() -> None:
    with pytest.raises(PersonalDataFound) as caught:
        check_text("rationale", "call +44 20 7946 0958 or write to a@b.example")
    error = caught.value
    assert "a phone number at characters 6-21" in error.message
    message, hint = error.localized("ru")
    assert "номер телефона в символах 6-21" in message and "phone" not in message
    assert hint is not None and "адрес электронной почты" in hint


def test_every_kind_the_detector_reports_has_words_in_every_language() -> None:
    from accord.safeguards import names, names_han
    from accord.safeguards.personal_data import PATTERNS, kind_words

    kinds = {kind for kind, _ in PATTERNS} | {names._LATIN, names._CYRILLIC,
                                              names._ARABIC_LATIN, names._ARABIC, names_han.HAN}
    for kind in kinds:
        words = kind_words(kind)
        assert isinstance(words, Phrase), kind
        assert all(words.localized(locale) != kind for locale in ("zh_Hans", "ar", "fr", "ru",
                                                                   "es")), kind
