"""Typed errors that every part of Accord raises and every edge maps once.

The core never knows about HTTP status codes or exit codes: ``accord.cli``
maps these classes to exit codes, the API to problem+json responses. Messages
say what failed and carry the offending key and value (trimmed, never the
content itself); ``hint`` says what to do about it.
"""

from __future__ import annotations

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
