"""Channel invitations: a partner joins a channel only when its own admin agrees.

Joining a channel makes a partner a recipient of the channel's AMBER traffic and a
name in its directory, so it is never done to a partner without its consent:

| step     | who                                                     | then                     |
|----------|---------------------------------------------------------|--------------------------|
| invite   | an admin of the channel's owner (or the node operator) | a pending invitation     |
| accept   | an admin of the invited partner (or the operator)       | the partner is a member  |
| decline  | an admin of the invited partner (or the operator)       | nothing changes          |
| withdraw | an admin of the channel's owner (or the operator)       | nothing changes          |

Only pending invitations can be decided, and each step is audited. An invitation
is known only to the two partners it concerns (and the operator): to anybody else
its id answers exactly as one that does not exist. The invited partner sees the
channel's name, nothing more, until it accepts. The node operator may still add a
partner directly (``service.channel_join``); a partner's admin who "adds" a partner
invites it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Conflict, NotFound, PermissionDenied, parse_choice
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_channel, find_channel_for, find_partner, staff_name
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

_ADMINS = frozenset({Role.ADMIN})


class InvitationState(StrEnum):
    """Where an invitation stands; only a pending one can be decided."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @classmethod
    def parse(cls, text: str) -> InvitationState:
        """Parse a state name, with a message listing the valid ones."""
        return parse_choice(cls, text, "invitation state")


def _record(actor: Actor, row: m.ChannelInvitation, channel: m.Channel) -> r.ChannelInvitation:
    invited_by = (row.invited_by if row.invited_by_member_id is None
                  else staff_name(actor, channel.owner_partner_id, row.invited_by))
    decider = (channel.owner_partner_id if row.state == InvitationState.WITHDRAWN
               else row.partner_id)
    decided_by = None if row.decided_by is None else staff_name(actor, decider, row.decided_by)
    return r.ChannelInvitation(row.id, channel.id, channel.name, channel.owner_partner_id,
                               row.partner_id, invited_by, row.state, row.created_at,
                               decided_by, row.decided_at)


def _pending(session: Session, channel_id: int, partner_id: int) -> m.ChannelInvitation | None:
    return session.execute(select(m.ChannelInvitation).where(
        m.ChannelInvitation.channel_id == channel_id,
        m.ChannelInvitation.partner_id == partner_id,
        m.ChannelInvitation.state == InvitationState.PENDING.value,
    )).scalars().first()


def _channel_for_inviter(session: Session, actor: Actor, ref: str | int) -> m.Channel:
    """The channel ``actor`` invites into; a partner invited to it, but not yet in it, is
    told to accept instead (it knows the name already); anybody else not in it, NotFound."""
    try:
        return find_channel_for(session, actor, ref)
    except NotFound:
        row = find_channel(session, ref)
        waiting = _pending(session, row.id, actor.partner_id or 0)
        if waiting is None:
            raise
        raise PermissionDenied(
            "{member}'s partner is not in channel {channel!r} yet: a partner joins a "
            "channel by accepting its owner's invitation", member=actor.name, channel=row.name,
            invitation=waiting.id,
            hint="accept it with: accord channel accept {invitation}") from None


def channel_invite(db: Database, actor: Actor, channel: str | int,
                   partner: str | int) -> r.ChannelInvitation:
    """Invite ``partner`` into ``channel`` (an admin of the channel's owner, or the
    operator): a pending invitation, which the partner's own admin accepts or declines."""
    with db.transaction() as session:
        row = _channel_for_inviter(session, actor, channel)
        actor.require_partner(row.owner_partner_id, "invite partners to this channel")
        actor.require(_ADMINS, "invite partners to channels")
        invited = find_partner(session, partner)
        if session.get(m.ChannelMember, (row.id, invited.id)) is not None:
            raise Conflict("partner {partner!r} is already in channel {channel!r}",
                           partner=invited.name, channel=row.name)
        waiting = _pending(session, row.id, invited.id)
        if waiting is not None:
            raise Conflict(
                "partner {partner!r} already has a pending invitation to channel "
                "{channel!r} (invitation {invitation})", partner=invited.name,
                channel=row.name, invitation=waiting.id,
                hint="it joins when its admin accepts; withdraw it with: accord channel "
                "withdraw {invitation}")
        invitation = m.ChannelInvitation(
            channel_id=row.id, partner_id=invited.id, invited_by=actor.name,
            invited_by_member_id=actor.member_id, state=InvitationState.PENDING.value)
        session.add(invitation)
        session.flush()
        audit.record(session, actor, audit.AuditAction.CHANNEL_INVITE, "channel_invitation",
                     invitation.id, {"channel": row.id, "partner": invited.id})
        return _record(actor, invitation, row)


def invitation_list(db: Database, actor: Actor,
                    state: str | None = None) -> list[r.ChannelInvitation]:
    """The invitations ``actor``'s partner sent (as a channel's owner) or received, newest
    first, optionally of one ``state``; every invitation for the operator."""
    query = (select(m.ChannelInvitation, m.Channel)
             .join(m.Channel, m.Channel.id == m.ChannelInvitation.channel_id)
             .order_by(m.ChannelInvitation.id.desc()))
    if state is not None:
        query = query.where(m.ChannelInvitation.state == InvitationState.parse(state).value)
    if not actor.is_operator:
        query = query.where(or_(m.ChannelInvitation.partner_id == actor.partner_id,
                                m.Channel.owner_partner_id == actor.partner_id))
    with db.reader() as session:
        return [_record(actor, inv, chan) for inv, chan in session.execute(query).all()]


def _find(session: Session, actor: Actor,
          invitation_id: int) -> tuple[m.ChannelInvitation, m.Channel]:
    """An invitation ``actor`` may know of, or ``NotFound`` exactly as for a missing one."""
    row = (session.get(m.ChannelInvitation, invitation_id)
           if 0 < invitation_id < 2**31 else None)
    channel = None if row is None else session.get(m.Channel, row.channel_id)
    if row is None or channel is None or not (
            actor.is_operator or actor.partner_id in (row.partner_id, channel.owner_partner_id)):
        raise NotFound("no channel invitation {invitation}", invitation=invitation_id,
                       hint="list yours with: accord channel invitations")
    return row, channel


_VERBS = {InvitationState.ACCEPTED: "accept", InvitationState.DECLINED: "decline",
          InvitationState.WITHDRAWN: "withdraw"}


def _decide(actor: Actor, row: m.ChannelInvitation, partner_id: int, who: str,
            state: InvitationState) -> None:
    if not (actor.is_operator or actor.partner_id == partner_id):
        raise PermissionDenied("{member} may not {verb} invitation {invitation}: "
                               "only {who} may", member=actor.name, verb=_VERBS[state],
                               invitation=row.id, who=who)
    actor.require(_ADMINS, "decide channel invitations")
    if row.state != InvitationState.PENDING:
        raise Conflict("invitation {invitation} is already {state}", invitation=row.id,
                       state=row.state,
                       hint="only a pending invitation can be accepted, declined or withdrawn")
    row.state, row.decided_by, row.decided_at = state.value, actor.name, m.utcnow()


def invitation_accept(db: Database, actor: Actor, invitation_id: int) -> r.ChannelInvitation:
    """Accept an invitation (the invited partner's admin): the partner joins the channel."""
    with db.transaction() as session:
        row, channel = _find(session, actor, invitation_id)
        _decide(actor, row, row.partner_id, "the invited partner's admins",
                InvitationState.ACCEPTED)
        if session.get(m.ChannelMember, (channel.id, row.partner_id)) is None:
            session.add(m.ChannelMember(channel_id=channel.id, partner_id=row.partner_id))
        session.flush()
        details = {"channel": channel.id, "partner": row.partner_id}
        audit.record(session, actor, audit.AuditAction.CHANNEL_INVITATION_ACCEPT,
                     "channel_invitation", row.id, details)
        audit.record(session, actor, audit.AuditAction.CHANNEL_JOIN, "channel", channel.id,
                     {"partner": row.partner_id, "invitation": row.id})
        return _record(actor, row, channel)


def invitation_decline(db: Database, actor: Actor, invitation_id: int) -> r.ChannelInvitation:
    """Decline an invitation (the invited partner's admin): the partner stays out."""
    with db.transaction() as session:
        row, channel = _find(session, actor, invitation_id)
        _decide(actor, row, row.partner_id, "the invited partner's admins",
                InvitationState.DECLINED)
        audit.record(session, actor, audit.AuditAction.CHANNEL_INVITATION_DECLINE,
                     "channel_invitation", row.id,
                     {"channel": channel.id, "partner": row.partner_id})
        return _record(actor, row, channel)


def invitation_withdraw(db: Database, actor: Actor, invitation_id: int) -> r.ChannelInvitation:
    """Withdraw a pending invitation (an admin of the channel's owner)."""
    with db.transaction() as session:
        row, channel = _find(session, actor, invitation_id)
        _decide(actor, row, channel.owner_partner_id,
                "the inviting partner's admins", InvitationState.WITHDRAWN)
        audit.record(session, actor, audit.AuditAction.CHANNEL_INVITATION_WITHDRAW,
                     "channel_invitation", row.id,
                     {"channel": channel.id, "partner": row.partner_id})
        return _record(actor, row, channel)
