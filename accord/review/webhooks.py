"""Partners' webhooks: registering them, queueing events, listing deliveries.

``enqueue`` is called inside the transaction of the change it reports, so an
event is queued exactly when its change commits; ``accord.review.delivery``
sends queued deliveries, signed (``accord.review.signing``), retried with
backoff and dead-lettered. Payloads carry ids, hashes, labels, states and
times, never content.

The secret is random, returned once by ``webhook_add`` and kept in the
database because signing needs it in the clear (unlike API keys, which are
stored as hashes); it never appears in records, audit details or messages.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.review.delivery import DeliveryPolicy, DeliveryWorker, deliver_due
from accord.review.records import DeliveryRecord, DeliveryReport, WebhookRecord
from accord.review.signing import sign, signed_headers, verify_signature
from accord.safeguards import outbound
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

__all__ = [
    "EVENTS",
    "DeliveryPolicy",
    "DeliveryReport",
    "DeliveryWorker",
    "check_url",
    "deliver_due",
    "delivery_list",
    "enqueue",
    "sign",
    "signed_headers",
    "verify_signature",
    "webhook_add",
    "webhook_delete",
    "webhook_list",
    "webhook_set_active",
    "webhook_test",
]

#: Events a webhook may subscribe to ("*" subscribes to all). ``ping`` is sent
#: by ``webhook_test`` whatever the subscription.
EVENTS = ("match.auto_actioned", "verdict.confirmed", "verdict.rejected", "signal.disputed")
PING = "ping"
SECRET_PREFIX = "whsec_"
_ADMIN = frozenset({Role.ADMIN})
_URL_MAX = 2000


def check_url(url: str, settings: Settings | None = None) -> str:
    """A webhook URL, checked (``accord.safeguards.outbound``): ``https://``, never to an
    internal address unless ``ACCORD_OUTBOUND_ALLOW`` allows it, plain ``http://`` only to
    such an allowed address. Each delivery checks the resolved address again."""
    return outbound.check_url(url, outbound.Outbound.from_settings(settings),
                              what="webhook URL", https_only=True, max_length=_URL_MAX)


def _check_events(events: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(e.strip().lower() for e in events if e.strip()))
    hint, events = 'use one or more of: {events}, or "*" for all', ", ".join(EVENTS)
    if not wanted:
        raise Invalid("a webhook needs at least one event", hint=hint, events=events)
    unknown = [e for e in wanted if e != "*" and e not in EVENTS]
    if unknown:
        raise Invalid("unknown webhook event {unknown}", hint=hint, events=events,
                      unknown=trimmed(unknown[0]))
    return ("*",) if "*" in wanted else wanted


def _owner(session: Session, actor: Actor, partner: str | int | None, action: str) -> int:
    """The partner whose webhooks are managed: the actor's own, or one named by the operator."""
    if partner is None:
        if actor.partner_id is None:
            raise Invalid("the node operator must name the partner to {action} for",
                          hint="pass partner=<name or id>", action=action)
        partner_id = actor.partner_id
    else:
        partner_id = find_partner(session, partner).id
    actor.require_partner(partner_id, action)
    actor.require(_ADMIN, action)
    return partner_id


def _record(row: m.Webhook) -> WebhookRecord:
    return WebhookRecord(row.id, row.partner_id, row.url, tuple(row.events), row.active,
                         row.created_at)


def _delivery_record(row: m.Delivery) -> DeliveryRecord:
    return DeliveryRecord(row.id, row.webhook_id, row.event, row.status, row.attempts,
                          row.next_attempt_at, row.last_status_code, row.last_error,
                          row.created_at, row.delivered_at)


def _audit_url(url: str) -> str:
    """The URL as audited: scheme, host and path (a query string may hold a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def webhook_add(
    db: Database, actor: Actor, url: str, events: Iterable[str], *,
    partner: str | int | None = None, settings: Settings | None = None,
) -> tuple[WebhookRecord, str]:
    """Register a webhook for a partner (its admins, or the operator naming it).

    Returns the record and the signing secret, which is shown this once. ``settings``
    carries the operator's outbound allow-list (None: no internal address is allowed).
    """
    clean, wanted = check_url(url, settings), _check_events(events)
    with db.transaction() as session:
        partner_id = _owner(session, actor, partner, "add webhooks")
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        row = m.Webhook(partner_id=partner_id, url=clean, secret=secret, events=list(wanted),
                        active=True, created_at=m.utcnow())
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.WEBHOOK_ADD, "webhook", row.id, {
            "partner": partner_id, "url": _audit_url(clean), "events": list(wanted),
        })
        return _record(row), secret


def webhook_list(db: Database, actor: Actor, *, partner: str | int | None = None
                 ) -> list[WebhookRecord]:
    """A partner's webhooks, oldest first (admins, or the operator naming the partner)."""
    with db.reader() as session:
        partner_id = _owner(session, actor, partner, "list webhooks")
        rows = session.execute(select(m.Webhook).where(m.Webhook.partner_id == partner_id)
                               .order_by(m.Webhook.id)).scalars()
        return [_record(w) for w in rows]


def _admin_webhook(session: Session, actor: Actor, webhook_id: int, action: str) -> m.Webhook:
    row = session.get(m.Webhook, webhook_id)
    if row is None or not (actor.is_operator or actor.partner_id == row.partner_id):
        raise NotFound("no webhook {webhook_id}", hint="list your webhooks to find its id",
                       webhook_id=webhook_id)
    actor.require(_ADMIN, action)
    return row


def webhook_set_active(db: Database, actor: Actor, webhook_id: int, active: bool
                       ) -> WebhookRecord:
    """Pause (``active=False``) or resume a webhook; paused ones get no new deliveries."""
    with db.transaction() as session:
        row = _admin_webhook(session, actor, webhook_id, "change webhooks")
        if row.active != active:
            row.active = active
            audit.record(session, actor, audit.AuditAction.WEBHOOK_RESUME if active
                         else audit.AuditAction.WEBHOOK_PAUSE,
                         "webhook", row.id, {"partner": row.partner_id})
        return _record(row)


def webhook_delete(db: Database, actor: Actor, webhook_id: int) -> WebhookRecord:
    """Remove a webhook with its secret and its deliveries (pending ones are not sent).

    The audit log keeps that it existed, where it pointed and how many deliveries went.
    """
    with db.transaction() as session:
        row = _admin_webhook(session, actor, webhook_id, "delete webhooks")
        record = _record(row)
        dropped = session.execute(select(func.count()).select_from(m.Delivery).where(
            m.Delivery.webhook_id == row.id)).scalar_one()
        session.execute(delete(m.Delivery).where(m.Delivery.webhook_id == row.id))
        session.delete(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.WEBHOOK_DELETE, "webhook", record.id,
                     {"partner": record.partner_id, "url": _audit_url(record.url),
                      "deliveries_removed": dropped})
        return record


def webhook_test(db: Database, actor: Actor, webhook_id: int) -> DeliveryRecord:
    """Queue a ``ping`` delivery to one webhook; the delivery worker sends it."""
    with db.transaction() as session:
        row = _admin_webhook(session, actor, webhook_id, "test webhooks")
        if not row.active:
            raise Conflict("webhook {webhook_id} is paused", hint="resume it first, then test it",
                           webhook_id=webhook_id)
        delivery = _queue(session, row, PING, {"webhook_id": row.id,
                                               "partner_id": row.partner_id}, m.utcnow())
        audit.record(session, actor, audit.AuditAction.WEBHOOK_TEST, "webhook", row.id,
                     {"delivery": delivery.id})
        return _delivery_record(delivery)


def delivery_list(db: Database, actor: Actor, webhook_id: int, *, limit: int = 100,
                  status: str | None = None) -> list[DeliveryRecord]:
    """A webhook's deliveries, newest first, optionally of one status."""
    with db.reader() as session:
        _admin_webhook(session, actor, webhook_id, "list webhook deliveries")
        query = select(m.Delivery).where(m.Delivery.webhook_id == webhook_id)
        if status is not None:
            query = query.where(m.Delivery.status == status)
        rows = session.execute(query.order_by(m.Delivery.id.desc())
                               .limit(max(1, min(limit, 1000)))).scalars()
        return [_delivery_record(d) for d in rows]


def body_json(data: Mapping[str, Any]) -> str:
    """The one serialisation of a delivery body (compact, sorted keys)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def _queue(session: Session, hook: m.Webhook, event: str, payload: Mapping[str, Any],
           now: dt.datetime) -> m.Delivery:
    row = m.Delivery(webhook_id=hook.id, event=event, payload="", status="pending",
                     attempts=0, next_attempt_at=now, created_at=now)
    session.add(row)
    session.flush()  # the body names its own delivery id, for receivers' de-duplication
    row.payload = body_json({"id": row.id, "event": event, "created_at": now.isoformat(),
                             "data": dict(payload)})
    return row


def enqueue(session: Session, partner_id: int, event: str, payload: Mapping[str, Any],
            *, not_before: dt.datetime | None = None, verdict_id: int | None = None
            ) -> list[int]:
    """Queue ``event`` for each active webhook of ``partner_id`` subscribed to it.

    Call it inside the transaction of the change it reports. Returns the new
    delivery ids (none when the partner has no matching webhook). ``not_before``
    holds the deliveries until then (a verdict's undo window); ``verdict_id`` ties
    them to the verdict they announce, so an undo can cancel them.
    """
    if event not in EVENTS and event != PING:
        raise Invalid("unknown webhook event {event}", hint="use one of: {events}",
                      event=trimmed(event), events=", ".join(EVENTS))
    hooks = session.execute(select(m.Webhook).where(
        m.Webhook.partner_id == partner_id, m.Webhook.active.is_(True),
    ).order_by(m.Webhook.id)).scalars().all()
    now = m.utcnow()
    rows = [_queue(session, hook, event, payload, now) for hook in hooks
            if event in hook.events or "*" in hook.events]
    for row in rows:
        row.verdict_id = verdict_id
        row.next_attempt_at = max(now, not_before or now)
    return [row.id for row in rows]
