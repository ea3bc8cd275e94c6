"""The URL-fetch guard: allow-list, non-public addresses, redirects, size and time limits."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from accord.config import Settings
from accord.errors import TooLarge
from accord.exchange.content_fetch import (
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    check_url,
    fetch_url,
)
from accord.safeguards.outbound import Outbound


def policy(*hosts: str, max_bytes: int = 1000, timeout: float = 2.0) -> FetchPolicy:
    return FetchPolicy(frozenset(hosts), max_bytes, timeout)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.end_headers()
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(3)
        elif self.path == "/chunked-big":  # no Content-Length: the limit holds as it reads
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/declared-big":
            self.send_response(200)
            self.send_header("Content-Length", "999999")
            self.end_headers()
        else:
            body = f"host={self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_an_empty_allow_list_refuses_every_url() -> None:
    with pytest.raises(FetchRefused, match="turned off"):
        check_url("https://example.org/a.jpg", FetchPolicy.from_settings(Settings()))


def test_the_allow_list_matches_hosts_exactly_or_by_wildcard() -> None:
    rules = policy("media.example.org", "*.cdn.example.net")
    assert rules.host_allowed("media.example.org")
    assert rules.host_allowed("a.b.cdn.example.net")
    assert not rules.host_allowed("cdn.example.net")
    assert not rules.host_allowed("evilmedia.example.org")
    assert not rules.host_allowed("media.example.org.evil.com")
    check_url("https://MEDIA.example.org./a.jpg", rules)  # case and a final dot
    with pytest.raises(FetchRefused, match="allow-list"):
        check_url("https://other.example.org/a.jpg", rules)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1",
    "::ffff:169.254.169.254", "fd00:ec2::254"])
def test_non_public_addresses_are_refused_unless_listed_literally(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert not policy("example.org").address_allowed(ip)
    mapped = getattr(ip, "ipv4_mapped", None)
    assert policy(str(mapped or ip)).address_allowed(ip)


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe",
                                     "2002:a00:1::"])
def test_ipv6_forms_carrying_an_internal_ipv4_address_are_refused(address: str) -> None:
    # NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they carry; the
    # one outbound rule (accord.safeguards.outbound) judges them by it.
    assert not policy("example.org").address_allowed(ipaddress.ip_address(address))


def test_the_operators_outbound_allow_list_lets_an_internal_address_through() -> None:
    allowed = FetchPolicy(frozenset({"media.internal"}), 1000, 2.0,
                          outbound=Outbound.parse(["10.1.0.0/16"]))
    assert allowed.address_allowed(ipaddress.ip_address("10.1.2.3"))
    assert not allowed.address_allowed(ipaddress.ip_address("10.2.0.1"))
    assert not allowed.address_allowed(ipaddress.ip_address("169.254.169.254"))


def test_public_addresses_are_allowed() -> None:
    for address in ("8.8.8.8", "2001:4860:4860::8888"):
        assert policy("example.org").address_allowed(ipaddress.ip_address(address))


def test_a_listed_name_resolving_to_loopback_is_still_refused(
        server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def fake(host: str, *args: object, **kw: object) -> object:
        return real("127.0.0.1", *args, **kw) if host == "media.example.org" else real(
            host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchRefused, match="non-public address"):
        fetch_url(f"http://media.example.org:{port}/x", policy("media.example.org"))
    got = fetch_url(f"http://media.example.org:{port}/x",
                    policy("media.example.org", "127.0.0.1"))
    assert got.data == f"host=media.example.org:{port}".encode()  # connected to the checked IP


def test_redirects_are_checked_again(server: str) -> None:
    rules = policy("127.0.0.1")
    assert fetch_url(f"{server}/to/{server}/ok", rules).data.startswith(b"host=")
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchRefused, match="allow-list"):
        fetch_url(f"{server}/to/http://localhost:{port}/ok", rules)
    with pytest.raises(FetchFailed, match="redirects"):
        fetch_url(f"{server}/to/{server}/to/{server}/ok",
                  FetchPolicy(frozenset({"127.0.0.1"}), 1000, 2.0, max_redirects=1))


def test_size_and_time_limits(server: str) -> None:
    rules = policy("127.0.0.1", max_bytes=1000, timeout=1.0)
    with pytest.raises(TooLarge):
        fetch_url(f"{server}/declared-big", rules)
    with pytest.raises(TooLarge):
        fetch_url(f"{server}/chunked-big", rules)
    started = time.monotonic()
    with pytest.raises(FetchFailed):
        fetch_url(f"{server}/slow", rules)
    assert time.monotonic() - started < 2.5


def test_unreachable_and_malformed_urls_fail_cleanly() -> None:
    rules = policy("127.0.0.1", "no-such-host.invalid")
    with pytest.raises(FetchFailed):
        fetch_url("http://127.0.0.1:1/x", rules)  # nothing listens on port 1
    with pytest.raises(FetchFailed, match="resolved"):
        fetch_url("http://no-such-host.invalid/x", rules)
    for bad in ("file:///etc/passwd", "gopher://127.0.0.1/", "http:///x",
                "http://u:p@127.0.0.1/", "http://127.0.0.1:99999/"):
        with pytest.raises(FetchRefused):
            check_url(bad, rules)


def test_https_to_a_server_without_tls_fails_cleanly(server: str) -> None:
    # The pinned HTTPS connection goes to the checked address and checks the certificate
    # against the host name; a plain-HTTP server fails the handshake: a FetchFailed.
    with pytest.raises(FetchFailed, match="failed"):
        fetch_url(server.replace("http://", "https://") + "/ok", policy("127.0.0.1"))
