"""Importing GTD and ACLED files: bad rows reported by row, the rest imported,
person-naming columns never stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import inspect

from accord.errors import Conflict, Invalid
from accord.incidents import codebook, service
from accord.incidents.tables import open_table, text_table
from accord.sharing.roles import Actor
from accord.store.database import Database

HEADER = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
          "targtype1_txt,nkill,nkillter,nwound,summary,target1,corp1,motive,scite1")
GOOD = ("201501010001,2015,1,1,Freedonia,Middle East & North Africa,Aldmark,Armed Assault,"
        "Business,3,1,2,A person named here,Person X,Corp Y,revenge,Some citation")


def _import(db: Database, text: str) -> service.ImportReport:
    return service.incident_import(db, Actor.operator(), text_table(text),
                                   service.Sharing("Agency A", "GREEN"))


def test_a_gtd_csv_is_imported_with_its_codes_checked(partners: Database) -> None:
    report = _import(partners, f"{HEADER}\n{GOOD}\n")
    assert (report.imported, report.refused) == (1, 0)
    [incident] = service.incident_list(partners, Actor.operator())
    assert (incident.country_txt, incident.provstate) == ("Freedonia", "Aldmark")
    assert incident.targtype1 == 1 and incident.attacktype1_txt == "Armed Assault"
    assert (incident.nkill, incident.nkillter, incident.nwound) == (3, 1, 2)


def test_free_text_that_can_name_people_is_dropped_and_has_no_column(
        partners: Database) -> None:
    report = _import(partners, f"{HEADER}\n{GOOD}\n")
    assert set(report.dropped_columns) == {"summary", "target1", "corp1", "motive", "scite1"}
    stored = {c["name"] for c in inspect(partners.engine).get_columns("incidents")}
    assert stored.isdisjoint(codebook.DROPPED_COLUMNS)
    dump = repr(service.incident_list(partners, Actor.operator()))
    assert "Person X" not in dump and "A person named here" not in dump


@pytest.mark.parametrize(("row", "complaint"), [
    ("2015,2,30,Freedonia,,Aldmark,Armed Assault,Business,1,0,0", "2015-02-30 is not a date"),
    ("2015,13,1,Freedonia,,Aldmark,Armed Assault,Business,1,0,0", "imonth 13"),
    ("1850,1,1,Freedonia,,Aldmark,Armed Assault,Business,1,0,0", "iyear 1850"),
    ("2015,1,1,Freedonia,,Aldmark,Armed Assault,Business,-4,0,0", "nkill is negative"),
    ("2015,1,1,Freedonia,,Aldmark,Armed Assault,Business,1,0,-2", "nwound is negative"),
    ("2015,1,1,Freedonia,,Aldmark,Laser Strike,Business,1,0,0", "attack type 'Laser Strike'"),
    ("2015,1,1,Freedonia,,Aldmark,Armed Assault,Bakery,1,0,0", "target type 'Bakery'"),
    ("2015,1,1,Freedonia,Atlantis,Aldmark,Armed Assault,Business,1,0,0", "region 'Atlantis'"),
    ("2015,1,1,Freedonia,,Aldmark,Armed Assault,Business,1,3,0", "nkillter 3 exceeds nkill 1"),
    ("2015,1,1,Freedonia,,Aldmark,Armed Assault", "has 7 fields, the header has 11"),
])
def test_a_bad_row_is_reported_by_row_and_the_others_are_imported(
        partners: Database, row: str, complaint: str) -> None:
    header = ("iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
              "targtype1_txt,nkill,nkillter,nwound")
    good = "2015,1,1,Freedonia,,Aldmark,Armed Assault,Business,1,0,0"
    report = _import(partners, f"{header}\n{good}\n{row}\n{good}\n")
    assert report.imported == 2
    [error] = report.errors
    assert error.row == 3 and complaint in error.message


def test_a_file_without_the_gtd_columns_is_refused_whole(partners: Database) -> None:
    with pytest.raises(Invalid, match=r"lacks the GTD column.*iyear") as caught:
        _import(partners, "year,place,kind\n2015,Aldmark,bomb\n")
    assert caught.value.hint is not None and "column names" in caught.value.hint
    assert service.incident_list(partners, Actor.operator()) == []


def test_importing_the_same_file_again_adds_nothing(partners: Database) -> None:
    _import(partners, f"{HEADER}\n{GOOD}\n")
    again = _import(partners, f"{HEADER}\n{GOOD}\n")
    assert (again.imported, again.skipped_duplicates) == (0, 1)


def test_a_gtd_xlsx_export_is_read_like_its_csv(partners: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append([int(c) if c.isdigit() else c for c in GOOD.split(",")])
    book.save(tmp_path / "gtd.xlsx")
    report = service.incident_import(partners, Actor.operator(),
                                     open_table(tmp_path / "gtd.xlsx"),
                                     service.Sharing("Agency A"))
    assert report.imported == 1 and "summary" in report.dropped_columns


def test_an_acled_csv_is_mapped_to_gtd_fields(partners: Database) -> None:
    text = ("event_id_cnty,event_date,year,event_type,sub_event_type,actor1,country,region,"
            "admin1,location,latitude,longitude,fatalities,civilian_targeting,notes\n"
            "FRE123,2021-03-04,2021,Explosions/Remote violence,Remote explosive/landmine/IED,"
            "Generated Front,Freedonia,Middle East,Aldmark,Aldmark City,30.1,40.2,4,"
            "Civilian targeting,a note naming someone\n"
            "FRE124,2021-02-31,2021,Battles,Armed clash,Generated Front,Freedonia,"
            "Middle East,Aldmark,Aldmark City,30.1,40.2,1,,\n")
    report = _import(partners, text)
    assert report.imported == 1 and report.errors[0].row == 3
    assert "notes" in report.dropped_columns
    [incident] = service.incident_list(partners, Actor.operator())
    assert incident.eventid == "ACLED-FRE123" and (incident.iyear, incident.imonth) == (2021, 3)
    assert incident.attacktype1_txt == "Bombing/Explosion"
    assert incident.targtype1_txt == "Private Citizens & Property" and incident.nkill == 4


def test_incidents_follow_the_visibility_rule(partners: Database) -> None:
    op = Actor.operator()
    good = GOOD.split(",", 1)[1]
    for n, tlp in enumerate(("RED", "AMBER", "GREEN")):
        service.incident_import(partners, op, text_table(f"{HEADER}\n{n}{n},{good}\n"),
                                service.Sharing("Agency A", tlp, "ab"))
    b = Actor("bea", partner_id=2)
    c = Actor("cam", partner_id=3)
    assert {i.tlp for i in service.incident_list(partners, b)} == {"AMBER", "GREEN"}
    assert {i.tlp for i in service.incident_list(partners, c)} == {"GREEN"}


def test_the_perpetrator_group_is_linked_to_its_entity_by_name_or_alias(
        partners: Database) -> None:
    from accord.entities.service import EntityInput, entity_add
    from accord.store.records import AliasRecord

    entity = entity_add(partners, Actor.operator(), EntityInput(
        "qde-999", "Generated Front", (AliasRecord("Front Genere", "Latn"),)))
    header = HEADER + ",gname"
    text = (f"{header}\n{GOOD},Front Genere\n"
            + GOOD.replace("201501010001", "201501010002") + ",Unlisted Band\n")
    assert _import(partners, text).imported == 2
    linked = {i.gname: i.entity_id for i in service.incident_list(partners, Actor.operator())}
    assert linked == {"Front Genere": entity.id, "Unlisted Band": None}


def test_a_windows_1252_gtd_csv_is_read(partners: Database, tmp_path: Path) -> None:
    path = tmp_path / "gtd.csv"
    path.write_bytes(f"{HEADER}\n{GOOD.replace('Aldmark', 'Bogotá')}\n".encode("cp1252"))
    report = service.incident_import(partners, Actor.operator(), open_table(path),
                                     service.Sharing("Agency A"))
    assert report.imported == 1
    assert service.incident_list(partners, Actor.operator())[0].provstate == "Bogotá"


def test_another_partners_hidden_incident_never_makes_an_import_a_duplicate(
        partners: Database) -> None:
    op = Actor.operator()
    row = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
           "FRA123,2020,1,5,France,Bombing/Explosion,Private Citizens & Property\n")
    service.incident_import(partners, op, text_table(row), service.Sharing("Agency A", "RED"))
    bea = Actor("bea", partner_id=2)
    report = service.incident_import(partners, op, text_table(row),
                                     service.Sharing("Platform B", "GREEN"))
    assert (report.imported, report.skipped_duplicates) == (1, 0)
    [own] = service.incident_list(partners, bea)
    assert own.eventid == "FRA123" and own.owner_partner_id == 2
    again = service.incident_import(partners, op, text_table(row),
                                    service.Sharing("Platform B", "GREEN"))
    assert (again.imported, again.skipped_duplicates) == (0, 1)
    header, values = (line.split(",") for line in row.splitlines())
    fields = dict(zip(header, values, strict=True))
    added = service.incident_add(partners, op, {**fields, "eventid": "FRA124"},
                                 service.Sharing("Agency A", "RED"))
    assert service.incident_add(partners, op, {**fields, "eventid": "FRA124"},
                                service.Sharing("NGO C", "GREEN")).id != added.id
    with pytest.raises(Conflict, match="your partner already has"):
        service.incident_add(partners, op, {**fields, "eventid": "FRA124"},
                             service.Sharing("NGO C", "GREEN"))
