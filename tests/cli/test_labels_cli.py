"""Fixing labels from the command line, read like a shell session: the owner edits, the
platform disputes a label, they write in the thread, the platform proposes a change."""

from __future__ import annotations

import json

from tests.cli.test_node_cli import _setup
from tests.conftest import CliRun


def _signal(cli: CliRun) -> str:
    added = cli("--as", "alice", "signal", "add", "a-images", "md5", "a" * 32, "--tlp", "GREEN",
                "-l", "content:video", "-l", "behaviour:recruitment")
    assert added.exit_code == 0, added
    return str(json.loads(added.stdout)["id"])


def test_the_owner_edits_labels_and_the_history_shows_each_version(cli: CliRun) -> None:
    _setup(cli)
    sid = _signal(cli)
    edited = cli("--as", "alice", "signal", "labels", sid, "--set", "content:image",
                 "--set", "behaviour:threat", "--reason", "a still with a threat")
    assert edited.exit_code == 0, edited
    assert f"Signal {sid} labels: behaviour:threat, content:image." in edited.stdout
    history = cli("--as", "pia", "signal", "history", sid)
    assert history.exit_code == 0, history
    assert "a still with a threat" in history.stdout and "another partner" in history.stdout
    denied = cli("--as", "pia", "signal", "labels", sid, "--set", "content:video")
    assert denied.exit_code == 2 and "another partner" in denied.stderr
    bad = cli("--as", "alice", "signal", "labels", sid, "--set", "behaviour:nonsense")
    assert bad.exit_code == 2 and "nonsense" in bad.stderr and "Traceback" not in bad.stderr
    missing = cli("--as", "pia", "signal", "history", "99999")
    assert missing.exit_code == 2 and "no signal 99999" in missing.stderr


def test_a_dispute_on_a_label_and_its_thread(cli: CliRun) -> None:
    _setup(cli)
    sid = _signal(cli)
    disputed = cli("--as", "pia", "signal", "opinion", sid, "disagree",
                   "--label", "behaviour:recruitment", "--note", "no call to join")
    assert disputed.exit_code == 0, disputed
    assert "(label behaviour:recruitment)" in disputed.stdout
    did = disputed.stdout.rsplit("dispute id ", 1)[1].split(")")[0]
    wrong = cli("--as", "pia", "signal", "opinion", sid, "disagree", "--label", "content:image")
    assert wrong.exit_code == 2 and "has no label" in wrong.stderr
    assert cli("--as", "alice", "dispute", "reply", did, "The end card recruits.").exit_code == 0
    assert cli("--as", "pia", "dispute", "reply", did, "Seen, thanks.").exit_code == 0
    thread = cli("--as", "pia", "dispute", "show", did)
    assert thread.stdout.index("The end card recruits.") < thread.stdout.index("Seen, thanks.")
    listed = cli("--as", "alice", "dispute", "list", sid)
    assert "behaviour:recruitment" in listed.stdout
    empty = cli("--as", "alice", "dispute", "reply", did, "  ")
    assert empty.exit_code == 2 and "empty" in empty.stderr


def test_a_proposal_accepted_and_one_refused(cli: CliRun) -> None:
    _setup(cli)
    sid = _signal(cli)
    made = cli("--as", "pia", "proposal", "add", sid, "--add", "content:image",
               "--remove", "content:video", "--reason", "a still image")
    assert made.exit_code == 0, made
    pid = made.stdout.split()[1].rstrip(":")
    assert "+content:image, -content:video (open)" in made.stdout
    listed = cli("--as", "alice", "proposal", "list")
    assert "a still image" in listed.stdout
    accepted = cli("--as", "alice", "proposal", "accept", pid)
    assert accepted.exit_code == 0 and "(accepted)" in accepted.stdout
    history = cli("--as", "pia", "signal", "history", sid).stdout
    assert "behaviour:recruitment, content:image" in history and f"proposal {pid}" in history
    other = cli("--as", "pia", "proposal", "add", sid, "--add", "behaviour:threat",
                "--reason", "a threat")
    oid = other.stdout.split()[1].rstrip(":")
    no_reason = cli("--as", "alice", "proposal", "refuse", oid, "--reason", "")
    assert no_reason.exit_code == 2 and "empty" in no_reason.stderr
    refused = cli("--as", "alice", "proposal", "refuse", oid, "--reason", "no threat in it")
    assert "(refused): no threat in it" in refused.stdout
    mine = cli("--as", "pia", "proposal", "list", "--status", "all")
    assert "accepted" in mine.stdout and "refused" in mine.stdout
