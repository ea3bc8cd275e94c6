"""Joining a channel needs the joining partner's consent: invite, then accept or decline.

Agency A owns channel ``a-p`` and its AMBER bank; Platform P is invited; Outsider O is
neither. Each step is audited, and an invitation is known to A, P and the operator only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import inspect

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.errors import AccordError, Conflict, NotFound, PermissionDenied
from accord.sharing import invitations, service
from accord.sharing.roles import Actor, Role
from accord.store import records as r
from accord.store.database import Database
from accord.store.schema import current_revision, head_revision
from tests.migrations import migrate

OP = Actor.operator()
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


@dataclass(frozen=True)
class Node:
    db: Database
    ada: Actor  # Agency A's admin: A owns channel a-p
    pat: Actor  # Platform P's admin: P is the partner invited
    pia: Actor  # Platform P's reader
    ola: Actor  # Outsider O's admin: in nothing


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    made = service.member_add(db, OP, partner, username, role)
    return Actor(made.username, made.partner_id, Role(role), made.id)


@pytest.fixture
def node(db: Database, settings: Settings) -> Node:
    for name, kind in (("Agency A", "agency"), ("Platform P", "platform"),
                       ("Outsider O", "ngo")):
        service.partner_add(db, OP, name, kind, "FR")
    service.channel_add(db, OP, "a-p", "Agency A", "A's AMBER hashes")
    banks.bank_add(db, OP, "a-amber", "Agency A", default_tlp="AMBER", channel="a-p")
    signals.signal_add(db, OP, "a-amber", signals.SignalInput("md5", MD5), settings)
    return Node(db, _member(db, "Agency A", "ada", "admin"),
                _member(db, "Platform P", "pat", "admin"),
                _member(db, "Platform P", "pia", "reader"),
                _member(db, "Outsider O", "ola", "admin"))


def _amber_seen_by(node: Node, actor: Actor) -> list[str]:
    return [s.value for s in signals.signal_list(node.db, actor)]


def _invite(node: Node) -> r.ChannelInvitation:
    return invitations.channel_invite(node.db, node.ada, "a-p", "Platform P")


def test_a_partner_admin_adding_a_partner_only_invites_it(node: Node) -> None:
    # Before consent was needed, ada's "add" made Platform P a member at once, and a
    # recipient of the channel's AMBER signals without ever agreeing.
    made = service.channel_join(node.db, node.ada, "a-p", "Platform P")
    assert isinstance(made, r.ChannelInvitation)
    assert (made.channel_name, made.partner_id, made.state) == ("a-p", node.pat.partner_id,
                                                                "pending")
    assert [c.name for c in service.channel_list(node.db, node.pat)] == []
    assert _amber_seen_by(node, node.pat) == []
    accepted = invitations.invitation_accept(node.db, node.pat, made.id)
    assert accepted.state == "accepted" and accepted.decided_by == "pat"
    assert [c.name for c in service.channel_list(node.db, node.pat)] == ["a-p"]
    assert _amber_seen_by(node, node.pat) == [MD5]


def test_the_operator_still_adds_a_partner_directly(node: Node) -> None:
    made = service.channel_join(node.db, OP, "a-p", "Platform P")
    assert isinstance(made, r.Channel) and node.pat.partner_id in made.partner_ids
    assert invitations.invitation_list(node.db, OP) == []


def test_a_partner_cannot_join_itself_to_another_partners_channel(node: Node) -> None:
    with pytest.raises(NotFound, match="no channel 'a-p'"):  # it does not know of a-p
        service.channel_join(node.db, node.pat, "a-p", "Platform P")
    made = _invite(node)
    with pytest.raises(PermissionDenied, match="accepting") as told:
        service.channel_join(node.db, node.pat, "a-p", "Platform P")
    assert told.value.hint == f"accept it with: accord channel accept {made.id}"
    assert _amber_seen_by(node, node.pat) == []


def test_the_invited_partner_sees_the_channels_name_only(node: Node) -> None:
    made = _invite(node)
    seen = invitations.invitation_list(node.db, node.pia)
    assert [(i.id, i.channel_name, i.invited_by) for i in seen] == [
        (made.id, "a-p", service.OTHER_STAFF)]
    assert [i.invited_by for i in invitations.invitation_list(node.db, node.ada)] == ["ada"]


def test_declining_keeps_the_partner_out(node: Node) -> None:
    made = _invite(node)
    declined = invitations.invitation_decline(node.db, node.pat, made.id)
    assert declined.state == "declined" and declined.decided_at is not None
    assert _amber_seen_by(node, node.pat) == []
    with pytest.raises(Conflict, match=f"invitation {made.id} is already declined"):
        invitations.invitation_accept(node.db, node.pat, made.id)
    assert _invite(node).state == "pending"  # the owner may ask again later


def test_the_inviter_withdraws_a_pending_invitation(node: Node) -> None:
    made = _invite(node)
    with pytest.raises(PermissionDenied, match="only the inviting partner's admins"):
        invitations.invitation_withdraw(node.db, node.pat, made.id)
    assert invitations.invitation_withdraw(node.db, node.ada, made.id).state == "withdrawn"
    with pytest.raises(Conflict, match="already withdrawn"):
        invitations.invitation_accept(node.db, node.pat, made.id)
    assert _amber_seen_by(node, node.pat) == []
    assert invitations.invitation_list(node.db, node.pat, "pending") == []


def test_a_second_invitation_or_one_to_a_member_is_a_conflict(node: Node) -> None:
    made = _invite(node)
    with pytest.raises(Conflict, match=f"pending invitation .*invitation {made.id}"):
        _invite(node)
    invitations.invitation_accept(node.db, node.pat, made.id)
    with pytest.raises(Conflict, match="'Platform P' is already in channel 'a-p'"):
        _invite(node)
    with pytest.raises(Conflict, match="'Agency A' is already in channel 'a-p'"):
        invitations.channel_invite(node.db, node.ada, "a-p", "Agency A")


def test_only_the_invited_partners_admins_decide(node: Node) -> None:
    made = _invite(node)
    with pytest.raises(PermissionDenied, match="role reader"):
        invitations.invitation_accept(node.db, node.pia, made.id)
    with pytest.raises(PermissionDenied, match="only the invited partner's admins"):
        invitations.invitation_accept(node.db, node.ada, made.id)  # no consent for P
    with pytest.raises(PermissionDenied, match="role reader"):
        invitations.invitation_decline(node.db, node.pia, made.id)
    assert _amber_seen_by(node, node.pat) == []


def test_only_the_channel_owners_admins_invite(node: Node) -> None:
    invitations.invitation_accept(node.db, node.pat, _invite(node).id)
    with pytest.raises(PermissionDenied, match="another partner"):  # a member, not owner
        invitations.channel_invite(node.db, node.pat, "a-p", "Outsider O")
    rex = _member(node.db, "Agency A", "rex", "reader")
    with pytest.raises(PermissionDenied, match="role reader"):
        invitations.channel_invite(node.db, rex, "a-p", "Outsider O")


Decide = Callable[[Database, Actor, int], r.ChannelInvitation]


def _answer(node: Node, act: Decide, invitation_id: int) -> tuple[str, str, str | None]:
    with pytest.raises(AccordError) as caught:
        act(node.db, node.ola, invitation_id)
    return type(caught.value).__name__, caught.value.message, caught.value.hint


def test_other_partners_find_an_invitation_exactly_as_a_missing_one(node: Node) -> None:
    made = _invite(node)
    missing = made.id + 1000
    for act in (invitations.invitation_accept, invitations.invitation_decline,
                invitations.invitation_withdraw):
        hidden, absent = _answer(node, act, made.id), _answer(node, act, missing)
        assert hidden == tuple(
            a.replace(str(missing), str(made.id)) if isinstance(a, str) else a
            for a in absent)
        assert hidden[0] == "NotFound"
    with pytest.raises(NotFound, match="no channel 'a-p'"):
        invitations.channel_invite(node.db, node.ola, "a-p", "Outsider O")
    assert invitations.invitation_list(node.db, node.ola) == []
    assert [i.id for i in invitations.invitation_list(node.db, OP)] == [made.id]


def test_every_step_is_audited(node: Node) -> None:
    first = _invite(node)
    invitations.invitation_decline(node.db, node.pat, first.id)
    second = _invite(node)
    invitations.invitation_withdraw(node.db, node.ada, second.id)
    third = _invite(node)
    invitations.invitation_accept(node.db, node.pat, third.id)
    events = [(e.actor, e.action, e.object_type, e.object_id)
              for e in audit.tail(node.db, 7)]
    channel = str(service.channel_list(node.db, OP)[0].id)
    assert events == [
        ("ada", "channel.invite", "channel_invitation", str(first.id)),
        ("pat", "channel.invitation.decline", "channel_invitation", str(first.id)),
        ("ada", "channel.invite", "channel_invitation", str(second.id)),
        ("ada", "channel.invitation.withdraw", "channel_invitation", str(second.id)),
        ("ada", "channel.invite", "channel_invitation", str(third.id)),
        ("pat", "channel.invitation.accept", "channel_invitation", str(third.id)),
        ("pat", "channel.join", "channel", channel),
    ]
    assert audit.verify(node.db).first_bad_seq is None


def test_migration_0016_downgrades_and_upgrades_again(node: Node) -> None:
    _invite(node)
    migrate(node.db, "0015_label_versions", down=True)
    assert "channel_invitations" not in inspect(node.db.engine).get_table_names()
    assert "a-p" in [c.name for c in service.channel_list(node.db, OP)]  # channels kept
    migrate(node.db, "head")
    assert current_revision(node.db) == head_revision()
    assert invitations.invitation_list(node.db, OP) == []
    assert _invite(node).state == "pending"
