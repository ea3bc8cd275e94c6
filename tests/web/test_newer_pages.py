"""The pages for federation, incidents and reports, and cooperation: rendered in both
languages, their main action performed through the same services as the CLI and API."""

from __future__ import annotations

import re
import time

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.entities import service as entities
from accord.exchange import peers
from accord.incidents import flows, service
from accord.incidents.tables import text_table
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.web.conftest import Browser

INCIDENTS = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
             "targtype1_txt,nkill,nwound\n"
             + "".join(f"{n},{2010 + n % 10},{1 + n % 12},{1 + n % 28},Freedonia,"
                       f"Sub-Saharan Africa,{'North' if n % 3 else 'Coast'},Bombing/Explosion,"
                       f"{'Private Citizens & Property' if n % 2 else 'Military'},{n % 4},{n % 5}\n"
                       for n in range(1, 41))
             + "99,2015,5,5,Sylvania,Middle East & North Africa,Hills,Armed Assault,Business,1,0\n")
FLOWS = ("origin_country,destination,direction,transit_country,period_start,period_end,count,"
         "confidence,source\n"
         "FR,SY,outbound,,2014-01-01,2014-12-31,40,medium,ministry estimate\n"
         "BE,IQ,outbound,,2014-01-01,2014-12-31,3,high,partner report\n")


def _in_chinese(web: Browser, path: str) -> str:
    web.client.cookies.set("accord_lang", "zh_Hans")
    try:
        page = web.client.get(path)
        assert page.status_code == 200, page.text[:300]
        assert 'lang="zh-Hans"' in page.text
        return page.text
    finally:
        web.client.cookies.delete("accord_lang")


def _report(web: Browser, path: str) -> str:
    """A report page once its thread has computed it (pages say so and ask again)."""
    deadline = time.monotonic() + 60
    while "Computing the report" in (page := web.client.get(path)).text:
        assert time.monotonic() < deadline, "the report was never computed"
        time.sleep(0.05)
    assert page.status_code == 200, page.text[-2000:]
    return page.text


@pytest.fixture
def incidents(web: Browser) -> Browser:
    op = Actor.operator()
    service.incident_import(web.db, op, text_table(INCIDENTS), service.Sharing("Agency A", "GREEN"))
    flows.flow_import(web.db, op, text_table(FLOWS), service.Sharing("Agency A", "GREEN"))
    return web


# Federation


def test_an_admin_adds_a_peer_and_a_failed_sync_shows_its_error_on_the_page_and_dashboard(
    web: Browser,
) -> None:
    web.sign_in("ada")
    added = web.post("/peers", {"url": "http://127.0.0.1:9/taxii2/", "collection": "signals",
                                "bank": "a-images", "name": "nowhere"}, from_page="/peers")
    assert "Peer nowhere added." in added.text  # type: ignore[attr-defined]
    assert "never run" in web.client.get("/").text
    synced = web.post("/peers/nowhere/sync", {}, from_page="/peers")
    page = synced.text  # type: ignore[attr-defined]
    assert 'id="sync-result"' in page and "Error" in page
    [peer] = peers.peer_list(web.db, Actor.operator())
    assert peer.state == "failed" and peer.last_error and peer.last_error[:20] in page
    status = web.client.get("/").text
    assert 'id="sync-status"' in status and "nowhere" in status and "1 failing" in status
    assert "失败" in _in_chinese(web, "/peers")


def test_peers_are_hidden_from_and_refused_to_members_who_cannot_sync(web: Browser) -> None:
    web.sign_in("cyd")
    assert 'href="/peers"' not in web.client.get("/").text
    assert 'id="sync-status"' not in web.client.get("/").text
    assert web.client.get("/peers").status_code == 403


# Incidents, crises and reports


def test_incidents_filter_by_place_and_years_and_show_their_sourcing(incidents: Browser) -> None:
    web = incidents
    web.sign_in("cyd")
    listed = web.client.get("/incidents?country=Freedonia&first_year=2012&last_year=2013").text
    assert len(re.findall(r'href="/incidents/\d+"', listed)) == 8  # 2 years of 10, 40 in all
    rows = listed.split("<tbody>")[1]  # the picklist above offers Sylvania, the list has none
    assert "Sylvania" not in rows and ">2014-" not in rows
    hills = web.client.get("/incidents?province=Hills").text
    assert "Sylvania" in hills and len(re.findall(r'href="/incidents/\d+"', hills)) == 1
    bad = web.client.get("/incidents?first_year=12345")
    assert bad.status_code == 400 and "1970" in bad.text
    added = web.post("/incidents/1/sources", {"kind": "independent-media",
                                              "published_on": "2020-01-02"},
                     from_page="/incidents/1")
    assert "Source added." in added.text and "independent-media" in added.text  # type: ignore[attr-defined]
    assert "独立媒体" in _in_chinese(web, "/incidents/1")
    assert "事件" in _in_chinese(web, "/incidents")


def test_a_crisis_is_activated_from_the_checklist_and_closed_with_a_debrief(
    incidents: Browser,
) -> None:
    web = incidents
    web.sign_in("cyd")
    page = web.client.get("/incidents/crises").text
    assert 'name="criteria" value="mass-casualty"' in page
    refused = web.post("/incidents/crises", {"incident_id": "1", "bank": "a-images",
                                             "channel": "ab"}, from_page="/incidents/crises")
    assert "at least one criterion" in refused.text  # type: ignore[attr-defined]
    client_post = web.client.post  # a checklist posts the field once per ticked box
    token = web.client.get("/incidents/crises").text.split('name="csrf_token" value="')[1]
    activated = client_post("/incidents/crises", data={
        "incident_id": "1", "bank": "a-images", "channel": "ab", "hours": "24",
        "criteria": ["mass-casualty", "rapid-spread"], "csrf_token": token.split('"')[0]})
    assert "Crisis 1 activated." in activated.text and "active" in activated.text
    closed = web.post("/incidents/crises/1/close",
                      {"debrief": "Shared 3 hashes; takedown within the hour; no leaks."},
                      from_page="/incidents/crises")
    assert "Crisis 1 closed." in closed.text  # type: ignore[attr-defined]
    assert "危机" in _in_chinese(web, "/incidents/crises")


def test_the_incident_report_draws_its_charts_for_a_place_and_period(incidents: Browser) -> None:
    web = incidents
    web.sign_in("rex")
    page = _report(web, "/reports/incidents?country=Freedonia&first_year=2016&last_year=2019")
    for part in ("Escalation", "Spill-over", "Target shift", "Lethality by attack type"):
        assert part in page
    assert page.count("<svg") == 4  # escalation, spill-over, target shift, lethality
    backwards = web.client.get("/reports/incidents?first_year=2019&last_year=2016")
    assert backwards.status_code == 400 and "ends before it starts" in backwards.text
    assert "事件报告" in _in_chinese(web, "/reports/incidents")


def test_the_incident_report_page_is_written_in_the_page_language(incidents: Browser) -> None:
    web = incidents
    web.sign_in("rex")
    web.client.cookies.set("accord_lang", "zh_Hans")
    deadline = time.monotonic() + 60
    try:  # the page says "computing" in Chinese, then shows the report
        while 'hx-trigger="load delay' in (page := web.client.get(
                "/reports/incidents?country=Freedonia&first_year=2016&last_year=2019").text):
            assert time.monotonic() < deadline, "the report was never computed"
            time.sleep(0.05)
    finally:
        web.client.cookies.delete("accord_lang")
    for part in ("摘要", "升级", "外溢", "目标转移", "按袭击类型统计的致命性"):
        assert f"<h3>{part}</h3>" in page
    english = _report(web, "/reports/incidents?country=Freedonia&first_year=2016"
                           "&last_year=2019")
    assert "<h3>Summary</h3>" in english  # kept apart from the Chinese one


def test_the_flows_page_never_shows_a_count_under_the_threshold(incidents: Browser) -> None:
    web = incidents
    web.sign_in("rex")
    page = _report(web, "/reports/flows?first_year=2014&last_year=2014")
    assert "40" in page and "&lt;5" in page
    assert ">3<" not in page and "3</td>" not in page
    assert "流动" in _in_chinese(web, "/reports/flows")


def test_the_transparency_report_renders_and_downloads(incidents: Browser) -> None:
    web = incidents
    web.sign_in("ada")
    web.post("/banks", {"name": "counted"}, from_page="/banks")
    query = "first=2020-01-01&last=2100-12-31"
    page = _report(web, f"/reports/transparency?{query}")
    assert "Signals shared" in page and "format=pdf" in page
    data = web.client.get(f"/reports/transparency?{query}&format=json").json()
    assert data["period"]["from"] == "2020-01-01"
    assert web.client.get(f"/reports/transparency?{query}&format=pdf").content[:4] == b"%PDF"
    assert "透明度报告" in _in_chinese(web, "/reports/transparency")


# Cooperation


def test_a_request_with_personal_data_is_refused_on_the_form_and_a_clean_one_is_answered(
    incidents: Browser,
) -> None:
    web = incidents
    web.sign_in("cyd")
    form = {"to": "Platform B", "purpose": "clarify-incident-sourcing", "refs": "incident:1",
            "tlp": "AMBER+STRICT"}
    refused = web.post("/cooperation/requests",
                       {**form, "text": "Write to j.doe@example.org about it"},
                       from_page="/cooperation")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'id="rq-text-error"' in html and "an e-mail address" in html
    assert "j.doe@example.org" in html  # what the member wrote is kept to edit
    sent = web.post("/cooperation/requests", {**form, "text": "Which outlets reported it?"},
                    from_page="/cooperation")
    assert "Request 1 sent to Platform B." in sent.text  # type: ignore[attr-defined]
    web.sign_in("bea")
    inbox = web.client.get("/cooperation").text
    assert "Which outlets reported it?" in inbox
    assert 'action="/cooperation/requests/1/answer"' in inbox
    answered = web.post("/cooperation/requests/1/answer",
                        {"answer": "Two national broadcasters.", "decline": "no"},
                        from_page="/cooperation")
    assert "Request 1 answered." in answered.text  # type: ignore[attr-defined]
    assert "请求" in _in_chinese(web, "/cooperation")


def test_liaison_records_a_dialogue_with_an_overdue_action_item(web: Browser) -> None:
    web.sign_in("cyd")
    made = web.post("/cooperation/liaison", {"title": "Expert round 3", "level": "expert",
                                             "held_on": "2026-01-10", "partners": "Platform B"},
                    from_page="/cooperation/liaison")
    path = made.url.path  # type: ignore[attr-defined]
    web.post(path + "/agenda", {"title": "Hash list quality", "ref": "bank:1"}, from_page=path)
    web.post(path + "/actions", {"title": "Send the test vectors", "owner": "Agency A",
                                 "due_on": "2026-01-20"}, from_page=path)
    page = web.client.get(path).text
    assert "Hash list quality" in page and "overdue" in page
    assert "Send the test vectors" in web.client.get("/cooperation/liaison").text
    assert "联络" in _in_chinese(web, path)


def test_a_programme_cannot_start_before_its_human_rights_assessment(web: Browser) -> None:
    web.sign_in("cyd")
    web.post("/cooperation/programmes", {
        "title": "Moderation training", "beneficiary": "Platform B", "area": "online-content",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "indicators": "trainees\nhandbook"},
        from_page="/cooperation/programmes")
    refused = web.post("/cooperation/programmes/1/status", {"status": "active"},
                       from_page="/cooperation/programmes")
    assert 'class="flash error"' in refused.text and "proposed" in refused.text  # type: ignore[attr-defined]
    web.post("/cooperation/programmes/1/assessment",
             {"summary": "Reviewed with the beneficiary's oversight body; no concerns."},
             from_page="/cooperation/programmes")
    started = web.post("/cooperation/programmes/1/status", {"status": "active"},
                       from_page="/cooperation/programmes")
    assert "Programme 1 is now active." in started.text  # type: ignore[attr-defined]
    assert "项目" in _in_chinese(web, "/cooperation/programmes")


def test_a_reader_sees_cooperation_but_no_forms(web: Browser) -> None:
    web.sign_in("rex")
    for path in ("/cooperation", "/cooperation/liaison", "/cooperation/programmes"):
        assert 'method="post" action="/cooperation' not in web.client.get(path).text, path


def test_the_designation_view_shows_sources_disagreeing(web: Browser, db: Database) -> None:
    entities.entity_add(db, Actor.operator(), entities.EntityInput(
        "qde-901", "Example Front", designations=(
            entities.parse_designation("UN-SC:QDe.901:2015-03-01"),
            entities.parse_designation("EU:EU-X-1:2016-01-01:2021-06-30"))))
    web.sign_in("cyd")
    added = web.post("/signals", {"bank": "a-images", "signal_type": "md5", "value": "d" * 32,
                                  "labels": "entity:qde-901"}, from_page="/signals")
    assert 'href="/entities/qde-901/designations"' in added.text  # type: ignore[attr-defined]
    page = web.client.get("/entities/qde-901/designations").text
    assert "The sources disagree." in page and "UN-SC" in page and "EU-X-1" in page
    assert "认定" in _in_chinese(web, "/entities/qde-901/designations")
    assert web.client.get("/entities/nobody/designations").status_code == 404


def test_a_worker_keeps_only_the_latest_reports() -> None:
    from accord.web.state import Figures

    kept = Figures(60.0, max_items=2)
    for key in range(4):
        kept.get(key, lambda key=key: f"report {key}")
        kept.stop()
    assert [kept.get(k, lambda: "again") for k in (3, 2, 0)] == ["report 3", "report 2", None]
    kept.stop()


def test_an_auditor_and_a_reader_of_one_partner_never_share_a_cached_transparency_report(
    web: Browser, settings: Settings,
) -> None:
    op = Actor.operator()
    banks.bank_add(web.db, op, "a-secret", "Agency A", default_tlp="RED")
    signals.signal_add(web.db, op, "a-secret", signals.SignalInput("md5", "9" * 32), settings)
    sharing.member_add(web.db, op, "Platform B", "aud", "auditor")
    query = "/reports/transparency?first=2020-01-01&last=2100-12-31&format=json"
    web.sign_in("bea")  # Platform B's reviewer: A's RED signal is not hers to count
    assert "RED" not in web.client.get(query).json()["signals_shared"]["by_tlp"]
    assert "RED" not in _report(web, query.removesuffix("&format=json"))
    web.sign_in("aud")  # the same partner's auditor reads the node-wide figures
    assert web.client.get(query).json()["signals_shared"]["by_tlp"]["RED"] == 1
    assert ">RED<" in _report(web, query.removesuffix("&format=json"))


def test_the_incident_and_flow_reports_offer_their_downloads_once_ready(incidents: Browser
                                                                         ) -> None:
    web = incidents
    web.sign_in("rex")
    for path, stem in (("/reports/incidents?country=Freedonia&first_year=2016&last_year=2019",
                        "incidents-2016-2019"),
                       ("/reports/flows?first_year=2014&last_year=2014", "flows-2014-2014")):
        page = _report(web, path)
        assert f'href="{path.replace("&", "&amp;")}&amp;format=pdf" download' in page
        data = web.client.get(f"{path}&format=json")
        assert data.headers["content-disposition"] == f'attachment; filename="{stem}.json"'
        assert data.json()
        pdf = web.client.get(f"{path}&format=pdf")
        assert pdf.content[:4] == b"%PDF" and stem in pdf.headers["content-disposition"]
