"""Adding, reading, retracting signals, and who may see them."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.store.database import Database
from tests.curation.conftest import Node

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def test_a_curator_adds_a_labelled_signal_with_the_banks_defaults(
    db: Database, node: Node, settings: Settings
) -> None:
    s = signals.signal_add(
        db,
        node.curator_a,
        node.bank,
        SignalInput("pdq", PDQ.upper(), 90, ("behaviour:recruitment", "Content:Magazine")),
        settings,
    )
    assert s.value == PDQ and s.quality == 90
    assert s.labels == ("behaviour:recruitment", "content:magazine")
    assert s.tlp == "AMBER" and s.channel_id is not None
    assert s.contributor == "alice" and s.status == "active"


def test_the_same_signal_twice_in_a_bank_is_a_conflict(
    db: Database, node: Node, settings: Settings
) -> None:
    signals.signal_add(db, node.curator_a, node.bank, SignalInput("md5", "a" * 32), settings)
    with pytest.raises(Conflict, match="already holds md5"):
        signals.signal_add(db, node.curator_a, node.bank, SignalInput("md5", "A" * 32), settings)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (SignalInput("pdq", "xyz"), "pdq"),
        (SignalInput("pdq", PDQ[:-1]), "pdq"),
        (SignalInput("md5", "a" * 31), "md5"),
        (SignalInput("sha1", "a" * 40), "sha1"),
        (SignalInput("md5", "a" * 32, labels=("behaviour:nonsense",)), "nonsense"),
        (SignalInput("md5", "a" * 32, labels=("ideology:islamist",)), "refused"),
        (SignalInput("md5", "a" * 32, labels=("entity:qde-004",)), "names no entity"),
        (SignalInput("pdq", PDQ, quality=20), "below the minimum 50"),
        (SignalInput("md5", "a" * 32, tlp="PURPLE"), "not a TLP 2.0 marking"),
    ],
)
def test_bad_signals_are_refused_with_a_reason(
    db: Database, node: Node, settings: Settings, given: SignalInput, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        signals.signal_add(db, node.curator_a, node.bank, given, settings)
    assert signals.signal_list(db, node.curator_a) == []


def test_only_the_owning_partners_curators_write_to_a_bank(
    db: Database, node: Node, settings: Settings
) -> None:
    with pytest.raises(PermissionDenied, match="another partner"):
        signals.signal_add(db, node.reviewer_b, node.bank, SignalInput("md5", "a" * 32), settings)


def test_amber_signals_reach_the_channel_and_not_the_platform(
    db: Database, node: Node, settings: Settings
) -> None:
    s = signals.signal_add(db, node.curator_a, node.bank, SignalInput("md5", "b" * 32), settings)
    assert [x.id for x in signals.signal_list(db, node.reviewer_b)] == [s.id]
    assert signals.signal_list(db, node.reader_platform) == []
    with pytest.raises(NotFound):
        signals.signal_get(db, node.reader_platform, s.id)


def test_retraction_leaves_a_tombstone_and_stops_listing(
    db: Database, node: Node, settings: Settings
) -> None:
    s = signals.signal_add(db, node.curator_a, node.bank, SignalInput("md5", "c" * 32), settings)
    gone = signals.signal_retract(db, node.curator_a, s.id, "news footage")
    assert gone.status == "retracted"
    assert signals.signal_list(db, node.curator_a) == []
    assert [x.id for x in signals.signal_list(db, node.curator_a, status="retracted")] == [s.id]
    with pytest.raises(Conflict, match="already retracted"):
        signals.signal_retract(db, node.curator_a, s.id)


def test_a_long_value_is_kept_whole_and_indexed_by_digest(
    db: Database, node: Node, settings: Settings
) -> None:
    url = "https://example.org/" + "a" * 400
    s = signals.signal_add(db, node.curator_a, node.bank, SignalInput("url", url), settings)
    assert s.value == url
    with pytest.raises(Conflict):
        signals.signal_add(db, node.curator_a, node.bank, SignalInput("url", url), settings)
