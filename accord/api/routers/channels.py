"""Channels and their invitations: a partner joins a channel only when its admin accepts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from accord.api.deps import ActorDep, IdPath, NodeDep
from accord.api.schemas.channels import ChannelOut, InvitationCreate, InvitationOut
from accord.sharing import invitations, service

router = APIRouter(prefix="/api/v1", tags=["channels"])
State = Literal["pending", "accepted", "declined", "withdrawn"]


@router.get("/channels", response_model=list[ChannelOut])
def list_channels(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The channels the caller's partner belongs to, by name (no other partner's)."""
    return [asdict(c) for c in service.channel_list(node.db, actor)]


@router.post("/channels/{channel_id}/invitations", response_model=InvitationOut,
             status_code=201)
def invite(channel_id: IdPath, body: InvitationCreate, node: NodeDep,
           actor: ActorDep) -> dict[str, Any]:
    """Invite a partner into a channel the caller's partner owns (its admins): a pending
    invitation; the partner joins only when its own admin accepts."""
    return asdict(invitations.channel_invite(node.db, actor, channel_id, body.partner))


@router.get("/channel-invitations", response_model=list[InvitationOut])
def list_invitations(node: NodeDep, actor: ActorDep,
                     state: Annotated[State | None, Query()] = None) -> list[dict[str, Any]]:
    """The invitations the caller's partner sent or received, newest first."""
    return [asdict(i) for i in invitations.invitation_list(node.db, actor, state)]


@router.post("/channel-invitations/{invitation_id}/accept", response_model=InvitationOut)
def accept(invitation_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Accept an invitation (the invited partner's admins): the partner joins the channel
    and receives its AMBER signals."""
    return asdict(invitations.invitation_accept(node.db, actor, invitation_id))


@router.post("/channel-invitations/{invitation_id}/decline", response_model=InvitationOut)
def decline(invitation_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Decline an invitation (the invited partner's admins)."""
    return asdict(invitations.invitation_decline(node.db, actor, invitation_id))


@router.post("/channel-invitations/{invitation_id}/withdraw", response_model=InvitationOut)
def withdraw(invitation_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Withdraw a pending invitation (the inviting partner's admins)."""
    return asdict(invitations.invitation_withdraw(node.db, actor, invitation_id))
