"""Plain, frozen records of cooperation objects: the shape in which they leave the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A request between partners, with its answer and time to answer."""

    id: int
    from_partner: str
    to_partner: str
    purpose: str
    refs: tuple[str, ...]
    text: str
    tlp: str
    channel_id: int | None
    status: str
    answer: str | None
    created_by: str
    answered_by: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None

    @property
    def hours_to_answer(self) -> float | None:
        """Hours from sending to answer (or decline); None while open."""
        if self.answered_at is None:
            return None
        return (self.answered_at - self.created_at).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class RequestStatistics:
    """Counts and answer times of the requests sent in a period (for the transparency report)."""

    start: dt.date
    end: dt.date
    sent: int
    answered: int
    declined: int
    open: int
    by_purpose: dict[str, int]
    median_hours_to_answer: float | None
    p90_hours_to_answer: float | None


@dataclass(frozen=True, slots=True)
class AgendaItemRecord:
    """An agenda item and the Accord object it is about."""

    id: int
    title: str
    ref: str | None


@dataclass(frozen=True, slots=True)
class ActionItemRecord:
    """An action item: who owns it, by when, where it stands."""

    id: int
    dialogue_id: int
    title: str
    owner_partner: str
    due_on: dt.date
    status: str
    closed_at: dt.datetime | None

    def overdue(self, today: dt.date) -> bool:
        """True when still open past its due date."""
        return self.status == "open" and self.due_on < today


@dataclass(frozen=True, slots=True)
class DialogueRecord:
    """A dialogue round with its partners, agenda and action items."""

    id: int
    title: str
    level: str
    held_on: dt.date
    venue: str
    owner_partner: str
    partners: tuple[str, ...]
    tlp: str
    channel_id: int | None
    agenda: tuple[AgendaItemRecord, ...]
    actions: tuple[ActionItemRecord, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeRecord:
    """A capacity-building programme."""

    id: int
    title: str
    owner_partner: str
    beneficiary: str
    donors: tuple[str, ...]
    area: str
    starts_on: dt.date
    ends_on: dt.date
    indicators: tuple[str, ...]
    status: str
    tlp: str
    channel_id: int | None
    assessment: str | None
    assessed_by: str | None
    assessed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DesignationRow:
    """One source's designation of an entity, for the side-by-side view."""

    source: str
    source_partner: str | None
    reference: str
    listed_on: dt.date | None
    delisted_on: dt.date | None

    @property
    def status(self) -> str:
        """``listed`` or ``delisted``."""
        return "delisted" if self.delisted_on is not None else "listed"


@dataclass(frozen=True, slots=True)
class DesignationView:
    """Who designates an entity, since when, on what source, who delisted: never resolved."""

    ref: str
    name: str
    rows: tuple[DesignationRow, ...]
    listed_by: tuple[str, ...]
    delisted_by: tuple[str, ...]

    @property
    def divergent(self) -> bool:
        """True when sources disagree (some list it, others delisted it or never did)."""
        return bool(self.listed_by) and bool(self.delisted_by)


@dataclass(frozen=True, slots=True)
class AutoActionPolicy:
    """A partner's auto-action policy: the designation sources it accepts, and whether it
    consents to auto-action of its own matches (off until its admin turns it on)."""

    sources: tuple[str, ...]
    allow_auto_action: bool
