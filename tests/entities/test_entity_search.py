"""Finding an organisation by any name its sources publish, in any script: the UN list's
Chinese alias, a national list's acronyms, the English name; never a translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.entities import service
from accord.sharing.roles import Actor
from accord.store import records as r
from accord.store.database import Database

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "un_consolidated_sample.xml"


@pytest.fixture
def etim(db: Database) -> Database:
    """The UN sample (QDe.088 with its Chinese alias), plus the acronyms a national list uses."""
    service.import_un_list(db, Actor.operator(), SAMPLE)
    service.entity_add(db, Actor.operator(), service.EntityInput(
        "qde-088", "EASTERN TURKISTAN ISLAMIC MOVEMENT",
        aliases=(r.AliasRecord("ETIM", "Latn"), r.AliasRecord("TIP", "Latn"))))
    return db


@pytest.mark.parametrize("text", [
    "东突厥斯坦伊斯兰运动",          # the UN list's alias, in Han script
    "东突厥斯坦",                    # part of it
    "ETIM", "etim",                  # a national list's acronym, in any case
    "\uff25\uff34\uff29\uff2d",  # ... and in full-width letters (E T I M)
    "TIP",
    "Turkistan Islamic",             # part of an English alias
    "eastern-turkistan islamic  movement",
    "QDe.088", "qde-088",            # its list reference and its label reference
])
def test_one_organisation_is_found_by_any_name_in_any_script(etim: Database, text: str) -> None:
    found = service.entity_search(etim, text)
    assert found and found[0].ref == "qde-088"


def test_an_exact_name_comes_before_names_that_merely_contain_the_text(etim: Database) -> None:
    service.entity_add(etim, Actor.operator(),
                       service.EntityInput("ex-tipping", "Tipping Point Front"))
    assert [e.ref for e in service.entity_search(etim, "tip")] == ["qde-088", "ex-tipping"]


def test_names_are_matched_as_published_not_translated(etim: Database) -> None:
    # "Islamic Movement" in Chinese is 伊斯兰运动; no English-only entity answers to it.
    assert [e.ref for e in service.entity_search(etim, "伊斯兰运动")] == ["qde-088"]
    assert service.entity_search(etim, "East Turkestan Islamic Movement") == []
    assert service.entity_search(etim, "   ") == []


def test_the_cli_lists_only_what_the_search_finds(etim: Database, cli) -> None:  # type: ignore[no-untyped-def]
    listed = cli("entity", "list", "--search", "东突厥斯坦").stdout
    assert "qde-088" in listed and "qde-004" not in listed
    assert "qde-004" in cli("entity", "list").stdout
