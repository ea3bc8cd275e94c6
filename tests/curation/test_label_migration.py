"""Migration 0015_label_versions: its tables and column come and go, and the signals' change
trigger survives it (a label edit after an upgrade still moves the sync cursor)."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.config import Settings
from accord.curation import label_edits, signals
from accord.curation.signals import SignalInput
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.store.schema import current_revision, head_revision
from tests.curation.conftest import Node
from tests.curation.test_label_edits import _seq
from tests.migrations import migrate

TABLES = {"signal_label_versions", "dispute_messages", "label_proposals"}


def test_0015_label_versions_downgrades_and_upgrades_again(
        db: Database, node: Node, settings: Settings) -> None:
    migrate(db, "0015_auto_action_consent", down=True)
    found = inspect(db.engine)
    assert not TABLES & set(found.get_table_names())
    assert "label" not in {c["name"] for c in found.get_columns("opinions")}
    migrate(db, "head")
    assert current_revision(db) == head_revision()
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    sid = signals.signal_add(db, Actor.operator(), node.bank, SignalInput(
        "md5", "f" * 32, labels=("content:video",)), settings).id
    before = _seq(db, sid)
    label_edits.label_set(db, Actor.operator(), sid, ["content:image"], "")
    assert _seq(db, sid) > before
