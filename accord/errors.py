"""Typed errors that every part of Accord raises and every edge maps once.

The core never raises anything HTTP-shaped: ``accord.cli`` maps these classes
to exit codes, and both web edges (the API's problem+json and the UI's error
pages) take their status from the one table here, ``HTTP_STATUS``. Messages
say what failed and carry the offending key and value (trimmed, never the
content itself); ``hint`` says what to do about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

MAX_ECHO = 60
Choice = TypeVar("Choice", bound=StrEnum)


def trimmed(value: object, limit: int = MAX_ECHO) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for error messages.

    Untrusted input (a partner's file, an HTTP body) is never echoed whole.
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class AccordError(Exception):
    """Base class of every error Accord reports to a user."""

    title = "Accord error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nHint: {self.hint}"


class Invalid(AccordError):
    """The input is malformed or breaks a rule (bad hash, unknown label...)."""

    title = "Invalid input"


class Unprocessable(Invalid):
    """The input is well formed but holds what Accord may not store (personal data)."""

    title = "Unprocessable input"


class NotFound(AccordError):
    """A named object does not exist (or the caller may not know it exists)."""

    title = "Not found"


class Conflict(AccordError):
    """The change clashes with what is stored (duplicate name, wrong state)."""

    title = "Conflict"


class PermissionDenied(AccordError):
    """The actor's role or partner does not allow this action."""

    title = "Permission denied"


class PartnerUnavailable(AccordError):
    """Something outside this process did not answer: a database, a peer node."""

    title = "Unavailable"


class IntegrityError(AccordError):
    """Stored data failed a consistency check (for example the audit chain)."""

    title = "Integrity check failed"


class Unauthorized(AccordError):
    """No credentials, or unknown or revoked ones (HTTP 401)."""

    title = "Unauthorized"


class TooLarge(AccordError):
    """The request body is over the limit (HTTP 413)."""

    title = "Request too large"


class TooManyRequests(AccordError):
    """The caller's rate limit is spent (HTTP 429)."""

    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, hint=f"retry after {retry_after:.1f} s")
        self.retry_after = retry_after


class NotAcceptable(AccordError):
    """The client accepts no media type this route answers in (HTTP 406)."""

    title = "Not acceptable"


class UnsupportedMediaType(AccordError):
    """The request body is in a media type this route does not read (HTTP 415)."""

    title = "Unsupported media type"


# The one table of HTTP statuses, for the API and the web UI alike (plain ints: no
# framework here). A class not listed takes its nearest listed ancestor's status.
HTTP_STATUS: dict[type[AccordError], int] = {
    Invalid: 400,
    Unprocessable: 422,
    Unauthorized: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    NotAcceptable: 406,
    TooLarge: 413,
    UnsupportedMediaType: 415,
    TooManyRequests: 429,
    IntegrityError: 500,
    PartnerUnavailable: 503,
}


def nearest(table: Mapping[type[AccordError], int], error: AccordError, default: int) -> int:
    """``error``'s entry in an edge's table (HTTP statuses, exit codes): that of its
    nearest class listed there, else ``default``."""
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return default


def http_status(error: AccordError) -> int:
    """The HTTP status for ``error``, by its nearest class in ``HTTP_STATUS`` (else 400)."""
    return nearest(HTTP_STATUS, error, 400)


def parse_choice(choices: type[Choice], text: str, what: str) -> Choice:
    """``text`` (case-insensitive, ``_`` read as ``-``) as one of ``choices``.

    Raises ``Invalid`` naming what was given and listing the accepted values.
    """
    key = text.strip().lower().replace("_", "-") if isinstance(text, str) else text
    try:
        return choices(key)
    except ValueError:
        raise Invalid(f"{what} {trimmed(text)} is not known",
                      hint="use one of " + ", ".join(c.value for c in choices)) from None
