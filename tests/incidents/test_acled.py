"""ACLED exports read with ACLED's own semantics: regions, event types and actors.

Rows follow the columns of ACLED's data export tool (its codebook: ``inter1`` 1 is
state forces, 2-4 non-state armed groups; Protests and Riots are demonstrations,
Strategic developments non-violent actions).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.incidents import acled, service
from accord.incidents.tables import text_table
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun

OP = Actor.operator()
COLUMNS = ("event_id_cnty", "event_date", "year", "disorder_type", "event_type",
           "sub_event_type", "actor1", "inter1", "actor2", "inter2", "civilian_targeting",
           "region", "country", "admin1", "location", "latitude", "longitude", "source",
           "notes", "fatalities")


def _row(eventid: str, event_type: str = "Explosions/Remote violence",
         sub: str = "Remote explosive/landmine/IED", actor1: str = "Islamic State (Iraq)",
         inter1: str = "2", region: str = "Middle East", country: str = "Iraq",
         **more: str) -> dict[str, str]:
    return {"event_id_cnty": eventid, "event_date": "2024-03-04", "year": "2024",
            "disorder_type": "Political violence", "event_type": event_type,
            "sub_event_type": sub, "actor1": actor1, "inter1": inter1,
            "actor2": more.get("actor2", "Civilians (Iraq)"), "inter2": more.get("inter2", "7"),
            "civilian_targeting": more.get("civilian_targeting", "Civilian targeting"),
            "region": region, "country": country, "admin1": "Ninewa", "location": "Mosul",
            "latitude": "36.34", "longitude": "43.13", "source": "a newspaper",
            "notes": "a note", "fatalities": more.get("fatalities", "2")}


def _csv(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _import(db: Database, text: str, **kwargs: object) -> service.ImportReport:
    return service.incident_import(db, OP, text_table(text), service.Sharing("Agency A"),
                                   **kwargs)  # type: ignore[arg-type]


def _by_eventid(db: Database) -> dict[str, service.Incident]:
    return {i.eventid or "": i for i in service.incident_list(db, OP)}


# -- regions ----------------------------------------------------------------------------------


def test_an_iraq_event_counts_in_the_gtd_region_middle_east_and_north_africa(
        partners: Database) -> None:
    report = _import(partners, _csv(_row("IRQ1")))
    assert report.imported == 1
    [incident] = service.incident_list(partners, OP)
    assert incident.region_txt == "Middle East & North Africa"
    found = service.incident_list(partners, OP, service.Scope(
        region="Middle East & North Africa", first_year=2024, last_year=2024))
    assert [i.eventid for i in found] == ["ACLED-IRQ1"]


@pytest.mark.parametrize(("region", "country", "gtd"), [
    ("Europe", "Ukraine", "Eastern Europe"),
    ("Europe", "Russia", "Eastern Europe"),
    ("Europe", "France", "Western Europe"),
    ("Central America", "Mexico", "North America"),
    ("Central America", "Honduras", "Central America & Caribbean"),
    ("Caribbean", "Haiti", "Central America & Caribbean"),
    ("Northern Africa", "Sudan", "Sub-Saharan Africa"),
    ("Northern Africa", "Libya", "Middle East & North Africa"),
    ("Western Africa", "Mali", "Sub-Saharan Africa"),
    ("Caucasus and Central Asia", "Armenia", "Central Asia"),
    ("South Asia", "Afghanistan", "South Asia"),
    ("Southeast Asia", "Philippines", "Southeast Asia"),
    ("East Asia", "Japan", "East Asia"),
    ("Oceania", "Papua New Guinea", "Australasia & Oceania"),
    ("North America", "United States", "North America"),
    ("South America", "Colombia", "South America"),
])
def test_acled_regions_map_to_gtd_regions(region: str, country: str, gtd: str) -> None:
    assert acled.gtd_region(region, country) == gtd


def test_a_region_with_no_gtd_region_is_a_bad_row(partners: Database) -> None:
    report = _import(partners, _csv(_row("ATA1", region="Antarctica", country="Antarctica"),
                                    _row("IRQ1")))
    assert report.imported == 1
    assert [(e.row, e.message) for e in report.errors] == [
        (2, "region 'Antarctica' has no GTD region")]


# -- event types ------------------------------------------------------------------------------


MIXED = (
    _row("IRQ1"),
    _row("IRQ2", "Battles", "Armed clash", inter1="2", civilian_targeting=""),
    _row("IRQ3", "Protests", "Peaceful protest", "Protesters (Iraq)", "6", fatalities="0"),
    _row("IRQ4", "Protests", "Peaceful protest", "Protesters (Iraq)", "6", fatalities="0"),
    _row("IRQ5", "Riots", "Violent demonstration", "Rioters (Iraq)", "5"),
    _row("IRQ6", "Strategic developments", "Looting/property destruction",
         "Islamic State (Iraq)", "2", fatalities="0"),
    _row("IRQ7", "Violence against civilians", "Attack", "Unidentified Armed Group (Iraq)",
         "3"),
)


def test_non_violent_event_types_are_left_out_by_default_and_counted(
        partners: Database) -> None:
    report = _import(partners, _csv(*MIXED))
    assert (report.imported, report.refused) == (3, 0)
    assert report.excluded_event_types == (("Protests", 2), ("Riots", 1),
                                           ("Strategic developments", 1))
    assert report.excluded == 4
    assert set(_by_eventid(partners)) == {"ACLED-IRQ1", "ACLED-IRQ2", "ACLED-IRQ7"}


def test_the_event_type_filter_imports_the_types_named(partners: Database) -> None:
    report = _import(partners, _csv(*MIXED), event_types=["protests", "Battles"])
    assert report.imported == 3
    assert dict(report.excluded_event_types) == {
        "Explosions/Remote violence": 1, "Riots": 1, "Strategic developments": 1,
        "Violence against civilians": 1}
    assert set(_by_eventid(partners)) == {"ACLED-IRQ2", "ACLED-IRQ3", "ACLED-IRQ4"}


def test_an_unknown_event_type_is_refused_in_the_filter_and_by_row(partners: Database) -> None:
    with pytest.raises(Invalid, match="'Picnics' is not an ACLED event type"):
        _import(partners, _csv(*MIXED), event_types=["Picnics"])
    report = _import(partners, _csv(_row("IRQ1", "Picnics")))
    assert [(e.row, e.message) for e in report.errors] == [
        (2, "event_type 'Picnics' is not an ACLED event type")]


# -- actors -----------------------------------------------------------------------------------


def test_state_forces_never_become_the_perpetrator_group(partners: Database) -> None:
    rows = (
        _row("IRQ1", "Explosions/Remote violence", "Air/drone strike",
             "Military Forces of Iraq (2022-)", "1", actor2="Islamic State (Iraq)", inter2="2"),
        _row("IRQ2", "Battles", "Armed clash", "Police Forces of Iraq (2022-)", "State forces",
             actor2="Islamic State (Iraq)", inter2="2", civilian_targeting=""),
        _row("IRQ3", "Explosions/Remote violence", "Air/drone strike",
             "Military Forces of Turkey (2016-)", "8"),
        _row("IRQ4", "Violence against civilians", "Attack", "Islamic State (Iraq)", "2"),
        _row("IRQ5", "Violence against civilians", "Attack", "Kataib Hezbollah", "3"),
        _row("IRQ6", "Violence against civilians", "Attack", "Shammar Tribal Militia (Iraq)",
             "Identity militia"),
    )
    assert _import(partners, _csv(*rows)).imported == 6
    groups = {e: i.gname for e, i in _by_eventid(partners).items()}
    assert groups == {"ACLED-IRQ1": "", "ACLED-IRQ2": "", "ACLED-IRQ3": "",
                      "ACLED-IRQ4": "Islamic State (Iraq)", "ACLED-IRQ5": "Kataib Hezbollah",
                      "ACLED-IRQ6": "Shammar Tribal Militia (Iraq)"}


def test_without_inter1_state_forces_are_known_by_acleds_names(partners: Database) -> None:
    columns = tuple(c for c in COLUMNS if c not in ("inter1", "inter2"))
    rows = (_row("IRQ1", actor1="Military Forces of Iraq (2022-)"), _row("IRQ2"))
    assert _import(partners, _csv(*rows, columns=columns)).imported == 2
    assert {e: i.gname for e, i in _by_eventid(partners).items()} == {
        "ACLED-IRQ1": "", "ACLED-IRQ2": "Islamic State (Iraq)"}


# -- the edges --------------------------------------------------------------------------------


def test_the_cli_counts_what_the_event_type_filter_left_out(cli: CliRun, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR"
               ).exit_code == 0
    path = tmp_path / "acled.csv"
    path.write_text(_csv(*MIXED))
    result = cli("incidents", "import", str(path), "--owner", "Agency A")
    assert result.exit_code == 0, result.stderr
    assert ("Left out by event type (add --event-type to import them): Protests 2, Riots 1, "
            "Strategic developments 1") in result.stdout
    assert "Imported 3; 0 already present; 0 refused." in result.stdout
    again = cli("incidents", "import", str(path), "--owner", "Agency A",
                "--event-type", "Protests", "--event-type", "Riots")
    assert "Imported 3; 0 already present; 0 refused." in again.stdout
    bad = cli("incidents", "import", str(path), "--owner", "Agency A", "--event-type", "Picnics")
    assert bad.exit_code == 2 and "is not an ACLED event type" in bad.stderr
    listed = cli("incidents", "list", "--region", "Middle East & North Africa")
    assert listed.exit_code == 0 and "Ninewa" in listed.stdout
