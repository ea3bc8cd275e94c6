"""FastAPI dependencies: the worker's state, the authenticated actor, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from accord.api.state import ApiState
from accord.errors import PermissionDenied
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer


def get_state(request: Request) -> ApiState:
    """This worker's ``ApiState``."""
    state: ApiState = request.app.state.accord
    return state


def get_actor(
    state: Annotated[ApiState, Depends(get_state)],
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    """The member behind the request's bearer key (401 without a valid one)."""
    return state.keys.actor(authorization)


def get_viewer(state: Annotated[ApiState, Depends(get_state)],
               actor: Annotated[Actor, Depends(get_actor)]) -> Viewer:
    """What the caller's partner may see."""
    if actor.partner_id is None:  # keys belong to members, so this means a broken store
        raise PermissionDenied("this key belongs to no partner")
    return state.viewer(actor.partner_id)


StateDep = Annotated[ApiState, Depends(get_state)]
ActorDep = Annotated[Actor, Depends(get_actor)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
