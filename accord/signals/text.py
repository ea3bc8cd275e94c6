"""``text_tlsh``: TLSH locality-sensitive hash of a document's text, as pytx hashes it.

The name is python-threatexchange's (its ``text_tlsh`` extension, Apache-2.0:
``threatexchange/extensions/tlsh/text_tlsh.py``, ``TextTLSHSignal``), and so is
the hash: the text exactly as given, encoded as UTF-8, hashed with TLSH
(``py-tlsh``), nothing folded or trimmed, so the same text gives the same value
in Accord, pytx and HMA. A text file is read as pytx's ``hash_from_file`` reads
it (``Path.read_text``): UTF-8, a byte-order mark kept, ``\r\n`` and ``\r``
line ends turned into ``\n``. A PDF's text is extracted with pypdf (pytx's pdf
extension uses pdfminer, whose layout differs, so PDF values agree only as
closely as the two extractions do).

Until December 2026 Accord hashed *normalised* text (NFKC, case-folded,
whitespace collapsed) under this name: ordinary text landed about 48 points
from pytx's value, past the threshold. Values stored then are still valid
digests and are kept as they are; they match text that was already in that
form, and documents hashed again match as pytx's do (``docs/signal-types.md``).

The canonical value is ``T1`` followed by 70 upper-case hex digits; values
without the ``T1`` version prefix are accepted and given one. Distance is
TLSH's own score (0 identical; the scale is open-ended); 30 or less is the
default match, pytx's ``TLSH_CONFIDENT_MATCH_THRESHOLD``.

TLSH needs at least 50 bytes of input with enough variety; shorter or
repetitive text raises :class:`InsufficientContent` (where pytx prints no hash).
"""

from __future__ import annotations

import codecs
import re
from typing import ClassVar

import tlsh

from accord.errors import Phrase
from accord.media.document import decode_text, extract_pdf_text
from accord.media.errors import InsufficientContent
from accord.media.sniff import MediaKind
from accord.media.source import Media
from accord.signals.base import (
    ContentHasher,
    HashOptions,
    HashResult,
    IndexKind,
    InvalidSignal,
    SignalType,
    TextHasher,
)

TLSH_MIN_BYTES = 50
_TLSH_RE = re.compile(r"(T1)?([0-9A-F]{70})")


def read_text_as_pytx(media: Media) -> str:
    """A text file's text as pytx's ``Path.read_text`` gives it: BOM kept, newlines ``\n``."""
    text = decode_text(media)  # checks the size limit; drops a byte-order mark
    if media.data.startswith(codecs.BOM_UTF8):
        text = "\ufeff" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextTlshSignal(SignalType, ContentHasher, TextHasher):
    """TLSH of a document's text (PDFs and text files), hashed as pytx hashes it."""

    name: ClassVar[str] = "text_tlsh"
    index_kind: ClassVar[IndexKind] = "tlsh"
    default_threshold: ClassVar[int] = 30
    content_kinds: ClassVar[frozenset[MediaKind]] = frozenset({MediaKind.PDF, MediaKind.TEXT})

    @classmethod
    def validate(cls, value: str) -> str:
        """``T1`` + 70 hex digits (prefix optional, any case); returns ``T1`` + upper case."""
        match = _TLSH_RE.fullmatch(value.strip().upper()) if isinstance(value, str) else None
        if match is None:
            raise InvalidSignal.for_value(cls.name, value, _rule(value))
        return "T1" + match.group(2)

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """TLSH's distance score between two canonical digests (with length term)."""
        return int(tlsh.diff(a, b))

    @classmethod
    def examples(cls) -> list[str]:
        """TLSH digests of three pangram-like sentences."""
        return [
            "T1ABC02B04810003368C920A0092023903B2F0C340E3286D6880733450C642D0179F2710",
            "T109C02B81B25031CB5A69080C0BC974F184EC84006633082064302001000C16708FD063",
            "T1ACC02BF9CFC3408107EB1057AA37B011A355864C0317F201836442C3201463D88F0BC0",
        ]

    @classmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """Extract (PDF) or decode (text file) the text, then hash it."""
        text = (extract_pdf_text(media) if media.kind is MediaKind.PDF
                else read_text_as_pytx(media))
        try:
            return [HashResult(cls.name, cls.hash_text(text))]
        except InsufficientContent as err:
            raise InsufficientContent("{name}: {reason}", hint=err.hint_phrase(),
                                      name=media.name, reason=err.phrase()) from err

    @classmethod
    def hash_text(cls, text: str) -> str:
        """TLSH of the text's UTF-8 bytes; :class:`InsufficientContent` if TLSH cannot hash it."""
        data = text.encode("utf-8", errors="replace")
        digest = tlsh.hash(data) if len(data) >= TLSH_MIN_BYTES else "TNULL"
        if digest == "TNULL":
            raise InsufficientContent("text too short or too repetitive for TLSH: {data_count} "
                                      "bytes; TLSH needs at least {tlsh_min_bytes} bytes with "
                                      "varied content",
                                      hint="use md5/sha256 for such short documents",
                                      data_count=len(data), tlsh_min_bytes=TLSH_MIN_BYTES)
        return str(digest)


def _rule(value: object) -> Phrase:
    if not isinstance(value, str):
        return Phrase("expected a string, got {kind}", kind=type(value).__name__)
    body = value.strip().upper().removeprefix("T1")
    bad = next((i for i, ch in enumerate(body) if ch not in "0123456789ABCDEF"), None)
    if bad is not None:
        return Phrase("expected 'T1' and 70 hex digits, found {found} in the digest",
                      found=repr(body[bad]))
    return Phrase("expected 'T1' and 70 hex digits, got {count} digits", count=len(body))
