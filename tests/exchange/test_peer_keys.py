"""TAXII peers' API keys are sealed at rest under a key file outside the database: the row
holds no plain key, a sync still signs in with it, a missing or wrong key file is a clear
error naming the peer, and the migration seals (and its downgrade opens) what was there."""

from __future__ import annotations

import json
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import inspect, text

from accord import audit
from accord.config import Settings
from accord.curation import banks
from accord.errors import Invalid
from accord.exchange import peers, sync
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import sealed
from accord.store.database import Database
from tests.conftest import CliRun
from tests.federation.test_bad_peers import FakePeer
from tests.federation.test_bad_peers import _handler as taxii_handler
from tests.migrations import migrate

OP = Actor.operator()
KEY = "k3y-0f-n0de-a-" + "x" * 20


@dataclass
class Stub(FakePeer):
    """A TAXII server that answers only requests bearing ``KEY`` (an empty collection)."""

    authorizations: list[str] = field(default_factory=list)  # every header it was sent


@pytest.fixture
def stub() -> Iterator[Stub]:
    peer = Stub(replies=[(200, MEDIA_TYPE_TAXII, json.dumps({"more": False, "objects": []}),
                          0.0)])
    seen = peer.authorizations
    base = taxii_handler(peer)

    class Checked(base):  # type: ignore[valid-type,misc]
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                self._send(401, "application/json", "{}")
                return
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Checked)
    peer.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield peer
    server.shutdown()
    server.server_close()


@pytest.fixture
def local(db: Database, settings: Settings) -> Settings:
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    banks.bank_add(db, OP, "inbox", "Platform B")
    return settings.replace(outbound_allow=("127.0.0.1",))


def _raw_key(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT api_key FROM peers")).scalar_one())


def _add(db: Database, settings: Settings, stub: Stub) -> None:
    peers.peer_add(db, OP, stub.url + "/taxii2/", "c1", bank="inbox", name="node-a",
                   api_key=KEY, settings=settings)


def test_the_row_holds_no_plain_key_and_a_sync_still_signs_in_with_it(
        db: Database, local: Settings, stub: Stub) -> None:
    _add(db, local, stub)
    stored = _raw_key(db)
    assert stored.startswith("fernet:") and KEY not in stored
    path = sealed.key_path(local)
    assert path.parent == local.home and stat.S_IMODE(path.stat().st_mode) == 0o600
    report = sync.sync_peer(db, local, "node-a")
    assert report.error is None, report.error
    assert stub.authorizations and set(stub.authorizations) == {f"Bearer {KEY}"}
    shown = json.dumps([str(p) for p in peers.peer_list(db, OP)])
    trail = json.dumps([e.details for e in audit.recent(db, limit=50)], default=str)
    assert KEY not in shown and KEY not in trail


def test_a_missing_or_wrong_key_file_is_a_clear_error_naming_the_peer(
        db: Database, local: Settings, stub: Stub) -> None:
    _add(db, local, stub)
    sealed.key_path(local).rename(local.home / "elsewhere.key")
    report = sync.sync_peer(db, local, "node-a")
    assert report.error == (f"peer node-a's API key cannot be opened: the secrets key file "
                            f"{sealed.key_path(local)} is missing")
    assert stub.authorizations == []  # nothing was sent without the key
    (row,) = peers.peer_list(db, OP)
    assert row.state == "failed"
    other = local.replace(secrets_key="A" * 43 + "=")
    report = sync.sync_peer(db, other, "node-a")
    assert report.error is not None and report.error.startswith(
        "peer node-a's API key cannot be opened with the key in ACCORD_SECRETS_KEY")
    moved = local.replace(secrets_key_file=local.home / "elsewhere.key")
    assert sync.sync_peer(db, moved, "node-a").error is None  # ACCORD_SECRETS_KEY_FILE


def test_a_key_too_long_to_seal_is_refused(db: Database, local: Settings) -> None:
    with pytest.raises(Invalid, match="more than 300 bytes"):
        peers.peer_add(db, OP, "http://127.0.0.1:9/taxii2/", "c1", bank="inbox",
                       api_key="k" * 301, settings=local)


def test_the_migration_seals_plain_keys_and_its_downgrade_opens_them(
        db: Database, local: Settings, stub: Stub, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    monkeypatch.setenv("ACCORD_SECRETS_KEY_FILE", str(sealed.key_path(local)))
    _add(db, local, stub)
    migrate(db, "0016_exchange_writeback", down=True)
    assert _raw_key(db) == KEY  # as it was before sealing
    migrate(db, "0016_import_history", down=True)
    found = inspect(db.engine)
    assert "exchange_opinions" not in found.get_table_names()
    assert "write_back" not in {c["name"] for c in found.get_columns("peers")}
    migrate(db, "head")
    stored = _raw_key(db)
    assert stored.startswith("fernet:") and KEY not in stored
    assert sealed.open_secret(local, stored, "it") == KEY
    assert "exchange_opinions" in db.table_names()
    assert sync.sync_peer(db, local, "node-a").error is None


def test_the_cli_seals_a_key_given_to_peer_add_and_peer_set(
        db: Database, local: Settings, cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_OUTBOUND_ALLOW", "127.0.0.1")
    added = cli("peer", "add", "http://127.0.0.1:9/taxii2/", "--collection", "c1", "--bank",
                "inbox", "--name", "node-a", "--key", KEY)
    assert added.exit_code == 0, added
    assert KEY not in _raw_key(db) and _raw_key(db).startswith("fernet:")
    replaced = cli("peer", "set", "node-a", "--key", "new-" + KEY)
    assert replaced.stdout.strip() == "Peer node-a: API key replaced."
    assert KEY not in _raw_key(db) and "new-" not in _raw_key(db)
    nothing = cli("peer", "set", "node-a")
    assert nothing.exit_code == 2 and "nothing to change" in nothing.stderr
