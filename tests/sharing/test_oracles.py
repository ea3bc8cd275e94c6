"""No existence oracles: an object the caller may not see answers exactly like one that does
not exist, at the core (error type, message, hint) and at the API (status and body).

Agency A owns a bank holding only RED signals and a crisis on a RED incident; platform B
may see none of them. Each entry point is asked by B once for A's object and once for an
object that does not exist, named alike; the two answers must be the same.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.cooperation import refs, requests
from accord.curation import banks, export, importer, signals
from accord.entities import service as entities
from accord.errors import AccordError
from accord.exchange import files
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

OP = Actor.operator()
HIDDEN_BANK, MISSING_BANK = "a-hidden", "zz-hidden"  # same length: same trimmed message
DEBRIEF = "Shared the hashes with the channel; lessons: activate sooner next time."


@dataclass(frozen=True)
class World:
    db: Database
    settings: Settings
    b: Actor
    b_key: dict[str, str]
    red_signal: int
    red_incident: int
    hidden_crisis: int


@pytest.fixture
def world(db: Database, settings: Settings) -> World:
    sharing.partner_add(db, OP, "Agency A", "agency", "FR")
    sharing.partner_add(db, OP, "Platform B", "platform", "IE")
    sharing.channel_add(db, OP, "a-only", "Agency A")
    sharing.channel_add(db, OP, "ab", "Agency A")
    sharing.channel_join(db, OP, "ab", "Platform B")
    banks.bank_add(db, OP, HIDDEN_BANK, "Agency A", default_tlp="RED")
    banks.bank_add(db, OP, "a-crisis", "Agency A", default_tlp="AMBER", channel="a-only")
    a = sharing.member_add(db, OP, "Agency A", "ada", "curator")
    ada = Actor("ada", a.partner_id, Role.CURATOR, a.id)
    red = signals.signal_add(db, ada, HIDDEN_BANK, signals.SignalInput("md5", "a" * 32,
                                                                      tlp="RED"), settings)
    service.incident_import(db, OP, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2024,3,15,Freedonia,Armed Assault,Religious Figures/Institutions\n"),
        service.Sharing("Agency A", "RED"))
    made = crisis.activate(db, ada, settings, 1, "a-crisis", "ab", ["mass-casualty"])
    entities.entity_add(db, OP, entities.EntityInput("qde-1", "Example Front"))
    b = sharing.member_add(db, OP, "Platform B", "bo", "admin")
    secret = sharing.key_create(db, OP, "bo").secret
    return World(db, settings, Actor("bo", b.partner_id, Role.ADMIN, b.id),
                 {"Authorization": f"Bearer {secret}"}, red.id, 1, made.id)


def _answer(call: Callable[[], Any]) -> tuple[str, str, str | None]:
    with pytest.raises(AccordError) as caught:
        call()
    error = caught.value
    return type(error).__name__, error.message, error.hint


def _same(hidden: tuple[Any, ...], missing: tuple[Any, ...], hidden_key: str,
          missing_key: str) -> None:
    """The two answers, with each object's own name put back to a placeholder."""
    def norm(answer: tuple[Any, ...], key: str) -> tuple[Any, ...]:
        return tuple(a.replace(key, "<KEY>") if isinstance(a, str) else a for a in answer)

    assert norm(hidden, hidden_key) == norm(missing, missing_key)


# ---- the core -----------------------------------------------------------------------------

def _bank_calls(w: World) -> dict[str, Callable[[str], Callable[[], Any]]]:
    return {
        "add to bank": lambda bank: lambda: signals.signal_add(
            w.db, w.b, bank, signals.SignalInput("md5", "b" * 32, tlp="GREEN"), w.settings),
        "import into bank": lambda bank: lambda: importer.import_signals(
            w.db, w.b, bank, io.BytesIO(b"signal_type,signal_value\nmd5," + b"c" * 32 + b"\n"),
            w.settings, fmt="csv"),
        "list by bank": lambda bank: lambda: signals.signal_list(w.db, w.b, bank=bank),
        "signal export by bank": lambda bank: lambda: export.export_signals(
            w.db, w.b, io.StringIO(), bank=bank),
        "file export by bank": lambda bank: lambda: files.export_file(
            w.db, w.b, bank, io.StringIO(), "hma", w.settings),
        "request reference to a bank": lambda bank: lambda: requests.request_send(
            w.db, w.b, "Agency A", "share-hashes-for-incident", [f"bank:{bank}"]),
    }


@pytest.mark.parametrize("entry", ["add to bank", "import into bank", "list by bank",
                                   "signal export by bank", "file export by bank",
                                   "request reference to a bank"])
def test_a_bank_the_caller_may_not_see_answers_as_a_missing_one(world: World,
                                                                entry: str) -> None:
    call = _bank_calls(world)[entry]
    _same(_answer(call(HIDDEN_BANK)), _answer(call(MISSING_BANK)), HIDDEN_BANK, MISSING_BANK)


def test_a_bank_id_the_caller_may_not_see_answers_as_a_missing_one(world: World) -> None:
    with world.db.reader() as session:
        hidden_id = str(banks.find_bank(session, HIDDEN_BANK).id)
    add = _bank_calls(world)["add to bank"]
    _same(_answer(add(hidden_id)), _answer(add("9999")), hidden_id, "9999")


def test_closing_a_crisis_the_caller_may_not_see_answers_as_a_missing_one(
    world: World
) -> None:
    hidden, missing = str(world.hidden_crisis), "9999"
    _same(_answer(lambda: crisis.close(world.db, world.b, world.hidden_crisis, DEBRIEF)),
          _answer(lambda: crisis.close(world.db, world.b, 9999, DEBRIEF)), hidden, missing)


@pytest.mark.parametrize("kind", ["signal", "incident", "bank"])
def test_a_reference_the_caller_may_not_see_answers_as_a_missing_one(
    world: World, kind: str
) -> None:
    hidden = {"signal": str(world.red_signal), "incident": str(world.red_incident),
              "bank": HIDDEN_BANK}[kind]
    missing = {"signal": "9999", "incident": "9999", "bank": MISSING_BANK}[kind]

    def resolve(key: str) -> Callable[[], Any]:
        def run() -> Any:
            with world.db.reader() as session:
                return refs.resolve_ref(session, world.b, f"{kind}:{key}")
        return run

    _same(_answer(resolve(hidden)), _answer(resolve(missing)), hidden, missing)


def test_the_owner_and_the_operator_still_find_the_bank(world: World) -> None:
    with world.db.reader() as session:
        assert banks.find_bank_for(session, OP, HIDDEN_BANK).name == HIDDEN_BANK
        ada = Actor("ada", 1, Role.CURATOR)
        assert banks.find_bank_for(session, ada, HIDDEN_BANK).name == HIDDEN_BANK


# ---- the API ------------------------------------------------------------------------------

@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings), raise_server_exceptions=False) as client:
        yield client


def _api_calls(api: TestClient, key: dict[str, str]
               ) -> dict[str, Callable[[str], Any]]:
    return {
        "add to bank": lambda bank: api.post(
            f"/api/v1/banks/{bank}/signals", headers=key,
            json={"signal_type": "md5", "value": "b" * 32, "tlp": "GREEN"}),
        "import into bank": lambda bank: api.post(
            f"/api/v1/banks/{bank}/signals/import", headers=key,
            content=b"signal_type,signal_value\nmd5," + b"c" * 32 + b"\n"),
        "list by bank": lambda bank: api.get("/api/v1/signals", headers=key,
                                             params={"bank": bank}),
        "file export by bank": lambda bank: api.get(
            f"/api/v1/banks/{bank}/files/export", headers=key, params={"format": "hma"}),
        "request reference to a bank": lambda bank: api.post(
            "/api/v1/requests", headers=key, json={
                "to": "Agency A", "purpose": "share-hashes-for-incident",
                "refs": [f"bank:{bank}"]}),
        "crisis close": lambda crisis_id: api.post(
            f"/api/v1/crises/{crisis_id}/close", headers=key, json={"debrief": DEBRIEF}),
        "request reference to a signal": lambda signal_id: api.post(
            "/api/v1/requests", headers=key, json={
                "to": "Agency A", "purpose": "review-disputed-label",
                "refs": [f"signal:{signal_id}"]}),
    }


@pytest.mark.parametrize("entry", ["add to bank", "import into bank", "list by bank",
                                   "file export by bank", "request reference to a bank",
                                   "crisis close", "request reference to a signal"])
def test_the_api_answers_alike_for_hidden_and_missing(world: World, api: TestClient,
                                                      entry: str) -> None:
    hidden, missing = {"crisis close": (str(world.hidden_crisis), "9999"),
                       "request reference to a signal": (str(world.red_signal), "9999"),
                       }.get(entry, (HIDDEN_BANK, MISSING_BANK))
    call = _api_calls(api, world.b_key)[entry]
    seen, absent = call(hidden), call(missing)
    assert seen.status_code == absent.status_code
    assert seen.status_code == 404, seen.text
    assert seen.headers["content-type"] == absent.headers["content-type"]
    body_seen = {k: v for k, v in seen.json().items() if k not in ("instance", "request_id")}
    body_absent = {k: v for k, v in absent.json().items() if k not in ("instance", "request_id")}
    _same(tuple(sorted(f"{k}={v}" for k, v in body_seen.items())),
          tuple(sorted(f"{k}={v}" for k, v in body_absent.items())), hidden, missing)


# ---- channels -----------------------------------------------------------------------------

HIDDEN_CHANNEL, MISSING_CHANNEL = "a-only", "b-gone"


@pytest.mark.parametrize("entry", ["request into a channel", "bank into a channel"])
def test_a_channel_the_caller_is_not_in_answers_as_a_missing_one(world: World,
                                                                 entry: str) -> None:
    def call(channel: str) -> Callable[[], Any]:
        if entry == "request into a channel":
            return lambda: requests.request_send(
                world.db, world.b, "Agency A", "clarify-designation-basis", ["entity:qde-1"],
                tlp="AMBER", channel=channel)
        return lambda: banks.bank_add(world.db, world.b, f"b-{channel}", "Platform B",
                                      channel=channel)

    hidden = _answer(call(HIDDEN_CHANNEL))
    assert hidden[0] == "NotFound" and "channel" in hidden[1]  # the channel check is reached
    _same(hidden, _answer(call(MISSING_CHANNEL)), HIDDEN_CHANNEL, MISSING_CHANNEL)


def test_the_channel_directory_shows_a_partner_only_its_own_channels(world: World) -> None:
    assert [c.name for c in sharing.channel_list(world.db, world.b)] == ["ab"]
    assert [c.name for c in sharing.channel_list(world.db, OP)] == ["a-only", "ab"]
