"""The personal-data detector: what it refuses, what it lets through, what it says."""

from __future__ import annotations

import pytest

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
    text = "Abu Sayyaf Group propaganda resurfaced"
    assert find_personal_data(text) != []
    assert check_text("text", text, ["Abu Sayyaf Group"]) == text
