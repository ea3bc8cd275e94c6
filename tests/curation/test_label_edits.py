"""Fixing labels: edits with history, disputes naming a label, threads, proposals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.config import Settings
from accord.curation import disputes, label_edits, opinions, proposals, signals
from accord.curation.signals import SignalInput
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.safeguards.personal_data import PersonalDataFound
from accord.store import models as m
from accord.store.database import Database
from tests.curation.conftest import Node


def _signal(db: Database, node: Node, settings: Settings, tlp: str = "GREEN") -> int:
    return signals.signal_add(
        db, node.curator_a, node.bank,
        SignalInput("md5", "d" * 32, labels=("content:video", "behaviour:recruitment"), tlp=tlp),
        settings).id


def _seq(db: Database, signal_id: int) -> int:
    with db.reader() as session:
        seq = session.execute(select(m.Signal.sync_seq).where(m.Signal.id == signal_id)).scalar()
        assert seq is not None
        return seq


def test_the_owner_replaces_labels_and_each_change_is_a_version(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    before = signals.signal_get(db, node.curator_a, sid)
    seq = _seq(db, sid)
    after = label_edits.label_set(db, node.curator_a, sid, ["content:image", "behaviour:threat"],
                                  "it is a still, and a threat")
    assert after.labels == ("behaviour:threat", "content:image")
    assert after.updated_at > before.updated_at
    assert _seq(db, sid) > seq  # peers see a new version
    label_edits.label_set(db, node.curator_a, sid, ["content:image"], "")
    history = label_edits.label_history(db, node.curator_a, sid)
    assert [(v.version, v.labels, v.actor, v.reason) for v in history] == [
        (1, ("behaviour:recruitment", "content:video"), "alice", ""),
        (2, ("behaviour:threat", "content:image"), "alice", "it is a still, and a threat"),
        (3, ("content:image",), "alice", ""),
    ]
    # Another partner that may see the signal sees the history, not the user names.
    seen = label_edits.label_history(db, node.reviewer_b, sid)
    assert {v.actor for v in seen} == {"another partner"}


def test_a_signal_never_edited_has_a_one_version_history(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    (only,) = label_edits.label_history(db, node.curator_a, sid)
    assert (only.version, only.labels) == (1, ("behaviour:recruitment", "content:video"))


def test_label_edits_are_checked_and_only_the_owner_edits(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    with pytest.raises(Invalid, match="nonsense"):
        label_edits.label_set(db, node.curator_a, sid, ["behaviour:nonsense"], "")
    with pytest.raises(Conflict, match="already has exactly"):
        label_edits.label_set(db, node.curator_a, sid,
                              ["behaviour:recruitment", "content:video"], "")
    with pytest.raises(PermissionDenied):
        label_edits.label_set(db, node.reviewer_b, sid, ["content:image"], "")
    red = signals.signal_add(db, node.curator_a, node.bank,
                             SignalInput("md5", "e" * 32, tlp="RED"), settings).id
    for hidden in (red, 999_999):  # may not see it: answered as one that does not exist
        with pytest.raises(NotFound, match=f"no signal {hidden}"):
            label_edits.label_set(db, node.reviewer_b, hidden, ["content:image"], "")
        with pytest.raises(NotFound, match=f"no signal {hidden}"):
            label_edits.label_history(db, node.reviewer_b, hidden)
    signals.signal_retract(db, node.curator_a, sid, "wrong")
    with pytest.raises(Conflict, match="retracted"):
        label_edits.label_set(db, node.curator_a, sid, ["content:image"], "")


def test_an_edit_reason_goes_through_the_personal_data_check(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    with pytest.raises(PersonalDataFound):
        label_edits.label_set(db, node.curator_a, sid, ["content:image"],
                              "reported by jane.doe@example.org")
    assert signals.signal_get(db, node.curator_a, sid).labels == (
        "behaviour:recruitment", "content:video")


def test_a_dispute_names_one_of_the_signals_labels(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    got = opinions.opinion_set(db, node.reviewer_b, sid, "disagree", "no recruiting here",
                               settings, label="behaviour:recruitment")
    assert got.label == "behaviour:recruitment"
    with pytest.raises(Invalid, match="has no label 'behaviour:threat'"):
        opinions.opinion_set(db, node.reviewer_b, sid, "disagree", "", settings,
                             label="behaviour:threat")
    with pytest.raises(Invalid, match="only a dispute"):
        opinions.opinion_set(db, node.reviewer_b, sid, "agree", "", settings,
                             label="content:video")
    # The third partner sees the opinion's count, not the disputed label.
    (seen,) = opinions.opinion_list(db, node.reader_platform, sid)
    assert (seen.kind, seen.label) == ("disagree", None)
    (own,) = opinions.opinion_list(db, node.curator_a, sid)
    assert own.label == "behaviour:recruitment"


def test_owner_and_disputer_write_in_the_thread_others_see_nothing(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    dispute = opinions.opinion_set(db, node.reviewer_b, sid, "disagree", "", settings,
                                   label="behaviour:recruitment")
    disputes.dispute_reply(db, node.curator_a, dispute.id, "The caption recruits; see 0:40.")
    disputes.dispute_reply(db, node.reviewer_b, dispute.id, "Agreed, thanks.")
    thread = disputes.dispute_messages(db, node.reviewer_b, dispute.id)
    assert [(t.partner_id, t.author, t.text) for t in thread] == [
        (node.agency_a, "another partner", "The caption recruits; see 0:40."),
        (node.agency_b, "bob", "Agreed, thanks."),
    ]
    assert [d.id for d in disputes.disputes_of(db, node.reviewer_b, sid)] == [dispute.id]
    assert disputes.disputes_of(db, node.reader_platform, sid) == []
    for missing in (dispute.id, 999_999):
        with pytest.raises(NotFound, match=f"no dispute {missing}"):
            disputes.dispute_messages(db, node.reader_platform, missing)
        with pytest.raises(NotFound, match=f"no dispute {missing}"):
            disputes.dispute_reply(db, node.reader_platform, missing, "hello")
    with pytest.raises(Invalid, match="empty"):
        disputes.dispute_reply(db, node.curator_a, dispute.id, "  ")
    with pytest.raises(PersonalDataFound):
        disputes.dispute_reply(db, node.curator_a, dispute.id, "call +44 20 7946 0958")


def test_an_agreement_has_no_thread(db: Database, node: Node, settings: Settings) -> None:
    sid = _signal(db, node, settings)
    agree = opinions.opinion_set(db, node.reviewer_b, sid, "agree", "", settings)
    with pytest.raises(NotFound, match="no dispute"):
        disputes.dispute_reply(db, node.curator_a, agree.id, "thanks")


def test_a_proposal_accepted_changes_the_labels_and_names_itself_in_the_history(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    prop = proposals.proposal_add(db, node.reviewer_b, sid, ["content:image"],
                                  ["content:video"], "it is a still image")
    assert prop.status == "open"
    assert [p.id for p in proposals.proposal_list(db, node.curator_a)] == [prop.id]
    assert proposals.proposal_list(db, node.reader_platform) == []
    with pytest.raises(NotFound, match=f"no proposal {prop.id}"):
        proposals.proposal_get(db, node.reader_platform, prop.id)
    with pytest.raises(PermissionDenied):
        proposals.proposal_accept(db, node.reviewer_b, prop.id)
    done = proposals.proposal_accept(db, node.curator_a, prop.id)
    assert done.status == "accepted"
    assert signals.signal_get(db, node.curator_a, sid).labels == (
        "behaviour:recruitment", "content:image")
    last = label_edits.label_history(db, node.curator_a, sid)[-1]
    assert (last.version, last.proposal_id) == (2, prop.id)
    assert proposals.proposal_get(db, node.reviewer_b, prop.id).status == "accepted"
    with pytest.raises(Conflict, match="already accepted"):
        proposals.proposal_refuse(db, node.curator_a, prop.id, "too late")


def test_a_proposal_refused_says_why_to_the_proposer(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    prop = proposals.proposal_add(db, node.reviewer_b, sid, [], ["behaviour:recruitment"],
                                  "no call to join")
    with pytest.raises(Invalid, match="empty"):
        proposals.proposal_refuse(db, node.curator_a, prop.id, "")
    proposals.proposal_refuse(db, node.curator_a, prop.id, "the end card recruits")
    seen = proposals.proposal_get(db, node.reviewer_b, prop.id)
    assert (seen.status, seen.answer, seen.answered_by) == (
        "refused", "the end card recruits", "another partner")
    assert signals.signal_get(db, node.curator_a, sid).labels == (
        "behaviour:recruitment", "content:video")
    assert proposals.proposal_list(db, node.curator_a) == []
    assert [p.id for p in proposals.proposal_list(db, node.reviewer_b, status=None)] == [prop.id]


def test_a_proposal_must_change_something_the_signal_has_or_lacks(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _signal(db, node, settings)
    with pytest.raises(Invalid, match="changes nothing"):
        proposals.proposal_add(db, node.reviewer_b, sid, [], [], "why")
    with pytest.raises(Invalid, match="already has label content:video"):
        proposals.proposal_add(db, node.reviewer_b, sid, ["content:video"], [], "why")
    with pytest.raises(Invalid, match="no label content:image to remove"):
        proposals.proposal_add(db, node.reviewer_b, sid, [], ["content:image"], "why")
    with pytest.raises(Conflict, match="own"):
        proposals.proposal_add(db, node.curator_a, sid, ["content:image"], [], "why")
    red = signals.signal_add(db, node.curator_a, node.bank,
                             SignalInput("md5", "e" * 32, tlp="RED"), settings).id
    with pytest.raises(NotFound, match=f"no signal {red}"):
        proposals.proposal_add(db, node.reviewer_b, red, ["content:image"], [], "why")
