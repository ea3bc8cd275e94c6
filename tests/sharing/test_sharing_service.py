"""Partners, members, API keys and channels: who may do what."""

from __future__ import annotations

import pytest

from accord import audit
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.sharing import invitations, service
from accord.sharing.roles import Actor, Role
from accord.sharing.visibility import viewer_for
from accord.store import records as r
from accord.store.database import Database


def _admin(db: Database, partner: str, username: str) -> Actor:
    m = service.member_add(db, Actor.operator(), partner, username, "admin")
    return Actor(m.username, m.partner_id, Role.ADMIN, m.id)


@pytest.fixture
def two_partners(db: Database) -> tuple[Actor, Actor]:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform P", "platform", "IE")
    return _admin(db, "Agency A", "ada"), _admin(db, "Platform P", "pat")


def test_only_the_operator_registers_partners(db: Database, two_partners: tuple[Actor, Actor]
                                              ) -> None:
    ada, _ = two_partners
    with pytest.raises(PermissionDenied, match="only the node operator"):
        service.partner_add(db, ada, "Rogue", "ngo", "FR")


def test_an_admin_manages_its_own_partner_only(db: Database,
                                               two_partners: tuple[Actor, Actor]) -> None:
    ada, _ = two_partners
    service.member_add(db, ada, "Agency A", "carl", "curator")
    with pytest.raises(PermissionDenied, match="another partner"):
        service.member_add(db, ada, "Platform P", "mole", "admin")


def test_members_and_partners_are_checked(db: Database, two_partners: tuple[Actor, Actor]
                                          ) -> None:
    op = Actor.operator()
    with pytest.raises(Conflict, match="taken"):
        service.member_add(db, op, "Agency A", "ada", "reader")
    with pytest.raises(Invalid, match="role 'boss' is not known"):
        service.member_add(db, op, "Agency A", "zed", "boss")
    with pytest.raises(Invalid, match="not an ISO 3166-1 alpha-2 code"):
        service.partner_add(db, op, "Y", "ngo", "France")


def test_an_api_key_authenticates_until_revoked(db: Database,
                                                two_partners: tuple[Actor, Actor]) -> None:
    ada, _ = two_partners
    new = service.key_create(db, ada, "ada", "script")
    who = service.key_authenticate(db, new.secret)
    assert (who.name, who.role, who.partner_id) == ("ada", Role.ADMIN, ada.partner_id)
    service.key_revoke(db, ada, str(new.key.id))
    with pytest.raises(PermissionDenied, match="unknown or revoked"):
        service.key_authenticate(db, new.secret)
    with pytest.raises(PermissionDenied):
        service.key_authenticate(db, new.secret + "x")


def test_keys_are_stored_only_as_hashes(db: Database, two_partners: tuple[Actor, Actor]) -> None:
    ada, _ = two_partners
    new = service.key_create(db, ada, "ada")
    with db.reader() as session:
        from sqlalchemy import text

        stored = session.execute(text("SELECT key_hash, prefix FROM api_keys")).one()
    assert new.secret not in stored[0] and stored[0] == service.hash_key(new.secret)
    assert new.secret not in repr(audit.tail(db, 50))


def test_a_channel_owner_invites_and_the_partner_decides_to_join(
    db: Database, two_partners: tuple[Actor, Actor]
) -> None:
    ada, pat = two_partners
    channel = service.channel_add(db, ada, "a-p", "Agency A")
    with pytest.raises(NotFound):  # P is not in a-p, so knows no such channel
        service.channel_join(db, pat, "a-p", "Platform P")
    invited = service.channel_join(db, ada, "a-p", "Platform P")
    assert isinstance(invited, r.ChannelInvitation) and invited.state == "pending"
    joined = invitations.invitation_accept(db, pat, invited.id)
    assert joined.state == "accepted"
    assert service.channel_list(db, pat)[0].partner_ids == (ada.partner_id, pat.partner_id)
    with db.reader() as session:
        viewer = viewer_for(session, pat.partner_id)
    assert viewer.channel_ids == frozenset({channel.id})


@pytest.mark.parametrize("look_alike", [
    "\u0430-p",       # Cyrillic a posing as Latin a
    "A-P",            # another case
    "a_p",            # an underscore for the hyphen
    "\uff41-\uff50",  # full-width letters
    "a\u200b-p",      # a zero-width space inside (not a name at all)
])
def test_a_channel_name_that_looks_like_an_existing_one_is_refused(
    db: Database, two_partners: tuple[Actor, Actor], look_alike: str
) -> None:
    # A partner invited to a look-alike would take it for the channel "a-p" it trusts.
    ada, _ = two_partners
    service.channel_add(db, ada, "a-p", "Agency A")
    with pytest.raises((Conflict, Invalid)) as refused:
        service.channel_add(db, ada, look_alike, "Agency A")
    assert ("looks like the existing channel 'a-p'" in str(refused.value)
            or "is not allowed" in str(refused.value))
    assert service.channel_add(db, ada, "a-q", "Agency A").name == "a-q"


@pytest.mark.parametrize("name", ["²", "٣", "99999999999999999999", "9" * 5000, "-1", "1.5"])
def test_a_name_that_only_looks_like_an_id_is_a_plain_not_found(db: Database, name: str) -> None:
    with db.reader() as session, pytest.raises(NotFound, match="partner"):
        service.find_partner(session, name)
