"""``GET /api/v1/entities?q=``: the entity search the CLI and core use, by any published name."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from accord.entities import service
from accord.sharing.roles import Actor
from accord.store import records as r
from accord.store.database import Database
from tests.api.conftest import Keys

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "un_consolidated_sample.xml"


def test_the_entity_list_searches_names_and_aliases_in_every_script(
        api: TestClient, keys: Keys, db: Database) -> None:
    service.import_un_list(db, Actor.operator(), SAMPLE)
    service.entity_add(db, Actor.operator(), service.EntityInput(
        "qde-088", "EASTERN TURKISTAN ISLAMIC MOVEMENT", aliases=(r.AliasRecord("ETIM", "Latn"),)))
    for text in ("ETIM", "东突厥斯坦伊斯兰运动", "Turkistan Islamic Party"):
        found = api.get("/api/v1/entities", params={"q": text}, headers=keys.reader_b).json()
        assert [e["ref"] for e in found] == ["qde-088"], text
    assert api.get("/api/v1/entities", params={"q": "nothing like it"},
                   headers=keys.reader_b).json() == []
    assert len(api.get("/api/v1/entities", headers=keys.reader_b).json()) == 6
