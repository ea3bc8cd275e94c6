"""Foreign-fighter flows: aggregates only, small counts suppressed in every output,
files about persons refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.incidents import flows
from accord.incidents.service import Sharing
from accord.incidents.tables import text_table
from accord.reports.flow_report import aggregate, flow_document
from accord.reports.html import render_html
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun

HEADER = "origin_country,destination,direction,transit_country,period_start,period_end,count," \
         "confidence,source"
ROWS = ("FR,SY,outbound,,2014-01-01,2014-12-31,40,medium,ministry estimate\n"
        "FR,SY,return,,2016-01-01,2016-12-31,12,low,ministry estimate\n"
        "BE,IQ,outbound,,2014-01-01,2014-12-31,3,high,partner report\n"
        "BE,SY,transit,TR,2015-01-01,2015-12-31,2,low,partner report\n")


def _import(db: Database, text: str, tlp: str = "GREEN") -> flows.ImportReport:
    return flows.flow_import(db, Actor.operator(), text_table(text), Sharing("Agency A", tlp))


@pytest.mark.parametrize("column", ["name", "full_name", "Passport No", "date_of_birth",
                                    "DOB", "phone", "e-mail", "home address", "person_id"])
def test_a_file_with_columns_about_persons_is_refused_whole(
        partners: Database, column: str) -> None:
    with pytest.raises(Invalid, match="look like personal identifiers") as caught:
        _import(partners, f"{HEADER},{column}\n" + ROWS.replace("\n", ",x\n"))
    assert column.lower() in caught.value.message
    assert flows.flow_list(partners, Actor.operator(), 5) == []


def test_a_group_name_column_is_not_taken_for_a_person() -> None:
    assert flows.personal_columns(["group_name", "organisation name", "origin_country"]) == []


def test_counts_under_five_are_suppressed_in_the_list(partners: Database) -> None:
    _import(partners, f"{HEADER}\n{ROWS}")
    shown = {(f.origin_country, f.direction): f for f in
             flows.flow_list(partners, Actor("cam", partner_id=3), 5)}
    assert shown[("FR", "outbound")].count == 40
    assert shown[("BE", "outbound")].count is None and shown[("BE", "outbound")].suppressed
    assert shown[("BE", "transit")].count is None


def test_the_threshold_never_goes_under_five() -> None:
    assert flows.shown_count(4, threshold=1) is None
    assert flows.shown_count(7, threshold=10) is None and flows.shown_count(10, 10) == 10


def test_reports_show_no_count_under_five(partners: Database) -> None:
    _import(partners, f"{HEADER}\n{ROWS}")
    data = aggregate(flows.flow_rows(partners, Actor.operator(), 2013, 2019), 5)
    counts = [r["count"] for r in data["routes"] + data["trends"] if r["count"] is not None]
    assert counts and min(counts) >= 5
    assert any(r["suppressed"] for r in data["routes"])
    page = render_html(flow_document(data, 2013, 2019))
    assert ">suppressed<" in page and ">3<" not in page and ">2<" not in page


@pytest.mark.parametrize(("row", "complaint"), [
    ("FR,SY,outbound,,2014-01-01,2014-12-31,-3,medium,x", "count is negative"),
    ("FR,SY,sideways,,2014-01-01,2014-12-31,9,medium,x", "direction 'sideways'"),
    ("FR,SY,transit,,2014-01-01,2014-12-31,9,medium,x", "needs its transit_country"),
    ("FRA,SY,outbound,,2014-01-01,2014-12-31,9,medium,x", "not an ISO 3166-1"),
    ("FR,SY,outbound,,2014-02-30,2014-12-31,9,medium,x", "period_start '2014-02-30'"),
    ("FR,SY,outbound,,2015-01-01,2014-12-31,9,medium,x", "before period_start"),
])
def test_bad_flow_rows_are_reported_by_row(partners: Database, row: str,
                                           complaint: str) -> None:
    report = _import(partners, f"{HEADER}\n{ROWS.splitlines()[0]}\n{row}\n")
    assert report.imported == 1
    [error] = report.errors
    assert error.row == 3 and complaint in error.message


def test_flows_report_command_writes_suppressed_outputs(cli: CliRun, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR")
    (tmp_path / "flows.csv").write_text(f"{HEADER}\n{ROWS}")
    assert cli("flows", "import", str(tmp_path / "flows.csv"), "--owner", "Agency A"
               ).exit_code == 0
    result = cli("flows", "report", "--from", "2013", "--to", "2019", "--out",
                 str(tmp_path / "out"))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert all(r["count"] is None or r["count"] >= 5 for r in data["routes"])
    assert {p.suffix for p in (tmp_path / "out").iterdir()} == {".html", ".json", ".pdf",
                                                                ".png", ".svg"}


def test_a_source_holding_personal_data_is_refused_and_never_listed(partners: Database) -> None:
    report = _import(partners, f"{HEADER}\n{ROWS}"
                     "FR,IQ,outbound,,2015-01-01,2015-12-31,9,low,"
                     "told by John Smith (+44 20 7946 0958)\n")
    assert report.imported == 4 and len(report.errors) == 1
    assert "personal data" in report.errors[0].message
    listed = flows.flow_list(partners, Actor("cam", partner_id=3), 5)
    assert len(listed) == 4 and not any("Smith" in f.source for f in listed)


def test_a_destination_naming_a_person_is_refused_and_the_other_rows_imported(
        partners: Database) -> None:
    report = _import(partners, f"{HEADER}\n{ROWS}"
                     "FR,the house of Mr Karimov,outbound,,2015-01-01,2015-12-31,9,low,x\n")
    assert report.imported == 4 and len(report.errors) == 1
    assert "the destination looks like it holds personal data" in report.errors[0].message
    assert "Karimov" not in report.errors[0].message


def test_a_suppressed_count_cannot_be_worked_out_by_subtraction(partners: Database) -> None:
    _import(partners, f"{HEADER}\n"
            "BE,SY,outbound,,2016-01-01,2016-12-31,7,medium,x\n"
            "BE,IQ,outbound,,2016-01-01,2016-12-31,3,medium,x\n"
            "FR,SY,outbound,,2016-01-01,2016-12-31,40,medium,x\n"
            "FR,SY,outbound,,2017-01-01,2017-12-31,4,medium,x\n"
            "FR,TR,outbound,,2017-01-01,2017-12-31,8,medium,x\n")
    cam = Actor("cam", partner_id=3)
    data = aggregate(flows.flow_rows(partners, cam, 2016, 2017), 5)
    trends = {(t["country"], t["year"]): t for t in data["trends"]}
    routes = {(r["origin"], r["destination"]): r for r in data["routes"]}
    # BE 2016 = BE->SY 7 + BE->IQ 3: showing it would give away the 3.
    assert routes[("BE", "SY")]["count"] == 7 and trends[("BE", 2016)]["suppressed"]
    # FR->SY = 40 (2016, shown in the flow list) + 4 (2017, suppressed there).
    assert routes[("FR", "SY")]["suppressed"] and trends[("FR", 2016)]["count"] == 40
    # Every total shown is a sum of counts the flow list shows.
    listed = flows.flow_list(partners, cam, 5)
    for (origin, destination), route in routes.items():
        if not route["suppressed"]:
            parts = [f.count for f in listed
                     if (f.origin_country, f.destination) == (origin, destination)]
            assert None not in parts and sum(p or 0 for p in parts) == route["count"]
    page = render_html(flow_document(data, 2016, 2017))
    assert ">10<" not in page and ">44<" not in page
