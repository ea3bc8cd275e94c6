"""Anchoring the audit chain outside the database: signed checkpoints and witness files.

The intruder here holds the database (straight SQL, triggers dropped) but not the
checkpoint key nor the witness file. The chain alone (``audit.verify`` without pins, which
is what ``accord audit verify`` ran before anchoring) passes every one of these forgeries;
each test shows that first, then that the anchored verify catches it.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from accord import audit, audit_anchor
from accord.config import Settings
from accord.errors import Invalid
from accord.node import Node
from accord.store.database import Database
from tests.conftest import CliRun
from tests.test_audit import _drop_guards, _log, _sql


@pytest.fixture
def anchored(settings: Settings, tmp_path: Path) -> Settings:
    """Settings with a witness file outside the database (and the key under HOME)."""
    return settings.replace(audit_witness_file=tmp_path / "witness.jsonl")


def _checkpoint(db: Database, settings: Settings) -> audit_anchor.Checkpoint:
    key = audit_anchor.load_key(settings, create=True)
    assert key is not None
    return audit_anchor.checkpoint(db, key, witnesses=audit_anchor.witness_files(settings))


def _verify(db: Database, settings: Settings) -> audit.VerifyReport:
    return audit_anchor.verify(db, audit_anchor.anchors_for(settings))


def _truncate(db: Database, keep: int) -> None:
    """Cut the events after ``keep`` and rewind the head row to match: the chain holds."""
    _drop_guards(db)
    last = next(e for e in audit.events(db) if e.seq == keep)
    _sql(db, f"DELETE FROM audit_events WHERE seq > {keep}")
    _sql(db, f"UPDATE audit_head SET seq = {keep}, hash = '{last.hash}'")


def _rechain(db: Database, seq: int, actor: str) -> None:
    """Change event ``seq``'s actor and recompute its hash and every later one (and the head)."""
    _drop_guards(db)
    prev = audit.GENESIS
    for e in list(audit.events(db)):
        if e.seq >= seq:
            who = actor if e.seq == seq else e.actor
            digest = audit.event_hash(e.seq, e.at, who, e.action, e.object_type, e.object_id,
                                      audit.canonical_json(e.details), prev)
            _sql(db, f"UPDATE audit_events SET actor = '{who}', prev_hash = '{prev}', "
                     f"hash = '{digest}' WHERE seq = {e.seq}")
            prev = digest
        else:
            prev = e.hash
    _sql(db, f"UPDATE audit_head SET hash = '{prev}'")


# --- what is caught -------------------------------------------------------------------------

def test_a_tail_cut_with_the_head_rewound_is_caught_by_the_witness(db: Database,
                                                                   anchored: Settings) -> None:
    _log(db, 5)
    _checkpoint(db, anchored)
    _truncate(db, 3)
    _sql(db, "DELETE FROM audit_checkpoints")  # the intruder holds the database: gone too
    assert audit.verify(db).ok  # the chain alone cannot tell
    report = _verify(db, anchored)
    assert not report.ok and report.first_bad_seq == 4
    assert report.reason is not None
    assert "records event 5, but the log ends at event 3" in report.reason
    assert "witness.jsonl line 1" in report.reason and "head row rewound" in report.reason


def test_a_tail_cut_is_caught_by_the_database_checkpoint_alone(db: Database,
                                                               settings: Settings) -> None:
    _log(db, 5)
    _checkpoint(db, settings)
    _truncate(db, 2)
    assert audit.verify(db).ok
    report = _verify(db, settings)
    assert not report.ok and report.reason is not None
    assert "records event 5, but the log ends at event 2" in report.reason
    assert "(database)" in report.reason


def test_a_rechained_edit_is_caught_by_the_witness(db: Database, anchored: Settings) -> None:
    _log(db, 5)
    _checkpoint(db, anchored)
    _log(db, 3)
    _rechain(db, 2, "mallory")
    _sql(db, "DELETE FROM audit_checkpoints")
    assert audit.verify(db).ok  # every link and hash recomputed: the chain holds
    report = _verify(db, anchored)
    assert not report.ok and report.first_bad_seq == 5
    assert report.reason is not None
    assert "event 5's hash differs from the one the checkpoint signed" in report.reason
    assert "after 0 and at or before 5" in report.reason


def test_a_rechained_edit_after_a_checkpoint_is_placed_between_two(db: Database,
                                                                  anchored: Settings) -> None:
    _log(db, 3)
    _checkpoint(db, anchored)
    _log(db, 3)
    _checkpoint(db, anchored)
    _rechain(db, 5, "mallory")
    report = _verify(db, anchored)
    assert not report.ok and report.first_bad_seq == 6
    assert report.reason is not None and "after 3 and at or before 6" in report.reason


def test_a_forged_checkpoint_is_caught(db: Database, anchored: Settings) -> None:
    """Cut the tail, then sign the rewound head without the key: the signature fails."""
    _log(db, 5)
    real = _checkpoint(db, anchored)
    _truncate(db, 3)
    _sql(db, "DELETE FROM audit_checkpoints")
    head = audit.tail(db, 1)[0]
    forger = audit_anchor.AnchorKey(b"m" * 40)  # any key but the node's
    for key_id, signature in ((real.key_id, "0" * 64),
                              (forger.key_id, forger.sign(3, head.hash, real.at))):
        _sql(db, "DELETE FROM audit_checkpoints")
        _sql(db, "INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES "
                 f"(3, '{head.hash}', '{real.at.isoformat()}', '{key_id}', '{signature}')")
        anchored.audit_witness_file.write_text("")  # type: ignore[union-attr]
        report = _verify(db, anchored)
        assert not report.ok and report.first_bad_seq == 3
        assert report.reason is not None
        assert "the checkpoint for event 3 (database) is forged or altered" in report.reason


def test_an_altered_witness_line_is_caught(db: Database, anchored: Settings) -> None:
    _log(db, 4)
    _checkpoint(db, anchored)
    path = anchored.audit_witness_file
    assert path is not None
    line = json.loads(path.read_text())
    line["seq"] = 2  # claim an earlier head, to excuse a cut
    path.write_text(json.dumps(line) + "\n")
    report = _verify(db, anchored)
    assert not report.ok and report.reason is not None
    assert "witness.jsonl line 1) is forged or altered: its signature is wrong" in report.reason


def test_a_broken_chain_is_never_signed(db: Database, settings: Settings) -> None:
    _log(db, 3)
    _checkpoint(db, settings)
    _log(db, 2)
    _drop_guards(db)
    _sql(db, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")
    with pytest.raises(audit.IntegrityError, match="not checkpointing a broken audit log"):
        _checkpoint(db, settings)
    assert [c.seq for c in audit_anchor.checkpoints(db)] == [3]


def test_a_cut_tail_is_never_signed(db: Database, settings: Settings) -> None:
    """The node's job must not vouch for a head rewound behind its last checkpoint."""
    _log(db, 5)
    _checkpoint(db, settings)
    _truncate(db, 3)
    with pytest.raises(audit.IntegrityError, match="records event 5, but the head records event 3"):
        _checkpoint(db, settings)


# --- what passes, and what it says it cannot detect -----------------------------------------

def test_without_any_checkpoint_verify_passes_and_says_what_it_cannot_detect(
        db: Database, settings: Settings) -> None:
    _log(db, 3)
    report = _verify(db, settings)
    assert report.ok and report.checkpoints_checked == 0
    assert audit_anchor.NO_CHECKPOINT in report.warnings
    assert audit_anchor.NO_WITNESS in report.warnings
    assert audit.verify(db).warnings == (audit.NOT_ANCHORED,)


def test_database_checkpoints_without_a_witness_still_warn(db: Database,
                                                           settings: Settings) -> None:
    _log(db, 3)
    _checkpoint(db, settings)
    _log(db, 2)
    report = _verify(db, settings)
    assert report.ok and report.checkpoints_checked == 1 and report.anchored_seq == 3
    assert report.warnings == (
        audit_anchor.NO_WITNESS,
        "events 4 to 5 come after the last checkpoint: only the chain protects them until "
        "the next one")


def test_a_witnessed_untouched_log_verifies_without_warnings(db: Database,
                                                             anchored: Settings) -> None:
    _log(db, 4)
    _checkpoint(db, anchored)
    report = _verify(db, anchored)
    assert report.ok and report.checkpoints_checked == 2 and report.warnings == ()


# --- the key ----------------------------------------------------------------------------

def test_the_key_file_is_made_private_on_first_use_and_kept(settings: Settings) -> None:
    assert audit_anchor.load_key(settings) is None
    first = audit_anchor.load_key(settings, create=True)
    path = audit_anchor.key_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first == audit_anchor.load_key(settings, create=True)


def test_a_key_from_the_environment_is_used_and_a_short_one_refused(settings: Settings) -> None:
    env = settings.replace(audit_key="k" * 40)
    assert audit_anchor.load_key(env) == audit_anchor.AnchorKey(b"k" * 40)
    assert not audit_anchor.key_path(settings).exists()
    with pytest.raises(Invalid, match="shorter than 32 characters"):
        audit_anchor.load_key(settings.replace(audit_key="short"))


def test_checkpoints_without_their_key_are_a_clear_error(db: Database,
                                                         settings: Settings) -> None:
    _log(db, 2)
    _checkpoint(db, settings)
    audit_anchor.key_path(settings).unlink()
    with pytest.raises(Invalid, match="checkpoints exist but the key is missing") as caught:
        _verify(db, settings)
    assert caught.value.hint is not None and "ACCORD_AUDIT_KEY" in caught.value.hint


# --- the node job -------------------------------------------------------------------------

def test_checkpoints_accumulate_from_the_node_job(db: Database, anchored: Settings) -> None:
    node = Node(anchored.replace(audit_checkpoint_events=3), db)
    node.refresh_once()
    assert audit_anchor.checkpoints(db) == []  # an empty log is not checkpointed
    seqs = []
    for _ in range(4):
        _log(db, 2)
        node.refresh_once()
        seqs.append([c.seq for c in audit_anchor.checkpoints(db)])
    # the first events at once, then each time 3 or more have come since the last one
    assert seqs == [[2], [2], [2, 6], [2, 6]]
    path = anchored.audit_witness_file
    assert path is not None
    assert [json.loads(line)["seq"] for line in path.read_text().splitlines()] == [2, 6]
    assert _verify(db, anchored).ok


def test_the_node_job_also_checkpoints_on_time(db: Database, settings: Settings) -> None:
    timed = settings.replace(**{"audit_checkpoint_events": 0,
                                        "audit_checkpoint_seconds": 0.001})
    _log(db, 1)
    assert audit_anchor.checkpoint_due(db, timed)
    _checkpoint(db, timed)
    assert not audit_anchor.checkpoint_due(db, timed)  # nothing new
    _log(db, 1)
    assert audit_anchor.checkpoint_due(db, timed)
    off = timed.replace(audit_checkpoint_seconds=0)
    assert not audit_anchor.checkpoint_due(db, off)


# --- the CLI ------------------------------------------------------------------------------

def test_cli_checkpoint_export_then_verify_catches_a_cut(db: Database, cli: CliRun,
                                                         tmp_path: Path) -> None:
    _log(db, 5)
    witness = tmp_path / "elsewhere" / "audit.jsonl"
    made = cli("audit", "checkpoint", "--export", str(witness))
    assert made.exit_code == 0, made
    assert "Checkpoint: event 5" in made.stdout and str(witness) in made.stdout
    key = tmp_path / "h" / "audit-anchor.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().strip() not in db.engine.url.render_as_string(False)
    ok = cli("audit", "verify", "--witness", str(witness))
    assert ok.exit_code == 0 and "2 signed checkpoints check out" in ok.stdout
    assert "Warning" not in ok.stdout
    _truncate(db, 4)
    _sql(db, "DELETE FROM audit_checkpoints")
    bad = cli("audit", "verify", "--witness", str(witness))
    assert bad.exit_code == 4, bad
    assert "audit log broken at event 5" in bad.stderr and "cut from the end" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


def test_cli_verify_without_a_witness_passes_with_the_warning(db: Database,
                                                               cli: CliRun) -> None:
    _log(db, 3)
    ok = cli("audit", "verify")
    assert ok.exit_code == 0, ok
    out = " ".join(ok.stdout.split())
    assert "Audit log intact: 3 events" in out
    assert "Warning: no signed checkpoint yet" in out
    assert "Warning: no witness outside the database" in out


def test_cli_verify_with_the_key_gone_is_a_clear_error(db: Database, cli: CliRun,
                                                       tmp_path: Path) -> None:
    _log(db, 2)
    assert cli("audit", "checkpoint").exit_code == 0
    (tmp_path / "h" / "audit-anchor.key").unlink()
    bad = cli("audit", "verify")
    assert bad.exit_code == 2, bad
    err = " ".join(bad.stderr.split())
    assert "the key is missing" in err and "ACCORD_AUDIT_KEY" in err
    assert "Traceback" not in bad.stderr + bad.stdout


def test_cli_verify_catches_a_rechained_edit(db: Database, cli: CliRun) -> None:
    _log(db, 4)
    assert cli("audit", "checkpoint").exit_code == 0
    _rechain(db, 1, "mallory")
    bad = cli("audit", "verify")
    assert bad.exit_code == 4, bad
    assert "audit log broken at event 4" in bad.stderr and "rewritten" in bad.stderr
