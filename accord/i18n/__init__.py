"""Languages of the core: the six UN languages, gettext catalogues per domain, negotiation.

Every edge (API, CLI, web UI) and every core package that puts words in front of a
reader goes through here, so a language is chosen and a message translated in one
place. The core itself stays in English: stored codes, JSON field names and log
lines never change with the reader's language; only text meant to be read does.

Catalogues live in ``accord/i18n/locale/<locale>/LC_MESSAGES/<domain>.po`` and are
compiled in memory on first use (no build step after ``pip install -e .``):

- ``core``: errors and hints raised by core services (message ids with ``{name}``
  parameters, see :mod:`accord.errors`);
- ``vocab``: codebooks and taxonomy (GTD attack, target, weapon and region names,
  taxonomy titles and definitions, purposes, opinion kinds, partner kinds, audit
  actions);
- ``reports``: the incident, flow and transparency reports' text, chart titles,
  axes and legends.

The web UI's page chrome keeps its own catalogue (``accord/web/locale``, domain
``messages``). English is the source language: an ``en`` catalogue may exist but an
English msgid is always its own translation. Parameters are ``str.format`` fields
(``{bank}``); a translation must keep every field of its message id
(``tests/test_i18n.py``).

This module imports nothing of Accord, so every core package may use it.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALES = ("en", "zh_Hans", "ar", "fr", "ru", "es")
"""The six UN languages, by the locale names Babel and the catalogue folders use."""
DEFAULT = "en"
DOMAINS = ("core", "vocab", "reports")

_ALIASES = {"zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "zh_hans": "zh_Hans",
            "zh_hans_cn": "zh_Hans"}


def catalogue_path(locale: str, domain: str) -> Path:
    """Where a locale's ``.po`` file of ``domain`` lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalogue(locale: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``domain`` in ``locale`` (none: English, the source)."""
    po = catalogue_path(locale, domain)
    if locale == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def translate(locale: str | None, domain: str, message: str, **params: Any) -> str:
    """``message`` (an English message id) in ``locale``, its ``{fields}`` filled from
    ``params``. An unknown locale, or a message not in the catalogue, reads in English."""
    if not message:
        return message  # gettext("") is the catalogue's header, never a reader's word
    text = catalogue(canonical(locale), domain).gettext(message)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return message.format(**params)  # a broken translation never hides the message


def canonical(tag: str | None) -> str:
    """The locale of ``LOCALES`` that a language tag names (``zh-CN`` -> ``zh_Hans``,
    ``ar-EG`` -> ``ar``, ``fr_FR`` -> ``fr``); English when it names none."""
    if not tag:
        return DEFAULT
    key = tag.strip().replace("-", "_")
    if key in LOCALES:
        return key
    lowered = key.lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    base = lowered.split("_")[0]
    if base == "zh":
        return "zh_Hans" if "hant" not in lowered and "tw" not in lowered else DEFAULT
    return base if base in LOCALES else DEFAULT


def negotiate(accept_language: str | None, supported: tuple[str, ...] = LOCALES) -> str:
    """The reader's locale from an ``Accept-Language`` header (quality order kept)."""
    wanted: list[tuple[float, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            wanted.append((-quality + index * 1e-6, tag.strip()))
    for _, tag in sorted(wanted):
        if tag == "*":
            continue
        locale = canonical(tag)
        if locale in supported and (locale != DEFAULT or tag.lower().startswith("en")):
            return locale
    return DEFAULT


@cache
def direction(locale: str) -> str:
    """``rtl`` for right-to-left scripts (Arabic), else ``ltr``."""
    return "rtl" if Locale.parse(canonical(locale)).character_order == "right-to-left" else "ltr"


def html_lang(locale: str) -> str:
    """The BCP 47 tag for a page's ``lang`` attribute (``zh-Hans``)."""
    return canonical(locale).replace("_", "-")
