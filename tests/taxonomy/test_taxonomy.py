"""The shipped taxonomy, the label check, and what a custom taxonomy file may hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.errors import Invalid
from accord.taxonomy import Label, Taxonomy, TaxonomyEntry, load_taxonomy

REFUSED = "is refused: taxonomy labels may not name a faith, people or nationality"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


# --- the shipped file -------------------------------------------------------


def test_shipped_taxonomy_loads_with_its_name_and_version(taxonomy: Taxonomy) -> None:
    assert (taxonomy.name, taxonomy.version) == ("accord", "2026.1")


def test_shipped_taxonomy_has_the_five_namespaces(taxonomy: Taxonomy) -> None:
    names = [namespace.name for namespace in taxonomy.namespaces]
    assert names == ["entity", "content", "behaviour", "ideology", "context"]


def test_default_taxonomy_is_loaded_once_and_cached() -> None:
    assert load_taxonomy() is load_taxonomy()


def test_only_the_entity_namespace_holds_references(taxonomy: Taxonomy) -> None:
    references = {ns.name for ns in taxonomy.namespaces if ns.references}
    assert references == {"entity"}
    assert taxonomy.entries("entity") == ()


@pytest.mark.parametrize("namespace", ["content", "behaviour", "ideology", "context"])
def test_every_closed_namespace_lists_values(taxonomy: Taxonomy, namespace: str) -> None:
    assert len(taxonomy.entries(namespace)) >= 8


def test_every_entry_has_a_chinese_title_that_is_not_the_english_one(taxonomy: Taxonomy) -> None:
    for entry in taxonomy.entries():
        assert any("\u4e00" <= char <= "\u9fff" for char in entry.title_zh), entry
        assert entry.title_zh != entry.title


def test_every_entry_has_a_one_sentence_definition(taxonomy: Taxonomy) -> None:
    for entry in taxonomy.entries():
        assert entry.definition.endswith("."), entry
        assert entry.definition.count(". ") == 0, entry


def test_every_entry_was_added_in_a_released_version(taxonomy: Taxonomy) -> None:
    assert {entry.added_in for entry in taxonomy.entries()} == {"2026.1"}


def test_the_gifct_perpetrator_and_attack_footage_classes_exist(taxonomy: Taxonomy) -> None:
    behaviours = {entry.value for entry in taxonomy.entries("behaviour")}
    assert {"perpetrator-produced", "attack-footage", "imminent-credible-threat"} <= behaviours


def test_entry_returns_the_cited_entry(taxonomy: Taxonomy) -> None:
    entry = taxonomy.entry(Label("behaviour", "recruitment"))
    assert isinstance(entry, TaxonomyEntry)
    assert (entry.title, entry.title_zh) == ("Recruitment", "招募")
    assert entry.label == Label("behaviour", "recruitment")


def test_entry_is_none_for_references_and_unknown_values(taxonomy: Taxonomy) -> None:
    assert taxonomy.entry(Label("entity", "un-qde-004")) is None
    assert taxonomy.entry(Label("behaviour", "no-such-value")) is None


def test_entries_of_an_unknown_namespace_is_refused(taxonomy: Taxonomy) -> None:
    with pytest.raises(Invalid, match="unknown label namespace 'religion'"):
        taxonomy.entries("religion")


# --- check_label -------------------------------------------------------------


def test_a_label_prints_as_namespace_colon_value() -> None:
    assert str(Label("content", "video")) == "content:video"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("behaviour:recruitment", Label("behaviour", "recruitment")),
        ("  Behaviour : Recruitment  ", Label("behaviour", "recruitment")),
        ("BEHAVIOUR:INCITEMENT-TO-VIOLENCE", Label("behaviour", "incitement-to-violence")),
        ("behaviour:incitement to  violence", Label("behaviour", "incitement-to-violence")),
        ("ideology:violent_far_right", Label("ideology", "violent-far-right")),
        ("context:counter-speech", Label("context", "counter-speech")),
        ("content:livestream-recording", Label("content", "livestream-recording")),
    ],
)
def test_check_label_accepts_known_labels_and_normalises_them(
    taxonomy: Taxonomy, text: str, expected: Label
) -> None:
    assert taxonomy.check_label(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entity:un-qde-115", Label("entity", "un-qde-115")),
        ("Entity: UN-QDe.004", Label("entity", "un-qde.004")),
        ("entity:42", Label("entity", "42")),
    ],
)
def test_entity_namespace_accepts_any_well_formed_reference(
    taxonomy: Taxonomy, text: str, expected: Label
) -> None:
    assert taxonomy.check_label(text) == expected


def test_entity_reference_may_contain_words_refused_elsewhere(taxonomy: Taxonomy) -> None:
    # An organisation's official name can contain a demonym or faith word;
    # the reference names the organisation, so it is exempt from the check.
    assert taxonomy.check_label("entity:tehrik-e-taliban-pakistan") == Label(
        "entity", "tehrik-e-taliban-pakistan"
    )
    assert str(taxonomy.check_label("entity:islamic-state-khorasan")) == (
        "entity:islamic-state-khorasan"
    )


def test_entity_reference_longer_than_100_characters_is_refused(taxonomy: Taxonomy) -> None:
    with pytest.raises(Invalid, match="longer than 100 characters"):
        taxonomy.check_label("entity:" + "a" * 101)


@pytest.mark.parametrize(
    "text",
    [
        "recruitment",
        "",
        ":",
        "behaviour:",
        ":recruitment",
        "behaviour:recruitment:extra",
        "behaviour:recruit!ment",
        "behaviour:-recruitment",
        "behaviour:" + "a" * 300,
    ],
)
def test_malformed_label_text_is_refused_with_the_expected_shape(
    taxonomy: Taxonomy, text: str
) -> None:
    with pytest.raises(Invalid, match=r"should look like namespace:value, e\.g\. behaviour:recr"):
        taxonomy.check_label(text)


def test_malformed_label_message_echoes_the_text_trimmed(taxonomy: Taxonomy) -> None:
    with pytest.raises(Invalid) as caught:
        taxonomy.check_label("x" * 500)
    assert len(caught.value.message) < 200


def test_unknown_namespace_is_refused_listing_the_known_ones(taxonomy: Taxonomy) -> None:
    with pytest.raises(
        Invalid,
        match="unknown label namespace 'topic'; known namespaces: entity, content, behaviour, "
        "ideology, context",
    ):
        taxonomy.check_label("topic:recruitment")


def test_unknown_value_is_refused_naming_the_namespace_and_close_matches(
    taxonomy: Taxonomy,
) -> None:
    with pytest.raises(
        Invalid,
        match=r"unknown behaviour value 'recrutment'; did you mean behaviour:recruitment\?",
    ):
        taxonomy.check_label("behaviour:recrutment")


def test_unknown_value_without_close_match_lists_the_known_values(taxonomy: Taxonomy) -> None:
    with pytest.raises(
        Invalid, match="unknown content value 'nasheed'; known content values: magazine, video"
    ):
        taxonomy.check_label("content:nasheed")


@pytest.mark.parametrize(
    "text",
    [
        "ideology:islamist",
        "ideology:violent-islamist",
        "Ideology: Violent Islamist",
        "ideology:jihadist",
        "ideology:kurdish-separatist",
        "ideology:tamil_separatist",
        "behaviour:anti-christian-violence",
        "behaviour:sikh-extremism",
        "context:pakistani-journalism",
        "ideology:sri-lankan-separatist",
        "ideology:muslims",
        "religion:islam",
    ],
)
def test_labels_naming_a_faith_people_or_nationality_are_refused(
    taxonomy: Taxonomy, text: str
) -> None:
    with pytest.raises(Invalid, match=REFUSED):
        taxonomy.check_label(text)


def test_refusal_names_the_label_and_says_what_to_label_instead(taxonomy: Taxonomy) -> None:
    with pytest.raises(Invalid) as caught:
        taxonomy.check_label("ideology:islamist")
    assert caught.value.message == (
        "label 'ideology:islamist' is refused: taxonomy labels may not name a faith, people "
        "or nationality; label what the content does (behaviour:...) or which organisation "
        "produced it (entity:...)"
    )


def test_deprecated_values_are_still_accepted(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(
        _entry("old-threat", deprecated_in="2026.1", replaced_by="recruitment")
    )
    taxonomy = load_taxonomy(_write(tmp_path, document))
    assert taxonomy.check_label("behaviour:old-threat") == Label("behaviour", "old-threat")
    entry = taxonomy.entry(Label("behaviour", "old-threat"))
    assert entry is not None
    assert (entry.deprecated_in, entry.replaced_by) == ("2026.1", "recruitment")


# --- custom taxonomy files ---------------------------------------------------


def _entry(value: str, **extra: str) -> dict[str, str]:
    return {
        "value": value,
        "title": value.replace("-", " ").capitalize(),
        "title_zh": "测试条目",
        "definition": "A test entry.",
        "added_in": "2026.1",
        **extra,
    }


def _minimal_document() -> dict[str, Any]:
    return {
        "name": "custom",
        "version": "2026.1",
        "namespaces": {
            "entity": {
                "title": "Entity",
                "title_zh": "实体",
                "definition": "An organisation.",
                "references": True,
            },
            "behaviour": {
                "title": "Behaviour",
                "title_zh": "行为",
                "definition": "What it does.",
                "entries": [_entry("recruitment")],
            },
        },
    }


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "custom-taxonomy.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_custom_taxonomy_file_loads(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(_write(tmp_path, _minimal_document()))
    assert taxonomy.name == "custom"
    assert taxonomy.check_label("behaviour:recruitment") == Label("behaviour", "recruitment")


def test_custom_file_with_a_forbidden_value_is_refused_naming_the_entry(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(_entry("arab-propaganda"))
    path = _write(tmp_path, document)
    with pytest.raises(
        Invalid,
        match=r"custom-taxonomy\.json: behaviour entry 'arab-propaganda': "
        r"refused \(arab\): taxonomy labels may not name a faith",
    ):
        load_taxonomy(path)


def test_custom_file_with_a_forbidden_word_in_a_title_is_refused(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(
        _entry("violent-theocratic", title="Violent Islamist extremism")
    )
    with pytest.raises(Invalid, match=r"entry 'violent-theocratic': refused \(islamist\)"):
        load_taxonomy(_write(tmp_path, document))


def test_custom_file_with_a_forbidden_chinese_title_is_refused(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(_entry("x-1", title_zh="伊斯兰主义"))
    with pytest.raises(Invalid, match=r"behaviour entry 'x-1': refused \(伊斯兰\)"):
        load_taxonomy(_write(tmp_path, document))


def test_custom_file_with_a_forbidden_namespace_is_refused(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["muslim"] = document["namespaces"].pop("behaviour")
    with pytest.raises(Invalid, match=r"namespace 'muslim': refused \(muslim\)"):
        load_taxonomy(_write(tmp_path, document))


def test_custom_file_with_a_duplicate_value_is_refused_naming_it(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(_entry("recruitment"))
    with pytest.raises(
        Invalid,
        match=r"custom-taxonomy\.json: behaviour entry 'recruitment': "
        "duplicate value",
    ):
        load_taxonomy(_write(tmp_path, document))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "Bad Slug"}, r"behaviour entry 'Bad Slug': 'Bad Slug' is not a slug"),
        ({"value": "a--b"}, r"'a--b' is not a slug"),
        ({"title_zh": ""}, r"behaviour entry 'x': missing or empty field 'title_zh'"),
        ({"title_zh": "Threat"}, r"'title_zh' should be a Simplified Chinese translation"),
        ({"added_in": "v1"}, r"added_in 'v1' should look like 2026\.1"),
        ({"added_in": "2027.1"}, r"added_in 2027\.1 is after the file's version 2026\.1"),
        ({"colour": "red"}, r"behaviour entry #2: unknown field\(s\) 'colour'"),
        ({"replaced_by": "nothing"}, r"replaced_by 'nothing' is not a value of behaviour"),
    ],
)
def test_custom_file_with_a_bad_entry_is_refused_naming_the_entry(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    entry = {**_entry("x"), **change}
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(entry)
    with pytest.raises(Invalid, match=message):
        load_taxonomy(_write(tmp_path, document))


def test_entry_missing_a_definition_is_refused(tmp_path: Path) -> None:
    entry = _entry("x")
    del entry["definition"]
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"].append(entry)
    with pytest.raises(Invalid, match="behaviour entry 'x': missing or empty field 'definition'"):
        load_taxonomy(_write(tmp_path, document))


def test_reference_namespace_with_entries_is_refused(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["entity"]["entries"] = [_entry("al-qaida")]
    with pytest.raises(Invalid, match="namespace 'entity': a reference namespace lists no entries"):
        load_taxonomy(_write(tmp_path, document))


def test_file_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"name": "accord",', encoding="utf-8")
    with pytest.raises(Invalid, match=r"taxonomy file .*broken\.json is not valid UTF-8 JSON"):
        load_taxonomy(path)


def test_missing_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"taxonomy file .*absent\.json cannot be read"):
        load_taxonomy(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "top level: should be a JSON object"),
        ({"version": "2026.1", "namespaces": {}}, "top level: missing or empty field 'name'"),
        ({"name": "x", "version": "2026", "namespaces": {}}, "version '2026' should look like"),
        ({"name": "x", "version": "2026.1", "namespaces": {}}, "the file defines no namespace"),
        (
            {"name": "x", "version": "2026.1", "namespaces": {"Bad NS": {}}},
            "namespace 'Bad NS': 'Bad NS' is not a slug",
        ),
    ],
)
def test_malformed_file_structure_is_refused(
    tmp_path: Path, document: object, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        load_taxonomy(_write(tmp_path, document))


def test_a_refused_taxonomy_file_reads_in_the_operators_language(tmp_path: Path) -> None:
    document = _minimal_document()
    document["namespaces"]["behaviour"]["entries"][0]["colour"] = "red"
    with pytest.raises(Invalid) as caught:
        load_taxonomy(_write(tmp_path, document))
    english = caught.value.message
    assert english.endswith("behaviour entry #1: unknown field(s) 'colour'")
    message, hint = caught.value.localized("zh_Hans")
    assert message.endswith("behaviour 的第 #1 个条目：未知字段 'colour'")  # noqa: RUF001
    assert hint is not None and hint.startswith("允许的字段：")  # noqa: RUF001
