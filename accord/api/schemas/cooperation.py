"""Bodies of the cooperation routes: requests, liaison, programmes, auto-action policy."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from accord.api.schemas import Body

Name = Field(min_length=1, max_length=200)


class RequestIn(Body):
    """A request to another partner: a typed purpose about Accord objects, never a person."""

    to: str = Field(min_length=1, max_length=200, description="The partner asked.")
    purpose: str = Field(max_length=60, examples=["clarify-designation-basis"])
    refs: list[str] = Field(max_length=20, examples=[["entity:qde-004"]],
                            description="TYPE:KEY of Accord objects (entity, incident, flow, "
                            "bank, signal, programme); at least one, of the kind the purpose "
                            "needs.")
    text: str = Field(default="", max_length=4000,
                      description="A short note; refused if it looks like personal data.")
    tlp: str = Field(default="AMBER+STRICT", max_length=20)
    channel: str | None = Field(default=None, max_length=200)


class AnswerIn(Body):
    """An answer to a request, or a decline saying why."""

    answer: str = Field(min_length=1, max_length=4000)
    decline: bool = False


class DialogueIn(Body):
    """A dialogue round between the caller's partner and others."""

    title: str = Field(min_length=1, max_length=300)
    level: str = Field(max_length=30, examples=["senior-officials"])
    held_on: dt.date
    partners: list[str] = Field(min_length=1, max_length=50)
    venue: str = Field(default="", max_length=200)
    tlp: str = Field(default="AMBER", max_length=20)
    channel: str | None = Field(default=None, max_length=200)


class AgendaIn(Body):
    """An agenda item, optionally about an Accord object."""

    title: str = Field(min_length=1, max_length=300)
    ref: str | None = Field(default=None, max_length=200, examples=["entity:qde-004"])


class ActionIn(Body):
    """An action item owned by one of the dialogue's partners."""

    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=200)
    due_on: dt.date


class StatusIn(Body):
    """A new status."""

    status: str = Field(max_length=30)


class ProgrammeIn(Body):
    """A capacity-building programme led by the caller's partner."""

    title: str = Field(min_length=1, max_length=300)
    beneficiary: str = Field(min_length=1, max_length=200)
    area: str = Field(max_length=40, examples=["online-content"])
    starts_on: dt.date
    ends_on: dt.date
    donors: list[str] = Field(default_factory=list, max_length=50)
    indicators: list[str] = Field(default_factory=list, max_length=30)
    tlp: str = Field(default="AMBER", max_length=20)
    channel: str | None = Field(default=None, max_length=200)


class AssessmentIn(Body):
    """The human-rights due-diligence assessment's summary."""

    summary: str = Field(min_length=1, max_length=4000)


class PolicyIn(Body):
    """Designation sources the caller's partner accepts for auto-action (empty: default)."""

    sources: list[str] = Field(default_factory=list, max_length=50, examples=[["UN-SC"]])
    allow_auto_action: bool | None = Field(
        None, description="Whether matches of the caller's partner may be auto-actioned at all "
        "(where the bank's owner opted in too); omitted: unchanged. A new partner does not "
        "consent.")
