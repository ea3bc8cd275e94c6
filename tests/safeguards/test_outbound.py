"""The outbound rule: internal addresses refused after resolution, at connect time, on every
redirect, unless allow-listed; one resolution per connection, so no DNS rebinding."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
import requests

from accord.config import Settings
from accord.errors import Invalid
from accord.safeguards.outbound import Outbound, OutboundRefused, check_url, reason_refused
from tests.safeguards.listener import listening

Resolver = Callable[..., list[tuple[Any, ...]]]


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[list[str]]]
             ) -> dict[str, int]:
    """Make each name in ``names`` resolve to its next answer (the last one repeats);
    returns how many times each was asked."""
    real: Resolver = socket.getaddrinfo
    asked = dict.fromkeys(names, 0)

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host not in names:
            return real(host, port, *args, **kwargs)
        answers = names[host]
        answer = answers[min(asked[host], len(answers) - 1)]
        asked[host] += 1
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out: list[tuple[Any, ...]] = []
        for addr in answer:
            ip = ipaddress.ip_address(addr)
            if ip.version == 4:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, int(port))))
            else:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (addr, int(port), 0, 0)))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return asked


@pytest.mark.parametrize(("address", "why"), [
    ("127.0.0.1", "loopback"), ("127.9.9.9", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "private"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("fc00::1", "unique-local"), ("fd12:3456::1", "unique-local"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "metadata"),
    ("64:ff9b::a9fe:a9fe", "metadata"), ("2002:7f00:1::", "loopback"),
    ("2002:0a00:0001::", "private"),
])
def test_internal_addresses_are_named_and_refused(address: str, why: str) -> None:
    ip = ipaddress.ip_address(address)
    assert reason_refused(ip) == why
    assert not Outbound().permits(ip)
    with pytest.raises(OutboundRefused, match=why):
        Outbound().check_address(ip, address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert reason_refused(ipaddress.ip_address(address)) is None
    assert Outbound().permits(ipaddress.ip_address(address))


def test_the_allow_list_opens_networks_but_a_metadata_address_only_by_name() -> None:
    rule = Outbound.from_settings(Settings(outbound_allow=("127.0.0.0/8", "10.1.0.0/16",
                                                           "169.254.0.0/16")))
    assert rule.permits(ipaddress.ip_address("127.0.0.1"))
    assert rule.permits(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert rule.permits(ipaddress.ip_address("10.1.200.3"))
    assert not rule.permits(ipaddress.ip_address("10.2.0.1"))
    assert rule.permits(ipaddress.ip_address("169.254.3.4"))
    assert not rule.permits(ipaddress.ip_address("169.254.169.254"))
    assert Outbound.parse(["169.254.169.254"]).permits(ipaddress.ip_address("169.254.169.254"))
    assert Outbound.from_settings(None) == Outbound()
    with pytest.raises(Invalid, match="not an address or CIDR"):
        Outbound.parse(["intranet"])


def test_the_setting_is_read_from_the_environment_as_json(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_OUTBOUND_ALLOW", '["10.0.0.0/8", "::1"]')
    assert Settings().outbound_allow == ("10.0.0.0/8", "::1")
    monkeypatch.delenv("ACCORD_OUTBOUND_ALLOW")
    assert Settings().outbound_allow == ()


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/h", "https://localhost/h", "https://app.localhost/h",
    "https://[::1]/h", "https://10.0.0.5/h", "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/", "https://0.0.0.0/", "https://[::ffff:7f00:1]/",
])
def test_a_url_naming_an_internal_address_is_refused_when_given(url: str) -> None:
    with pytest.raises(OutboundRefused, match="address, which this node does not connect to"):
        check_url(url, Outbound(), what="URL", https_only=False)


def test_a_name_resolving_to_any_internal_address_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"mixed.test": [["93.184.216.34", "10.0.0.1"]],
                           "inside.test": [["127.0.0.1"]]})
    with pytest.raises(OutboundRefused, match="private"):
        Outbound().resolve("mixed.test", 443)
    with pytest.raises(OutboundRefused, match="loopback"):
        Outbound().connect("inside.test", 443, 1.0)


def test_a_connection_goes_to_the_checked_address_with_the_name_as_host(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rebinding: the name answers an allowed address once, then an internal one. The
    connection is made to the address that was checked; the name is asked once."""
    with listening("127.0.0.1") as good, listening("127.0.0.2") as bad:
        asked = fake_dns(monkeypatch, {"hooks.test": [["127.0.0.1"], ["127.0.0.2"]]})
        opener = Outbound.parse(["127.0.0.1/32"]).opener(follow_redirects=False)
        with opener.open(f"http://hooks.test:{good.port}/x", timeout=5) as answer:
            assert answer.status == 200
        assert asked["hooks.test"] == 1
        assert len(good.seen) == 1 and bad.seen == []
        assert f"Host: hooks.test:{good.port}".encode() in good.seen[0]
        with pytest.raises(OutboundRefused, match="loopback"):  # the second answer
            opener.open(f"http://hooks.test:{good.port}/x", timeout=5)
        assert bad.seen == []


def test_the_urllib_opener_refuses_internal_addresses_and_ignores_proxies(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with listening("127.0.0.1") as server:
        monkeypatch.setenv("http_proxy", f"http://{server.hostport}")
        with pytest.raises(OutboundRefused):
            Outbound().opener(follow_redirects=True).open(
                f"http://127.0.0.1:{server.port}/", timeout=5)
        assert server.seen == []


def _redirect_to(target: str) -> bytes:
    return (f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n").encode()


def test_every_redirect_is_checked_with_urllib() -> None:
    with listening("127.0.0.2") as inside, listening("127.0.0.1") as front:
        front.reply = _redirect_to(f"http://{inside.hostport}/secret")
        opener = Outbound.parse(["127.0.0.1/32"]).opener(follow_redirects=True)
        with pytest.raises(OutboundRefused, match="loopback"):
            opener.open(f"http://{front.hostport}/", timeout=5)
        assert len(front.seen) == 1 and inside.seen == []
        with pytest.raises(urllib.error.HTTPError, match="302"):
            Outbound.parse(["127.0.0.1/32"]).opener(follow_redirects=False).open(
                f"http://{front.hostport}/", timeout=5)


def test_every_redirect_is_checked_with_requests() -> None:
    with listening("127.0.0.2") as inside, listening("127.0.0.1") as front:
        front.reply = _redirect_to(f"http://{inside.hostport}/secret")
        session = Outbound.parse(["127.0.0.1/32"]).harden(requests.Session())
        with pytest.raises(OutboundRefused, match="loopback"):
            session.get(f"http://{front.hostport}/", timeout=5)
        assert len(front.seen) == 1 and inside.seen == []
        session = Outbound.parse(["127.0.0.0/8"]).harden(requests.Session())
        assert session.get(f"http://{front.hostport}/", timeout=5).status_code == 200
        assert len(inside.seen) == 1


def test_requests_refuses_a_name_that_resolves_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    with listening("127.0.0.1") as server:
        fake_dns(monkeypatch, {"peer.test": [["127.0.0.1"]]})
        with pytest.raises(OutboundRefused):
            Outbound().harden(requests.Session()).get(f"http://peer.test:{server.port}/",
                                                      timeout=5)
        assert server.seen == []
