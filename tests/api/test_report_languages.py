"""The reports over HTTP in the reader's language: ``?lang=`` or ``Accept-Language``,
answered with ``Content-Language``; the JSON's field names never change."""

from __future__ import annotations

import io

import pypdf
from fastapi.testclient import TestClient

from accord.incidents import synthetic
from tests.api.conftest import Keys
from tests.api.test_api import problem
from tests.api.test_incidents_api import _post_csv

PERIOD: dict[str, str | int] = {"country": synthetic.COUNTRY, "first_year": 2015, "last_year": 2019}


def _imported(api: TestClient, keys: Keys) -> None:
    text = synthetic.write_csv(synthetic.generate(synthetic.Plan()))
    _post_csv(api, "/api/v1/incidents/import", text, keys.curator_a, tlp="AMBER", channel="ab")


def test_the_incident_report_comes_in_the_language_asked_for(api: TestClient,
                                                             keys: Keys) -> None:
    _imported(api, keys)
    page = api.get("/api/v1/incidents/report", headers=keys.reader_b,
                   params={**PERIOD, "lang": "zh-Hans", "format": "html"})
    assert page.status_code == 200 and page.headers["content-language"] == "zh-Hans"
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-Hans" dir="ltr">' in page.text and "<h2>摘要</h2>" in page.text
    pdf = api.get("/api/v1/incidents/report", params={**PERIOD, "format": "pdf"},
                  headers={**keys.reader_b, "Accept-Language": "ar-EG,en;q=0.5"})
    assert pdf.status_code == 200 and pdf.headers["content-language"] == "ar"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "الملخ" in text


def test_the_report_data_keeps_its_field_names_in_every_language(api: TestClient,
                                                                 keys: Keys) -> None:
    _imported(api, keys)
    english = api.get("/api/v1/incidents/report", headers=keys.reader_b, params=PERIOD)
    french = api.get("/api/v1/incidents/report", headers=keys.reader_b,
                     params={**PERIOD, "lang": "fr"})
    assert english.headers["content-language"] == "en"
    assert french.headers["content-language"] == "fr" and french.json() == english.json()


def test_the_flow_and_transparency_reports_come_in_the_language_asked_for(
        api: TestClient, keys: Keys) -> None:
    flows = api.get("/api/v1/flows/report", headers={**keys.reader_b, "Accept-Language": "ru"},
                    params={"first_year": 2015, "last_year": 2016, "format": "html"})
    assert flows.headers["content-language"] == "ru" and "Маршруты" in flows.text
    report = api.get("/api/v1/reports/transparency", headers=keys.reader_b, params={
        "first": "2026-01-01", "last": "2026-06-30", "lang": "es", "format": "html"})
    assert report.status_code == 200 and "Señales compartidas" in report.text


def test_a_language_accord_does_not_ship_is_a_problem_not_english(api: TestClient,
                                                                  keys: Keys) -> None:
    body = problem(api.get("/api/v1/incidents/report", headers=keys.reader_b,
                           params={**PERIOD, "lang": "de"}), 400)
    assert "'de' is not one" in str(body["detail"])
    unknown = api.get("/api/v1/incidents/report", headers={**keys.reader_b,
                                                           "Accept-Language": "de-DE"},
                      params=PERIOD)
    assert unknown.status_code == 200 and unknown.headers["content-language"] == "en"
