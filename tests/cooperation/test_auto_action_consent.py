"""Auto-action needs the requesting partner's own consent, not only the bank owner's.

Agency North opts a GREEN bank into auto-action and shares a UN-listed group's hash in
it. Whether a match of that hash is auto-actioned for a partner depends on that
partner's own policy: it consents, and it accepts the label's designation source.
A government cannot switch off a platform's (or another agency's, or an NGO's) human
review by opting its bank in.
"""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.cooperation import designations
from accord.curation import banks, signals
from accord.errors import PermissionDenied
from accord.matching.service import MatchedSignal
from accord.review import service as review
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun
from tests.cooperation.conftest import CoopNode, member

REQUESTERS = {  # partner -> kind, as the coop fixture and the NGO below register them
    "Agency North": "agency", "Agency South": "agency", "Platform P": "platform",
    "Watch NGO": "ngo",
}


def _un_listed_hash(db: Database, coop: CoopNode, settings: Settings) -> MatchedSignal:
    banks.bank_add(db, Actor.operator(), "north-auto", "Agency North", default_tlp="GREEN",
                   auto_action=True)
    sig = signals.signal_add(db, coop.north_curator, "north-auto", signals.SignalInput(
        "md5", "7" * 32, labels=("entity:qde-901",)), settings)
    return MatchedSignal(sig.id, "md5", sig.value, 0, "north-auto", sig.labels, sig.tlp, False)


def _state_for(db: Database, partner: str, hit: MatchedSignal, n: int) -> str:
    requester = member(db, partner, f"req{n}-{partner.split()[1].lower()}", "reader")
    [rec] = review.record_matches(db, requester, f"upload-{n}", [hit])
    return rec.state


@pytest.fixture
def hit(db: Database, coop: CoopNode, settings: Settings) -> MatchedSignal:
    service.partner_add(db, Actor.operator(), "Watch NGO", "ngo", "KE")
    return _un_listed_hash(db, coop, settings)


def test_without_its_own_consent_no_partner_is_auto_actioned_even_in_an_opted_in_bank(
    db: Database, hit: MatchedSignal
) -> None:
    # The bank's owner opted in; nobody else did. On the old rule every partner below was
    # auto-actioned (the owner's switch alone decided): now every match goes to review.
    states = {p: _state_for(db, p, hit, n) for n, p in enumerate(REQUESTERS)}
    assert states == dict.fromkeys(REQUESTERS, "pending")


@pytest.mark.parametrize("partner", list(REQUESTERS))
def test_a_consenting_partner_of_any_kind_is_auto_actioned_on_a_source_it_accepts(
    db: Database, hit: MatchedSignal, partner: str
) -> None:
    designations.policy_set(db, Actor.operator(), partner, ["UN-SC"], allow_auto_action=True)
    assert _state_for(db, partner, hit, 1) == "auto-actioned"
    others = [p for p in REQUESTERS if p != partner]
    assert {p: _state_for(db, p, hit, 2 + n) for n, p in enumerate(others)} == dict.fromkeys(
        others, "pending")


def test_consent_covers_only_the_sources_the_requester_itself_accepts(
    db: Database, hit: MatchedSignal
) -> None:
    # Platform P consents but accepts only the EU list (which delisted the group): the
    # UN listing the bank owner relies on is not one the platform chose.
    designations.policy_set(db, Actor.operator(), "Platform P", ["EU"], allow_auto_action=True)
    assert _state_for(db, "Platform P", hit, 1) == "pending"
    designations.policy_set(db, Actor.operator(), "Platform P", ["EU", "UN-SC"])
    assert _state_for(db, "Platform P", hit, 2) == "auto-actioned"  # consent kept
    designations.policy_set(db, Actor.operator(), "Platform P", ["UN-SC"],
                            allow_auto_action=False)
    assert _state_for(db, "Platform P", hit, 3) == "pending"


def test_only_the_partners_own_admins_or_the_operator_set_its_consent(
    db: Database, coop: CoopNode, hit: MatchedSignal
) -> None:
    with pytest.raises(PermissionDenied):  # North's admin cannot consent for the platform
        designations.policy_set(db, coop.north_admin, "Platform P", [], allow_auto_action=True)
    platform_admin = member(db, "Platform P", "pam", "admin")
    policy = designations.policy_set(db, platform_admin, "Platform P", [],
                                     allow_auto_action=True)
    assert (policy.sources, policy.allow_auto_action) == (("UN-SC",), True)
    assert designations.policy_get(db, "Platform P") == policy
    assert designations.policy_get(db, "Agency South").allow_auto_action is False


def test_the_policy_from_the_command_line(cli: CliRun) -> None:
    assert cli("partner", "add", "Platform P", "--kind", "platform", "--country", "IE"
               ).exit_code == 0
    shown = cli("policy", "show", "Platform P")
    assert shown.exit_code == 0
    assert "Auto-action of Platform P's matches: not allowed" in shown.stdout
    allowed = cli("policy", "set", "Platform P", "--source", "UN-SC", "--allow-auto-action")
    assert allowed.exit_code == 0, allowed.stderr
    assert "matches: allowed; accepted sources: UN-SC" in allowed.stdout
    assert "matches: allowed" in cli("policy", "set", "Platform P", "--source", "EU").stdout
    off = cli("policy", "set", "Platform P", "--no-auto-action")
    assert "not allowed" in off.stdout and "accepted sources: UN-SC" in off.stdout
