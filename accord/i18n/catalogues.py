"""Writing the core's catalogues: a domain's message ids in, one stable ``.po`` file per locale out.

The caller says which message ids a domain holds (a *template*: each id with a note
telling the translator where it comes from); :func:`update` merges the template into
every shipped locale's catalogue with Babel: new ids arrive untranslated, ids no longer
in the template are dropped, translations of the others are kept. The file written is a
function of the template and the translations alone (sorted, no source lines, fixed
dates), so regenerating an unchanged catalogue changes no byte and a test can hold the
committed files equal to :func:`render`'s output.

Like the rest of :mod:`accord.i18n` this module imports nothing of Accord; the packages
that own the words list them (``accord.web.vocab.vocab_terms`` for the ``vocab`` domain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from accord.i18n import DEFAULT, LOCALES, catalogue_path

TRANSLATED = tuple(loc for loc in LOCALES if loc != DEFAULT)
"""The locales with a catalogue to write (English is the source language)."""

# Fixed dates keep a regenerated catalogue byte-for-byte equal to the committed one.
_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_HEADER = ("# Accord {domain} messages in {locale}. Update with: {command}\n"
           "# This file is distributed under the same licence as Accord (Apache-2.0).")


def template(domain: str, terms: Iterable[tuple[str, str]]) -> Catalog:
    """A template of ``domain`` holding each ``(message id, note for translators)``;
    an id listed twice keeps one entry carrying both notes."""
    catalog = Catalog(project=f"accord-{domain}", fuzzy=False, creation_date=_DATE)
    for message, note in terms:
        found = catalog.get(message)
        if found is None:
            catalog.add(message, None, auto_comments=[note])
        elif note not in found.auto_comments:
            found.auto_comments.append(note)
    return catalog


def read_catalogue(locale: str, domain: str) -> Catalog:
    """A locale's catalogue of ``domain`` as stored (an empty one when missing)."""
    path = catalogue_path(locale, domain)
    if not path.is_file():
        return Catalog(locale=locale, project=f"accord-{domain}")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def render(locale: str, domain: str, source: Catalog, command: str) -> bytes:
    """The ``.po`` file of ``domain`` in ``locale`` once ``source`` is merged into it:
    stored translations kept, new ids empty, vanished ids gone. ``command`` is the one
    that regenerates it, named in the file's header."""
    catalog = read_catalogue(locale, domain)
    catalog.update(source, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.project = f"accord-{domain}"
    catalog.version = ""
    catalog.creation_date = catalog.revision_date = _DATE
    catalog.last_translator = catalog.language_team = "Accord maintainers"
    catalog.msgid_bugs_address = ""
    catalog.header_comment = _HEADER.format(domain=domain, locale=locale, command=command)
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True,
             ignore_obsolete=True, include_previous=False, no_location=True)
    return out.getvalue()


def update(domain: str, source: Catalog, command: str) -> list[Path]:
    """Write ``domain``'s catalogue in every translated locale; the paths written."""
    written = []
    for locale in TRANSLATED:
        path = catalogue_path(locale, domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(locale, domain, source, command))
        written.append(path)
    return written


def untranslated(locale: str, domain: str, source: Catalog) -> list[str]:
    """The message ids of ``source`` with no translation in ``locale``'s stored catalogue."""
    stored = read_catalogue(locale, domain)
    missing = []
    for message in source:
        if not message.id:
            continue
        found = stored.get(message.id)
        if found is None or not found.string:
            missing.append(str(message.id))
    return missing
