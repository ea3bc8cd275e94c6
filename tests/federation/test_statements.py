"""Public statements travel between two Accord processes as STIX notes over TAXII: A's
agency records a condemnation, B syncs it onto its own copy of the incident, and B's
incident report shows when A spoke; RED, AMBER+STRICT and not-opted-in never leave A."""

from __future__ import annotations

import datetime as dt

import httpx2
import pytest

from accord.exchange.statement_stix import STATEMENT_EXTENSION_ID
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.incidents import analytics as an
from accord.incidents import report, service
from accord.incidents import statements as st
from accord.reports.incident_report import analysis_document, analysis_json
from accord.reports.transparency import set_report_opt_in
from accord.sharing.roles import Actor, Role
from tests.federation.conftest import Pair
from tests.federation.nodes import OP, Node
from tests.federation.test_two_nodes import accord

FIELDS = {"iyear": "2026", "imonth": "3", "iday": "14", "country_txt": "France",
          "attacktype1_txt": "Bombing/Explosion", "targtype1_txt": "Transportation"}
SPOKEN = dt.datetime(2026, 3, 14, 18, 30, tzinfo=dt.UTC)  # 18.5 hours into the day
URL = "https://agency-a.example/press/condemnation"


def _incident(node: Node, owner: str, eventid: str, tlp: str, channel: str | None) -> int:
    return service.incident_add(node.db, OP, {**FIELDS, "eventid": eventid},
                                service.Sharing(owner, tlp, channel)).id


def _said(hours: float = 18.5, text: str = "We condemn this attack.") -> st.Said:
    return st.Said("condemnation", dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
                   + dt.timedelta(hours=hours), "fr", URL, text)


def _taxii_text(node: Node, user: str, key: str) -> str:
    seen = ""
    with httpx2.Client(base_url=node.url, auth=httpx2.BasicAuth(user, key), timeout=10,
                       headers={"Accept": MEDIA_TYPE_TAXII}) as http:
        for collection in http.get("/taxii2/api/collections/").json()["collections"]:
            base = f"/taxii2/api/collections/{collection['id']}/"
            for params in ({}, {"limit": "1"}, {"match[type]": "note"}):
                seen += http.get(base + "objects/", params=params).text
                seen += http.get(base + "manifest/", params=params).text
    return seen


@pytest.fixture(scope="module")
def recorded(pair: Pair) -> dict[str, int]:
    """On A: an AMBER incident in channel ab with Agency A's condemnation, a RED and an
    AMBER+STRICT one; on B, Platform B's own copy of the first (same GTD eventid)."""
    ada = Actor("ada-st", 1, Role.CURATOR)
    ids = {"a": _incident(pair.a, "Agency A", "202603140001", "AMBER", "ab"),
           "red": _incident(pair.a, "Agency A", "202603140002", "RED", None),
           "strict": _incident(pair.a, "Agency A", "202603140003", "AMBER+STRICT", "ab"),
           "b": _incident(pair.b, "Platform B", "202603140001", "GREEN", None)}
    st.statement_add(pair.a.db, ada, ids["a"], "Agency A", _said())
    st.statement_add(pair.a.db, ada, ids["red"], "Agency A", _said(20, "Red words."))
    st.statement_add(pair.a.db, ada, ids["strict"], "Agency A", _said(21, "Strict words."))
    return ids


def test_a_statement_of_a_partner_not_opted_in_stays_on_its_node(
        pair: Pair, recorded: dict[str, int]) -> None:
    assert "We condemn" not in _taxii_text(pair.a, "sync-b", pair.b_sync_key)


def test_b_syncs_a_statement_and_its_incident_report_shows_when_a_spoke(
        pair: Pair, recorded: dict[str, int]) -> None:
    set_report_opt_in(pair.a.db, OP, "Agency A", True)
    code, out, err = accord(pair.b, "peer", "add", pair.a.taxii, "--collection", "Channel ab",
                            "--bank", "from-a", "--name", "node-a", "--user", "sync-b",
                            "--key", pair.b_sync_key)
    assert code == 0, err
    code, out, err = accord(pair.b, "sync", "node-a")
    assert code == 0, err + out
    bea = Actor("bea", 1, Role.CURATOR)  # Platform B is partner 1 on B
    [got] = st.statement_list(pair.b.db, bea, recorded["b"])
    assert (got.speaker, got.kind, got.spoken_at, got.language, got.url, got.origin) == (
        "Agency A", "condemnation", SPOKEN, "fr", URL, "peer:node-a")
    assert got.hours_after == 18.5
    analysis = report.incident_analysis(pair.b.db, bea, service.Scope(), an.Period(2026, 2026),
                                        (19,))
    [facts] = analysis_json(analysis)["statements"]
    assert facts["eventid"] == "202603140001"
    assert facts["partners"] == [{"partner": "Agency A", "status": "spoke",
                                  "first_at": SPOKEN.isoformat(), "hours_after": 18.5,
                                  "kinds": ["condemnation"], "received_from": "peer:node-a"}]
    [section] = [s for s in analysis_document(analysis).sections
                 if s.title == "Public statements"]
    assert section.tables[0].rows == [("202603140001", "2026-03-14", "Agency A (via node-a)",
                                       "spoke", "condemnation", "2026-03-14 18:30 UTC", "18.5")]
    code, out, err = accord(pair.b, "sync", "node-a")  # again: nothing new
    assert code == 0 and len(st.statement_list(pair.b.db, bea, recorded["b"])) == 1


def test_red_and_amber_strict_statements_never_leave_a(
        pair: Pair, recorded: dict[str, int]) -> None:
    a_curator = pair.a.key("Agency A", "ada-taxii", "curator")
    seen = _taxii_text(pair.a, "sync-b", pair.b_sync_key)
    seen += _taxii_text(pair.a, "ada-taxii", a_curator)
    assert "We condemn" in seen and STATEMENT_EXTENSION_ID in seen
    assert "Red words" not in seen and "Strict words" not in seen


def test_b_pushes_its_own_statement_to_a_where_it_shows_on_a_s_copy(
        pair: Pair, recorded: dict[str, int]) -> None:
    from accord.curation import banks

    banks.bank_add(pair.a.db, OP, "b-on-a", "Platform B", default_tlp="AMBER", channel="ab")
    key = pair.a.key("Platform B", "bcur-st", "curator")
    set_report_opt_in(pair.b.db, OP, "Platform B", True)
    bea = Actor("bea-st", 1, Role.CURATOR)
    st.statement_add(pair.b.db, bea, recorded["b"], "Platform B", st.Said(
        "concern", dt.datetime(2026, 3, 16, 8, tzinfo=dt.UTC), "en",
        "https://platform-b.example/1", "We are concerned by this attack."))
    code, out, err = accord(pair.b, "peer", "add", pair.a.taxii, "--collection", "Channel ab",
                            "--bank", "from-a", "--name", "node-a-rw", "--user", "bcur-st",
                            "--key", key)
    assert code == 0, err
    code, out, err = accord(pair.b, "sync", "node-a-rw")
    assert code == 0, err + out
    ada = Actor("ada-st", 1, Role.CURATOR)
    said = {s.speaker: s for s in st.statement_list(pair.a.db, ada, recorded["a"])}
    assert said["Platform B"].kind == "concern" and said["Platform B"].hours_after == 56.0
    assert said["Platform B"].origin is not None
    code, out, err = accord(pair.b, "sync", "node-a-rw")  # pushed once, not again
    assert len(st.statement_list(pair.a.db, ada, recorded["a"])) == 2
