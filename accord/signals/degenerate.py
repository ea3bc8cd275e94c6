"""Degenerate hash values: well-formed, but no real content hashes to them.

An all-zero PDQ (a blank or failed hash; StopNCII once sent one and it broke HMA's
index builds), an all-F digest, or a value that repeats a short pattern matches
far too much or nothing real. A value shared by someone else is checked here
before it is stored (``accord.exchange.pytx_peers``); values a partner curates by
hand keep only their type's rule (the examples include such patterns on purpose).
"""

from __future__ import annotations

from accord.signals._hex import HexSignal
from accord.signals.registry import get_signal_type

MIN_DISTINCT_DIGITS = 3
"""A real 128-bit (or longer) hash uses many hex digits; two or fewer is no hash."""


def degenerate_reason(signal_type: str, value: str) -> str | None:
    """Why the canonical ``value`` of ``signal_type`` is degenerate, or None when it is
    not (only fixed-length hexadecimal types are judged: pdq, md5, sha256)."""
    if not issubclass(get_signal_type(signal_type), HexSignal):
        return None
    distinct = len(set(value))
    if distinct == 1:
        return f"degenerate {signal_type}: every digit is {value[0]!r}"
    if distinct < MIN_DISTINCT_DIGITS:
        return f"degenerate {signal_type}: only {distinct} distinct hex digits"
    for period in range(1, len(value) // 4 + 1):
        if len(value) % period == 0 and value == value[:period] * (len(value) // period):
            return (f"degenerate {signal_type}: the {period}-digit pattern "
                    f"{value[:period]!r} repeated")
    return None
