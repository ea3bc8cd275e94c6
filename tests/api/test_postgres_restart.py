"""PostgreSQL restarts under ``accord serve`` while it takes match and import traffic.

During the outage every request that needs the database answers 503 with a
problem+json body (never a 500, never a hang); once the server is back the node
recovers on its own, and every write it acknowledged (201) is in the database.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest

from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import BACKENDS
from tests.pgserver import find_postgres_bin, restartable_postgres
from tests.web.server import seed_node, serve

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS or find_postgres_bin() is None
    or bool(os.environ.get("ACCORD_TEST_POSTGRES_URL")),
    reason="needs PostgreSQL server binaries to run a private server it can restart")


@dataclass
class Traffic:
    """What the clients saw: status codes, bad answers, acknowledged signal values."""

    statuses: list[tuple[float, str, int]] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)


def _client(base: str, keys: dict[str, dict[str, str]], stop: threading.Event,
            traffic: Traffic, lane: int) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        value = f"{lane:02x}{n:030x}"
        for kind, call in (
            ("import", lambda v=value: httpx2.post(
                f"{base}/api/v1/banks/a-images/signals", headers=keys["cyd"], timeout=15,
                json={"signal_type": "md5", "value": v})),
            ("match", lambda v=value, ref=f"u-{lane}-{n}": httpx2.post(
                f"{base}/api/v1/match", headers=keys["ben"], timeout=15,
                json={"signal_type": "md5", "value": v, "content_ref": ref})),
        ):
            started = time.monotonic()
            try:
                answer = call()
            except httpx2.TransportError as exc:  # a hang past 15 s, or a dropped connection
                traffic.bad.append(f"{kind}: {type(exc).__name__} after "
                                   f"{time.monotonic() - started:.1f} s")
                continue
            traffic.statuses.append((time.monotonic(), kind, answer.status_code))
            if answer.status_code == 201 and kind == "import":
                traffic.acknowledged.append(value)
            elif answer.status_code >= 500 and (
                    answer.status_code != 503 or not answer.headers.get(
                        "content-type", "").startswith("application/problem+json")):
                traffic.bad.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
        time.sleep(0.02)


def test_a_postgresql_restart_gives_503s_then_recovers_and_loses_nothing_acknowledged(
    tmp_path: Path
) -> None:
    with restartable_postgres() as pg:
        seed_node(pg.url)
        db = Database(pg.url)
        keys = {}
        for partner, username, role in (("Agency A", "cyd", "curator"),
                                        ("Platform B", "ben", "reader")):
            sharing.member_add(db, Actor.operator(), partner, username, role)
            keys[username] = {"Authorization": "Bearer "
                              + sharing.key_create(db, Actor.operator(), username).secret}
        db.dispose()
        with serve(pg.url, tmp_path / "home", env={"ACCORD_REFRESH_INTERVAL_SECONDS": "0.25"}
                   ) as base:
            traffic, stop = Traffic(), threading.Event()
            lanes = [threading.Thread(target=_client, args=(base, keys, stop, traffic, lane))
                     for lane in range(2)]
            for lane in lanes:
                lane.start()
            time.sleep(2)
            down_at = time.monotonic()
            pg.stop()
            time.sleep(3)
            pg.start()
            up_at = time.monotonic()
            time.sleep(6)
            stop.set()
            for lane in lanes:
                lane.join(30)
            ready = httpx2.get(f"{base}/readyz", timeout=5)
        db = Database(pg.url)
        with db.reader() as session:
            stored = set(session.query(m.Signal.value).all())
        db.dispose()

    assert traffic.bad == []
    during = [s for t, _, s in traffic.statuses if down_at + 0.5 < t < up_at]
    assert during and set(during) <= {200, 201, 503}  # matches may answer from the index
    assert 503 in during
    after = [s for t, _, s in traffic.statuses if t > up_at + 3]
    assert after and set(after) <= {200, 201}, sorted(set(after))
    assert ready.status_code == 200
    assert traffic.acknowledged
    lost = [v for v in traffic.acknowledged if (v,) not in stored]
    assert lost == []
