"""Entities in the store: the UN list import, national listings side by side, entity labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.entities import service
from accord.errors import Invalid
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store.database import Database

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "un_consolidated_sample.xml"


def test_the_un_list_imports_organisations_and_drops_individuals(db: Database) -> None:
    report = service.import_un_list(db, Actor.operator(), SAMPLE)
    assert (report.created, report.individuals_dropped) == (6, 2)
    found = {e.ref: e for e in service.entity_list(db)}
    assert set(found) == {"qde-004", "qde-115", "qde-088", "qde-137", "qde-138", "qde-161"}
    alqaida = found["qde-004"]
    assert alqaida.designations[0].source == "UN-SC"
    assert alqaida.designations[0].reference == "QDe.004"
    assert alqaida.designations[0].listed_on == dt.date(2001, 10, 6)
    assert any(a.script == "Arab" for a in alqaida.aliases)
    assert "TEST PERSON" not in repr(service.entity_list(db))
    assert "TEST PERSON" not in repr(audit.tail(db, 100))


def test_reimporting_the_list_changes_nothing(db: Database) -> None:
    service.import_un_list(db, Actor.operator(), SAMPLE)
    events = audit.count(db)
    again = service.import_un_list(db, Actor.operator(), SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert audit.count(db) == events


def test_designations_from_several_lists_stand_side_by_side(db: Database) -> None:
    service.import_un_list(db, Actor.operator(), SAMPLE)
    entity = service.entity_add(db, Actor.operator(), service.EntityInput(
        "qde-004", "AL-QAIDA", designations=(
            service.parse_designation("EU:EU-2002-334:2002-05-27"),
            service.parse_designation("XX-NATIONAL:N-17:2003-01-01:2019-06-30"),
        )))
    assert [(d.source, d.delisted_on) for d in entity.designations] == [
        ("EU", None), ("UN-SC", None), ("XX-NATIONAL", dt.date(2019, 6, 30))]


@pytest.mark.parametrize(("text", "message"), [
    ("UN-SC:QDe.1", "SOURCE:REFERENCE:LISTED"),
    ("UN-SC:QDe.1:2020-13-01", "is not YYYY-MM-DD"),
    ("EU:X:2020-01-01:2019-01-01", "delisted before it was listed"),
])
def test_bad_designations_are_refused(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        service.parse_designation(text)


def test_entity_labels_must_name_an_imported_entity(db: Database, settings: Settings) -> None:
    op = Actor.operator()
    sharing.partner_add(db, op, "A", "agency", "FR")
    banks.bank_add(db, op, "b", "A")
    with pytest.raises(Invalid, match="names no entity"):
        signals.signal_add(db, op, "b", signals.SignalInput(
            "md5", "a" * 32, labels=("entity:qde-004",)), settings)
    service.import_un_list(db, op, SAMPLE)
    s = signals.signal_add(db, op, "b", signals.SignalInput(
        "md5", "a" * 32, labels=("entity:QDe-004",)), settings)
    assert s.labels == ("entity:qde-004",)


def test_cli_entity_import_reports_what_it_dropped(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("entity", "import", str(SAMPLE))
    assert result.exit_code == 0
    assert "6 added" in result.stdout and "2 individual entries dropped" in result.stdout
    listing = cli("entity", "list").stdout
    assert "qde-004" in listing and "UN-SC QDe.004 since 2001-10-06" in listing
