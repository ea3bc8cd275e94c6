"""A real published UN Security Council Consolidated List (2020-03-20), imported whole.

``tests/data/un_consolidated_2020-03-20_entities.xml`` is the published file with its
persons removed and its 305 entities byte for byte (``tests/data/README.md`` names the
copy it comes from). Every entity must come out once and every alias whole: the list's
QDe.137 writes an Arabic name with its transliterations in parentheses, separated by
semicolons, as one alias.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from accord.entities import ParsedEntity, UnListParseResult, parse_un_list, service
from accord.sharing.roles import Actor
from accord.store.database import Database

REAL = Path(__file__).resolve().parents[1] / "data" / "un_consolidated_2020-03-20_entities.xml"
NUSRAH = ("جبهة النصرة (the Victory Front; Jabhat al-Nusrah; Jabhet al-Nusra; Al-Nusrah Front; "
          "Al-Nusra Front)")
FATH = ("جبهة فتح الشام (Jabhat Fath al Sham; Jabhat Fath al-Sham; Jabhat Fatah al-Sham; "
        "Jabhat Fateh Al-Sham; Fatah al-Sham Front; Fateh al-Sham Front)")


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _published() -> dict[str, list[str]]:
    """Each entity's reference and alias names, read straight from the XML's elements."""
    root = ElementTree.parse(REAL).getroot()
    entities = root.find("ENTITIES")
    assert entities is not None
    return {_collapse(e.findtext("REFERENCE_NUMBER")): [
        _collapse(a.findtext("ALIAS_NAME")) for a in e.findall("ENTITY_ALIAS")
        if _collapse(a.findtext("ALIAS_NAME"))] for e in entities.findall("ENTITY")}


@pytest.fixture(scope="module")
def parsed() -> UnListParseResult:
    return parse_un_list(REAL)


def _by_reference(parsed: UnListParseResult) -> dict[str, ParsedEntity]:
    return {e.designation.reference: e for e in parsed.entities}


def test_every_entity_of_the_real_list_is_read_once(parsed: UnListParseResult) -> None:
    references = [e.designation.reference for e in parsed.entities]
    assert len(references) == 305 == len(set(references))
    assert set(references) == set(_published())
    assert parsed.warnings == []


def test_every_alias_of_the_real_list_is_read_whole(parsed: UnListParseResult) -> None:
    published = _published()
    for reference, entity in _by_reference(parsed).items():
        wanted = list(dict.fromkeys(
            name for name in published[reference] if name.casefold() != entity.name.casefold()))
        assert [a.name for a in entity.aliases] == wanted, reference


def test_qde_137s_parenthesised_aliases_are_not_cut_at_their_semicolons(
        parsed: UnListParseResult) -> None:
    aliases = {a.name: a for a in _by_reference(parsed)["QDe.137"].aliases}
    assert NUSRAH in aliases and FATH in aliases
    assert aliases[NUSRAH].script == "Zyyy"  # Arabic and Latin in one alias, both kept
    cut = {"Al-Nusra Front)", "جبهة النصرة (the Victory Front", "Fateh al-Sham Front)"}
    assert not cut & set(aliases)


def test_the_real_list_imports_every_entity_once_with_every_alias_whole(db: Database) -> None:
    report = service.import_un_list(db, Actor.operator(), REAL)
    assert (report.created, report.updated, report.unchanged) == (305, 0, 0)
    stored = {e.designations[0].reference: e for e in service.entity_list(db)}
    assert len(stored) == 305
    published = _published()
    for reference, entity in stored.items():
        names = {a.name for a in entity.aliases}
        for name in published[reference]:
            assert name in names or name.casefold() == entity.name.casefold(), (reference, name)
    hts = next(name for name in published["QDe.137"] if name.startswith("Hay\u2019at Tahrir"))
    assert len(hts) > 300 and hts in {a.name for a in stored["QDe.137"].aliases}
    again = service.import_un_list(db, Actor.operator(), REAL)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 305)
