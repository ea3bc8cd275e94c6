"""Languages of the UI: gettext catalogues (Babel), locale choice, dates, numbers.

Catalogues live in ``accord/web/locale/<locale>/LC_MESSAGES/messages.po`` and are
compiled in memory when first used, so a fresh ``pip install -e .`` needs no build
step. The UI's languages are the core's (:data:`accord.i18n.LOCALES`, the six UN
languages) that have a UI catalogue: adding a language is adding its catalogue
(``python -m accord.web.catalogs --new LOCALE``, then translating it), and
``tests/web/test_catalogues.py`` holds every shipped catalogue complete. The text
direction (``dir="rtl"`` for Arabic) and the language's own name come from Babel's
locale data; choosing the reader's language is :func:`accord.i18n.negotiate`.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from accord import i18n as core_i18n

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = core_i18n.DEFAULT


def catalogue_path(locale: str) -> Path:
    """Where a locale's ``.po`` file lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def shipped_locales() -> tuple[str, ...]:
    """The core's languages, in its order, that have a UI catalogue (English always)."""
    return tuple(locale for locale in core_i18n.LOCALES
                 if locale == DEFAULT or catalogue_path(locale).is_file())


LOCALES = shipped_locales()
"""The UI's languages; a language the core lists joins when its catalogue exists."""
COOKIE = "accord_lang"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``locale`` (English is the source language)."""
    po = catalogue_path(locale)
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The reader's locale: the language switch's cookie, else the browser's preference."""
    if cookie in LOCALES:
        return cookie
    return core_i18n.negotiate(accept_language, LOCALES)


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def direction(locale: str) -> str:
    """``rtl`` for right-to-left scripts (Arabic), else ``ltr``: the page's dir attribute."""
    return core_i18n.direction(locale)


def html_lang(locale: str) -> str:
    """The BCP 47 tag for the page's lang attribute (``zh-Hans``)."""
    return core_i18n.html_lang(locale)


def language_name(locale: str) -> str:
    """A language's own name in its own language, as a menu item starts: العربية,
    Français, Русский, Español, 中文, English (the language, not the script or region)."""
    own = _locale(locale)
    name = own.get_language_name(own) or locale
    return name[:1].upper() + name[1:]


class Translator:
    """Gettext bound to one locale, with ``%(name)s`` parameters and Babel formats."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT
        self._catalog = translations(self.locale)

    def gettext(self, message: str, **params: Any) -> str:
        """``message`` in this locale, with ``params`` filled in."""
        text = self._catalog.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The singular or plural form for ``n``, with ``n`` formatted for the locale."""
        text = self._catalog.ngettext(singular, plural, n)
        return text % {"num": self.number(n), **params}

    def number(self, value: float | int | None) -> str:
        """A number with the locale's grouping (1,234,567)."""
        return "" if value is None else format_decimal(value, locale=self.locale)

    def datetime(self, value: dt.datetime | None) -> str:
        """A UTC time in the locale's medium format."""
        if value is None:
            return ""
        return format_datetime(value, "medium", tzinfo=dt.UTC, locale=self.locale)

    def date(self, value: dt.date | None) -> str:
        """A date in the locale's medium format."""
        return "" if value is None else format_date(value, "medium", locale=self.locale)
