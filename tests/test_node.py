"""``accord.node.Node``: what a running node holds, and how the change feed keeps it current."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.errors import Conflict
from accord.node import Node
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database

OP = Actor.operator()


@pytest.fixture
def node(settings: Settings, db: Database) -> Node:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    return Node(settings, db)


def test_a_node_starts_once(node: Node) -> None:
    node.start()
    try:
        with pytest.raises(Conflict, match="already been started"):
            node.start()
    finally:
        node.stop()
    assert not node.running


def test_a_channel_change_reaches_the_viewers_and_every_listener(node: Node) -> None:
    heard: list[list[str]] = []
    node.listeners.append(heard.append)
    node.start()
    try:
        b = service.partner_add(node.db, OP, "Platform B", "platform", "IE").id
        node.refresh_once()
        before = node.viewer(b)
        assert node.viewer(b) is before  # cached
        service.channel_add(node.db, OP, "ab", "Agency A")
        service.channel_join(node.db, OP, "ab", "Platform B")
        node.refresh_once()
        after = node.viewer(b)
        assert before.channel_ids == frozenset() and len(after.channel_ids) == 1
        assert any("channel.join" in actions for actions in heard)
    finally:
        node.stop()


def test_refresh_once_applies_changes_without_the_refresher_thread(
    node: Node, settings: Settings
) -> None:
    from accord.curation import banks, signals

    node.start()
    try:
        banks.bank_add(node.db, OP, "a-images", "Agency A", default_tlp="GREEN")
        signals.signal_add(node.db, OP, "a-images",
                           signals.SignalInput("md5", "a" * 32), settings)
        node.refresh_once()
        assert node.engine is not None and node.engine.size().get("md5") == 1
    finally:
        node.stop()
