"""Parsing the UN Security Council Consolidated List: organisations in, persons never."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from accord.entities import (
    Alias,
    ParsedDesignation,
    ParsedEntity,
    UnListParseResult,
    detect_script,
    parse_un_list,
)
from accord.errors import Invalid

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "un_consolidated_sample.xml"


@pytest.fixture(scope="module")
def result() -> UnListParseResult:
    return parse_un_list(SAMPLE)


def by_reference(result: UnListParseResult) -> dict[str, ParsedEntity]:
    return {entity.designation.reference: entity for entity in result.entities}


def _list(entities: str, individuals: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CONSOLIDATED_LIST dateGenerated="2026-01-05T10:00:02.153Z">'
        f"<INDIVIDUALS>{individuals}</INDIVIDUALS><ENTITIES>{entities}</ENTITIES>"
        "</CONSOLIDATED_LIST>"
    ).encode()


def _entity(
    dataid: str,
    name: str | None = "AN ORGANISATION",
    ref: str | None = "QDe.900",
    listed: str = "2020-01-01",
) -> str:
    name_xml = f"<FIRST_NAME>{name}</FIRST_NAME>" if name is not None else ""
    ref_xml = f"<REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER>" if ref is not None else ""
    return (
        f"<ENTITY><DATAID>{dataid}</DATAID>{name_xml}<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
        f"{ref_xml}<LISTED_ON>{listed}</LISTED_ON></ENTITY>"
    )


# --- the sample list --------------------------------------------------------


def test_sample_yields_its_six_organisations(result: UnListParseResult) -> None:
    assert sorted(by_reference(result)) == [
        "QDe.004",
        "QDe.088",
        "QDe.115",
        "QDe.137",
        "QDe.138",
        "QDe.161",
    ]
    assert result.warnings == []


def test_an_entity_has_name_designation_and_original_script_name(
    result: UnListParseResult,
) -> None:
    al_qaida = by_reference(result)["QDe.004"]
    assert al_qaida.name == "AL-QAIDA"
    assert al_qaida.original_script_name == "القاعدة"
    assert al_qaida.designation == ParsedDesignation(
        source="UN-SC",
        reference="QDe.004",
        listed_on=date(2001, 10, 6),
        delisted_on=None,
        list_type="Al-Qaida",
    )


def test_listing_dates_are_parsed(result: UnListParseResult) -> None:
    listed = {ref: e.designation.listed_on for ref, e in by_reference(result).items()}
    assert listed["QDe.115"] == date(2004, 10, 18)
    assert listed["QDe.161"] == date(2019, 5, 14)


def test_the_consolidated_list_never_carries_delisting_dates(result: UnListParseResult) -> None:
    assert {entity.designation.delisted_on for entity in result.entities} == {None}


def test_generation_time_is_read_from_the_root(result: UnListParseResult) -> None:
    assert result.generated_on == datetime(2026, 1, 5, 10, 0, 2, 153000, tzinfo=UTC)


def test_each_alias_element_is_one_alias_in_the_lists_order(result: UnListParseResult) -> None:
    names = [alias.name for alias in by_reference(result)["QDe.004"].aliases]
    assert names[:3] == ["The Base", "Al Qaeda", "Islamic Salvation Foundation"]


def test_an_alias_with_semicolons_inside_parentheses_is_kept_whole(
    result: UnListParseResult,
) -> None:
    aliases = {alias.name: alias for alias in by_reference(result)["QDe.137"].aliases}
    whole = ("جبهة النصرة (the Victory Front; Jabhat al-Nusrah; Jabhet al-Nusra; "
             "Al-Nusrah Front; Al-Nusra Front)")
    assert aliases[whole] == Alias(whole, "Zyyy", "a.k.a.")  # Arabic and Latin: both kept
    assert "Al-Nusra Front)" not in aliases and "جبهة النصرة (the Victory Front" not in aliases
    assert "" not in aliases  # the empty placeholder alias is skipped


def test_an_alias_equal_to_the_name_is_not_repeated(result: UnListParseResult) -> None:
    aliases = {alias.name.casefold() for alias in by_reference(result)["QDe.115"].aliases}
    assert "al-qaida in iraq" not in aliases


def test_aliases_keep_the_lists_quality_rating(result: UnListParseResult) -> None:
    aliases = {alias.name: alias for alias in by_reference(result)["QDe.115"].aliases}
    assert aliases["Islamic State of Iraq"].quality == "f.k.a."
    assert aliases["ISIL"].quality == "Good"


def test_alias_scripts_are_detected(result: UnListParseResult) -> None:
    entities = by_reference(result)
    assert Alias("تنظيم القاعدة", "Arab", "Good") in entities["QDe.004"].aliases
    assert Alias("Исламское государство", "Cyrl", "a.k.a.") in entities["QDe.115"].aliases
    assert Alias("东突厥斯坦伊斯兰运动", "Hani", "Good") in entities["QDe.088"].aliases
    assert Alias("Boko Haram", "Latn", "Good") in entities["QDe.138"].aliases


def test_individuals_are_counted_and_dropped(result: UnListParseResult) -> None:
    assert result.individuals_dropped == 2
    assert all(not e.designation.reference.startswith("QDi") for e in result.entities)


def test_no_trace_of_an_individual_appears_anywhere_in_the_result(
    result: UnListParseResult,
) -> None:
    text = repr(result)
    for fragment in ("TEST", "PERSON", "PLACEHOLDER", "QDi.99", "9000001", "1900-01-01"):
        assert fragment not in text


def test_entity_comments_and_addresses_are_not_kept(result: UnListParseResult) -> None:
    text = repr(result)
    assert "resolution" not in text
    assert "Syrian Arab Republic" not in text


def test_bytes_and_binary_streams_parse_like_a_path(result: UnListParseResult) -> None:
    data = SAMPLE.read_bytes()
    assert parse_un_list(data) == result
    assert parse_un_list(io.BytesIO(data)) == result


# --- detect_script ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Al-Qaida", "Latn"),
        ("Jabhat al-Nuṣrah", "Latn"),
        ("القاعدة", "Arab"),
        ("جبهة النصرة لأهل الشام", "Arab"),
        ("东突厥斯坦伊斯兰运动", "Hani"),
        ("Исламское государство", "Cyrl"),
        ("Al-Qaida (القاعدة)", "Zyyy"),
        ("1267", "Zyyy"),
        ("", "Zyyy"),
        ("Ισλαμικό Κράτος", "Zyyy"),
    ],
)
def test_detect_script_names_the_single_script_of_the_letters(text: str, script: str) -> None:
    assert detect_script(text) == script


# --- refused input ----------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&lol4;</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><FIRST_NAME>&secret;</FIRST_NAME>
<REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.invalid/list.dtd">
<CONSOLIDATED_LIST><ENTITIES/></CONSOLIDATED_LIST>"""


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_xml_with_a_dtd_or_entities_is_refused(data: bytes) -> None:
    with pytest.raises(Invalid, match="UN list is refused: it declares a DTD or entities"):
        parse_un_list(data)


def test_input_over_the_size_bound_is_refused_before_parsing() -> None:
    with pytest.raises(Invalid, match="UN list is larger than the 1000-byte limit"):
        parse_un_list(SAMPLE.read_bytes(), max_bytes=1000)


def test_a_stream_over_the_size_bound_is_refused_while_reading() -> None:
    with pytest.raises(Invalid, match="larger than the 1000-byte limit"):
        parse_un_list(io.BytesIO(SAMPLE.read_bytes()), max_bytes=1000)


def test_a_file_over_the_size_bound_is_refused() -> None:
    with pytest.raises(Invalid, match="larger than the 2048-byte limit"):
        parse_un_list(SAMPLE, max_bytes=2048)


def test_a_file_that_cannot_be_read_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"UN list file .*absent\.xml cannot be read"):
        parse_un_list(tmp_path / "absent.xml")


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml at all", b"<CONSOLIDATED_LIST><ENTITIES>", b"<CONSOLIDATED_LIST></WRONG>"],
    ids=["empty", "text", "truncated", "mismatched-tag"],
)
def test_malformed_xml_is_refused(data: bytes) -> None:
    with pytest.raises(Invalid, match="UN list is not well-formed XML"):
        parse_un_list(data)


def test_a_different_root_element_is_refused() -> None:
    data = b"<sanctionsData><ENTITIES/></sanctionsData>"
    with pytest.raises(Invalid, match="root element is 'sanctionsData', expected CONSOLIDATED"):
        parse_un_list(data)


def test_an_entity_without_reference_is_skipped_with_a_warning() -> None:
    result = parse_un_list(_list(_entity("111", ref=None) + _entity("222")))
    assert [e.designation.reference for e in result.entities] == ["QDe.900"]
    assert result.warnings == ["entity DATAID '111' skipped: it has no REFERENCE_NUMBER"]


def test_an_entity_without_name_is_skipped_with_a_warning() -> None:
    result = parse_un_list(_list(_entity("111", name="  ") + _entity("222")))
    assert len(result.entities) == 1
    assert result.warnings == [
        "entity DATAID '111' skipped: it has no FIRST_NAME (the entity's name)"
    ]


def test_a_list_where_no_entity_can_be_read_is_refused() -> None:
    with pytest.raises(Invalid, match="none of the 2 entities in the UN list could be read"):
        parse_un_list(_list(_entity("1", ref=None) + _entity("2", name=None)))


def test_an_unreadable_listing_date_is_warned_about_and_left_empty() -> None:
    result = parse_un_list(_list(_entity("333", listed="06 Oct. 2001")))
    assert result.entities[0].designation.listed_on is None
    assert result.warnings == ["entity DATAID '333': LISTED_ON '06 Oct. 2001' is not a date"]


def test_an_unreadable_generation_date_is_warned_about() -> None:
    data = _list(_entity("1")).replace(b"2026-01-05T10:00:02.153Z", b"yesterday")
    result = parse_un_list(data)
    assert result.generated_on is None
    assert result.warnings == ["dateGenerated 'yesterday' is not a date; ignored"]


def test_a_list_with_only_individuals_yields_no_entities() -> None:
    individual = "<INDIVIDUAL><FIRST_NAME>TEST</FIRST_NAME></INDIVIDUAL>"
    result = parse_un_list(_list("", individuals=individual * 3))
    assert (result.entities, result.individuals_dropped) == ([], 3)


def test_entities_outside_the_entities_container_are_ignored() -> None:
    data = _list(_entity("1")).replace(b"<INDIVIDUALS>", b"<INDIVIDUALS>" + _entity("2").encode())
    assert len(parse_un_list(data).entities) == 1
