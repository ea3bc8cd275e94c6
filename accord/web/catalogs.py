"""The UI's message catalogues: extract every marked string, update the ``.po`` files.

Run ``python -m accord.web.catalogs`` after changing a template or a view: it adds
new strings (untranslated) to every catalogue and marks vanished ones obsolete.
Then translate the empty entries; ``tests/web/test_catalogues.py`` fails while any
string is missing from a shipped catalogue.

A new language (one of :data:`accord.i18n.LOCALES`): ``--new LOCALE`` writes its
catalogue with Babel's ``Plural-Forms`` header and every message id, untranslated.
``--fill LOCALE FILE.json`` copies translations from a JSON object (message id ->
text, or the list of every plural form for a plural message) into the catalogue,
written the same way as an update so a later regeneration changes nothing.

The same command rewrites the core's ``vocab`` catalogues (codebook and taxonomy words,
listed by ``accord.web.vocab.vocab_terms``) in every language but English;
``tests/i18n/test_vocab.py`` fails while one is out of date or a word is untranslated.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from accord import i18n as core_i18n
from accord.i18n import catalogues
from accord.web.i18n import catalogue_path, shipped_locales
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


def read_catalogue(locale: str) -> Catalog:
    """A locale's catalogue as stored (an empty one when missing)."""
    path = catalogue_path(locale)
    if not path.is_file():
        return Catalog(locale=locale, project="accord-web")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalogue(locale: str, catalog: Catalog) -> None:
    """Store a locale's catalogue in the one layout every tool here writes."""
    catalog.fuzzy = False
    catalog.header_comment = HEADER
    path = catalogue_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True,
                 ignore_obsolete=True, include_previous=False, no_location=True)


def update(locales: tuple[str, ...] | None = None) -> None:
    """Merge the extracted strings into every shipped locale's catalogue."""
    template = extract_messages()
    for locale in locales or shipped_locales():
        catalog = read_catalogue(locale)
        stored = catalog.creation_date if catalogue_path(locale).is_file() else None
        catalog.update(template, no_fuzzy_matching=True)
        # Keep the stored date: a regeneration that changes no string changes no byte,
        # so branches that each regenerate do not conflict on the header alone.
        catalog.creation_date = stored or catalog.creation_date
        write_catalogue(locale, catalog)


def new(locale: str) -> None:
    """Start the catalogue of one of the core's languages (every message, untranslated)."""
    if locale not in core_i18n.LOCALES:
        raise SystemExit(f"{locale!r} is not one of accord.i18n.LOCALES "
                         f"({', '.join(core_i18n.LOCALES)}); add it there first.")
    update((locale,))


def apply(catalog: Catalog, translations: dict[str, str | list[str]]) -> list[str]:
    """Set ``translations`` in ``catalog``; the message ids it does not hold.

    A plural message takes the list of its forms (a lone text, or too few forms, is
    repeated into the catalogue's ``num_plurals``; extra forms are dropped)."""
    unknown = []
    for msgid, text in translations.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
        elif message.pluralizable:
            forms = [text] if isinstance(text, str) else list(text)
            forms += forms[-1:] * (catalog.num_plurals - len(forms))
            message.string = tuple(forms[:catalog.num_plurals])
        else:
            message.string = text if isinstance(text, str) else text[0]
    return unknown


def fill(locale: str, translations: dict[str, str | list[str]]) -> list[str]:
    """Copy ``translations`` into ``locale``'s stored catalogue; the ids it does not know."""
    catalog = read_catalogue(locale)
    unknown = apply(catalog, translations)
    write_catalogue(locale, catalog)
    return unknown


def main(argv: list[str] | None = None) -> None:
    """``python -m accord.web.catalogs [--new LOCALE | --fill LOCALE FILE.json]``."""
    parser = argparse.ArgumentParser(prog="python -m accord.web.catalogs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--new", metavar="LOCALE", help="start a language's catalogue")
    parser.add_argument("--fill", nargs=2, metavar=("LOCALE", "FILE.json"),
                        help="copy translations from a JSON object into a catalogue")
    args = parser.parse_args(argv)
    if args.new:
        new(args.new)
    elif args.fill:
        locale, source = args.fill
        try:
            translations = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SystemExit(f"{source}: not a readable JSON object ({error})") from None
        if not isinstance(translations, dict):
            raise SystemExit(f"{source}: not a JSON object of message id -> translation")
        unknown = fill(locale, translations)
        if unknown:
            raise SystemExit(f"not in the {locale} catalogue: {unknown}")
    else:
        update()
        update_vocab()


def vocab_template() -> Catalog:
    """The core's ``vocab`` domain: every codebook and taxonomy word, from its source."""
    return catalogues.template("vocab", vocab_terms())


def update_vocab() -> None:
    """Merge the vocab words into every translated locale's ``vocab.po``."""
    catalogues.update("vocab", vocab_template(), COMMAND)


if __name__ == "__main__":
    main()
