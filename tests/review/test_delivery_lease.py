"""A delivery leased by a worker that then died goes out again soon: 10 s after the lease's
posts could all have timed out, another worker (or replica) picks it up, and not before
its lease ends."""

from __future__ import annotations

import dataclasses
import datetime as dt

from accord.config import Settings
from accord.review import service, webhooks
from accord.review.delivery import DeliveryPolicy, _lease
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import Receiver, ReviewNode

SETTINGS = Settings(outbound_allow=("127.0.0.0/8",))  # the receiver is on loopback
TIMEOUT_S = 2.0


def test_a_dead_workers_lease_runs_out_ten_seconds_after_its_posts_would_have(
    db: Database, node: ReviewNode, receiver: Receiver
) -> None:
    webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"], settings=SETTINGS)
    service.record_matches(db, node.integrator_b, "upload-1", [node.auto])
    policy = dataclasses.replace(DeliveryPolicy.from_settings(SETTINGS), timeout_s=TIMEOUT_S)
    t0 = m.utcnow() + dt.timedelta(seconds=1)
    [run] = _lease(db, t0, policy)  # worker A leases the run of one, then dies unposted
    # A's one post could take the timeout, and one more for safety: then 10 s of slack.
    expires = t0 + dt.timedelta(seconds=TIMEOUT_S * 2 + 10)
    early = webhooks.deliver_due(db, SETTINGS, now=expires - dt.timedelta(seconds=1),
                                 policy=policy)
    assert (early.attempted, receiver.requests) == (0, [])  # still A's
    again = webhooks.deliver_due(db, SETTINGS, now=expires, policy=policy)
    assert again.delivered == 1
    assert [int(r.headers["X-Accord-Delivery"]) for r in receiver.requests] == [
        run[0].delivery_id]


def _three_queued(db: Database, node: ReviewNode, receiver: Receiver) -> None:
    """A webhook with three deliveries queued for it, all due."""
    webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"], settings=SETTINGS)
    for n in range(3):
        service.record_matches(db, node.integrator_b, f"upload-{n}", [node.auto])


def test_a_second_worker_posts_nothing_of_a_run_another_is_still_posting(
    db: Database, node: ReviewNode, receiver: Receiver
) -> None:
    # The replicas' duplicate: A delivers the head, B's pass sees the next one as the new
    # head, due, and posts it while A does too.
    _three_queued(db, node, receiver)
    policy = DeliveryPolicy.from_settings(SETTINGS)
    at = m.utcnow() + dt.timedelta(seconds=1)
    [run_a] = _lease(db, at, policy)
    assert len(run_a) == 3
    with db.transaction() as session:  # A has delivered the head and is posting the next
        session.get_one(m.Delivery, run_a[0].delivery_id).status = "delivered"
    assert _lease(db, at, policy) == []  # B: nothing of A's run is due


def test_a_run_ended_by_a_failure_hands_its_unposted_rest_back_behind_the_head(
    db: Database, node: ReviewNode, receiver: Receiver
) -> None:
    _three_queued(db, node, receiver)
    policy = dataclasses.replace(DeliveryPolicy.from_settings(SETTINGS), timeout_s=TIMEOUT_S)
    receiver.status = 503  # the head fails once: its retry is due after one backoff
    t0 = m.utcnow() + dt.timedelta(seconds=1)
    first = webhooks.deliver_due(db, SETTINGS, now=t0, policy=policy)
    assert (first.attempted, first.retrying) == (1, 1)
    receiver.status = 200
    # When the head's retry is due, the whole queue goes out with it, in order.
    retry = t0 + policy.delay(1)
    again = webhooks.deliver_due(db, SETTINGS, now=retry, policy=policy)
    assert again.delivered == 3
    ids = [int(r.headers["X-Accord-Delivery"]) for r in receiver.requests]
    assert ids == [ids[0], *sorted(set(ids))]
