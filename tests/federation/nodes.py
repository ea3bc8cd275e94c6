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
from accord.exchange.sync import SyncReport
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


def pull_notes(report: SyncReport) -> list[str]:
    """A sync report's notes but those that say why something was not pushed."""
    return [n for n in report.notes if not n.startswith("not pushed:")]


def sqlite_node(name: str, template: Path, folder: Path) -> Node:
    """A fresh node on its own SQLite file copied from the migrated template."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "accord.sqlite3"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    return Node(name, Database(url), Settings(home=folder / "home", database_url=url,
                                              node_id=name))


@contextmanager
def serving(*nodes: Node) -> Iterator[list[str]]:
    """Run ``accord serve`` (one worker) for each node, started side by side, until the
    block ends; yields their URLs."""
    processes = []
    try:
        for node in nodes:
            port = free_port()
            env = {**os.environ, "ACCORD_HOME": str(node.settings.home),
                   "ACCORD_NODE_ID": node.name, "ACCORD_REFRESH_INTERVAL_SECONDS": "0.1"}
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "accord", "--db", str(node.settings.database_url),
                 "serve", "--port", str(port)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            node.url = f"http://127.0.0.1:{port}"
        for node, process in zip(nodes, processes, strict=True):
            _wait_ready(node, process)
        yield [node.url for node in nodes]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
            if process.stderr:
                process.stderr.close()


def _wait_ready(node: Node, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx2.get(node.url + "/readyz", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
        if time.monotonic() > deadline:
            raise RuntimeError(f"accord serve for {node.name} did not become ready")
        time.sleep(0.1)


@contextmanager
def in_process(node: Node) -> Iterator[str]:
    """Serve ``node``'s API from a thread of this process (fast to start); yields its URL."""
    import threading

    import uvicorn

    from accord.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(node.settings), host="127.0.0.1",
                                           port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the API for {node.name} did not start")
        time.sleep(0.05)
    node.url = f"http://127.0.0.1:{port}"
    try:
        yield node.url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
