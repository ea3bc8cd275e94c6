"""Bodies of the bank, signal and opinion routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.schemas import Body

_VARIANTS = ("Which variants of an uploaded picture may hit this bank's PDQ signals: "
             "variant names or groups (plain, dihedral, unletterbox, crops, all), "
             "comma-separated; null or 'default': the node's default "
             "(docs/matching-quality.md).")


class BankCreate(Body):
    """A new bank of the caller's partner."""

    name: str = Field(max_length=100)
    default_tlp: str = "AMBER"
    channel: str | None = None
    description: str = Field(default="", max_length=4000)
    negative: bool = False
    auto_action: bool = False
    pdq_threshold: int | None = Field(default=None, ge=0, le=128)
    tmk_threshold: int | None = Field(
        default=None, ge=0, le=2000,
        description="tmk distance limit: level-1 and level-2 scores >= 1 - t/1000.")
    match_variants: str | None = Field(default=None, max_length=300, description=_VARIANTS)


class BankMatching(Body):
    """How uploads match a bank; a field left out stays as it is, null resets it."""

    match_variants: str | None = Field(default=None, max_length=300, description=_VARIANTS)
    pdq_threshold: int | None = Field(default=None, ge=0, le=128)
    tmk_threshold: int | None = Field(
        default=None, ge=0, le=2000,
        description="tmk distance limit: level-1 and level-2 scores >= 1 - t/1000.")
    matching_enabled: bool = Field(default=True, description="False: none of the bank's "
                                   "signals matches an upload until it is switched on.")


class BankOut(BaseModel):
    """A bank."""

    id: int
    name: str
    owner_partner_id: int
    description: str
    default_tlp: str
    channel_id: int | None
    auto_action: bool
    negative: bool
    pdq_threshold: int | None
    signal_count: int
    tmk_threshold: int | None = None
    match_variants: str | None = Field(description="The bank's own query variants; null: "
                                       "the node's default (docs/matching-quality.md).")
    matching_enabled: bool = Field(default=True, description="False: none of its signals "
                                   "matches an upload (they stay, shared and synced).")


class SignalCreate(Body):
    """A new signal."""

    signal_type: str = Field(max_length=30)
    value: str = Field(max_length=1_000_000)
    quality: int | None = Field(default=None, ge=0, le=100)
    labels: list[str] = Field(default_factory=list, max_length=50)
    tlp: str | None = None
    rationale: str = Field(default="", max_length=4000)
    source_ref: str = Field(default="", max_length=500)
    preprocessing: str = Field(
        default="", max_length=200, description="What was done to the content before it was "
        "hashed, e.g. 'unletterboxed 640x480: top 60, bottom 60, left 0, right 0'.")


class SignalOut(BaseModel):
    """A signal with its labels, marking and provenance."""

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
    labels: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    preprocessing: str | None = None


class SignalPage(BaseModel):
    """A page of signals; pass ``next_after`` as ``after`` for the next page."""

    signals: list[SignalOut]
    next_after: int | None


class Retraction(Body):
    """Why a signal is withdrawn."""

    reason: str = Field(default="", max_length=4000)


class OpinionCreate(Body):
    """The caller's partner's opinion of a signal."""

    kind: str = Field(examples=["agree", "disagree", "false-positive", "seen"])
    note: str = Field(default="", max_length=4000)
    label: str | None = Field(default=None, max_length=200,
                              description="The one of the signal's labels a dispute disputes.")


class OpinionOut(BaseModel):
    """An opinion."""

    id: int
    signal_id: int
    partner_id: int
    author: str
    kind: str
    note: str
    updated_at: dt.datetime
    label: str | None = None


class ImportOut(BaseModel):
    """What a bulk import did."""

    rows: int
    imported: int
    duplicates: int
    error_count: int
    errors: list[dict[str, int | str]]
    rolled_back: bool


class ImportRecordOut(BaseModel):
    """One past (or running) bulk import into a bank: who, which file, what it did."""

    id: int
    bank: str
    member_id: int | None
    actor: str
    filename: str
    job: str | None = Field(description="The web UI's import job, if it started there.")
    state: str = Field(description="running, done or failed")
    rows: int
    imported: int
    duplicates: int
    rejected: int
    failure: str
    started_at: dt.datetime
    finished_at: dt.datetime | None

