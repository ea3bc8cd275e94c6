"""Plain, frozen records: the only shape in which stored data leaves the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Partner:
    """An organisation taking part: agency, platform, NGO or research body."""

    id: int
    name: str
    kind: str
    country: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A person on a partner's staff who signs in to this node."""

    id: int
    partner_id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key's stored facts (never the key itself)."""

    id: int
    member_id: int
    prefix: str
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A freshly created key: ``secret`` is shown once and stored only as a hash."""

    key: ApiKey
    secret: str


@dataclass(frozen=True, slots=True)
class Channel:
    """A named sharing group of partners."""

    id: int
    name: str
    description: str
    owner_partner_id: int
    partner_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ChannelInvitation:
    """A channel owner's invitation to a partner, as the asker may see it: the invited
    partner learns the channel's name (not its members or description); other partners'
    staff names read as ``sharing.service.OTHER_STAFF``."""

    id: int
    channel_id: int
    channel_name: str
    owner_partner_id: int
    partner_id: int
    invited_by: str
    state: str
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Bank:
    """A list of signals owned by one partner."""

    id: int
    name: str
    owner_partner_id: int
    description: str
    default_tlp: str
    channel_id: int | None
    auto_action: bool
    negative: bool
    pdq_threshold: int | None
    signal_count: int = 0
    tmk_threshold: int | None = None
    match_variants: str | None = None
    matching_enabled: bool = True


@dataclass(frozen=True, slots=True)
class Signal:
    """One shared signal with its labels, marking and provenance."""

    id: int
    bank_id: int
    owner_partner_id: int
    signal_type: str
    value: str
    quality: int | None
    tlp: str
    channel_id: int | None
    contributor: str
    rationale: str
    source_ref: str
    status: str
    labels: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    preprocessing: str | None = None


@dataclass(frozen=True, slots=True)
class Opinion:
    """A partner's feedback on a signal."""

    id: int
    signal_id: int
    partner_id: int
    author: str
    kind: str
    note: str
    updated_at: dt.datetime
    label: str | None = None
    """The one of the signal's labels a disagreement disputes (None: the signal as a whole)."""


@dataclass(frozen=True, slots=True)
class LabelVersion:
    """One version of a signal's labels: who set them, when and why."""

    signal_id: int
    version: int
    labels: tuple[str, ...]
    actor: str
    reason: str
    created_at: dt.datetime
    proposal_id: int | None = None
    source_version: str | None = None


@dataclass(frozen=True, slots=True)
class DisputeMessage:
    """One message in a dispute's thread, between the signal's owner and the disputer."""

    id: int
    opinion_id: int
    partner_id: int
    author: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class LabelProposal:
    """A partner's proposed change to a signal's labels, and the owner's answer."""

    id: int
    signal_id: int
    partner_id: int
    author: str
    add: tuple[str, ...]
    remove: tuple[str, ...]
    reason: str
    status: str
    answer: str
    answered_by: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DesignationRecord:
    """One designation of an entity by one source (a list), with its dates."""

    source: str
    reference: str
    listed_on: dt.date | None
    delisted_on: dt.date | None


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """Another name of an entity, in a given script (ISO 15924 code)."""

    name: str
    script: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An organisation (never a person) with its aliases and designations."""

    id: int
    ref: str
    name: str
    aliases: tuple[AliasRecord, ...]
    designations: tuple[DesignationRecord, ...]
