"""Two Accord processes on loopback: A shares AMBER signals with B; B syncs, matches,
follows A's retraction; RED and AMBER+STRICT never leave A."""

from __future__ import annotations

import json
import time

import httpx2
import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing import service
from tests.federation.conftest import Pair
from tests.federation.nodes import OP, Node

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
SHARED = {"md5": "1" * 32, "sha256": "2" * 64, "pdq": PDQ}
RED = "3" * 32
STRICT = "4" * 32


def accord(node: Node, *args: str) -> tuple[int, str, str]:
    """Run ``accord --db <node> ARGS``; exit code, stdout, stderr."""
    result = CliRunner().invoke(app, ["--db", str(node.settings.database_url), *args],
                                catch_exceptions=False,
                                env={"ACCORD_HOME": str(node.settings.home), "COLUMNS": "250",
                                     "ACCORD_NODE_ID": node.name})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def shared(pair: Pair) -> dict[str, int]:
    """A's signals: three AMBER in channel ab, one RED, one AMBER+STRICT."""
    ids = {kind: signals.signal_add(pair.a.db, OP, "a-images", SignalInput(
        kind, value, quality=100 if kind == "pdq" else None), pair.a.settings).id
        for kind, value in SHARED.items()}
    ids["red"] = signals.signal_add(pair.a.db, OP, "a-images",
                                    SignalInput("md5", RED, tlp="RED"), pair.a.settings).id
    ids["strict"] = signals.signal_add(pair.a.db, OP, "a-images",
                                       SignalInput("md5", STRICT, tlp="AMBER+STRICT"),
                                       pair.a.settings).id
    return ids


def _matches(pair: Pair, kind: str, value: str) -> int:
    response = httpx2.post(f"{pair.b.url}/api/v1/match", json={"signal_type": kind,
                                                               "value": value},
                           headers={"Authorization": f"Bearer {pair.b_curator_key}"}, timeout=10)
    assert response.status_code == 200, response.text
    return len(response.json()["matches"])


def _wait_matches(pair: Pair, kind: str, value: str, expected: int) -> int:
    for _ in range(100):  # the server applies store changes within its refresh interval
        found = _matches(pair, kind, value)
        if found == expected:
            return found
        time.sleep(0.1)
    return found


def test_b_syncs_a_channel_matches_it_and_follows_a_retraction(
        pair: Pair, shared: dict[str, int]) -> None:
    code, out, err = accord(pair.b, "peer", "add", pair.a.taxii, "--collection", "Channel ab",
                            "--bank", "from-a", "--name", "node-a", "--user", "sync-b",
                            "--key", pair.b_sync_key)
    assert code == 0, err
    code, out, err = accord(pair.b, "sync", "node-a")
    assert code == 0, err + out
    assert "added 3" in out
    for kind, value in SHARED.items():
        assert _wait_matches(pair, kind, value, 1) == 1, kind
    assert _matches(pair, "md5", RED) == 0
    assert _matches(pair, "md5", STRICT) == 0

    signals.signal_retract(pair.a.db, OP, shared["md5"], "not terrorist content")
    code, out, err = accord(pair.b, "sync")
    assert code == 0, err + out
    assert "retracted 1" in out
    assert _wait_matches(pair, "md5", SHARED["md5"], 0) == 0
    assert _matches(pair, "sha256", SHARED["sha256"]) == 1

    code, out, _ = accord(pair.b, "sync", "node-a")  # nothing new: nothing changes
    assert "added 0" in out and "retracted 0" in out
    code, out, _ = accord(pair.b, "peer", "list")
    assert "node-a" in out and " ok " in out


def test_a_red_or_amber_strict_signal_never_leaves_a_under_any_request(
        pair: Pair, shared: dict[str, int]) -> None:
    a_curator = pair.a.key("Agency A", "ada", "curator")
    seen = ""
    for key, user in ((pair.b_sync_key, "sync-b"), (a_curator, "ada")):
        auth = httpx2.BasicAuth(user, key)
        with httpx2.Client(base_url=pair.a.url, auth=auth, timeout=10,
                           headers={"Accept": MEDIA_TYPE_TAXII}) as http:
            listing = http.get("/taxii2/api/collections/").json()["collections"]
            for collection in listing:
                base = f"/taxii2/api/collections/{collection['id']}/"
                for params in ({}, {"match[version]": "all"}, {"limit": "100000"},
                               {"added_after": "1970-01-01T00:00:00Z"}):
                    seen += http.get(base + "objects/", params=params).text
                    seen += http.get(base + "manifest/", params=params).text
    # B may view AMBER+STRICT on A (it is a named partner of the channel); RED, never.
    viewed = httpx2.get(f"{pair.a.url}/api/v1/signals", params={"bank": "a-images"},
                        headers={"Authorization": f"Bearer {pair.b_sync_key}"}, timeout=10).text
    assert RED not in viewed
    for fmt in ("taxii-envelope", "stix", "misp", "hma", "tat"):
        code, out, err = accord(pair.a, "export", "--bank", "a-images", "--format", fmt)
        assert code == 0, err
        seen += out
    assert SHARED["sha256"] in seen  # the requests did return the AMBER signals
    assert RED not in seen and STRICT not in seen
    # A's own curator sees its RED signal through the API: it is on A, it never left A.
    own = httpx2.get(f"{pair.a.url}/api/v1/signals", params={"bank": "a-images"},
                     headers={"Authorization": f"Bearer {a_curator}"}, timeout=10).json()
    assert RED in json.dumps(own)


def test_b_pushes_its_own_shareable_signals_to_a_and_never_pulls_them_back(
        pair: Pair, shared: dict[str, int]) -> None:
    # On A: B's partner has a bank in channel ab, and a curator whose key B's node uses.
    banks.bank_add(pair.a.db, OP, "b-on-a", "Platform B", default_tlp="AMBER", channel="ab")
    curator = pair.a.key("Platform B", "bo", "curator")
    # On B: a channel for what goes to A, and B's own signals.
    service.channel_add(pair.b.db, OP, "to-a", "Platform B")
    banks.bank_add(pair.b.db, OP, "b-own", "Platform B", default_tlp="AMBER", channel="to-a")
    for value, tlp in (("5" * 32, None), ("6" * 32, "GREEN"), ("7" * 32, "RED"),
                       ("8" * 32, "AMBER+STRICT")):
        signals.signal_add(pair.b.db, OP, "b-own", SignalInput("md5", value, tlp=tlp),
                           pair.b.settings)
    code, _, err = accord(pair.b, "peer", "add", pair.a.taxii, "--collection", "Channel ab",
                          "--bank", "from-a", "--name", "node-a-rw", "--user", "bo",
                          "--key", curator, "--channel", "to-a")
    assert code == 0, err
    code, out, err = accord(pair.b, "sync", "node-a-rw")
    assert code == 0, err + out
    assert "pushed 2" in out
    on_a = {s.value for s in signals.signal_list(pair.a.db, OP, bank="b-on-a")}
    assert on_a == {"5" * 32, "6" * 32}  # AMBER of channel to-a, and GREEN; never RED/STRICT
    code, out, _ = accord(pair.b, "sync", "node-a-rw")
    assert "added 0" in out and "pushed 0" in out
    from_a = {s.value for s in signals.signal_list(pair.b.db, OP, bank="from-a",
                                                   status=None)}
    assert "5" * 32 not in from_a
