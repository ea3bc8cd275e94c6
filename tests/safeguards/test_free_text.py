"""The one check for free text written into a record: length, NUL, then personal data, with the
names stored on the node exempt."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from accord.entities import service as entities
from accord.errors import Invalid
from accord.safeguards import free_text
from accord.safeguards.free_text import TEXT_MAX, TextChecker, checked_text, exempt_names
from accord.safeguards.personal_data import PersonalDataFound
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.store.records import AliasRecord


@pytest.fixture
def named(db: Database) -> Database:
    op = Actor.operator()
    sharing.partner_add(db, op, "Agency North", "agency", "FR")
    entities.entity_add(db, op, entities.EntityInput(
        "qde-901", "Abu Sayyaf Group", aliases=(AliasRecord("Mr Haddad Network", "Latn"),)))
    return db


def test_text_is_returned_stripped(named: Database) -> None:
    with named.reader() as session:
        assert checked_text(session, "request text", "  Please review signal:41.  ") == (
            "Please review signal:41.")


def test_empty_text_is_refused_only_where_it_is_required(named: Database) -> None:
    with named.reader() as session:
        assert checked_text(session, "venue", "   ") == ""
        with pytest.raises(Invalid, match="the answer is empty"):
            checked_text(session, "answer", "   ", required=True)


def test_text_over_the_limit_or_holding_a_nul_is_refused(named: Database) -> None:
    with named.reader() as session:
        too_long = f"has {TEXT_MAX + 1} characters; the limit is {TEXT_MAX}"
        with pytest.raises(Invalid, match=too_long):
            checked_text(session, "request text", "x" * (TEXT_MAX + 1))
        with pytest.raises(Invalid, match="the venue has 201 characters; the limit is 200"):
            checked_text(session, "venue", "x" * 201, limit=200)
        with pytest.raises(Invalid, match="holds a NUL character"):
            checked_text(session, "request text", "a\x00b")


def test_personal_data_is_refused_naming_the_field(named: Database) -> None:
    with named.reader() as session, pytest.raises(PersonalDataFound,
                                                  match="the answer looks like"):
        checked_text(session, "answer", "His passport number is X1234567.")


def test_names_of_entities_aliases_and_partners_on_the_node_are_exempt(named: Database) -> None:
    text = "Abu Sayyaf Group and Mr Haddad Network, reported by Agency North"
    with named.reader() as session:
        assert sorted(exempt_names(session)) == ["Abu Sayyaf Group", "Agency North",
                                                 "Mr Haddad Network"]
        assert checked_text(session, "request text", text) == text


def test_a_bulk_import_checks_each_distinct_text_once_with_the_names_exempt(
    named: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = free_text.check_text

    def counted(field: str, text: str, allowed: Iterable[str] = (), *,
                place: bool = False) -> str:
        calls.append(text)
        return real(field, text, allowed, place=place)

    monkeypatch.setattr(free_text, "check_text", counted)
    with named.reader() as session:
        checker = TextChecker(session)
        for _ in range(3):
            assert checker.check("source", "Abu Sayyaf Group channel") == "Abu Sayyaf Group channel"
        assert checker.check("source", "") == ""
        with pytest.raises(PersonalDataFound, match="the source looks like"):
            checker.check("source", "a recruiter named Karimov")
    assert calls == ["Abu Sayyaf Group channel", "a recruiter named Karimov"]
