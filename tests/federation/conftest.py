"""Two Accord nodes on loopback: A (an agency) shares with B (a platform)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.curation import banks
from accord.sharing import service
from tests.federation.nodes import OP, Node, serving, sqlite_node


@dataclass
class Pair:
    """Node A with a channel ``ab`` shared with B's partner, and node B syncing from it."""

    a: Node
    b: Node
    b_sync_key: str  # B's sync member on A
    b_curator_key: str  # B's curator on B (matches)


def _setup_a(a: Node) -> str:
    service.partner_add(a.db, OP, "Agency A", "agency", "FR")
    service.partner_add(a.db, OP, "Platform B", "platform", "IE")
    service.channel_add(a.db, OP, "ab", "Agency A")
    service.channel_join(a.db, OP, "ab", "Platform B")
    banks.bank_add(a.db, OP, "a-images", "Agency A", default_tlp="AMBER", channel="ab")
    return a.key("Platform B", "sync-b", "sync")


def _setup_b(b: Node) -> str:
    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "from-a", "Platform B", default_tlp="AMBER")
    return b.key("Platform B", "bea", "curator")


@pytest.fixture(scope="module")
def pair(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Both nodes served once per module (starting a server costs seconds): the module's
    tests are one story, in order."""
    folder = tmp_path_factory.mktemp("pair")
    a = sqlite_node("node-a", sqlite_template, folder / "a")
    b = sqlite_node("node-b", sqlite_template, folder / "b")
    sync_key, curator_key = _setup_a(a), _setup_b(b)
    with serving(a, b):
        yield Pair(a, b, sync_key, curator_key)
    a.db.dispose()
    b.db.dispose()
