"""Webhooks: registration, signed deliveries to a real local receiver, retries, dead letters."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import select

from accord import audit
from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.matching.service import MatchedSignal
from accord.review import service, webhooks
from accord.review.delivery import DeliveryPolicy, DeliveryWorker
from accord.review.signing import sign, verify_signature
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import Receiver, ReviewNode

FAST = DeliveryPolicy(max_attempts=3, backoff_s=10, timeout_s=2)
LOOPBACK_ALLOWED = Settings(outbound_allow=("127.0.0.0/8", "::1/128"))


def _soon() -> dt.datetime:
    """A moment just after anything queued so far (the tests drive time with ``now``)."""
    return m.utcnow() + dt.timedelta(seconds=1)


def test_a_webhook_is_added_by_an_admin_and_its_secret_is_shown_once(
    db: Database, node: ReviewNode
) -> None:
    hook, secret = webhooks.webhook_add(db, node.admin_b, "https://hooks.b.example/accord",
                                        ["verdict.confirmed", "verdict.rejected"])
    assert secret.startswith("whsec_") and len(secret) > 40
    assert (hook.partner_id, hook.events, hook.active) == (
        node.platform_b, ("verdict.confirmed", "verdict.rejected"), True)
    assert webhooks.webhook_list(db, node.admin_b) == [hook]
    assert secret not in repr(hook)
    [event] = list(audit.events(db, object_type="webhook", object_id=str(hook.id)))
    assert event.action == "webhook.add" and secret not in json.dumps(event.details)
    with pytest.raises(PermissionDenied, match="may not add webhooks"):
        webhooks.webhook_add(db, node.reviewer_b, "https://b.example/h", ["*"])
    with pytest.raises(PermissionDenied, match="another partner"):
        webhooks.webhook_add(db, node.admin_b, "https://b.example/h", ["*"],
                             partner="Platform C")
    assert webhooks.webhook_list(db, node.admin_a) == []


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/accord", "http://10.0.0.5/accord", "ftp://example.com/x",
    "https://user:pw@example.com/x", "hooks.example.com/accord", "https://", "",
])
def test_a_webhook_url_must_be_https_unless_it_is_loopback(url: str) -> None:
    with pytest.raises(Invalid, match="webhook URL"):
        webhooks.check_url(url)


def test_adding_a_webhook_refuses_plain_http_to_another_host(
    db: Database, node: ReviewNode
) -> None:
    with pytest.raises(Invalid, match=r"host 'hooks\.example\.com' must use https://"):
        webhooks.webhook_add(db, node.admin_b, "http://hooks.example.com/accord", ["*"])
    assert webhooks.webhook_list(db, node.admin_b) == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/h", "http://localhost/h",
                                 "http://[::1]:9000/h", "https://example.com/h?token=1"])
def test_loopback_http_and_any_https_url_are_accepted(url: str) -> None:
    assert webhooks.check_url(url, LOOPBACK_ALLOWED) == url


def test_events_must_be_known(db: Database, node: ReviewNode) -> None:
    with pytest.raises(Invalid, match=r"unknown webhook event 'match\.everything'"):
        webhooks.webhook_add(db, node.admin_b, "https://b.example/h", ["match.everything"])
    with pytest.raises(Invalid, match="at least one event"):
        webhooks.webhook_add(db, node.admin_b, "https://b.example/h", [])


def test_a_delivery_reaches_a_real_receiver_correctly_signed(
    db: Database, node: ReviewNode, settings: Settings, receiver: Receiver
) -> None:
    hook, secret = webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"],
                                     settings=settings)
    queued = webhooks.webhook_test(db, node.admin_b, hook.id)
    now = _soon()
    report = webhooks.deliver_due(db, settings, now=now, policy=FAST)
    assert (report.attempted, report.delivered) == (1, 1)
    [got] = receiver.requests
    headers = {k.lower(): v for k, v in got.headers.items()}
    assert headers["x-accord-event"] == "ping"
    assert headers["x-accord-delivery"] == str(queued.id)
    assert headers["x-accord-timestamp"] == str(int(now.timestamp()))
    assert headers["x-accord-signature"].startswith("v1=")
    assert verify_signature(secret, headers["x-accord-timestamp"],
                            headers["x-accord-signature"], got.body, now=now)
    assert not verify_signature("whsec_wrong", headers["x-accord-timestamp"],
                                headers["x-accord-signature"], got.body, now=now)
    assert not verify_signature(secret, headers["x-accord-timestamp"],
                                headers["x-accord-signature"], got.body + b" ", now=now)
    body = json.loads(got.body)
    assert body == {"id": queued.id, "event": "ping", "created_at": body["created_at"],
                    "data": {"webhook_id": hook.id, "partner_id": node.platform_b}}
    [done] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert (done.status, done.attempts, done.last_status_code, done.next_attempt_at) == (
        "delivered", 1, 200, None)
    assert webhooks.deliver_due(db, settings, now=now + dt.timedelta(hours=1),
                                policy=FAST).attempted == 0


def test_a_stale_or_future_timestamp_fails_verification() -> None:
    body, secret, at = b'{"id":1}', "whsec_s", 1_700_000_000
    signature = sign(secret, at, body)
    assert verify_signature(secret, str(at), signature, body, now=at + 300)
    assert not verify_signature(secret, str(at), signature, body, now=at + 301)
    assert not verify_signature(secret, str(at), signature, body, now=at - 301)
    assert not verify_signature(secret, str(at), signature, body,
                                now=dt.datetime.fromtimestamp(at + 3600, dt.UTC))
    assert not verify_signature(secret, "not-a-time", signature, body, now=at)
    # rotation: any of several comma-separated signatures may match
    assert verify_signature(secret, str(at), f"v1=00, {signature}", body, now=at)


def test_a_failing_receiver_gets_retries_with_growing_delays_then_a_dead_letter(
    db: Database, node: ReviewNode, settings: Settings, receiver: Receiver
) -> None:
    receiver.status = 500
    hook, _ = webhooks.webhook_add(db, node.admin_b, receiver.url, ["*"],
                                     settings=settings)
    webhooks.webhook_test(db, node.admin_b, hook.id)
    t0 = _soon()

    def run(at: dt.datetime) -> tuple[int, int, int]:
        rep = webhooks.deliver_due(db, settings, now=at, policy=FAST)
        return rep.attempted, rep.retrying, rep.dead

    assert run(t0) == (1, 1, 0)
    [first] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
    assert first.next_attempt_at == t0 + dt.timedelta(seconds=10)
    assert run(t0 + dt.timedelta(seconds=9)) == (0, 0, 0)  # not due yet
    t1 = t0 + dt.timedelta(seconds=10)
    assert run(t1) == (1, 1, 0)
    [second] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert second.next_attempt_at == t1 + dt.timedelta(seconds=20)  # the delay doubled
    assert run(t1 + dt.timedelta(seconds=19)) == (0, 0, 0)
    assert run(t1 + dt.timedelta(seconds=20)) == (1, 0, 1)
    [dead] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert (dead.status, dead.attempts, dead.next_attempt_at) == ("dead", 3, None)
    assert dead.last_error is not None and "500" in dead.last_error
    assert len(receiver.requests) == 3
    assert run(t1 + dt.timedelta(days=1)) == (0, 0, 0)
    [event] = list(audit.events(db, object_type="delivery", object_id=str(dead.id)))
    assert event.action == "webhook.delivery_dead"
    assert audit.verify(db).ok


def test_an_unreachable_receiver_is_an_attempt_with_an_error(
    db: Database, node: ReviewNode, settings: Settings, receiver: Receiver
) -> None:
    hook, _ = webhooks.webhook_add(db, node.admin_b, "http://127.0.0.1:9/nothing-here", ["*"],
                                  settings=settings)
    webhooks.webhook_test(db, node.admin_b, hook.id)
    assert webhooks.deliver_due(db, settings, now=_soon(), policy=FAST).retrying == 1
    [attempt] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert attempt.last_status_code is None
    assert attempt.last_error is not None and attempt.last_error.startswith("cannot connect")


def test_backoff_is_capped() -> None:
    policy = DeliveryPolicy(backoff_s=10, backoff_cap_s=60)
    assert [policy.delay(n).total_seconds() for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_the_policy_reads_webhook_settings_where_present() -> None:
    assert DeliveryPolicy.from_settings(Settings()) == DeliveryPolicy()


def test_a_paused_webhook_gets_no_new_deliveries(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    hook, _ = webhooks.webhook_add(db, node.admin_b, "https://b.example/h", ["*"])
    webhooks.webhook_set_active(db, node.admin_b, hook.id, False)
    service.record_matches(db, node.integrator_b, "ref-1", [node.auto])
    assert webhooks.delivery_list(db, node.admin_b, hook.id) == []
    with pytest.raises(Conflict, match="paused"):
        webhooks.webhook_test(db, node.admin_b, hook.id)
    assert webhooks.webhook_set_active(db, node.admin_b, hook.id, True).active
    actions = [e.action for e in audit.events(db, object_type="webhook",
                                              object_id=str(hook.id))]
    assert actions == ["webhook.add", "webhook.pause", "webhook.resume"]


def test_another_partners_webhook_is_not_found(db: Database, node: ReviewNode) -> None:
    hook, _ = webhooks.webhook_add(db, node.admin_b, "https://b.example/h", ["*"])
    with pytest.raises(NotFound, match=f"no webhook {hook.id}"):
        webhooks.webhook_test(db, node.admin_a, hook.id)
    with pytest.raises(NotFound):
        webhooks.delivery_list(db, node.admin_a, hook.id)
    assert [d.event for d in webhooks.delivery_list(
        db, Actor.operator(), webhooks.webhook_test(db, Actor.operator(), hook.id).webhook_id
    )] == ["ping"]


def test_the_worker_delivers_in_the_background(
    db: Database, node: ReviewNode, settings: Settings, receiver: Receiver
) -> None:
    _hook, secret = webhooks.webhook_add(db, node.admin_b, receiver.url,
                                         ["match.auto_actioned"], settings=settings)
    worker = DeliveryWorker(db, settings, interval_s=0.05, policy=FAST)
    worker.start()
    worker.start()  # idempotent
    try:
        [rec] = service.record_matches(db, node.integrator_b, "ref-1", [node.auto])
        deadline = m.utcnow() + dt.timedelta(seconds=10)
        while not receiver.requests and m.utcnow() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert not worker.running
    [got] = receiver.requests
    headers = {k.lower(): v for k, v in got.headers.items()}
    assert verify_signature(secret, headers["x-accord-timestamp"],
                            headers["x-accord-signature"], got.body)
    assert json.loads(got.body)["data"]["match_id"] == rec.id


def test_webhook_payloads_carry_a_long_signals_value_not_its_storage_key(
    db: Database, node: ReviewNode, settings: Settings
) -> None:
    # A value over 200 characters is stored under a "sha256:..." key; partners
    # must still be told the value itself (issue 14's named defect).
    url = "https://media.example.com/" + "/".join(f"part{i:03d}" for i in range(40))
    added = signals.signal_add(db, node.curator_a, "a-auto", SignalInput(
        "url", url, tlp="GREEN", labels=("entity:qde-900",)), settings)
    with db.reader() as session:
        assert session.get_one(m.Signal, added.id).value.startswith("sha256:")
    requester, _ = webhooks.webhook_add(db, node.admin_b, "https://b.example/hook", ["*"])
    owner, _ = webhooks.webhook_add(db, node.admin_a, "https://a.example/hook", ["*"])
    matched = MatchedSignal(added.id, "url", added.value, 0, "a-auto", added.labels,
                            "GREEN", False)
    [rec] = service.record_matches(db, node.integrator_b, "ref-long", [matched])
    service.decide(db, node.reviewer_b, rec.id, "reject", "not this one", settings,
                   false_positive=True)
    with db.reader() as session:
        sent = {d.event: json.loads(d.payload)["data"] for d in session.execute(
            select(m.Delivery).where(m.Delivery.webhook_id.in_([requester.id, owner.id]))
        ).scalars()}
    assert set(sent) == {"match.auto_actioned", "verdict.rejected", "signal.disputed"}
    assert {event: data["value"] for event, data in sent.items()} == dict.fromkeys(sent, url)
