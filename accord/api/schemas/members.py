"""Bodies of the member routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class MemberOut(BaseModel):
    """A member of the caller's partner (never its password or keys)."""

    id: int
    partner_id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: dt.datetime
