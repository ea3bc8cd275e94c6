"""Typed errors that every part of Accord raises and every edge maps once.

The core never raises anything HTTP-shaped: ``accord.cli`` maps these classes
to exit codes, and both web edges (the API's problem+json and the UI's error
pages) take their status from the one table here, ``HTTP_STATUS``. Messages
say what failed and carry the offending key and value (trimmed, never the
content itself); ``hint`` says what to do about it.

A message is a *template* with named parameters, ``NotFound("no bank {bank}",
bank=name)``: the template is the message id of the ``core`` catalogue
(``accord/i18n/locale/<locale>/LC_MESSAGES/core.po``), the parameters are the values,
never translated. ``message``, ``hint`` and ``str()`` read in English, as the CLI and
the logs print them; :meth:`AccordError.localized` gives the same words in a reader's
language for the API and the web UI. Templates are constant strings
(``tests/test_i18n.py`` fails on an f-string), so ``python -m accord.i18n.extract``
can collect them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

MAX_ECHO = 60
Choice = TypeVar("Choice", bound=StrEnum)


def trimmed(value: object, limit: int = MAX_ECHO) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for error messages.

    Untrusted input (a partner's file, an HTTP body) is never echoed whole.
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _filled(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with its fields filled; as written when it does not fit ``params`` (a
    hint passed on from another error is already filled), so building an error never
    fails."""
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template


def _translated(locale: str | None, template: str, params: Mapping[str, Any],
                english: str) -> str:
    from accord import i18n  # Babel loads only when an edge translates, not per CLI start

    try:
        return i18n.translate(locale, "core", template, **params)
    except (KeyError, IndexError, ValueError, AttributeError):
        return english      # a template that never fitted its parameters (see _filled)


class _Words:
    """Words that read as their English text in ``str()``, ``repr()`` and formatting."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Phrase(_Words):
    """A part of a message that is itself a template, passed as a parameter:
    ``InvalidSignal.for_value("md5", value, Phrase("expected {digits} hex digits",
    digits=32))``. It reads in English as ``str()``; an edge that translates the message
    translates the phrase too (catalogue ``core``, collected like error templates)."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template, self.params = template, params

    def __str__(self) -> str:
        return _filled(self.template, self.params)

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, Phrase | str) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def localized(self, locale: str | None) -> str:
        """The phrase in ``locale`` (English where the catalogue lacks it)."""
        return _translated(locale, self.template, _localized(locale, self.params), str(self))


class Joined(_Words):
    """Parts of a message listed with a separator (``"; "``), each :class:`Phrase` among
    them translated with the message."""

    __slots__ = ("parts", "separator")

    def __init__(self, separator: str, parts: Iterable[object]) -> None:
        self.separator, self.parts = separator, tuple(parts)

    def __str__(self) -> str:
        return self.separator.join(map(str, self.parts))

    def localized(self, locale: str | None) -> str:
        """The parts in ``locale``, joined."""
        return self.separator.join(part.localized(locale) if isinstance(part, Phrase | Joined)
                                   else str(part) for part in self.parts)


def _localized(locale: str | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with each :class:`Phrase` (or :class:`Joined`) among them in ``locale``."""
    return {key: value.localized(locale) if isinstance(value, Phrase | Joined) else value
            for key, value in params.items()}


class AccordError(Exception):
    """Base class of every error Accord reports to a user.

    ``message`` and ``hint`` are templates (``"no bank {bank}"``) filled from
    ``params``; ``message_id``, ``hint_id`` and ``params`` keep them apart for the
    edges that translate.
    """

    title = "Accord error"

    def __init__(self, message: str, /, *, hint: str | Phrase | None = None,
                 **params: Any) -> None:
        self.message_id = message
        self.params = params
        # A hint passed on from another error (``hint=inner.hint_phrase()``) keeps its own
        # template and parameters, so it translates too.
        self.hint_id, self._hint_params = ((hint.template, hint.params)
                                           if isinstance(hint, Phrase) else (hint, params))
        self.message = _filled(message, params)
        self.hint = None if self.hint_id is None else _filled(self.hint_id, self._hint_params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nHint: {self.hint}"

    def localized(self, locale: str | None) -> tuple[str, str | None]:
        """The message and hint in ``locale`` (catalogue ``core``); English for an unknown
        locale or a message the catalogue lacks. The parameters are kept as they are, but
        for a :class:`Phrase`, which is translated too."""
        message = _translated(locale, self.message_id, _localized(locale, self.params),
                              self.message)
        hint = (None if self.hint_id is None or self.hint is None
                else _translated(locale, self.hint_id,
                                 _localized(locale, self._hint_params), self.hint))
        return message, hint

    def phrase(self) -> Phrase:
        """The message as a :class:`Phrase`, to pass on inside another error's message
        (``reason=inner.phrase()``) and still translate."""
        return Phrase(self.message_id, **self.params)

    def hint_phrase(self) -> Phrase | None:
        """The hint as a :class:`Phrase` (``hint=inner.hint_phrase()``), or None."""
        return None if self.hint_id is None else Phrase(self.hint_id, **self._hint_params)

    def public_params(self) -> dict[str, str | int | float | bool | None]:
        """``params`` as JSON scalars (other values as their text), for clients that
        translate the message themselves."""
        return {key: value if value is None or isinstance(value, str | int | float | bool)
                else str(value) for key, value in self.params.items()}


def said(error: AccordError | None, english: str, locale: str | None) -> str:
    """What a refusal kept as ``english`` says in ``locale``: its error's message
    translated, or the text as it is where no error was kept."""
    return english if error is None else error.localized(locale)[0]


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

    def __init__(self, message: str, /, *, retry_after: float, **params: Any) -> None:
        super().__init__(message, hint="retry after {retry_after:.1f} s",
                         retry_after=retry_after, **params)
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
        raise Invalid("{what} {value} is not known", hint="use one of {choices}", what=what,
                      value=trimmed(text),
                      choices=", ".join(c.value for c in choices)) from None
