"""Bodies of the hashing and matching routes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from accord.api.schemas import Body


class HashQuery(Body):
    """One hash or URL to match."""

    signal_type: str = Field(max_length=30, examples=["pdq"])
    value: str = Field(max_length=1_000_000, examples=["f8f8f0ce" * 8])


class MatchRequest(HashQuery):
    """A single match, recorded for review when it carries your content reference."""

    content_ref: str | None = Field(
        default=None, max_length=200,
        description="Your opaque reference for the content (never the content or user data). "
        "Given, the matches are recorded and queued for review (or auto-actioned where the "
        "bank opted in), and their ids come back in match_ids.")
    threshold: int | None = Field(default=None, ge=0, le=256)


class BatchRequest(Body):
    """Up to ``ACCORD_API_BATCH_LIMIT`` hashes in one request."""

    queries: list[HashQuery] = Field(min_length=1)


class MatchItem(BaseModel):
    """A signal a query matched."""

    signal_id: int
    signal_type: str
    value: str
    distance: int
    bank: str
    labels: list[str]
    tlp: str
    negative: bool
    variant: str | None = Field(
        default=None, description="Which variant of an uploaded picture hit (original, "
        "rotate90, ..., unletterboxed, crop90, ...); null for a hash query.")


class MatchResponse(BaseModel):
    """A query and its matches (or why it could not be matched)."""

    query: str
    signal_type: str | None = None
    value: str | None = None
    variant: str | None = None
    matches: list[MatchItem] = []
    error: str | None = None
    match_ids: list[int] | None = None
    states: list[str] | None = None


class BatchResponse(BaseModel):
    """One result per query, in order."""

    results: list[MatchResponse]


class HashItem(BaseModel):
    """One signal computed from uploaded content."""

    signal_type: str
    value: str
    quality: int | None = None
    variant: str | None = None


class HashResponse(BaseModel):
    """Every signal of an uploaded file."""

    signals: list[HashItem]
