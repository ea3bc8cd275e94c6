"""Languages of the UI: gettext catalogues (Babel), locale choice, dates, numbers.

Catalogues live in ``accord/web/locale/<locale>/LC_MESSAGES/messages.po`` and are
compiled in memory when first used, so a fresh ``pip install -e .`` needs no build
step. Adding a language (Arabic, right to left, included) is adding a catalogue
and its code to ``LOCALES``; the text direction comes from Babel's locale data.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALES = ("en", "zh_Hans")
DEFAULT = "en"
COOKIE = "accord_lang"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``locale`` (English is the source language)."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
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
    wanted = [part.split(";")[0].strip().replace("-", "_")
              for part in (accept_language or "").split(",") if part.strip()]
    # Browsers send zh-CN or zh; both read Simplified Chinese here.
    wanted = ["zh_Hans" if w.lower() in ("zh", "zh_cn", "zh_sg", "zh_hans") else w
              for w in wanted]
    return negotiate_locale(wanted, list(LOCALES), sep="_") or DEFAULT


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def direction(locale: str) -> str:
    """``rtl`` for right-to-left scripts (Arabic), else ``ltr``: the page's dir attribute."""
    return "rtl" if _locale(locale).character_order == "right-to-left" else "ltr"


def html_lang(locale: str) -> str:
    """The BCP 47 tag for the page's lang attribute (``zh-Hans``)."""
    return locale.replace("_", "-")


def language_name(locale: str) -> str:
    """A language's own name for itself, for the language switch."""
    return _locale(locale).get_display_name(_locale(locale)) or locale


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
