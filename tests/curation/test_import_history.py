"""A bank's import history: every file import is kept, done or failed; only the bank's own
partner reads it, and to others the bank's history does not exist."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import inspect

from accord.config import Settings
from accord.curation.import_history import import_history
from accord.curation.importer import import_signals
from accord.curation.signals import SignalInput, signal_add_all
from accord.errors import Conflict, Invalid, NotFound
from accord.store.database import Database
from accord.store.schema import current_revision, head_revision
from tests.curation.conftest import Node
from tests.migrations import migrate


def _file(text: str, name: str = "list.csv") -> io.BytesIO:
    stream = io.BytesIO(text.encode())
    stream.name = name
    return stream


def test_a_finished_import_is_kept_with_its_counts(db: Database, node: Node,
                                                   settings: Settings) -> None:
    rows = "signal_type,signal_value\nmd5," + "a" * 32 + "\nmd5," + "a" * 32 + "\npdq,x\n"
    import_signals(db, node.curator_a, node.bank, _file(rows, "/tmp/x/list.csv"), settings)
    [kept] = import_history(db, node.curator_a, node.bank)
    assert (kept.actor, kept.filename, kept.state) == ("alice", "list.csv", "done")
    assert (kept.rows, kept.imported, kept.duplicates, kept.rejected) == (3, 1, 1, 1)
    assert kept.finished_at is not None and kept.member_id == node.curator_a.member_id


def test_a_file_refused_as_a_whole_is_kept_as_failed(db: Database, node: Node,
                                                     settings: Settings) -> None:
    with pytest.raises(Invalid):
        import_signals(db, node.curator_a, node.bank, _file("\xff\xfe", "bad.csv"), settings)
    [kept] = import_history(db, node.curator_a, node.bank)
    assert kept.state == "failed" and kept.failure


def test_another_partners_bank_history_is_not_found(db: Database, node: Node) -> None:
    with pytest.raises(NotFound) as theirs:
        import_history(db, node.reviewer_b, node.bank)  # B sees the bank (its channel)
    with pytest.raises(NotFound) as missing:
        import_history(db, node.reviewer_b, "no-such")
    assert theirs.value.message.replace(node.bank, "X") == missing.value.message.replace(
        "no-such", "X")


def test_several_signals_are_added_all_or_none(db: Database, node: Node,
                                               settings: Settings) -> None:
    md5, pdq = SignalInput("md5", "b" * 32), SignalInput("pdq", "f" * 64, quality=90)
    with pytest.raises(Conflict):
        signal_add_all(db, node.curator_a, node.bank, [md5, pdq, md5], settings)
    added = signal_add_all(db, node.curator_a, node.bank, [md5, pdq], settings)
    assert [s.signal_type for s in added] == ["md5", "pdq"]


def test_0016_import_history_downgrades_and_upgrades_again(db: Database, node: Node,
                                                         settings: Settings) -> None:
    migrate(db, "0016_channel_invitations", down=True)
    assert "signal_imports" not in inspect(db.engine).get_table_names()
    migrate(db, "head")
    assert current_revision(db) == head_revision()
    import_signals(db, node.curator_a, node.bank,
                   _file("signal_type,signal_value\nmd5," + "c" * 32 + "\n"), settings)
    assert [k.imported for k in import_history(db, node.curator_a, node.bank)] == [1]
