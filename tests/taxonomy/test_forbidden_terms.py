"""The forbidden-term check matches whole tokens of faith, people and nationality words."""

from __future__ import annotations

import pytest

from accord.taxonomy import FORBIDDEN_TERMS, forbidden_terms_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("islamist", ["islamist"]),
        ("Violent Islamist", ["islamist"]),
        ("ideology:violent-islamist", ["islamist"]),
        ("anti_christian", ["christian"]),
        ("kurds", ["kurds"]),
        ("Sri Lankan separatist", ["sri-lankan"]),
        ("ni-vanuatu", ["ni-vanuatu"]),
        ("shi'a militancy", ["shi-a"]),
        ("arab-kurdish", ["arab", "kurdish"]),
        ("穆斯林", ["穆斯林"]),
    ],
)
def test_forbidden_terms_are_found_as_whole_tokens(text: str, found: list[str]) -> None:
    assert forbidden_terms_in(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "behaviour:recruitment",
        "islamophobia",
        "arabesque",
        "christchurch",
        "ideology:violent-theocratic",
        "ideology:racially-motivated-violent",
        "context:counter-speech",
        "暴力神权主义极端主义",
    ],
)
def test_words_that_merely_contain_a_forbidden_term_pass(text: str) -> None:
    assert forbidden_terms_in(text) == []


def test_the_list_covers_faiths_peoples_and_many_nationalities() -> None:
    assert {
        "islam",
        "muslim",
        "christian",
        "jewish",
        "hindu",
        "buddhist",
        "sikh",
        "catholic",
        "shia",
        "sunni",
    } <= FORBIDDEN_TERMS
    assert {"arab", "kurd", "pashtun", "tamil", "uyghur"} <= FORBIDDEN_TERMS
    assert {
        "afghan",
        "american",
        "chinese",
        "french",
        "nigerian",
        "pakistani",
        "russian",
        "saudi",
        "syrian",
        "zimbabwean",
    } <= FORBIDDEN_TERMS
    assert len(FORBIDDEN_TERMS) > 300


def test_every_term_is_lower_case_tokens_joined_by_hyphens() -> None:
    for term in FORBIDDEN_TERMS:
        assert term == term.lower()
        assert all(part.isalnum() for part in term.split("-")), term
