"""The match use case: one function (``match_values``) behind every edge.

The API's single and batch routes, ``accord match`` and the web UI's match page
answer the same query with the same matches, in the one JSON shape
(``match_body``) where they write JSON; and each edge parses a query's value
once per request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.matching.engine import MatchEngine
from accord.matching.service import (
    match_body,
    match_values,
    parse_query,
    parse_value,
    partner_viewer,
)
from accord.sharing import accounts, service
from accord.sharing.roles import Actor
from accord.signals import get_signal_type
from accord.store.database import Database
from tests.conftest import CliRun

OP = Actor.operator()
BASE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
NEAR = BASE[:-2] + "23"  # one bit away
PASSWORD = "correct horse battery staple"
# Spellings a caller may send: parsing gives each its canonical value once.
QUERIES = [("pdq", NEAR.upper()), ("PDQ ", BASE), ("md5", "A" * 32),
           ("url", "https://EXAMPLE.org/a?utm_source=x"), ("sha256", "c" * 64)]


@dataclass(frozen=True)
class Edges:
    """A served node seen by Platform B's reviewer ``bea`` through every edge."""

    client: TestClient
    key: dict[str, str]
    db: Database
    settings: Settings


def _seed(db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    service.channel_add(db, OP, "ab", "Agency A")
    service.channel_join(db, OP, "ab", "Platform B")
    banks.bank_add(db, OP, "a-amber", "Agency A", default_tlp="AMBER", channel="ab")
    banks.bank_add(db, OP, "a-red", "Agency A", default_tlp="RED")
    banks.bank_add(db, OP, "a-legit", "Agency A", default_tlp="GREEN", negative=True)
    for bank, kind, value in (("a-amber", "pdq", BASE), ("a-legit", "pdq", BASE[:-2] + "2c"),
                              ("a-red", "pdq", NEAR), ("a-amber", "md5", "a" * 32),
                              ("a-amber", "url", "https://example.org/a"),
                              ("a-red", "sha256", "c" * 64)):
        signals.signal_add(db, OP, bank, SignalInput(kind, value), settings)
    service.member_add(db, OP, "Platform B", "bea", "reviewer")
    accounts.member_set_password(db, OP, "bea", PASSWORD)


@pytest.fixture
def edges(settings: Settings, db: Database) -> Iterator[Edges]:
    _seed(db, settings)
    key = service.key_create(db, OP, "bea").secret
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Edges(client, {"Authorization": f"Bearer {key}"}, db, settings)


def _direct(edges: Edges) -> list[dict[str, object]]:
    """What the one function answers, called with each query parsed once."""
    engine = MatchEngine.load(edges.db, edges.settings)
    viewer = partner_viewer(edges.db, "Platform B")
    out = []
    for signal_type, value in QUERIES:
        kind, canonical = parse_value(signal_type, value)
        [matches] = match_values(engine, viewer, kind, [canonical])
        out.append(match_body(f"{kind}:{canonical}", kind, canonical, matches))
    return out


def _single(edges: Edges) -> list[dict[str, object]]:
    return [edges.client.post("/api/v1/match", headers=edges.key,
                              json={"signal_type": t, "value": v}).json() for t, v in QUERIES]


def _batch(edges: Edges) -> list[dict[str, object]]:
    body = {"queries": [{"signal_type": t, "value": v} for t, v in QUERIES]}
    answer = edges.client.post("/api/v1/match/batch", headers=edges.key, json=body)
    results: list[dict[str, object]] = answer.json()["results"]
    return results


def _cli(cli: CliRun) -> list[dict[str, object]]:
    result = cli("match", "--partner", "Platform B",
                 *(f"{t.strip()}:{v}" for t, v in QUERIES))
    assert result.exit_code == 0, result
    return [json.loads(line) for line in result.stdout.splitlines()]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no form with a CSRF token"
    return found.group(1)


def _ui(edges: Edges) -> list[list[tuple[int, int]]]:
    """(signal id, distance) of each row the match page shows, per query."""
    client = edges.client
    client.post("/login", data={"username": "bea", "password": PASSWORD,
                                "csrf_token": _csrf(client.get("/login").text)})
    out = []
    for signal_type, value in QUERIES:
        page = client.post("/match", data={"query": f"{signal_type}:{value}", "content_ref": "",
                                           "csrf_token": _csrf(client.get("/match").text)})
        assert page.status_code == 200, page.text[:300]
        rows = re.findall(r'<a href="/signals/(\d+)">\d+</a></td><td>[^<]*</td>'
                          r'<td class="num">(\d+)</td>', page.text)
        out.append([(int(sid), int(distance)) for sid, distance in rows])
    return out


def _pairs(body: dict[str, object]) -> list[tuple[int, int]]:
    matches = body["matches"]
    assert isinstance(matches, list)
    return [(m["signal_id"], m["distance"]) for m in matches]


def test_every_edge_gives_the_same_matches_through_the_one_function(
    edges: Edges, cli: CliRun
) -> None:
    expected = _direct(edges)
    assert [_pairs(b) for b in expected] == [
        [(1, 1), (2, 4)],  # A's AMBER signal and the negative list; never A's RED one
        [(1, 0), (2, 3)], [(4, 0)], [(5, 0)], []]
    assert _single(edges) == expected
    assert _batch(edges) == expected
    assert _cli(cli) == expected  # the CLI prints the API's shape
    assert _ui(edges) == [_pairs(b) for b in expected]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each value PDQ's ``validate`` is given, in order (the real one still answers)."""
    kind = get_signal_type("pdq")
    validate = kind.validate
    seen: list[str] = []

    def counted(cls: type, value: str) -> str:
        seen.append(value)
        return validate(value)

    monkeypatch.setattr(kind, "validate", classmethod(counted))
    return seen


def test_a_value_is_parsed_once_per_request_on_every_edge(
    edges: Edges, cli: CliRun, parsed: list[str]
) -> None:
    spelled = NEAR.upper()
    query = [("pdq", spelled)]

    def times() -> int:
        count = parsed.count(spelled)
        parsed.clear()
        return count

    edges.client.post("/api/v1/match", headers=edges.key,
                      json={"signal_type": "pdq", "value": spelled})
    assert times() == 1
    edges.client.post("/api/v1/match/batch", headers=edges.key,
                      json={"queries": [{"signal_type": t, "value": v} for t, v in query * 2]})
    assert times() == 2  # once for each of the two queries
    assert cli("match", "--partner", "Platform B", f"pdq:{spelled}").exit_code == 0
    assert times() == 1
    client = edges.client
    client.post("/login", data={"username": "bea", "password": PASSWORD,
                                "csrf_token": _csrf(client.get("/login").text)})
    token = _csrf(client.get("/match").text)
    parsed.clear()
    client.post("/match", data={"query": f"pdq:{spelled}", "csrf_token": token})
    assert times() == 1
    assert parse_query(f"pdq:{spelled}") == ("pdq", NEAR) and times() == 1
