"""The caller's partner's members: list, deactivate, reactivate (its admins)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path

from accord.api.deps import ActorDep, NodeDep
from accord.api.schemas.members import MemberOut
from accord.errors import Invalid
from accord.sharing import accounts

router = APIRouter(prefix="/api/v1", tags=["members"])
Username = Annotated[str, Path(min_length=1, max_length=100)]


def _partner(actor: ActorDep) -> int:
    if actor.partner_id is None:  # keys belong to members, so this means a broken store
        raise Invalid("only a partner's member may manage members through the API")
    return actor.partner_id


@router.get("/members", response_model=list[MemberOut])
def list_members(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The members of the caller's partner, by username."""
    return [asdict(m) for m in accounts.member_list(node.db, actor, _partner(actor))]


@router.post("/members/{username}/deactivate", response_model=MemberOut)
def deactivate_member(username: Username, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Deactivate a member of the caller's partner (admins): its sessions end, it cannot
    sign in, and its API keys stop working."""
    _partner(actor)
    return asdict(accounts.member_set_active(node.db, actor, username, False))


@router.post("/members/{username}/reactivate", response_model=MemberOut)
def reactivate_member(username: Username, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Reactivate a deactivated member of the caller's partner (admins)."""
    _partner(actor)
    return asdict(accounts.member_set_active(node.db, actor, username, True))
