"""Sending queued webhook deliveries: signed POSTs, in order, retries with backoff,
dead letters.

Each webhook's deliveries go out **in the order they were queued**. ``deliver_due``
makes one pass: it picks the webhooks whose oldest pending delivery (the head of
its queue) is due, and leases, per webhook, the run of due deliveries from the head
on (pushing each one's next attempt past the lease, so a second worker or replica
skips the webhook, even once the head is delivered; PostgreSQL also skips webhooks
another worker has locked). A run that a failure ends hands its unposted rest back. It
posts each run one delivery after the other, outside any database transaction,
recording each outcome on its row: 2xx is delivered; anything else (status,
timeout, refused connection, redirect) ends the run and is retried after
``backoff_s * 2 ** (attempts - 1)`` seconds, capped. The deliveries behind it wait
for it: a receiver that is down gets one request per backoff step, not one per
queued event, and gets them all, in order, once it is back. After
``max_attempts`` the head is dead (``status="dead"``, audited, listed with the
webhook's deliveries) and the next delivery becomes the head. With the defaults (16
attempts, 10 s doubling, capped at 15 min) a delivery is retried for about 2 h 20 min
before it is dead, and a receiver that comes back is reached within 15 min.
Delivery is at least once: receivers de-duplicate on ``X-Accord-Delivery``.

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
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import takewhile

from sqlalchemy import func, select, update

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
MAX_ATTEMPTS = 16
BACKOFF_SECONDS = 10.0
BACKOFF_CAP_SECONDS = 900.0
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
    run: int = 50  # deliveries one webhook gets in one pass, at most

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

    def lease(self, deliveries: int = 1) -> dt.timedelta:
        """How long a webhook whose run of ``deliveries`` is being posted is hidden from
        other workers (each post may take the whole timeout)."""
        return dt.timedelta(seconds=self.timeout_s * (deliveries + 1) + 10)


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


def _lease(db: Database, at: dt.datetime, policy: DeliveryPolicy) -> list[list[_Job]]:
    """Per webhook whose queue head is due: the run of due deliveries from the head on,
    oldest first (every leased delivery's next attempt pushed past the lease)."""
    with db.transaction() as session:
        heads = (select(m.Delivery.webhook_id, func.min(m.Delivery.id).label("head_id"))
                 .where(m.Delivery.status == "pending")
                 .group_by(m.Delivery.webhook_id).subquery())
        hooks = session.execute(
            select(m.Webhook)
            .join(heads, heads.c.webhook_id == m.Webhook.id)
            .join(m.Delivery, m.Delivery.id == heads.c.head_id)
            .where(m.Webhook.active.is_(True), m.Delivery.next_attempt_at <= at)
            .order_by(m.Delivery.next_attempt_at, m.Webhook.id)
            .limit(policy.batch)
            .with_for_update(of=m.Webhook, skip_locked=True)
        ).scalars().all()
        runs: list[list[_Job]] = []
        for hook in hooks:
            queue = session.execute(
                select(m.Delivery).where(m.Delivery.webhook_id == hook.id,
                                         m.Delivery.status == "pending")
                .order_by(m.Delivery.id).limit(policy.run)).scalars().all()
            run = list(takewhile(lambda d: d.next_attempt_at is not None
                                 and d.next_attempt_at <= at, queue))
            if not run:
                continue
            # The whole run, not just its head: once the head is delivered the next one is
            # the head, and another worker must not post it while this one still may.
            until = at + policy.lease(len(run))
            for delivery in run:
                delivery.next_attempt_at = until
            runs.append([_Job(d.id, hook.id, hook.url, hook.secret, d.event, d.payload)
                         for d in run])
        return runs


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


def _release(db: Database, unposted: list[_Job], at: dt.datetime) -> None:
    """Hand back the part of a leased run that was never posted (a failure ended the run):
    due again as soon as the head they wait behind is."""
    if not unposted:
        return
    with db.transaction() as session:
        session.execute(update(m.Delivery)
                        .where(m.Delivery.id.in_([job.delivery_id for job in unposted]),
                               m.Delivery.status == "pending")
                        .values(next_attempt_at=at))


def deliver_due(db: Database, settings: Settings, *, now: dt.datetime | None = None,
                policy: DeliveryPolicy | None = None) -> DeliveryReport:
    """Make one pass: post every due delivery and record each outcome.

    ``now`` (for tests and replays) stands for the current time throughout:
    what is due, the signature timestamp and the next attempt's time.
    """
    rules = policy or DeliveryPolicy.from_settings(settings)
    runs = _lease(db, now or m.utcnow(), rules)
    if not runs:
        return DeliveryReport()
    opener = Outbound.from_settings(settings).opener(follow_redirects=False)

    def send(run: list[_Job]) -> list[str]:
        """Post a webhook's run in order; the first failure ends it (the rest wait)."""
        settled = []
        for job in run:
            outcome = _post(job, now, rules.timeout_s, opener)
            settled.append(_settle(db, job, outcome, now or m.utcnow(), rules))
            if not outcome.ok:
                _release(db, run[len(settled):], now or m.utcnow())
                break
        return settled

    with ThreadPoolExecutor(max_workers=max(1, min(rules.concurrency, len(runs)))) as pool:
        outcomes = [status for statuses in pool.map(send, runs) for status in statuses]
    counts = Counter(outcomes)
    return DeliveryReport(len(outcomes), counts["delivered"], counts["pending"], counts["dead"])


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
