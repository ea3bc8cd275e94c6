"""Review trends per reader: matches, verdicts and disputes per UTC day, the queue's age,
and nothing another partner keeps RED or AMBER+STRICT counted for anyone else.

Agency A keeps a RED bank and an AMBER+STRICT bank in the "ab" channel it shares with
Platform B, and a GREEN bank everyone sees; NGO C stands apart. A matches its own RED
signal, B matches the GREEN one twice (one confirmed, one rejected, one undone) and
disputes the channel's signal, C matches the GREEN one once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.curation import banks, opinions, signals
from accord.errors import Invalid
from accord.matching.service import MatchedSignal
from accord.reports.trends import review_trends
from accord.review import service as review
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = sharing.member_add(db, Actor.operator(), partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def node(db: Database, settings: Settings) -> dict[str, Actor]:
    op = Actor.operator()
    for name, kind, country in (("Agency A", "agency", "FR"), ("Platform B", "platform", "IE"),
                                ("NGO C", "ngo", "KE")):
        sharing.partner_add(db, op, name, kind, country)
    sharing.channel_add(db, op, "ab", "Agency A")
    sharing.channel_join(db, op, "ab", "Platform B")
    made = {}
    for bank, tlp, channel, value in (("a-red", "RED", None, "1"),
                                      ("a-strict", "AMBER+STRICT", "ab", "2"),
                                      ("a-green", "GREEN", None, "3")):
        banks.bank_add(db, op, bank, "Agency A", default_tlp=tlp, channel=channel)
        sig = signals.signal_add(db, op, bank, signals.SignalInput("md5", value * 32), settings)
        made[tlp] = MatchedSignal(sig.id, "md5", sig.value, 0, bank, sig.labels, sig.tlp, False)
    a, b, c = (_member(db, p, u, "reviewer") for p, u in (
        ("Agency A", "rev-a"), ("Platform B", "rev-b"), ("NGO C", "rev-c")))
    review.record_matches(db, a, "a-own", [made["RED"]])
    kept, dropped, undone = (review.record_matches(db, b, f"b-{i}", [made["GREEN"]])[0]
                             for i in range(3))
    review.decide(db, b, kept.id, "confirm", "", settings)
    review.decide(db, b, dropped.id, "reject", "a news report quoting it", settings)
    review.decide(db, b, undone.id, "confirm", "", settings)
    review.undo(db, b, undone.id, settings)
    opinions.opinion_set(db, b, made["AMBER+STRICT"].signal_id, "disagree", "not this group",
                         settings)
    review.record_matches(db, c, "c-0", [made["GREEN"]])
    return {"A": a, "B": b, "C": c}


def test_a_partners_trend_counts_its_own_matches_and_verdicts(
    db: Database, node: dict[str, Actor]
) -> None:
    b = review_trends(db, node["B"])
    assert len(b.days) == 30 and b.days[-1] == dt.datetime.now(dt.UTC).date()
    assert b.matches[-1] == 3 and sum(b.matches) == 3  # not A's RED one, not C's
    assert (b.confirmed[-1], b.rejected[-1]) == (1, 1)  # the undone verdict is no verdict
    assert b.disputes[-1] == 1  # its own, on the channel's signal it may see
    assert b.pending == 1 and not b.node_wide  # the match whose verdict was undone


def test_another_partners_red_and_strict_work_is_never_counted(
    db: Database, node: dict[str, Actor]
) -> None:
    c = review_trends(db, node["C"])
    assert sum(c.matches) == 1 and sum(c.confirmed) == sum(c.rejected) == 0
    assert sum(c.disputes) == 0  # B's dispute is on an AMBER+STRICT signal of the channel
    assert c.pending == 1
    a = review_trends(db, node["A"])
    assert sum(a.matches) == 1 and a.disputes[-1] == 1  # its RED match; B's dispute of its signal


def test_the_operator_and_an_auditor_read_the_node_wide_trend(
    db: Database, node: dict[str, Actor]
) -> None:
    everything = review_trends(db, Actor.operator())
    audited = review_trends(db, _member(db, "NGO C", "aud-c", "auditor"))
    assert everything == audited and everything.node_wide
    assert sum(everything.matches) == 5 and everything.pending == 3


def test_days_are_utc_days_and_the_queue_ages_with_the_clock(
    db: Database, node: dict[str, Actor]
) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    b = review_trends(db, node["B"], days=7, now=later)
    assert len(b.days) == 7 and b.days[-1] == later.date()
    assert b.matches == [0, 0, 0, 0, 3, 0, 0]
    assert b.oldest_pending_hours is not None and 47.9 <= b.oldest_pending_hours <= 48.1
    assert b.median_pending_hours == b.oldest_pending_hours  # one pending match
    everything = review_trends(db, Actor.operator(), now=later)
    assert everything.pending == 3 and everything.median_pending_hours is not None
    with pytest.raises(Invalid, match="1 to 366 days"):
        review_trends(db, node["B"], days=0)


def test_the_api_answers_the_same_series(db: Database, node: dict[str, Actor],
                                         settings: Settings) -> None:
    secret = sharing.key_create(db, Actor.operator(), "rev-c").secret
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        got = api.get("/api/v1/trends", params={"days": 7},
                      headers={"Authorization": f"Bearer {secret}"})
        refused = api.get("/api/v1/trends", params={"days": 1000},
                          headers={"Authorization": f"Bearer {secret}"})
    assert got.status_code == 200, got.text
    assert got.json() == review_trends(db, node["C"], days=7).as_json()
    assert refused.status_code == 422 and "problem+json" in refused.headers["content-type"]
