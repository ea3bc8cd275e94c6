"""The one settings class. Nothing else in Accord reads ``os.environ``.

Every field reads from an ``ACCORD_``-prefixed environment variable (or a
``.env`` file beside the working directory) and is documented in
``docs/configuration.md``; a test fails when a field is missing there.

``Settings`` is a frozen dataclass that reads and checks its own fields: every CLI
command builds one, and a pydantic model of these 58 fields cost each command about
70 ms of start-up (building its schema and importing pydantic) against the 0.5 s
budget (issue 19, ``bench/cli_startup.py``). A bad value is an ``Invalid`` naming the
variable and the rule it breaks, in the reader's language.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from accord.errors import Invalid, Phrase, trimmed

# A list setting read from one environment variable: JSON (``["10.1.0.0/16", "::1"]``)
# or plain comma-separated text (``10.1.0.0/16,::1``), so neither form crashes.
TextList = tuple[str, ...]
NumberList = tuple[int, ...]

ENV_PREFIX = "accord_"
ENV_FILE = ".env"
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
_BOUNDS: tuple[tuple[str, Callable[[Any, Any], bool], Callable[[Any], Phrase]], ...] = (
    ("ge", lambda value, limit: value >= limit,
     lambda limit: Phrase("should be at least {limit}", limit=limit)),
    ("gt", lambda value, limit: value > limit,
     lambda limit: Phrase("should be more than {limit}", limit=limit)),
    ("le", lambda value, limit: value <= limit,
     lambda limit: Phrase("should be at most {limit}", limit=limit)),
)


def setting(*, description: str, default: Any = None, default_factory: Any = None,
            ge: float | None = None, gt: float | None = None, le: float | None = None,
            secret: bool = False) -> Any:
    """One field of ``Settings``: its default, bounds and help text (``docs/configuration.md``
    says the same). A ``secret`` stays out of ``repr``, so logs and tracebacks never show it."""
    metadata = {"description": description, "ge": ge, "gt": gt, "le": le}
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata=metadata,
                                 repr=not secret)
    return dataclasses.field(default=default, metadata=metadata, repr=not secret)


def _from_environment() -> dict[str, str]:
    """``ACCORD_*`` values by field name: the environment over a ``.env`` file.

    Names match case-insensitively (``ACCORD_HOME`` or ``accord_home``); values stay text
    for the fields' own checks.
    """
    values: dict[str, str] = {}
    if Path(ENV_FILE).is_file():
        from dotenv import dotenv_values

        values.update(_prefixed(dotenv_values(ENV_FILE)))
    values.update(_prefixed(os.environ))
    return values


def _prefixed(variables: Any) -> dict[str, str]:
    names = Settings.names()
    return {
        key.lower()[len(ENV_PREFIX):]: value
        for key, value in variables.items()
        if value is not None and key.lower().startswith(ENV_PREFIX)
        and key.lower()[len(ENV_PREFIX):] in names
    }


def _list_from_env(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(Phrase("is neither a JSON list nor comma-separated values")) from None
    return [part.strip() for part in text.split(",") if part.strip()]


def _number(kind: str, value: Any) -> int | float:
    """``value`` as an ``int`` or ``float``: a number, or text that reads as one."""
    if isinstance(value, bool):
        raise ValueError(Phrase("should be a number, not {value}", value=trimmed(value)))
    if kind == "int":
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ValueError(Phrase("should be a whole number, not {value}", value=trimmed(value)))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            number = math.nan
    if not math.isfinite(number):
        raise ValueError(Phrase("should be a number, not {value}", value=trimmed(value)))
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(Phrase("should be true or false (1/0, yes/no, on/off), not {value}",
                            value=trimmed(value)))


def _read(kind: str, value: Any) -> Any:
    """``value`` read as a field of ``kind`` (its annotation without ``| None``)."""
    if kind in ("int", "float"):
        return _number(kind, value)
    if kind == "bool":
        return _flag(value)
    if kind == "Path":
        if isinstance(value, (str, os.PathLike)):
            return Path(value)
        raise ValueError(Phrase("should be a file or folder path"))
    if kind in ("TextList", "NumberList"):
        items = _list_from_env(value)
        if not isinstance(items, (list, tuple)):
            raise ValueError(Phrase("should be a list"))
        if kind == "NumberList":
            return tuple(int(_number("int", item)) for item in items)
        return tuple(str(item) for item in items)
    if not isinstance(value, str):
        raise ValueError(Phrase("should be text"))
    return value


def _checked(field: dataclasses.Field[Any], kind: str, value: Any) -> Any:
    optional = kind.endswith(" | None")
    kind = kind.removesuffix(" | None")
    if value is None or (optional and kind != "str" and value == ""):
        if optional:
            return None
        raise ValueError(Phrase("should be set"))
    read = _read(kind, value)
    for bound, holds, rule in _BOUNDS:
        limit = field.metadata[bound]
        if limit is not None and not holds(read, limit):
            raise ValueError(rule(limit))
    return read


def default_home() -> Path:
    """Where Accord keeps its files when ``ACCORD_HOME`` is not set."""
    return Path.home() / ".accord"


@dataclasses.dataclass(frozen=True, init=False)
class Settings:
    """Settings for one Accord node, from ``ACCORD_*`` variables.

    Keywords given to the constructor win over the environment, which wins over
    ``.env``, which wins over the defaults. Unknown keywords are a ``TypeError``, as
    for any class; unknown ``ACCORD_*`` variables are ignored.
    """

    _fields: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __init__(self, **values: Any) -> None:
        fields = type(self).fields()
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise TypeError(f"Settings got unknown settings: {', '.join(unknown)}")
        given = {**_from_environment(), **values}
        for name, field in fields.items():
            if name in given:
                value = given[name]
            elif field.default_factory is not dataclasses.MISSING:
                value = field.default_factory()
            else:
                value = field.default
            try:
                read = _checked(field, str(field.type), value)
            except ValueError as error:
                rule = error.args[0] if error.args else Phrase("is not valid")
                raise Invalid("setting {name}: {first}", name="ACCORD_" + name.upper(),
                              first=rule) from None
            object.__setattr__(self, name, read)

    @classmethod
    def fields(cls) -> dict[str, dataclasses.Field[Any]]:
        """Every setting's field (its ``metadata`` holds ``description`` and bounds), by name."""
        if "_fields" not in cls.__dict__:
            cls._fields = {f.name: f for f in dataclasses.fields(cls)}
        return cls._fields

    @classmethod
    def names(cls) -> frozenset[str]:
        return frozenset(cls.fields())

    @classmethod
    def default(cls, name: str) -> Any:
        """A setting's default value (for callers that were given no ``Settings``)."""
        field = cls.fields()[name]
        if field.default_factory is not dataclasses.MISSING:
            return field.default_factory()
        return field.default

    def replace(self, **changes: Any) -> Settings:
        """These settings with ``changes``, checked like any others (the environment is not
        read again: every field comes from here or from ``changes``)."""
        return type(self)(**{**{n: getattr(self, n) for n in self.fields()}, **changes})

    home: Path = setting(
        default_factory=default_home,
        description="Folder for the node's files: the default SQLite database, snapshots, logs.",
    )
    database_url: str | None = setting(
        secret=True,  # postgresql+psycopg://user:password@host/dbname
        default=None,
        description=(
            "SQLAlchemy URL of the database. Unset: SQLite at HOME/accord.sqlite3. "
            "For PostgreSQL: postgresql+psycopg://user:password@host/dbname."
        ),
    )
    dispute_quarantine_partners: int = setting(
        default=2,
        ge=1,
        description=(
            "A signal disputed (disagree or false-positive) by this many distinct partners "
            "other than its owner is quarantined until its owner re-activates or retracts it."
        ),
    )
    review_undo_seconds: int = setting(
        default=30,
        ge=0,
        le=3600,
        description="How long a reviewer may undo their own verdict. The verdict's webhook "
        "events are held until this window closes, so an undone verdict is never announced; "
        "0 turns undo off and sends verdict events at once.",
    )
    review_claim_seconds: int = setting(
        default=900,
        ge=1,
        le=24 * 3600,
        description="A reviewer's claim on a match lapses after this many seconds; the match "
        "is then free for anyone to claim or decide.",
    )
    import_batch_size: int = setting(
        default=50_000,
        ge=1,
        le=1_000_000,
        description="Rows written per transaction during bulk signal import. Larger batches "
        "rewrite each index page fewer times (1M rows: 42 s at 50,000 vs 63 s at 5,000 on "
        "SQLite); each batch holds the write lock while it is written.",
    )
    taxonomy_path: Path | None = setting(
        default=None,
        description="A taxonomy JSON file to use instead of the one shipped with Accord.",
    )
    pdq_match_threshold: int = setting(
        default=31,
        ge=0,
        le=128,
        description="Largest Hamming distance between PDQ hashes that counts as a match.",
    )
    pdq_min_quality: int = setting(
        default=50,
        ge=0,
        le=100,
        description="PDQ hashes of lower quality are neither shared nor matched.",
    )
    max_file_bytes: int = setting(
        default=256 * 1024 * 1024,
        ge=1,
        description="Largest file Accord will hash, in bytes.",
    )
    max_image_pixels: int = setting(
        default=64_000_000,
        ge=1,
        description="Largest decoded image (width x height) Accord will hash: guards against "
        "decompression bombs.",
    )
    max_video_seconds: float = setting(
        default=4 * 3600.0,
        gt=0,
        description="Longest video Accord will hash, in seconds.",
    )
    max_video_frames: int = setting(
        default=4 * 3600,
        ge=1,
        description="Most frames (at one frame per second) hashed from one video.",
    )
    max_pdf_pages: int = setting(
        default=2000,
        ge=1,
        description="Most pages Accord reads from one PDF.",
    )
    max_text_bytes: int = setting(
        default=16 * 1024 * 1024,
        ge=1,
        description="Most bytes of text extracted from one document before hashing.",
    )
    hash_timeout_seconds: float = setting(
        default=120.0,
        gt=0,
        description="Time limit for hashing one file.",
    )
    hash_exact: bool = setting(
        default=False,
        description="Hash every pixel of large images and decode every video frame, as the "
        "reference implementations do, instead of the fast paths (large JPEGs decoded at "
        "reduced scale: PDQ within 20 bits, median at most 4; video: identical hashes). See "
        "docs/signal-types.md, 'Hashing speed'.",
    )

    api_rate_limit: float = setting(
        default=2000.0,
        gt=0,
        description="Requests per second each API key may make (per server worker); bursts "
        "of twice that are absorbed.",
    )
    api_max_body_bytes: int = setting(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest JSON request body the API accepts, in bytes (uploads are bounded "
        "by ACCORD_MAX_FILE_BYTES).",
    )
    api_batch_limit: int = setting(
        default=10_000,
        ge=1,
        description="Most hashes one batched match request may carry.",
    )
    refresh_interval_seconds: float = setting(
        default=0.25,
        gt=0,
        le=60,
        description="How often each server worker applies store changes to its match index "
        "and caches (a change is visible within about this long).",
    )

    webhook_max_attempts: int = setting(
        default=16,
        ge=1,
        le=100,
        description="Delivery attempts before a webhook delivery is dead-lettered (with "
        "the default backoff, 16 attempts span about 2 h 20 min).",
    )
    webhook_backoff_seconds: float = setting(
        default=10.0,
        gt=0,
        description="Wait after the first failed delivery; it doubles after each failure.",
    )
    webhook_backoff_cap_seconds: float = setting(
        default=900.0,
        gt=0,
        description="Longest wait between two delivery attempts: a receiver that comes "
        "back is reached within this long.",
    )
    webhook_timeout_seconds: float = setting(
        default=5.0,
        gt=0,
        le=60,
        description="Time limit for one webhook delivery request.",
    )

    outbound_allow: TextList = setting(
        default=(),
        description="Internal networks (CIDR, or single addresses) the node may still "
        "connect to for webhooks, peers and fetched URLs. Unset: loopback, private, "
        "link-local, unique-local, multicast, reserved, unspecified and cloud metadata "
        "addresses are refused, after DNS resolution and on every redirect. As JSON: "
        '["10.1.0.0/16", "127.0.0.1"], or comma-separated: 10.1.0.0/16,127.0.0.1. A metadata '
        "address (169.254.169.254, fd00:ec2::254) is allowed only when listed as that "
        "single address.",
    )

    metrics_token: str | None = setting(
        secret=True,
        default=None,
        description="A secret the node's Prometheus scraper sends as `Authorization: Bearer "
        "<token>` to read /metrics from another host. Unset: /metrics answers only clients "
        "on this host (loopback, and not forwarded by a proxy).",
    )
    metrics_public: bool = setting(
        default=False,
        description="Serve /metrics to anyone who can reach the node. Off by default: the "
        "figures (request rates, index sizes) tell of activity partners may not see.",
    )

    request_retention_days: int = setting(
        default=730,
        ge=1,
        le=36500,
        description="Requests between partners older than this many days are deleted by "
        "`accord request purge` (the audit log keeps that they existed).",
    )
    web_secret_key: str | None = setting(
        secret=True,
        default=None,
        description="Key that signs web UI session cookies. Unset: a random key is made once "
        "and kept in HOME/web-secret.key (every worker of the node reads the same file).",
    )
    web_session_hours: float = setting(
        default=12.0,
        gt=0,
        le=24 * 30,
        description="How long a web UI sign-in lasts before the member signs in again.",
    )
    sign_in_max_failures: int = setting(
        default=5,
        ge=1,
        le=1000,
        description="Failed web UI sign-ins in a row of one account that lock it "
        "(answered 429 with Retry-After, even for the right password).",
    )
    sign_in_client_max_failures: int = setting(
        default=20,
        ge=1,
        le=100_000,
        description="Failed web UI sign-ins in a row from one client address that lock it.",
    )
    sign_in_lockout_seconds: float = setting(
        default=60.0,
        gt=0,
        description="First lock after too many failed sign-ins; it doubles with each "
        "further failure, up to ACCORD_SIGN_IN_MAX_LOCKOUT_SECONDS.",
    )
    sign_in_max_lockout_seconds: float = setting(
        default=3600.0,
        gt=0,
        description="Longest sign-in lock.",
    )
    sign_in_window_seconds: float = setting(
        default=900.0,
        gt=0,
        description="Failed sign-ins older than this (from the last one) are forgotten.",
    )
    web_secure_cookies: bool = setting(
        default=False,
        description="Send the web UI session cookie over HTTPS only; turn on behind TLS.",
    )
    soft_target_types: NumberList = setting(
        default=(1, 8, 14, 15, 18, 19),
        description="GTD targtype1 codes counted as soft targets in incident analytics "
        "(default: Business, Educational Institution, Private Citizens & Property, Religious "
        "Figures/Institutions, Tourists, Transportation). As JSON, [1,8,14,15,18,19], or "
        "comma-separated: 1,8,14,15,18,19.",
    )
    flow_suppress_below: int = setting(
        default=5,
        ge=5,
        description="Foreign-fighter flow counts below this are shown as suppressed in every "
        "output (API, reports, charts); it may be raised, never lowered under 5.",
    )
    crisis_hours: float = setting(
        default=24.0,
        gt=0,
        description="How long a crisis activation lasts unless a shorter or longer one (up to "
        "ACCORD_CRISIS_MAX_HOURS) is asked for; it then expires on its own.",
    )
    crisis_max_hours: float = setting(
        default=72.0,
        gt=0,
        description="Longest crisis activation allowed: crises are time-boxed.",
    )

    audit_key: str | None = setting(
        secret=True,
        default=None,
        description="Secret (32 characters or more) that signs audit checkpoints, kept out of "
        "the database. Unset: read from ACCORD_AUDIT_KEY_FILE.",
    )
    audit_key_file: Path | None = setting(
        default=None,
        description="File holding the audit checkpoint key. Unset: HOME/audit-anchor.key, "
        "made (mode 0600) by the first `accord audit checkpoint` or node checkpoint.",
    )
    audit_witness_file: Path | None = setting(
        default=None,
        description="JSON-lines file outside the database to which every audit checkpoint is "
        "also appended, and which `accord audit verify` checks the chain against. Unset: none.",
    )
    audit_checkpoint_events: int = setting(
        default=1000,
        ge=0,
        description="The node checkpoints the audit chain's head after this many new events "
        "(0: never on a count).",
    )
    audit_checkpoint_seconds: float = setting(
        default=3600.0,
        ge=0,
        description="The node checkpoints the audit chain's head when it has new events and "
        "the last checkpoint is older than this (0: never on time).",
    )

    node_id: str | None = setting(
        default=None,
        description="This node's name in the STIX ids it publishes (indicator--uuid5 of "
        "node, type and row id). Unset: derived from the database URL; set it before "
        "federating so ids stay stable if the database moves.",
    )
    taxii_max_page_size: int = setting(
        default=10_000,
        ge=1,
        le=100_000,
        description="Most objects one TAXII GET objects/manifest page returns (a larger "
        "limit asked for is lowered to this).",
    )
    taxii_max_envelope_bytes: int = setting(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest TAXII envelope Accord accepts: a POST to a collection, a page "
        "pulled from a peer, or an envelope file given to accord import.",
    )
    sync_page_size: int = setting(
        default=5000,
        ge=1,
        le=100_000,
        description="Objects asked for per page when accord sync pulls from a peer.",
    )
    sync_timeout_seconds: float = setting(
        default=30.0,
        gt=0,
        le=600,
        description="Time limit for one request to a peer during accord sync (connect and "
        "each read); a peer that stalls longer is recorded as failed.",
    )

    writeback_max_attempts: int = setting(
        default=8,
        ge=1,
        le=100,
        description="Delivery attempts before an opinion written back to an exchange peer is "
        "dead-lettered (each accord sync makes at most one attempt per opinion).",
    )
    writeback_backoff_seconds: float = setting(
        default=60.0,
        ge=0,
        description="Wait after an opinion's first failed write-back; it doubles after each "
        "failure.",
    )
    writeback_backoff_cap_seconds: float = setting(
        default=3600.0,
        ge=0,
        description="Longest wait between two write-back attempts of one opinion.",
    )
    secrets_key: str | None = setting(
        secret=True,
        default=None,
        description="Fernet key (urlsafe base64 of 32 bytes) that seals secrets the database "
        "holds, such as TAXII peers' API keys. Unset: read from ACCORD_SECRETS_KEY_FILE.",
    )
    secrets_key_file: Path | None = setting(
        default=None,
        description="File holding the secrets key. Unset: HOME/secrets.key, made (mode 0600) "
        "the first time a secret is sealed. Keep it out of database backups.",
    )

    fetch_allowed_hosts: TextList = setting(
        default=(),
        description="Hosts Accord may fetch content from when a caller hands it a URL (the "
        "HMA-compatible API's url parameters). Empty: fetching by URL is refused. Names match "
        "exactly ('media.example.org'), '*.example.org' matches its subdomains; a host that "
        "resolves to a loopback, private, link-local or other non-public address is refused "
        "unless that address itself is listed ('127.0.0.1'). As JSON, [\"media.example.org\"], "
        "or comma-separated.",
    )
    fetch_timeout_seconds: float = setting(
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
