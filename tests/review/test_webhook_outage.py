"""A webhook receiver that is down for an hour loses nothing.

With the default delivery policy, on a simulated clock: while the receiver answers
503 it gets one request per backoff step (not one per queued event); once it is back
every event reaches it exactly once, in the order it was queued, correctly signed,
within one backoff cap. A delivery that runs out of attempts is a visible dead letter,
and the events behind it still go out, in order.
"""

from __future__ import annotations

import datetime as dt

from accord import audit
from accord.config import Settings
from accord.review import service, webhooks
from accord.review.delivery import DeliveryPolicy
from accord.review.signing import HEADER_DELIVERY, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import Receiver, ReviewNode

SETTINGS = Settings(outbound_allow=("127.0.0.0/8",))  # the receiver is on loopback
EVENTS = 20
STEP = dt.timedelta(seconds=10)
HOUR = dt.timedelta(hours=1)


def _queue_events(db: Database, node: ReviewNode) -> None:
    for n in range(EVENTS):  # one match.auto_actioned event each, queued in this order
        [rec] = service.record_matches(db, node.integrator_b, f"upload-{n}", [node.auto])
        assert rec.state == "auto-actioned"


def _run_until(db: Database, policy: DeliveryPolicy, at: dt.datetime, end: dt.datetime,
               done: object = None) -> dt.datetime:
    """Delivery passes every 10 s of simulated time from ``at`` until ``end`` (or until
    nothing is pending, with ``done``); returns the time reached."""
    while at < end:
        webhooks.deliver_due(db, SETTINGS, now=at, policy=policy)
        if done is not None and not _pending(db):
            return at
        at += STEP
    return at


def _pending(db: Database) -> int:
    with db.reader() as session:
        return session.query(m.Delivery).filter_by(status="pending").count()


def _ids_and_signatures(receiver: Receiver, secret: str, first: int) -> tuple[list[int], bool]:
    got = receiver.requests[first:]
    ids = [int(r.headers[HEADER_DELIVERY]) for r in got]
    signed = all(r.headers[HEADER_SIGNATURE] == sign(secret, r.headers[HEADER_TIMESTAMP], r.body)
                 for r in got)
    return ids, signed


def test_an_hour_long_outage_delivers_every_event_once_in_order_when_the_receiver_returns(
    db: Database, node: ReviewNode, receiver: Receiver
) -> None:
    receiver.status = 503
    hook, secret = webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"],
                                        settings=SETTINGS)
    _queue_events(db, node)
    policy = DeliveryPolicy.from_settings(SETTINGS)  # the defaults
    t0 = m.utcnow() + dt.timedelta(seconds=1)
    back = _run_until(db, policy, t0, t0 + HOUR)
    tried_while_down = len(receiver.requests)
    # One request per backoff step (10 s doubling, capped at 15 min): 10 in the hour.
    assert 5 <= tried_while_down <= 12
    assert {int(r.headers[HEADER_DELIVERY]) for r in receiver.requests} == {
        min(d.id for d in webhooks.delivery_list(db, node.admin_b, hook.id))}  # the head only

    receiver.status = 200
    finished = _run_until(db, policy, back, back + HOUR, done=True)
    assert _pending(db) == 0
    assert finished - back <= dt.timedelta(seconds=policy.backoff_cap_s) + STEP
    ids, signed = _ids_and_signatures(receiver, secret, tried_while_down)
    queued = sorted(d.id for d in webhooks.delivery_list(db, node.admin_b, hook.id))
    assert ids == queued  # each once, in the order queued
    assert signed
    states = {(d.status, d.last_status_code) for d in webhooks.delivery_list(
        db, node.admin_b, hook.id)}
    assert states == {("delivered", 200)}


def test_a_dead_letter_is_listed_and_audited_and_the_events_behind_it_still_go_out_in_order(
    db: Database, node: ReviewNode, receiver: Receiver
) -> None:
    receiver.status = 500
    hook, secret = webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"],
                                        settings=SETTINGS)
    _queue_events(db, node)
    short = DeliveryPolicy(max_attempts=3, backoff_s=10, timeout_s=2)
    t0 = m.utcnow() + dt.timedelta(seconds=1)
    at = _run_until(db, short, t0, t0 + dt.timedelta(seconds=35))  # 3 attempts: dead
    [dead] = [d for d in webhooks.delivery_list(db, node.admin_b, hook.id)
              if d.status == "dead"]
    assert dead.attempts == 3 and dead.last_error == "HTTP 500"
    [event] = list(audit.events(db, object_type="delivery", object_id=str(dead.id)))
    assert event.action == "webhook.delivery_dead"

    receiver.status = 200
    first = len(receiver.requests)
    _run_until(db, short, at, at + HOUR, done=True)
    ids, signed = _ids_and_signatures(receiver, secret, first)
    queued = sorted(d.id for d in webhooks.delivery_list(db, node.admin_b, hook.id))
    assert ids == [i for i in queued if i != dead.id] and signed
    assert [d.status for d in webhooks.delivery_list(db, node.admin_b, hook.id)
            ].count("dead") == 1
