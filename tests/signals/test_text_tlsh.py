"""``text_tlsh``: TLSH of normalised text, from PDFs and text files alike."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.media.errors import InsufficientContent
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from accord.signals.text import normalise_text
from tests.media.media_factories import PANGRAM, pdf_with_text, prose
from tests.signals.signal_contract import SignalTypeContract

TLSH = get_signal_type("text_tlsh")
DIGEST = "T1ABC02B04810003368C920A0092023903B2F0C340E3286D6880733450C642D0179F2710"


class TestTextTlshSignal(SignalTypeContract):
    name = "text_tlsh"
    canonical_cases = (
        (DIGEST.lower(), DIGEST),  # hex is upper-cased, and so is the prefix
        (DIGEST[2:], DIGEST),  # the T1 version prefix is added when missing
        (f" {DIGEST}\n", DIGEST),
    )
    invalid_cases = (
        (DIGEST[:-1], "expected 'T1' and 70 hex digits, got 69 digits"),
        ("T2" + DIGEST[2:], "found 'T'"),
        (DIGEST[:10] + "G" + DIGEST[11:], "found 'G'"),
        ("TNULL", "expected 'T1' and 70 hex digits"),
    )


def test_normalisation_folds_case_width_and_whitespace() -> None:
    assert (
        normalise_text("  \uff28\uff45\uff4c\uff4c\uff4f\tWORLD\n\n \ufb01ne  ")
        == "hello world fine"
    )


def test_text_that_differs_only_in_case_and_spacing_hashes_the_same() -> None:
    text = PANGRAM * 2
    messy = "\n\n  " + text.upper().replace(" ", "   \t") + "  "
    assert TLSH.hash_text(text) == TLSH.hash_text(messy)


def test_similar_texts_are_near_and_different_texts_far() -> None:
    words = prose(seed=1).split()
    base = TLSH.hash_text(" ".join(words))
    words[100:103] = ["three", "edited", "words"]
    edited = TLSH.hash_text(" ".join(words))
    other = TLSH.hash_text(prose(seed=2))
    assert TLSH.distance(base, edited) <= TLSH.default_threshold
    assert TLSH.distance(base, other) > TLSH.default_threshold


@pytest.mark.parametrize("text", ["", "too short", "a" * 500, "ab " * 100])
def test_short_or_repetitive_text_is_a_clear_typed_error(text: str) -> None:
    with pytest.raises(InsufficientContent, match="too short or too repetitive for TLSH"):
        TLSH.hash_text(text)


def test_pdf_and_text_file_with_the_same_words_hash_alike(tmp_path) -> None:
    settings = Settings()
    pdf = hash_file(pdf_with_text([PANGRAM * 3]), settings=settings, types=["text_tlsh"])
    text = hash_file((PANGRAM * 3).encode(), settings=settings, types=["text_tlsh"])
    assert TLSH.distance(pdf[0].value, text[0].value) <= 5


def test_a_pdf_without_text_names_the_file_in_the_error() -> None:
    from tests.media.media_factories import blank_pdf

    with pytest.raises(InsufficientContent, match=r"^scan\.pdf: text too short"):
        hash_file(blank_pdf(2), settings=Settings(), types=["text_tlsh"], name="scan.pdf")
