"""The one settings class. Nothing else in Accord reads ``os.environ``.

Every field reads from an ``ACCORD_``-prefixed environment variable (or a
``.env`` file beside the working directory) and is documented in
``docs/configuration.md``; a test fails when a field is missing there.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# A list setting read from one environment variable: JSON (``["10.1.0.0/16", "::1"]``)
# or plain comma-separated text (``10.1.0.0/16,::1``), so neither form crashes.
TextList = tuple[str, ...]
NumberList = tuple[int, ...]

ENV_PREFIX = "accord_"
ENV_FILE = ".env"


def _from_environment() -> dict[str, str]:
    """``ACCORD_*`` values by field name: the environment over a ``.env`` file.

    Names match case-insensitively (``ACCORD_HOME`` or ``accord_home``), as
    pydantic-settings did; values stay text for the fields' own validation. Read here
    rather than through pydantic-settings, whose import alone costs every CLI command
    about 50 ms (issue 19).
    """
    values: dict[str, str] = {}
    if Path(ENV_FILE).is_file():
        from dotenv import dotenv_values

        values.update(_prefixed(dotenv_values(ENV_FILE)))
    values.update(_prefixed(os.environ))
    return values


def _prefixed(variables: Any) -> dict[str, str]:
    return {
        key.lower()[len(ENV_PREFIX):]: value
        for key, value in variables.items()
        if value is not None and key.lower().startswith(ENV_PREFIX)
        and key.lower()[len(ENV_PREFIX):] in Settings.model_fields
    }


def _list_from_env(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("is neither a JSON list nor comma-separated values") from None
    return [part.strip() for part in text.split(",") if part.strip()]


def default_home() -> Path:
    """Where Accord keeps its files when ``ACCORD_HOME`` is not set."""
    return Path.home() / ".accord"


class Settings(BaseModel):
    """Settings for one Accord node, from ``ACCORD_*`` variables.

    Keywords given to the constructor win over the environment, which wins over
    ``.env``, which wins over the defaults (pydantic-settings' order).
    """

    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_from_environment(), **values})

    @field_validator("outbound_allow", "soft_target_types", "fetch_allowed_hosts",
                     mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _list_from_env(value)

    home: Path = Field(
        default_factory=default_home,
        description="Folder for the node's files: the default SQLite database, snapshots, logs.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database. Unset: SQLite at HOME/accord.sqlite3. "
            "For PostgreSQL: postgresql+psycopg://user:password@host/dbname."
        ),
    )
    dispute_quarantine_partners: int = Field(
        default=2,
        ge=1,
        description=(
            "A signal disputed (disagree or false-positive) by this many distinct partners "
            "other than its owner is quarantined until its owner re-activates or retracts it."
        ),
    )
    review_undo_seconds: int = Field(
        default=30,
        ge=0,
        le=3600,
        description="How long a reviewer may undo their own verdict. The verdict's webhook "
        "events are held until this window closes, so an undone verdict is never announced; "
        "0 turns undo off and sends verdict events at once.",
    )
    review_claim_seconds: int = Field(
        default=900,
        ge=1,
        le=24 * 3600,
        description="A reviewer's claim on a match lapses after this many seconds; the match "
        "is then free for anyone to claim or decide.",
    )
    import_batch_size: int = Field(
        default=50_000,
        ge=1,
        le=1_000_000,
        description="Rows written per transaction during bulk signal import. Larger batches "
        "rewrite each index page fewer times (1M rows: 42 s at 50,000 vs 63 s at 5,000 on "
        "SQLite); each batch holds the write lock while it is written.",
    )
    taxonomy_path: Path | None = Field(
        default=None,
        description="A taxonomy JSON file to use instead of the one shipped with Accord.",
    )
    pdq_match_threshold: int = Field(
        default=31,
        ge=0,
        le=128,
        description="Largest Hamming distance between PDQ hashes that counts as a match.",
    )
    pdq_min_quality: int = Field(
        default=50,
        ge=0,
        le=100,
        description="PDQ hashes of lower quality are neither shared nor matched.",
    )
    max_file_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=1,
        description="Largest file Accord will hash, in bytes.",
    )
    max_image_pixels: int = Field(
        default=64_000_000,
        ge=1,
        description="Largest decoded image (width x height) Accord will hash: guards against "
        "decompression bombs.",
    )
    max_video_seconds: float = Field(
        default=4 * 3600.0,
        gt=0,
        description="Longest video Accord will hash, in seconds.",
    )
    max_video_frames: int = Field(
        default=4 * 3600,
        ge=1,
        description="Most frames (at one frame per second) hashed from one video.",
    )
    max_pdf_pages: int = Field(
        default=2000,
        ge=1,
        description="Most pages Accord reads from one PDF.",
    )
    max_text_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1,
        description="Most bytes of text extracted from one document before hashing.",
    )
    hash_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Time limit for hashing one file.",
    )
    hash_exact: bool = Field(
        default=False,
        description="Hash every pixel of large images and decode every video frame, as the "
        "reference implementations do, instead of the fast paths (large JPEGs decoded at "
        "reduced scale: PDQ within 20 bits, median at most 4; video: identical hashes). See "
        "docs/signal-types.md, 'Hashing speed'.",
    )

    api_rate_limit: float = Field(
        default=2000.0,
        gt=0,
        description="Requests per second each API key may make (per server worker); bursts "
        "of twice that are absorbed.",
    )
    api_max_body_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest JSON request body the API accepts, in bytes (uploads are bounded "
        "by ACCORD_MAX_FILE_BYTES).",
    )
    api_batch_limit: int = Field(
        default=10_000,
        ge=1,
        description="Most hashes one batched match request may carry.",
    )
    refresh_interval_seconds: float = Field(
        default=0.25,
        gt=0,
        le=60,
        description="How often each server worker applies store changes to its match index "
        "and caches (a change is visible within about this long).",
    )

    webhook_max_attempts: int = Field(
        default=16,
        ge=1,
        le=100,
        description="Delivery attempts before a webhook delivery is dead-lettered (with "
        "the default backoff, 16 attempts span about 2 h 20 min).",
    )
    webhook_backoff_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Wait after the first failed delivery; it doubles after each failure.",
    )
    webhook_backoff_cap_seconds: float = Field(
        default=900.0,
        gt=0,
        description="Longest wait between two delivery attempts: a receiver that comes "
        "back is reached within this long.",
    )
    webhook_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="Time limit for one webhook delivery request.",
    )

    outbound_allow: TextList = Field(
        default=(),
        description="Internal networks (CIDR, or single addresses) the node may still "
        "connect to for webhooks, peers and fetched URLs. Unset: loopback, private, "
        "link-local, unique-local, multicast, reserved, unspecified and cloud metadata "
        "addresses are refused, after DNS resolution and on every redirect. As JSON: "
        '["10.1.0.0/16", "127.0.0.1"], or comma-separated: 10.1.0.0/16,127.0.0.1. A metadata '
        "address (169.254.169.254, fd00:ec2::254) is allowed only when listed as that "
        "single address.",
    )

    metrics_token: str | None = Field(
        default=None,
        description="A secret the node's Prometheus scraper sends as `Authorization: Bearer "
        "<token>` to read /metrics from another host. Unset: /metrics answers only clients "
        "on this host (loopback, and not forwarded by a proxy).",
    )
    metrics_public: bool = Field(
        default=False,
        description="Serve /metrics to anyone who can reach the node. Off by default: the "
        "figures (request rates, index sizes) tell of activity partners may not see.",
    )

    request_retention_days: int = Field(
        default=730,
        ge=1,
        le=36500,
        description="Requests between partners older than this many days are deleted by "
        "`accord request purge` (the audit log keeps that they existed).",
    )
    web_secret_key: str | None = Field(
        default=None,
        description="Key that signs web UI session cookies. Unset: a random key is made once "
        "and kept in HOME/web-secret.key (every worker of the node reads the same file).",
    )
    web_session_hours: float = Field(
        default=12.0,
        gt=0,
        le=24 * 30,
        description="How long a web UI sign-in lasts before the member signs in again.",
    )
    sign_in_max_failures: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed web UI sign-ins in a row of one account that lock it "
        "(answered 429 with Retry-After, even for the right password).",
    )
    sign_in_client_max_failures: int = Field(
        default=20,
        ge=1,
        le=100_000,
        description="Failed web UI sign-ins in a row from one client address that lock it.",
    )
    sign_in_lockout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="First lock after too many failed sign-ins; it doubles with each "
        "further failure, up to ACCORD_SIGN_IN_MAX_LOCKOUT_SECONDS.",
    )
    sign_in_max_lockout_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Longest sign-in lock.",
    )
    sign_in_window_seconds: float = Field(
        default=900.0,
        gt=0,
        description="Failed sign-ins older than this (from the last one) are forgotten.",
    )
    web_secure_cookies: bool = Field(
        default=False,
        description="Send the web UI session cookie over HTTPS only; turn on behind TLS.",
    )
    soft_target_types: NumberList = Field(
        default=(1, 8, 14, 15, 18, 19),
        description="GTD targtype1 codes counted as soft targets in incident analytics "
        "(default: Business, Educational Institution, Private Citizens & Property, Religious "
        "Figures/Institutions, Tourists, Transportation). As JSON, [1,8,14,15,18,19], or "
        "comma-separated: 1,8,14,15,18,19.",
    )
    flow_suppress_below: int = Field(
        default=5,
        ge=5,
        description="Foreign-fighter flow counts below this are shown as suppressed in every "
        "output (API, reports, charts); it may be raised, never lowered under 5.",
    )
    crisis_hours: float = Field(
        default=24.0,
        gt=0,
        description="How long a crisis activation lasts unless a shorter or longer one (up to "
        "ACCORD_CRISIS_MAX_HOURS) is asked for; it then expires on its own.",
    )
    crisis_max_hours: float = Field(
        default=72.0,
        gt=0,
        description="Longest crisis activation allowed: crises are time-boxed.",
    )

    audit_key: str | None = Field(
        default=None,
        description="Secret (32 characters or more) that signs audit checkpoints, kept out of "
        "the database. Unset: read from ACCORD_AUDIT_KEY_FILE.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="File holding the audit checkpoint key. Unset: HOME/audit-anchor.key, "
        "made (mode 0600) by the first `accord audit checkpoint` or node checkpoint.",
    )
    audit_witness_file: Path | None = Field(
        default=None,
        description="JSON-lines file outside the database to which every audit checkpoint is "
        "also appended, and which `accord audit verify` checks the chain against. Unset: none.",
    )
    audit_checkpoint_events: int = Field(
        default=1000,
        ge=0,
        description="The node checkpoints the audit chain's head after this many new events "
        "(0: never on a count).",
    )
    audit_checkpoint_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="The node checkpoints the audit chain's head when it has new events and "
        "the last checkpoint is older than this (0: never on time).",
    )

    node_id: str | None = Field(
        default=None,
        description="This node's name in the STIX ids it publishes (indicator--uuid5 of "
        "node, type and row id). Unset: derived from the database URL; set it before "
        "federating so ids stay stable if the database moves.",
    )
    taxii_max_page_size: int = Field(
        default=10_000,
        ge=1,
        le=100_000,
        description="Most objects one TAXII GET objects/manifest page returns (a larger "
        "limit asked for is lowered to this).",
    )
    taxii_max_envelope_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest TAXII envelope Accord accepts: a POST to a collection, a page "
        "pulled from a peer, or an envelope file given to accord import.",
    )
    sync_page_size: int = Field(
        default=5000,
        ge=1,
        le=100_000,
        description="Objects asked for per page when accord sync pulls from a peer.",
    )
    sync_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="Time limit for one request to a peer during accord sync (connect and "
        "each read); a peer that stalls longer is recorded as failed.",
    )

    writeback_max_attempts: int = Field(
        default=8,
        ge=1,
        le=100,
        description="Delivery attempts before an opinion written back to an exchange peer is "
        "dead-lettered (each accord sync makes at most one attempt per opinion).",
    )
    writeback_backoff_seconds: float = Field(
        default=60.0,
        ge=0,
        description="Wait after an opinion's first failed write-back; it doubles after each "
        "failure.",
    )
    writeback_backoff_cap_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="Longest wait between two write-back attempts of one opinion.",
    )
    secrets_key: str | None = Field(
        default=None,
        description="Fernet key (urlsafe base64 of 32 bytes) that seals secrets the database "
        "holds, such as TAXII peers' API keys. Unset: read from ACCORD_SECRETS_KEY_FILE.",
    )
    secrets_key_file: Path | None = Field(
        default=None,
        description="File holding the secrets key. Unset: HOME/secrets.key, made (mode 0600) "
        "the first time a secret is sealed. Keep it out of database backups.",
    )

    fetch_allowed_hosts: TextList = Field(
        default=(),
        description="Hosts Accord may fetch content from when a caller hands it a URL (the "
        "HMA-compatible API's url parameters). Empty: fetching by URL is refused. Names match "
        "exactly ('media.example.org'), '*.example.org' matches its subdomains; a host that "
        "resolves to a loopback, private, link-local or other non-public address is refused "
        "unless that address itself is listed ('127.0.0.1'). As JSON, [\"media.example.org\"], "
        "or comma-separated.",
    )
    fetch_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        le=600,
        description="Time limit for fetching one URL's content, redirects included; the body is "
        "also held to ACCORD_MAX_FILE_BYTES.",
    )

    def resolved_node_id(self) -> str:
        """The node id in published STIX ids: ``node_id``, or one derived from the database."""
        if self.node_id:
            return self.node_id
        digest = hashlib.sha256(self.resolved_database_url().encode()).hexdigest()
        return f"accord-{digest[:16]}"

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'accord.sqlite3'}"
