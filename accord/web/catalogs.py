"""The UI's message catalogues: extract every marked string, update the ``.po`` files.

Run ``python -m accord.web.catalogs`` after changing a template or a view: it adds
new strings (untranslated) to every catalogue and marks vanished ones obsolete.
Then translate the empty entries; ``tests/web/test_catalogues.py`` fails while any
string is missing from the Chinese catalogue.

The same command rewrites the core's ``vocab`` catalogues (codebook and taxonomy words,
listed by ``accord.web.vocab.vocab_terms``) in every language but English;
``tests/i18n/test_vocab.py`` fails while one is out of date or a word is untranslated.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from accord.i18n import catalogues
from accord.web.i18n import LOCALE_DIR, LOCALES
from accord.web.vocab import vocab_terms

WEB = Path(__file__).resolve().parent
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
HEADER = ("# Accord web UI messages. Update with: python -m accord.web.catalogs\n"
          "# This file is distributed under the same licence as Accord (Apache-2.0).")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
COMMAND = "python -m accord.web.catalogs"


def extract_messages() -> Catalog:
    """Every string marked for translation in the UI's templates and Python modules."""
    template = Catalog(project="accord-web", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        WEB, METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}},
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def catalogue_path(locale: str) -> Path:
    """Where a locale's ``.po`` file lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def read_catalogue(locale: str) -> Catalog:
    """A locale's catalogue as stored (an empty one when missing)."""
    path = catalogue_path(locale)
    if not path.is_file():
        return Catalog(locale=locale, project="accord-web")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> None:
    """Merge the extracted strings into every locale's catalogue."""
    template = extract_messages()
    for locale in LOCALES:
        catalog = read_catalogue(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.header_comment = HEADER
        path = catalogue_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True,
                     ignore_obsolete=True, include_previous=False, no_location=True)


def vocab_template() -> Catalog:
    """The core's ``vocab`` domain: every codebook and taxonomy word, from its source."""
    return catalogues.template("vocab", vocab_terms())


def update_vocab() -> None:
    """Merge the vocab words into every translated locale's ``vocab.po``."""
    catalogues.update("vocab", vocab_template(), COMMAND)


if __name__ == "__main__":
    update()
    update_vocab()
