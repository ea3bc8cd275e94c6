"""Where the node may connect: the one rule for every outbound request.

Webhook deliveries, peer syncs and any URL the node fetches go through here.
A host is resolved once, *every* address it resolves to is checked, and the
socket is connected to one of those checked addresses, so a name that
re-resolves elsewhere between the check and the connect (DNS rebinding)
cannot slip through: the check and the connect use the same address. The
URL's host name still goes into the ``Host`` header, the TLS SNI and the
certificate check, because only the socket's peer address is replaced.
A redirect opens a new connection, so it passes the same check.

Refused unless the operator's allow-list (``ACCORD_OUTBOUND_ALLOW``, CIDR
networks) names them: loopback, private (RFC 1918, carrier-grade NAT),
link-local, unique-local, multicast, reserved and unspecified addresses, the
cloud metadata addresses (169.254.169.254, fd00:ec2::254), and IPv6 forms
that embed one of those (IPv4-mapped, NAT64, 6to4). A metadata address is
allowed only by an entry naming that single address, never by a wider range.

Environment proxies (``http_proxy``...) are not used: a proxy would resolve
the host itself, out of this check's reach.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
from urllib3.connection import HTTPConnection as _U3HTTPConnection
from urllib3.connection import HTTPSConnection as _U3HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from accord.config import Settings
from accord.errors import Invalid, trimmed

__all__ = ["Outbound", "OutboundRefused", "check_url", "reason_refused"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA = frozenset({ipaddress.ip_address("169.254.169.254"),
                      ipaddress.ip_address("fd00:ec2::254")})
_LOCAL_NAMES = ("localhost", "localhost.", "ip6-localhost", "ip6-loopback")
_BLOCKED: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "unspecified"), ("::/128", "unspecified"),
    ("127.0.0.0/8", "loopback"), ("::1/128", "loopback"),
    ("10.0.0.0/8", "private"), ("172.16.0.0/12", "private"), ("192.168.0.0/16", "private"),
    ("100.64.0.0/10", "private"), ("192.0.0.0/24", "private"), ("198.18.0.0/15", "private"),
    ("169.254.0.0/16", "link-local"), ("fe80::/10", "link-local"),
    ("fc00::/7", "unique-local"), ("fec0::/10", "unique-local"),
    ("224.0.0.0/4", "multicast"), ("ff00::/8", "multicast"),
    ("240.0.0.0/4", "reserved"), ("192.0.2.0/24", "reserved"),
    ("198.51.100.0/24", "reserved"), ("203.0.113.0/24", "reserved"),
    ("2001:db8::/32", "reserved"), ("100::/64", "reserved"),
)
_BLOCKED_NETS = tuple((ipaddress.ip_network(n), why) for n, why in _BLOCKED)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(Invalid):
    """The node may not connect there: the address is internal and not allow-listed."""

    title = "Outbound request refused"


def _embedded(ip: Address) -> Address:
    """The IPv4 address an IPv6 form carries to (mapped, NAT64, 6to4), else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def reason_refused(ip: Address) -> str | None:
    """Why ``ip`` is internal ("loopback", "metadata"...), or None for a public address."""
    candidate = _embedded(ip)  # an IPv6 form carrying an IPv4 address is judged by it
    if candidate in METADATA:
        return "metadata"
    for net, why in _BLOCKED_NETS:
        if candidate.version == net.version and candidate in net:
            return why
    if not candidate.is_global:
        return "reserved"
    return None


@dataclass(frozen=True, slots=True)
class Outbound:
    """The outbound rule of one node: which internal networks its operator allows."""

    allow: tuple[Network, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Outbound:
        """The rule from ``ACCORD_OUTBOUND_ALLOW`` (None: nothing internal is allowed)."""
        return cls.parse(settings.outbound_allow if settings is not None else ())

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Outbound:
        """A rule from CIDR networks or single addresses (``127.0.0.0/8``, ``::1``)."""
        nets: list[Network] = []
        for entry in entries:
            try:
                nets.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise Invalid("outbound allow-list entry {entry} is not an address or CIDR network",
                              hint="e.g. ACCORD_OUTBOUND_ALLOW='[\"10.1.0.0/16\", \"127.0.0.1\"]'",
                              entry=trimmed(entry)) from None
        return cls(tuple(nets))

    def permits(self, ip: Address) -> bool:
        """Whether the node may connect to ``ip``."""
        why = reason_refused(ip)
        if why is None:
            return True
        if why == "metadata":
            return any(net.num_addresses == 1 and ip in net for net in self.allow
                       if net.version == ip.version)
        return any(ip in net or _embedded(ip) in net for net in self.allow)

    def check_address(self, ip: Address, host: str, what: str = "host") -> None:
        """Raise ``OutboundRefused`` unless the node may connect to ``ip`` (for ``host``)."""
        if not self.permits(ip):
            raise OutboundRefused("{what} {host} is a {reason_refused} address, which this node "
                                  "does not connect to",
                                  hint="the node operator may allow it with ACCORD_OUTBOUND_ALLOW",
                                  what=what, host=trimmed(host), reason_refused=reason_refused(ip))

    def check_host(self, host: str, what: str = "host") -> None:
        """Refuse a host given as an internal address or a local name (no DNS asked).

        For checks when a URL is registered; the connection is checked again, after
        resolution, each time it is opened.
        """
        ip = _internal(host)
        if ip is not None:
            self.check_address(ip, host, what)

    def resolve(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """The addresses of ``host`` (getaddrinfo entries), each checked; refused when any
        one of them is not allowed (a name half public, half internal is refused whole)."""
        entries = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not entries:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
        for *_rest, sockaddr in entries:
            self.check_address(ipaddress.ip_address(str(sockaddr[0]).split("%")[0]), host)
        return entries

    def connect(self, host: str, port: int, timeout: float | None,
                source_address: tuple[str, int] | None = None,
                options: Iterable[tuple[int, int, int | bytes]] = ()) -> socket.socket:
        """A TCP socket to one checked address of ``host`` (tried in resolution order)."""
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                for option in options:
                    sock.setsockopt(*option)
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address is not None:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last = error
        raise last or OSError(f"cannot connect to {host}")

    # ---- transports ---------------------------------------------------------------------

    def opener(self, *, follow_redirects: bool) -> urllib.request.OpenerDirector:
        """A urllib opener whose every connection (redirects included) is checked."""
        rule = self

        class _HTTP(http.client.HTTPConnection):
            def connect(self) -> None:
                self.sock = rule.connect(self.host, self.port, self.timeout,
                                         getattr(self, "source_address", None))

        class _HTTPS(http.client.HTTPSConnection):
            def connect(self) -> None:
                sock = rule.connect(self.host, self.port, self.timeout,
                                    getattr(self, "source_address", None))
                self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
                    sock, server_hostname=self.host)

        class _HTTPHandler(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(_HTTP, req)

        class _HTTPSHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(_HTTPS, req)

        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.ProxyHandler({}), _HTTPHandler(), _HTTPSHandler()]
        if not follow_redirects:
            handlers.append(_NoRedirect())
        return urllib.request.build_opener(*handlers)

    def harden(self, session: requests.Session) -> requests.Session:
        """``session`` with every connection checked (redirects too) and no env proxies."""
        session.trust_env = False
        adapter = _Adapter(self)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        return None


def _u3_connection(base: type[_U3HTTPConnection], rule: Outbound) -> type[_U3HTTPConnection]:
    class _Checked(base):  # type: ignore[valid-type,misc]
        def _new_conn(self) -> socket.socket:
            from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

            try:
                return rule.connect(self._dns_host, self.port, self.timeout,
                                    self.source_address, self.socket_options or ())
            except TimeoutError as error:
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out"
                                          ) from error
            except OSError as error:
                raise NewConnectionError(self, f"cannot connect: {error}") from error

    return _Checked


class _Adapter(requests.adapters.HTTPAdapter):
    """A requests transport whose connection pools open only checked connections."""

    def __init__(self, rule: Outbound) -> None:
        self.rule = rule
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        rule = self.rule

        class _Pool(HTTPConnectionPool):
            ConnectionCls = _u3_connection(_U3HTTPConnection, rule)

        class _TLSPool(HTTPSConnectionPool):
            ConnectionCls = _u3_connection(_U3HTTPSConnection, rule)  # type: ignore[assignment]

        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}


def check_url(url: str, rule: Outbound, *, what: str, https_only: bool,
              max_length: int = 2000) -> str:
    """``url`` stripped and checked for an outbound request: http(s), a host, no user
    name or password, no fragment, and not an internal address or local name unless
    ``rule`` allows it. With ``https_only``, plain ``http://`` only to an internal address
    the operator allows, given as an address (or localhost). Each connection is checked
    again when it is opened."""
    text = url.strip()
    hint = "use https://host/path"
    if not text or len(text) > max_length or not text.isprintable() or " " in text:
        raise Invalid("{what} {text} is not a URL of at most {max_length} printable characters "
                      "without spaces", hint=hint, what=what, text=trimmed(text),
                      max_length=max_length)
    parts = urlsplit(text)
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise Invalid("{what} {text} has an invalid port", hint=hint, what=what,
                      text=trimmed(text)) from None
    if parts.scheme not in ("https", "http") or not host:
        raise Invalid("{what} {text} must start with https:// and name a host", hint=hint,
                      what=what, text=trimmed(text))
    if parts.username is not None or parts.password is not None:
        raise Invalid("{what} must not carry a user name or password", what=what)
    if parts.fragment:
        raise Invalid("{what} {text} must not have a #fragment", what=what, text=trimmed(text))
    rule.check_host(host, f"{what} host")
    if https_only and parts.scheme == "http" and _internal(host) is None:
        raise Invalid("{what} for host {host} must use https://",
                      hint="plain http:// only to an address the operator allows "
                           "(ACCORD_OUTBOUND_ALLOW), such as localhost or 127.0.0.1", what=what,
                      host=trimmed(host))
    return text


def _internal(host: str) -> Address | None:
    """The internal address ``host`` names literally (or localhost), else None."""
    name = host.strip("[]").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return ipaddress.ip_address("127.0.0.1")
    try:
        ip = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return None
    return ip if reason_refused(ip) is not None else None
