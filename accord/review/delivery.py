"""Sending queued webhook deliveries: signed POSTs, retries with backoff, dead letters.

``deliver_due`` makes one pass. It leases the due deliveries (pushing their
next attempt past the lease so a second worker skips them; PostgreSQL also
skips rows another worker has locked), posts each one outside any database
transaction, then records the outcome on its row: 2xx is delivered; anything
else (status, timeout, refused connection, redirect) is retried after
``backoff_s * 2 ** (attempts - 1)`` seconds, capped, and after
``max_attempts`` the delivery is dead (``status="dead"``, audited). Delivery
is at least once: receivers de-duplicate on ``X-Accord-Delivery``.

``DeliveryWorker`` runs passes on a daemon thread for the server.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import socket
import ssl
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import select

from accord import audit
from accord.config import Settings
from accord.review.records import DeliveryReport
from accord.review.signing import signed_headers
from accord.safeguards.outbound import Outbound, OutboundRefused
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

log = logging.getLogger(__name__)

# Defaults until accord.config.Settings carries them (same names, ``webhook_`` prefix).
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 10.0
BACKOFF_CAP_SECONDS = 3600.0
TIMEOUT_SECONDS = 5.0
_RESPONSE_READ_MAX = 4096
_ERROR_MAX = 500
# The same words whether the name does not resolve or resolves to an internal address, so
# a partner cannot probe which internal names the node's resolver knows.
_UNREACHABLE = "cannot connect: the host has no address this node may reach"
SYSTEM_ACTOR = Actor.operator("system:webhooks")


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard to try: attempts before dead-lettering, backoff, per-request timeout."""

    max_attempts: int = MAX_ATTEMPTS
    backoff_s: float = BACKOFF_SECONDS
    backoff_cap_s: float = BACKOFF_CAP_SECONDS
    timeout_s: float = TIMEOUT_SECONDS
    batch: int = 100
    concurrency: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        """The policy from the ``webhook_*`` settings."""
        return cls(max_attempts=settings.webhook_max_attempts,
                   backoff_s=settings.webhook_backoff_seconds,
                   backoff_cap_s=settings.webhook_backoff_cap_seconds,
                   timeout_s=settings.webhook_timeout_seconds)

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed attempt."""
        seconds = self.backoff_s * 2 ** max(0, attempts - 1)
        return dt.timedelta(seconds=min(seconds, self.backoff_cap_s))

    @property
    def lease(self) -> dt.timedelta:
        """How long a leased delivery is hidden from other workers while it is posted."""
        return dt.timedelta(seconds=self.timeout_s * 2 + 30)


@dataclass(frozen=True, slots=True)
class _Job:
    delivery_id: int
    webhook_id: int
    url: str
    secret: str
    event: str
    body: str


@dataclass(frozen=True, slots=True)
class _Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _lease(db: Database, at: dt.datetime, policy: DeliveryPolicy) -> list[_Job]:
    with db.transaction() as session:
        rows = session.execute(
            select(m.Delivery, m.Webhook)
            .join(m.Webhook, m.Webhook.id == m.Delivery.webhook_id)
            .where(m.Delivery.status == "pending", m.Delivery.next_attempt_at <= at,
                   m.Webhook.active.is_(True))
            .order_by(m.Delivery.next_attempt_at, m.Delivery.id)
            .limit(policy.batch)
            .with_for_update(of=m.Delivery, skip_locked=True)
        ).all()
        for delivery, _hook in rows:
            delivery.next_attempt_at = at + policy.lease
        return [_Job(d.id, w.id, w.url, w.secret, d.event, d.payload) for d, w in rows]


def _post(job: _Job, at: dt.datetime | None, timeout_s: float,
          opener: urllib.request.OpenerDirector) -> _Outcome:
    """One attempt. The error recorded (shown to the partner) is from a fixed vocabulary:
    never the receiver's reason phrase, body or anything else it sent, nor an address
    it resolves to; the details go to the node's log for the operator."""
    body = job.body.encode()
    headers = signed_headers(job.secret, body, event=job.event, delivery_id=job.delivery_id,
                             at=at or m.utcnow())
    request = urllib.request.Request(job.url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=timeout_s) as response:
            response.read(_RESPONSE_READ_MAX)
            return _Outcome(response.status, None)
    except urllib.error.HTTPError as error:
        error.close()
        if 300 <= error.code < 400:
            return _Outcome(error.code, f"HTTP {error.code}: redirects are not followed")
        return _Outcome(error.code, f"HTTP {error.code}")
    except OutboundRefused as error:
        return _post_refused(job, error)
    except urllib.error.URLError as error:
        if isinstance(error.reason, OutboundRefused):
            return _post_refused(job, error.reason)
        return _failed(job, error.reason if isinstance(error.reason, BaseException)
                       else error)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return _failed(job, error)


def _post_refused(job: _Job, error: OutboundRefused) -> _Outcome:
    log.warning("webhook %s delivery %s refused: %s", job.webhook_id, job.delivery_id,
                error.message)
    return _Outcome(None, _UNREACHABLE)


def _failed(job: _Job, error: BaseException) -> _Outcome:
    """A failed attempt without an HTTP status, described in fixed words."""
    log.info("webhook %s delivery %s failed: %s: %s", job.webhook_id, job.delivery_id,
             type(error).__name__, str(error)[:_ERROR_MAX])
    if isinstance(error, TimeoutError):
        return _Outcome(None, "timed out")
    if isinstance(error, socket.gaierror):
        return _Outcome(None, _UNREACHABLE)
    if isinstance(error, http.client.HTTPException):
        return _Outcome(None, "the receiver's answer is not valid HTTP")
    if isinstance(error, ssl.SSLError):
        return _Outcome(None, "TLS failed (certificate or handshake)")
    if isinstance(error, ConnectionRefusedError):
        return _Outcome(None, "cannot connect: connection refused")
    return _Outcome(None, "cannot connect")


def _settle(db: Database, job: _Job, outcome: _Outcome, at: dt.datetime,
            policy: DeliveryPolicy) -> str:
    """Record one attempt on the delivery's row; returns its new status."""
    with db.transaction() as session:
        row = session.get_one(m.Delivery, job.delivery_id, with_for_update=True)
        row.attempts += 1
        row.last_status_code, row.last_error = outcome.status_code, outcome.error
        if outcome.ok:
            row.status, row.delivered_at, row.next_attempt_at = "delivered", at, None
        elif row.attempts >= policy.max_attempts:
            row.status, row.next_attempt_at = "dead", None
            audit.record(session, SYSTEM_ACTOR, audit.AuditAction.WEBHOOK_DELIVERY_DEAD,
                         "delivery", row.id, {
                "webhook": job.webhook_id, "event": job.event, "attempts": row.attempts,
                "last_status_code": outcome.status_code,
            })
        else:
            row.next_attempt_at = at + policy.delay(row.attempts)
        return row.status


def deliver_due(db: Database, settings: Settings, *, now: dt.datetime | None = None,
                policy: DeliveryPolicy | None = None) -> DeliveryReport:
    """Make one pass: post every due delivery and record each outcome.

    ``now`` (for tests and replays) stands for the current time throughout:
    what is due, the signature timestamp and the next attempt's time.
    """
    rules = policy or DeliveryPolicy.from_settings(settings)
    jobs = _lease(db, now or m.utcnow(), rules)
    if not jobs:
        return DeliveryReport()
    opener = Outbound.from_settings(settings).opener(follow_redirects=False)
    with ThreadPoolExecutor(max_workers=max(1, min(rules.concurrency, len(jobs)))) as pool:
        outcomes = list(pool.map(lambda job: _post(job, now, rules.timeout_s, opener), jobs))
    counts = {"delivered": 0, "pending": 0, "dead": 0}
    for job, outcome in zip(jobs, outcomes, strict=True):
        counts[_settle(db, job, outcome, now or m.utcnow(), rules)] += 1
    return DeliveryReport(len(jobs), counts["delivered"], counts["pending"], counts["dead"])


class DeliveryWorker:
    """Runs ``deliver_due`` every ``interval_s`` seconds on a daemon thread.

    ``start()`` is idempotent; ``stop()`` lets the current pass finish (each
    post is bounded by the policy's timeout) and joins the thread. A failing
    pass (say, the database is briefly unreachable) is logged and retried.
    """

    def __init__(self, db: Database, settings: Settings, *, interval_s: float = 1.0,
                 policy: DeliveryPolicy | None = None) -> None:
        self.db, self.settings, self.interval_s = db, settings, interval_s
        self.policy = policy or DeliveryPolicy.from_settings(settings)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True while the worker thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start polling (no-op when already running)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="accord-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Ask the worker to stop and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.db, self.settings, policy=self.policy)
            except Exception:  # keep the worker alive; the next pass retries
                log.exception("webhook delivery pass failed")
            self._stop.wait(self.interval_s)
