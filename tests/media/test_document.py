"""PDF and text extraction within the page, text and time limits."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest
from pypdf import PdfWriter

from accord.media.document import decode_text, extract_pdf_text
from accord.media.errors import CorruptMedia, HashTimeout, MediaTooLarge, UnsupportedMedia
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from tests.media.media_factories import PANGRAM, blank_pdf, pdf_with_text


@pytest.fixture(scope="module")
def ten_thousand_pages() -> bytes:
    """A 10,000-page PDF of blank pages (about 1 MB)."""
    return blank_pdf(10_000)


def test_text_of_every_page_is_extracted(limits: MediaLimits) -> None:
    text = extract_pdf_text(load_media(pdf_with_text(["first page", "second (page)"]), limits))
    assert text.split("\n") == ["first page", "second (page)"]


def test_a_pdf_with_10000_pages_is_refused_quickly(
    ten_thousand_pages: bytes, limits: MediaLimits
) -> None:
    started = time.perf_counter()
    with pytest.raises(MediaTooLarge, match=r"huge\.pdf: 10000 pages over the limit of 2000"):
        extract_pdf_text(load_media(ten_thousand_pages, limits, name="huge.pdf"))
    assert time.perf_counter() - started < 1.0


def test_extracted_text_over_the_limit_is_refused(tight_limits: MediaLimits) -> None:
    pdf = pdf_with_text([PANGRAM * 4, PANGRAM * 4])  # about 600 bytes of text a page
    roomy = dataclasses.replace(tight_limits, max_file_bytes=10**6)
    with pytest.raises(MediaTooLarge, match="extracted text over the limit of 1000"):
        extract_pdf_text(load_media(pdf, roomy))
    with pytest.raises(MediaTooLarge, match="max_text_bytes"):
        decode_text(load_media(b"word " * 300, tight_limits))


def test_a_damaged_pdf_is_corrupt(limits: MediaLimits) -> None:
    data = pdf_with_text(["some text"])
    with pytest.raises(CorruptMedia, match=r"bad\.pdf: the PDF does not parse"):
        extract_pdf_text(load_media(b"%PDF-1.7\n" + bytes(range(256)) * 4, limits, name="bad.pdf"))
    assert extract_pdf_text(load_media(data, limits))  # the intact one is fine


def test_a_password_protected_pdf_is_unsupported(limits: MediaLimits) -> None:
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnsupportedMedia, match="encrypted with a password"):
        extract_pdf_text(load_media(out.getvalue(), limits))


def test_extraction_stops_at_the_time_limit(limits: MediaLimits) -> None:
    instant = dataclasses.replace(limits, hash_timeout_seconds=1e-9)
    with pytest.raises(HashTimeout, match="stopped while extracting text from PDF page 1"):
        extract_pdf_text(load_media(pdf_with_text(["a", "b"]), instant))
