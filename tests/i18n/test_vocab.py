"""The ``vocab`` catalogues: every codebook and taxonomy word, translated in every shipped
language, and the committed files exactly what ``python -m accord.web.catalogs`` writes."""

from __future__ import annotations

import re

import pytest

from accord import i18n
from accord.audit import AuditAction
from accord.i18n import catalogues
from accord.incidents import codebook
from accord.taxonomy import load_taxonomy
from accord.web.catalogs import COMMAND, vocab_template
from accord.web.vocab import vocab_terms

TRANSLATED = catalogues.TRANSLATED
_FIELD = re.compile(r"{(\w+)[^}]*}")


def test_the_vocab_lists_every_codebook_name_and_every_taxonomy_title_and_definition() -> None:
    words = {message for message, _ in vocab_terms()}
    taxonomy = load_taxonomy()
    texts = {text for ns in taxonomy.namespaces for text in (ns.title, ns.definition)}
    texts |= {text for e in taxonomy.entries() for text in (e.title, e.definition)}
    codes = {*codebook.ATTACK_TYPES.values(), *codebook.TARGET_TYPES.values(),
             *codebook.WEAPON_TYPES.values(), *codebook.REGIONS.values(),
             *codebook.SOURCE_KINDS}
    assert texts | codes | {a.value for a in AuditAction} <= words
    assert {"Bombing/Explosion", "Middle East & North Africa", "agency", "curator",
            "clarify-designation-basis", "false-positive", "condemnation"} <= words


def test_a_word_listed_by_two_sources_is_one_entry_naming_both() -> None:
    unknown = vocab_template().get("Unknown")
    assert unknown is not None
    assert unknown.auto_comments == ["GTD codebook attack type 9", "GTD codebook target type 20",
                                     "GTD codebook weapon type 13"]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_vocab_word_is_translated_in_every_shipped_language(locale: str) -> None:
    assert catalogues.untranslated(locale, "vocab", vocab_template()) == [], (
        f"translate these in {i18n.catalogue_path(locale, 'vocab')} ({COMMAND})")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_every_field_and_differ_from_the_english_where_they_should(
        locale: str) -> None:
    stored = catalogues.read_catalogue(locale, "vocab")
    dropped = [m.id for m in stored if m.id and
               set(_FIELD.findall(str(m.id))) != set(_FIELD.findall(str(m.string)))]
    assert dropped == []
    # A definition left in English is a missed translation, not a coincidence.
    english = [m.id for m in stored if m.id and m.string == m.id and len(str(m.id)) > 12]
    assert english == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_committed_catalogue_is_what_the_writer_writes(locale: str) -> None:
    path = i18n.catalogue_path(locale, "vocab")
    assert path.read_bytes() == catalogues.render(locale, "vocab", vocab_template(), COMMAND), (
        f"{path} is out of date: run {COMMAND} and translate what it adds")


def test_the_writer_keeps_translations_drops_vanished_words_and_adds_new_ones_empty() -> None:
    source = catalogues.template("vocab", [("Armed Assault", "GTD codebook attack type 2"),
                                           ("A word no catalogue has yet", "a test")])
    written = catalogues.render("fr", "vocab", source, COMMAND).decode()
    assert 'msgid "Armed Assault"\nmsgstr "Attaque armée"' in written
    assert 'msgid "A word no catalogue has yet"\nmsgstr ""' in written
    assert "Assassination" not in written
    assert "#. GTD codebook attack type 2\n" in written


@pytest.mark.parametrize(("locale", "word", "expected"), [
    ("zh_Hans", "Bombing/Explosion", "爆炸"),
    ("ar", "Armed Assault", "هجوم مسلح"),
    ("fr", "Middle East & North Africa", "Moyen-Orient et Afrique du Nord"),
    ("ru", "Hostage Taking (Kidnapping)", "Захват заложников (похищение)"),
    ("es", "Sub-Saharan Africa", "África Subsahariana"),
    ("en", "Bombing/Explosion", "Bombing/Explosion"),
])
def test_translate_reads_a_codebook_name_in_the_readers_language(locale: str, word: str,
                                                                 expected: str) -> None:
    assert i18n.translate(locale, "vocab", word) == expected


def test_the_chinese_titles_are_the_taxonomy_files_own() -> None:
    taxonomy = load_taxonomy()
    pairs = [(ns.title, ns.title_zh) for ns in taxonomy.namespaces]
    pairs += [(e.title, e.title_zh) for e in taxonomy.entries()]
    assert [(title, i18n.translate("zh_Hans", "vocab", title)) for title, _ in pairs] == pairs


@pytest.mark.parametrize("locale", TRANSLATED)
def test_an_empty_word_reads_empty_not_as_the_catalogues_header(locale: str) -> None:
    # A GTD row may leave a coded field empty; gettext("") would answer the .po header.
    assert i18n.translate(locale, "vocab", "") == ""
