"""Bodies of the review and webhook routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.schemas import Body


class MatchOut(BaseModel):
    """A recorded match awaiting (or past) review."""

    id: int
    requester_partner_id: int
    content_ref: str
    signal_id: int
    signal_type: str
    value: str
    distance: int
    bank: str
    labels: list[str]
    negative: bool
    state: str
    claimed_by: str | None
    created_at: dt.datetime
    query_id: str


class VerdictIn(Body):
    """A reviewer's decision."""

    decision: str = Field(examples=["confirm", "reject"])
    rationale: str = Field(default="", max_length=4000)
    false_positive: bool = Field(
        default=False, description="With reject: file a false-positive opinion on the signal, "
        "which its contributor sees.")


class VerdictOut(BaseModel):
    """A recorded decision."""

    id: int
    match_id: int
    reviewer: str
    decision: str
    rationale: str
    false_positive: bool
    state: str
    created_at: dt.datetime


class WebhookIn(Body):
    """A webhook of the caller's partner."""

    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=lambda: ["*"], max_length=20)


class WebhookOut(BaseModel):
    """A webhook (its secret is only in the creation response)."""

    id: int
    partner_id: int
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime


class WebhookCreated(BaseModel):
    """A new webhook and its signing secret, shown this once."""

    webhook: WebhookOut
    secret: str


class DeliveryOut(BaseModel):
    """One delivery of an event to a webhook."""

    id: int
    webhook_id: int
    event: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
