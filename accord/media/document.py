"""Extract text from untrusted PDFs (with pypdf) and text files, within limits.

A PDF over ``max_pdf_pages`` pages, or text over ``max_text_bytes`` bytes, is
refused rather than cut: a hash of "the first N pages" would depend on each
node's settings, and two nodes would disagree about the same file.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from accord.media.errors import CorruptMedia, MediaTooLarge, UnsupportedMedia
from accord.media.source import Media

_PARSE_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, EOFError)


def extract_pdf_text(media: Media) -> str:
    """The text of every page of a PDF, pages separated by newlines."""
    limits = media.limits
    # pypdf logs every recoverable oddity of a malformed file at WARNING; those
    # are the file's problem, reported by the typed errors below, not log noise.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(media.data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedMedia("{name}: the PDF is encrypted with a password", name=media.name)
        declared = _declared_pages(reader)
        if declared > limits.max_pdf_pages:
            raise _too_large(media, f"{declared} pages", limits.max_pdf_pages, "max_pdf_pages")
        pages = reader.pages
        if len(pages) > limits.max_pdf_pages:
            raise _too_large(media, f"{len(pages)} pages", limits.max_pdf_pages, "max_pdf_pages")
        texts: list[str] = []
        size = 0
        for number, page in enumerate(pages, start=1):
            media.deadline.check(f"extracting text from PDF page {number}")
            text = page.extract_text()
            size += len(text.encode("utf-8")) + 1
            if size > limits.max_text_bytes:
                raise _too_large(media, "extracted text", limits.max_text_bytes, "max_text_bytes")
            texts.append(text)
    except (*_PARSE_ERRORS, RecursionError) as err:
        raise CorruptMedia("{name}: the PDF does not parse ({kind})", name=media.name,
                           kind=type(err).__name__) from err
    return "\n".join(texts)


def _declared_pages(reader: PdfReader) -> int:
    # The page tree's /Count is read in O(1): a 10,000-page file is refused before
    # its tree is walked. It may lie, so the walked page count is checked as well.
    try:
        return int(reader.root_object["/Pages"]["/Count"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return 0


def decode_text(media: Media) -> str:
    """A text file's content, decoded as UTF-8 (undecodable bytes replaced)."""
    if len(media.data) > media.limits.max_text_bytes:
        raise _too_large(media, "text", media.limits.max_text_bytes, "max_text_bytes")
    return media.data.decode("utf-8-sig", errors="replace")


def _too_large(media: Media, what: str, limit: int, setting: str) -> MediaTooLarge:
    return MediaTooLarge("{name}: {what} over the limit of {limit} ({setting})",
                         hint="raise ACCORD_{variable} if such documents are expected",
                         name=media.name, what=what, limit=limit, setting=setting,
                         variable=setting.upper())
