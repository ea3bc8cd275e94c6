"""A label edit travels to peers: the owner's edit is a new indicator version with the new
labels and a later ``modified``, and the peer's copy takes those labels on its next sync.

Node A serves from a thread of this process (``in_process``); B pulls with ``accord
sync``'s own code. Both nodes use the backend under test (SQLite, PostgreSQL)."""

from __future__ import annotations

from accord.curation import label_edits, signals
from accord.curation.signals import SignalInput
from accord.exchange.taxii.pages import PageQuery
from accord.exchange.taxii.service import get_objects, list_collections
from accord.sharing.roles import Actor, Role
from accord.sharing.service import member_add
from tests.federation.nodes import OP, Node
from tests.federation.test_quarantine import _sync, nodes

__all__ = ["nodes"]  # the two-node fixture, shared with the quarantine tests

VALUE = "c" * 32


def _indicator(a: Node, reader: Actor) -> dict[str, object]:
    """A's indicator of the signal, as a TAXII pull by B's partner returns it."""
    found = []
    for collection in list_collections(a.db, reader, a.settings)["collections"]:
        body = get_objects(a.db, reader, a.settings, collection["id"],
                           PageQuery(limit=100)).body
        found += [o for o in body.get("objects", ()) if o["type"] == "indicator"]
    (one,) = {o["id"]: o for o in found}.values()
    return dict(one)


def _labels_on_b(b: Node) -> tuple[str, ...]:
    (held,) = [s for s in signals.signal_list(b.db, OP, bank="from-a") if s.value == VALUE]
    return held.labels


def test_a_label_edit_reaches_the_peer_as_a_new_version(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    signal_id = signals.signal_add(a.db, OP, "a-images", SignalInput(
        "md5", VALUE, labels=("content:video",)), a.settings).id
    member = member_add(a.db, OP, "Platform B", "pull-b", "reader")
    reader = Actor(member.username, member.partner_id, Role.READER, member.id)
    before = _indicator(a, reader)
    assert _sync(b).added == 1
    assert _labels_on_b(b) == ("content:video",)

    label_edits.label_set(a.db, OP, signal_id, ["content:image", "behaviour:threat"],
                          "a still with a threat")
    after = _indicator(a, reader)
    assert after["id"] == before["id"]
    assert after["labels"] == ["behaviour:threat", "content:image"]
    assert str(after["modified"]) > str(before["modified"])

    report = _sync(b)
    assert (report.added, report.pulled.relabelled) == (0, 1)
    assert _labels_on_b(b) == ("behaviour:threat", "content:image")
    (copy,) = [s for s in signals.signal_list(b.db, OP, bank="from-a") if s.value == VALUE]
    last = label_edits.label_history(b.db, OP, copy.id)[-1]
    assert (last.version, last.source_version) == (2, after["modified"])
    again = _sync(b)  # nothing new: nothing changes
    assert (again.received, again.pulled.relabelled) == (0, 0)
