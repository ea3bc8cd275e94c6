"""``accord.app.create_app``: one app, the API and the web UI mounted side by side over one
node, which starts once when the app starts and stops once when it stops."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.node import Node


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every ``Node.start`` and ``Node.stop``, in order (the real ones still run)."""
    seen: list[str] = []
    start, stop = Node.start, Node.stop

    def counted_start(node: Node) -> None:
        seen.append("start")
        start(node)

    def counted_stop(node: Node) -> None:
        seen.append("stop")
        stop(node)

    monkeypatch.setattr(Node, "start", counted_start)
    monkeypatch.setattr(Node, "stop", counted_stop)
    return seen


def test_the_node_starts_once_and_stops_once_with_the_api_and_the_ui_mounted(
    settings: Settings, calls: list[str]
) -> None:
    app = create_app(settings)
    node = app.state.accord_node
    assert calls == [] and not node.running  # building the app starts nothing
    with TestClient(app) as client:
        assert calls == ["start"] and node.running
        assert client.get("/readyz").json()["status"] == "ready"  # the API
        assert "<form" in client.get("/login").text  # the web UI
        assert client.get("/static/accord.css").status_code == 200
        assert app.state.accord_web.node is node  # one node under both edges
    assert calls == ["start", "stop"] and not node.running
    assert node.engine is not None  # what it loaded stays readable; only threads stopped

