"""A real ``accord serve`` on a throwaway SQLite node, for browser tests and screenshots."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from accord.curation import banks
from accord.entities.service import EntityInput, entity_add
from accord.sharing import accounts, service
from accord.sharing.roles import Actor
from accord.store import records as r
from accord.store.database import Database
from accord.store.schema import upgrade

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# A made-up organisation: entity labels need one on the node; its Chinese alias is
# what a Chinese reader sees.
ENTITY = EntityInput(
    ref="qde-999", name="Example Front",
    aliases=(r.AliasRecord("示例阵线", "Hans"),),
    designations=(r.DesignationRecord("UN", "QDe.999", dt.date(2015, 3, 1), None),
                  r.DesignationRecord("EU", "EU-2016-12", dt.date(2016, 6, 1),
                                      dt.date(2022, 1, 31))))


def seed_partners(db: Database) -> None:
    """Agency A and Platform B, their channel ``ab``, and A's AMBER bank ``a-images`` in it."""
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    service.channel_add(db, op, "ab", "Agency A")
    service.channel_join(db, op, "ab", "Platform B")
    banks.bank_add(db, op, "a-images", "Agency A", default_tlp="AMBER", channel="ab")


def seed_node(url: str) -> None:
    """Migrate the database and add two partners, a channel, an entity and members.

    Agency A: ada (admin). Platform B: bea (reviewer). Both sign in with PASSWORD.
    """
    db = Database(url)
    upgrade(db)
    op = Actor.operator()
    seed_partners(db)
    entity_add(db, op, ENTITY)
    for partner, username, role in (("Agency A", "ada", "admin"),
                                    ("Platform B", "bea", "reviewer")):
        service.member_add(db, op, partner, username, role)
        accounts.member_set_password(db, op, username, PASSWORD)
    db.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(url: str, home: Path, *, workers: int = 1,
          env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``accord serve`` on ``url`` until the block ends; yields its base URL.

    ``env`` adds settings (``ACCORD_*`` variables) for this node.
    """
    port = _free_port()
    env = {**os.environ, "ACCORD_HOME": str(home), "ACCORD_REFRESH_INTERVAL_SECONDS": "0.1",
           **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "--db", url, "serve", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx2.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            if time.monotonic() > deadline:
                raise RuntimeError("accord serve did not become ready in 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
