"""Every user-facing string of the UI is marked, and translated in the Chinese catalogue."""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from pathlib import Path

import pytest

from accord.curation.opinions import OpinionKind
from accord.curation.signals import Status
from accord.review.service import MatchState
from accord.sharing.roles import Role
from accord.sharing.service import PartnerKind
from accord.web.catalogs import extract_messages, read_catalogue
from accord.web.vocab import CODES

TEMPLATES = Path(__file__).resolve().parents[2] / "accord" / "web" / "templates"
TRANSLATED = ("zh_Hans",)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_string_is_translated(locale: str) -> None:
    catalogue = read_catalogue(locale)
    missing = []
    for message in extract_messages():
        if not message.id:
            continue
        found = catalogue.get(message.id)
        strings = (found.string if isinstance(found.string, tuple) else (found.string,)) \
            if found is not None else ("",)
        if not all(strings):
            missing.append(_ids(message.id))
    assert missing == [], f"translate these in {locale} (python -m accord.web.catalogs): {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_every_placeholder(locale: str) -> None:
    wrong = []
    for message in read_catalogue(locale):
        if not message.id or not message.string:
            continue
        wanted = set(_PLACEHOLDER.findall(_ids(message.id)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [_ids(message.id) for s in strings if set(_PLACEHOLDER.findall(s)) != wanted]
    assert wrong == []


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
