"""A crisis as STIX 2.1: a ``report`` citing the crisis bank's indicators, TLP-marked,
valid for stix2-validator; what may not leave the node is neither cited nor bundled."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.errors import Invalid, NotFound
from accord.exchange import stix
from accord.exchange.crisis_report import crisis_bundle
from accord.exchange.stix_common import TLP_MARKING_IDS, indicator_id
from accord.incidents import crisis, service
from accord.incidents.records import Crisis
from accord.incidents.tables import text_table
from accord.sharing.roles import Actor
from accord.sharing.tlp import Tlp
from accord.store.database import Database

OP = Actor.operator()
T0 = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def crisis_node(partners: Database, settings: Settings) -> Database:
    """Agency A's crisis bank with GREEN, AMBER and RED signals; a crisis on an AMBER
    incident shared in channel ab (NGO C is not in it)."""
    banks.bank_add(partners, OP, "crisis-bank", "Agency A", default_tlp="AMBER")
    service.incident_import(partners, OP, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2026,3,1,Freedonia,Armed Assault,Business\n"),
        service.Sharing("Agency A", "AMBER", "ab"))
    crisis.activate(partners, OP, settings, 1, "crisis-bank", "ab",
                    ["mass-casualty", "perpetrator-content"])
    for n, tlp in enumerate(("GREEN", "AMBER", "RED")):
        signals.signal_add(partners, OP, "crisis-bank",
                           signals.SignalInput("md5", f"{n:032x}", tlp=tlp), settings)
    return partners


def test_a_crisis_is_a_report_citing_its_banks_indicators_and_validates(
    crisis_node: Database, settings: Settings
) -> None:
    bundle = crisis_bundle(crisis_node, OP, 1, settings)
    [report] = [o for o in bundle["objects"] if o["type"] == "report"]
    indicators = {o["id"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert len(indicators) == 2 and set(report["object_refs"]) == indicators  # RED stays
    assert report["object_marking_refs"] == [TLP_MARKING_IDS[Tlp.AMBER]]  # the strictest
    assert report["labels"] == ["crisis", "mass-casualty", "perpetrator-content"]
    assert stix.validate_bundle(bundle) == []


def test_a_partner_gets_only_crises_on_incidents_it_may_see(
    crisis_node: Database, settings: Settings
) -> None:
    with pytest.raises(NotFound, match="no crisis 1"):
        crisis_bundle(crisis_node, Actor("cam", partner_id=3), 1, settings)


def test_a_crisis_without_an_indicator_that_may_leave_is_refused() -> None:
    empty = Crisis(4, 9, ("rapid-spread",), "ada", 2, 3, T0, T0 + dt.timedelta(hours=24),
                   None, None, None, None)
    with pytest.raises(Invalid, match="no indicator that may leave"):
        stix.crisis_to_stix(empty, [], "node-a", owner_partner_id=1, tlp="AMBER")
    closed = Crisis(4, 9, ("rapid-spread",), "ada", 2, 3, T0, T0 + dt.timedelta(hours=24),
                    None, T0 + dt.timedelta(hours=5), "ada", "debrief text")
    report = stix.crisis_to_stix(closed, [indicator_id("node-a", 1)], "node-a",
                                 owner_partner_id=1, tlp="GREEN")
    assert report["modified"] > report["created"] and "debrief" not in str(report)
    assert stix.validate_bundle(stix.make_bundle([report])) == []
