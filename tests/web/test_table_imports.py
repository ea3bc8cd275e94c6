"""Incidents and flows imported from the UI: the same core imports as the CLI and the API,
with the bulk-import progress, the summary and the rejected rows to download."""

from __future__ import annotations

import csv
import html
import io
import re
import time

from accord.incidents import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.web.imports import ImportJob
from tests.web.conftest import Browser

GTD = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
       "targtype1_txt,nkill,nwound,summary\n"
       "201501010001,2015,1,1,Freedonia,Sub-Saharan Africa,North,Bombing/Explosion,Military,"
       "2,3,a text that may name people\n"
       "201501010002,2015,13,1,Freedonia,Sub-Saharan Africa,North,Bombing/Explosion,Military,"
       "0,0,\n"
       "201501010003,2015,2,9,Sylvania,Middle East & North Africa,Hills,Armed Assault,Business,"
       "1,0,\n")
FLOWS = ("origin_country,destination,direction,period_start,period_end,count,confidence\n"
         "FR,SY,outbound,2014-01-01,2014-12-31,40,medium\n"
         "BE,IQ,sideways,2014-01-01,2014-12-31,3,high\n")


def finished(web: Browser, started: object) -> str:
    """The import's fragment once it is done (polled as the page polls it)."""
    html: str = started.text  # type: ignore[attr-defined]
    job = re.search(r'hx-get="/imports/([^"]+)"', html)
    deadline = time.monotonic() + 30
    while job and 'id="import-done"' not in html and "The import failed" not in html:
        assert time.monotonic() < deadline, html
        time.sleep(0.05)  # the import runs in the node's thread
        html = web.client.get(f"/imports/{job.group(1)}").text
    return html


def test_incidents_imported_from_the_page_show_their_summary(web: Browser,
                                                             db: Database) -> None:
    web.sign_in("cyd")
    page = web.client.get("/incidents").text
    assert 'id="incidents-import"' in page
    done = finished(web, web.post("/incidents/import", {"tlp": "GREEN"}, from_page="/incidents",
                                  files={"file": ("gtd.csv", GTD.encode())}))
    assert "Done: 2 added, 0 already there, 1 rejected." in done
    assert "summary" in done  # the dropped person-naming column is named
    assert 'href="/incidents"' in done
    seen = service.incident_list(db, Actor.operator())
    assert sorted(i.country_txt for i in seen) == ["Freedonia", "Sylvania"]
    assert {i.tlp for i in seen} == {"GREEN"}

    rejected = re.search(r'href="(/imports/[^"]+/rejected.csv)"', done)
    assert rejected, done
    rows = list(csv.DictReader(io.StringIO(web.client.get(rejected.group(1)).text)))
    assert [(r["line"], r["row"].split(",")[0]) for r in rows] == [("3", "201501010002")]

    again = finished(web, web.post("/incidents/import", {}, from_page="/incidents",
                                   files={"file": ("gtd.csv", GTD.encode())}))
    assert "Done: 0 added, 2 already there, 1 rejected." in again


def test_flows_imported_from_the_report_page(web: Browser) -> None:
    web.sign_in("cyd")
    assert 'id="flows-import"' in web.client.get("/reports/flows").text
    done = finished(web, web.post("/flows/import", {"channel": "ab"}, from_page="/reports/flows",
                                  files={"file": ("flows.csv", FLOWS.encode())}))
    assert "Done: 1 added, 0 already there, 1 rejected." in done
    assert 'href="/reports/flows"' in done

    people = finished(web, web.post("/flows/import", {}, from_page="/reports/flows", files={
        "file": ("people.csv", b"name,origin_country,destination\nA. Person,FR,SY\n")}))
    assert "The import failed" in people  # refused whole

    answer = web.post("/flows/import", {"channel": "no-such"}, from_page="/reports/flows",
                      files={"file": ("flows.csv", FLOWS.encode())})
    assert 'role="alert"' in answer.text  # type: ignore[attr-defined]
    assert "hx-get" not in answer.text  # type: ignore[attr-defined]  # refused before it starts


def test_a_reader_may_not_import_incidents(web: Browser, db: Database) -> None:
    web.sign_in("rex")
    assert 'id="incidents-import"' not in web.client.get("/incidents").text
    answer = web.post("/incidents/import", {}, from_page="/incidents",
                      files={"file": ("gtd.csv", GTD.encode())})
    assert 'role="alert"' in answer.text  # type: ignore[attr-defined]
    assert "hx-get" not in answer.text  # type: ignore[attr-defined]  # no import started
    assert service.incident_list(db, Actor.operator()) == []


def test_a_table_imports_bar_counts_rows_against_the_files_lines() -> None:
    job = ImportJob("j", 1, "", "gtd.csv", size=10_000, kind="incidents", lines=200, rows=50)
    assert job.percent == 25  # bytes are not counted for tables: rows of the lines
    job.rows = 200
    assert job.percent == 99  # a quoted newline may make one row of two lines
    job.done = True
    assert job.percent == 100


def test_an_imports_reasons_read_in_the_language_of_who_started_it(web: Browser) -> None:
    web.sign_in("cyd")
    web.post("/language", {"locale": "fr", "next": "/incidents"}, from_page="/")
    done = finished(web, web.post("/incidents/import", {"tlp": "GREEN"}, from_page="/incidents",
                                  files={"file": ("gtd.csv", GTD.encode())}))
    rejected = re.search(r'href="(/imports/[^"]+/rejected.csv)"', done)
    assert rejected, done
    [row] = csv.DictReader(io.StringIO(web.client.get(rejected.group(1)).text))
    # The column keeps its name; the sentence around it is French, on the page and in the file.
    assert row["reason"].startswith("imonth 13 ") and row["reason"] in html.unescape(done)
    assert not re.search(r"\b(is|must|should|not|between)\b", row["reason"]), row["reason"]
