"""The transparency report per reader: nothing a caller may not see is counted for it.

Agency A shares in the "ab" channel with Platform B; NGO C stands apart. A keeps RED
signals and a RED incident with a crisis on it; B and C each record matches. C's
report must show none of A's RED or channel work, none of B's matches, nothing of the
RED incident or its crisis; the operator and an auditor read the node-wide figures.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.cooperation import requests
from accord.curation import banks, signals
from accord.entities import service as entities
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.matching.service import MatchedSignal
from accord.reports.charts import svg_texts
from accord.reports.document import Document
from accord.reports.html import render_html
from accord.reports.transparency import transparency_document, transparency_report
from accord.review import service as review
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

TODAY = dt.datetime.now(dt.UTC).date()
PERIOD = (TODAY - dt.timedelta(days=1), TODAY)
INCIDENTS = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
             "{p}1,{y},1,2,Freedonia,Armed Assault,Business\n")


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = sharing.member_add(db, Actor.operator(), partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def node(partners: Database, settings: Settings) -> Database:
    db, op = partners, Actor.operator()
    entities.entity_add(db, op, entities.EntityInput("secret-cell", "Example Cell"))
    banks.bank_add(db, op, "a-secret", "Agency A", default_tlp="RED")
    banks.bank_add(db, op, "a-channel", "Agency A", default_tlp="AMBER+STRICT", channel="ab")
    banks.bank_add(db, op, "a-public", "Agency A", default_tlp="GREEN")
    made = {}
    for bank, value, label in (("a-secret", "1", "entity:secret-cell"),
                               ("a-secret", "2", "entity:secret-cell"),
                               ("a-channel", "3", "content:video"),
                               ("a-public", "4", "content:magazine")):
        sig = signals.signal_add(db, op, bank, signals.SignalInput(
            "md5", value * 32, labels=(label,)), settings)
        made[value] = MatchedSignal(sig.id, "md5", sig.value, 0, bank, sig.labels, sig.tlp,
                                    False)
    signals.signal_retract(db, op, made["2"].signal_id, "superseded")
    public = made["4"]
    for partner, n in (("Platform B", 3), ("NGO C", 1)):
        requester = _member(db, partner, f"m-{partner[-1].lower()}", "reader")
        for i in range(n):
            review.record_matches(db, requester, f"{partner}-{i}", [public])
    service.incident_import(db, op, text_table(INCIDENTS.format(p="A", y=TODAY.year)),
                            service.Sharing("Agency A", "RED"))
    crisis.activate(db, op, settings, 1, "a-channel", "ab", ["mass-casualty"])
    requests.request_send(db, op, "Platform B", "review-disputed-label", ["signal:4"],
                          from_partner="Agency A", channel="ab", tlp="AMBER")
    return db


def _as(db: Database, partner: str, role: str = "reader") -> dict[str, object]:
    reader = _member(db, partner, f"r-{partner[-1].lower()}-{role}", role)
    return transparency_report(db, *PERIOD, reader)


def test_a_partner_apart_counts_only_what_it_may_see(node: Database) -> None:
    data = _as(node, "NGO C")
    assert data["scope"] == {"node_wide": False, "partner": "NGO C"}
    assert data["signals_shared"] == {"total": 1, "by_type": {"md5": 1},
                                      "by_label": {"content:magazine": 1},
                                      "by_tlp": {"GREEN": 1}}
    assert data["retractions"] == {"total": 0}  # A's retraction was of a RED signal
    assert data["matches_and_verdicts"]["matches"] == 1  # its own, not B's three
    assert data["crisis_activations"] == {"total": 0, "activations": []}
    assert data["requests"]["total"] == 0  # between A and B
    assert data["incident_sourcing"] == {"partners": []}
    text = json.dumps(data) + render_html(transparency_document(data))
    for leak in ("RED", "AMBER+STRICT", "secret-cell", "content:video", "mass-casualty"):
        assert leak not in text, leak


def test_a_channel_member_counts_the_channel_but_not_the_owners_red_work(
    node: Database
) -> None:
    data = _as(node, "Platform B")
    assert data["signals_shared"]["by_tlp"] == {"AMBER+STRICT": 1, "GREEN": 1}
    assert "entity:secret-cell" not in data["signals_shared"]["by_label"]
    assert data["matches_and_verdicts"]["matches"] == 3
    assert data["requests"]["total"] == 1  # it received it
    assert data["crisis_activations"]["total"] == 0  # on A's RED incident


def test_the_owner_counts_its_own_red_work(node: Database) -> None:
    data = _as(node, "Agency A")
    assert data["signals_shared"]["by_tlp"] == {"AMBER+STRICT": 1, "GREEN": 1, "RED": 2}
    assert data["retractions"] == {"total": 1}
    assert data["matches_and_verdicts"]["matches"] == 0  # it matched nothing itself
    assert data["crisis_activations"]["total"] == 1


def test_the_operator_and_an_auditor_read_the_node_wide_figures(node: Database) -> None:
    everything = transparency_report(node, *PERIOD, Actor.operator())
    audited = _as(node, "NGO C", "auditor")
    assert everything["scope"] == audited["scope"] == {"node_wide": True, "partner": None}
    assert {k: v for k, v in audited.items() if k != "scope"} == {
        k: v for k, v in everything.items() if k != "scope"}
    assert everything["signals_shared"]["total"] == 4
    assert everything["matches_and_verdicts"]["matches"] == 4
    assert "Node-wide figures." in render_html(transparency_document(everything))


def test_over_http_each_key_gets_its_own_partners_report(node: Database, settings: Settings
                                                          ) -> None:
    keys = {}
    for partner, role in (("NGO C", "reader"), ("NGO C", "auditor")):
        username = f"k-{role}"
        sharing.member_add(node, Actor.operator(), partner, username, role)
        keys[role] = {"Authorization":
                      f"Bearer {sharing.key_create(node, Actor.operator(), username).secret}"}
    params = {"first": PERIOD[0].isoformat(), "last": PERIOD[1].isoformat()}
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        reader = api.get("/api/v1/reports/transparency", headers=keys["reader"], params=params)
        auditor = api.get("/api/v1/reports/transparency", headers=keys["auditor"],
                          params=params)
    assert reader.status_code == auditor.status_code == 200
    assert reader.json()["signals_shared"]["total"] == 1
    assert auditor.json()["signals_shared"]["total"] == 4


def _drawn(doc: Document) -> list[str]:
    """Every text the charts draw (matplotlib's SVG names each in a comment)."""
    return [text for svg in svg_texts(doc).values() for text in re.findall(r"<!-- (.*?) -->", svg)]


def test_the_breakdowns_are_charts_in_the_readers_language_over_what_it_may_see(
    node: Database
) -> None:
    channel = transparency_document(_as(node, "Platform B"), "zh_Hans")
    assert set(channel.charts) == {"signals_by_tlp", "matches_by_state", "requests_by_status"}
    assert {"按 TLP 统计的共享信号", "按审核状态统计的匹配", "AMBER+STRICT"} <= set(_drawn(channel))
    assert "signals_by_tlp" in channel.sections[0].charts
    apart = transparency_document(_as(node, "NGO C"))
    assert "RED" not in _drawn(apart) and "AMBER+STRICT" not in _drawn(apart)
    assert "requests_by_status" not in apart.charts  # no request it may see: no chart
    assert render_html(apart).count("<svg") == len(apart.charts) == 2
