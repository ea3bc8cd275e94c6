"""FastAPI dependencies: the worker's state, the authenticated actor, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from accord.api.state import ApiState
from accord.errors import PermissionDenied
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer

# Async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a hop
# that cost more than the whole match. These only touch the store on a cache miss.


async def get_state(request: Request) -> ApiState:
    """This worker's ``ApiState``."""
    state: ApiState = request.app.state.accord
    return state


async def get_actor(
    state: Annotated[ApiState, Depends(get_state)],
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    """The member behind the request's bearer key (401 without a valid one)."""
    return state.keys.actor(authorization)


async def get_viewer(state: Annotated[ApiState, Depends(get_state)],
               actor: Annotated[Actor, Depends(get_actor)]) -> Viewer:
    """What the caller's partner may see."""
    if actor.partner_id is None:  # keys belong to members, so this means a broken store
        raise PermissionDenied("this key belongs to no partner")
    return state.viewer(actor.partner_id)


# Row ids are INTEGER columns, 32-bit on PostgreSQL: a larger number names no row, and the
# database refuses to compare with one ("integer out of range", so a 500 rather than a 404).
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
AfterQuery = Annotated[int, Query(ge=0, le=MAX_ID)]

StateDep = Annotated[ApiState, Depends(get_state)]
ActorDep = Annotated[Actor, Depends(get_actor)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


async def caller(request: Request) -> tuple[ApiState, Actor, Viewer]:
    """State, actor and viewer in one step, for the hot routes that skip FastAPI's
    dependency solver (about half a millisecond a request on these machines)."""
    state = await get_state(request)
    actor = state.keys.actor(request.headers.get("authorization"))
    return state, actor, await get_viewer(state, actor)
