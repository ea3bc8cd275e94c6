"""Real Accord nodes for federation tests: a database, partners, keys and ``accord serve``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

from accord.config import Settings
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database

OP = Actor.operator()


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    """One Accord node: its database and settings (and URL once served)."""

    name: str
    db: Database
    settings: Settings
    url: str = ""

    def key(self, partner: str, username: str, role: str) -> str:
        """A new member of ``partner`` with ``role``, and its API key."""
        service.member_add(self.db, OP, partner, username, role)
        return service.key_create(self.db, OP, username).secret

    @property
    def taxii(self) -> str:
        """The node's TAXII discovery URL."""
        return f"{self.url}/taxii2/"


def sqlite_node(name: str, template: Path, folder: Path) -> Node:
    """A fresh node on its own SQLite file copied from the migrated template."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "accord.sqlite3"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    return Node(name, Database(url), Settings(home=folder / "home", database_url=url,
                                              node_id=name))


@contextmanager
def serving(node: Node) -> Iterator[str]:
    """Run ``accord serve`` for ``node`` (one worker) until the block ends; yields its URL."""
    port = free_port()
    env = {**os.environ, "ACCORD_HOME": str(node.settings.home), "ACCORD_NODE_ID": node.name,
           "ACCORD_REFRESH_INTERVAL_SECONDS": "0.1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "--db", str(node.settings.database_url), "serve",
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    node.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx2.get(node.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            if time.monotonic() > deadline:
                raise RuntimeError(f"accord serve for {node.name} did not become ready")
            time.sleep(0.1)
        yield node.url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
