"""Webhooks and the outbound rule: internal URLs refused when registered and when delivered
(after resolution), and the errors a partner sees carry nothing the receiver sent."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.config import Settings
from accord.errors import Invalid
from accord.review import webhooks
from accord.review.delivery import DeliveryPolicy
from accord.store import models as m
from accord.store.database import Database
from tests.review.conftest import ReviewNode
from tests.safeguards.listener import listening
from tests.safeguards.test_outbound import fake_dns

FAST = DeliveryPolicy(max_attempts=3, backoff_s=10, timeout_s=2)
STRICT = Settings(outbound_allow=())


def _soon() -> dt.datetime:
    return m.utcnow() + dt.timedelta(seconds=1)


@pytest.mark.parametrize("url", [
    "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/x",
    "https://10.0.0.5/h", "https://192.168.1.10/h", "https://127.0.0.1/h",
    "https://localhost:8443/h", "https://[::1]/h", "https://0.0.0.0/h", "https://[fe80::1]/h",
    "http://127.0.0.1:8080/h",
])
def test_a_webhook_to_an_internal_address_is_refused_without_the_allow_list(
    db: Database, node: ReviewNode, url: str
) -> None:
    with pytest.raises(Invalid, match=r"webhook URL host .* address, which this node does not"):
        webhooks.webhook_add(db, node.admin_b, url, ["*"], settings=STRICT)
    with pytest.raises(Invalid):
        webhooks.check_url(url)  # no settings: nothing internal is allowed
    assert webhooks.webhook_list(db, node.admin_b) == []


def test_the_operator_allow_list_permits_an_internal_receiver(
    db: Database, node: ReviewNode
) -> None:
    allowed = Settings(outbound_allow=("10.0.0.0/8",))
    hook, _ = webhooks.webhook_add(db, node.admin_b, "http://10.0.0.5/h", ["*"],
                                   settings=allowed)
    assert hook.url == "http://10.0.0.5/h"
    with pytest.raises(Invalid, match="must use https://"):
        webhooks.check_url("http://hooks.example.com/h", allowed)


def test_a_delivery_to_a_name_resolving_inside_is_refused_at_connect_time(
    db: Database, node: ReviewNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name passes registration (no DNS then); each delivery resolves it and refuses
    the internal address without connecting, telling the partner only that it cannot."""
    with listening("127.0.0.1") as inside:
        fake_dns(monkeypatch, {"hooks.partner.test": [["127.0.0.1"]],
                               "gone.partner.test": [[]]})
        hook, _ = webhooks.webhook_add(db, node.admin_b,
                                       f"https://hooks.partner.test:{inside.port}/h", ["*"],
                                       settings=STRICT)
        gone, _ = webhooks.webhook_add(db, node.admin_b, "https://gone.partner.test/h",
                                       ["*"], settings=STRICT)
        webhooks.webhook_test(db, node.admin_b, hook.id)
        webhooks.webhook_test(db, node.admin_b, gone.id)
        assert webhooks.deliver_due(db, STRICT, now=_soon(), policy=FAST).retrying == 2
        assert inside.seen == []
    [refused] = webhooks.delivery_list(db, node.admin_b, hook.id)
    [unresolved] = webhooks.delivery_list(db, node.admin_b, gone.id)
    assert refused.last_error == unresolved.last_error  # no oracle on internal names
    assert refused.last_error is not None and "127.0.0.1" not in refused.last_error
    assert refused.last_error.startswith("cannot connect")


@pytest.mark.parametrize("reply", [
    b"HTTP/1.1 500 SECRET-REASON-7f3a\r\nContent-Length: 17\r\n\r\nSECRET-BODY-7f3a!",
    b"-ERR SECRET-BANNER-7f3a unknown command\r\n",
    b"HTTP/1.1 302 SECRET-7f3a\r\nLocation: http://127.0.0.1:1/SECRET-7f3a\r\n\r\n",
])
def test_a_delivery_error_carries_nothing_the_receiver_sent(
    db: Database, node: ReviewNode, settings: Settings, reply: bytes
) -> None:
    with listening("127.0.0.1", reply) as receiver:
        hook, _ = webhooks.webhook_add(db, node.admin_b, f"http://{receiver.hostport}/h",
                                       ["*"], settings=settings)
        webhooks.webhook_test(db, node.admin_b, hook.id)
        webhooks.deliver_due(db, settings, now=_soon(), policy=FAST)
        assert len(receiver.seen) == 1
    [attempt] = webhooks.delivery_list(db, node.admin_b, hook.id)
    assert attempt.status == "pending" and attempt.last_error
    assert "SECRET" not in attempt.last_error and "7f3a" not in attempt.last_error
