"""Every user-facing string of the UI is marked, and translated in every shipped catalogue:
none missing or empty (every plural form given), none dropping a placeholder or a
keyboard shortcut's letter, and every catalogue folder a language the UI offers."""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from accord.curation.opinions import OpinionKind
from accord.curation.signals import Status
from accord.review.service import MatchState
from accord.sharing.roles import Role
from accord.sharing.service import PartnerKind
from accord.web.catalogs import apply, extract_messages, read_catalogue
from accord.web.i18n import DEFAULT, LOCALE_DIR, LOCALES
from accord.web.vocab import CODES

TEMPLATES = Path(__file__).resolve().parents[2] / "accord" / "web" / "templates"
TRANSLATED = tuple(locale for locale in LOCALES if locale != DEFAULT)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# The review queue's keyboard help, as the template marks it (whatever its wording now).
SHORTCUTS = re.search(r'id="shortcuts">\{\{ _\("([^"]+)"\) \}\}',
                      (TEMPLATES / "review.html").read_text()).group(1)  # type: ignore[union-attr]
_KEYS = re.compile(r'data-key="(\w)"')


def _ids(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _forms(string: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string or "",)


def untranslated(catalogue: Catalog, template: Catalog) -> list[str]:
    """Message ids of ``template`` missing from ``catalogue``, empty, or short of a plural form."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        forms = _forms(found.string) if found is not None else ("",)
        wanted = catalogue.num_plurals if message.pluralizable else 1
        if len(forms) != wanted or not all(form.strip() for form in forms):
            missing.append(_ids(message.id))
    return missing


def dropped_placeholders(catalogue: Catalog) -> list[str]:
    """Message ids whose translation (any plural form) lacks or adds a ``%(name)s``."""
    wrong = []
    for message in catalogue:
        if not message.id or not any(_forms(message.string)):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
        wrong += [_ids(message.id) for form in _forms(message.string)
                  if form and set(_PLACEHOLDER.findall(form)) != wanted]
    return wrong


def shortcut_keys() -> list[str]:
    """The review queue's keys: j/k to move, and each verdict button's ``data-key``."""
    return ["j", "k", *_KEYS.findall((TEMPLATES / "review.html").read_text())]


def dropped_keys(catalogue: Catalog) -> list[str]:
    """Shortcut keys the translated keyboard help does not name (each standing alone)."""
    text = _forms(catalogue[SHORTCUTS].string)[0] if SHORTCUTS in catalogue else ""
    return [key for key in [*shortcut_keys(), "?"]
            if not re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text)]


def test_the_ui_ships_every_catalogue_there_is() -> None:
    folders = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert folders == set(LOCALES)
    assert "zh_Hans" in TRANSLATED


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_string_is_translated(locale: str) -> None:
    missing = untranslated(read_catalogue(locale), extract_messages())
    assert missing == [], f"translate these in {locale} (python -m accord.web.catalogs): {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_every_placeholder(locale: str) -> None:
    assert dropped_placeholders(read_catalogue(locale)) == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_keyboard_help_names_the_keys_that_work(locale: str) -> None:
    assert set(shortcut_keys()) >= {"j", "k", "c", "y", "n"}
    assert dropped_keys(read_catalogue(locale)) == []


def test_the_checks_find_missing_empty_short_and_placeholder_dropping_strings() -> None:
    template = Catalog()
    for message_id in ("Kept", "Missing", "Empty", "Blank", "Bank %(name)s", SHORTCUTS):
        template.add(message_id)
    template.add(("%(num)s row", "%(num)s rows"))
    catalogue = Catalog(locale="ar")
    catalogue.add("Kept", "محفوظ")
    catalogue.add("Empty", "")
    catalogue.add("Blank", "  ")
    catalogue.add("Bank %(name)s", "بنك")
    catalogue.add(("%(num)s row", "%(num)s rows"), ("%(num)s", "%(num)s", "", "%(num)s",
                                                    "%(num)s", "%(num)s"))
    every_key = " ".join(shortcut_keys())
    catalogue.add(SHORTCUTS, f"{every_key} ?")
    assert untranslated(catalogue, template) == ["Missing", "Empty", "Blank", "%(num)s row"]
    assert dropped_placeholders(catalogue) == ["Bank %(name)s"]
    catalogue[SHORTCUTS].string = f"{every_key.replace(' n', ' yn')} ?"
    assert dropped_keys(catalogue) == ["n"]


def test_translations_from_json_fill_every_plural_form_and_name_unknown_ids() -> None:
    catalogue = Catalog(locale="ar")
    catalogue.add("Signals")
    catalogue.add(("%(num)s peer", "%(num)s peers"))
    unknown = apply(catalogue, {"Signals": "الإشارات", "%(num)s peer": ["%(num)s نظير",
                                "%(num)s نظير", "%(num)s نظيران", "%(num)s نظراء"],
                                "Nowhere": "لا مكان"})
    assert unknown == ["Nowhere"]
    assert catalogue["Signals"].string == "الإشارات"
    assert catalogue["%(num)s peer"].string == ("%(num)s نظير", "%(num)s نظير", "%(num)s نظيران",
                                                "%(num)s نظراء", "%(num)s نظراء", "%(num)s نظراء")
    assert untranslated(catalogue, catalogue) == []


# Jinja tags, comments and expressions, script bodies, HTML comments, then tags.
_CODE = re.compile(r"{%.*?%}|{#.*?#}|{{.*?}}|<script.*?</script>|<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_SHOWN_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
# Not words to translate: the product name in the code, entities and punctuation.
_NEUTRAL = re.compile(r"&\w+;|[\s·—…:()%,./?|=“”\-]+")


def _literal_text(source: str) -> list[str]:
    found = [v for v in _SHOWN_ATTRIBUTE.findall(_CODE.sub("", source)) if v.strip()]
    text = _TAG.sub("\n", _CODE.sub("\n", source))
    found += [line.strip() for line in text.splitlines() if _NEUTRAL.sub("", line)]
    return found


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_have_no_text_outside_the_catalogue(template: str) -> None:
    assert _literal_text((TEMPLATES / template).read_text()) == []


def test_the_check_finds_unmarked_text() -> None:
    assert _literal_text('<p>Hello {{ _("World") }}</p><input placeholder="Name">') == \
        ["Name", "Hello"]


@pytest.mark.parametrize("codes", [Status, MatchState, OpinionKind, Role, PartnerKind])
def test_every_stored_code_shown_as_a_word_is_in_the_catalogue(codes: type[StrEnum]) -> None:
    assert [c.value for c in codes if c.value not in CODES] == []


_ERRORS = {"AccordError", "Invalid", "NotFound", "Conflict", "PermissionDenied",
           "PartnerUnavailable", "IntegrityError", "SignInRequired"}


def _unmarked_error_texts(path: Path) -> list[str]:
    """Messages and hints of errors raised in ``path`` that are not ``N_("...")``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _ERRORS):
            continue
        texts = node.args[:1] + [k.value for k in node.keywords if k.arg == "hint"]
        found += [f"{path.name}:{node.lineno}" for t in texts
                  if not (isinstance(t, ast.Call) and isinstance(t.func, ast.Name)
                          and t.func.id == "N_")]
    return found


def test_errors_the_ui_raises_itself_are_in_the_catalogue() -> None:
    web = TEMPLATES.parent
    assert [e for p in sorted(web.rglob("*.py")) for e in _unmarked_error_texts(p)] == []
