"""The core's languages: which locale a reader gets, and how a message is translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from accord import i18n
from accord.errors import Invalid, NotFound
from accord.i18n import extract
from accord.signals.base import InvalidSignal
from accord.signals.digest import Md5Signal as MD5

_FIELD = re.compile(r"{(\w+)[^}]*}")
REQUIRED = ("reports", "core")
"""Domains every language must ship a complete catalogue of."""


@pytest.mark.parametrize(("header", "locale"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
    ("ar-EG", "ar"),
    ("de-DE,fr;q=0.5", "fr"),
    ("es-419", "es"),
    ("ru", "ru"),
    ("en-US,fr;q=0.9", "en"),
    ("fr;q=0.2,ru;q=0.8", "ru"),
    ("zh-TW", "en"),
    ("", "en"),
    ("*;q=0.1", "en"),
    ("fr;q=nonsense,es", "es"),
])
def test_accept_language_chooses_one_of_the_six_un_languages(header: str, locale: str) -> None:
    assert i18n.negotiate(header) == locale


def test_arabic_reads_right_to_left_and_the_others_left_to_right() -> None:
    assert [i18n.direction(loc) for loc in i18n.LOCALES] == [
        "rtl" if loc == "ar" else "ltr" for loc in i18n.LOCALES]
    assert i18n.html_lang("zh_Hans") == "zh-Hans"


def test_an_unknown_message_or_locale_reads_in_english_with_its_parameters() -> None:
    assert i18n.translate("fr", "core", "no gadget {bank}", bank="tvec") == "no gadget tvec"
    assert i18n.translate("xx", "core", "no gadget {bank}", bank="tvec") == "no gadget tvec"
    assert i18n.translate(None, "vocab", "Armed Assault") == "Armed Assault"


@pytest.mark.parametrize("domain", i18n.DOMAINS)
@pytest.mark.parametrize("locale", [loc for loc in i18n.LOCALES if loc != i18n.DEFAULT])
def test_every_shipped_translation_keeps_its_message_fields(locale: str, domain: str) -> None:
    path = i18n.catalogue_path(locale, domain)
    if not path.is_file():
        if domain in REQUIRED:
            pytest.fail(f"no {domain} catalogue for {locale}: run python -m accord.i18n.extract")
        pytest.skip(f"no {domain} catalogue for {locale} yet")
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    wrong = [m.id for m in catalogue if m.id and m.string
             and set(_FIELD.findall(str(m.id))) != set(_FIELD.findall(str(m.string)))]
    assert wrong == []


@pytest.mark.parametrize("domain", REQUIRED)
@pytest.mark.parametrize("locale", [loc for loc in i18n.LOCALES if loc != i18n.DEFAULT])
def test_every_message_the_code_uses_is_translated_and_no_other(locale: str,
                                                                domain: str) -> None:
    with i18n.catalogue_path(locale, domain).open("rb") as handle:
        catalogue = {str(m.id): str(m.string) for m in read_po(handle, locale=locale) if m.id}
    assert set(catalogue) == extract.extract(domain), "run python -m accord.i18n.extract"
    assert [m for m, text in catalogue.items() if not text.strip()] == []


@pytest.mark.parametrize("domain", REQUIRED)
def test_the_extractor_rewrites_the_catalogues_unchanged(tmp_path: Path, domain: str,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    committed = {loc: i18n.catalogue_path(loc, domain).read_bytes()
                 for loc in i18n.LOCALES if loc != i18n.DEFAULT}
    for loc, text in committed.items():
        copy = tmp_path / loc / "LC_MESSAGES" / f"{domain}.po"
        copy.parent.mkdir(parents=True)
        copy.write_bytes(text)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    extract.write(domain, extract.extract(domain))
    assert {loc: (tmp_path / loc / "LC_MESSAGES" / f"{domain}.po").read_bytes()
            for loc in committed} == committed


def test_the_extractor_finds_literal_ids_and_tells_the_domains_apart(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        'translate(loc, "reports", "Summary")\ntr(loc, "Routes " "and more")\n'
        'translate(loc, "vocab", "Armed Assault")\ntranslate(loc, "reports", name)\n'
        'translate(loc, "nope", "x")\n', encoding="utf-8")
    assert extract.extract("reports", tmp_path) == {"Summary", "Routes and more"}
    assert extract.extract("vocab", tmp_path) == {"Armed Assault"}


def test_every_core_error_type_has_its_messages_translated_in_every_catalogue() -> None:
    by_class = extract.messages_by_class()
    assert {"NotFound", "Invalid", "Conflict", "PermissionDenied", "PersonalDataFound",
            "InvalidSignal", "TooManyRequests"} <= set(by_class)
    for locale in (loc for loc in i18n.LOCALES if loc != i18n.DEFAULT):
        with i18n.catalogue_path(locale, "core").open("rb") as handle:
            translated = {str(m.id) for m in read_po(handle, locale=locale) if m.string}
        lacking = {cls: sorted(texts - translated)[:3] for cls, texts in by_class.items()
                   if not texts <= translated}
        assert lacking == {}, locale


def test_no_error_is_raised_with_a_message_no_catalogue_can_hold() -> None:
    assert extract.dynamic_messages() == [], (
        "write the message as a constant template with parameters: "
        'raise NotFound("no bank {bank}", bank=name)')


def test_the_core_extractor_collects_error_templates_and_flags_built_ones(tmp_path: Path
                                                                         ) -> None:
    (tmp_path / "errors.py").write_text(
        "class AccordError(Exception): ...\nclass Invalid(AccordError): ...\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(
        "class Gone(Invalid):\n"
        "    @classmethod\n"
        "    def of(cls, x): return cls('gone {x}', x=x)\n"
        "_HINT = 'see the list'\n"
        "raise Invalid('no bank {bank}', hint='list them', bank=b)\n"
        "raise Gone('stale {n}', hint=_HINT, n=1)\n"
        "raise Invalid(f'no bank {b}')\n"
        "raise Invalid('bad ' + b)\n"
        "raise Invalid('ok', hint=f'use {b}')\n", encoding="utf-8")
    assert extract.extract("core", tmp_path) == {
        "gone {x}", "no bank {bank}", "list them", "stale {n}", "see the list", "ok"}
    assert extract.dynamic_messages(tmp_path) == [
        f"{tmp_path.name}/m.py:{line}" for line in (7, 8, 9)]


def test_an_error_reads_in_english_and_in_the_readers_language_with_its_values() -> None:
    error = NotFound("no bank {ref}", hint="list banks with: accord bank list", ref="tvec")
    assert (error.message, error.hint, error.params) == (
        "no bank tvec", "list banks with: accord bank list", {"ref": "tvec"})
    assert str(error) == "no bank tvec\nHint: list banks with: accord bank list"
    message, hint = error.localized("zh_Hans")
    assert "tvec" in message and message != error.message and hint != error.hint
    assert error.localized("xx") == (error.message, error.hint)


def test_the_rule_an_invalid_signal_breaks_is_translated_with_the_message() -> None:
    # The rule used to travel as an English parameter inside a translated sentence.
    with pytest.raises(InvalidSignal) as caught:
        MD5.validate("abc")
    error = caught.value
    assert error.message == "invalid md5 value 'abc': expected 32 hex digits, got 3"
    message, _ = error.localized("zh_Hans")
    assert "应为 32 位十六进制数字" in message and "expected" not in message
    french, _ = error.localized("fr")
    assert "attendu : 32 chiffres hexadécimaux" in french
    assert error.public_params()["rule"] == "expected 32 hex digits, got 3"


def test_a_phrase_is_collected_like_an_error_template_and_a_built_one_is_flagged(
    tmp_path: Path
) -> None:
    (tmp_path / "errors.py").write_text(
        "class AccordError(Exception): ...\nclass Invalid(AccordError): ...\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(
        "raise Invalid('bad {rule}', rule=Phrase('longer than {n}', n=3))\n"
        "raise Invalid('bad {rule}', rule=Phrase(f'longer than {n}'))\n", encoding="utf-8")
    assert extract.extract("core", tmp_path) == {"bad {rule}", "longer than {n}"}
    assert extract.dynamic_messages(tmp_path) == [f"{tmp_path.name}/m.py:2"]


def test_an_error_passed_on_inside_another_translates_with_its_hint() -> None:
    inner = NotFound("no bank {ref}", hint="list banks with: accord bank list", ref="tvec")
    outer = Invalid("indicator {describe}: {reason}", hint=inner.hint_phrase(),
                    describe="indicator--1", reason=inner.phrase())
    assert (outer.message, outer.hint) == ("indicator indicator--1: no bank tvec",
                                           "list banks with: accord bank list")
    message, hint = outer.localized("zh_Hans")
    assert inner.localized("zh_Hans")[0] in message
    assert hint == inner.localized("zh_Hans")[1] != inner.hint
