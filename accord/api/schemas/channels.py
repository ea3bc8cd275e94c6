"""Bodies of the channel and channel-invitation routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.schemas import Body


class ChannelOut(BaseModel):
    """A channel the caller's partner belongs to, with its member partners' ids."""

    id: int
    name: str
    description: str
    owner_partner_id: int
    partner_ids: list[int]


class InvitationCreate(Body):
    """Whom a channel's owner invites: a partner's name or id."""

    partner: str = Field(min_length=1, max_length=200)


class InvitationOut(BaseModel):
    """A channel invitation as the caller may see it: the invited partner learns the
    channel's name only; other partners' staff read as "another partner"."""

    id: int
    channel_id: int
    channel_name: str
    owner_partner_id: int
    partner_id: int
    invited_by: str
    state: str = Field(description="pending, accepted, declined or withdrawn")
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
