"""``url``: a web address in a documented canonical form, matched exactly.

Two spellings of the same address must give the same value, so ``validate``
rewrites a URL as follows (``docs/signal-types.md`` has the table of cases):

1. Outer whitespace is trimmed; the URL must be absolute ``http`` or ``https``.
2. Scheme and host are lower-cased; an internationalised host becomes IDNA
   (``xn--`` labels); a trailing dot on the host is dropped.
3. The default port (80 for http, 443 for https) is dropped.
4. The fragment (``#...``) is dropped.
5. Tracking parameters are removed from the query: ``utm_*`` and the click ids
   in :data:`TRACKING_PARAMS`. The remaining parameters are sorted by name, then
   value; a query left empty disappears with its ``?``.
6. The path has its dot segments resolved (``/a/./b/../c`` is ``/a/c``); an
   empty path becomes ``/``.
7. Percent-encoding is normalised everywhere: escapes of unreserved characters
   are decoded (``%7E`` is ``~``), other escapes are upper-cased (``%2f`` is
   ``%2F``), and characters that may not appear raw (spaces, non-ASCII) are
   encoded as UTF-8. ``+`` is left as it is.

User information (``user@``) is kept: it changes what is fetched.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from accord.errors import Phrase
from accord.signals.base import IndexKind, InvalidSignal, SignalType, TextHasher

MAX_URL_LENGTH = 8192

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
    }
)
"""Query parameters removed besides every ``utm_*`` one: advertising click ids."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_SAFE = (_UNRESERVED | _SUB_DELIMS | frozenset(":@/?")) - frozenset("&=")
_USER_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":")
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_RE = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")


def canonical_url(value: str) -> str:
    """The canonical form of ``value`` (see the module docstring for the rules)."""
    text = value.strip()
    if len(text) > MAX_URL_LENGTH:
        raise _invalid(value, Phrase("longer than {limit} characters", limit=MAX_URL_LENGTH))
    try:
        parts = urlsplit(text)
    except ValueError as err:
        raise _invalid(value, Phrase("not a URL ({error})", error=str(err))) from err
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        raise _invalid(value, Phrase("expected an absolute http:// or https:// URL"))
    authority = _authority(parts.netloc, scheme, value)
    path = _dot_segments_removed(_percent_normalised(parts.path, _PATH_SAFE)) or "/"
    query = _query(parts.query)
    return f"{scheme}://{authority}{path}{'?' + query if query else ''}"


class UrlSignal(SignalType, TextHasher):
    """A URL in canonical form, matched exactly."""

    name: ClassVar[str] = "url"
    index_kind: ClassVar[IndexKind] = "exact"
    default_threshold: ClassVar[int] = 0

    @classmethod
    def validate(cls, value: str) -> str:
        """The canonical form; raises :class:`InvalidSignal` for a non-http(s) value."""
        if not isinstance(value, str):
            raise _invalid(value, Phrase("expected a string"))
        return canonical_url(value)

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """0 when the canonical URLs are equal, else 1."""
        return 0 if a == b else 1

    @classmethod
    def examples(cls) -> list[str]:
        """Canonical URLs on reserved example domains."""
        return [
            "https://example.com/",
            "https://example.org/media/video.mp4?id=42",
            "http://xn--bcher-kva.example/path",
        ]

    @classmethod
    def hash_text(cls, text: str) -> str:
        """The canonical form of a URL given as text."""
        return cls.validate(text)


def _invalid(value: object, rule: Phrase) -> InvalidSignal:
    return InvalidSignal.for_value("url", value, rule)


def _authority(netloc: str, scheme: str, value: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    host, port = _split_port(hostport, value)
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if userinfo:
        return f"{_percent_normalised(userinfo, _USER_SAFE)}@{host}"
    return host


def _split_port(hostport: str, value: str) -> tuple[str, int | None]:
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]")
        if end < 0:
            raise _invalid(value, Phrase("unclosed '[' in IPv6 host"))
        host, rest = hostport[: end + 1].lower(), hostport[end + 1 :]
        port_text = rest[1:] if rest.startswith(":") else rest
    else:
        raw_host, _, port_text = hostport.partition(":")
        host = _idna_host(raw_host, value)
    if not port_text:
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise _invalid(value, Phrase("port {port} is not a number from 0 to 65535",
                                      port=repr(port_text[:10])))
    return host, int(port_text)


def _idna_host(raw: str, value: str) -> str:
    try:
        host = unquote(raw, errors="strict").rstrip(".")
        if not host:
            raise _invalid(value, Phrase("the host is empty"))
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except UnicodeError as err:
        raise _invalid(value, Phrase("host is not a valid internationalised name ({error})",
                                      error=str(err))) from err
    host = host.lower()
    if _HOST_RE.fullmatch(host) is None:
        raise _invalid(value, Phrase("host may hold only letters, digits, '.', '-' and '_'"))
    if len(host) > 253 or max(len(label) for label in host.split(".")) > 63:
        raise _invalid(value, Phrase("host name too long (labels of at most 63, 253 in all)"))
    return host


def _query(query: str) -> str:
    pairs = []
    for item in query.split("&"):
        if not item:
            continue
        key, eq, val = item.partition("=")
        key = _percent_normalised(key, _QUERY_SAFE)
        if key.lower().startswith("utm_") or key.lower() in TRACKING_PARAMS:
            continue
        pairs.append((key, eq + _percent_normalised(val, _QUERY_SAFE)))
    pairs.sort()
    return "&".join(key + val for key, val in pairs)


def _dot_segments_removed(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path whose escapes are already normalised."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output) if output != [""] else "/"


def _percent_normalised(text: str, safe: frozenset[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%" and i + 2 < len(text) and text[i + 1] in _HEX and text[i + 2] in _HEX:
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
            i += 3
            continue
        out.append(ch if ch in safe else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        i += 1
    return "".join(out)
