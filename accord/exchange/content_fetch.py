"""Fetch untrusted content by URL without becoming a way into the node's own network.

A caller that hands Accord a URL (``/hma/h/hash?url=``, ``/hma/c/bank/B/content?url=``)
asks the node to make a request on its behalf: the classic server-side request
forgery. ``fetch_url`` makes that request only under a ``FetchPolicy``:

- the URL is ``http`` or ``https``, carries no user name or password, and names a
  host on the allow-list (``ACCORD_FETCH_ALLOWED_HOSTS``; empty, the default,
  refuses every URL). An entry matches its host exactly; ``*.example.org``
  matches that domain's subdomains;
- the host is resolved once, and every address it resolves to must pass the
  node's one outbound rule (:mod:`accord.safeguards.outbound`, the rule webhooks
  and peers follow): loopback, private, link-local, unique-local, the cloud
  metadata addresses, shared, reserved, multicast and unspecified addresses, and
  IPv6 forms that carry one (mapped, NAT64, 6to4), are refused unless the
  operator's ``ACCORD_OUTBOUND_ALLOW`` permits them or the fetch allow-list names
  that address itself (``127.0.0.1``). The connection goes to the address that
  was checked, never to a second lookup (no DNS rebinding between check and
  connect);
- a redirect is followed (at most ``max_redirects``) only after its target
  passes the same checks;
- the body is held to ``max_bytes`` (the ``Content-Length`` first, then what is
  read) and the whole fetch, redirects included, to ``timeout_seconds``.

Every refusal is a typed error: ``FetchRefused`` (the URL breaks the policy),
``FetchFailed`` (the remote end failed), ``errors.TooLarge`` (over the size
limit). Messages name the host, never the full URL (it may carry a partner's
content reference).

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from accord.config import Settings
from accord.errors import Invalid, TooLarge, trimmed
from accord.safeguards.outbound import Outbound, reason_refused

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchRefused(Invalid):
    """The URL breaks the fetch policy (scheme, host not allowed, non-public address)."""

    title = "URL refused"


class FetchFailed(Invalid):
    """The remote server could not be reached or did not answer with the content."""

    title = "Fetch failed"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Which hosts may be fetched from, and the size and time limits."""

    allowed_hosts: frozenset[str]
    max_bytes: int
    timeout_seconds: float
    max_redirects: int = 5
    outbound: Outbound = field(default_factory=Outbound)

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The node's policy: ``ACCORD_FETCH_ALLOWED_HOSTS``, ``ACCORD_MAX_FILE_BYTES``,
        ``ACCORD_FETCH_TIMEOUT_SECONDS`` and the outbound rule (``ACCORD_OUTBOUND_ALLOW``)."""
        return cls(frozenset(h.strip().lower() for h in settings.fetch_allowed_hosts
                             if h.strip()),
                   settings.max_file_bytes, settings.fetch_timeout_seconds,
                   outbound=Outbound.from_settings(settings))

    def host_allowed(self, host: str) -> bool:
        """Whether the allow-list names ``host`` (exactly, or by a ``*.domain`` entry)."""
        if host in self.allowed_hosts:
            return True
        return any(entry.startswith("*.") and host.endswith(entry[1:])
                   for entry in self.allowed_hosts)

    def address_allowed(self, address: IpAddress) -> bool:
        """What the outbound rule permits, and the internal addresses the allow-list
        names literally."""
        if self.outbound.permits(address):
            return True
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return str(address) in self.allowed_hosts


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a URL gave: its bytes, the media type the server claimed, the final URL."""

    data: bytes
    content_type: str
    url: str


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def fetch_url(url: str, policy: FetchPolicy) -> Fetched:
    """GET ``url`` under ``policy`` (see the module docstring); redirects re-checked."""
    deadline = time.monotonic() + policy.timeout_seconds
    for _ in range(policy.max_redirects + 1):
        target = check_url(url, policy)
        address = resolve(target, policy)
        response = _request(target, address, deadline)
        try:
            location = response.getheader("Location")
            if response.status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchFailed("{host} answered HTTP {status}",
                                  hint="check that the URL is right and publicly readable",
                                  host=target.host, status=response.status)
            data = _read(response, target.host, policy, deadline)
            return Fetched(data, response.getheader("Content-Type") or "", url)
        finally:
            response.close()
    raise FetchFailed("more than {max_redirects} redirects",
                      hint="hand Accord the content's final URL",
                      max_redirects=policy.max_redirects)


def check_url(url: str, policy: FetchPolicy) -> _Target:
    """The parts of ``url`` once its scheme, form and host pass ``policy``."""
    if not policy.allowed_hosts:
        raise FetchRefused("fetching content by URL is turned off on this node",
                           hint="upload the file instead, or ask the operator to list the "
                                "host in ACCORD_FETCH_ALLOWED_HOSTS")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused("the URL {url} is malformed", url=trimmed(url)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("only http and https URLs with a host can be fetched",
                           hint="e.g. https://media.example.org/image.jpg")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("URLs with a user name or password are not fetched")
    host = parts.hostname.lower().rstrip(".")
    if not policy.host_allowed(host):
        raise FetchRefused("host {host} is not on this node's fetch allow-list",
                           hint="ask the operator to add it to ACCORD_FETCH_ALLOWED_HOSTS",
                           host=trimmed(host))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return _Target(parts.scheme, host, port or default, path)


def resolve(target: _Target, policy: FetchPolicy) -> IpAddress:
    """The address to connect to: every address of the host must pass ``policy``."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchFailed("host {host} could not be resolved", host=trimmed(target.host)) from None
    addresses = _unique(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found)
    refused = [a for a in addresses if not policy.address_allowed(a)]
    if refused or not addresses:
        why = f"a {reason_refused(refused[0])} address, {refused[0]}" if refused else "none"
        raise FetchRefused("host {host} resolves to a non-public address ({why})",
                           hint="Accord does not fetch from its own network; list the address "
                                "itself in ACCORD_FETCH_ALLOWED_HOSTS if it really should",
                           host=trimmed(target.host), why=why)
    return addresses[0]


def _unique(addresses: Iterable[IpAddress]) -> list[IpAddress]:
    return list(dict.fromkeys(addresses))


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked against the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _request(target: _Target, address: IpAddress, deadline: float) -> http.client.HTTPResponse:
    left = _left(deadline, target.host)
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPS(target.host, str(address), target.port, left)
    else:
        conn = http.client.HTTPConnection(str(address), target.port, timeout=left)
    default = target.port == (443 if target.scheme == "https" else 80)
    try:
        conn.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", target.host if default else f"{target.host}:{target.port}")
        conn.putheader("User-Agent", "accord-fetch")
        conn.putheader("Accept-Encoding", "identity")
        conn.endheaders()
        return conn.getresponse()
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        raise FetchFailed("fetching from {host} failed: {kind}", host=trimmed(target.host),
                          kind=type(error).__name__) from None


def _read(response: http.client.HTTPResponse, host: str, policy: FetchPolicy,
          deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > policy.max_bytes:
        raise TooLarge("the content at {host} is {declared:,} bytes; the limit is {max_bytes:,}",
                       host=trimmed(host), declared=int(declared), max_bytes=policy.max_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            _set_timeout(response, _left(deadline, host))
            chunk = response.read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > policy.max_bytes:
                raise TooLarge("the content at {host} is over the limit of {max_bytes:,} bytes",
                               host=trimmed(host), max_bytes=policy.max_bytes)
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed("reading from {host} failed: {kind}", host=trimmed(host),
                          kind=type(error).__name__) from None


def _set_timeout(response: http.client.HTTPResponse, seconds: float) -> None:
    # Each read may wait at most what is left of the whole fetch's time.
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _left(deadline: float, host: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed("fetching from {host} took longer than the time limit",
                          hint="ACCORD_FETCH_TIMEOUT_SECONDS sets it", host=trimmed(host))
    return left
