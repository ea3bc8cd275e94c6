"""Bodies of the label edit, dispute thread and proposal routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.schemas import Body


class LabelsSet(Body):
    """A signal's new labels, replacing all of its labels."""

    labels: list[str] = Field(max_length=100, examples=[["content:video", "behaviour:threat"]])
    reason: str = Field(default="", max_length=4000)


class LabelVersionOut(BaseModel):
    """One version of a signal's labels."""

    signal_id: int
    version: int
    labels: list[str]
    actor: str
    reason: str
    created_at: dt.datetime
    proposal_id: int | None
    source_version: str | None


class MessageCreate(Body):
    """A message in a dispute's thread."""

    text: str = Field(max_length=2000)


class MessageOut(BaseModel):
    """A message in a dispute's thread."""

    id: int
    opinion_id: int
    partner_id: int
    author: str
    text: str
    created_at: dt.datetime


class ProposalCreate(Body):
    """A proposed change to another partner's signal's labels."""

    add: list[str] = Field(default_factory=list, max_length=100)
    remove: list[str] = Field(default_factory=list, max_length=100)
    reason: str = Field(max_length=4000)


class ProposalAnswer(Body):
    """The owner's note on accepting, or reason for refusing, a proposal."""

    reason: str = Field(default="", max_length=4000)


class ProposalOut(BaseModel):
    """A label proposal and its outcome."""

    id: int
    signal_id: int
    partner_id: int
    author: str
    add: list[str]
    remove: list[str]
    reason: str
    status: str
    answer: str
    answered_by: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None
