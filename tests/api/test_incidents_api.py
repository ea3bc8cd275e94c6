"""The incident, flow, crisis and report routes call the same services as the CLI."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.incidents import synthetic
from tests.api.conftest import Keys

CSV = "text/csv"


def _post_csv(api: TestClient, path: str, text: str, headers: dict[str, str],
              **params: str) -> dict[str, object]:
    response = api.post(path, content=text.encode(), params=params,
                        headers={**headers, "Content-Type": CSV})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_import_list_and_report_over_http(api: TestClient, keys: Keys) -> None:
    text = synthetic.write_csv(synthetic.generate(synthetic.Plan()))
    done = _post_csv(api, "/api/v1/incidents/import", text, keys.curator_a, tlp="AMBER",
                     channel="ab")
    assert done["refused"] == 0 and "summary" in done["dropped_columns"]  # type: ignore[operator]
    page = api.get("/api/v1/incidents", params={"limit": 5}, headers=keys.reader_b).json()
    assert len(page["incidents"]) == 5 and page["next_after"] == page["incidents"][-1]["id"]
    assert api.get("/api/v1/incidents", headers=keys.admin_c).json()["incidents"] == []
    report = api.get("/api/v1/incidents/report", headers=keys.reader_b, params={
        "country": synthetic.COUNTRY, "first_year": 2015, "last_year": 2019}).json()
    assert report["escalation"]["found"] and report["spillover"]["new_places"] == [
        synthetic.NEW_PROVINCE]
    assert report["target_shift"]["found"]


def test_bad_rows_come_back_by_row_and_bad_files_as_problems(api: TestClient,
                                                             keys: Keys) -> None:
    text = ("iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt,nkill\n"
            "2015,1,1,Freedonia,Armed Assault,Business,2\n"
            "2015,1,1,Freedonia,Armed Assault,Business,-2\n")
    done = _post_csv(api, "/api/v1/incidents/import", text, keys.curator_a)
    assert done["imported"] == 1 and done["errors"] == [
        {"row": 3, "message": "nkill is negative (-2)"}]
    wrong = api.post("/api/v1/incidents/import", content=b"a,b\n1,2\n",
                     headers={**keys.curator_a, "Content-Type": CSV})
    assert wrong.status_code == 400
    assert wrong.headers["content-type"].startswith("application/problem+json")


def test_flows_over_http_suppress_small_counts_and_refuse_persons(api: TestClient,
                                                                 keys: Keys) -> None:
    header = "origin_country,destination,direction,period_start,period_end,count,confidence"
    rows = ("FR,SY,outbound,2014-01-01,2014-12-31,40,medium\n"
            "BE,SY,return,2015-01-01,2015-12-31,3,low\n")
    _post_csv(api, "/api/v1/flows/import", f"{header}\n{rows}", keys.curator_a, tlp="GREEN")
    listed = api.get("/api/v1/flows", headers=keys.admin_c).json()
    assert sorted((f["count"], f["suppressed"]) for f in listed
                  if f["count"] is not None) == [(40, False)]
    assert any(f["suppressed"] and f["count"] is None for f in listed)
    report = api.get("/api/v1/flows/report", headers=keys.admin_c,
                     params={"first_year": 2013, "last_year": 2019}).json()
    assert all(r["count"] is None or r["count"] >= 5 for r in report["routes"])
    refused = api.post("/api/v1/flows/import", content=f"{header},passport\n".encode(),
                       headers={**keys.curator_a, "Content-Type": CSV})
    assert refused.status_code == 400 and "personal identifiers" in refused.json()["detail"]


def test_crisis_and_transparency_over_http(api: TestClient, keys: Keys) -> None:
    text = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
            "9,2024,3,15,Freedonia,Armed Assault,Business\n")
    _post_csv(api, "/api/v1/incidents/import", text, keys.curator_a, tlp="GREEN")
    incident = api.get("/api/v1/incidents", headers=keys.curator_a).json()["incidents"][0]
    made = api.post("/api/v1/crises", headers=keys.curator_a, json={
        "incident_id": incident["id"], "bank": "a-images", "channel": "ab",
        "criteria": ["mass-casualty"], "hours": 2})
    assert made.status_code == 201 and made.json()["state"] == "active"
    short = api.post(f"/api/v1/crises/{made.json()['id']}/close", headers=keys.curator_a,
                     json={"debrief": "ok"})
    assert short.status_code == 400
    named = api.post(f"/api/v1/crises/{made.json()['id']}/close", headers=keys.curator_a,
                     json={"debrief": "Call Mr Jones on +44 20 7946 0958 about it."})
    assert named.status_code == 422 and "personal data" in named.json()["detail"]
    closed = api.post(f"/api/v1/crises/{made.json()['id']}/close", headers=keys.curator_a,
                      json={"debrief": "Shared nothing new; the incident was contained."})
    assert closed.json()["state"] == "closed"
    [seen] = api.get("/api/v1/crises", headers=keys.admin_c).json()
    assert seen["state"] == "closed" and seen["activated_by"] is None
    assert seen["closed_by"] is None and seen["debrief"] is None and seen["bank_id"] is None
    report = api.get("/api/v1/reports/transparency", headers=keys.admin_c,
                     params={"first": "2020-01-01", "last": "2099-12-31"}).json()
    assert report["crisis_activations"]["total"] == 1
    assert report["crisis_activations"]["activations"][0]["activated_by"] == "a partner"


def test_acled_event_types_are_filtered_and_counted_over_http(api: TestClient,
                                                              keys: Keys) -> None:
    from tests.incidents.test_acled import MIXED, _csv

    done = _post_csv(api, "/api/v1/incidents/import", _csv(*MIXED), keys.curator_a)
    assert done["imported"] == 3 and done["excluded_event_types"] == {
        "Protests": 2, "Riots": 1, "Strategic developments": 1}
    more = api.post("/api/v1/incidents/import", content=_csv(*MIXED).encode(),
                    params=[("event_type", "Protests"), ("event_type", "Riots")],
                    headers={**keys.curator_a, "Content-Type": CSV})
    assert more.status_code == 200 and more.json()["imported"] == 3
    bad = api.post("/api/v1/incidents/import", content=_csv(*MIXED).encode(),
                   params={"event_type": "Picnics"},
                   headers={**keys.curator_a, "Content-Type": CSV})
    assert bad.status_code == 400 and "not an ACLED event type" in bad.text
