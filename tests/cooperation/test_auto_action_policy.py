"""Auto-action only on labels backed by a source the bank owner's policy accepts (and the
requester's: here every requester consents and keeps the default UN-SC policy, see
test_auto_action_consent.py for the requester's side)."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.cooperation import designations
from accord.curation import banks, signals
from accord.errors import Invalid
from accord.matching.service import MatchedSignal
from accord.review import service as review
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode, member


def _auto_signal(db: Database, settings: Settings, owner: str, bank: str, curator: Actor,
                 value: str, label: str) -> MatchedSignal:
    if bank not in {b.name for b in banks.bank_list(db)}:
        banks.bank_add(db, Actor.operator(), bank, owner, default_tlp="GREEN", auto_action=True)
    sig = signals.signal_add(db, curator, bank, signals.SignalInput(
        "md5", value, labels=(label,)), settings)
    return MatchedSignal(sig.id, "md5", sig.value, 0, bank, sig.labels, sig.tlp, False)


def test_single_source_labels_are_never_auto_actioned_in_another_partners_bank(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    # Platform P opted its bank into auto-action and holds a hash labelled with a group
    # that only Agency North's national list designates.
    platform_curator = member(db, "Platform P", "paco", "curator")
    designations.policy_set(db, Actor.operator(), "Platform P", [], allow_auto_action=True)
    national = _auto_signal(db, settings, "Platform P", "p-auto", platform_curator,
                            "1" * 32, "entity:fr-nat-7")
    un_backed = _auto_signal(db, settings, "Platform P", "p-auto", platform_curator,
                             "2" * 32, "entity:qde-901")
    states = {r.signal_id: r.state for r in review.record_matches(
        db, coop.platform_reviewer, "upload-1", [national, un_backed])}
    assert states == {national.signal_id: "pending", un_backed.signal_id: "auto-actioned"}
    # ...and Platform P cannot make North's own list back its auto-action.
    with pytest.raises(Invalid, match="another partner's own list"):
        designations.policy_set(db, Actor.operator(), "Platform P", ["UN-SC", "FR-NAT"])
    [again] = review.record_matches(db, coop.platform_reviewer, "upload-2", [national])
    assert again.state == "pending"


def test_a_single_partners_source_is_shown_to_others_but_queued_for_their_review(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    designations.policy_set(db, Actor.operator(), "Agency North", ["UN-SC", "FR-NAT"],
                            allow_auto_action=True)
    designations.policy_set(db, Actor.operator(), "Platform P", [], allow_auto_action=True)
    own = _auto_signal(db, settings, "Agency North", "north-auto", coop.north_curator,
                       "3" * 32, "entity:fr-nat-7")
    north_reader = member(db, "Agency North", "noel", "reader")
    [for_north] = review.record_matches(db, north_reader, "north-upload", [own])
    [for_platform] = review.record_matches(db, coop.platform_reviewer, "p-upload", [own])
    assert (for_north.state, for_platform.state) == ("auto-actioned", "pending")
    assert for_platform.labels == ("entity:fr-nat-7",)  # shown, with its label


def test_unlabelled_delisted_or_unaccepted_sources_go_to_human_review(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    curator = member(db, "Platform P", "paco", "curator")
    designations.policy_set(db, Actor.operator(), "Platform P", [], allow_auto_action=True)
    plain = _auto_signal(db, settings, "Platform P", "p-auto", curator, "4" * 32,
                         "content:video")
    un_backed = _auto_signal(db, settings, "Platform P", "p-auto", curator, "5" * 32,
                             "entity:qde-901")
    designations.policy_set(db, Actor.operator(), "Platform P", ["EU"])  # EU delisted it
    states = [r.state for r in review.record_matches(db, coop.platform_reviewer, "u-3",
                                                     [plain, un_backed])]
    assert states == ["pending", "pending"]
    assert designations.policy_set(db, Actor.operator(), "Platform P", []).sources == ("UN-SC",)
