"""Collect the core's message ids from the code and write them into the catalogues.

``python -m accord.i18n.extract`` reads every module of ``accord/`` (with ``ast``, never
importing it) and collects the literal message ids of

- ``translate(locale, "<domain>", "message", ...)`` for any domain of ``DOMAINS``;
- the reports' shorthand ``tr(locale, "message", ...)`` (``accord.reports.document.tr``),
  which is domain ``reports``.

It then writes ``accord/i18n/locale/<locale>/LC_MESSAGES/<domain>.po`` for every locale
but English, keeping each translation already there, adding new ids with an empty
``msgstr`` and dropping ids the code no longer uses. Entries are sorted and carry no
source lines or dates, so running it twice, or after moving code about, changes nothing.

It writes the ``reports`` domain unless told otherwise (``--domain core``): the ``vocab``
catalogues list codebook and taxonomy names, most of which reach ``translate`` as data,
not as literals, so they are written from their sources of truth by their own writer.
``tests/test_i18n.py`` runs :func:`extract` to check the catalogues are in sync.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from accord.i18n import DEFAULT, DOMAINS, LOCALES, catalogue_path

SOURCE = Path(__file__).resolve().parent.parent
SHORTHANDS = {"tr": "reports"}
"""Functions that are ``translate`` with a fixed domain: name -> domain."""
WRITTEN = ("reports",)
"""The domains ``python -m accord.i18n.extract`` writes by default."""
_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # fixed: the files change only with their text


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _message(call: ast.Call) -> tuple[str, str] | None:
    """(domain, message id) of a translating call with a literal id, else None."""
    name = _name(call)
    if name == "translate" and len(call.args) >= 3:
        domain, message = _literal(call.args[1]), _literal(call.args[2])
        if domain in DOMAINS and message is not None:
            return domain, message
    elif name in SHORTHANDS and len(call.args) >= 2:
        message = _literal(call.args[1])
        if message is not None:
            return SHORTHANDS[name], message
    return None


def extract(domain: str, root: Path = SOURCE) -> set[str]:
    """Every literal message id of ``domain`` in the modules under ``root``."""
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                hit = _message(node)
                if hit is not None and hit[0] == domain:
                    found.add(hit[1])
    return found


def _read(path: Path, locale: str) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=locale) if m.id}


def write(domain: str, messages: Iterable[str], locales: Iterable[str] = LOCALES) -> list[Path]:
    """Write ``domain``'s catalogue for each locale but English: ``messages`` with the
    translations already there; the paths written."""
    wanted = sorted(set(messages))
    written = []
    for locale in locales:
        if locale == DEFAULT:
            continue
        path = catalogue_path(locale, domain)
        known = _read(path, locale)
        catalog = Catalog(locale=locale, domain=domain, project="Accord", version="1",
                          creation_date=_DATE, revision_date=_DATE,
                          language_team=f"{locale} <accord@localhost>",
                          last_translator="Accord <accord@localhost>",
                          header_comment=f"# Accord's {domain} catalogue in {locale}: "
                          "python -m accord.i18n.extract keeps it in step with the code.",
                          fuzzy=False)
        for message in wanted:
            catalog.add(message, known.get(message, ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """``python -m accord.i18n.extract [--domain reports]``."""
    parser = argparse.ArgumentParser(prog="python -m accord.i18n.extract",
                                     description="Update the core catalogues from the code.")
    parser.add_argument("--domain", action="append", choices=DOMAINS,
                        help="a domain to write (repeat; default: reports)")
    domains = parser.parse_args(argv).domain or list(WRITTEN)
    for domain in domains:
        messages = extract(domain)
        paths = write(domain, messages)
        print(f"{domain}: {len(messages)} messages in {len(paths)} catalogues")


if __name__ == "__main__":
    main()
