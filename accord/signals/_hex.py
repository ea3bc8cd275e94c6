"""Helpers shared by the fixed-length hexadecimal signal types (pdq, md5, sha256)."""

from __future__ import annotations

from typing import ClassVar

from accord.errors import Phrase
from accord.signals.base import InvalidSignal, SignalType

_HEX_BYTES = b"0123456789abcdef"
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class HexSignal(SignalType):
    """A signal whose values are exactly ``hex_digits`` hex digits, stored lower-case.

    ``validate`` is the hot path of bulk import (a million calls), so it avoids
    regexes: strip, lower, a length test and one C-level ``bytes.translate``
    that deletes every hex digit and must leave nothing (about 250 ns).
    """

    hex_digits: ClassVar[int]

    @classmethod
    def validate(cls, value: str) -> str:
        """``hex_digits`` hex digits, any case, outer whitespace trimmed; returns lower case."""
        try:
            canonical = value.strip().lower()
            if len(canonical) == cls.hex_digits and not canonical.encode().translate(
                None, _HEX_BYTES
            ):
                return canonical
        except AttributeError:
            pass
        raise InvalidSignal.for_value(cls.name, value, _hex_rule(value, cls.hex_digits))


def _hex_rule(value: object, digits: int) -> Phrase:
    if not isinstance(value, str):
        return Phrase("expected a string of {digits} hex digits, got {kind}", digits=digits,
                      kind=type(value).__name__)
    text = value.strip()
    bad = next((i for i, ch in enumerate(text) if ch not in _HEX_DIGITS), None)
    if bad is not None:
        return Phrase("expected {digits} hex digits, found {found} at position {position}",
                      digits=digits, found=repr(text[bad]), position=bad)
    return Phrase("expected {digits} hex digits, got {count}", digits=digits, count=len(text))


def hamming_hex(a: str, b: str) -> int:
    """Number of differing bits between two equal-length hex strings."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
