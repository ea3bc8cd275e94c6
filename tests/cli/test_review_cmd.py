"""``accord review ...``: the desk from a terminal, calling the same core as API and UI."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.matching.service import MatchedSignal
from accord.review import service as review
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from accord.store.schema import upgrade
from tests.conftest import CliRun


@pytest.fixture
def matched(database_url: str, settings: Settings) -> list[int]:
    """Agency A shares two md5 signals; Platform B's bea (reviewer) has three pending
    matches, two of them one case (upload-1); bo is B's admin."""
    db = Database(database_url)
    upgrade(db)
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    banks.bank_add(db, op, "a-plain", "Agency A", default_tlp="GREEN")
    bea = service.member_add(db, op, "Platform B", "bea", "reviewer")
    service.member_add(db, op, "Platform B", "bo", "admin")
    actor = Actor(bea.username, bea.partner_id, Role.REVIEWER, bea.id)
    ids = []
    for ref, value, label in (("upload-1", "a", "behaviour:recruitment"),
                              ("upload-1", "b", "behaviour:imminent-credible-threat"),
                              ("upload-2", "c", "behaviour:recruitment")):
        sig = signals.signal_add(db, op, "a-plain", signals.SignalInput(
            "md5", value * 32, tlp="GREEN", labels=(label,)), settings)
        [rec] = review.record_matches(db, actor, ref, [MatchedSignal(
            sig.id, "md5", sig.value, 0, "a-plain", sig.labels, "GREEN", False)])
        ids.append(rec.id)
    db.dispose()
    return ids


def test_the_queue_lists_cases_by_priority_with_counts(cli: CliRun, matched: list[int]
                                                       ) -> None:
    out = cli("--as", "bea", "review", "queue")
    assert out.exit_code == 0, out
    assert "pending: 3" in out.stdout
    assert out.stdout.index("upload-1") < out.stdout.index("upload-2")
    bad = cli("--as", "bea", "review", "queue", "--age", "soon")
    assert bad.exit_code == 2 and "age" in bad.stderr and "Traceback" not in repr(bad)


def test_claim_release_reassign_decide_and_undo(cli: CliRun, matched: list[int]) -> None:
    first = str(matched[0])
    claimed = cli("--as", "bea", "review", "claim", first)
    assert claimed.exit_code == 0 and "claimed by bea until" in claimed.stdout
    assert "back in the queue" in cli("--as", "bea", "review", "release", first).stdout
    refused = cli("--as", "bea", "review", "reassign", first, "bo")
    assert refused.exit_code != 0 and "Traceback" not in repr(refused)
    assert "now claimed by bea" in cli("--as", "bo", "review", "reassign", first, "bea").stdout
    decided = cli("--as", "bea", "review", "decide", first, "reject", "--rationale", "news")
    assert decided.exit_code == 0 and f"accord review undo {first}" in decided.stdout
    assert "undone" in cli("--as", "bea", "review", "undo", first).stdout
    again = cli("--as", "bea", "review", "undo", first)
    assert again.exit_code != 0 and "no verdict to undo" in again.stderr


def test_a_case_is_decided_at_once_and_the_template_is_checked(
    cli: CliRun, matched: list[int]
) -> None:
    done = cli("--as", "bea", "review", "decide-case", "upload-1", "confirm")
    assert done.exit_code == 0 and "2 matches confirmed" in done.stdout
    bad = cli("--as", "bo", "review", "content-url", "http://media.example/{content_ref}")
    assert bad.exit_code == 2 and "https://" in bad.stderr
    ok = cli("--as", "bo", "review", "content-url", "https://media.example/{content_ref}")
    assert ok.exit_code == 0 and "https://media.example/{content_ref}" in ok.stdout
