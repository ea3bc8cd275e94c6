"""Exchange peers: python-threatexchange's real clients pull from local servers that speak
ThreatExchange's ``threat_updates`` (what GIFCT uses) and StopNCII's FetchHashes, into a
bank, with labels, opinions, retractions, a skip ledger and the hostile-upstream guards."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.errors import Invalid
from accord.exchange import peers, sync
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import CliRun
from tests.exchange.pytx_servers import (
    MY_APP,
    PRIVACY_GROUP,
    TOKEN,
    StopNCIIServer,
    TCAPServer,
    ThreatExchangeServer,
    ncii_page,
    serving,
    tcap_entry,
    te_update,
)
from tests.federation.test_bad_peers import GOOD as TAXII_INDICATOR
from tests.federation.test_bad_peers import FakePeer
from tests.federation.test_bad_peers import _handler as taxii_handler

OP = Actor.operator()
TAG_MAP = json.dumps({"terrorism": "behaviour:recruitment"})


def pdq(n: int) -> str:
    """A well-formed, non-degenerate PDQ hash."""
    return hashlib.sha256(f"pdq-{n}".encode()).hexdigest()


@pytest.fixture
def bank(db: Database) -> str:
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    service.channel_add(db, OP, "gifct-members", "Platform B")
    banks.bank_add(db, OP, "gifct", "Platform B", default_tlp="AMBER")
    return "gifct"


@pytest.fixture
def te() -> Iterator[ThreatExchangeServer]:
    backend = ThreatExchangeServer()
    with serving(backend):
        yield backend


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ACCORD_TEST_TX_TOKEN", TOKEN)
    return "ACCORD_TEST_TX_TOKEN"


def _add_te(db: Database, settings: Settings, te: ThreatExchangeServer, token: str,
            **more: object) -> peers.PeerRecord:
    given = peers.ExchangePeerSettings(
        exchange="fb_threat_exchange", collab=json.dumps({"privacy_group": PRIVACY_GROUP}),
        credentials_env=token, endpoint=te.url + "/v", tlp="GREEN", channel="gifct-members",
        tag_map=TAG_MAP, **more)  # type: ignore[arg-type]
    return peers.exchange_peer_add(db, OP, "gifct", given, bank="gifct", settings=settings)


def _bank(db: Database, status: str | None = None) -> dict[str, signals.r.Signal]:
    return {s.value: s for s in signals.signal_list(db, OP, bank="gifct", status=status)}


def _peer(db: Database, name: str = "gifct") -> peers.PeerRecord:
    (row,) = [p for p in peers.peer_list(db, OP) if p.name == name]
    return row


def _provenance(db: Database, value: str) -> m.ExchangeRecord:
    with db.reader() as session:
        row = session.execute(select(m.ExchangeRecord).join(
            m.Signal, m.Signal.id == m.ExchangeRecord.signal_id).where(
            m.Signal.value == value)).scalar_one()
        session.expunge(row)
        return row


def test_a_threat_exchange_privacy_group_lands_in_the_bank_with_labels_and_opinions(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [
        te_update(pdq(1), 100, tags=("terrorism", "gifct:hash_type_a")),
        te_update(pdq(2), 110, owner=MY_APP, reactions={"SAW_THIS_TOO": "777"}),
        te_update(pdq(3), 120, status="NON_MALICIOUS", tags=("unclear",)),
    ]
    _add_te(db, settings, te, token)
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None, report.error
    assert (report.pages, report.received, report.added) == (2, 3, 3)
    stored = _bank(db)
    one = stored[pdq(1)]
    assert (one.signal_type, one.status, one.tlp) == ("pdq", "active", "GREEN")
    assert one.labels == ("behaviour:recruitment",)  # mapped; the other tag only in provenance
    assert one.contributor == "sync:gifct" and one.source_ref.startswith("fb_threatexchange:")
    with db.reader() as session:
        channel = session.execute(select(m.Channel.id).where(
            m.Channel.name == "gifct-members")).scalar_one()
        assert session.get_one(m.Signal, one.id).channel_id == channel
    origin = _provenance(db, pdq(1))
    assert origin.record_key == f"HASH_PDQ:{pdq(1)}"
    assert origin.owners == [str(5_5500_0111)] and origin.unmapped_tags == ["gifct:hash_type_a"]
    assert origin.opinions[0]["category"] == "POSITIVE_CLASS"
    assert _provenance(db, pdq(2)).opinions[0]["is_mine"] is True
    # Upstream says NON_MALICIOUS: stored, but quarantined for review, never matching.
    assert stored[pdq(3)].status == "quarantined"
    assert _provenance(db, pdq(3)).opinions[0]["category"] == "NEGATIVE_CLASS"
    row = _peer(db)
    assert row.state == "ok" and row.kind == "exchange" and row.exchange == "fb_threatexchange"
    assert json.loads(row.cursor or "{}")["update_time"] == 120


def test_credentials_are_only_referenced_never_stored_shown_or_audited(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100)]
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    with db.reader() as session:
        row = session.execute(select(m.Peer)).scalar_one()
        assert row.credentials_ref == f"env:{token}" and row.api_key is None
    secret = TOKEN.partition("|")[2]
    shown = json.dumps([str(p) for p in peers.peer_list(db, OP)])
    trail = json.dumps([e.details for e in audit.recent(db, limit=50)], default=str)
    assert secret not in shown and secret not in trail


def test_a_second_sync_resumes_from_the_checkpoint(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update(pdq(2), 200)]
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    te.updates.append(te_update(pdq(3), 300))
    te.asked.clear()
    report = sync.sync_peer(db, settings, "gifct")
    assert te.asked[0]["start_time"] == "200"  # from the checkpoint, not from the start
    assert (report.received, report.added, report.duplicates) == (2, 1, 1)
    assert set(_bank(db)) == {pdq(1), pdq(2), pdq(3)}
    assert json.loads(_peer(db).cursor or "{}")["update_time"] == 300


def test_a_delete_upstream_retracts_the_signal(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update(pdq(2), 110)]
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    te.updates = [te_update(pdq(1), 300, delete=True)]
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None and report.retracted == 1
    assert _bank(db, "retracted")[pdq(1)].status == "retracted"
    assert _bank(db, "active")[pdq(2)].status == "active"
    trail = signals.signal_audit_trail(db, OP, _bank(db, "retracted")[pdq(1)].id)
    assert any("deleted upstream" in str(e.details.get("reason", "")) for e in trail)


def test_a_record_upstream_turns_false_positive_and_its_signal_is_quarantined(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100)]
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    te.updates = [te_update(pdq(1), 200, status="NON_MALICIOUS")]
    report = sync.sync_peer(db, settings, "gifct")
    assert report.quarantined == 1 and _bank(db, "quarantined")[pdq(1)].id
    assert _provenance(db, pdq(1)).opinions[0]["category"] == "NEGATIVE_CLASS"


def test_a_delete_upstream_leaves_a_partners_own_copy_alone(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    signals.signal_add(db, OP, "gifct", signals.SignalInput("pdq", pdq(1)), settings)
    te.updates = [te_update(pdq(1), 100)]
    _add_te(db, settings, te, token)
    assert sync.sync_peer(db, settings, "gifct").duplicates == 1
    te.updates = [te_update(pdq(1), 200, delete=True)]
    assert sync.sync_peer(db, settings, "gifct").retracted == 0
    assert _bank(db)[pdq(1)].status == "active"


def test_a_dry_run_says_what_would_be_stored_and_stores_nothing(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update("0" * 64, 101)]
    _add_te(db, settings, te, token)
    report = sync.sync_peer(db, settings, "gifct", dry_run=True)
    assert report.dry_run and (report.added, report.refused) == (1, 1)
    assert _bank(db) == {} and peers.peer_skipped(db, OP, "gifct") == []
    assert _peer(db).cursor is None and _peer(db).state == "new"


@pytest.mark.parametrize(("value", "reason"), [
    ("0" * 64, "every digit is '0'"),
    ("f" * 64, "every digit is 'f'"),
    ("a5" * 32, "only 2 distinct hex digits"),
    ("0123456789abcdef" * 4, "pattern '0123456789abcdef' repeated"),
    ("abc", "expected 64 hex digits"),
    ("z" * 64, "expected 64 hex digits"),
], ids=["all-zero", "all-f", "two-digits", "repeating", "short", "not-hex"])
def test_a_bad_or_degenerate_hash_is_skipped_and_ledgered_and_the_rest_stored(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer, token: str,
        value: str, reason: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update(value, 101), te_update(pdq(2), 102)]
    _add_te(db, settings, te, token)
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None and report.refused == 1
    assert set(_bank(db)) == {pdq(1), pdq(2)}
    (skip,) = peers.peer_skipped(db, OP, "gifct")
    assert skip.record_key == f"HASH_PDQ:{value}" and reason in skip.reason
    assert _peer(db).skipped == 1


def test_a_bad_record_sent_again_is_ledgered_once(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update("0" * 64, 101)]  # at the checkpoint's edge
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    again = sync.sync_peer(db, settings, "gifct")  # start_time=101 sends it again
    assert again.refused == 1
    assert len(peers.peer_skipped(db, OP, "gifct")) == 1


def test_a_garbled_page_stops_that_peer_and_holds_its_checkpoint_while_others_sync(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(n), 100 + n) for n in range(1, 6)]  # pages: 2, 2, 1
    te.garble_page = 2
    _add_te(db, settings, te, token)
    taxii = FakePeer(replies=[(200, MEDIA_TYPE_TAXII, json.dumps(
        {"more": False, "objects": [TAXII_INDICATOR]}), 0.0)])
    server = ThreadingHTTPServer(("127.0.0.1", 0), taxii_handler(taxii))
    taxii.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        peers.peer_add(db, OP, taxii.url + "/taxii2/", "c1", bank="gifct", name="other",
                       settings=settings)
        reports = {r.peer: r for r in sync.sync_all(db, settings)}
    finally:
        server.shutdown()
        server.server_close()
    failed = reports["gifct"]
    assert failed.error is not None and "not JSON (truncated or garbled)" in failed.error
    assert TOKEN.partition("|")[2] not in failed.error
    row = _peer(db)
    assert row.state == "failed" and row.last_error is not None and "not JSON" in row.last_error
    assert json.loads(row.cursor or "{}")["update_time"] == 102  # page 1, stored
    assert set(_bank(db)) == {pdq(1), pdq(2), "1" * 32}  # the TAXII peer went on
    assert reports["other"].error is None and _peer(db, "other").state == "ok"

    te.garble_page = None
    te.asked.clear()
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None and te.asked[0]["start_time"] == "102"
    assert {pdq(n) for n in range(1, 6)} <= set(_bank(db))


def test_a_stalled_page_stops_the_peer_in_time(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(n), 100 + n) for n in range(1, 4)]
    te.stall_page, te.stall_seconds = 2, 3.0
    _add_te(db, settings, te, token)
    quick = settings.replace(sync_timeout_seconds=0.5)
    report = sync.sync_peer(db, quick, "gifct")
    assert report.error is not None and "did not answer in time" in report.error
    assert json.loads(_peer(db).cursor or "{}")["update_time"] == 102


def test_a_flood_past_the_cap_lands_quarantined(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(n), 100 + n) for n in range(1, 6)]  # pages: 2, 2, 1
    _add_te(db, settings, te, token, flood_cap=3)
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None and report.added == 5 and report.quarantined == 3
    assert any("flood" in note for note in report.notes)
    assert set(_bank(db, "active")) == {pdq(1), pdq(2)}
    assert set(_bank(db, "quarantined")) == {pdq(3), pdq(4), pdq(5)}


def test_a_flood_past_ten_times_the_usual_volume_lands_quarantined(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.page_size = 5
    _add_te(db, settings, te, token)
    for run in range(3):  # the usual: one record a run
        te.updates = [te_update(pdq(run), 100 + run)]
        assert sync.sync_peer(db, settings, "gifct").error is None
    te.updates = [te_update(pdq(100 + n), 200 + n) for n in range(15)]  # pages: 5, 5, 5
    report = sync.sync_peer(db, settings, "gifct")
    # 10 x the usual (1) allows pages 1 and 2; page 3 takes the run past it.
    assert report.quarantined == 5 and any("flood" in note for note in report.notes)
    assert set(_bank(db, "quarantined")) == {pdq(110 + n) for n in range(5)}


def _add_ncii(db: Database, settings: Settings, ncii: StopNCIIServer,
              name: str) -> peers.PeerRecord:
    keys = settings.home / f"{name}-keys"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text("fetch-key,sub-key\n")  # StopNCII's own format: fetch key, subscription key
    keys.chmod(0o400)
    given = peers.ExchangePeerSettings(exchange="stop_ncii", credentials_file=str(keys),
                                       endpoint=ncii.url)
    return peers.exchange_peer_add(db, OP, name, given, bank="gifct", settings=settings)


def test_stopnciis_all_zero_pdq_is_skipped_and_ledgered(
        db: Database, settings: Settings, bank: str) -> None:
    ncii = StopNCIIServer(pages=[ncii_page([pdq(1), "0" * 64, pdq(2)], next_time=1000,
                                           feedback="Blocked")])
    with serving(ncii):
        _add_ncii(db, settings, ncii, "ncii")
        report = sync.sync_peer(db, settings, "ncii")
    assert report.error is None and (report.added, report.refused) == (2, 1)
    (skip,) = peers.peer_skipped(db, OP, "ncii")
    assert skip.record_key == "pdq:" + "0" * 64 and "degenerate pdq" in skip.reason
    assert _provenance(db, pdq(1)).owners == ["csp-a"]


def test_a_checkpoint_that_goes_back_in_time_is_refused_and_held(
        db: Database, settings: Settings, bank: str) -> None:
    ncii = StopNCIIServer(pages=[ncii_page([pdq(1)], next_time=2000)])
    with serving(ncii):
        _add_ncii(db, settings, ncii, "ncii")
        assert sync.sync_peer(db, settings, "ncii").error is None
        ncii.pages, ncii.calls = [ncii_page([pdq(2)], next_time=1000)], 0
        report = sync.sync_peer(db, settings, "ncii")
    assert report.error is not None and "went back in time (from 2000 to 1000)" in report.error
    assert ncii.asked[-1]["startTimestamp"] == "2000"
    assert json.loads(_peer(db, "ncii").cursor or "{}")["update_time"] == 2000
    assert set(_bank(db)) == {pdq(1)}  # the rewound page was not stored


def test_a_repeating_cursor_stops_the_run_instead_of_looping(
        db: Database, settings: Settings, bank: str) -> None:
    ncii = StopNCIIServer(pages=[ncii_page([pdq(1)], next_time=2000, more=True, token="t1")])
    with serving(ncii):
        _add_ncii(db, settings, ncii, "ncii")
        report = sync.sync_peer(db, settings, "ncii")
    assert report.error is not None and "same page again" in report.error
    assert ncii.calls == 2 and set(_bank(db)) == {pdq(1)}


@pytest.mark.parametrize(("change", "message"), [
    ({"exchange": "gifct_db"}, "no exchange 'gifct_db'"),
    ({"collab": '{"privacy_grup": 1}'}, "no collab setting 'privacy_grup'"),
    ({"collab": '{"privacy_group": "many"}'}, "does not fit fb_threatexchange"),
    ({"collab": "[1"}, "--collab is not JSON"),
    ({"credentials_env": None}, "needs credentials"),
    ({"credentials_env": "1 2"}, "not an environment variable name"),
    ({"tag_map": '{"x": "behaviour:nonsense"}'}, "nonsense"),
    ({"tlp": "PURPLE"}, "TLP"),
    ({"flood_cap": 0}, "--flood-cap 0 is not a positive number"),
    ({"endpoint": "ftp://x/"}, "not an http(s) URL"),
], ids=["exchange", "collab-field", "collab-type", "collab-json", "no-creds", "env-name",
        "label", "tlp", "flood", "endpoint"])
def test_a_bad_exchange_peer_is_refused_with_the_reason(
        db: Database, settings: Settings, bank: str, change: dict[str, object],
        message: str) -> None:
    given = {"exchange": "fb_threatexchange", "collab": '{"privacy_group": 1}',
             "credentials_env": "TX_TOKEN", **change}
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        peers.exchange_peer_add(db, OP, "x", peers.ExchangePeerSettings(**given),  # type: ignore[arg-type]
                                bank="gifct", settings=settings)
    assert peers.peer_list(db, OP) == []


def test_the_cli_adds_lists_syncs_and_shows_the_skip_ledger(
        cli: CliRun, database_url: str, te: ThreatExchangeServer, token: str) -> None:
    db = Database(database_url)
    try:
        service.partner_add(db, OP, "Platform B", "platform", "IE")
        banks.bank_add(db, OP, "gifct", "Platform B", default_tlp="AMBER")
    finally:
        db.dispose()
    te.updates = [te_update(pdq(1), 100), te_update("0" * 64, 101)]
    added = cli("peer", "add", "gifct", "--exchange", "fb_threat_exchange", "--collab",
                json.dumps({"privacy_group": PRIVACY_GROUP}), "--bank", "gifct",
                "--credentials-env", token, "--endpoint", te.url + "/v")
    assert added.exit_code == 0, added
    synced = cli("sync", "gifct")
    assert synced.exit_code == 0, synced
    assert "added 1" in synced.stdout and "1 record(s) skipped" in synced.stderr
    listed = cli("peer", "list")
    assert "fb_threatexchange" in listed.stdout and TOKEN not in listed.stdout
    ledger = cli("peer", "skipped", "gifct")
    assert "every digit is '0'" in ledger.stdout
    bad = cli("peer", "add", "x", "--exchange", "fb_threatexchange", "--collab", "{",
              "--bank", "gifct", "--credentials-env", token)
    assert bad.exit_code == 2 and "--collab is not JSON" in bad.stderr


def test_every_exchanges_checkpoint_and_collab_config_survive_storage() -> None:
    from threatexchange.exchanges.fetch_state import FetchCheckpointBase
    from threatexchange.exchanges.impl.fb_threatexchange_api import FBThreatExchangeCheckpoint
    from threatexchange.exchanges.impl.ncmec_api import NCMECCheckpoint, _NCMECPagingInfo
    from threatexchange.exchanges.impl.stop_ncii_api import StopNCIICheckpoint
    from threatexchange.exchanges.impl.techagainstterrorism_api import TATCheckpoint

    from accord.exchange import pytx_peers

    checkpoints: dict[str, FetchCheckpointBase] = {
        "fb_threatexchange": FBThreatExchangeCheckpoint(1700000000, 1700000100),
        "ncmec": NCMECCheckpoint(1700000000, _NCMECPagingInfo("/v2/entries?next=x", 17)),
        "stop_ncii": StopNCIICheckpoint(1700000000, 1700000100),
        "tat": TATCheckpoint("1700000000.5,abc"),
    }
    collabs = {"fb_threatexchange": '{"privacy_group": 1234}',
               "ncmec": '{"environment": "https://report.cybertip.org/hashsharing", '
                        '"only_esp_ids": [7, 9]}',
               "local_file": '{"filename": "/srv/hashes.txt"}'}
    for name, api in pytx_peers.EXCHANGES.items():
        if name in checkpoints:
            text = pytx_peers.dump_checkpoint(checkpoints[name])
            assert pytx_peers.load_checkpoint(api, text) == checkpoints[name], name
        collab = pytx_peers.parse_collab(api, "p", collabs.get(name, "{}"))
        again = pytx_peers.parse_collab(api, "p", pytx_peers.collab_json(collab))
        assert again == collab, name


def test_migration_0015_exchange_peers_downgrades_and_upgrades_again(db: Database) -> None:
    from sqlalchemy import inspect

    from tests.migrations import migrate

    migrate(db, "0015_auto_action_consent", down=True)
    assert "peer_skips" not in inspect(db.engine).get_table_names()
    assert "kind" not in {c["name"] for c in inspect(db.engine).get_columns("peers")}
    migrate(db, "0015_exchange_peers")
    assert {"peer_skips", "exchange_records"} <= set(inspect(db.engine).get_table_names())


def test_a_stale_checkpoint_refetches_everything_and_retracts_what_is_gone(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    te.updates = [te_update(pdq(1), 100), te_update(pdq(2), 110)]
    _add_te(db, settings, te, token)
    sync.sync_peer(db, settings, "gifct")
    with db.transaction() as session:  # 90 days later: ThreatExchange forgot its tombstones
        session.execute(select(m.Peer)).scalar_one().checkpoint = json.dumps(
            {"update_time": 110, "last_fetch_time": 0})
    te.updates = [te_update(pdq(2), 50)]  # pdq(1) was deleted meanwhile, its tombstone gone
    te.asked.clear()
    report = sync.sync_peer(db, settings, "gifct")
    assert report.error is None and "start_time" not in te.asked[0]
    assert report.retracted == 1 and any("stale" in note for note in report.notes)
    assert set(_bank(db, "active")) == {pdq(2)} and set(_bank(db, "retracted")) == {pdq(1)}
    assert json.loads(_peer(db).cursor or "{}")["update_time"] == 50  # a fresh history


def test_tcaps_hash_list_is_fetched_resumed_and_its_deletes_retract(
        db: Database, settings: Settings, bank: str) -> None:
    tcap = TCAPServer(entries=[tcap_entry(1, pdq(1), 1700000001.5),
                               tcap_entry(2, pdq(2), 1700000002.5),
                               tcap_entry(3, "0" * 64, 1700000003.5),
                               tcap_entry(4, "ab" * 16, 1700000004.5, algorithm="MD5")])
    keys = settings.home / "tcap-keys"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text("tcap-user:tcap-pass\n")
    with serving(tcap):
        given = peers.ExchangePeerSettings(exchange="tat", credentials_file=str(keys),
                                           endpoint=tcap.url)
        peers.exchange_peer_add(db, OP, "tcap", given, bank="gifct", settings=settings)
        first = sync.sync_peer(db, settings, "tcap")
        assert first.error is None, first.error
        # An MD5 of a picture (not a video) is no pytx signal: pytx leaves it out.
        assert (first.added, first.refused) == (2, 1)
        assert "degenerate pdq" in peers.peer_skipped(db, OP, "tcap")[0].reason
        assert json.loads(_peer(db, "tcap").cursor or "{}")["checkpoint"] == "1700000004.5,4"
        tcap.entries.append(tcap_entry(1, pdq(1), 1700000009.5, deleted=True))
        second = sync.sync_peer(db, settings, "tcap")
    assert tcap.asked[-1]["after"] == "1700000004.5,4"  # resumed from the checkpoint
    assert second.error is None and second.retracted == 1
    assert set(_bank(db, "active")) == {pdq(2)} and set(_bank(db, "retracted")) == {pdq(1)}
