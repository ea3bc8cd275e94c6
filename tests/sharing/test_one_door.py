"""Every caller asks the one visibility rule through its actor-level entries.

For each service that reads one item by id, a partner that may not see the
item gets exactly the answer a missing item gets (no existence leak), while
the owner and the node operator get the item. What may leave the node (file
export) follows ``Purpose.LEAVE_NODE``: the owner's own RED and AMBER+STRICT
stay home too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accord.config import Settings
from accord.cooperation import liaison
from accord.cooperation.refs import resolve_ref
from accord.curation import banks, opinions
from accord.curation import signals as sig
from accord.errors import AccordError
from accord.exchange.files import export_file
from accord.incidents import crisis, flows
from accord.incidents.service import incident_get
from accord.matching.service import MatchedSignal
from accord.review.service import record_matches
from accord.review.summary import signal_match_counts
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database

OP = Actor.operator()
MISSING = 999_999


@dataclass(frozen=True)
class Node:
    """Agency A owns RED items (a dialogue with NGO C among them); Platform B may not
    see them."""

    owner: Actor
    other: Actor
    signal: int
    incident: int
    flow: int
    dialogue: int


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = service.member_add(db, OP, partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def node(db: Database, settings: Settings) -> Node:
    a = service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    service.partner_add(db, OP, "NGO C", "ngo", "KE")
    service.channel_add(db, OP, "a-crisis", "Agency A")
    banks.bank_add(db, OP, "a-red", "Agency A", default_tlp="RED")
    banks.bank_add(db, OP, "a-crisis", "Agency A", default_tlp="AMBER", channel="a-crisis")
    owner = _member(db, "Agency A", "ada", "admin")
    other = _member(db, "Platform B", "bea", "admin")
    signal = sig.signal_add(db, owner, "a-red", sig.SignalInput("md5", "a" * 32), settings).id
    dialogue = liaison.dialogue_add(db, owner, "Round one", "technical", dt.date(2026, 1, 5),
                                    ["NGO C"], tlp="RED")
    with db.transaction() as session:
        incident = m.Incident(owner_partner_id=a.id, tlp="RED", iyear=2020, country_txt="France")
        flow = m.Flow(owner_partner_id=a.id, tlp="RED", origin_country="FR", destination="SY",
                      direction="outbound", period_start=dt.date(2020, 1, 1),
                      period_end=dt.date(2020, 12, 31), count=10, confidence="medium")
        session.add_all([incident, flow])
        session.flush()
        return Node(owner, other, signal, incident.id, flow.id, dialogue.id)


def _answer(call: Callable[[], Any], item_id: int) -> tuple[str, str, str | None]:
    """The error a call raises, with the item's id written as ID (so two ids compare)."""
    with pytest.raises(AccordError) as raised:
        call()
    error = raised.value
    text = re.sub(rf"\b{item_id}\b", "ID", error.message)
    return type(error).__name__, text, error.hint


def _same_as_missing(read: Callable[[Actor, int], Any], node: Node, item_id: int) -> None:
    hidden = _answer(lambda: read(node.other, item_id), item_id)
    missing = _answer(lambda: read(node.other, MISSING), MISSING)
    assert hidden == missing
    assert hidden[0] == "NotFound"
    read(node.owner, item_id)
    read(OP, item_id)


def _ref(db: Database, kind: str) -> Callable[[Actor, int], Any]:
    def read(actor: Actor, item_id: int) -> Any:
        with db.reader() as session:
            return resolve_ref(session, actor, f"{kind}:{item_id}")
    return read


def test_a_hidden_signal_reads_as_a_missing_one_everywhere(
    db: Database, settings: Settings, node: Node
) -> None:
    readers: dict[str, Callable[[Actor, int], Any]] = {
        "signal_get": lambda a, i: sig.signal_get(db, a, i),
        "signal_audit_trail": lambda a, i: sig.signal_audit_trail(db, a, i),
        "opinion_list": lambda a, i: opinions.opinion_list(db, a, i),
        "signal_match_counts": lambda a, i: signal_match_counts(db, a, i),
        "resolve_ref": _ref(db, "signal"),
    }
    for name, read in readers.items():
        try:
            _same_as_missing(read, node, node.signal)
        except AssertionError as failed:
            raise AssertionError(f"{name}: {failed}") from None


@pytest.mark.parametrize("write", [sig.signal_retract, sig.signal_reactivate],
                         ids=["retract", "reactivate"])
def test_retracting_a_hidden_signal_is_refused_as_a_missing_one(
    db: Database, node: Node, write: Callable[[Database, Actor, int, str], Any]
) -> None:
    """It used to say "belongs to another partner", telling that the signal exists."""
    hidden = _answer(lambda: write(db, node.other, node.signal, ""), node.signal)
    assert hidden == _answer(lambda: write(db, node.other, MISSING, ""), MISSING)
    assert hidden[0] == "NotFound"


def test_an_opinion_on_a_hidden_signal_is_refused_as_on_a_missing_one(
    db: Database, settings: Settings, node: Node
) -> None:
    def give(actor: Actor, item_id: int) -> Any:
        return opinions.opinion_set(db, actor, item_id, "agree", "", settings)

    hidden = _answer(lambda: give(node.other, node.signal), node.signal)
    assert hidden == _answer(lambda: give(node.other, MISSING), MISSING)
    assert hidden[0] == "NotFound"


def test_a_match_on_a_hidden_signal_is_refused_as_on_a_missing_one(
    db: Database, node: Node
) -> None:
    def record(actor: Actor, item_id: int) -> Any:
        hit = MatchedSignal(item_id, "md5", "a" * 32, 0, "a-red", (), "RED", False)
        return record_matches(db, actor, "upload-1", [hit])

    hidden = _answer(lambda: record(node.other, node.signal), node.signal)
    assert hidden == _answer(lambda: record(node.other, MISSING), MISSING)
    assert hidden[0] == "NotFound"
    assert record(node.owner, node.signal)


def test_a_hidden_incident_reads_as_a_missing_one(
    db: Database, settings: Settings, node: Node
) -> None:
    _same_as_missing(lambda a, i: incident_get(db, a, i), node, node.incident)
    _same_as_missing(_ref(db, "incident"), node, node.incident)

    def activate(actor: Actor, item_id: int) -> Any:
        return crisis.activate(db, actor, settings, item_id, "a-crisis", "a-crisis",
                               ["mass-casualty"])

    hidden = _answer(lambda: activate(node.other, node.incident), node.incident)
    assert hidden == _answer(lambda: activate(node.other, MISSING), MISSING)
    assert hidden[0] == "NotFound"


def test_a_hidden_flow_is_neither_listed_nor_referable(db: Database, node: Node) -> None:
    _same_as_missing(_ref(db, "flow"), node, node.flow)
    assert flows.flow_list(db, node.other, 0) == []
    assert len(flows.flow_list(db, node.owner, 0)) == len(flows.flow_list(db, OP, 0)) == 1


def test_a_hidden_dialogue_reads_as_a_missing_one(db: Database, node: Node) -> None:
    _same_as_missing(lambda a, i: liaison.dialogue_get(db, a, i), node, node.dialogue)


def test_signal_counts_leave_out_what_the_partner_may_not_see(
    db: Database, node: Node
) -> None:
    from accord.curation.stats import signal_counts

    assert signal_counts(db, node.other).total == 0
    assert signal_counts(db, node.owner).total == signal_counts(db, OP).total == 1


@pytest.mark.parametrize("exporter", ["owner", "operator"])
def test_the_owners_own_red_and_amber_strict_never_leave_by_file_export(
    db: Database, settings: Settings, node: Node, exporter: str
) -> None:
    """Its CLEAR, GREEN and AMBER (even AMBER shared into no channel) do."""
    values = {"CLEAR": "1", "GREEN": "2", "AMBER": "3", "AMBER+STRICT": "4", "RED": "5"}
    for tlp, digit in values.items():
        sig.signal_add(db, node.owner, "a-red", sig.SignalInput("md5", digit * 32, tlp=tlp),
                       settings)
    out = io.StringIO()
    export_file(db, node.owner if exporter == "owner" else OP, "a-red", out, "hma", settings)
    sent = {tlp for tlp, digit in values.items() if digit * 32 in out.getvalue()}
    assert sent == {"CLEAR", "GREEN", "AMBER"}
    assert "a" * 32 not in out.getvalue()  # the fixture's RED signal


def test_another_partners_staff_are_anonymous_in_a_signal_audit_trail(
    db: Database, settings: Settings, node: Node
) -> None:
    """Own staff keep their names and details; others (and the operator) keep only the
    time and action. The operator sees the whole trail."""
    added = sig.signal_add(db, node.owner, "a-crisis", sig.SignalInput("md5", "b" * 32),
                           settings)
    service.channel_join(db, OP, "a-crisis", "Platform B")
    opinions.opinion_set(db, node.other, added.id, "disagree", "wrong label", settings)
    sig.signal_retract(db, OP, added.id, "superseded")

    def trail(actor: Actor) -> list[tuple[str, str, bool]]:
        return [(e.action, e.actor, bool(e.details))
                for e in sig.signal_audit_trail(db, actor, added.id)]

    assert trail(node.owner) == [("signal.add", "ada", True), ("opinion.set", "", False),
                                 ("signal.retract", "", False)]
    assert trail(node.other) == [("signal.add", "", False), ("opinion.set", "bea", True),
                                 ("signal.retract", "", False)]
    assert trail(OP) == [("signal.add", "ada", True), ("opinion.set", "bea", True),
                         ("signal.retract", "operator", True)]
