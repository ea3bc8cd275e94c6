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
    claimed_until: dt.datetime | None = Field(
        default=None, description="When the live claim lapses (None: unclaimed or decided).")
    variant: str | None = Field(
        default=None, description="The variant of an uploaded picture that hit.")


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
    undo_until: dt.datetime | None = Field(
        default=None, description="Until when its reviewer may undo it (POST .../undo); its "
        "webhook events are held until then.")


class ReassignIn(Body):
    """The reviewer an admin hands a match to."""

    member: str = Field(min_length=1, max_length=100, examples=["bea"])


class CaseVerdictIn(Body):
    """One verdict for every pending match of a content_ref (a case)."""

    content_ref: str = Field(min_length=1, max_length=200)
    decision: str = Field(examples=["confirm", "reject"])
    rationale: str = Field(default="", max_length=4000)


class CardOut(BaseModel):
    """A match in the desk, with its context and priority."""

    match: MatchOut
    priority: int
    reasons: list[str]
    signal_status: str
    disputes: int
    opinions: dict[str, int] = Field(description="Other partners' opinions, counted by kind.")
    threshold: int | None
    crisis: bool
    content_url: str | None


class CaseOut(BaseModel):
    """The matches of one content_ref."""

    content_ref: str
    priority: int
    cards: list[CardOut]


class DeskOut(BaseModel):
    """The review desk: cases in order, and the number of matches in every state."""

    cases: list[CaseOut]
    counts: dict[str, int]


class ContentUrlIn(Body):
    """A partner's content-URL template; empty or null turns previews off."""

    template: str | None = Field(default=None, max_length=500,
                                 examples=["https://media.platform.example/{content_ref}"])


class ContentUrlOut(BaseModel):
    """The partner's content-URL template (None: previews off)."""

    template: str | None


class PreviewPreference(Body):
    """A reviewer's own choice to see previews revealed by default."""

    reveal_previews: bool


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


class TrendsOut(BaseModel):
    """Per UTC day, oldest first: matches recorded, verdicts given (undone ones not
    counted) and disputes filed; and the pending queue now. Counted over what the caller
    may see: its partner's matches and verdicts, disputes on signals it may see
    (node-wide for the operator and auditors, ``node_wide``)."""

    days: list[dt.date]
    matches: list[int]
    confirmed: list[int]
    rejected: list[int]
    disputes: list[int]
    pending: int
    oldest_pending_hours: float | None = Field(description="Age of the oldest pending match.")
    median_pending_hours: float | None = Field(description="Median age of pending matches.")
    node_wide: bool
