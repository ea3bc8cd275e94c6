"""Collect the core's message ids from the code and write them into the catalogues.

``python -m accord.i18n.extract`` reads every module of ``accord/`` (with ``ast``, never
importing it) and collects the literal message ids of

- ``translate(locale, "<domain>", "message", ...)`` for any domain of ``DOMAINS``;
- the reports' shorthand ``tr(locale, "message", ...)`` (``accord.reports.document.tr``),
  which is domain ``reports``;
- for domain ``core``, the message template and ``hint=`` of every construction of an
  ``AccordError`` subclass (the subclasses found by their class definitions across
  ``accord/``): ``raise NotFound("no bank {bank}", hint="...", bank=name)``. A hint given
  as a name (``hint=_HINT``) is the string that name is assigned in the same module.
  Messages the web UI marks with ``N_()`` belong to its own catalogue, not here.
- for domain ``core`` too, the template of every ``Phrase("...", ...)``: a translatable
  part of a message, passed as one of its parameters (``accord.errors.Phrase``).

It then writes ``accord/i18n/locale/<locale>/LC_MESSAGES/<domain>.po`` for every locale
but English, keeping each translation already there, adding new ids with an empty
``msgstr`` and dropping ids the code no longer uses. Entries are sorted and carry no
source lines or dates, so running it twice, or after moving code about, changes nothing.

It writes the ``reports`` and ``core`` domains unless told otherwise (``--domain core``):
the ``vocab`` catalogues list codebook and taxonomy names, most of which reach
``translate`` as data, not as literals, so they are written from their sources of truth by
their own writer.
``tests/test_i18n.py`` runs :func:`extract` to check the catalogues are in sync.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from accord.i18n import DEFAULT, DOMAINS, LOCALES, catalogue_path

SOURCE = Path(__file__).resolve().parent.parent
SHORTHANDS = {"tr": "reports"}
"""Functions that are ``translate`` with a fixed domain: name -> domain."""
WRITTEN = ("reports", "core")
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


@cache
def _trees(root: Path) -> list[tuple[Path, ast.Module]]:
    """The parsed modules under ``root`` (parsed once per process: the tests ask often)."""
    return [(path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(root.rglob("*.py"))]


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def error_classes(trees: Iterable[tuple[Path, ast.Module]]) -> set[str]:
    """The names of ``AccordError`` and of every class deriving from it, by definition."""
    classes = [node for _, tree in trees for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)]
    names = {"AccordError"}
    grown = True
    while grown:
        grown = False
        for node in classes:
            if node.name not in names and any(_base_name(b) in names for b in node.bases):
                names.add(node.name)
                grown = True
    return names


def _constructions(tree: ast.Module, names: set[str]) -> Iterable[ast.Call]:
    """Calls that build an error: ``Invalid(...)``, and inside an error class
    ``cls(...)`` and ``super().__init__(...)``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in names:
            yield node
        if isinstance(node, ast.ClassDef) and node.name in names:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and (
                        (isinstance(inner.func, ast.Name) and inner.func.id == "cls")
                        or (isinstance(inner.func, ast.Attribute) and inner.func.attr == "__init__"
                            and isinstance(inner.func.value, ast.Call)
                            and _name(inner.func.value) == "super")):
                    yield inner


def _assigned_strings(tree: ast.Module) -> dict[str, set[str]]:
    """name -> the string literals assigned to it anywhere in the module."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs: list[tuple[ast.expr, ast.expr]] = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for name, value in pairs:
                text = _literal(value)
                if isinstance(name, ast.Name) and text is not None:
                    found.setdefault(name.id, set()).add(text)
    return found


def _hint(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "hint"), None)


def messages_by_class(root: Path = SOURCE) -> dict[str, set[str]]:
    """Each ``AccordError`` subclass constructed under ``root`` -> the message and hint
    templates it is constructed with (``cls(...)`` and ``super().__init__(...)`` count for
    the class they are written in)."""
    trees = _trees(root)
    names = error_classes(trees)
    found: dict[str, set[str]] = {}
    for _, tree in trees:
        strings = _assigned_strings(tree)
        owners = {id(inner): node.name for node in ast.walk(tree)
                  if isinstance(node, ast.ClassDef) and node.name in names
                  for inner in ast.walk(node)}
        for call in _constructions(tree, names):
            owner = _name(call) if _name(call) in names else owners.get(id(call), "AccordError")
            texts = found.setdefault(str(owner), set())
            message = _literal(call.args[0]) if call.args else None
            if message:
                texts.add(message)
            hint = _hint(call)
            if hint is not None and _literal(hint):
                texts.add(str(_literal(hint)))
            elif isinstance(hint, ast.Name):
                texts |= strings.get(hint.id, set())
    return {name: texts for name, texts in found.items() if texts}


_PASSED_ON = frozenset({"message_id", "hint_id"})
"""Attributes that hold another error's template, passed on as it is."""


def dynamic_messages(root: Path = SOURCE) -> list[str]:
    """``path:line`` of each construction of an ``AccordError`` subclass whose message or
    hint is not a constant template (an f-string, a concatenation, ``.format``...), which
    no catalogue can hold. A message may be a literal, a web ``N_("...")`` or another
    error's ``message_id``; a hint may also be a name or attribute (a constant, or another
    error's hint). Classes whose ``__init__`` takes no message are left out."""
    trees = _trees(root)
    names = error_classes(trees)
    own_init = {node.name for _, tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.ClassDef) and node.name in names
                and any(isinstance(f, ast.FunctionDef) and f.name == "__init__"
                        and [a.arg for a in f.args.posonlyargs + f.args.args][1:2] != ["message"]
                        for f in node.body)}
    errors = [f"{path.relative_to(root.parent)}:{call.lineno}" for path, tree in trees
              for call in _constructions(tree, names - own_init - {"AccordError"})
              if not _constant_call(call)]
    phrases = [f"{path.relative_to(root.parent)}:{node.lineno}" for path, tree in trees
               for node in ast.walk(tree) if isinstance(node, ast.Call)
               and _name(node) == "Phrase" and not (node.args and (
                   _literal(node.args[0]) or (isinstance(node.args[0], ast.Attribute)
                                              and node.args[0].attr in _PASSED_ON)))]
    return errors + phrases


def _constant_call(call: ast.Call) -> bool:
    message = call.args[0] if call.args else None
    if isinstance(call.func, ast.Attribute) and isinstance(message, ast.Name):
        return True                         # super().__init__(message, ...): passed through
    if not (_fixed(message) or (isinstance(message, ast.Attribute)
                                and message.attr == "message_id")):
        return False
    hint = _hint(call)
    return (hint is None or _fixed(hint) or isinstance(hint, ast.Name | ast.Attribute)
            or (isinstance(hint, ast.Constant) and hint.value is None)
            or (isinstance(hint, ast.Call) and _name(hint) == "hint_phrase"))


def _fixed(node: ast.expr | None) -> bool:
    """A literal string, or one marked ``N_("...")``."""
    if node is None:
        return False
    if isinstance(node, ast.Call) and _name(node) == "N_" and len(node.args) == 1:
        node = node.args[0]
    return _literal(node) is not None


def extract(domain: str, root: Path = SOURCE) -> set[str]:
    """Every literal message id of ``domain`` in the modules under ``root``."""
    return set(_extract(domain, root))


@cache
def _extract(domain: str, root: Path) -> frozenset[str]:
    trees = _trees(root)
    found: set[str] = (set().union(*messages_by_class(root).values()) if domain == "core"
                       else set())
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if domain == "core" and _name(node) == "Phrase" and node.args:
                    phrase = _literal(node.args[0])
                    if phrase is not None:
                        found.add(phrase)
                hit = _message(node)
                if hit is not None and hit[0] == domain:
                    found.add(hit[1])
    return frozenset(found)


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
    """``python -m accord.i18n.extract [--domain reports] [--domain core]``."""
    parser = argparse.ArgumentParser(prog="python -m accord.i18n.extract",
                                     description="Update the core catalogues from the code.")
    parser.add_argument("--domain", action="append", choices=DOMAINS,
                        help="a domain to write (repeat; default: reports and core)")
    domains = parser.parse_args(argv).domain or list(WRITTEN)
    for domain in domains:
        messages = extract(domain)
        paths = write(domain, messages)
        print(f"{domain}: {len(messages)} messages in {len(paths)} catalogues")


if __name__ == "__main__":
    main()
